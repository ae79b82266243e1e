-- SPDX-License-Identifier: MIT
-- 011: hardening, second round. Tried as a hostile staff member with psql would (viewer, support
-- or admin login, nothing but the grants SimDesk gives), 010 still let an insider learn a PIN by
-- trying, write history out of order, hold locks nobody could break, make the dashboard's counts
-- drift and claim sources that only SimDesk's own paths should write. From here on:
--
--  * Secrets: nothing but the audited reveal says anything about a PIN or PUK. A SECRETS_CHANGED
--    event records which of the two the call set or cleared, never whether a value equals the
--    one before (that comparison was an oracle: 10,000 guesses in a rolled-back transaction).
--  * Time: the moment of an act is clock_timestamp() taken while the card is locked, not the
--    transaction's start (now()); code expiry and the reveal window are checked at that moment.
--    History order: a card's events in id order. Ids are drawn while the card's row is locked
--    (every function that writes a card's event locks the card first, FOR UPDATE to change it,
--    FOR SHARE to record a reveal), so for one card id order is the order in which the writers
--    held the card, which is their commit order, and the last event's new_status is the card's
--    status; created_at follows the same order for one card (taken under the same lock).
--  * A function that records a card's status reads it under a lock, so it records the status as
--    it is, or refuses (REPEATABLE READ: a row changed since the snapshot cannot be locked).
--  * Locks: no advisory lock (any login can compute its key and take it first). Staff changes,
--    imports of one file and the rollup maintenance serialise on rows of serial_locks, a table
--    no application role may read or lock. No table-level DELETE for any application role (it
--    also allowed LOCK TABLE … ACCESS EXCLUSIVE): customers, tariff plans, activation codes and
--    import profiles are deleted through functions. simdesk_sim_apply locks only the cards it
--    will change, after checking them. Idle transactions, lock waits and statements are bounded
--    by database-level defaults (below; a session may lower or raise its own).
--  * Rollups: compaction is the admins' (it returns 0 for anyone else) and excludes the owner's
--    rebuild; neither can interleave with the other.
--  * Sources: 'import' and 'system' are written only by SimDesk's own paths (the import, secret
--    changes, deletions); a caller may claim 'desktop', 'cli' or 'bulk', nothing else.
--  * Reasons: one rule, simdesk_reason(), the twin of validation::normalizeReason() in
--    core/domain/validation.cpp (tests/db/tst_constraints proves them equal): trimmed of every
--    Unicode space (and the invisible format characters people paste), empty means missing
--    (SD008), at most 500 characters (SD019).
--  * Customer numbers come from simdesk_next_customer_no(): C-000001 … C-999999, then C-1000000
--    and on (lpad never cuts), skipping numbers typed in by hand; support no longer has the
--    sequence itself.
--  * A swap moves a card's number once: a card that was swapped out cannot be swapped out again
--    (SD018).
--  * Staff logins made by simdesk_create_staff get a CONNECTION LIMIT (as do existing ones).
--  * Import profiles: a column whose name says it holds a secret (PIN, PUK, ADM, KI, OPC, …) may
--    only be mapped to PIN, PUK or nothing (SD023), the twin of CsvReader::checkMapping().
--
-- What only the server's configuration can close (large objects, passwordcheck, password
-- changes with ALTER ROLE outside SimDesk, temp_file_limit) is the server set-up of
-- docs/security.md and `simdesk-cli setup-server`.
--
-- New SQLSTATEs: SD018 swap: old card was swapped out already; SD019 reason too long;
-- SD023 import profile maps a secret column to a visible field.

-- ---------------------------------------------------------------------------------------------
-- Locks that only SimDesk's functions take. No application role has any privilege on the table,
-- so nobody can SELECT … FOR UPDATE a row of it, LOCK it, or even see it.
CREATE TABLE public.serial_locks (
    name text PRIMARY KEY
);
INSERT INTO public.serial_locks (name) VALUES ('staff'), ('stats');
REVOKE ALL ON public.serial_locks FROM PUBLIC;

-- ---------------------------------------------------------------------------------------------
-- Database-level defaults for every session of this database (SimDesk's logins, the owner, and
-- logins made outside SimDesk alike): a transaction left open ends after two idle minutes, a
-- lock wait after one minute (SQLSTATE 55P03, which SimDesk reports as "another session holds
-- this record"), a statement after ten minutes (the largest imports and bulk actions take well
-- under one). ALTER DATABASE rather than ALTER ROLE: settings of the group roles would not reach
-- their members, and per-login settings would miss logins created by hand. These are defaults,
-- not limits: any session may SET its own (PostgreSQL has no way to forbid it), so they bound
-- mistakes and crashed clients; a hostile login is ended by disabling it (docs/security.md).
-- The owner of the database may run ALTER DATABASE; anybody else migrating is told to have
-- `simdesk-cli setup-server` do it.
DO $$
BEGIN
    IF pg_has_role(session_user, (SELECT datdba FROM pg_catalog.pg_database
                                  WHERE datname = current_database()), 'MEMBER')
       OR current_setting('is_superuser') = 'on' THEN
        EXECUTE format('ALTER DATABASE %I SET idle_in_transaction_session_timeout = %L',
                       current_database(), '2min');
        EXECUTE format('ALTER DATABASE %I SET lock_timeout = %L', current_database(), '1min');
        EXECUTE format('ALTER DATABASE %I SET statement_timeout = %L', current_database(), '10min');
    ELSE
        RAISE WARNING 'the timeouts of docs/security.md were not set: only the database''s owner '
                      'may, run simdesk-cli setup-server as a superuser';
    END IF;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Time: the moment of an act.
ALTER TABLE public.sim_events ALTER COLUMN created_at SET DEFAULT clock_timestamp();
ALTER TABLE public.audit_log ALTER COLUMN changed_at SET DEFAULT clock_timestamp();

-- No SET clause, like 001's: it fires for every updated row, and names no table.
CREATE OR REPLACE FUNCTION public.simdesk_touch() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.version := OLD.version + 1;
    NEW.updated_at := clock_timestamp();
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION public.simdesk_check_transition() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_at timestamptz := clock_timestamp();
BEGIN
    IF NOT EXISTS (SELECT 1 FROM public.sim_transitions
                   WHERE from_status = OLD.status AND to_status = NEW.status) THEN
        RAISE EXCEPTION USING ERRCODE = 'SD001',
            MESSAGE = format('SIM card %s cannot go from %s to %s', OLD.iccid, OLD.status, NEW.status),
            HINT = 'Only the transitions of the sim_transitions table are allowed.';
    END IF;
    NEW.status_changed_at := v_at;
    IF NEW.status = 'ACTIVE' AND NEW.activated_at IS NULL THEN
        NEW.activated_at := v_at;
    ELSIF NEW.status = 'TERMINATED' THEN
        NEW.terminated_at := v_at;
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION public.simdesk_audit_row() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO public.audit_log (table_name, row_id, action, old_row, new_row, changed_by, changed_at)
    VALUES (TG_TABLE_NAME,
            CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END,
            TG_OP,
            CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END,
            CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END,
            session_user, clock_timestamp());
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION public.simdesk_card_deleted() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
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

