-- SPDX-License-Identifier: MIT
-- 015: what the dashboard's "Imported" counts.
--
-- It counts imports that happened, on the day each happened (IMPORTED events), less the cards
-- of imports that were reverted since: a revert takes its cards off the day they were imported,
-- not off the day of the revert. So an import of 50 cards reverted the same day leaves 0 for
-- that day, and one reverted a month later lowers the bar of the month it was imported in.
-- ("reverted" stays what it was: IMPORT_REVERTED events on the day of the revert.)
--
-- In the rollup (stats_event_days, 008) the IMPORTED rows of a key therefore sum to the
-- IMPORTED events of that day whose card has no IMPORT_REVERTED event. The events trigger adds
-- that correction in the same statement as the events: for every card a statement touches with
-- an IMPORTED or IMPORT_REVERTED row, it counts the card's imports that are "imported and
-- reverted" before and after the statement and writes the difference. A revert (one INSERT of
-- IMPORT_REVERTED events) reads the IMPORTED events of its own cards through
-- sim_events_sim_idx; an import (IMPORTED events of new cards, which have no revert) adds
-- nothing. A superuser's UPDATE or DELETE of events is counted the same way. The one thing not
-- followed is a superuser INSERTing an IMPORTED event for a card that was reverted already;
-- simdesk_stats_rebuild() repairs that, as it repairs disabled triggers.

-- The corrections below run only when a statement has import rows, and through EXECUTE: planned
-- each time with the transition tables' real sizes. A plan cached from a small first call
-- (nested loops over a few rows) took minutes for a revert of 100,000 cards.
CREATE OR REPLACE FUNCTION public.simdesk_stats_events_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_tz text;
BEGIN
    SELECT s.time_zone INTO v_tz FROM public.stats_settings s;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO public.stats_event_days (day, event_type, new_status, n)
        SELECT (r.created_at AT TIME ZONE v_tz)::date, r.event_type, r.new_status, count(*)
        FROM new_rows r GROUP BY 1, 2, 3;
        -- Cards reverted by this statement: their imports leave the chart (before: none of
        -- these new revert rows; after: the table as it is now).
        IF EXISTS (SELECT 1 FROM new_rows r WHERE r.event_type = 'IMPORT_REVERTED') THEN
            EXECUTE $q$
            WITH touched AS (
                SELECT DISTINCT r.sim_id FROM new_rows r WHERE r.event_type = 'IMPORT_REVERTED'
            ), after_set AS (
                SELECT e.id, e.sim_id, e.event_type, e.new_status, e.created_at
                FROM public.sim_events e JOIN touched t ON t.sim_id = e.sim_id
                WHERE e.event_type IN ('IMPORTED', 'IMPORT_REVERTED')
            ), before_set AS (
                SELECT a.* FROM after_set a WHERE NOT EXISTS (SELECT 1 FROM new_rows r WHERE r.id = a.id)
            )
            INSERT INTO public.stats_event_days (day, event_type, new_status, n)
            SELECT d.day, 'IMPORTED', d.new_status, sum(d.n)
            -- Whether a card has a revert in the set: a window over the set, not a self-join
            -- (which, planned from a guessed size, became a nested loop over the whole set).
            FROM (SELECT (i.created_at AT TIME ZONE $1)::date AS day, i.new_status, -1 AS n
                  FROM (SELECT a.*, bool_or(a.event_type = 'IMPORT_REVERTED') OVER (PARTITION BY a.sim_id) AS reverted
                        FROM after_set a) i
                  WHERE i.event_type = 'IMPORTED' AND i.reverted
                  UNION ALL
                  SELECT (i.created_at AT TIME ZONE $1)::date, i.new_status, 1
                  FROM (SELECT b.*, bool_or(b.event_type = 'IMPORT_REVERTED') OVER (PARTITION BY b.sim_id) AS reverted
                        FROM before_set b) i
                  WHERE i.event_type = 'IMPORTED' AND i.reverted) d
            GROUP BY d.day, d.new_status HAVING sum(d.n) <> 0
            $q$ USING v_tz;
        END IF;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO public.stats_event_days (day, event_type, new_status, n)
        SELECT (r.created_at AT TIME ZONE v_tz)::date, r.event_type, r.new_status, -count(*)
        FROM old_rows r GROUP BY 1, 2, 3;
        IF EXISTS (SELECT 1 FROM old_rows r WHERE r.event_type IN ('IMPORTED', 'IMPORT_REVERTED')) THEN
            EXECUTE $q$
            WITH touched AS (
                SELECT DISTINCT r.sim_id FROM old_rows r
                WHERE r.event_type IN ('IMPORTED', 'IMPORT_REVERTED')
            ), after_set AS (
                SELECT e.id, e.sim_id, e.event_type, e.new_status, e.created_at
                FROM public.sim_events e JOIN touched t ON t.sim_id = e.sim_id
                WHERE e.event_type IN ('IMPORTED', 'IMPORT_REVERTED')
            ), before_set AS (
                SELECT a.* FROM after_set a
                UNION ALL
                SELECT r.id, r.sim_id, r.event_type, r.new_status, r.created_at FROM old_rows r
                WHERE r.event_type IN ('IMPORTED', 'IMPORT_REVERTED')
            )
            INSERT INTO public.stats_event_days (day, event_type, new_status, n)
            SELECT d.day, 'IMPORTED', d.new_status, sum(d.n)
            -- Whether a card has a revert in the set: a window over the set, not a self-join
            -- (which, planned from a guessed size, became a nested loop over the whole set).
            FROM (SELECT (i.created_at AT TIME ZONE $1)::date AS day, i.new_status, -1 AS n
                  FROM (SELECT a.*, bool_or(a.event_type = 'IMPORT_REVERTED') OVER (PARTITION BY a.sim_id) AS reverted
                        FROM after_set a) i
                  WHERE i.event_type = 'IMPORTED' AND i.reverted
                  UNION ALL
                  SELECT (i.created_at AT TIME ZONE $1)::date, i.new_status, 1
                  FROM (SELECT b.*, bool_or(b.event_type = 'IMPORT_REVERTED') OVER (PARTITION BY b.sim_id) AS reverted
                        FROM before_set b) i
                  WHERE i.event_type = 'IMPORTED' AND i.reverted) d
            GROUP BY d.day, d.new_status HAVING sum(d.n) <> 0
            $q$ USING v_tz;
        END IF;
    ELSE
        INSERT INTO public.stats_event_days (day, event_type, new_status, n)
        SELECT d.day, d.event_type, d.new_status, sum(d.n)
        FROM (SELECT (r.created_at AT TIME ZONE v_tz)::date AS day, r.event_type, r.new_status, -1 AS n
              FROM old_rows r
              UNION ALL
              SELECT (r.created_at AT TIME ZONE v_tz)::date, r.event_type, r.new_status, 1
              FROM new_rows r) d
        GROUP BY 1, 2, 3 HAVING sum(d.n) <> 0;
        IF EXISTS (SELECT 1 FROM old_rows r WHERE r.event_type IN ('IMPORTED', 'IMPORT_REVERTED'))
           OR EXISTS (SELECT 1 FROM new_rows r WHERE r.event_type IN ('IMPORTED', 'IMPORT_REVERTED')) THEN
            EXECUTE $q$
            WITH touched AS (
                SELECT r.sim_id FROM old_rows r WHERE r.event_type IN ('IMPORTED', 'IMPORT_REVERTED')
                UNION
                SELECT r.sim_id FROM new_rows r WHERE r.event_type IN ('IMPORTED', 'IMPORT_REVERTED')
            ), after_set AS (
                SELECT e.id, e.sim_id, e.event_type, e.new_status, e.created_at
                FROM public.sim_events e JOIN touched t ON t.sim_id = e.sim_id
                WHERE e.event_type IN ('IMPORTED', 'IMPORT_REVERTED')
            ), before_set AS (
                SELECT a.* FROM after_set a WHERE NOT EXISTS (SELECT 1 FROM new_rows r WHERE r.id = a.id)
                UNION ALL
                SELECT r.id, r.sim_id, r.event_type, r.new_status, r.created_at
                FROM old_rows r -- every such row's card is in touched
                WHERE r.event_type IN ('IMPORTED', 'IMPORT_REVERTED')
            )
            INSERT INTO public.stats_event_days (day, event_type, new_status, n)
            SELECT d.day, 'IMPORTED', d.new_status, sum(d.n)
            -- Whether a card has a revert in the set: a window over the set, not a self-join
            -- (which, planned from a guessed size, became a nested loop over the whole set).
            FROM (SELECT (i.created_at AT TIME ZONE $1)::date AS day, i.new_status, -1 AS n
                  FROM (SELECT a.*, bool_or(a.event_type = 'IMPORT_REVERTED') OVER (PARTITION BY a.sim_id) AS reverted
                        FROM after_set a) i
                  WHERE i.event_type = 'IMPORTED' AND i.reverted
                  UNION ALL
                  SELECT (i.created_at AT TIME ZONE $1)::date, i.new_status, 1
                  FROM (SELECT b.*, bool_or(b.event_type = 'IMPORT_REVERTED') OVER (PARTITION BY b.sim_id) AS reverted
                        FROM before_set b) i
                  WHERE i.event_type = 'IMPORTED' AND i.reverted) d
            GROUP BY d.day, d.new_status HAVING sum(d.n) <> 0
            $q$ USING v_tz;
        END IF;
    END IF;
    RETURN NULL;
