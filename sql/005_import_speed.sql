-- SPDX-License-Identifier: MIT
-- 005: the import at the speed of the database, every rule still enforced.
--
-- Measured with tests/bench/bench_import (300,000 rows, EXPLAIN ANALYZE of the statement inside
-- simdesk_import_commit, docs/performance.md): after 004 the cards insert paid, per row, the
-- plpgsql Luhn CHECK (about 5 us), a foreign-key check of its import batch run through SPI
-- (1.3 s for 300,000 rows, always the same batch), and index entries no query reads. This
-- migration keeps every rule and makes each cheaper:
--
--  * simdesk_luhn_valid: the same function (the ICCID CHECK of 001 calls it by oid), now
--    unrolled: one digit test, one conversion, one expression over 20 bytes instead of a loop of
--    statements; about twice as fast. The loop of 001 stays as simdesk_luhn_valid_loop, for
--    digit strings longer than 20 and as the reference that tests/db/tst_constraints compares
--    the new one with (valid and invalid ICCIDs, every length, non-digits, NULL).
--  * sim_cards.import_batch_id: the foreign key becomes a statement-level check over the
--    inserted rows (one look-up per distinct batch, not one per card), a row trigger for the
--    rare UPDATE of the column, and a RESTRICT trigger on import_batches; the batches named are
--    locked FOR KEY SHARE as the foreign key locked them. Same SQLSTATE (23503) and message.
--  * Indexes: sim_events_batch_idx is read by no query (the revert finds a batch's cards
--    through sim_cards_batch_idx, and events are read by card, type and time); the UNIQUE of
--    sim_cards.activation_code_id becomes a partial unique index of the same name, so that the
--    cards without a code (all of an import) add no index entry; NULLs never conflicted anyway.
--    sim_cards_updated_idx stays: the SIM list sorts by "last changed" through it (006).