CREATE OR REPLACE FUNCTION public.simdesk_import_profile_touch() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    NEW.updated_by := session_user;
    NEW.updated_at := clock_timestamp();
    RETURN NEW;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- The one reason rule. Trimmed at both ends of: the Unicode White_Space characters (tab, line
-- feed, vertical tab, form feed, carriage return, space, NEL, no-break space, Ogham space,
-- U+2000–U+200A, line and paragraph separators, narrow no-break, medium mathematical and
-- ideographic space) and the invisible format characters that arrive with pasted text
-- (Mongolian vowel separator, zero-width space, non-joiner and joiner, word joiner, byte order
-- mark). NULL when nothing is left; SD019 beyond 500 characters (code points). The list and the
-- limit are the same as kReasonSpaces and kMaxReasonLength in core/domain/validation.cpp.
CREATE FUNCTION public.simdesk_reason(p_reason text) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v text := btrim(p_reason,
        E'\u0009\u000A\u000B\u000C\u000D\u0020\u0085\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000\u180E\u200B\u200C\u200D\u2060\uFEFF');
BEGIN
    IF v IS NULL OR v = '' THEN
        RETURN NULL;
    END IF;
    IF char_length(v) > 500 THEN
        RAISE EXCEPTION USING ERRCODE = 'SD019',
            MESSAGE = format('a reason has at most 500 characters; this one has %s', char_length(v)),
            DETAIL = char_length(v)::text;
    END IF;
    RETURN v;
END
$$;