END
$$;

-- The rebuild counts the same way: an IMPORTED event of a card that was reverted is left out.
CREATE OR REPLACE FUNCTION public.simdesk_stats_rebuild() RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_tz text;
BEGIN
    PERFORM 1 FROM public.serial_locks WHERE name = 'stats' FOR UPDATE;
    LOCK TABLE public.sim_cards, public.sim_events IN SHARE MODE;
    SELECT s.time_zone INTO v_tz FROM public.stats_settings s;
    DELETE FROM public.stats_card_counts;
    DELETE FROM public.stats_activation_days;
    DELETE FROM public.stats_event_days;
    INSERT INTO public.stats_card_counts (status, tariff_plan_id, n, compacted)
    SELECT c.status, c.tariff_plan_id, count(*), true FROM public.sim_cards c GROUP BY 1, 2;
    INSERT INTO public.stats_activation_days (day, n, compacted)
    SELECT (c.activated_at AT TIME ZONE v_tz)::date, count(*), true
    FROM public.sim_cards c WHERE c.activated_at IS NOT NULL GROUP BY 1;
    INSERT INTO public.stats_event_days (day, event_type, new_status, n, compacted)
    SELECT (e.created_at AT TIME ZONE v_tz)::date, e.event_type, e.new_status,
           count(*) FILTER (WHERE rv.sim_id IS NULL), true
    FROM public.sim_events e
    LEFT JOIN (SELECT DISTINCT r.sim_id FROM public.sim_events r
               WHERE r.event_type = 'IMPORT_REVERTED') rv
           ON e.event_type = 'IMPORTED' AND rv.sim_id = e.sim_id
    GROUP BY 1, 2, 3
    HAVING count(*) FILTER (WHERE rv.sim_id IS NULL) > 0;
END
$$;

REVOKE ALL ON FUNCTION public.simdesk_stats_events_changed(), public.simdesk_stats_rebuild()
    FROM PUBLIC;

SELECT public.simdesk_stats_rebuild();
