-- SPDX-License-Identifier: MIT
-- 014: administration from the desktop. The staff page needs, beyond what 004 and 011 give:
--  * one read of every login with what the server knows of it: profile, when it last changed
--    (its row or an audited act on it, such as a password set), and its open sessions as
--    pg_stat_activity shows them to the schema owner;
--  * ending a login's sessions without disabling it, audited like the end that disabling brings;
--  * refusals about one's own login as their own SQLSTATE (SD150), so that the client can say
--    what to do instead of passing on the server's words.

-- Disabling one's own login, or ending one's own sessions from here, would cut off the session
-- that asks; the person signs out instead.
CREATE FUNCTION public.simdesk_refuse_own_login(p_login text, p_act text) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF p_login = session_user THEN
        RAISE EXCEPTION USING ERRCODE = 'SD150',
            MESSAGE = format('you cannot %s your own login', p_act),
            DETAIL = jsonb_build_object('login', p_login, 'act', p_act)::text;
    END IF;
END
$$;
REVOKE ALL ON FUNCTION public.simdesk_refuse_own_login(text, text) FROM PUBLIC;

-- Every staff login for the staff page, admins only. Sessions: what pg_stat_activity shows the
-- owner of this function; an owner without pg_read_all_stats still sees every session's login,
-- but not when it started (then NULL: the page says it does not know).
CREATE FUNCTION public.simdesk_staff_overview()
RETURNS TABLE (id bigint, login text, email text, display_name text, role text, active boolean,
               created_at timestamptz, last_change timestamptz, sessions integer,
               newest_session timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
BEGIN
    PERFORM public.simdesk_require_role('admin');
    RETURN QUERY
    SELECT s.id, s.login, s.email, s.display_name, s.role, s.active, s.created_at,
           greatest(s.updated_at, (SELECT max(a.changed_at) FROM public.audit_log a
                                   WHERE a.table_name = 'staff' AND a.row_id = s.id)),
           coalesce(act.n, 0)::integer, act.newest
    FROM public.staff s
    LEFT JOIN (SELECT p.usename, count(*) AS n, max(p.backend_start) AS newest
               FROM pg_catalog.pg_stat_activity p
               WHERE p.usename IS NOT NULL
               GROUP BY p.usename) act ON act.usename = s.login
    ORDER BY s.login;
END
$$;

-- Ends every open session of a login but the caller's own, and records how many ended.
CREATE FUNCTION public.simdesk_end_staff_sessions(p_login text) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_id bigint;
    v_pid integer;
    v_ended integer := 0;
BEGIN
    PERFORM public.simdesk_require_role('admin');
    PERFORM public.simdesk_refuse_own_login(p_login, 'end the sessions of');
    SELECT s.id INTO v_id FROM public.staff s WHERE s.login = p_login;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = format('there is no staff member "%s"', p_login);
    END IF;
    -- A loop, not one SELECT with pg_terminate_backend in its WHERE (004 says why).
    FOR v_pid IN SELECT a.pid FROM pg_catalog.pg_stat_activity a
                 WHERE a.usename = p_login AND a.pid <> pg_backend_pid() LOOP
        IF pg_terminate_backend(v_pid) THEN
            v_ended := v_ended + 1;
        END IF;
    END LOOP;
    INSERT INTO public.audit_log (table_name, row_id, action, new_row, changed_by, changed_at)
    VALUES ('staff', v_id, 'SESSIONS_ENDED', jsonb_build_object('login', p_login, 'sessions', v_ended),
            session_user, clock_timestamp());
    RETURN v_ended;
END
$$;

-- As in 011, with the refusal of one's own login as SD150.
CREATE OR REPLACE FUNCTION public.simdesk_set_staff_active(p_login text, p_active boolean) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_role text;
    v_pid integer;
    v_ended integer := 0;
BEGIN
    PERFORM public.simdesk_require_role('admin');
    PERFORM public.simdesk_lock_staff();
    IF NOT p_active THEN
        PERFORM public.simdesk_refuse_own_login(p_login, 'disable');
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

REVOKE ALL ON FUNCTION public.simdesk_staff_overview(), public.simdesk_end_staff_sessions(text)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.simdesk_staff_overview(), public.simdesk_end_staff_sessions(text)
    TO simdesk_admin;

-- ---------------------------------------------------------------------------------------------
-- Tariff plans. A plan is retired by no longer offering it (active = false, as 004's activation
-- and tariff change already refuse with SD009); the cards on it keep it. The moment it was
-- retired is kept beside the flag, set by the database and never by a client, so the list can
-- say since when; the two cannot disagree.
ALTER TABLE public.tariff_plans ADD COLUMN retired_at timestamptz;
UPDATE public.tariff_plans SET retired_at = updated_at WHERE NOT active;
ALTER TABLE public.tariff_plans
    ADD CONSTRAINT tariff_plans_retired_check CHECK (active = (retired_at IS NULL));

CREATE FUNCTION public.simdesk_tariff_retired_at() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.active IS DISTINCT FROM OLD.active THEN
        NEW.retired_at := CASE WHEN NEW.active THEN NULL ELSE clock_timestamp() END;
    ELSE
        NEW.retired_at := OLD.retired_at;
    END IF;
    RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION public.simdesk_tariff_retired_at() FROM PUBLIC;
CREATE TRIGGER tariff_plans_retired BEFORE INSERT OR UPDATE ON public.tariff_plans
    FOR EACH ROW EXECUTE FUNCTION public.simdesk_tariff_retired_at();

-- The audit log reads every source newest first, page by page from a known row (time, then id),
-- and filters by who changed: each source needs both orders as an index. On sim_events this adds
-- two indexes to every write (an import of a million cards writes a million events).
CREATE INDEX sim_events_time_id_idx ON public.sim_events (created_at, id);
CREATE INDEX sim_events_by_time_idx ON public.sim_events (created_by, created_at, id);
CREATE INDEX audit_log_time_idx ON public.audit_log (changed_at, id);
CREATE INDEX audit_log_by_time_idx ON public.audit_log (changed_by, changed_at, id);
