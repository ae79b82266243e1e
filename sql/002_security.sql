-- SPDX-License-Identifier: MIT
-- 002: the security model of DESIGN.md §4, enforced by the database itself, so that no
-- workstation, and nobody with psql and a staff password, can skip a rule, the audit trail or a
-- permission.
--
--  * Group roles simdesk_viewer ⊂ simdesk_support ⊂ simdesk_admin carry every grant; each staff
--    member is a LOGIN role that is a member of exactly one of them (docs/security.md).
--  * Table privileges are column-exact: support may change a card's status, holder and number,
--    not its ICCID; nobody may write sim_events.created_by/created_at or touch sim_secrets.
--  * Triggers: the transition table on every status change, the audit trail append-only, who
--    and when of an event from the session, a DELETED event when a card goes, NOTIFY on every
--    card change.
--  * SECURITY DEFINER functions for what a role may do only in a controlled way: reveal PIN/PUK
--    (audited), set them, manage staff logins.
--
-- Superusers stand above every rule (they can disable triggers anyway); the triggers let them
-- through where the demo data generator and maintenance need it, and say so below.
--
-- Running this migration needs CREATEROLE (to create the three group roles and, later, staff
-- logins through simdesk_create_staff); the functions run with the privileges of the role that
-- ran it.

-- Group roles are cluster-wide: create them once, tolerating a concurrent migration of another
-- database on the same cluster.
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['simdesk_viewer', 'simdesk_support', 'simdesk_admin'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', r);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;
            END;
        END IF;
    END LOOP;
    IF NOT pg_has_role('simdesk_support', 'simdesk_viewer', 'MEMBER') THEN
        GRANT simdesk_viewer TO simdesk_support;
    END IF;
    IF NOT pg_has_role('simdesk_admin', 'simdesk_support', 'MEMBER') THEN
        GRANT simdesk_support TO simdesk_admin;
    END IF;
END
$$;

-- Nothing for PUBLIC: every privilege below goes to a group.
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO simdesk_viewer;

-- Customer numbers for customers created without one (C-000123).
CREATE SEQUENCE customer_no_seq;
SELECT setval('customer_no_seq', greatest(1, (SELECT count(*) FROM customers)));
ALTER TABLE customers ALTER COLUMN customer_no
    SET DEFAULT 'C-' || lpad(nextval('customer_no_seq')::text, 6, '0');
GRANT USAGE ON SEQUENCE customer_no_seq TO simdesk_support;

-- Viewer: read everything but the secrets.
GRANT SELECT ON sim_cards, customers, tariff_plans, activation_codes, sim_events, import_batches,
                staff, sim_transitions, schema_migrations
    TO simdesk_viewer;

-- Support: lifecycle actions and customers.
GRANT UPDATE (status, msisdn, customer_id, tariff_plan_id, activation_code_id, activated_at,
              terminated_at)
    ON sim_cards TO simdesk_support;
GRANT INSERT (sim_id, event_type, old_status, new_status, customer_id, tariff_plan_id,
              import_batch_id, swap_id, note, details)
    ON sim_events TO simdesk_support;
GRANT INSERT (customer_no, full_name, company, email, phone, address, notes),
      UPDATE (customer_no, full_name, company, email, phone, address, notes),
      DELETE
    ON customers TO simdesk_support;
GRANT UPDATE (status, used_at) ON activation_codes TO simdesk_support;

-- Admin: card inventory, imports, tariff plans, activation codes, staff profiles.
GRANT INSERT (iccid, msisdn, imsi, sim_type, import_batch_id),
      UPDATE (iccid, imsi, sim_type, import_batch_id),
      DELETE
    ON sim_cards TO simdesk_admin;
GRANT INSERT (code, name, sim_type, monthly_fee, data_mb, active),
      UPDATE (code, name, sim_type, monthly_fee, data_mb, active),
      DELETE
    ON tariff_plans TO simdesk_admin;
GRANT INSERT (code, status, expires_at), DELETE ON activation_codes TO simdesk_admin;
GRANT INSERT (file_name, checksum, format, total_rows, created_count, skipped_count),
      UPDATE (status, reverted_by, reverted_at)
    ON import_batches TO simdesk_admin;
GRANT UPDATE (email, display_name) ON staff TO simdesk_admin;

-- ---------------------------------------------------------------------------------------------
-- Lifecycle: every status change must be a row of sim_transitions (SQLSTATE SD001), and a new
-- card starts AVAILABLE (SD003; superusers may insert history, as the demo generator does).
CREATE FUNCTION simdesk_check_transition() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'AVAILABLE' AND current_setting('is_superuser') <> 'on' THEN
            RAISE EXCEPTION USING ERRCODE = 'SD003',
                MESSAGE = format('a new SIM card starts AVAILABLE, not %s', NEW.status),
                HINT = 'Create the card, then use the lifecycle actions.';
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status THEN
        IF NOT EXISTS (SELECT 1 FROM sim_transitions
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
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER sim_cards_transition BEFORE INSERT OR UPDATE OF status ON sim_cards
    FOR EACH ROW EXECUTE FUNCTION simdesk_check_transition();

-- ---------------------------------------------------------------------------------------------
-- Audit trail: append-only (SD002), and who/when come from the session, whatever the client
-- sends. Superusers may set them (the demo generator writes a year of history) and may clean
-- up a test database.
CREATE FUNCTION simdesk_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('is_superuser') = 'on' THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'SD002',
        MESSAGE = 'the SIM event history is append-only: events cannot be changed or deleted',
        HINT = 'Record a correction as a new event.';
END
$$;
CREATE TRIGGER sim_events_append_only BEFORE UPDATE OR DELETE ON sim_events
    FOR EACH ROW EXECUTE FUNCTION simdesk_events_append_only();
CREATE TRIGGER sim_events_no_truncate BEFORE TRUNCATE ON sim_events
    FOR EACH STATEMENT EXECUTE FUNCTION simdesk_events_append_only();

CREATE FUNCTION simdesk_event_origin() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('is_superuser') <> 'on' THEN
        NEW.created_by := session_user;
        NEW.created_at := now();
    END IF;
    -- Events of a card that exists (DELETED and IMPORT_REVERTED are written as the card goes).
    IF NEW.event_type NOT IN ('DELETED', 'IMPORT_REVERTED')
       AND NOT EXISTS (SELECT 1 FROM sim_cards WHERE id = NEW.sim_id) THEN
        RAISE EXCEPTION USING ERRCODE = '23503',
            MESSAGE = format('there is no SIM card with id %s', NEW.sim_id);
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER sim_events_origin BEFORE INSERT ON sim_events
    FOR EACH ROW EXECUTE FUNCTION simdesk_event_origin();

-- Only a card nobody has used can be deleted (SD004): AVAILABLE, never assigned, and no event
-- beyond its creation, edits and secret reads. Anything else is terminated instead, which keeps
-- its history whole.
CREATE FUNCTION simdesk_check_card_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status <> 'AVAILABLE' OR OLD.customer_id IS NOT NULL OR OLD.activation_code_id IS NOT NULL
       OR EXISTS (SELECT 1 FROM sim_events
                  WHERE sim_id = OLD.id
                    AND event_type NOT IN ('CREATED', 'IMPORTED', 'EDITED', 'SECRET_REVEALED')) THEN
        RAISE EXCEPTION USING ERRCODE = 'SD004',
            MESSAGE = format('SIM card %s has been used and cannot be deleted', OLD.iccid),
            HINT = 'Terminate it instead; its history stays.';
    END IF;
    RETURN OLD;
END
$$;
CREATE TRIGGER sim_cards_check_delete BEFORE DELETE ON sim_cards
    FOR EACH ROW EXECUTE FUNCTION simdesk_check_card_delete();

-- A deleted card leaves a DELETED event with what it was; when an import batch is reverted
-- (which sets the transaction-local simdesk.delete_event), an IMPORT_REVERTED one. The setting
-- only names the event of a deletion the role may do anyway.
CREATE FUNCTION simdesk_card_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO sim_events (sim_id, event_type, old_status, import_batch_id, details)
    VALUES (OLD.id,
            CASE WHEN current_setting('simdesk.delete_event', true) = 'IMPORT_REVERTED'
                 THEN 'IMPORT_REVERTED' ELSE 'DELETED' END,
            OLD.status, OLD.import_batch_id,
            jsonb_build_object('iccid', OLD.iccid, 'msisdn', OLD.msisdn, 'imsi', OLD.imsi,
                               'sim_type', OLD.sim_type));
    RETURN OLD;
END
$$;
CREATE TRIGGER sim_cards_deleted AFTER DELETE ON sim_cards
    FOR EACH ROW EXECUTE FUNCTION simdesk_card_deleted();

-- ---------------------------------------------------------------------------------------------
-- Other workstations refresh on NOTIFY sim_changed (delivered at commit). Payload "id:STATUS"
-- per card, or "*:N" for a statement that changed more than 100 cards (an import), where a
-- listener reloads rather than receiving a million messages.
CREATE FUNCTION simdesk_notify_sim_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
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
CREATE TRIGGER sim_cards_notify_insert AFTER INSERT ON sim_cards
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION simdesk_notify_sim_changed();
CREATE TRIGGER sim_cards_notify_update AFTER UPDATE ON sim_cards
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION simdesk_notify_sim_changed();
CREATE TRIGGER sim_cards_notify_delete AFTER DELETE ON sim_cards
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION simdesk_notify_sim_changed();

-- ---------------------------------------------------------------------------------------------
-- Who is this session? 'admin', 'support', 'viewer' by group membership (highest wins), or NULL.
CREATE FUNCTION simdesk_session_role() RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN pg_has_role(session_user, 'simdesk_admin', 'MEMBER') THEN 'admin'
        WHEN pg_has_role(session_user, 'simdesk_support', 'MEMBER') THEN 'support'
        WHEN pg_has_role(session_user, 'simdesk_viewer', 'MEMBER') THEN 'viewer'
    END
$$;

CREATE FUNCTION simdesk_require_role(wanted text) RETURNS void
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF NOT pg_has_role(session_user, 'simdesk_' || wanted, 'MEMBER') THEN
        RAISE EXCEPTION USING ERRCODE = '42501',
            MESSAGE = format('permission denied: this needs the %s role', wanted);
    END IF;
END
$$;

-- PIN and PUK of a card, for support and admin; every call leaves a SECRET_REVEALED event.
CREATE FUNCTION simdesk_reveal_secrets(p_sim_id bigint, p_reason text DEFAULT NULL)
RETURNS TABLE (pin text, puk text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    card_status text;
BEGIN
    PERFORM simdesk_require_role('support');
    SELECT status INTO card_status FROM sim_cards WHERE id = p_sim_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = format('there is no SIM card with id %s', p_sim_id);
    END IF;
    INSERT INTO sim_events (sim_id, event_type, old_status, new_status, note, created_by, created_at)
    VALUES (p_sim_id, 'SECRET_REVEALED', card_status, card_status, p_reason, session_user, now());
    RETURN QUERY SELECT s.pin::text, s.puk::text FROM sim_secrets s WHERE s.sim_id = p_sim_id;
END
$$;

-- Stores PIN/PUK of a card (admin: card creation and imports).
CREATE FUNCTION simdesk_set_secrets(p_sim_id bigint, p_pin text, p_puk text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM simdesk_require_role('admin');
    INSERT INTO sim_secrets (sim_id, pin, puk) VALUES (p_sim_id, p_pin, p_puk)
    ON CONFLICT (sim_id) DO UPDATE SET pin = EXCLUDED.pin, puk = EXCLUDED.puk;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Staff logins. The password arrives as a SCRAM-SHA-256 verifier computed by the client
-- (libpq's PQencryptPasswordConn, as psql's \password does), so the server, its logs and
-- pg_stat_activity never see it in clear.
CREATE FUNCTION simdesk_check_staff_role(p_role text) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF p_role IS NULL OR p_role NOT IN ('viewer', 'support', 'admin') THEN
        RAISE EXCEPTION USING ERRCODE = '22023',
            MESSAGE = format('"%s" is not a SimDesk role; use viewer, support or admin', p_role);
    END IF;
END
$$;

CREATE FUNCTION simdesk_create_staff(p_login text, p_password_verifier text, p_email text,
                                     p_display_name text, p_role text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    new_id bigint;
BEGIN
    PERFORM simdesk_require_role('admin');
    PERFORM simdesk_check_staff_role(p_role);
    IF p_login IS NULL OR p_login !~ '^[a-z_][a-z0-9_.-]{0,62}$' OR p_login LIKE 'simdesk\_%'
       OR p_login LIKE 'pg\_%' THEN
        RAISE EXCEPTION USING ERRCODE = '22023',
            MESSAGE = format('"%s" is not a valid login name', p_login),
            HINT = 'Use lower-case letters, digits, dot, dash and underscore, starting with a letter.';
    END IF;
    IF p_password_verifier IS NULL OR p_password_verifier !~ '^SCRAM-SHA-256\$' THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'the password must be sent as a SCRAM-SHA-256 verifier';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_login) THEN
        RAISE EXCEPTION USING ERRCODE = '42710', MESSAGE = format('a login named "%s" already exists', p_login);
    END IF;
    EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L IN ROLE %I',
                   p_login, p_password_verifier, 'simdesk_' || p_role);
    -- A profile may exist before its login (a list of staff loaded beforehand): adopt it.
    INSERT INTO staff (login, email, display_name, role)
    VALUES (p_login, p_email, p_display_name, p_role)
    ON CONFLICT (login) DO UPDATE
        SET email = EXCLUDED.email, display_name = EXCLUDED.display_name, role = EXCLUDED.role, active = true
    RETURNING id INTO new_id;
    RETURN new_id;
END
$$;

CREATE FUNCTION simdesk_set_staff_role(p_login text, p_role text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    g text;
BEGIN
    PERFORM simdesk_require_role('admin');
    PERFORM simdesk_check_staff_role(p_role);
    UPDATE staff SET role = p_role WHERE login = p_login;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = format('there is no staff member "%s"', p_login);
    END IF;
    FOREACH g IN ARRAY ARRAY['viewer', 'support', 'admin'] LOOP
        IF g <> p_role AND EXISTS (SELECT 1 FROM pg_auth_members m
                                   JOIN pg_roles r ON r.oid = m.roleid
                                   JOIN pg_roles u ON u.oid = m.member
                                   WHERE r.rolname = 'simdesk_' || g AND u.rolname = p_login) THEN
            EXECUTE format('REVOKE %I FROM %I', 'simdesk_' || g, p_login);
        END IF;
    END LOOP;
    EXECUTE format('GRANT %I TO %I', 'simdesk_' || p_role, p_login);
END
$$;

CREATE FUNCTION simdesk_set_staff_active(p_login text, p_active boolean) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM simdesk_require_role('admin');
    IF p_login = session_user AND NOT p_active THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'you cannot disable your own login';
    END IF;
    UPDATE staff SET active = p_active WHERE login = p_login;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = format('there is no staff member "%s"', p_login);
    END IF;
    EXECUTE format('ALTER ROLE %I %s', p_login, CASE WHEN p_active THEN 'LOGIN' ELSE 'NOLOGIN' END);
END
$$;

-- A staff member changes their own password; an admin anybody's.
CREATE FUNCTION simdesk_set_staff_password(p_login text, p_password_verifier text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF p_login <> session_user THEN
        PERFORM simdesk_require_role('admin');
    END IF;
    IF NOT EXISTS (SELECT 1 FROM staff WHERE login = p_login) THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = format('there is no staff member "%s"', p_login);
    END IF;
    IF p_password_verifier IS NULL OR p_password_verifier !~ '^SCRAM-SHA-256\$' THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'the password must be sent as a SCRAM-SHA-256 verifier';
    END IF;
    EXECUTE format('ALTER ROLE %I PASSWORD %L', p_login, p_password_verifier);
END
$$;

REVOKE ALL ON FUNCTION simdesk_reveal_secrets(bigint, text), simdesk_set_secrets(bigint, text, text),
    simdesk_create_staff(text, text, text, text, text), simdesk_set_staff_role(text, text),
    simdesk_set_staff_active(text, boolean), simdesk_set_staff_password(text, text)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION simdesk_session_role(), simdesk_require_role(text),
    simdesk_set_staff_password(text, text) TO simdesk_viewer;
GRANT EXECUTE ON FUNCTION simdesk_reveal_secrets(bigint, text) TO simdesk_support;
GRANT EXECUTE ON FUNCTION simdesk_set_secrets(bigint, text, text),
    simdesk_create_staff(text, text, text, text, text), simdesk_set_staff_role(text, text),
    simdesk_set_staff_active(text, boolean) TO simdesk_admin;
