-- SPDX-License-Identifier: MIT
-- 021: a code batch's foreign key checked per statement, as 005 did for an import batch.
--
-- Generating 100,000 codes queued 100,000 checks of the same code_batches row, one SPI query each:
-- about 0.5 s of a batch that has 5 s (docs/performance.md, "Activation code batches"). 005
-- replaced the same pattern for sim_cards.import_batch_id. Both now use one set of trigger
-- functions, given the child's column, the parent table and the constraint's name:
--  * simdesk_batch_refs_exist: after an INSERT, for the whole statement: each batch its rows
--    name locked FOR KEY SHARE (what the foreign key locked) and looked up once;
--  * simdesk_batch_ref_exists: after an UPDATE that sets the column, per row (none of SimDesk's
--    own updates does);
--  * simdesk_batch_unreferenced: RESTRICT on the parent, before a DELETE or a new id.
-- Same SQLSTATE (23503), message, detail and constraint name as PostgreSQL's own; run as the
-- owner, as PostgreSQL's own checks are (an admin may insert a code directly, 002, and may not
-- lock a batch). The parent's check runs in the deleting transaction's snapshot, where
-- PostgreSQL's own uses a cross-check snapshot; no login may delete or renumber an import or
-- code batch (002, 013: SELECT only), so only the database owner could meet that difference.

-- 005's functions for the import batch give way to the shared ones below.
DROP TRIGGER sim_cards_batch_exists ON public.sim_cards;
DROP TRIGGER sim_cards_batch_changed ON public.sim_cards;
DROP TRIGGER import_batches_restrict ON public.import_batches;
DROP FUNCTION public.simdesk_card_batches_exist(), public.simdesk_card_batch_exists(),
    public.simdesk_batch_unreferenced();

-- PostgreSQL's own error for a child row naming a batch that is not there, word for word.
CREATE FUNCTION public.simdesk_batch_missing(p_schema text, p_table text, p_column text,
                                             p_value bigint, p_parent text, p_constraint text)
RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = '23503',
        MESSAGE = format('insert or update on table "%s" violates foreign key constraint "%s"',
                         p_table, p_constraint),
        DETAIL = format('Key (%s)=(%s) is not present in table "%s".', p_column, p_value, p_parent),
        SCHEMA = p_schema, TABLE = p_table, CONSTRAINT = p_constraint;
END
$$;

CREATE FUNCTION public.simdesk_batch_refs_exist() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_column text := TG_ARGV[0];
    v_parent text := TG_ARGV[1];
    v_constraint text := TG_ARGV[2];
    v_missing bigint;
BEGIN
    -- A batch deleted before the lock is then missing below.
    EXECUTE format('SELECT m.id FROM (SELECT DISTINCT n.%1$I AS id FROM new_rows n WHERE n.%1$I IS NOT NULL) m '
                   'LEFT JOIN (SELECT p.id FROM public.%2$I p WHERE p.id IN '
                   '  (SELECT n.%1$I FROM new_rows n) FOR KEY SHARE OF p) l ON l.id = m.id '
                   'WHERE l.id IS NULL LIMIT 1', v_column, v_parent)
    INTO v_missing;
    IF v_missing IS NOT NULL THEN
        PERFORM public.simdesk_batch_missing(TG_TABLE_SCHEMA, TG_TABLE_NAME, v_column, v_missing,
                                             v_parent, v_constraint);
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION public.simdesk_batch_ref_exists() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_column text := TG_ARGV[0];
    v_parent text := TG_ARGV[1];
    v_constraint text := TG_ARGV[2];
    v_value bigint := (to_jsonb(NEW) ->> v_column)::bigint;
    v_found boolean;
BEGIN
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM public.%I p WHERE p.id = $1 FOR KEY SHARE OF p)', v_parent)
    INTO v_found USING v_value;
    IF NOT v_found THEN
        PERFORM public.simdesk_batch_missing(TG_TABLE_SCHEMA, TG_TABLE_NAME, v_column, v_value,
                                             v_parent, v_constraint);
    END IF;
    RETURN NULL;
END
$$;

-- The row is locked by the time this runs (a child being inserted into it holds KEY SHARE until
-- it commits), and the query sees what is committed then.
CREATE FUNCTION public.simdesk_batch_unreferenced() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_child text := TG_ARGV[0];
    v_column text := TG_ARGV[1];
    v_constraint text := TG_ARGV[2];
    v_referenced boolean;
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.id = OLD.id THEN
        RETURN NEW;
    END IF;
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM public.%I c WHERE c.%I = $1)', v_child, v_column)
    INTO v_referenced USING OLD.id;
    IF v_referenced THEN
        RAISE EXCEPTION USING ERRCODE = '23503',
            MESSAGE = format('update or delete on table "%s" violates foreign key constraint "%s" on table "%s"',
                             TG_TABLE_NAME, v_constraint, v_child),
            DETAIL = format('Key (id)=(%s) is still referenced from table "%s".', OLD.id, v_child),
            SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME, CONSTRAINT = v_constraint;
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;

-- sim_cards.import_batch_id -> import_batches(id), as 005 had it.
CREATE TRIGGER sim_cards_batch_exists AFTER INSERT ON public.sim_cards
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION public.simdesk_batch_refs_exist('import_batch_id', 'import_batches',
                                                     'sim_cards_import_batch_id_fkey');
CREATE TRIGGER sim_cards_batch_changed AFTER UPDATE OF import_batch_id ON public.sim_cards
    FOR EACH ROW WHEN (NEW.import_batch_id IS NOT NULL
                       AND NEW.import_batch_id IS DISTINCT FROM OLD.import_batch_id)
    EXECUTE FUNCTION public.simdesk_batch_ref_exists('import_batch_id', 'import_batches',
                                                     'sim_cards_import_batch_id_fkey');
CREATE TRIGGER import_batches_restrict BEFORE DELETE OR UPDATE OF id ON public.import_batches
    FOR EACH ROW EXECUTE FUNCTION public.simdesk_batch_unreferenced('sim_cards', 'import_batch_id',
                                                                    'sim_cards_import_batch_id_fkey');

-- activation_codes.batch_id -> code_batches(id), the same way.
ALTER TABLE public.activation_codes DROP CONSTRAINT activation_codes_batch_id_fkey;
CREATE TRIGGER activation_codes_batch_exists AFTER INSERT ON public.activation_codes
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION public.simdesk_batch_refs_exist('batch_id', 'code_batches',
                                                     'activation_codes_batch_id_fkey');
CREATE TRIGGER activation_codes_batch_changed AFTER UPDATE OF batch_id ON public.activation_codes
    FOR EACH ROW WHEN (NEW.batch_id IS NOT NULL AND NEW.batch_id IS DISTINCT FROM OLD.batch_id)
    EXECUTE FUNCTION public.simdesk_batch_ref_exists('batch_id', 'code_batches',
                                                     'activation_codes_batch_id_fkey');
CREATE TRIGGER code_batches_restrict BEFORE DELETE OR UPDATE OF id ON public.code_batches
    FOR EACH ROW EXECUTE FUNCTION public.simdesk_batch_unreferenced('activation_codes', 'batch_id',
                                                                    'activation_codes_batch_id_fkey');

-- Trigger functions: no role calls them directly.
REVOKE ALL ON FUNCTION public.simdesk_batch_refs_exist(), public.simdesk_batch_ref_exists(),
    public.simdesk_batch_unreferenced(),
    public.simdesk_batch_missing(text, text, text, bigint, text, text) FROM PUBLIC;
