-- SPDX-License-Identifier: MIT
-- 019: the import and its revert at 300,000 cards.
--
-- Where the time went (auto_explain with triggers, 300,000 rows; docs/performance.md, "Import
-- against its physical limit"): besides the index entries, every imported row queued six
-- foreign-key trigger events — the card's customer, plan and activation code, the event's
-- customer and plan (all NULL at import: PostgreSQL queues an insert's check whatever the value)
-- and the secret's card (one SPI query per row). Together about a third of the import. A revert
-- paid per row too: the "unused" check once in the function and again in a row trigger, the
-- secrets' ON DELETE CASCADE (one DELETE per card), and the import-chart correction of 015,
-- planned from guesses, spilled its sorts to disk.
--
-- 1. The six foreign keys become checks per statement, as 005 did for the card's import batch:
--    an INSERT looks up each distinct value its rows name once (none for NULL), locking the
--    referenced rows FOR KEY SHARE as the foreign key did; an UPDATE that changes a reference
--    is checked per row (a trigger WHEN, so an UPDATE that leaves them alone, a bulk suspend,
--    queues nothing); the referenced side refuses DELETE (and a new id) while a row names it,
--    and a card's secrets go with it in the statement-level delete trigger. Same SQLSTATE
--    (23503), message, detail and constraint name as PostgreSQL's own.
-- 2. A revert checks "unused" once, set-based, under the row locks it takes; the per-row delete
--    check stands aside for that one statement (the transaction-local marker that only the
--    revert function sets, as 004's delete event does). Its sorts get the memory of an import.
-- 3. The import-chart correction for a statement of IMPORT_REVERTED events reads each touched
--    card's IMPORTED and IMPORT_REVERTED events once and counts in memory.

-- ---------------------------------------------------------------------------------------------
-- 1. Foreign keys, per statement.

-- The error PostgreSQL raises for a missing referenced row, word for word.
CREATE FUNCTION public.simdesk_fk_missing(p_table text, p_column text, p_value bigint,
                                          p_target text, p_constraint text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = '23503',
        MESSAGE = format('insert or update on table "%s" violates foreign key constraint "%s"', p_table, p_constraint),
        DETAIL = format('Key (%s)=(%s) is not present in table "%s".', p_column, p_value, p_target),
        SCHEMA = 'public', TABLE = p_table, CONSTRAINT = p_constraint;
END
$$;

-- The error PostgreSQL raises for a referenced row that is still referenced.
CREATE FUNCTION public.simdesk_fk_referenced(p_table text, p_value bigint, p_from text,
                                             p_constraint text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = '23503',
        MESSAGE = format('update or delete on table "%s" violates foreign key constraint "%s" on table "%s"',
                         p_table, p_constraint, p_from),
        DETAIL = format('Key (id)=(%s) is still referenced from table "%s".', p_value, p_from),
        SCHEMA = 'public', TABLE = p_table, CONSTRAINT = p_constraint;
END
$$;

-- Lock the rows of p_target whose ids are in p_ids FOR KEY SHARE (so that none can be deleted
-- before this transaction ends; one deleted meanwhile is then missing) and return one id that
-- is not there, or NULL. p_target is one of the fixed table names below, never user input.
CREATE FUNCTION public.simdesk_fk_lock_missing(p_target text, p_ids bigint[]) RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_locked bigint;
    v_missing bigint;
BEGIN
    IF coalesce(cardinality(p_ids), 0) = 0 THEN
        RETURN NULL;
    END IF;
    -- A bulk load that holds the table in a mode no other writer can share (the demo loader's
    -- ACCESS EXCLUSIVE, sql/demo_data.sql) needs no row locks: nobody can delete a row before it
    -- commits. Asked only for large statements: it costs a look at the lock table.
    IF cardinality(p_ids) > 1000 AND EXISTS (
           SELECT 1 FROM pg_catalog.pg_locks l
           WHERE l.locktype = 'relation' AND l.pid = pg_catalog.pg_backend_pid() AND l.granted
             AND l.relation = pg_catalog.format('public.%I', p_target)::regclass
             AND l.mode IN ('ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock')) THEN
        EXECUTE format('SELECT count(*) FROM public.%I t WHERE t.id = ANY ($1)', p_target)
        INTO v_locked USING p_ids;
    ELSE
        EXECUTE format('SELECT count(*) FROM (SELECT 1 FROM public.%I t WHERE t.id = ANY ($1) FOR KEY SHARE OF t) l',
                       p_target)
        INTO v_locked USING p_ids;
    END IF;
    IF v_locked = cardinality(p_ids) THEN -- p_ids are distinct
        RETURN NULL;
    END IF;
    EXECUTE format('SELECT m.id FROM unnest($1) AS m(id) WHERE NOT EXISTS (SELECT 1 FROM public.%I t WHERE t.id = m.id) LIMIT 1',
                   p_target)
    INTO v_missing USING p_ids;
    RETURN v_missing;
END
$$;

-- Cards: import batch (005), customer, tariff plan, activation code: one pass over the
-- statement's rows, then one look-up per referenced table that any row names.
ALTER TABLE public.sim_cards DROP CONSTRAINT sim_cards_customer_id_fkey,
    DROP CONSTRAINT sim_cards_tariff_plan_id_fkey,
    DROP CONSTRAINT sim_cards_activation_code_id_fkey;
DROP TRIGGER sim_cards_batch_exists ON public.sim_cards;
DROP FUNCTION public.simdesk_card_batches_exist();

CREATE FUNCTION public.simdesk_card_refs_exist() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_batches bigint[];
    v_customers bigint[];
    v_plans bigint[];
    v_codes bigint[];
    v_missing bigint;
BEGIN
    SELECT array_agg(DISTINCT n.import_batch_id) FILTER (WHERE n.import_batch_id IS NOT NULL),
           array_agg(DISTINCT n.customer_id) FILTER (WHERE n.customer_id IS NOT NULL),
           array_agg(DISTINCT n.tariff_plan_id) FILTER (WHERE n.tariff_plan_id IS NOT NULL),
           array_agg(DISTINCT n.activation_code_id) FILTER (WHERE n.activation_code_id IS NOT NULL)
    INTO v_batches, v_customers, v_plans, v_codes
    FROM new_rows n;
    v_missing := public.simdesk_fk_lock_missing('import_batches', v_batches);
    IF v_missing IS NOT NULL THEN
        PERFORM public.simdesk_fk_missing('sim_cards', 'import_batch_id', v_missing, 'import_batches',
                                          'sim_cards_import_batch_id_fkey');
    END IF;
    v_missing := public.simdesk_fk_lock_missing('customers', v_customers);
    IF v_missing IS NOT NULL THEN
        PERFORM public.simdesk_fk_missing('sim_cards', 'customer_id', v_missing, 'customers',
                                          'sim_cards_customer_id_fkey');
    END IF;
    v_missing := public.simdesk_fk_lock_missing('tariff_plans', v_plans);
    IF v_missing IS NOT NULL THEN
        PERFORM public.simdesk_fk_missing('sim_cards', 'tariff_plan_id', v_missing, 'tariff_plans',
                                          'sim_cards_tariff_plan_id_fkey');
    END IF;
    v_missing := public.simdesk_fk_lock_missing('activation_codes', v_codes);
    IF v_missing IS NOT NULL THEN
        PERFORM public.simdesk_fk_missing('sim_cards', 'activation_code_id', v_missing, 'activation_codes',
                                          'sim_cards_activation_code_id_fkey');
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER sim_cards_refs_exist AFTER INSERT ON public.sim_cards
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.simdesk_card_refs_exist();

-- An UPDATE that sets a reference: checked per changed row, like the foreign key it replaces
-- (which also checked only a changed key).
CREATE FUNCTION public.simdesk_card_refs_changed() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NEW.customer_id IS NOT NULL AND NEW.customer_id IS DISTINCT FROM OLD.customer_id
       AND public.simdesk_fk_lock_missing('customers', ARRAY[NEW.customer_id]) IS NOT NULL THEN
        PERFORM public.simdesk_fk_missing('sim_cards', 'customer_id', NEW.customer_id, 'customers',
                                          'sim_cards_customer_id_fkey');
    END IF;
    IF NEW.tariff_plan_id IS NOT NULL AND NEW.tariff_plan_id IS DISTINCT FROM OLD.tariff_plan_id
       AND public.simdesk_fk_lock_missing('tariff_plans', ARRAY[NEW.tariff_plan_id]) IS NOT NULL THEN
        PERFORM public.simdesk_fk_missing('sim_cards', 'tariff_plan_id', NEW.tariff_plan_id, 'tariff_plans',
                                          'sim_cards_tariff_plan_id_fkey');
    END IF;
    IF NEW.activation_code_id IS NOT NULL AND NEW.activation_code_id IS DISTINCT FROM OLD.activation_code_id
       AND public.simdesk_fk_lock_missing('activation_codes', ARRAY[NEW.activation_code_id]) IS NOT NULL THEN
        PERFORM public.simdesk_fk_missing('sim_cards', 'activation_code_id', NEW.activation_code_id,
                                          'activation_codes', 'sim_cards_activation_code_id_fkey');
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER sim_cards_refs_changed AFTER UPDATE OF customer_id, tariff_plan_id, activation_code_id
    ON public.sim_cards FOR EACH ROW
    WHEN ((NEW.customer_id IS NOT NULL AND NEW.customer_id IS DISTINCT FROM OLD.customer_id)
          OR (NEW.tariff_plan_id IS NOT NULL AND NEW.tariff_plan_id IS DISTINCT FROM OLD.tariff_plan_id)
          OR (NEW.activation_code_id IS NOT NULL AND NEW.activation_code_id IS DISTINCT FROM OLD.activation_code_id))
    EXECUTE FUNCTION public.simdesk_card_refs_changed();

-- Events: customer and tariff plan.
ALTER TABLE public.sim_events DROP CONSTRAINT sim_events_customer_id_fkey,
    DROP CONSTRAINT sim_events_tariff_plan_id_fkey;

CREATE FUNCTION public.simdesk_event_refs_exist() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_customers bigint[];
    v_plans bigint[];
    v_missing bigint;
BEGIN
    SELECT array_agg(DISTINCT n.customer_id) FILTER (WHERE n.customer_id IS NOT NULL),
           array_agg(DISTINCT n.tariff_plan_id) FILTER (WHERE n.tariff_plan_id IS NOT NULL)
    INTO v_customers, v_plans
    FROM new_rows n;
    v_missing := public.simdesk_fk_lock_missing('customers', v_customers);
    IF v_missing IS NOT NULL THEN
        PERFORM public.simdesk_fk_missing('sim_events', 'customer_id', v_missing, 'customers',
                                          'sim_events_customer_id_fkey');
    END IF;
    v_missing := public.simdesk_fk_lock_missing('tariff_plans', v_plans);
    IF v_missing IS NOT NULL THEN
        PERFORM public.simdesk_fk_missing('sim_events', 'tariff_plan_id', v_missing, 'tariff_plans',
                                          'sim_events_tariff_plan_id_fkey');
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER sim_events_refs_exist AFTER INSERT ON public.sim_events
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.simdesk_event_refs_exist();

-- Events are append-only; a superuser's UPDATE that sets a reference is checked all the same.
CREATE FUNCTION public.simdesk_event_refs_changed() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NEW.customer_id IS NOT NULL AND NEW.customer_id IS DISTINCT FROM OLD.customer_id
       AND public.simdesk_fk_lock_missing('customers', ARRAY[NEW.customer_id]) IS NOT NULL THEN
        PERFORM public.simdesk_fk_missing('sim_events', 'customer_id', NEW.customer_id, 'customers',
                                          'sim_events_customer_id_fkey');
    END IF;
    IF NEW.tariff_plan_id IS NOT NULL AND NEW.tariff_plan_id IS DISTINCT FROM OLD.tariff_plan_id
       AND public.simdesk_fk_lock_missing('tariff_plans', ARRAY[NEW.tariff_plan_id]) IS NOT NULL THEN
        PERFORM public.simdesk_fk_missing('sim_events', 'tariff_plan_id', NEW.tariff_plan_id, 'tariff_plans',
                                          'sim_events_tariff_plan_id_fkey');
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER sim_events_refs_changed AFTER UPDATE OF customer_id, tariff_plan_id
    ON public.sim_events FOR EACH ROW
    WHEN ((NEW.customer_id IS NOT NULL AND NEW.customer_id IS DISTINCT FROM OLD.customer_id)
          OR (NEW.tariff_plan_id IS NOT NULL AND NEW.tariff_plan_id IS DISTINCT FROM OLD.tariff_plan_id))
    EXECUTE FUNCTION public.simdesk_event_refs_changed();

-- Secrets: their card.
ALTER TABLE public.sim_secrets DROP CONSTRAINT sim_secrets_sim_id_fkey;

CREATE FUNCTION public.simdesk_secret_cards_exist() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_cards bigint[];
    v_missing bigint;
BEGIN
    IF TG_LEVEL = 'STATEMENT' THEN
        SELECT array_agg(n.sim_id) INTO v_cards FROM new_rows n; -- sim_id is the primary key
    ELSE
        v_cards := ARRAY[NEW.sim_id];
    END IF;
    v_missing := public.simdesk_fk_lock_missing('sim_cards', v_cards);
    IF v_missing IS NOT NULL THEN
        PERFORM public.simdesk_fk_missing('sim_secrets', 'sim_id', v_missing, 'sim_cards',
                                          'sim_secrets_sim_id_fkey');
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER sim_secrets_cards_exist AFTER INSERT ON public.sim_secrets
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.simdesk_secret_cards_exist();
CREATE TRIGGER sim_secrets_card_changed AFTER UPDATE OF sim_id ON public.sim_secrets
    FOR EACH ROW WHEN (NEW.sim_id IS DISTINCT FROM OLD.sim_id)
    EXECUTE FUNCTION public.simdesk_secret_cards_exist();

-- The referenced side: RESTRICT (customers, tariff plans, activation codes) before the row goes
-- or gets a new id. The row is locked by the time this runs (a writer naming it holds KEY SHARE
-- until it commits), and the query sees what is committed then. The card's ON DELETE CASCADE
-- of its secrets is in simdesk_card_deleted below.
CREATE FUNCTION public.simdesk_refs_restrict() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.id = OLD.id THEN
        RETURN NEW;
    END IF;
    IF TG_TABLE_NAME = 'customers' THEN
        IF EXISTS (SELECT 1 FROM public.sim_cards c WHERE c.customer_id = OLD.id) THEN
            PERFORM public.simdesk_fk_referenced('customers', OLD.id, 'sim_cards', 'sim_cards_customer_id_fkey');
        END IF;
        IF EXISTS (SELECT 1 FROM public.sim_events e WHERE e.customer_id = OLD.id) THEN
            PERFORM public.simdesk_fk_referenced('customers', OLD.id, 'sim_events', 'sim_events_customer_id_fkey');
        END IF;
    ELSIF TG_TABLE_NAME = 'tariff_plans' THEN
        IF EXISTS (SELECT 1 FROM public.sim_cards c WHERE c.tariff_plan_id = OLD.id) THEN
            PERFORM public.simdesk_fk_referenced('tariff_plans', OLD.id, 'sim_cards', 'sim_cards_tariff_plan_id_fkey');
        END IF;
        IF EXISTS (SELECT 1 FROM public.sim_events e WHERE e.tariff_plan_id = OLD.id) THEN
            PERFORM public.simdesk_fk_referenced('tariff_plans', OLD.id, 'sim_events', 'sim_events_tariff_plan_id_fkey');
        END IF;
    ELSIF TG_TABLE_NAME = 'activation_codes' THEN
        IF EXISTS (SELECT 1 FROM public.sim_cards c WHERE c.activation_code_id = OLD.id) THEN
            PERFORM public.simdesk_fk_referenced('activation_codes', OLD.id, 'sim_cards',
                                                 'sim_cards_activation_code_id_fkey');
        END IF;
    ELSIF TG_TABLE_NAME = 'sim_cards' THEN -- a new id only (ids are GENERATED ALWAYS)
        IF EXISTS (SELECT 1 FROM public.sim_secrets s WHERE s.sim_id = OLD.id) THEN
            PERFORM public.simdesk_fk_referenced('sim_cards', OLD.id, 'sim_secrets', 'sim_secrets_sim_id_fkey');
        END IF;
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
CREATE TRIGGER customers_restrict BEFORE DELETE OR UPDATE OF id ON public.customers
    FOR EACH ROW EXECUTE FUNCTION public.simdesk_refs_restrict();
CREATE TRIGGER tariff_plans_restrict BEFORE DELETE OR UPDATE OF id ON public.tariff_plans
    FOR EACH ROW EXECUTE FUNCTION public.simdesk_refs_restrict();
CREATE TRIGGER activation_codes_restrict BEFORE DELETE OR UPDATE OF id ON public.activation_codes
    FOR EACH ROW EXECUTE FUNCTION public.simdesk_refs_restrict();
CREATE TRIGGER sim_cards_restrict_id BEFORE UPDATE OF id ON public.sim_cards
    FOR EACH ROW WHEN (NEW.id IS DISTINCT FROM OLD.id) EXECUTE FUNCTION public.simdesk_refs_restrict();

-- A deleted card leaves its event (004, 011) and takes its secrets with it (the cascade), in one
-- statement each. EXECUTE: planned with the real number of deleted cards.
CREATE OR REPLACE FUNCTION public.simdesk_card_deleted() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    EXECUTE 'DELETE FROM public.sim_secrets s USING old_rows o WHERE s.sim_id = o.id';
    INSERT INTO public.sim_events (sim_id, event_type, old_status, import_batch_id, note, source,
                                   details, created_by, created_at)
    SELECT o.id,
           CASE WHEN current_setting('simdesk.delete_event', true) = 'IMPORT_REVERTED'
                THEN 'IMPORT_REVERTED' ELSE 'DELETED' END,
           o.status, o.import_batch_id,
           nullif(current_setting('simdesk.delete_note', true), ''),
           coalesce(nullif(current_setting('simdesk.delete_source', true), ''), 'system'),
           jsonb_strip_nulls(jsonb_build_object('iccid', o.iccid, 'msisdn', o.msisdn, 'imsi', o.imsi,
                                                'sim_type', o.sim_type)),
           session_user, clock_timestamp()
    FROM old_rows o;
    RETURN NULL;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- 2. The revert.

-- The per-row "unused" check (004) stands aside while the revert function deletes: it has
-- checked every card of the batch itself, under the locks it holds until the end.
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
    -- simdesk_card_unused (004) for the whole batch at once: a card is used when it is not
    -- AVAILABLE, has a holder or a code, or has an event other than these.
    SELECT count(*) FILTER (WHERE c.status <> 'AVAILABLE' OR c.customer_id IS NOT NULL
                                  OR c.activation_code_id IS NOT NULL OR u.sim_id IS NOT NULL),
           count(*)
    INTO v_used, v_cards
    FROM public.sim_cards c
    LEFT JOIN (SELECT DISTINCT e.sim_id FROM public.sim_events e
               JOIN public.sim_cards b ON b.id = e.sim_id AND b.import_batch_id = p_batch_id
               WHERE e.event_type NOT IN ('CREATED', 'IMPORTED', 'EDITED', 'SECRET_REVEALED',
                                          'SECRETS_CHANGED')) u ON u.sim_id = c.id
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

-- ---------------------------------------------------------------------------------------------
-- 3. The import-chart correction of a statement that writes IMPORT_REVERTED events (a revert):
-- every touched card is reverted after it, so each of its IMPORTED events leaves the chart
-- unless the card had been reverted before this statement already (then it had left it) —
-- except an IMPORTED event of this same statement, which the plain count above just added.
-- Each touched card's events are read once (sim_events_sim_idx) and counted in memory. The
-- other branches are 015's.
CREATE OR REPLACE FUNCTION public.simdesk_stats_events_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_tz text;
BEGIN
    SELECT s.time_zone INTO v_tz FROM public.stats_settings s;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO public.stats_event_days (day, event_type, new_status, n)
        SELECT (r.created_at AT TIME ZONE v_tz)::date, r.event_type, r.new_status, count(*)
        FROM new_rows r GROUP BY 1, 2, 3;
        IF EXISTS (SELECT 1 FROM new_rows r WHERE r.event_type = 'IMPORT_REVERTED') THEN
            EXECUTE $q$
            WITH touched AS (
                SELECT DISTINCT r.sim_id FROM new_rows r WHERE r.event_type = 'IMPORT_REVERTED'
            ), fresh AS (
                SELECT r.id FROM new_rows r WHERE r.event_type IN ('IMPORTED', 'IMPORT_REVERTED')
            ), card_events AS (
                SELECT e.sim_id, e.event_type, e.new_status, e.created_at, f.id IS NOT NULL AS fresh
                FROM touched t
                JOIN public.sim_events e ON e.sim_id = t.sim_id
                LEFT JOIN fresh f ON f.id = e.id
                WHERE e.event_type IN ('IMPORTED', 'IMPORT_REVERTED')
            ), reverted_before AS (
                SELECT DISTINCT c.sim_id FROM card_events c
                WHERE c.event_type = 'IMPORT_REVERTED' AND NOT c.fresh
            )
            INSERT INTO public.stats_event_days (day, event_type, new_status, n)
            SELECT (c.created_at AT TIME ZONE $1)::date, 'IMPORTED', c.new_status, -count(*)
            FROM card_events c
            WHERE c.event_type = 'IMPORTED'
              AND (c.fresh OR NOT EXISTS (SELECT 1 FROM reverted_before b WHERE b.sim_id = c.sim_id))
            GROUP BY 1, 3
            $q$ USING v_tz;
        END IF;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO public.stats_event_days (day, event_type, new_status, n)
        SELECT (r.created_at AT TIME ZONE v_tz)::date, r.event_type, r.new_status, -count(*)
        FROM old_rows r GROUP BY 1, 2, 3;
        IF EXISTS (SELECT 1 FROM old_rows r WHERE r.event_type IN ('IMPORTED', 'IMPORT_REVERTED')) THEN
            EXECUTE $q$
            WITH touched AS (
                SELECT DISTINCT r.sim_id FROM old_rows r
                WHERE r.event_type IN ('IMPORTED', 'IMPORT_REVERTED')
            ), after_set AS (
                SELECT e.id, e.sim_id, e.event_type, e.new_status, e.created_at
                FROM public.sim_events e JOIN touched t ON t.sim_id = e.sim_id
                WHERE e.event_type IN ('IMPORTED', 'IMPORT_REVERTED')
            ), before_set AS (
                SELECT a.* FROM after_set a
                UNION ALL
                SELECT r.id, r.sim_id, r.event_type, r.new_status, r.created_at FROM old_rows r
                WHERE r.event_type IN ('IMPORTED', 'IMPORT_REVERTED')
            )
            INSERT INTO public.stats_event_days (day, event_type, new_status, n)
            SELECT d.day, 'IMPORTED', d.new_status, sum(d.n)
            FROM (SELECT (i.created_at AT TIME ZONE $1)::date AS day, i.new_status, -1 AS n
                  FROM (SELECT a.*, bool_or(a.event_type = 'IMPORT_REVERTED') OVER (PARTITION BY a.sim_id) AS reverted
                        FROM after_set a) i
                  WHERE i.event_type = 'IMPORTED' AND i.reverted
                  UNION ALL
                  SELECT (i.created_at AT TIME ZONE $1)::date, i.new_status, 1
                  FROM (SELECT b.*, bool_or(b.event_type = 'IMPORT_REVERTED') OVER (PARTITION BY b.sim_id) AS reverted
                        FROM before_set b) i
                  WHERE i.event_type = 'IMPORTED' AND i.reverted) d
            GROUP BY d.day, d.new_status HAVING sum(d.n) <> 0
            $q$ USING v_tz;
        END IF;
    ELSE
        INSERT INTO public.stats_event_days (day, event_type, new_status, n)
        SELECT d.day, d.event_type, d.new_status, sum(d.n)
        FROM (SELECT (r.created_at AT TIME ZONE v_tz)::date AS day, r.event_type, r.new_status, -1 AS n
              FROM old_rows r
              UNION ALL
              SELECT (r.created_at AT TIME ZONE v_tz)::date, r.event_type, r.new_status, 1
              FROM new_rows r) d
        GROUP BY 1, 2, 3 HAVING sum(d.n) <> 0;
        IF EXISTS (SELECT 1 FROM old_rows r WHERE r.event_type IN ('IMPORTED', 'IMPORT_REVERTED'))
           OR EXISTS (SELECT 1 FROM new_rows r WHERE r.event_type IN ('IMPORTED', 'IMPORT_REVERTED')) THEN
            EXECUTE $q$
            WITH touched AS (
                SELECT r.sim_id FROM old_rows r WHERE r.event_type IN ('IMPORTED', 'IMPORT_REVERTED')
                UNION
                SELECT r.sim_id FROM new_rows r WHERE r.event_type IN ('IMPORTED', 'IMPORT_REVERTED')
            ), after_set AS (
                SELECT e.id, e.sim_id, e.event_type, e.new_status, e.created_at
                FROM public.sim_events e JOIN touched t ON t.sim_id = e.sim_id
                WHERE e.event_type IN ('IMPORTED', 'IMPORT_REVERTED')
            ), before_set AS (
                SELECT a.* FROM after_set a WHERE NOT EXISTS (SELECT 1 FROM new_rows r WHERE r.id = a.id)
                UNION ALL
                SELECT r.id, r.sim_id, r.event_type, r.new_status, r.created_at
                FROM old_rows r
                WHERE r.event_type IN ('IMPORTED', 'IMPORT_REVERTED')
            )
            INSERT INTO public.stats_event_days (day, event_type, new_status, n)
            SELECT d.day, 'IMPORTED', d.new_status, sum(d.n)
            FROM (SELECT (i.created_at AT TIME ZONE $1)::date AS day, i.new_status, -1 AS n
                  FROM (SELECT a.*, bool_or(a.event_type = 'IMPORT_REVERTED') OVER (PARTITION BY a.sim_id) AS reverted
                        FROM after_set a) i
                  WHERE i.event_type = 'IMPORTED' AND i.reverted
                  UNION ALL
                  SELECT (i.created_at AT TIME ZONE $1)::date, i.new_status, 1
                  FROM (SELECT b.*, bool_or(b.event_type = 'IMPORT_REVERTED') OVER (PARTITION BY b.sim_id) AS reverted
                        FROM before_set b) i
                  WHERE i.event_type = 'IMPORTED' AND i.reverted) d
            GROUP BY d.day, d.new_status HAVING sum(d.n) <> 0
            $q$ USING v_tz;
        END IF;
    END IF;
    RETURN NULL;
END
$$;

REVOKE ALL ON FUNCTION public.simdesk_fk_missing(text, text, bigint, text, text),
    public.simdesk_fk_referenced(text, bigint, text, text), public.simdesk_fk_lock_missing(text, bigint[]),
    public.simdesk_card_refs_exist(), public.simdesk_card_refs_changed(), public.simdesk_event_refs_exist(),
    public.simdesk_event_refs_changed(), public.simdesk_secret_cards_exist(), public.simdesk_refs_restrict()
    FROM PUBLIC;
