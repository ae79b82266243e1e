-- SPDX-License-Identifier: MIT
-- 004: the audit invariant, enforced by the database for every application role.
--
-- Tried as a hostile staff member with psql would, 002 left holes: support could UPDATE a card
-- (legal transitions, numbers, holders) with no event, INSERT forged events, read secrets and
-- roll the audit back, and every trigger named its tables without a schema, so a TEMP table
-- could shadow them. From here on:
--
--  * No application role writes sim_cards, sim_events, sim_secrets, import_batches or staff
--    directly. Every change to a card goes through a SECURITY DEFINER function below that checks
--    the role, locks, checks version and transition, applies the change and writes exactly one
--    sim_events row per changed card, with the session's login, the time, old -> new, the reason
--    and the source. The invariant: every card's status is the replay of its events.
--  * Customers, tariff plans and activation codes keep their column grants; every change to
--    them, and to staff, is written into audit_log by a trigger (who, when, old and new row).
--  * Every trigger and definer function runs with search_path = pg_catalog, pg_temp and names
--    every table with its schema, so nothing can be shadowed; TEMP and CONNECT on the database
--    are revoked from PUBLIC (only admins keep TEMP, for the import's staging table).
--  * PIN/PUK reveal takes two transactions: the request writes SECRET_REVEALED and is committed,
--    then a read in a later transaction returns the secrets. Rolling back the read cannot undo
--    the record.
--
-- What the schema owner and superusers can still do (they own the tables) is in
-- docs/security.md.
--
-- SQLSTATEs raised here (core/db/database.cpp and core/services map them to typed errors):
--   SD001 transition not allowed          SD011 activation code unknown
--   SD004 card used, cannot be deleted    SD012 activation code used
--   SD005 stale version                   SD013 activation code expired
--   SD006 customer required               SD014 swap: same card
--   SD007 tariff required                 SD015 swap: old card not swappable
--   SD008 reason required                 SD016 swap: new card reserved for someone else
--   SD009 tariff inactive                 SD017 swap: new card not available
--   SD010 tariff type mismatch            SD020 file already imported
--   SD021 batch already reverted          SD022 batch used since (DETAIL: how many cards)
--   SD030 secrets read refused            SD040 last active admin

-- ---------------------------------------------------------------------------------------------
-- Database-level privileges: nobody but SimDesk's groups connects, and only admins create
-- temporary tables.
DO $$
BEGIN
    EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO simdesk_viewer', current_database());
    EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO simdesk_admin', current_database());
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Direct writes that skipped the audit trail: gone.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON public.sim_cards, public.sim_events, public.sim_secrets,
    public.import_batches, public.staff, public.sim_transitions, public.schema_migrations
    FROM simdesk_viewer, simdesk_support, simdesk_admin;
REVOKE UPDATE ON public.activation_codes FROM simdesk_support;
REVOKE TRUNCATE ON public.customers, public.tariff_plans, public.activation_codes
    FROM simdesk_viewer, simdesk_support, simdesk_admin;
-- Admins keep editing staff profiles (audited below). Codes change status only through the
-- functions below (activation consumes one; support closes one by hand).
GRANT UPDATE (email, display_name) ON public.staff TO simdesk_admin;

-- The old single-step reveal could be rolled back; the old origin trigger is not needed once
-- only the database writes events.
DROP FUNCTION public.simdesk_reveal_secrets(bigint, text);
DROP TRIGGER sim_events_origin ON public.sim_events;
DROP FUNCTION public.simdesk_event_origin();

-- ---------------------------------------------------------------------------------------------
-- Events: where a change came from, and which bulk action it belongs to.
ALTER TABLE public.sim_events
    ADD COLUMN source text CHECK (source IN ('desktop', 'cli', 'import', 'bulk', 'system')),
    ADD COLUMN operation_id uuid,
    DROP CONSTRAINT sim_events_event_type_check,
    ADD CONSTRAINT sim_events_event_type_check
        CHECK (event_type IN ('CREATED', 'IMPORTED', 'ASSIGNED', 'UNASSIGNED', 'STATUS_CHANGED',
                              'ACTIVATED', 'SUSPENDED', 'RESUMED', 'LOST_REPORTED', 'TERMINATED',
                              'SWAPPED_OUT', 'SWAPPED_IN', 'SECRET_REVEALED', 'SECRETS_CHANGED',
                              'EDITED', 'TARIFF_CHANGED', 'RESERVED', 'RELEASED',
                              'IMPORT_REVERTED', 'DELETED'));
CREATE INDEX sim_events_operation_idx ON public.sim_events (operation_id) WHERE operation_id IS NOT NULL;
-- The FK of an event's batch is checked once per imported row and buys nothing: batches are
-- never deleted (no role may), and the import function names its own batch.
ALTER TABLE public.sim_events DROP CONSTRAINT sim_events_import_batch_id_fkey;
-- Indexes no query uses: the SIM list filters by type through sim_cards_status_idx and sorts
-- through the identifier indexes; (event_type, created_at) serves every time query that
-- (created_at) alone did.
DROP INDEX public.sim_cards_type_status_idx;
DROP INDEX public.sim_events_time_idx;

-- ---------------------------------------------------------------------------------------------
-- Audit of everything else staff change: customers, tariff plans, activation codes, staff.
CREATE TABLE public.audit_log (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    table_name text NOT NULL,
    row_id     bigint,
    action     text NOT NULL CHECK (action IN ('INSERT', 'UPDATE', 'DELETE', 'PASSWORD_SET',
                                               'SESSIONS_ENDED')),
    old_row    jsonb,
    new_row    jsonb,
    changed_by text NOT NULL DEFAULT session_user,
    changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_row_idx ON public.audit_log (table_name, row_id, id);
GRANT SELECT ON public.audit_log TO simdesk_viewer;

CREATE FUNCTION public.simdesk_audit_row() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO public.audit_log (table_name, row_id, action, old_row, new_row, changed_by, changed_at)
    VALUES (TG_TABLE_NAME,
            CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END,
            TG_OP,
            CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END,
            CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END,
            session_user, now());
    RETURN NULL;
END
$$;
CREATE TRIGGER customers_audit AFTER INSERT OR UPDATE OR DELETE ON public.customers
    FOR EACH ROW EXECUTE FUNCTION public.simdesk_audit_row();
CREATE TRIGGER tariff_plans_audit AFTER INSERT OR UPDATE OR DELETE ON public.tariff_plans
    FOR EACH ROW EXECUTE FUNCTION public.simdesk_audit_row();
CREATE TRIGGER activation_codes_audit AFTER INSERT OR UPDATE OR DELETE ON public.activation_codes
    FOR EACH ROW EXECUTE FUNCTION public.simdesk_audit_row();
CREATE TRIGGER staff_audit AFTER INSERT OR UPDATE OR DELETE ON public.staff
    FOR EACH ROW EXECUTE FUNCTION public.simdesk_audit_row();

-- Append-only, like sim_events (superusers may clean up a test database).
CREATE OR REPLACE FUNCTION public.simdesk_events_append_only() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF current_setting('is_superuser') = 'on' THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'SD002',
        MESSAGE = format('the %s table is append-only: its rows cannot be changed or deleted', TG_TABLE_NAME),
        HINT = 'Record a correction as a new entry.';
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON public.audit_log
    FOR EACH ROW EXECUTE FUNCTION public.simdesk_events_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON public.audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION public.simdesk_events_append_only();

-- ---------------------------------------------------------------------------------------------
-- Triggers of 002, again with fixed search paths and schema-qualified names.

-- The transition table on every status change. Fires only when the status really changes.
CREATE OR REPLACE FUNCTION public.simdesk_check_transition() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM public.sim_transitions
                   WHERE from_status = OLD.status AND to_status = NEW.status) THEN
        RAISE EXCEPTION USING ERRCODE = 'SD001',
            MESSAGE = format('SIM card %s cannot go from %s to %s', OLD.iccid, OLD.status, NEW.status),
            HINT = 'Only the transitions of the sim_transitions table are allowed.';
    END IF;
    NEW.status_changed_at := now();
    IF NEW.status = 'ACTIVE' AND NEW.activated_at IS NULL THEN
        NEW.activated_at := now();
    ELSIF NEW.status = 'TERMINATED' THEN
        NEW.terminated_at := now();
    END IF;
    RETURN NEW;
END
$$;
DROP TRIGGER sim_cards_transition ON public.sim_cards;
CREATE TRIGGER sim_cards_transition BEFORE UPDATE OF status ON public.sim_cards
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION public.simdesk_check_transition();

-- One place for "nobody has used this card": AVAILABLE, no holder, no code, and nothing in its
-- history but creation, edits and secrets. Deletion and import revert both ask it.
CREATE FUNCTION public.simdesk_card_unused(p_id bigint, p_status text, p_customer_id bigint,
                                           p_activation_code_id bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT p_status = 'AVAILABLE' AND p_customer_id IS NULL AND p_activation_code_id IS NULL
       AND NOT EXISTS (SELECT 1 FROM public.sim_events e
                       WHERE e.sim_id = p_id
                         AND e.event_type NOT IN ('CREATED', 'IMPORTED', 'EDITED',
                                                  'SECRET_REVEALED', 'SECRETS_CHANGED'))
$$;

CREATE OR REPLACE FUNCTION public.simdesk_check_card_delete() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT public.simdesk_card_unused(OLD.id, OLD.status, OLD.customer_id, OLD.activation_code_id) THEN
        RAISE EXCEPTION USING ERRCODE = 'SD004',
            MESSAGE = format('SIM card %s has been used and cannot be deleted', OLD.iccid),
            HINT = 'Terminate it instead; its history stays.';
    END IF;
    RETURN OLD;
END
$$;

-- A deleted card leaves one event with what it was: DELETED, or IMPORT_REVERTED when the revert
-- function deletes it. Statement-level, so a revert of a million cards writes its events in one
-- INSERT. The note and source come from the deleting function (transaction-local settings that
-- only a function that may delete sets).
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
           session_user, now()
    FROM old_rows o;
    RETURN NULL;
END
$$;
DROP TRIGGER sim_cards_deleted ON public.sim_cards;
CREATE TRIGGER sim_cards_deleted AFTER DELETE ON public.sim_cards
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.simdesk_card_deleted();

CREATE OR REPLACE FUNCTION public.simdesk_notify_sim_changed() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    n bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN
        SELECT count(*) INTO n FROM old_rows;
        IF n > 100 THEN
            PERFORM pg_notify('sim_changed', '*:' || n);
        ELSE
            PERFORM pg_notify('sim_changed', id || ':DELETED') FROM old_rows;
        END IF;
    ELSE
        SELECT count(*) INTO n FROM new_rows;
        IF n > 100 THEN
            PERFORM pg_notify('sim_changed', '*:' || n);
        ELSE
            PERFORM pg_notify('sim_changed', id || ':' || status) FROM new_rows;
        END IF;
    END IF;
    RETURN NULL;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Who is this session? The schema owner (who bootstraps the first admin) counts as admin.
CREATE FUNCTION public.simdesk_is_owner() RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT session_user = pg_get_userbyid(c.relowner)::text
    FROM pg_catalog.pg_class c WHERE c.oid = 'public.sim_cards'::regclass
$$;

CREATE OR REPLACE FUNCTION public.simdesk_session_role() RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT CASE
        WHEN public.simdesk_is_owner() OR pg_has_role(session_user, 'simdesk_admin', 'MEMBER') THEN 'admin'
        WHEN pg_has_role(session_user, 'simdesk_support', 'MEMBER') THEN 'support'
        WHEN pg_has_role(session_user, 'simdesk_viewer', 'MEMBER') THEN 'viewer'
    END
$$;

CREATE OR REPLACE FUNCTION public.simdesk_require_role(wanted text) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT (public.simdesk_is_owner() OR pg_has_role(session_user, 'simdesk_' || wanted, 'MEMBER')) THEN
        RAISE EXCEPTION USING ERRCODE = '42501',
            MESSAGE = format('permission denied: this needs the %s role', wanted);
    END IF;
END
$$;

CREATE FUNCTION public.simdesk_check_source(p_source text) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF p_source IS NULL OR p_source NOT IN ('desktop', 'cli', 'import', 'bulk', 'system') THEN
        RAISE EXCEPTION USING ERRCODE = '22023',
            MESSAGE = format('"%s" is not a change source; use desktop, cli, import, bulk or system', p_source);
    END IF;
    RETURN p_source;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Lifecycle actions, set-based: one card or ten thousand in one call. Each card gets an outcome
-- ('done' or why not); all events of one call share an operation id. A refusal of one card does
-- not stop the others.
CREATE FUNCTION public.simdesk_sim_apply(p_ids bigint[], p_action text, p_versions integer[],
                                         p_customer_id bigint, p_tariff_plan_id bigint,
                                         p_activation_code text, p_reason text, p_source text)
RETURNS TABLE (sim_id bigint, outcome text, detail text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_operation uuid := gen_random_uuid();
    v_reason text := nullif(btrim(p_reason), '');
    v_code text := nullif(upper(btrim(p_activation_code)), '');
    v_code_id bigint;
    v_code_refusal text;
    v_code_row record;
    v_event text;
BEGIN
    PERFORM public.simdesk_require_role('support');
    PERFORM public.simdesk_check_source(p_source);
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
        SELECT id, status, expires_at <= now() AS overdue INTO v_code_row
        FROM public.activation_codes WHERE code = v_code FOR UPDATE;
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

    -- Lock in id order (two bulk actions over overlapping sets cannot deadlock); the statement
    -- below then sees every card as it is now.
    PERFORM 1 FROM public.sim_cards c WHERE c.id = ANY (p_ids) ORDER BY c.id FOR UPDATE;

    RETURN QUERY
    WITH req AS (
        SELECT DISTINCT ON (u.id) u.id, u.ord FROM unnest(p_ids) WITH ORDINALITY AS u(id, ord) ORDER BY u.id, u.ord
    ),
    judged AS (
        SELECT r.id AS card_id, r.ord, c.status AS old_status, c.version, c.customer_id, c.tariff_plan_id,
               c.msisdn, t.to_status, tp.name AS tariff_name,
               CASE
                   WHEN c.id IS NULL THEN 'not_found'
                   WHEN p_versions IS NOT NULL AND p_versions[r.ord] IS NOT NULL
                        AND c.version <> p_versions[r.ord] THEN 'stale'
                   WHEN p_action IN ('assign_customer', 'change_tariff')
                        AND c.status NOT IN ('RESERVED', 'ACTIVE', 'SUSPENDED') THEN 'transition'
                   WHEN p_action = 'unassign_customer'
                        AND c.status IN ('RESERVED', 'ACTIVE', 'SUSPENDED') THEN 'transition'
                   WHEN p_action NOT IN ('assign_customer', 'unassign_customer', 'change_tariff')
                        AND t.to_status IS NULL THEN 'transition'
                   WHEN p_action = 'activate' AND coalesce(p_customer_id, c.customer_id) IS NULL THEN 'customer_required'
                   WHEN p_action = 'activate' AND tp.id IS NULL THEN 'tariff_required'
                   WHEN p_action IN ('activate', 'change_tariff') AND NOT tp.active THEN 'tariff_inactive'
                   WHEN p_action IN ('activate', 'change_tariff') AND tp.sim_type IS NOT NULL
                        AND tp.sim_type <> c.sim_type THEN 'tariff_type'
                   WHEN p_action = 'activate' THEN v_code_refusal
               END AS refusal
        FROM req r
        LEFT JOIN public.sim_cards c ON c.id = r.id
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
        WHERE c.id = j.card_id AND j.refusal IS NULL
        RETURNING c.id, c.status, c.customer_id, c.tariff_plan_id
    ),
    code_used AS (
        UPDATE public.activation_codes a SET status = 'USED', used_at = now()
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
               p_source, v_operation, session_user, now()
        FROM changed ch JOIN judged j ON j.card_id = ch.id
    )
    SELECT j.card_id, coalesce(j.refusal, 'done'),
           CASE j.refusal
               WHEN 'transition' THEN j.old_status
               WHEN 'stale' THEN j.version::text
               WHEN 'tariff_inactive' THEN j.tariff_name
               WHEN 'tariff_type' THEN j.tariff_name
               WHEN 'code_unknown' THEN v_code WHEN 'code_used' THEN v_code WHEN 'code_expired' THEN v_code
           END
    FROM judged j ORDER BY j.ord;
END
$$;

-- One card: the same function, with a refusal raised as its own SQLSTATE (core turns each into a
-- typed error with the card as it is now).
CREATE FUNCTION public.simdesk_sim_act(p_id bigint, p_action text, p_version integer,
                                       p_customer_id bigint, p_tariff_plan_id bigint,
                                       p_activation_code text, p_reason text, p_source text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    r record;
BEGIN
    SELECT * INTO r FROM public.simdesk_sim_apply(ARRAY[p_id], p_action,
        CASE WHEN p_version IS NULL THEN NULL ELSE ARRAY[p_version] END,
        p_customer_id, p_tariff_plan_id, p_activation_code, p_reason, p_source);
    IF r.outcome = 'done' THEN
        RETURN;
    END IF;
    RAISE EXCEPTION USING
        ERRCODE = CASE r.outcome
            WHEN 'not_found' THEN 'P0002' WHEN 'stale' THEN 'SD005' WHEN 'transition' THEN 'SD001'
            WHEN 'customer_required' THEN 'SD006' WHEN 'tariff_required' THEN 'SD007'
            WHEN 'tariff_inactive' THEN 'SD009' WHEN 'tariff_type' THEN 'SD010'
            WHEN 'code_unknown' THEN 'SD011' WHEN 'code_used' THEN 'SD012' WHEN 'code_expired' THEN 'SD013'
            ELSE 'P0001' END,
        MESSAGE = format('%s refused for SIM card %s: %s', p_action, p_id, CASE r.outcome
            WHEN 'not_found' THEN 'there is no such card'
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
        DETAIL = coalesce(r.detail, '');
END
$$;

-- The card, locked until commit, at the version the caller saw (NULL: as it is). For the
-- functions below; not granted to anyone.
CREATE FUNCTION public.simdesk_lock_card(p_id bigint, p_version integer) RETURNS public.sim_cards
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    c public.sim_cards;
BEGIN
    SELECT * INTO c FROM public.sim_cards WHERE id = p_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = format('there is no SIM card with id %s', p_id);
    END IF;
    IF p_version IS NOT NULL AND c.version <> p_version THEN
        RAISE EXCEPTION USING ERRCODE = 'SD005', MESSAGE = format('SIM card %s changed since', c.iccid),
            DETAIL = c.id::text;
    END IF;
    RETURN c;
END
$$;

-- DESIGN.md §3 swap: number, customer and tariff move from the old card to the new one, which
-- becomes ACTIVE; the old one ends TERMINATED or LOST_STOLEN. Both events carry the swap id.
CREATE FUNCTION public.simdesk_sim_swap(p_old_id bigint, p_new_id bigint, p_old_version integer,
                                        p_new_version integer, p_old_end text, p_reason text,
                                        p_source text)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_swap uuid := gen_random_uuid();
    v_reason text := nullif(btrim(p_reason), '');
    o public.sim_cards;
    n public.sim_cards;
    tp record;
BEGIN
    PERFORM public.simdesk_require_role('support');
    PERFORM public.simdesk_check_source(p_source);
    IF v_reason IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'SD008', MESSAGE = 'a swap needs a reason';
    END IF;
    IF p_old_end IS NULL OR p_old_end NOT IN ('TERMINATED', 'LOST_STOLEN') THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'the old card of a swap ends TERMINATED or LOST_STOLEN';
    END IF;
    IF p_old_id = p_new_id THEN
        RAISE EXCEPTION USING ERRCODE = 'SD014', MESSAGE = 'a card cannot be swapped with itself';
    END IF;
    -- In id order, so that two swaps over the same pair cannot deadlock.
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
    INSERT INTO public.sim_events (sim_id, event_type, old_status, new_status, customer_id, tariff_plan_id,
                                   swap_id, note, details, source, operation_id, created_by, created_at)
    VALUES (o.id, 'SWAPPED_OUT', o.status, p_old_end, o.customer_id, o.tariff_plan_id, v_swap, v_reason,
            jsonb_strip_nulls(jsonb_build_object('to_iccid', n.iccid, 'msisdn', o.msisdn)),
            p_source, v_swap, session_user, now()),
           (n.id, 'SWAPPED_IN', n.status, 'ACTIVE', o.customer_id, o.tariff_plan_id, v_swap, v_reason,
            jsonb_strip_nulls(jsonb_build_object('from_iccid', o.iccid, 'msisdn', o.msisdn)),
            p_source, v_swap, session_user, now());
    RETURN v_swap;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Card inventory (admin): create, edit identifiers, delete an unused card.
CREATE FUNCTION public.simdesk_sim_create(p_iccid text, p_msisdn text, p_imsi text, p_sim_type text,
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
            p_source, session_user, now());
    RETURN v_id;
END
$$;

CREATE FUNCTION public.simdesk_sim_edit(p_id bigint, p_version integer, p_iccid text, p_msisdn text,
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
            session_user, now());
END
$$;

CREATE FUNCTION public.simdesk_sim_delete(p_id bigint, p_version integer, p_reason text, p_source text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    c public.sim_cards;
BEGIN
    PERFORM public.simdesk_require_role('admin');
    PERFORM public.simdesk_check_source(p_source);
    c := public.simdesk_lock_card(p_id, p_version);
    PERFORM set_config('simdesk.delete_event', 'DELETED', true);
    PERFORM set_config('simdesk.delete_note', coalesce(btrim(p_reason), ''), true);
    PERFORM set_config('simdesk.delete_source', p_source, true);
    DELETE FROM public.sim_cards WHERE id = p_id; -- the trigger checks "unused" (SD004) and writes DELETED
    PERFORM set_config('simdesk.delete_event', '', true);
    PERFORM set_config('simdesk.delete_note', '', true);
    PERFORM set_config('simdesk.delete_source', '', true);
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Secrets. Reveal is two steps so that no rollback can undo its record: the request writes
-- SECRET_REVEALED and must be committed; the read, in a later transaction, returns the values
-- once, within a minute. (A read that is itself rolled back does not use the token up: its
-- owner may read the same card once more within that minute, under the same committed record.
-- PostgreSQL has no autonomous transactions to make the "used" mark outlive a rollback.)
CREATE TABLE public.secret_reveals (
    token        uuid PRIMARY KEY,
    sim_id       bigint NOT NULL,
    login        text NOT NULL,
    requested_at timestamptz NOT NULL,
    read_at      timestamptz
);

CREATE FUNCTION public.simdesk_request_reveal(p_sim_id bigint, p_reason text, p_source text)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_token uuid := gen_random_uuid();
    v_reason text := nullif(btrim(p_reason), '');
    v_status text;
BEGIN
    PERFORM public.simdesk_require_role('support');
    PERFORM public.simdesk_check_source(p_source);
    IF v_reason IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'SD008', MESSAGE = 'revealing PIN and PUK needs a reason';
    END IF;
    SELECT status INTO v_status FROM public.sim_cards WHERE id = p_sim_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = format('there is no SIM card with id %s', p_sim_id);
    END IF;
    INSERT INTO public.secret_reveals (token, sim_id, login, requested_at)
    VALUES (v_token, p_sim_id, session_user, now());
    INSERT INTO public.sim_events (sim_id, event_type, old_status, new_status, note, source, created_by, created_at)
    VALUES (p_sim_id, 'SECRET_REVEALED', v_status, v_status, v_reason, p_source, session_user, now());
    RETURN v_token;
END
$$;

CREATE FUNCTION public.simdesk_read_revealed(p_token uuid)
RETURNS TABLE (pin text, puk text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_sim bigint;
BEGIN
    PERFORM public.simdesk_require_role('support');
    -- A transaction that has written anything (the request among it) cannot read: the request
    -- must have been committed before, so rolling this one back leaves the record in place.
    IF txid_current_if_assigned() IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'SD030',
            MESSAGE = 'PIN and PUK are read in a transaction of their own, after the reveal request is committed';
    END IF;
    SELECT r.sim_id INTO v_sim FROM public.secret_reveals r
    WHERE r.token = p_token AND r.login = session_user AND r.read_at IS NULL
      AND r.requested_at > now() - interval '60 seconds'
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'SD030',
            MESSAGE = 'this reveal request is unknown, not yours, already used or older than a minute';
    END IF;
    UPDATE public.secret_reveals SET read_at = now() WHERE token = p_token;
    RETURN QUERY SELECT s.pin::text, s.puk::text FROM public.sim_secrets s WHERE s.sim_id = v_sim;
END
$$;

-- The reason is the event's note: changing a card's PIN/PUK is as audited as reading them.
DROP FUNCTION public.simdesk_set_secrets(bigint, text, text);
CREATE FUNCTION public.simdesk_set_secrets(p_sim_id bigint, p_pin text, p_puk text, p_reason text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_status text;
    v_old public.sim_secrets;
    v_reason text := nullif(btrim(p_reason), '');
BEGIN
    PERFORM public.simdesk_require_role('admin');
    IF v_reason IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'SD008', MESSAGE = 'changing PIN and PUK needs a reason';
    END IF;
    SELECT status INTO v_status FROM public.sim_cards WHERE id = p_sim_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = format('there is no SIM card with id %s', p_sim_id);
    END IF;
    SELECT * INTO v_old FROM public.sim_secrets WHERE sim_id = p_sim_id;
    INSERT INTO public.sim_secrets (sim_id, pin, puk) VALUES (p_sim_id, nullif(p_pin, ''), nullif(p_puk, ''))
    ON CONFLICT (sim_id) DO UPDATE SET pin = EXCLUDED.pin, puk = EXCLUDED.puk;
    -- Which secrets changed, never their values.
    INSERT INTO public.sim_events (sim_id, event_type, old_status, new_status, note, details, source,
                                   created_by, created_at)
    VALUES (p_sim_id, 'SECRETS_CHANGED', v_status, v_status, v_reason,
            jsonb_build_object('pin', v_old.pin IS DISTINCT FROM nullif(p_pin, ''),
                               'puk', v_old.puk IS DISTINCT FROM nullif(p_puk, '')),
            'system', session_user, now());
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Activation codes closed by hand (support): an UNUSED code becomes USED (handed out outside
-- SimDesk) or EXPIRED; nothing ever goes back to UNUSED. audit_log records who did it.
CREATE FUNCTION public.simdesk_close_code(p_code text, p_status text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    c record;
BEGIN
    PERFORM public.simdesk_require_role('support');
    IF p_status IS NULL OR p_status NOT IN ('USED', 'EXPIRED') THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'a code is closed as USED or EXPIRED';
    END IF;
    SELECT id, status INTO c FROM public.activation_codes WHERE code = upper(btrim(p_code)) FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'SD011', MESSAGE = format('there is no activation code %s', p_code);
    END IF;
    IF c.status = 'USED' THEN
        RAISE EXCEPTION USING ERRCODE = 'SD012', MESSAGE = format('activation code %s is used already', p_code);
    END IF;
    IF c.status = 'EXPIRED' AND p_status = 'USED' THEN
        RAISE EXCEPTION USING ERRCODE = 'SD013', MESSAGE = format('activation code %s has expired', p_code);
    END IF;
    UPDATE public.activation_codes
    SET status = p_status, used_at = CASE WHEN p_status = 'USED' THEN now() END
    WHERE id = c.id AND status <> p_status;
END
$$;

-- Housekeeping: codes past their expiry are stored as EXPIRED (reads compute it anyway).
CREATE FUNCTION public.simdesk_expire_overdue_codes() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    n integer;
BEGIN
    PERFORM public.simdesk_require_role('support');
    UPDATE public.activation_codes SET status = 'EXPIRED' WHERE status = 'UNUSED' AND expires_at <= now();
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Import (admin): the batch, its cards, their secrets and one IMPORTED event per card, in one
-- call. The rows arrive as arrays that the caller aggregates from its own staging table.
CREATE FUNCTION public.simdesk_import_commit(p_file_name text, p_checksum text, p_format text,
                                             p_total_rows integer, p_force boolean,
                                             p_iccids text[], p_msisdns text[], p_imsis text[],
                                             p_types text[], p_pins text[], p_puks text[])
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_batch bigint;
    v_rows integer := coalesce(cardinality(p_iccids), 0);
    v_earlier record;
BEGIN
    PERFORM public.simdesk_require_role('admin');
    -- Two admins importing the same file at once: the second waits here, then is refused.
    PERFORM pg_advisory_xact_lock(hashtextextended('simdesk-import:' || p_checksum, 0));
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
    INSERT INTO public.import_batches (file_name, checksum, format, total_rows, created_count, skipped_count,
                                       created_by, created_at)
    VALUES (p_file_name, p_checksum, p_format, p_total_rows, v_rows, greatest(p_total_rows - v_rows, 0),
            session_user, now())
    RETURNING id INTO v_batch;

    -- Three statements, each reading a real table where it joins: a join of two CTEs (the
    -- inserted cards with the unnested rows) has no statistics, and the planner once chose a
    -- nested loop over 300,000 × 300,000 rows for it.
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
    SELECT c.id, 'IMPORTED', 'AVAILABLE', v_batch, 'import', session_user, now()
    FROM public.sim_cards c WHERE c.import_batch_id = v_batch ORDER BY c.id;
    RETURN v_batch;
END
$$;

CREATE FUNCTION public.simdesk_import_revert(p_batch_id bigint) RETURNS bigint
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
    -- Every setting the deletion trigger reads is set here, whatever the session set before.
    PERFORM set_config('simdesk.delete_event', 'IMPORT_REVERTED', true);
    PERFORM set_config('simdesk.delete_note', '', true);
    PERFORM set_config('simdesk.delete_source', 'import', true);
    DELETE FROM public.sim_cards WHERE import_batch_id = p_batch_id;
    PERFORM set_config('simdesk.delete_event', '', true);
    PERFORM set_config('simdesk.delete_source', '', true);
    UPDATE public.import_batches SET status = 'REVERTED', reverted_by = session_user, reverted_at = now()
    WHERE id = p_batch_id;
    RETURN v_cards;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Staff logins. Passwords arrive as SCRAM-SHA-256 verifiers (never in clear); every change is in
-- audit_log with who made it; no change may leave SimDesk without an active admin; a disabled
-- login's open sessions end.

-- One place for the login name rule (the staff table's CHECK and the functions).
CREATE FUNCTION public.simdesk_valid_login(p_login text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT p_login ~ '^[a-z_][a-z0-9_.-]{0,62}$' AND p_login NOT LIKE 'simdesk\_%' AND p_login NOT LIKE 'pg\_%'
$$;
ALTER TABLE public.staff DROP CONSTRAINT staff_login_check;
ALTER TABLE public.staff ADD CONSTRAINT staff_login_check CHECK (public.simdesk_valid_login(login));

CREATE FUNCTION public.simdesk_check_verifier(p_verifier text) RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF p_verifier IS NULL
       OR p_verifier !~ '^SCRAM-SHA-256\$[0-9]{4,7}:[A-Za-z0-9+/]+={0,2}\$[A-Za-z0-9+/]+={0,2}:[A-Za-z0-9+/]+={0,2}$' THEN
        RAISE EXCEPTION USING ERRCODE = '22023',
            MESSAGE = 'the password must be sent as a SCRAM-SHA-256 verifier (as libpq''s PQencryptPasswordConn makes it)';
    END IF;
END
$$;

-- Staff changes one at a time: two admins demoting each other at once would each still see the
-- other as admin. The statements after the lock see what the previous change committed.
CREATE FUNCTION public.simdesk_lock_staff() RETURNS void
LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $$
    SELECT pg_advisory_xact_lock(hashtextextended('simdesk-staff', 0))
$$;

-- Active admins other than p_login; a change that removes p_login from them needs one.
CREATE FUNCTION public.simdesk_require_other_admin(p_login text) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM public.staff s
                   JOIN pg_catalog.pg_roles r ON r.rolname = s.login AND r.rolcanlogin
                   WHERE s.role = 'admin' AND s.active AND s.login <> p_login) THEN
        RAISE EXCEPTION USING ERRCODE = 'SD040',
            MESSAGE = format('%s is the last active admin; make someone else admin first', p_login);
    END IF;
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
        EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L IN ROLE %I',
                       p_login, p_password_verifier, 'simdesk_' || p_role);
    EXCEPTION WHEN OTHERS THEN
        RAISE EXCEPTION USING ERRCODE = SQLSTATE, MESSAGE = format('could not create login "%s"', p_login);
    END;
    -- A profile may exist before its login (a list of staff loaded beforehand): adopt it.
    INSERT INTO public.staff (login, email, display_name, role)
    VALUES (p_login, p_email, p_display_name, p_role)
    ON CONFLICT (login) DO UPDATE
        SET email = EXCLUDED.email, display_name = EXCLUDED.display_name, role = EXCLUDED.role, active = true
    RETURNING id INTO new_id;
    RETURN new_id;
END
$$;

CREATE OR REPLACE FUNCTION public.simdesk_set_staff_role(p_login text, p_role text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    g text;
    v_old text;
BEGIN
    PERFORM public.simdesk_require_role('admin');
    PERFORM public.simdesk_check_staff_role(p_role);
    PERFORM public.simdesk_lock_staff();
    SELECT role INTO v_old FROM public.staff WHERE login = p_login FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = format('there is no staff member "%s"', p_login);
    END IF;
    IF v_old = 'admin' AND p_role <> 'admin' THEN
        PERFORM public.simdesk_require_other_admin(p_login);
    END IF;
    UPDATE public.staff SET role = p_role WHERE login = p_login;
    FOREACH g IN ARRAY ARRAY['viewer', 'support', 'admin'] LOOP
        IF g <> p_role AND EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members m
                                   JOIN pg_catalog.pg_roles r ON r.oid = m.roleid
                                   JOIN pg_catalog.pg_roles u ON u.oid = m.member
                                   WHERE r.rolname = 'simdesk_' || g AND u.rolname = p_login) THEN
            EXECUTE format('REVOKE %I FROM %I', 'simdesk_' || g, p_login);
        END IF;
    END LOOP;
    EXECUTE format('GRANT %I TO %I', 'simdesk_' || p_role, p_login);
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
        -- NOLOGIN stops new sessions only; end the open ones too. The schema owner needs
        -- pg_signal_backend for this (docs/security.md), or pg_terminate_backend refuses.
        -- A loop, not one SELECT with pg_terminate_backend in its WHERE: the planner may call
        -- a function of the filter before the other conditions, on every session of the cluster.
        FOR v_pid IN SELECT a.pid FROM pg_catalog.pg_stat_activity a
                     WHERE a.usename = p_login AND a.pid <> pg_backend_pid() LOOP
            IF pg_terminate_backend(v_pid) THEN
                v_ended := v_ended + 1;
            END IF;
        END LOOP;
        INSERT INTO public.audit_log (table_name, row_id, action, new_row, changed_by, changed_at)
        SELECT 'staff', s.id, 'SESSIONS_ENDED', jsonb_build_object('login', p_login, 'sessions', v_ended),
               session_user, now()
        FROM public.staff s WHERE s.login = p_login;
    END IF;
END
$$;

-- A staff member changes their own password; an admin anybody's. Recorded either way.
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
    VALUES ('staff', v_id, 'PASSWORD_SET', jsonb_build_object('login', p_login), session_user, now());
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Who may call what. Functions are executable by PUBLIC unless revoked: revoke every SimDesk
-- function, then grant each to the lowest group that may call it (the functions check again).
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p
             WHERE p.pronamespace = 'public'::regnamespace AND p.proname LIKE 'simdesk\_%' LOOP
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
    END LOOP;
END
$$;
GRANT EXECUTE ON FUNCTION public.simdesk_session_role(), public.simdesk_require_role(text),
    public.simdesk_is_owner(), public.simdesk_luhn_valid(text), public.simdesk_card_unused(bigint, text, bigint, bigint),
    public.simdesk_valid_login(text), public.simdesk_set_staff_password(text, text)
    TO simdesk_viewer;
GRANT EXECUTE ON FUNCTION
    public.simdesk_sim_apply(bigint[], text, integer[], bigint, bigint, text, text, text),
    public.simdesk_sim_act(bigint, text, integer, bigint, bigint, text, text, text),
    public.simdesk_sim_swap(bigint, bigint, integer, integer, text, text, text),
    public.simdesk_request_reveal(bigint, text, text), public.simdesk_read_revealed(uuid),
    public.simdesk_close_code(text, text), public.simdesk_expire_overdue_codes()
    TO simdesk_support;
GRANT EXECUTE ON FUNCTION
    public.simdesk_sim_create(text, text, text, text, text, text, text),
    public.simdesk_sim_edit(bigint, integer, text, text, text, text, text),
    public.simdesk_sim_delete(bigint, integer, text, text),
    public.simdesk_set_secrets(bigint, text, text, text),
    public.simdesk_import_commit(text, text, text, integer, boolean, text[], text[], text[], text[], text[], text[]),
    public.simdesk_import_revert(bigint),
    public.simdesk_create_staff(text, text, text, text, text), public.simdesk_set_staff_role(text, text),
    public.simdesk_set_staff_active(text, boolean)
    TO simdesk_admin;