-- ---------------------------------------------------------------------------------------------
-- Luhn (ITU-T E.118): the loop of 001, kept under a new name.
CREATE FUNCTION public.simdesk_luhn_valid_loop(digits text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    b bytea := convert_to(digits, 'SQL_ASCII');
    n integer := length(b);
    s integer := 0;
    d integer;
BEGIN
    IF digits !~ '^[0-9]+$' THEN
        RETURN false;
    END IF;
    FOR i IN 0 .. n - 1 LOOP
        d := get_byte(b, n - 1 - i) - 48;
        IF i % 2 = 1 THEN
            d := d * 2;
            IF d > 9 THEN d := d - 9; END IF;
        END IF;
        s := s + d;
    END LOOP;
    RETURN s % 10 = 0;
END
$$;

-- Up to 20 digits, left-padded with zeros (a leading zero adds nothing, doubled or not). From
-- the right, every second digit d is doubled and its digits summed: 2d - 9 when d >= 5, which
-- is 2d + d / 5 modulo 10. A digit string is one that ltrim() of every digit leaves empty.
-- No SET search_path, like 001's: a SET clause costs a configuration save and restore on every
-- call, and the body names only pg_catalog functions (never looked up in pg_temp) and one
-- schema-qualified function.
CREATE OR REPLACE FUNCTION public.simdesk_luhn_valid(digits text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    b bytea;
BEGIN
    IF digits = '' OR ltrim(digits, '0123456789') <> '' THEN
        RETURN false;
    END IF;
    IF length(digits) > 20 THEN
        RETURN public.simdesk_luhn_valid_loop(digits);
    END IF;
    b := convert_to(lpad(digits, 20, '0'), 'SQL_ASCII');
    RETURN ((get_byte(b, 19) - 48) + 2 * (get_byte(b, 18) - 48) + (get_byte(b, 18) - 48) / 5
             + (get_byte(b, 17) - 48) + 2 * (get_byte(b, 16) - 48) + (get_byte(b, 16) - 48) / 5
             + (get_byte(b, 15) - 48) + 2 * (get_byte(b, 14) - 48) + (get_byte(b, 14) - 48) / 5
             + (get_byte(b, 13) - 48) + 2 * (get_byte(b, 12) - 48) + (get_byte(b, 12) - 48) / 5
             + (get_byte(b, 11) - 48) + 2 * (get_byte(b, 10) - 48) + (get_byte(b, 10) - 48) / 5
             + (get_byte(b, 9) - 48) + 2 * (get_byte(b, 8) - 48) + (get_byte(b, 8) - 48) / 5
             + (get_byte(b, 7) - 48) + 2 * (get_byte(b, 6) - 48) + (get_byte(b, 6) - 48) / 5
             + (get_byte(b, 5) - 48) + 2 * (get_byte(b, 4) - 48) + (get_byte(b, 4) - 48) / 5
             + (get_byte(b, 3) - 48) + 2 * (get_byte(b, 2) - 48) + (get_byte(b, 2) - 48) / 5
             + (get_byte(b, 1) - 48) + 2 * (get_byte(b, 0) - 48) + (get_byte(b, 0) - 48) / 5) % 10 = 0;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- sim_cards.import_batch_id -> import_batches(id), ON DELETE RESTRICT, checked per statement.
ALTER TABLE public.sim_cards DROP CONSTRAINT sim_cards_import_batch_id_fkey;

CREATE FUNCTION public.simdesk_card_batches_exist() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_missing bigint;
BEGIN
    -- Lock what the foreign key locked: each batch named, FOR KEY SHARE, so that it cannot be
    -- deleted before this transaction ends; a batch deleted meanwhile is then missing below.
    PERFORM 1 FROM public.import_batches b
    WHERE b.id IN (SELECT DISTINCT n.import_batch_id FROM new_rows n WHERE n.import_batch_id IS NOT NULL)
    FOR KEY SHARE OF b;
    SELECT m.id INTO v_missing
    FROM (SELECT DISTINCT n.import_batch_id AS id FROM new_rows n WHERE n.import_batch_id IS NOT NULL) m
    WHERE NOT EXISTS (SELECT 1 FROM public.import_batches b WHERE b.id = m.id)
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = '23503',
            MESSAGE = 'insert or update on table "sim_cards" violates foreign key constraint "sim_cards_import_batch_id_fkey"',
            DETAIL = format('Key (import_batch_id)=(%s) is not present in table "import_batches".', v_missing),
            SCHEMA = 'public', TABLE = 'sim_cards', CONSTRAINT = 'sim_cards_import_batch_id_fkey';
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER sim_cards_batch_exists AFTER INSERT ON public.sim_cards
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.simdesk_card_batches_exist();

CREATE FUNCTION public.simdesk_card_batch_exists() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM 1 FROM public.import_batches b WHERE b.id = NEW.import_batch_id FOR KEY SHARE OF b;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = '23503',
            MESSAGE = 'insert or update on table "sim_cards" violates foreign key constraint "sim_cards_import_batch_id_fkey"',
            DETAIL = format('Key (import_batch_id)=(%s) is not present in table "import_batches".', NEW.import_batch_id),
            SCHEMA = 'public', TABLE = 'sim_cards', CONSTRAINT = 'sim_cards_import_batch_id_fkey';
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER sim_cards_batch_changed AFTER UPDATE OF import_batch_id ON public.sim_cards
    FOR EACH ROW WHEN (NEW.import_batch_id IS NOT NULL
                       AND NEW.import_batch_id IS DISTINCT FROM OLD.import_batch_id)
    EXECUTE FUNCTION public.simdesk_card_batch_exists();

-- RESTRICT on the batch's side. The row is locked by the time this runs (a card being inserted
-- into it holds KEY SHARE until it commits), and the query sees what is committed then.
CREATE FUNCTION public.simdesk_batch_unreferenced() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.id = OLD.id THEN
        RETURN NEW;
    END IF;
    IF EXISTS (SELECT 1 FROM public.sim_cards c WHERE c.import_batch_id = OLD.id) THEN
        RAISE EXCEPTION USING ERRCODE = '23503',
            MESSAGE = 'update or delete on table "import_batches" violates foreign key constraint "sim_cards_import_batch_id_fkey" on table "sim_cards"',
            DETAIL = format('Key (id)=(%s) is still referenced from table "sim_cards".', OLD.id),
            SCHEMA = 'public', TABLE = 'import_batches', CONSTRAINT = 'sim_cards_import_batch_id_fkey';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
CREATE TRIGGER import_batches_restrict BEFORE DELETE OR UPDATE OF id ON public.import_batches
    FOR EACH ROW EXECUTE FUNCTION public.simdesk_batch_unreferenced();

-- ---------------------------------------------------------------------------------------------
-- Index entries nobody reads.
DROP INDEX public.sim_events_batch_idx;
ALTER TABLE public.sim_cards DROP CONSTRAINT sim_cards_activation_code_id_key;
CREATE UNIQUE INDEX sim_cards_activation_code_id_key ON public.sim_cards (activation_code_id)
    WHERE activation_code_id IS NOT NULL;

-- The functions above are trigger functions and helpers: no role calls them directly.
REVOKE ALL ON FUNCTION public.simdesk_luhn_valid_loop(text), public.simdesk_card_batches_exist(),
    public.simdesk_card_batch_exists(), public.simdesk_batch_unreferenced() FROM PUBLIC;

