-- 016: the activation code list, codes closed by hand with a reason, a batch expired as a whole.
--
--  * The effective status stays one rule, simdesk_code_status() (012): a code stored UNUSED whose
--    expires_at has passed is EXPIRED. The list (core/services/codelistquery.cpp) filters with the
--    same rule written so that an index serves it; tests/db/tst_codelistquery proves that each
--    status filter returns exactly the codes simdesk_code_status() gives that status.
--  * The audit log records why: audit_log.reason, filled by simdesk_audit_row() from the
--    transaction-local setting simdesk.audit_reason, which the functions below set (normalised
--    by simdesk_reason(), 011) around their change and clear again.
--  * SD110: no such code batch. SD111: a batch without an unused code left to expire.
--    SD112: closing a code or expiring a batch needs a reason.
--  * NOTIFY record_changed 'code:<id>' (013's trigger function) for activation codes, and
--    'code_batch:<id>' for batches.

ALTER TABLE public.audit_log ADD COLUMN reason text;

CREATE OR REPLACE FUNCTION public.simdesk_audit_row() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO public.audit_log (table_name, row_id, action, old_row, new_row, changed_by, changed_at,
                                  reason)
    VALUES (TG_TABLE_NAME,
            CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END,
            TG_OP,
            CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END,
            CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END,
            session_user, clock_timestamp(),
            nullif(current_setting('simdesk.audit_reason', true), ''));
    RETURN NULL;
END
$$;

-- Batches are audited like the codes (creation, expiry).
ALTER TABLE public.code_batches ADD COLUMN expired_at timestamptz;
ALTER TABLE public.code_batches ADD COLUMN expired_by text;
CREATE TRIGGER code_batches_audit AFTER INSERT OR UPDATE OR DELETE ON public.code_batches
    FOR EACH ROW EXECUTE FUNCTION public.simdesk_audit_row();

-- The reason rule of 011, refused as SD112 when nothing is left.
CREATE FUNCTION public.simdesk_code_reason(p_reason text) RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_reason text := public.simdesk_reason(p_reason);
BEGIN
    IF v_reason IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'SD112', MESSAGE = 'closing activation codes needs a reason';
    END IF;
    RETURN v_reason;
END
$$;

-- Support: an UNUSED code closed by hand as USED or EXPIRED, with the reason in the audit log.
-- Refusals as simdesk_close_code (004/011): SD011 unknown, SD012 used, SD013 expired (for USED).
CREATE FUNCTION public.simdesk_code_close(p_code text, p_status text, p_reason text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_reason text;
BEGIN
    PERFORM public.simdesk_require_role('support');
    v_reason := public.simdesk_code_reason(p_reason);
    PERFORM set_config('simdesk.audit_reason', v_reason, true);
    PERFORM public.simdesk_close_code(p_code, p_status);
    PERFORM set_config('simdesk.audit_reason', '', true);
END
$$;

-- Admin: every code of a batch that is still UNUSED becomes EXPIRED, in one statement, with the
-- reason on each code's audit row and on the batch's; returns how many codes it expired (codes
-- already past their expiry are stored EXPIRED too, and counted).
CREATE FUNCTION public.simdesk_code_batch_expire(p_batch bigint, p_reason text) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    b public.code_batches;
    v_reason text;
    n integer;
BEGIN
    PERFORM public.simdesk_require_role('admin');
    v_reason := public.simdesk_code_reason(p_reason);
    SELECT * INTO b FROM public.code_batches WHERE id = p_batch FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'SD110', MESSAGE = format('there is no code batch %s', p_batch),
            DETAIL = jsonb_build_object('batch', p_batch)::text;
    END IF;
    PERFORM set_config('simdesk.audit_reason', v_reason, true);
    UPDATE public.activation_codes SET status = 'EXPIRED'
    WHERE batch_id = p_batch AND status = 'UNUSED';
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n = 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'SD111',
            MESSAGE = format('code batch "%s" has no unused code left', b.label),
            DETAIL = jsonb_build_object('batch', b.label)::text;
    END IF;
    UPDATE public.code_batches SET expired_at = clock_timestamp(), expired_by = session_user
    WHERE id = p_batch;
    PERFORM set_config('simdesk.audit_reason', '', true);
    RETURN n;
END
$$;

REVOKE ALL ON FUNCTION public.simdesk_code_reason(text), public.simdesk_code_close(text, text, text),
    public.simdesk_code_batch_expire(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.simdesk_code_close(text, text, text) TO simdesk_support;
GRANT EXECUTE ON FUNCTION public.simdesk_code_batch_expire(bigint, text) TO simdesk_admin;

-- The list's orders and filters (core/services/codelistquery.cpp), each within 50 ms at
-- 1,000,000 codes (tests/bench/bench_codelist.cpp, docs/performance.md):
--  newest first, and by status (stored USED / UNUSED, and the codes that are not USED for
--  EXPIRED, which also takes the overdue UNUSED ones);
CREATE INDEX activation_codes_status_id_idx ON public.activation_codes (status, id);
CREATE INDEX activation_codes_open_id_idx ON public.activation_codes (id) WHERE status <> 'USED';
--  by code and by a prefix of it (LIKE 'ABC%' in the C collation walks this index in order);
CREATE INDEX activation_codes_code_c_idx ON public.activation_codes (code COLLATE "C");
--  by expiry, codes that never expire last;
CREATE INDEX activation_codes_expires_idx
    ON public.activation_codes ((coalesce(expires_at, 'infinity'::timestamptz)), id);
--  the usable codes that expire within N days (001's (status, expires_at) index).
--  a batch's codes in order.
CREATE INDEX activation_codes_batch_id_idx ON public.activation_codes (batch_id, id)
    WHERE batch_id IS NOT NULL;
DROP INDEX public.activation_codes_batch_idx;

-- Other workstations hear of changed codes and batches.
CREATE TRIGGER activation_codes_notify_insert AFTER INSERT ON public.activation_codes
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.simdesk_notify_record_changed('code');
CREATE TRIGGER activation_codes_notify_update AFTER UPDATE ON public.activation_codes
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.simdesk_notify_record_changed('code');
CREATE TRIGGER activation_codes_notify_delete AFTER DELETE ON public.activation_codes
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.simdesk_notify_record_changed('code');
CREATE TRIGGER code_batches_notify_insert AFTER INSERT ON public.code_batches
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.simdesk_notify_record_changed('code_batch');
CREATE TRIGGER code_batches_notify_update AFTER UPDATE ON public.code_batches
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.simdesk_notify_record_changed('code_batch');
