-- 018: generating a batch of activation codes within 5 s for 100,000 codes again.
--
-- 016 took a 100,000-code batch from 3.4 s to 12.2 s (docs/performance.md, "Activation code
-- batches"). Timed part by part (EXPLAIN ANALYZE of the batch's INSERT, and the batch generated
-- in rolled-back transactions with one part changed at a time), three parts cost the most:
--  * drawing the codes: simdesk_random_code() was a SQL function that cannot be inlined (its body
--    reads from a subquery), so each of the 100,000 codes paid a call of the SQL function
--    executor, about 25 µs each; the same expression written into the INSERT as a subquery over
--    each code's random bytes takes about a tenth of that;
--  * the audit: one row per code through the row trigger simdesk_audit_row(), a PL/pgSQL call
--    and a one-row INSERT per code; the rows of an INSERT are now written by one statement-level
--    trigger over the transition table (simdesk_audit_inserted), with the same content: one
--    audit row per code, the code's row as new_row, who, when, and the reason in force;
--  * two b-tree indexes over the random codes: the UNIQUE constraint's (default collation) and
--    016's (code COLLATE "C") for the list's byte-order sort and prefix search. The codes are
--    upper-case letters, digits and '-', for which byte order is the only order anyone needs, so
--    the column itself is COLLATE "C" now: the UNIQUE index serves equality, the sort and LIKE
--    'ABC%' alike, and 016's second index goes.
--  * one index too many: 001's (status, expires_at) served "the usable codes that expire within
--    N days" before 016; the list now walks 016's (status, id) for that filter, newest first, and
--    stops after a page (bench_codelist), so each code no longer pays for it.
-- Updates and deletes of codes keep the row trigger (one code at a time, or a batch expired).

-- The column's collation: the UNIQUE index is rebuilt with it, and serves what 016's did.
DROP INDEX public.activation_codes_code_c_idx;
DROP INDEX public.activation_codes_status_idx;
ALTER TABLE public.activation_codes ALTER COLUMN code TYPE text COLLATE "C";

-- One audit row per inserted row, written by one statement (same columns as simdesk_audit_row).
CREATE FUNCTION public.simdesk_audit_inserted() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO public.audit_log (table_name, row_id, action, old_row, new_row, changed_by, changed_at,
                                  reason)
    SELECT TG_TABLE_NAME, n.id, 'INSERT', NULL, to_jsonb(n), session_user, clock_timestamp(),
           nullif(current_setting('simdesk.audit_reason', true), '')
    FROM new_rows AS n
    ORDER BY n.id;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION public.simdesk_audit_inserted() FROM PUBLIC;

DROP TRIGGER activation_codes_audit ON public.activation_codes;
CREATE TRIGGER activation_codes_audit AFTER UPDATE OR DELETE ON public.activation_codes
    FOR EACH ROW EXECUTE FUNCTION public.simdesk_audit_row();
CREATE TRIGGER activation_codes_audit_insert AFTER INSERT ON public.activation_codes
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.simdesk_audit_inserted();

-- The batch: as 013's, with each code drawn inside the INSERT. Each character comes from four
-- bytes of gen_random_bytes (pgcrypto, a cryptographic source) modulo the alphabet's 31
-- characters (bias below 2^-26); a collision (with this batch or any earlier code) is skipped and
-- drawn again.
CREATE OR REPLACE FUNCTION public.simdesk_code_batch_generate(p_label text, p_count integer,
                                                              p_length integer,
                                                              p_expires_at timestamptz,
                                                              p_prefix text)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_batch bigint;
    v_prefix text := upper(coalesce(btrim(p_prefix), ''));
    v_alphabet text := public.simdesk_code_alphabet();
    v_missing integer;
    v_inserted integer;
BEGIN
    PERFORM public.simdesk_require_role('admin');
    IF p_count IS NULL OR p_count NOT BETWEEN 1 AND 100000 OR p_length IS NULL
       OR p_length NOT BETWEEN 6 AND 24 OR v_prefix !~ '^([A-Z0-9]{1,8}-?)?$'
       OR length(v_prefix) + p_length > 32 OR btrim(coalesce(p_label, '')) = ''
       OR (p_expires_at IS NOT NULL AND p_expires_at <= clock_timestamp()) THEN
        RAISE EXCEPTION USING ERRCODE = 'SD102',
            MESSAGE = 'a code batch needs a label, 1 to 100000 codes of 6 to 24 characters, a '
                      'prefix of up to 8 letters or digits and an expiry in the future',
            DETAIL = jsonb_build_object('count', p_count, 'length', p_length,
                                        'prefix', v_prefix)::text;
    END IF;
    INSERT INTO public.code_batches (label, prefix, code_length, code_count, expires_at)
    VALUES (btrim(p_label), v_prefix, p_length, p_count, p_expires_at) RETURNING id INTO v_batch;
    v_missing := p_count;
    WHILE v_missing > 0 LOOP
        INSERT INTO public.activation_codes (code, expires_at, batch_id)
        SELECT v_prefix
               || (SELECT string_agg(substr(v_alphabet,
                              (((get_byte(r.b, 4 * i)::bigint << 24) + (get_byte(r.b, 4 * i + 1) << 16)
                                + (get_byte(r.b, 4 * i + 2) << 8) + get_byte(r.b, 4 * i + 3))
                               % 31 + 1)::integer, 1), '' ORDER BY i)
                   FROM generate_series(0, p_length - 1) AS i),
               p_expires_at, v_batch
        FROM (SELECT public.gen_random_bytes(4 * p_length) AS b
              FROM generate_series(1, v_missing)) AS r
        ON CONFLICT (code) DO NOTHING;
        -- What this INSERT added, rather than counting the batch's rows again (013).
        GET DIAGNOSTICS v_inserted = ROW_COUNT;
        v_missing := v_missing - v_inserted;
    END LOOP;
    RETURN v_batch;
END
$$;

-- No longer used: the batch draws its codes itself.
DROP FUNCTION public.simdesk_random_code(integer);
