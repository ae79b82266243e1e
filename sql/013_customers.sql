-- SPDX-License-Identifier: MIT
-- 013: customers found as you type, sorted by any listed column, and changes announced.
--
--  * search_text: one normalised text per customer (name, company, number, e-mail, phone in
--    +49… and 0049… notation), accents removed and lower case by simdesk_fold(). A trigram index
--    over it serves "contains" searches of 3 or more characters with one index for every field
--    (core/services/customerlistquery.cpp writes the matching conditions; its C++ twin of the
--    folding is core/domain/customersearch.cpp, proven equal by tst_customerlistquery).
--  * customer_card_counts: how many cards each customer holds and how many of them are ACTIVE,
--    kept by statement triggers on sim_cards in the same transaction as the change, so that the
--    list sorts by them with an index. A separate table: counting on the customer row itself
--    would bump its version and make every card action a "changed by" for an open edit.
--  * NOTIFY record_changed '<kind>:<id>' (kind "customer"; '<kind>:*' for a statement touching
--    many rows): one channel other kinds of record can use as well (docs/architecture.md).
--
-- unaccent and pg_trgm are trusted extensions: the schema owner may create them when it has
-- CREATE on the database (docs/server-setup.md).

CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;

-- unaccent() is only STABLE (its dictionary could change); naming the dictionary fixes it, which
-- is what an index and a generated column need.
CREATE FUNCTION public.simdesk_fold(p text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT lower(public.unaccent('public.unaccent'::regdictionary, p))
$$;

CREATE FUNCTION public.simdesk_customer_search_text(p_no text, p_name text, p_company text,
                                                    p_email text, p_phone text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT public.simdesk_fold(concat_ws(' ', p_name, p_company, p_no, p_email))
           || coalesce(' ' || p_phone || ' 00' || substr(p_phone, 2), '')
$$;

ALTER TABLE public.customers ADD COLUMN search_text text NOT NULL
    GENERATED ALWAYS AS (public.simdesk_customer_search_text(customer_no, full_name, company, email,
                                                             phone)) STORED;
CREATE INDEX customers_search_trgm ON public.customers USING gin (search_text gin_trgm_ops);
-- The sort orders of the list, each ending in the id so that a page's last row is a cursor.
CREATE INDEX customers_name_sort ON public.customers (full_name, id);
CREATE INDEX customers_company_sort ON public.customers ((coalesce(company, '')), id);
CREATE INDEX customers_created_sort ON public.customers (created_at, id);
-- The search above replaces it.
DROP INDEX public.customers_name_trgm;

CREATE TABLE public.customer_card_counts (
    customer_id  bigint PRIMARY KEY REFERENCES public.customers (id) ON DELETE CASCADE,
    cards        integer NOT NULL DEFAULT 0 CHECK (cards >= 0),
    active_cards integer NOT NULL DEFAULT 0 CHECK (active_cards >= 0)
);
CREATE INDEX customer_card_counts_cards ON public.customer_card_counts (cards, customer_id);
CREATE INDEX customer_card_counts_active ON public.customer_card_counts (active_cards, customer_id);
GRANT SELECT ON public.customer_card_counts TO simdesk_viewer;

INSERT INTO public.customer_card_counts (customer_id, cards, active_cards)
SELECT c.id, count(s.id), count(s.id) FILTER (WHERE s.status = 'ACTIVE')
FROM public.customers c LEFT JOIN public.sim_cards s ON s.customer_id = c.id
GROUP BY c.id;

-- Adds what the changed cards of one statement add and removes what they took away.
CREATE FUNCTION public.simdesk_customer_counts_apply(p_delta jsonb) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    UPDATE public.customer_card_counts k
    SET cards = k.cards + (d.value ->> 0)::integer,
        active_cards = k.active_cards + (d.value ->> 1)::integer
    FROM jsonb_each(p_delta) d
    WHERE k.customer_id = d.key::bigint
$$;
REVOKE ALL ON FUNCTION public.simdesk_customer_counts_apply(jsonb) FROM PUBLIC;

CREATE FUNCTION public.simdesk_customer_counts_upkeep() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_delta jsonb;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT jsonb_object_agg(customer_id, jsonb_build_array(n, a)) INTO v_delta
        FROM (SELECT customer_id, count(*) AS n, count(*) FILTER (WHERE status = 'ACTIVE') AS a
              FROM new_rows WHERE customer_id IS NOT NULL GROUP BY customer_id) d;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT jsonb_object_agg(customer_id, jsonb_build_array(-n, -a)) INTO v_delta
        FROM (SELECT customer_id, count(*) AS n, count(*) FILTER (WHERE status = 'ACTIVE') AS a
              FROM old_rows WHERE customer_id IS NOT NULL GROUP BY customer_id) d;
    ELSE
        -- Every new row adds itself, every old row takes itself away: a card whose holder and
        -- status stayed cancels out in the sums. No join of the two transition tables: the
        -- function's cached plan does not know their sizes, and the nested loop it chose grew
        -- with the square of the cards (17 s for a bulk suspend of 10,000).
        SELECT jsonb_object_agg(customer_id, jsonb_build_array(n, a)) INTO v_delta
        FROM (SELECT customer_id, sum(dn) AS n, sum(da) AS a
              FROM (SELECT customer_id, 1 AS dn, (status = 'ACTIVE')::integer AS da
                    FROM new_rows
                    UNION ALL
                    SELECT customer_id, -1, -(status = 'ACTIVE')::integer
                    FROM old_rows) x
              WHERE customer_id IS NOT NULL
              GROUP BY customer_id HAVING sum(dn) <> 0 OR sum(da) <> 0) d;
    END IF;
    IF v_delta IS NOT NULL THEN
        PERFORM public.simdesk_customer_counts_apply(v_delta);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER sim_cards_customer_counts_insert AFTER INSERT ON public.sim_cards
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.simdesk_customer_counts_upkeep();
CREATE TRIGGER sim_cards_customer_counts_update AFTER UPDATE ON public.sim_cards
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.simdesk_customer_counts_upkeep();
CREATE TRIGGER sim_cards_customer_counts_delete AFTER DELETE ON public.sim_cards
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.simdesk_customer_counts_upkeep();

-- Every customer has its row, so that "no cards" sorts too.
CREATE FUNCTION public.simdesk_customer_counts_new() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO public.customer_card_counts (customer_id) SELECT id FROM new_rows;
    RETURN NULL;
END
$$;
CREATE TRIGGER customers_counts_insert AFTER INSERT ON public.customers
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.simdesk_customer_counts_new();

-- Other workstations hear of changed customers. More than 100 rows: one '<kind>:*'.
CREATE FUNCTION public.simdesk_notify_record_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_kind text := TG_ARGV[0];
    n bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN
        SELECT count(*) INTO n FROM old_rows;
        IF n > 100 THEN
            PERFORM pg_notify('record_changed', v_kind || ':*');
        ELSE
            PERFORM pg_notify('record_changed', v_kind || ':' || id) FROM old_rows;
        END IF;
    ELSE
        SELECT count(*) INTO n FROM new_rows;
        IF n > 100 THEN
            PERFORM pg_notify('record_changed', v_kind || ':*');
        ELSE
            PERFORM pg_notify('record_changed', v_kind || ':' || id) FROM new_rows;
        END IF;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER customers_notify_insert AFTER INSERT ON public.customers
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.simdesk_notify_record_changed('customer');
CREATE TRIGGER customers_notify_update AFTER UPDATE ON public.customers
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.simdesk_notify_record_changed('customer');
CREATE TRIGGER customers_notify_delete AFTER DELETE ON public.customers
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.simdesk_notify_record_changed('customer');

REVOKE ALL ON FUNCTION public.simdesk_customer_counts_upkeep(), public.simdesk_customer_counts_new(),
    public.simdesk_notify_record_changed() FROM PUBLIC;

-- A customer's history reads the events of their cards by customer.
CREATE INDEX sim_events_customer_idx ON public.sim_events (customer_id, created_at)
    WHERE customer_id IS NOT NULL;

-- Anonymising (data-protection erasure that keeps the trail): an administrator replaces a
-- customer's personal fields, here and in the audit log's copies of the row, once none of their
-- cards is RESERVED, ACTIVE or SUSPENDED. The row, its number, its cards' events and every audit
-- row stay; the anonymising is itself an audit row (changed_by, changed_at, anonymised_at).
ALTER TABLE public.customers ADD COLUMN anonymised_at timestamptz;

-- The fields that name a person, as an anonymised row has them.
CREATE FUNCTION public.simdesk_customer_blanked(p_row jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT CASE WHEN p_row IS NULL THEN NULL ELSE p_row || jsonb_build_object(
        'full_name', 'Anonymised customer ' || (p_row ->> 'customer_no'),
        'company', NULL, 'email', NULL, 'phone', NULL, 'address', NULL, 'notes', NULL,
        'search_text', NULL) END
$$;

-- The audit log stays append-only, except that this one function may blank the personal fields
-- of one customer's rows in its own transaction (a setting no role can reach the table with:
-- no application role has UPDATE on audit_log).
CREATE FUNCTION public.simdesk_audit_append_only() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF current_setting('is_superuser') = 'on' THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.table_name = 'customers'
       AND OLD.row_id::text = current_setting('simdesk.anonymising', true)
       AND (NEW.id, NEW.table_name, NEW.row_id, NEW.action, NEW.changed_by, NEW.changed_at)
           IS NOT DISTINCT FROM (OLD.id, OLD.table_name, OLD.row_id, OLD.action, OLD.changed_by,
                                 OLD.changed_at)
       AND NEW.old_row IS NOT DISTINCT FROM public.simdesk_customer_blanked(OLD.old_row)
       AND NEW.new_row IS NOT DISTINCT FROM public.simdesk_customer_blanked(OLD.new_row) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'SD002',
        MESSAGE = format('the %s table is append-only: its rows cannot be changed or deleted', TG_TABLE_NAME),
        HINT = 'Record a correction as a new entry.';
END
$$;
DROP TRIGGER audit_log_append_only ON public.audit_log;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON public.audit_log
    FOR EACH ROW EXECUTE FUNCTION public.simdesk_audit_append_only();

-- SD100: a card of the customer is still in use; SD101: anonymised already.
CREATE FUNCTION public.simdesk_customer_anonymise(p_id bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    c public.customers;
    v_in_use bigint;
BEGIN
    PERFORM public.simdesk_require_role('admin');
    SELECT * INTO c FROM public.customers WHERE id = p_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = format('there is no customer with id %s', p_id);
    END IF;
    IF c.anonymised_at IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'SD101',
            MESSAGE = format('customer %s is anonymised already', c.customer_no),
            DETAIL = jsonb_build_object('customer', c.customer_no, 'anonymised_at', c.anonymised_at)::text;
    END IF;
    -- Cards reach these statuses only through rows locked against this one (see below).
    SELECT count(*) INTO v_in_use FROM public.sim_cards
    WHERE customer_id = p_id AND status IN ('RESERVED', 'ACTIVE', 'SUSPENDED');
    IF v_in_use > 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'SD100',
            MESSAGE = format('customer %s still has %s reserved, active or suspended cards',
                             c.customer_no, v_in_use),
            DETAIL = jsonb_build_object('customer', c.customer_no, 'cards', v_in_use)::text;
    END IF;
    UPDATE public.customers
    SET full_name = 'Anonymised customer ' || customer_no, company = NULL, email = NULL,
        phone = NULL, address = NULL, notes = NULL, anonymised_at = clock_timestamp()
    WHERE id = p_id;
    PERFORM set_config('simdesk.anonymising', p_id::text, true);
    UPDATE public.audit_log
    SET old_row = public.simdesk_customer_blanked(old_row),
        new_row = public.simdesk_customer_blanked(new_row)
    WHERE table_name = 'customers' AND row_id = p_id;
    PERFORM set_config('simdesk.anonymising', '', true);
END
$$;
REVOKE ALL ON FUNCTION public.simdesk_customer_anonymise(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.simdesk_customer_anonymise(bigint) TO simdesk_admin;

-- A card cannot be reserved, activated or suspended for an anonymised customer. The shared lock
-- waits for an anonymising in progress (it holds the row FOR UPDATE) and then sees its outcome.
CREATE FUNCTION public.simdesk_card_holder_not_anonymised() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_no text;
    v_anonymised timestamptz;
BEGIN
    -- Locked whatever it holds: an anonymising that starts later waits for this card's
    -- transaction and then counts the card.
    SELECT customer_no, anonymised_at INTO v_no, v_anonymised FROM public.customers
    WHERE id = NEW.customer_id FOR SHARE;
    IF v_anonymised IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'SD101',
            MESSAGE = format('customer %s is anonymised: no card can be theirs again', v_no),
            DETAIL = jsonb_build_object('customer', v_no)::text;
    END IF;
    RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION public.simdesk_card_holder_not_anonymised(), public.simdesk_audit_append_only(),
    public.simdesk_customer_blanked(jsonb) FROM PUBLIC;
CREATE TRIGGER sim_cards_holder_not_anonymised BEFORE INSERT OR UPDATE OF status, customer_id
    ON public.sim_cards FOR EACH ROW
    WHEN (NEW.customer_id IS NOT NULL AND NEW.status IN ('RESERVED', 'ACTIVE', 'SUSPENDED'))
    EXECUTE FUNCTION public.simdesk_card_holder_not_anonymised();

-- Activation code batches. An administrator issues count codes (1–100,000) in one transaction:
-- random characters from gen_random_bytes (pgcrypto: a cryptographic source), each from four
-- bytes modulo the alphabet's 31 characters (bias below 2^-26), an alphabet without look-alikes
-- (no 0/O, 1/I/L), unique across every code ever issued (the UNIQUE constraint; a collision is
-- drawn again). SD102: a batch request out of bounds.
CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;

CREATE TABLE public.code_batches (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    label       text NOT NULL CHECK (btrim(label) <> '' AND length(label) <= 100),
    prefix      text NOT NULL DEFAULT '' CHECK (prefix ~ '^([A-Z0-9]{1,8}-?)?$'),
    code_length integer NOT NULL CHECK (code_length BETWEEN 6 AND 24),
    code_count  integer NOT NULL CHECK (code_count BETWEEN 1 AND 100000),
    expires_at  timestamptz,
    created_by  text NOT NULL DEFAULT session_user,
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
GRANT SELECT ON public.code_batches TO simdesk_viewer;
ALTER TABLE public.activation_codes ADD COLUMN batch_id bigint REFERENCES public.code_batches (id);
CREATE INDEX activation_codes_batch_idx ON public.activation_codes (batch_id) WHERE batch_id IS NOT NULL;

CREATE FUNCTION public.simdesk_code_alphabet() RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT '23456789ABCDEFGHJKMNPQRSTUVWXYZ' $$;

-- One random code of p_length characters of the alphabet.
CREATE FUNCTION public.simdesk_random_code(p_length integer) RETURNS text
LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
    SELECT string_agg(substr(public.simdesk_code_alphabet(),
               (((get_byte(b, 4 * i)::bigint << 24) + (get_byte(b, 4 * i + 1) << 16)
                + (get_byte(b, 4 * i + 2) << 8) + get_byte(b, 4 * i + 3)) % 31 + 1)::integer, 1), ''
               ORDER BY i)
    FROM (SELECT public.gen_random_bytes(4 * p_length) AS b) r, generate_series(0, p_length - 1) i
$$;

CREATE FUNCTION public.simdesk_code_batch_generate(p_label text, p_count integer, p_length integer,
                                                   p_expires_at timestamptz, p_prefix text)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_batch bigint;
    v_prefix text := upper(coalesce(btrim(p_prefix), ''));
    v_missing integer;
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
    -- A collision (with this batch or any earlier code) is skipped and drawn again.
    WHILE v_missing > 0 LOOP
        INSERT INTO public.activation_codes (code, expires_at, batch_id)
        SELECT v_prefix || public.simdesk_random_code(p_length), p_expires_at, v_batch
        FROM generate_series(1, v_missing)
        ON CONFLICT (code) DO NOTHING;
        SELECT p_count - count(*) INTO v_missing FROM public.activation_codes WHERE batch_id = v_batch;
    END LOOP;
    RETURN v_batch;
END
$$;
REVOKE ALL ON FUNCTION public.simdesk_code_batch_generate(text, integer, integer, timestamptz, text),
    public.simdesk_random_code(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.simdesk_code_batch_generate(text, integer, integer, timestamptz, text)
    TO simdesk_admin;
