-- SPDX-License-Identifier: MIT
-- 012: refusals that say what the database saw. A refusal of SimDesk's own rules (SQLSTATE
-- SDnnn) carries a DETAIL that is a JSON object of the values its message names: the card's
-- ICCID and status, who changed it last and when, the action, the tariff or code that was
-- refused. The client turns SQLSTATE and DETAIL into its message (core/db/sqlstate.cpp) and never
-- reads the card again to judge the refusal a second time, which could tell a different story
-- when the card changed once more in between.

-- The facts about one card that a refusal's message may name, as DETAIL text, with `extra`
-- merged in. Not granted to anyone: the functions below call it.
CREATE FUNCTION public.simdesk_refusal_facts(p_card public.sim_cards, p_extra jsonb)
RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT (jsonb_build_object(
                'id', p_card.id, 'iccid', p_card.iccid, 'status', p_card.status,
                'version', p_card.version, 'card_type', p_card.sim_type,
                'changed_by', e.created_by, 'changed_at', to_char(e.created_at AT TIME ZONE 'UTC',
                    'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
            || coalesce(p_extra, '{}'::jsonb))::text
    FROM (SELECT NULL) AS one
    LEFT JOIN LATERAL (SELECT created_by, created_at FROM public.sim_events
                       WHERE sim_id = p_card.id ORDER BY id DESC LIMIT 1) e ON true
$$;
REVOKE ALL ON FUNCTION public.simdesk_refusal_facts(public.sim_cards, jsonb) FROM PUBLIC;

-- One card: the set-based function, with a refusal raised as its own SQLSTATE and the card as
-- the database saw it in the DETAIL.
CREATE OR REPLACE FUNCTION public.simdesk_sim_act(p_id bigint, p_action text, p_version integer,
                                                  p_customer_id bigint, p_tariff_plan_id bigint,
                                                  p_activation_code text, p_reason text,
                                                  p_source text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    r record;
    c public.sim_cards;
    tp record;
    code record;
    v_extra jsonb;
BEGIN
    SELECT * INTO r FROM public.simdesk_sim_apply(ARRAY[p_id], p_action,
        CASE WHEN p_version IS NULL THEN NULL ELSE ARRAY[p_version] END,
        p_customer_id, p_tariff_plan_id, p_activation_code, p_reason, p_source);
    IF r.outcome = 'done' THEN
        RETURN;
    END IF;
    IF r.outcome = 'not_found' THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002',
            MESSAGE = format('there is no SIM card with id %s', p_id),
            DETAIL = jsonb_build_object('card', p_id)::text;
    END IF;
    -- The card as it is now, for the refusal's words (simdesk_sim_apply judged it in its own
    -- statement and locked it only when it changed it).
    SELECT * INTO c FROM public.sim_cards WHERE id = p_id;
    v_extra := jsonb_build_object('action', p_action);
    IF r.outcome IN ('tariff_inactive', 'tariff_type') THEN
        SELECT name, sim_type INTO tp FROM public.tariff_plans
        WHERE id = coalesce(p_tariff_plan_id, c.tariff_plan_id);
        v_extra := v_extra || jsonb_build_object('tariff', tp.name, 'tariff_type', tp.sim_type);
    ELSIF r.outcome IN ('code_unknown', 'code_used', 'code_expired') THEN
        SELECT a.used_at, a.expires_at INTO code FROM public.activation_codes a WHERE a.code = r.detail;
        v_extra := v_extra || jsonb_strip_nulls(jsonb_build_object('code', r.detail,
            'used_at', to_char(code.used_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'expires_at', to_char(code.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')));
    END IF;
    RAISE EXCEPTION USING
        ERRCODE = CASE r.outcome
            WHEN 'stale' THEN 'SD005' WHEN 'transition' THEN 'SD001'
            WHEN 'customer_required' THEN 'SD006' WHEN 'tariff_required' THEN 'SD007'
            WHEN 'tariff_inactive' THEN 'SD009' WHEN 'tariff_type' THEN 'SD010'
            WHEN 'code_unknown' THEN 'SD011' WHEN 'code_used' THEN 'SD012' WHEN 'code_expired' THEN 'SD013'
            ELSE 'P0001' END,
        MESSAGE = format('%s refused for SIM card %s: %s', p_action, c.iccid, CASE r.outcome
            WHEN 'stale' THEN 'the card changed since it was read'
            WHEN 'transition' THEN format('not allowed while the card is %s', r.detail)
            WHEN 'customer_required' THEN 'a customer is needed'
            WHEN 'tariff_required' THEN 'a tariff plan is needed'
            WHEN 'tariff_inactive' THEN format('tariff plan %s is no longer offered', r.detail)
            WHEN 'tariff_type' THEN format('tariff plan %s does not fit the card''s type', r.detail)
            WHEN 'code_unknown' THEN format('there is no activation code %s', r.detail)
            WHEN 'code_used' THEN format('activation code %s is used already', r.detail)
            WHEN 'code_expired' THEN format('activation code %s has expired', r.detail)
            ELSE r.outcome END),
        DETAIL = public.simdesk_refusal_facts(c, v_extra);
END
$$;

-- The card, locked until commit, at the version the caller saw (NULL: as it is); a stale one is
-- refused with who changed it last and when.
CREATE OR REPLACE FUNCTION public.simdesk_lock_card(p_id bigint, p_version integer)
RETURNS public.sim_cards
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    c public.sim_cards;
BEGIN
    SELECT * INTO c FROM public.sim_cards WHERE id = p_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = format('there is no SIM card with id %s', p_id),
            DETAIL = jsonb_build_object('card', p_id)::text;
    END IF;
    IF p_version IS NOT NULL AND c.version <> p_version THEN
        RAISE EXCEPTION USING ERRCODE = 'SD005', MESSAGE = format('SIM card %s changed since', c.iccid),
            DETAIL = public.simdesk_refusal_facts(c, NULL);
    END IF;
    RETURN c;
END
$$;

-- The swap of sql/011_hardening.sql, with each refusal naming the card it is about.
CREATE OR REPLACE FUNCTION public.simdesk_sim_swap(p_old_id bigint, p_new_id bigint, p_old_version integer,
                                                   p_new_version integer, p_old_end text, p_reason text,
                                                   p_source text)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_swap uuid := gen_random_uuid();
    v_reason text;
    v_at timestamptz;
    o public.sim_cards;
    n public.sim_cards;
    tp record;
BEGIN
    PERFORM public.simdesk_require_role('support');
    PERFORM public.simdesk_check_source(p_source);
    v_reason := public.simdesk_reason(p_reason);
    IF v_reason IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'SD008', MESSAGE = 'a swap needs a reason',
            DETAIL = jsonb_build_object('action', 'swap')::text;
    END IF;
    IF p_old_end IS NULL OR p_old_end NOT IN ('TERMINATED', 'LOST_STOLEN') THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'the old card of a swap ends TERMINATED or LOST_STOLEN';
    END IF;
    IF p_old_id = p_new_id THEN
        RAISE EXCEPTION USING ERRCODE = 'SD014', MESSAGE = 'a card cannot be swapped with itself';
    END IF;
    -- In id order, so that two swaps over the same pair cannot deadlock. Every refusal below
    -- raises, which ends the locks with the transaction (or savepoint).
    IF p_old_id < p_new_id THEN
        o := public.simdesk_lock_card(p_old_id, p_old_version);
        n := public.simdesk_lock_card(p_new_id, p_new_version);
    ELSE
        n := public.simdesk_lock_card(p_new_id, p_new_version);
        o := public.simdesk_lock_card(p_old_id, p_old_version);
    END IF;
    IF o.status NOT IN ('ACTIVE', 'SUSPENDED', 'LOST_STOLEN') THEN
        RAISE EXCEPTION USING ERRCODE = 'SD015', MESSAGE = format('SIM card %s is %s and cannot be swapped', o.iccid, o.status),
            DETAIL = public.simdesk_refusal_facts(o, NULL);
    END IF;
    IF EXISTS (SELECT 1 FROM public.sim_events e WHERE e.sim_id = o.id AND e.event_type = 'SWAPPED_OUT') THEN
        RAISE EXCEPTION USING ERRCODE = 'SD018',
            MESSAGE = format('SIM card %s was swapped out already; its number moved to another card', o.iccid),
            DETAIL = public.simdesk_refusal_facts(o, NULL);
    END IF;
    IF n.status = 'RESERVED' AND n.customer_id IS DISTINCT FROM o.customer_id THEN
        RAISE EXCEPTION USING ERRCODE = 'SD016', MESSAGE = format('SIM card %s is reserved for another customer', n.iccid),
            DETAIL = public.simdesk_refusal_facts(n, NULL);
    END IF;
    IF n.status NOT IN ('AVAILABLE', 'RESERVED') THEN
        RAISE EXCEPTION USING ERRCODE = 'SD017', MESSAGE = format('SIM card %s is %s and cannot take over', n.iccid, n.status),
            DETAIL = public.simdesk_refusal_facts(n, NULL);
    END IF;
    IF o.tariff_plan_id IS NOT NULL THEN
        SELECT name, sim_type, active INTO tp FROM public.tariff_plans WHERE id = o.tariff_plan_id;
        IF NOT tp.active THEN
            RAISE EXCEPTION USING ERRCODE = 'SD009', MESSAGE = format('tariff plan %s is no longer offered', tp.name),
                DETAIL = public.simdesk_refusal_facts(n, jsonb_build_object('tariff', tp.name, 'tariff_type', tp.sim_type));
        END IF;
        IF tp.sim_type IS NOT NULL AND tp.sim_type <> n.sim_type THEN
            RAISE EXCEPTION USING ERRCODE = 'SD010', MESSAGE = format('tariff plan %s does not fit SIM card %s', tp.name, n.iccid),
                DETAIL = public.simdesk_refusal_facts(n, jsonb_build_object('tariff', tp.name, 'tariff_type', tp.sim_type));
        END IF;
    END IF;

    -- Free the number first: MSISDNs are unique.
    UPDATE public.sim_cards SET status = p_old_end, msisdn = NULL WHERE id = o.id;
    UPDATE public.sim_cards SET status = 'ACTIVE', msisdn = o.msisdn, customer_id = o.customer_id,
                                tariff_plan_id = o.tariff_plan_id
    WHERE id = n.id;
    v_at := clock_timestamp();
    INSERT INTO public.sim_events (sim_id, event_type, old_status, new_status, customer_id, tariff_plan_id,
                                   swap_id, note, details, source, operation_id, created_by, created_at)
    VALUES (o.id, 'SWAPPED_OUT', o.status, p_old_end, o.customer_id, o.tariff_plan_id, v_swap, v_reason,
            jsonb_strip_nulls(jsonb_build_object('to_iccid', n.iccid, 'msisdn', o.msisdn)),
            p_source, v_swap, session_user, v_at),
           (n.id, 'SWAPPED_IN', n.status, 'ACTIVE', o.customer_id, o.tariff_plan_id, v_swap, v_reason,
            jsonb_strip_nulls(jsonb_build_object('from_iccid', o.iccid, 'msisdn', o.msisdn)),
            p_source, v_swap, session_user, v_at);
    RETURN v_swap;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Rules asked in one place. Whether a tariff plan may be chosen for a card of a type now: it is
-- offered, and made for that type or for any. The lists of plans to choose from ask this
-- function (TariffPlanRepository::listFitting), and tests/db/tst_constraints proves it gives
-- the same answer as activation and tariff changes.
CREATE FUNCTION public.simdesk_tariff_fits(p_plan public.tariff_plans, p_sim_type text)
RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT p_plan.active AND (p_plan.sim_type IS NULL OR p_plan.sim_type = p_sim_type)
$$;
REVOKE ALL ON FUNCTION public.simdesk_tariff_fits(public.tariff_plans, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.simdesk_tariff_fits(public.tariff_plans, text) TO simdesk_viewer;

-- Whether an activation code can still be used, as every screen shows it: a code past its expiry
-- is EXPIRED the moment it is past, whatever is stored (no job has to run for it).
CREATE FUNCTION public.simdesk_code_status(p_code public.activation_codes)
RETURNS text
LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
    SELECT CASE WHEN p_code.status = 'UNUSED' AND p_code.expires_at <= clock_timestamp()
                THEN 'EXPIRED' ELSE p_code.status END
$$;
REVOKE ALL ON FUNCTION public.simdesk_code_status(public.activation_codes) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.simdesk_code_status(public.activation_codes) TO simdesk_viewer;