-- Sources a caller may claim. 'import' and 'system' are written by SimDesk's own paths only
-- (simdesk_import_commit/revert, simdesk_set_secrets, the deletion trigger's default).
CREATE OR REPLACE FUNCTION public.simdesk_check_source(p_source text) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF p_source IS NULL OR p_source NOT IN ('desktop', 'cli', 'bulk') THEN
        RAISE EXCEPTION USING ERRCODE = '22023',
            MESSAGE = format('"%s" is not a change source a caller may give; use desktop, cli or bulk '
                             '(import and system are set by SimDesk itself)', p_source);
    END IF;
    RETURN p_source;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Why an action cannot be applied to a card as it is (NULL: it can): the checks of 004's
-- simdesk_sim_apply, one place for the statements below. The card's own columns are arguments,
-- so that a row lock that re-reads a card changed meanwhile checks it again as it is then.
-- PL/pgSQL rather than SQL: a SQL function with subqueries is planned again in every statement
-- that calls it, which cost a single action milliseconds; PL/pgSQL keeps its plans for the
-- session. Not granted to anyone: only the definer functions call it, with their fixed search
-- path, so it has no SET clause of its own (which would cost a save and restore per card).
CREATE FUNCTION public.simdesk_card_refusal(p_action text, p_status text, p_version integer,
                                            p_customer_id bigint, p_tariff_plan_id bigint,
                                            p_sim_type text, p_expected_version integer,
                                            p_new_customer_id bigint, p_new_tariff_plan_id bigint,
                                            p_code_refusal text)
RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_plan record;
BEGIN
    IF p_status IS NULL THEN
        RETURN 'not_found';
    END IF;
    IF p_expected_version IS NOT NULL AND p_version <> p_expected_version THEN
        RETURN 'stale';
    END IF;
    IF p_action IN ('assign_customer', 'change_tariff') THEN
        IF p_status NOT IN ('RESERVED', 'ACTIVE', 'SUSPENDED') THEN
            RETURN 'transition';
        END IF;
    ELSIF p_action = 'unassign_customer' THEN
        IF p_status IN ('RESERVED', 'ACTIVE', 'SUSPENDED') THEN
            RETURN 'transition';
        END IF;
    ELSIF NOT EXISTS (SELECT 1 FROM public.sim_transitions t
                      WHERE t.from_status = p_status AND t.action = p_action) THEN
        RETURN 'transition';
    END IF;
    IF p_action = 'activate' AND coalesce(p_new_customer_id, p_customer_id) IS NULL THEN
        RETURN 'customer_required';
    END IF;
    IF p_action NOT IN ('activate', 'change_tariff') THEN
        RETURN NULL;
    END IF;
    SELECT tp.active, tp.sim_type INTO v_plan
    FROM public.tariff_plans tp WHERE tp.id = coalesce(p_new_tariff_plan_id, p_tariff_plan_id);
    IF NOT FOUND THEN
        RETURN CASE WHEN p_action = 'activate' THEN 'tariff_required' END;
    ELSIF NOT v_plan.active THEN
        RETURN 'tariff_inactive';
    ELSIF v_plan.sim_type IS NOT NULL AND v_plan.sim_type <> p_sim_type THEN
        RETURN 'tariff_type';
    END IF;
    RETURN CASE WHEN p_action = 'activate' THEN p_code_refusal END;
END
$$;

-- What a refusal's outcome row names (004): the status for 'transition', the version seen for
-- 'stale', the tariff's name, the code.
CREATE FUNCTION public.simdesk_refusal_detail(p_refusal text, p_status text, p_version integer,
                                              p_tariff_name text, p_code text)
RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE p_refusal
        WHEN 'transition' THEN p_status
        WHEN 'stale' THEN p_version::text
        WHEN 'tariff_inactive' THEN p_tariff_name
        WHEN 'tariff_type' THEN p_tariff_name
        WHEN 'code_unknown' THEN p_code WHEN 'code_used' THEN p_code WHEN 'code_expired' THEN p_code
    END
$$;

-- Lifecycle actions (004), with checks before locks. The first statement judges every card from
-- its snapshot and locks only those the action will change — at the version the caller saw (when
-- given), in a status the action allows, with what it requires — in id order (two bulk actions
-- over overlapping sets cannot deadlock). A card that changed meanwhile is checked again as it is
-- then (the lock re-reads it): still possible, it is locked; no longer, it is left alone. So a
-- caller holds no lock on a card it names with an impossible version, action or requirement,
-- and a refused card is refused as the database saw it (LifecycleService explains that). The
-- second statement changes the locked cards, which can no longer change under it. An activation
-- code is locked after its card, and only when the card can use it.
CREATE OR REPLACE FUNCTION public.simdesk_sim_apply(p_ids bigint[], p_action text, p_versions integer[],
                                                    p_customer_id bigint, p_tariff_plan_id bigint,
                                                    p_activation_code text, p_reason text, p_source text)
RETURNS TABLE (sim_id bigint, outcome text, detail text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_operation uuid := gen_random_uuid();
    v_reason text;
    v_code text := nullif(upper(btrim(p_activation_code)), '');
    v_code_id bigint;
    v_code_refusal text;
    v_code_row record;
    v_card_can_use_code boolean;
    v_event text;
    v_locked bigint[];
    v_refused bigint[];
    v_refusals text[];
    v_details text[];
BEGIN
    PERFORM public.simdesk_require_role('support');
    PERFORM public.simdesk_check_source(p_source);
    v_reason := public.simdesk_reason(p_reason);
    v_event := CASE p_action
        WHEN 'reserve' THEN 'RESERVED' WHEN 'release' THEN 'RELEASED' WHEN 'activate' THEN 'ACTIVATED'
        WHEN 'suspend' THEN 'SUSPENDED' WHEN 'resume' THEN 'RESUMED'
        WHEN 'report_lost_stolen' THEN 'LOST_REPORTED' WHEN 'terminate' THEN 'TERMINATED'
        WHEN 'assign_customer' THEN 'ASSIGNED' WHEN 'unassign_customer' THEN 'UNASSIGNED'
        WHEN 'change_tariff' THEN 'TARIFF_CHANGED' END;
    IF v_event IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('"%s" is not a SIM card action', p_action);
    END IF;
    IF p_ids IS NULL OR cardinality(p_ids) = 0 THEN
        RETURN;
    END IF;
    IF p_versions IS NOT NULL AND cardinality(p_versions) <> cardinality(p_ids) THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'give one expected version per card, or none';
    END IF;
    IF p_action IN ('suspend', 'report_lost_stolen', 'terminate') AND v_reason IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'SD008', MESSAGE = format('%s needs a reason', p_action);
    END IF;
    IF p_action IN ('reserve', 'assign_customer') AND p_customer_id IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'SD006', MESSAGE = format('%s needs a customer', p_action);
    END IF;
    IF p_action = 'change_tariff' AND p_tariff_plan_id IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'SD007', MESSAGE = 'change_tariff needs a tariff plan';
    END IF;
    IF p_customer_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM public.customers WHERE id = p_customer_id) THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = format('there is no customer with id %s', p_customer_id);
    END IF;
    IF p_tariff_plan_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM public.tariff_plans WHERE id = p_tariff_plan_id) THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = format('there is no tariff plan with id %s', p_tariff_plan_id);
    END IF;
    IF v_code IS NOT NULL THEN
        IF p_action <> 'activate' OR cardinality(p_ids) <> 1 THEN
            RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'an activation code activates exactly one card';
        END IF;
        -- The card first, and only when the code is all it still lacks; then the code, locked
        -- only for such a card.
        PERFORM 1 FROM public.sim_cards c
        WHERE c.id = p_ids[1]
          AND public.simdesk_card_refusal(p_action, c.status, c.version, c.customer_id, c.tariff_plan_id,
                                          c.sim_type, p_versions[1], p_customer_id, p_tariff_plan_id,
                                          NULL) IS NULL
        FOR UPDATE OF c;
        v_card_can_use_code := FOUND;
        IF v_card_can_use_code THEN
            SELECT a.id, a.status, a.expires_at <= clock_timestamp() AS overdue INTO v_code_row
            FROM public.activation_codes a WHERE a.code = v_code FOR UPDATE;
        ELSE
            SELECT a.id, a.status, a.expires_at <= clock_timestamp() AS overdue INTO v_code_row
            FROM public.activation_codes a WHERE a.code = v_code;
        END IF;
        IF NOT FOUND THEN
            v_code_refusal := 'code_unknown';
        ELSIF v_code_row.status = 'USED' THEN
            v_code_refusal := 'code_used';
        ELSIF v_code_row.status = 'EXPIRED' OR v_code_row.overdue THEN
            v_code_refusal := 'code_expired';
        ELSE
            v_code_id := v_code_row.id;
        END IF;
    END IF;

    WITH req AS (
        SELECT DISTINCT ON (u.id) u.id, u.ord FROM unnest(p_ids) WITH ORDINALITY AS u(id, ord) ORDER BY u.id, u.ord
    ),
    pre AS (
        SELECT r.id, r.ord, c.status, c.version, tp.name AS tariff_name,
               public.simdesk_card_refusal(p_action, c.status, c.version, c.customer_id, c.tariff_plan_id,
                                           c.sim_type, p_versions[r.ord], p_customer_id, p_tariff_plan_id,
                                           v_code_refusal) AS refusal
        FROM req r
        LEFT JOIN public.sim_cards c ON c.id = r.id
        LEFT JOIN public.tariff_plans tp
               ON p_action IN ('activate', 'change_tariff')
              AND tp.id = coalesce(p_tariff_plan_id, c.tariff_plan_id)
    ),
    locked AS (
        SELECT c.id FROM public.sim_cards c JOIN pre p ON p.id = c.id
        WHERE p.refusal IS NULL
          AND (c.version = p.version
               OR public.simdesk_card_refusal(p_action, c.status, c.version, c.customer_id,
                                              c.tariff_plan_id, c.sim_type, p_versions[p.ord],
                                              p_customer_id, p_tariff_plan_id, v_code_refusal) IS NULL)
        ORDER BY c.id
        FOR UPDATE OF c
    )
    SELECT (SELECT coalesce(array_agg(l.id), '{}') FROM locked l),
           coalesce(array_agg(p.id) FILTER (WHERE p.refusal IS NOT NULL), '{}'),
           coalesce(array_agg(p.refusal) FILTER (WHERE p.refusal IS NOT NULL), '{}'),
           coalesce(array_agg(public.simdesk_refusal_detail(p.refusal, p.status, p.version, p.tariff_name,
                                                            v_code))
                    FILTER (WHERE p.refusal IS NOT NULL), '{}')
    INTO v_locked, v_refused, v_refusals, v_details
    FROM pre p;

    RETURN QUERY
    WITH req AS (
        SELECT DISTINCT ON (u.id) u.id, u.ord FROM unnest(p_ids) WITH ORDINALITY AS u(id, ord) ORDER BY u.id, u.ord
    ),
    judged AS (
        SELECT r.id AS card_id, r.ord, c.status AS old_status, c.version, c.customer_id, c.tariff_plan_id,
               c.msisdn, t.to_status, tp.name AS tariff_name, l.id IS NOT NULL AS locked,
               pr.refusal AS refused, pr.detail AS refused_detail,
               -- Possible when judged, no longer when locked: refused as it is now; possible
               -- again by now (changed twice meanwhile): stale.
               CASE WHEN l.id IS NULL AND pr.id IS NULL THEN
                   coalesce(public.simdesk_card_refusal(p_action, c.status, c.version, c.customer_id,
                                                        c.tariff_plan_id, c.sim_type, p_versions[r.ord],
                                                        p_customer_id, p_tariff_plan_id, v_code_refusal),
                            'stale')
               END AS late_refusal
        FROM req r
        LEFT JOIN public.sim_cards c ON c.id = r.id
        LEFT JOIN unnest(v_locked) AS l(id) ON l.id = r.id
        LEFT JOIN unnest(v_refused, v_refusals, v_details) AS pr(id, refusal, detail) ON pr.id = r.id
        LEFT JOIN public.sim_transitions t ON t.from_status = c.status AND t.action = p_action
        LEFT JOIN public.tariff_plans tp
               ON p_action IN ('activate', 'change_tariff')
              AND tp.id = coalesce(p_tariff_plan_id, c.tariff_plan_id)
    ),
    changed AS (
        UPDATE public.sim_cards c SET
            status = coalesce(j.to_status, c.status),
            customer_id = CASE
                WHEN p_action IN ('reserve', 'assign_customer') THEN p_customer_id
                WHEN p_action = 'activate' THEN coalesce(p_customer_id, c.customer_id)
                WHEN p_action IN ('release', 'unassign_customer') THEN NULL
                ELSE c.customer_id END,
            tariff_plan_id = CASE
                WHEN p_action IN ('activate', 'change_tariff') THEN coalesce(p_tariff_plan_id, c.tariff_plan_id)
                ELSE c.tariff_plan_id END,
            activation_code_id = CASE
                WHEN p_action = 'activate' AND v_code_id IS NOT NULL THEN v_code_id
                ELSE c.activation_code_id END,
            msisdn = CASE WHEN p_action = 'terminate' THEN NULL ELSE c.msisdn END
        FROM judged j
        WHERE c.id = j.card_id AND j.locked
        RETURNING c.id, c.status, c.customer_id, c.tariff_plan_id
    ),
    code_used AS (
        UPDATE public.activation_codes a SET status = 'USED', used_at = clock_timestamp()
        WHERE a.id = v_code_id AND EXISTS (SELECT 1 FROM changed)
    ),
    events AS (
        INSERT INTO public.sim_events (sim_id, event_type, old_status, new_status, customer_id,
                                       tariff_plan_id, note, details, source, operation_id,
                                       created_by, created_at)
        SELECT ch.id, v_event, j.old_status, ch.status, ch.customer_id, ch.tariff_plan_id, v_reason,
               nullif(jsonb_strip_nulls(jsonb_build_object(
                   'released_msisdn', CASE WHEN p_action = 'terminate' THEN j.msisdn END,
                   'activation_code', CASE WHEN p_action = 'activate' AND v_code_id IS NOT NULL THEN v_code END,
                   'previous_customer_id', CASE WHEN p_action IN ('assign_customer', 'unassign_customer')
                                                THEN j.customer_id END,
                   'previous_tariff_plan_id', CASE WHEN p_action = 'change_tariff' THEN j.tariff_plan_id END)),
                   '{}'::jsonb),
               p_source, v_operation, session_user, clock_timestamp()
        FROM changed ch JOIN judged j ON j.card_id = ch.id
    )
    SELECT j.card_id, coalesce(j.refused, j.late_refusal, 'done'),
           CASE WHEN j.refused IS NOT NULL THEN j.refused_detail
                ELSE public.simdesk_refusal_detail(j.late_refusal, j.old_status, j.version, j.tariff_name, v_code)
           END
    FROM judged j
    ORDER BY j.ord;
