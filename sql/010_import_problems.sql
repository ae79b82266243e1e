-- SPDX-License-Identifier: MIT
-- 010: the problems of a committed import (issue 10), so that the Imports page can list them
-- after the wizard has closed: the rows the "skip" policy left out (invalid rows, duplicates in
-- the file, cards SimDesk already had), each with its line, column, code and message.
--
--  * import_batch_problems is append-only and no application role writes it: only
--    simdesk_import_record_problems (SECURITY DEFINER, admins) does, and only for a batch that
--    the calling session committed in the calling transaction. "This transaction" is checked
--    twice: the batch row's xmin is the current transaction id (exact, as no savepoint is used
--    by the import), and its created_at is now(), the transaction's start time (so that a
--    frozen row from 2^32 transactions ago cannot match by a wrapped xmin). Nobody can attach
--    forged problems to someone else's batch, nor to an old one.
--  * At most 100,000 problems per batch (ImportSummary::kMaxListedProblems, the client's list
--    cap); the counts of import_batches stay the complete numbers.
--  * Everyone who reads import_batches reads its problems (the viewer group and up).

CREATE TABLE public.import_batch_problems (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, -- the file's order within a line
    batch_id bigint NOT NULL REFERENCES public.import_batches (id) ON DELETE RESTRICT,
    line     bigint NOT NULL CHECK (line >= 0),
    "column" text NOT NULL DEFAULT '',
    code     text NOT NULL,
    message  text NOT NULL
);
-- The detail pages through a batch's problems in file order.
CREATE INDEX import_batch_problems_batch_idx ON public.import_batch_problems (batch_id, line, id);

REVOKE ALL ON public.import_batch_problems FROM PUBLIC;
GRANT SELECT ON public.import_batch_problems TO simdesk_viewer;

CREATE TRIGGER import_batch_problems_append_only BEFORE UPDATE OR DELETE ON public.import_batch_problems
    FOR EACH ROW EXECUTE FUNCTION public.simdesk_events_append_only();
CREATE TRIGGER import_batch_problems_no_truncate BEFORE TRUNCATE ON public.import_batch_problems
    FOR EACH STATEMENT EXECUTE FUNCTION public.simdesk_events_append_only();

-- Records the problems of batch p_batch_id, one per array position; returns how many were
-- stored. Called right after simdesk_import_commit, in the same transaction.
CREATE FUNCTION public.simdesk_import_record_problems(p_batch_id bigint, p_lines bigint[],
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
    IF v_batch.created_by <> session_user OR v_batch.created_at <> now()
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
REVOKE ALL ON FUNCTION public.simdesk_import_record_problems(bigint, bigint[], text[], text[], text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.simdesk_import_record_problems(bigint, bigint[], text[], text[], text[])
    TO simdesk_admin;
