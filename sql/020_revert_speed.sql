-- SPDX-License-Identifier: MIT
-- 020: the revert of a large import, per statement instead of per card.
--
-- Where a revert of 300,000 imported cards spent its time (auto_explain with triggers;
-- docs/performance.md, "the revert of an import (020)"): "unused" (004) was asked once per card
-- by the revert function (1.6 s: one look-up in the events per card) and again per card by the
-- delete trigger (2.8 s). The rest is the work itself: 300,000 IMPORT_REVERTED events with their
-- index entries, the import-chart correction of 015 (4.8 s, mostly one look-up in the events'
-- index per card), the cards' deletion and their secrets' cascade.
--
-- 1. What makes a card "used" stays said once: its fields (simdesk_card_fields_unused) and the
--    events that count as use (simdesk_event_is_use), asked per card by simdesk_card_unused and
--    for a whole batch at once by the revert.
-- 2. The revert checks its batch in one join, under the row locks it takes first and holds to
--    the end; the per-row delete check (004) stands aside for that one statement. It reads the
--    transaction-local simdesk.delete_event, which anyone may set but which matters only to a
--    DELETE on sim_cards: no login holds that privilege (004), and the only two functions that
--    delete set it themselves right before they do (DELETED for one card, checked per row;
--    IMPORT_REVERTED after the check below). The revert's sorts and hashes, its triggers'
--    included, get the 256 MB of work_mem the import has.
-- 3. The import-chart correction of 015 stays as it is: rewritten to read each card's events
--    once and decide without its window sorts, it took 4.5 s instead of 4.8 s (the look-ups are
--    most of it), not worth restating the events' whole statement trigger.

-- ---------------------------------------------------------------------------------------------
-- 1. "Unused", said once.

CREATE FUNCTION public.simdesk_card_fields_unused(p_status text, p_customer_id bigint,
                                                  p_activation_code_id bigint) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT p_status = 'AVAILABLE' AND p_customer_id IS NULL AND p_activation_code_id IS NULL
$$;

-- An event other than creation, edits and secrets means somebody used the card.
CREATE FUNCTION public.simdesk_event_is_use(p_event_type text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT p_event_type NOT IN ('CREATED', 'IMPORTED', 'EDITED', 'SECRET_REVEALED', 'SECRETS_CHANGED')
$$;

CREATE OR REPLACE FUNCTION public.simdesk_card_unused(p_id bigint, p_status text, p_customer_id bigint,
                                                      p_activation_code_id bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT public.simdesk_card_fields_unused(p_status, p_customer_id, p_activation_code_id)
       AND NOT EXISTS (SELECT 1 FROM public.sim_events e
                       WHERE e.sim_id = p_id AND public.simdesk_event_is_use(e.event_type))
$$;

-- ---------------------------------------------------------------------------------------------
-- 2. The revert.

DROP TRIGGER sim_cards_check_delete ON public.sim_cards;
CREATE TRIGGER sim_cards_check_delete BEFORE DELETE ON public.sim_cards
    FOR EACH ROW WHEN (current_setting('simdesk.delete_event', true) IS DISTINCT FROM 'IMPORT_REVERTED')
    EXECUTE FUNCTION public.simdesk_check_card_delete();

CREATE OR REPLACE FUNCTION public.simdesk_import_revert(p_batch_id bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET work_mem = '256MB' AS $$
DECLARE
    v_status text;
    v_used bigint;
    v_cards bigint;
BEGIN
    PERFORM public.simdesk_require_role('admin');
    SELECT status INTO v_status FROM public.import_batches WHERE id = p_batch_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = format('there is no import batch %s', p_batch_id);
    END IF;
    IF v_status = 'REVERTED' THEN
        RAISE EXCEPTION USING ERRCODE = 'SD021', MESSAGE = format('import batch %s is reverted already', p_batch_id);
    END IF;
    PERFORM 1 FROM public.sim_cards WHERE import_batch_id = p_batch_id ORDER BY id FOR UPDATE;
    -- simdesk_card_unused for the whole batch: one join instead of one look-up per card.
    SELECT count(*) FILTER (WHERE NOT public.simdesk_card_fields_unused(c.status, c.customer_id,
                                                                        c.activation_code_id)
                                  OR u.sim_id IS NOT NULL),
           count(*)
    INTO v_used, v_cards
    FROM public.sim_cards c
    LEFT JOIN (SELECT DISTINCT e.sim_id FROM public.sim_events e
               JOIN public.sim_cards b ON b.id = e.sim_id AND b.import_batch_id = p_batch_id
               WHERE public.simdesk_event_is_use(e.event_type)) u ON u.sim_id = c.id
    WHERE c.import_batch_id = p_batch_id;
    IF v_used > 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'SD022',
            MESSAGE = format('%s cards of import batch %s have been used since', v_used, p_batch_id),
            DETAIL = v_used::text;
    END IF;
    PERFORM set_config('simdesk.delete_event', 'IMPORT_REVERTED', true);
    PERFORM set_config('simdesk.delete_note', '', true);
    PERFORM set_config('simdesk.delete_source', 'import', true);
    DELETE FROM public.sim_cards WHERE import_batch_id = p_batch_id;
    PERFORM set_config('simdesk.delete_event', '', true);
    PERFORM set_config('simdesk.delete_source', '', true);
    UPDATE public.import_batches
    SET status = 'REVERTED', reverted_by = session_user, reverted_at = clock_timestamp()
    WHERE id = p_batch_id;
    RETURN v_cards;
END
$$;

-- The two parts of "unused" go where simdesk_card_unused goes (004: every login may ask it).
REVOKE ALL ON FUNCTION public.simdesk_card_fields_unused(text, bigint, bigint),
    public.simdesk_event_is_use(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.simdesk_card_fields_unused(text, bigint, bigint),
    public.simdesk_event_is_use(text) TO simdesk_viewer;