END
$$;

-- A swap (004) with the reason rule, the moment of the act, and one more precondition: a card
-- whose number was swapped out already (it may then be LOST_STOLEN, still swappable by status)
-- cannot be swapped out again, which gave its customer a second new ACTIVE card.
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
        RAISE EXCEPTION USING ERRCODE = 'SD008', MESSAGE = 'a swap needs a reason';
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
        RAISE EXCEPTION USING ERRCODE = 'SD015', MESSAGE = format('SIM card %s is %s and cannot be swapped', o.iccid, o.status);
    END IF;
    IF EXISTS (SELECT 1 FROM public.sim_events e WHERE e.sim_id = o.id AND e.event_type = 'SWAPPED_OUT') THEN
        RAISE EXCEPTION USING ERRCODE = 'SD018',
            MESSAGE = format('SIM card %s was swapped out already; its number moved to another card', o.iccid),
            DETAIL = o.iccid;
    END IF;
    IF n.status = 'RESERVED' AND n.customer_id IS DISTINCT FROM o.customer_id THEN
        RAISE EXCEPTION USING ERRCODE = 'SD016', MESSAGE = format('SIM card %s is reserved for another customer', n.iccid);
    END IF;
    IF n.status NOT IN ('AVAILABLE', 'RESERVED') THEN
        RAISE EXCEPTION USING ERRCODE = 'SD017', MESSAGE = format('SIM card %s is %s and cannot take over', n.iccid, n.status);
    END IF;
    IF o.tariff_plan_id IS NOT NULL THEN
        SELECT name, sim_type, active INTO tp FROM public.tariff_plans WHERE id = o.tariff_plan_id;
        IF NOT tp.active THEN
            RAISE EXCEPTION USING ERRCODE = 'SD009', MESSAGE = format('tariff plan %s is no longer offered', tp.name), DETAIL = tp.name;
        END IF;
        IF tp.sim_type IS NOT NULL AND tp.sim_type <> n.sim_type THEN
            RAISE EXCEPTION USING ERRCODE = 'SD010', MESSAGE = format('tariff plan %s does not fit SIM card %s', tp.name, n.iccid), DETAIL = tp.name;
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
-- Card inventory (004): the moment of the act.
CREATE OR REPLACE FUNCTION public.simdesk_sim_create(p_iccid text, p_msisdn text, p_imsi text, p_sim_type text,
                                                     p_pin text, p_puk text, p_source text)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_id bigint;
    v_secrets boolean := nullif(p_pin, '') IS NOT NULL OR nullif(p_puk, '') IS NOT NULL;
BEGIN
    PERFORM public.simdesk_require_role('admin');
    PERFORM public.simdesk_check_source(p_source);
    INSERT INTO public.sim_cards (iccid, msisdn, imsi, sim_type)
    VALUES (p_iccid, nullif(p_msisdn, ''), nullif(p_imsi, ''), p_sim_type)
    RETURNING id INTO v_id;
    IF v_secrets THEN
        INSERT INTO public.sim_secrets (sim_id, pin, puk) VALUES (v_id, nullif(p_pin, ''), nullif(p_puk, ''));
    END IF;
    INSERT INTO public.sim_events (sim_id, event_type, new_status, details, source, created_by, created_at)
    VALUES (v_id, 'CREATED', 'AVAILABLE', CASE WHEN v_secrets THEN jsonb_build_object('secrets', true) END,
            p_source, session_user, clock_timestamp());
    RETURN v_id;
END
$$;

