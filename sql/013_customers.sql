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
        SELECT jsonb_object_agg(customer_id, jsonb_build_array(n, a)) INTO v_delta
        FROM (SELECT customer_id, sum(dn) AS n, sum(da) AS a
              FROM (SELECT n.customer_id, 1 AS dn, (n.status = 'ACTIVE')::integer AS da
                    FROM new_rows n JOIN old_rows o ON o.id = n.id
                    WHERE n.customer_id IS DISTINCT FROM o.customer_id OR n.status <> o.status
                    UNION ALL
                    SELECT o.customer_id, -1, -(o.status = 'ACTIVE')::integer
                    FROM new_rows n JOIN old_rows o ON o.id = n.id
                    WHERE n.customer_id IS DISTINCT FROM o.customer_id OR n.status <> o.status) x
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