CREATE OR REPLACE FUNCTION public.simdesk_sim_edit(p_id bigint, p_version integer, p_iccid text, p_msisdn text,
                                                   p_imsi text, p_sim_type text, p_source text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    c public.sim_cards;
    v_changes jsonb := '{}'::jsonb;
BEGIN
    PERFORM public.simdesk_require_role('admin');
    PERFORM public.simdesk_check_source(p_source);
    c := public.simdesk_lock_card(p_id, p_version);
    p_msisdn := nullif(p_msisdn, '');
    p_imsi := nullif(p_imsi, '');
    IF c.iccid IS DISTINCT FROM p_iccid THEN
        v_changes := v_changes || jsonb_build_object('iccid', jsonb_build_object('old', c.iccid, 'new', p_iccid));
    END IF;
    IF c.msisdn IS DISTINCT FROM p_msisdn THEN
        v_changes := v_changes || jsonb_build_object('msisdn', jsonb_build_object('old', c.msisdn, 'new', p_msisdn));
    END IF;
    IF c.imsi IS DISTINCT FROM p_imsi THEN
        v_changes := v_changes || jsonb_build_object('imsi', jsonb_build_object('old', c.imsi, 'new', p_imsi));
    END IF;
    IF c.sim_type IS DISTINCT FROM p_sim_type THEN
        v_changes := v_changes || jsonb_build_object('sim_type', jsonb_build_object('old', c.sim_type, 'new', p_sim_type));
    END IF;
    IF v_changes = '{}'::jsonb THEN
        RETURN; -- nothing to change, nothing to record
    END IF;
    UPDATE public.sim_cards SET iccid = p_iccid, msisdn = p_msisdn, imsi = p_imsi, sim_type = p_sim_type
    WHERE id = p_id;
    INSERT INTO public.sim_events (sim_id, event_type, old_status, new_status, customer_id, tariff_plan_id,
                                   details, source, created_by, created_at)
    VALUES (p_id, 'EDITED', c.status, c.status, c.customer_id, c.tariff_plan_id, v_changes, p_source,
            session_user, clock_timestamp());
END
$$;

CREATE OR REPLACE FUNCTION public.simdesk_sim_delete(p_id bigint, p_version integer, p_reason text, p_source text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    c public.sim_cards;
    v_reason text;
BEGIN
    PERFORM public.simdesk_require_role('admin');
    PERFORM public.simdesk_check_source(p_source);
    v_reason := public.simdesk_reason(p_reason);
    c := public.simdesk_lock_card(p_id, p_version);
    PERFORM set_config('simdesk.delete_event', 'DELETED', true);
    PERFORM set_config('simdesk.delete_note', coalesce(v_reason, ''), true);
    PERFORM set_config('simdesk.delete_source', p_source, true);
    DELETE FROM public.sim_cards WHERE id = p_id; -- the trigger checks "unused" (SD004) and writes DELETED
    PERFORM set_config('simdesk.delete_event', '', true);
    PERFORM set_config('simdesk.delete_note', '', true);
    PERFORM set_config('simdesk.delete_source', '', true);
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Secrets. The request records the card's status as it is: read under a share lock, which waits
-- for a change in flight and, in a REPEATABLE READ snapshot that is out of date, refuses
-- (40001) instead of recording a status the card no longer has. The read (a) checks the minute
-- at the moment of the read, not at its transaction's start, and (b) refuses when PIN or PUK
-- were changed after the request, so that the values it returns are never newer than the
-- SECRET_REVEALED event that records their reveal.
ALTER TABLE public.secret_reveals ADD COLUMN event_id bigint;

CREATE OR REPLACE FUNCTION public.simdesk_request_reveal(p_sim_id bigint, p_reason text, p_source text)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_token uuid := gen_random_uuid();
    v_reason text;
    v_status text;
    v_event bigint;
    v_at timestamptz;
BEGIN
    PERFORM public.simdesk_require_role('support');
    PERFORM public.simdesk_check_source(p_source);
    v_reason := public.simdesk_reason(p_reason);
    IF v_reason IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'SD008', MESSAGE = 'revealing PIN and PUK needs a reason';
    END IF;
    SELECT status INTO v_status FROM public.sim_cards WHERE id = p_sim_id FOR SHARE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = format('there is no SIM card with id %s', p_sim_id);
    END IF;
    v_at := clock_timestamp();
    INSERT INTO public.sim_events (sim_id, event_type, old_status, new_status, note, source, created_by, created_at)
    VALUES (p_sim_id, 'SECRET_REVEALED', v_status, v_status, v_reason, p_source, session_user, v_at)
    RETURNING id INTO v_event;
    INSERT INTO public.secret_reveals (token, sim_id, login, requested_at, event_id)
    VALUES (v_token, p_sim_id, session_user, v_at, v_event);
    RETURN v_token;
END
$$;

CREATE OR REPLACE FUNCTION public.simdesk_read_revealed(p_token uuid)
RETURNS TABLE (pin text, puk text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_reveal record;
BEGIN
    PERFORM public.simdesk_require_role('support');
    -- A transaction that has written anything (the request among it) cannot read: the request
    -- must have been committed before, so rolling this one back leaves the record in place.
    IF txid_current_if_assigned() IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'SD030',
            MESSAGE = 'PIN and PUK are read in a transaction of their own, after the reveal request is committed';
    END IF;
    SELECT r.sim_id, r.event_id INTO v_reveal FROM public.secret_reveals r
    WHERE r.token = p_token AND r.login = session_user AND r.read_at IS NULL
      AND r.requested_at > clock_timestamp() - interval '60 seconds'
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'SD030',
            MESSAGE = 'this reveal request is unknown, not yours, already used or older than a minute';
    END IF;
    -- The secrets as they are, under a lock that keeps a change in flight out until this ends.
    PERFORM 1 FROM public.sim_secrets s WHERE s.sim_id = v_reveal.sim_id FOR SHARE;
    IF EXISTS (SELECT 1 FROM public.sim_events e
               WHERE e.sim_id = v_reveal.sim_id AND e.event_type = 'SECRETS_CHANGED'
                 AND e.id > coalesce(v_reveal.event_id, 0)) THEN
        RAISE EXCEPTION USING ERRCODE = 'SD030',
            MESSAGE = 'PIN or PUK were changed after this reveal request; request the reveal again';
    END IF;
    UPDATE public.secret_reveals SET read_at = clock_timestamp() WHERE token = p_token;
    RETURN QUERY SELECT s.pin::text, s.puk::text FROM public.sim_secrets s WHERE s.sim_id = v_reveal.sim_id;
END
$$;

-- Which of PIN and PUK this call set ('set') or cleared ('cleared'), never whether a value is the
-- one the card had: that comparison told an admin, in a transaction rolled back afterwards,
-- whether a guessed PIN was right.
CREATE OR REPLACE FUNCTION public.simdesk_set_secrets(p_sim_id bigint, p_pin text, p_puk text, p_reason text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_status text;
    v_reason text;
BEGIN
    PERFORM public.simdesk_require_role('admin');
    v_reason := public.simdesk_reason(p_reason);
    IF v_reason IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'SD008', MESSAGE = 'changing PIN and PUK needs a reason';
    END IF;
    SELECT status INTO v_status FROM public.sim_cards WHERE id = p_sim_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = format('there is no SIM card with id %s', p_sim_id);
    END IF;
    INSERT INTO public.sim_secrets (sim_id, pin, puk) VALUES (p_sim_id, nullif(p_pin, ''), nullif(p_puk, ''))
    ON CONFLICT (sim_id) DO UPDATE SET pin = EXCLUDED.pin, puk = EXCLUDED.puk;
    INSERT INTO public.sim_events (sim_id, event_type, old_status, new_status, note, details, source,
                                   created_by, created_at)
    VALUES (p_sim_id, 'SECRETS_CHANGED', v_status, v_status, v_reason,
            jsonb_build_object('pin', CASE WHEN nullif(p_pin, '') IS NULL THEN 'cleared' ELSE 'set' END,
                               'puk', CASE WHEN nullif(p_puk, '') IS NULL THEN 'cleared' ELSE 'set' END),
            'system', session_user, clock_timestamp());
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Activation codes (004): closed and expired at the moment of the act.
CREATE OR REPLACE FUNCTION public.simdesk_close_code(p_code text, p_status text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    c record;
BEGIN
    PERFORM public.simdesk_require_role('support');
    IF p_status IS NULL OR p_status NOT IN ('USED', 'EXPIRED') THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'a code is closed as USED or EXPIRED';
    END IF;
    SELECT id, status, expires_at <= clock_timestamp() AS overdue INTO c
    FROM public.activation_codes WHERE code = upper(btrim(p_code)) FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'SD011', MESSAGE = format('there is no activation code %s', p_code);
    END IF;
    IF c.status = 'USED' THEN
        RAISE EXCEPTION USING ERRCODE = 'SD012', MESSAGE = format('activation code %s is used already', p_code);
    END IF;
    IF (c.status = 'EXPIRED' OR c.overdue) AND p_status = 'USED' THEN
        RAISE EXCEPTION USING ERRCODE = 'SD013', MESSAGE = format('activation code %s has expired', p_code);
    END IF;
    UPDATE public.activation_codes
    SET status = p_status, used_at = CASE WHEN p_status = 'USED' THEN clock_timestamp() END
    WHERE id = c.id AND status <> p_status;
END
$$;

CREATE OR REPLACE FUNCTION public.simdesk_expire_overdue_codes() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    n integer;
BEGIN
    PERFORM public.simdesk_require_role('support');
    UPDATE public.activation_codes SET status = 'EXPIRED'
    WHERE status = 'UNUSED' AND expires_at <= clock_timestamp();
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Imports. Two imports of the same file serialise on a row of serial_locks named after its
-- checksum (made on first use), not on an advisory key that any login could take first.
CREATE FUNCTION public.simdesk_import_lock(p_checksum text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM public.simdesk_require_role('admin');
    IF p_checksum IS NULL OR p_checksum !~ '^[0-9a-f]{64}$' THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'an import checksum is 64 lower-case hex digits (SHA-256)';
    END IF;
    INSERT INTO public.serial_locks (name) VALUES ('import:' || p_checksum) ON CONFLICT DO NOTHING;
    PERFORM 1 FROM public.serial_locks WHERE name = 'import:' || p_checksum FOR UPDATE;
END
$$;

CREATE OR REPLACE FUNCTION public.simdesk_import_commit(p_file_name text, p_checksum text, p_format text,
                                                        p_total_rows integer, p_force boolean,
                                                        p_iccids text[], p_msisdns text[], p_imsis text[],
                                                        p_types text[], p_pins text[], p_puks text[])
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_batch bigint;
    v_rows integer := coalesce(cardinality(p_iccids), 0);
    v_earlier record;
    v_at timestamptz;
BEGIN
    PERFORM public.simdesk_require_role('admin');
    -- Two admins importing the same file at once: the second waits here, then is refused.
    PERFORM public.simdesk_import_lock(p_checksum);
    IF NOT coalesce(p_force, false) THEN
        SELECT id, created_at INTO v_earlier FROM public.import_batches
        WHERE checksum = p_checksum AND status = 'COMMITTED' ORDER BY id DESC LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION USING ERRCODE = 'SD020',
                MESSAGE = format('this file was imported already, as batch %s', v_earlier.id),
                DETAIL = v_earlier.id::text;
        END IF;
    END IF;
    IF cardinality(p_msisdns) <> v_rows OR cardinality(p_imsis) <> v_rows OR cardinality(p_types) <> v_rows
       OR cardinality(p_pins) <> v_rows OR cardinality(p_puks) <> v_rows THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'every column of the import needs one value per row';
    END IF;
    v_at := clock_timestamp();
    INSERT INTO public.import_batches (file_name, checksum, format, total_rows, created_count, skipped_count,
                                       created_by, created_at)
    VALUES (p_file_name, p_checksum, p_format, p_total_rows, v_rows, greatest(p_total_rows - v_rows, 0),
            session_user, v_at)
    RETURNING id INTO v_batch;

    -- Three statements, each reading a real table where it joins (004 says why).
    INSERT INTO public.sim_cards (iccid, msisdn, imsi, sim_type, import_batch_id)
    SELECT r.iccid, r.msisdn, r.imsi, r.sim_type, v_batch
    FROM unnest(p_iccids, p_msisdns, p_imsis, p_types) WITH ORDINALITY AS r(iccid, msisdn, imsi, sim_type, ord)
    ORDER BY r.ord;
    INSERT INTO public.sim_secrets (sim_id, pin, puk)
    SELECT c.id, r.pin, r.puk
    FROM unnest(p_iccids, p_pins, p_puks) AS r(iccid, pin, puk)
    JOIN public.sim_cards c ON c.iccid = r.iccid
    WHERE r.pin IS NOT NULL OR r.puk IS NOT NULL;
    INSERT INTO public.sim_events (sim_id, event_type, new_status, import_batch_id, source, created_by, created_at)
    SELECT c.id, 'IMPORTED', 'AVAILABLE', v_batch, 'import', session_user, v_at
    FROM public.sim_cards c WHERE c.import_batch_id = v_batch ORDER BY c.id;
    RETURN v_batch;
END
$$;

CREATE OR REPLACE FUNCTION public.simdesk_import_revert(p_batch_id bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
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
    SELECT count(*) FILTER (WHERE NOT public.simdesk_card_unused(id, status, customer_id, activation_code_id)),
           count(*)
    INTO v_used, v_cards
    FROM public.sim_cards WHERE import_batch_id = p_batch_id;
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

-- 010's "this transaction" check compared the batch's created_at with now(); the batch now
-- carries the moment of the commit, which is never before its transaction's start (and an old
-- frozen row's is long before it).
CREATE OR REPLACE FUNCTION public.simdesk_import_record_problems(p_batch_id bigint, p_lines bigint[],
                                                                 p_columns text[], p_codes text[],
                                                                 p_messages text[])
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_rows integer := coalesce(cardinality(p_lines), 0);
    v_batch record;
    v_stored integer;
BEGIN
    PERFORM public.simdesk_require_role('admin');
    IF coalesce(cardinality(p_columns), 0) <> v_rows OR coalesce(cardinality(p_codes), 0) <> v_rows
       OR coalesce(cardinality(p_messages), 0) <> v_rows THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'every column of the problems needs one value per problem';
    END IF;
    SELECT b.status, b.created_by, b.created_at, b.xmin INTO v_batch
    FROM public.import_batches b WHERE b.id = p_batch_id FOR KEY SHARE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = format('import batch %s does not exist', p_batch_id);
    END IF;
    IF v_batch.status <> 'COMMITTED' THEN
        RAISE EXCEPTION USING ERRCODE = 'SD021', MESSAGE = format('import batch %s was reverted', p_batch_id);
    END IF;
    IF v_batch.created_by <> session_user OR v_batch.created_at < now()
       OR v_batch.xmin <> pg_current_xact_id()::xid THEN
        RAISE EXCEPTION USING ERRCODE = '42501',
            MESSAGE = format('permission denied: the problems of import batch %s can only be recorded '
                             'by the transaction that committed it', p_batch_id);
    END IF;
    SELECT count(*) INTO v_stored FROM public.import_batch_problems WHERE batch_id = p_batch_id;
    INSERT INTO public.import_batch_problems (batch_id, line, "column", code, message)
    SELECT p_batch_id, greatest(coalesce(p.line, 0), 0), coalesce(p.col, ''), coalesce(p.code, ''),
           coalesce(p.message, '')
    FROM unnest(p_lines, p_columns, p_codes, p_messages) WITH ORDINALITY AS p(line, col, code, message, n)
    ORDER BY p.n
    LIMIT greatest(100000 - v_stored, 0);
    GET DIAGNOSTICS v_stored = ROW_COUNT;
    RETURN v_stored;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Staff (004): serialised on the 'staff' row of serial_locks; the moment of each audited act;
-- every login SimDesk makes has a connection limit, so one login cannot use up the server's
-- connections (30: a workstation holds a handful, a person rarely has more than two open).
CREATE OR REPLACE FUNCTION public.simdesk_lock_staff() RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM 1 FROM public.serial_locks WHERE name = 'staff' FOR UPDATE;
END
$$;

CREATE OR REPLACE FUNCTION public.simdesk_create_staff(p_login text, p_password_verifier text, p_email text,
                                                       p_display_name text, p_role text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    new_id bigint;
BEGIN
    PERFORM public.simdesk_require_role('admin');
    PERFORM public.simdesk_check_staff_role(p_role);
    IF p_login IS NULL OR NOT public.simdesk_valid_login(p_login) THEN
        RAISE EXCEPTION USING ERRCODE = '22023',
            MESSAGE = format('"%s" is not a valid login name', p_login),
            HINT = 'Use lower-case letters, digits, dot, dash and underscore, starting with a letter.';
    END IF;
    PERFORM public.simdesk_check_verifier(p_password_verifier);
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = p_login) THEN
        RAISE EXCEPTION USING ERRCODE = '42710', MESSAGE = format('a login named "%s" already exists', p_login);
    END IF;
    -- The statement text holds the verifier: a failure must not carry it into an error context
    -- (and so into the server log).
    BEGIN
        EXECUTE format('CREATE ROLE %I LOGIN CONNECTION LIMIT 30 PASSWORD %L IN ROLE %I',
                       p_login, p_password_verifier, 'simdesk_' || p_role);
    EXCEPTION WHEN OTHERS THEN
        RAISE EXCEPTION USING ERRCODE = SQLSTATE, MESSAGE = format('could not create login "%s"', p_login);
    END;
    INSERT INTO public.staff (login, email, display_name, role)
    VALUES (p_login, p_email, p_display_name, p_role)
    ON CONFLICT (login) DO UPDATE
        SET email = EXCLUDED.email, display_name = EXCLUDED.display_name, role = EXCLUDED.role, active = true
    RETURNING id INTO new_id;
    RETURN new_id;
END
$$;

-- Logins SimDesk made before this migration get the same limit (those with one keep theirs).
DO $$
DECLARE
    v_login text;
BEGIN
    FOR v_login IN SELECT r.rolname FROM public.staff s
                   JOIN pg_catalog.pg_roles r ON r.rolname = s.login
                   WHERE r.rolcanlogin AND r.rolconnlimit = -1 AND NOT r.rolsuper LOOP
        EXECUTE format('ALTER ROLE %I CONNECTION LIMIT 30', v_login);
    END LOOP;
END
$$;

CREATE OR REPLACE FUNCTION public.simdesk_set_staff_active(p_login text, p_active boolean) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_role text;
    v_pid integer;
    v_ended integer := 0;
BEGIN
    PERFORM public.simdesk_require_role('admin');
    PERFORM public.simdesk_lock_staff();
    IF p_login = session_user AND NOT p_active THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'you cannot disable your own login';
    END IF;
    SELECT role INTO v_role FROM public.staff WHERE login = p_login FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = format('there is no staff member "%s"', p_login);
    END IF;
    IF v_role = 'admin' AND NOT p_active THEN
        PERFORM public.simdesk_require_other_admin(p_login);
    END IF;
    UPDATE public.staff SET active = p_active WHERE login = p_login;
    EXECUTE format('ALTER ROLE %I %s', p_login, CASE WHEN p_active THEN 'LOGIN' ELSE 'NOLOGIN' END);
    IF NOT p_active THEN
        -- A loop, not one SELECT with pg_terminate_backend in its WHERE (004 says why).
        FOR v_pid IN SELECT a.pid FROM pg_catalog.pg_stat_activity a
                     WHERE a.usename = p_login AND a.pid <> pg_backend_pid() LOOP
            IF pg_terminate_backend(v_pid) THEN
                v_ended := v_ended + 1;
            END IF;
        END LOOP;
        INSERT INTO public.audit_log (table_name, row_id, action, new_row, changed_by, changed_at)
        SELECT 'staff', s.id, 'SESSIONS_ENDED', jsonb_build_object('login', p_login, 'sessions', v_ended),
               session_user, clock_timestamp()
        FROM public.staff s WHERE s.login = p_login;
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION public.simdesk_set_staff_password(p_login text, p_password_verifier text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_id bigint;
BEGIN
    IF p_login IS DISTINCT FROM session_user THEN
        PERFORM public.simdesk_require_role('admin');
    END IF;
    SELECT id INTO v_id FROM public.staff WHERE login = p_login;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = format('there is no staff member "%s"', p_login);
    END IF;
    PERFORM public.simdesk_check_verifier(p_password_verifier);
    BEGIN
        EXECUTE format('ALTER ROLE %I PASSWORD %L', p_login, p_password_verifier);
    EXCEPTION WHEN OTHERS THEN
        RAISE EXCEPTION USING ERRCODE = SQLSTATE, MESSAGE = format('could not set the password of "%s"', p_login);
    END;
    INSERT INTO public.audit_log (table_name, row_id, action, new_row, changed_by, changed_at)
    VALUES ('staff', v_id, 'PASSWORD_SET', jsonb_build_object('login', p_login), session_user, clock_timestamp());
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Rollups (008). Compaction: admins only (anyone else gets 0 and changes nothing, so a viewer's
-- dashboard still works, reading the deltas as they are); it skips when the 'stats' row is
-- taken. The rebuild waits for that row before it reads anything, so a compaction that is still
-- open commits first and the rebuild then replaces its rows; a compaction that comes during the
-- rebuild skips. (Before, a viewer's compaction left open across the owner's rebuild kept its
-- refolded rows beside the rebuilt ones: every count twice.)
CREATE OR REPLACE FUNCTION public.simdesk_stats_compact(p_threshold integer) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_limit bigint := greatest(coalesce(p_threshold, 0), 0);
    v_removed bigint := 0;
    v_n bigint;
BEGIN
    IF public.simdesk_session_role() IS DISTINCT FROM 'admin' THEN
        RETURN 0;
    END IF;
    PERFORM 1 FROM public.serial_locks WHERE name = 'stats' FOR UPDATE SKIP LOCKED;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;
    IF (SELECT count(*) FROM (SELECT 1 FROM public.stats_card_counts WHERE NOT compacted LIMIT v_limit + 1) x) > v_limit THEN
        WITH gone AS (
            DELETE FROM public.stats_card_counts RETURNING status, tariff_plan_id, n
        ), kept AS (
            INSERT INTO public.stats_card_counts (status, tariff_plan_id, n, compacted)
            SELECT g.status, g.tariff_plan_id, sum(g.n), true FROM gone g
            GROUP BY 1, 2 HAVING sum(g.n) <> 0
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM gone) - (SELECT count(*) FROM kept) INTO v_n;
        v_removed := v_removed + v_n;
    END IF;
    IF (SELECT count(*) FROM (SELECT 1 FROM public.stats_activation_days WHERE NOT compacted LIMIT v_limit + 1) x) > v_limit THEN
        WITH gone AS (
            DELETE FROM public.stats_activation_days RETURNING day, n
        ), kept AS (
            INSERT INTO public.stats_activation_days (day, n, compacted)
            SELECT g.day, sum(g.n), true FROM gone g GROUP BY 1 HAVING sum(g.n) <> 0
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM gone) - (SELECT count(*) FROM kept) INTO v_n;
        v_removed := v_removed + v_n;
    END IF;
    IF (SELECT count(*) FROM (SELECT 1 FROM public.stats_event_days WHERE NOT compacted LIMIT v_limit + 1) x) > v_limit THEN
        WITH gone AS (
            DELETE FROM public.stats_event_days RETURNING day, event_type, new_status, n
        ), kept AS (
            INSERT INTO public.stats_event_days (day, event_type, new_status, n, compacted)
            SELECT g.day, g.event_type, g.new_status, sum(g.n), true FROM gone g
            GROUP BY 1, 2, 3 HAVING sum(g.n) <> 0
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM gone) - (SELECT count(*) FROM kept) INTO v_n;
        v_removed := v_removed + v_n;
    END IF;
    RETURN v_removed;
END
$$;

CREATE OR REPLACE FUNCTION public.simdesk_stats_rebuild() RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_tz text;
BEGIN
    PERFORM 1 FROM public.serial_locks WHERE name = 'stats' FOR UPDATE;
    LOCK TABLE public.sim_cards, public.sim_events IN SHARE MODE;
    SELECT s.time_zone INTO v_tz FROM public.stats_settings s;
    DELETE FROM public.stats_card_counts;
    DELETE FROM public.stats_activation_days;
    DELETE FROM public.stats_event_days;
    INSERT INTO public.stats_card_counts (status, tariff_plan_id, n, compacted)
    SELECT c.status, c.tariff_plan_id, count(*), true FROM public.sim_cards c GROUP BY 1, 2;
    INSERT INTO public.stats_activation_days (day, n, compacted)
    SELECT (c.activated_at AT TIME ZONE v_tz)::date, count(*), true
    FROM public.sim_cards c WHERE c.activated_at IS NOT NULL GROUP BY 1;
    INSERT INTO public.stats_event_days (day, event_type, new_status, n, compacted)
    SELECT (e.created_at AT TIME ZONE v_tz)::date, e.event_type, e.new_status, count(*), true
    FROM public.sim_events e GROUP BY 1, 2, 3;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- No table-level DELETE for any application role: with it came LOCK TABLE … ACCESS EXCLUSIVE,
-- which let one session stop every reader of the table. The deletes the roles may do are these
-- functions (true when the row was there); the audit trigger still records each with the
-- caller's login, and a row still in use still fails on its foreign keys (23503).
REVOKE DELETE ON public.customers FROM simdesk_viewer, simdesk_support, simdesk_admin;
REVOKE DELETE ON public.tariff_plans, public.activation_codes, public.import_profiles
    FROM simdesk_viewer, simdesk_support, simdesk_admin;

CREATE FUNCTION public.simdesk_customer_delete(p_id bigint) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM public.simdesk_require_role('support');
    DELETE FROM public.customers WHERE id = p_id;
    RETURN FOUND;
END
$$;

CREATE FUNCTION public.simdesk_tariff_plan_delete(p_id bigint) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM public.simdesk_require_role('admin');
    DELETE FROM public.tariff_plans WHERE id = p_id;
    RETURN FOUND;
END
$$;

CREATE FUNCTION public.simdesk_activation_code_delete(p_id bigint) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM public.simdesk_require_role('admin');
    DELETE FROM public.activation_codes WHERE id = p_id;
    RETURN FOUND;
END
$$;

CREATE FUNCTION public.simdesk_import_profile_delete(p_id bigint) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM public.simdesk_require_role('admin');
    DELETE FROM public.import_profiles WHERE id = p_id;
    RETURN FOUND;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Customer numbers that cannot collide: lpad(…, 6) cut 1000000 to "100000", so once the
-- sequence passed 999,999 (support could call nextval at will) every new customer took a number
-- in use. The number grows past six digits instead, and one typed in by hand is skipped.
CREATE FUNCTION public.simdesk_next_customer_no() RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_n bigint;
    v_no text;
BEGIN
    LOOP
        v_n := nextval('public.customer_no_seq');
        v_no := 'C-' || CASE WHEN v_n < 1000000 THEN lpad(v_n::text, 6, '0') ELSE v_n::text END;
        EXIT WHEN NOT EXISTS (SELECT 1 FROM public.customers WHERE customer_no = v_no);
    END LOOP;
    RETURN v_no;
END
$$;
ALTER TABLE public.customers ALTER COLUMN customer_no SET DEFAULT public.simdesk_next_customer_no();
REVOKE ALL ON SEQUENCE public.customer_no_seq FROM simdesk_viewer, simdesk_support, simdesk_admin;

-- ---------------------------------------------------------------------------------------------
-- Import profiles: a column whose name says it holds a secret maps to PIN, PUK or nothing. A
-- profile that sent "PIN1" to IMSI would publish every PIN to every viewer at the next import
-- of that layout. The name rule is CsvReader::isSecretHeader() (core/import/csvreader.cpp):
-- split at every character that is not an ASCII letter or digit, a secret when one of the words
-- is pin, puk, chv, adm, ki, eki, opc, op, kic, kid or kik, with or without a number after it.
CREATE FUNCTION public.simdesk_secret_header(p_name text) RETURNS boolean
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM regexp_split_to_table(coalesce(p_name, ''), '[^A-Za-z0-9]+') AS w(word)
                   WHERE lower(w.word) ~ '^(pin|puk|chv|adm|ki|eki|opc|op|kic|kid|kik)[0-9]*$')
$$;

CREATE FUNCTION public.simdesk_check_import_profile() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_bad record;
BEGIN
    SELECT m.key, m.value INTO v_bad FROM jsonb_each_text(NEW.mapping) AS m(key, value)
    WHERE public.simdesk_secret_header(m.key) AND coalesce(m.value, '') NOT IN ('', 'pin', 'puk')
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'SD023',
            MESSAGE = format('the column "%s" holds secrets and can only be mapped to pin, puk or nothing, not %s',
                             v_bad.key, v_bad.value),
            DETAIL = v_bad.key;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER import_profiles_secrets BEFORE INSERT OR UPDATE OF mapping ON public.import_profiles
    FOR EACH ROW EXECUTE FUNCTION public.simdesk_check_import_profile();

-- ---------------------------------------------------------------------------------------------
-- Who may call the new functions (the functions check again).
REVOKE ALL ON FUNCTION public.simdesk_reason(text), public.simdesk_import_lock(text),
    public.simdesk_card_refusal(text, text, integer, bigint, bigint, text, integer, bigint, bigint, text),
    public.simdesk_refusal_detail(text, text, integer, text, text),
    public.simdesk_customer_delete(bigint), public.simdesk_tariff_plan_delete(bigint),
    public.simdesk_activation_code_delete(bigint), public.simdesk_import_profile_delete(bigint),
    public.simdesk_next_customer_no(), public.simdesk_secret_header(text),
    public.simdesk_check_import_profile() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.simdesk_reason(text), public.simdesk_secret_header(text),
    public.simdesk_stats_compact(integer) TO simdesk_viewer;
GRANT EXECUTE ON FUNCTION public.simdesk_customer_delete(bigint), public.simdesk_next_customer_no()
    TO simdesk_support;
GRANT EXECUTE ON FUNCTION public.simdesk_import_lock(text), public.simdesk_tariff_plan_delete(bigint),
    public.simdesk_activation_code_delete(bigint), public.simdesk_import_profile_delete(bigint)
    TO simdesk_admin;
