-- SPDX-License-Identifier: MIT
-- 008: the dashboard's rollups (issue 9, docs/dashboard.md).
--
-- The dashboard must not scan a million cards and millions of events on every refresh. The
-- database keeps what it shows itself, in the same transaction as every change:
--
--  * stats_card_counts (status, tariff_plan_id, n): cards per status and tariff plan (NULL: no
--    plan). KPIs, "by status" and "by tariff" are sums over it.
--  * stats_activation_days (day, n): cards by the calendar day of sim_cards.activated_at, the
--    column the SIM list's "activated from/to" filter reads, so a chart period and the list
--    behind it count the same cards.
--  * stats_event_days (day, event_type, new_status, n): events per calendar day, type and new
--    status (imports: IMPORTED; terminations: TERMINATED, and SWAPPED_OUT ending TERMINATED).
--
-- Each is a table of delta rows, not of counters: statement-level AFTER triggers with transition
-- tables append one row per key a statement changed (-1 per old row, +1 per new row, summed, zero
-- sums left out). Concurrent transactions therefore never wait for each other on a counter row;
-- a reader sums the rows of a key. simdesk_stats_compact() folds them into one row per key now
-- and then (StatsService calls it before a dashboard read when there are more than 1,000 rows).
--
-- Days are calendar days in one time zone for everybody, stats_settings.time_zone, taken from
-- the migrating session's TimeZone (the server's setting unless that session overrode it); the
-- triggers never use the writing session's TimeZone. After changing it, an owner runs
-- simdesk_stats_rebuild(), which also repairs the rollups after triggers were disabled
-- (ALTER TABLE ... DISABLE TRIGGER, session_replication_role = replica).
--
-- Application roles may read the rollups and nothing else: only the SECURITY DEFINER triggers
-- and compaction write them.

CREATE TABLE public.stats_settings (
    only_row  boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    time_zone text NOT NULL
);
INSERT INTO public.stats_settings (time_zone) VALUES (current_setting('TimeZone'));

CREATE TABLE public.stats_card_counts (
    status         text NOT NULL,
    tariff_plan_id bigint,  -- no foreign key: a plan whose cards all went may be deleted
    n              bigint NOT NULL,
    compacted boolean NOT NULL DEFAULT false  -- written by compaction or rebuild, not a delta
);
CREATE TABLE public.stats_activation_days (
    day date NOT NULL,
    n   bigint NOT NULL,
    compacted boolean NOT NULL DEFAULT false  -- written by compaction or rebuild, not a delta
);
CREATE INDEX stats_activation_days_day_idx ON public.stats_activation_days (day);
CREATE TABLE public.stats_event_days (
    day        date NOT NULL,
    event_type text NOT NULL,
    new_status text,
    n          bigint NOT NULL,
    compacted boolean NOT NULL DEFAULT false  -- written by compaction or rebuild, not a delta
);
CREATE INDEX stats_event_days_type_day_idx ON public.stats_event_days (event_type, day);

-- ---------------------------------------------------------------------------------------------
-- Cards: one trigger function for INSERT, UPDATE and DELETE (each branch names only the
-- transition tables its statement has; PL/pgSQL plans a branch when it first runs it).
-- Transition tables cannot go with a column list (UPDATE OF ...), so every UPDATE fires it;
-- an update that changes neither status, plan nor activation day sums to nothing and writes
-- nothing.
CREATE FUNCTION public.simdesk_stats_cards_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_tz text;
BEGIN
    SELECT s.time_zone INTO v_tz FROM public.stats_settings s;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO public.stats_card_counts (status, tariff_plan_id, n)
        SELECT r.status, r.tariff_plan_id, count(*) FROM new_rows r GROUP BY 1, 2;
        INSERT INTO public.stats_activation_days (day, n)
        SELECT (r.activated_at AT TIME ZONE v_tz)::date, count(*)
        FROM new_rows r WHERE r.activated_at IS NOT NULL GROUP BY 1;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO public.stats_card_counts (status, tariff_plan_id, n)
        SELECT r.status, r.tariff_plan_id, -count(*) FROM old_rows r GROUP BY 1, 2;
        INSERT INTO public.stats_activation_days (day, n)
        SELECT (r.activated_at AT TIME ZONE v_tz)::date, -count(*)
        FROM old_rows r WHERE r.activated_at IS NOT NULL GROUP BY 1;
    ELSE
        INSERT INTO public.stats_card_counts (status, tariff_plan_id, n)
        SELECT d.status, d.tariff_plan_id, sum(d.n)
        FROM (SELECT r.status, r.tariff_plan_id, -1 AS n FROM old_rows r
              UNION ALL
              SELECT r.status, r.tariff_plan_id, 1 FROM new_rows r) d
        GROUP BY 1, 2 HAVING sum(d.n) <> 0;
        INSERT INTO public.stats_activation_days (day, n)
        SELECT d.day, sum(d.n)
        FROM (SELECT (r.activated_at AT TIME ZONE v_tz)::date AS day, -1 AS n
              FROM old_rows r WHERE r.activated_at IS NOT NULL
              UNION ALL
              SELECT (r.activated_at AT TIME ZONE v_tz)::date, 1
              FROM new_rows r WHERE r.activated_at IS NOT NULL) d
        GROUP BY 1 HAVING sum(d.n) <> 0;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER sim_cards_stats_insert AFTER INSERT ON public.sim_cards
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.simdesk_stats_cards_changed();
CREATE TRIGGER sim_cards_stats_update AFTER UPDATE ON public.sim_cards
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.simdesk_stats_cards_changed();
CREATE TRIGGER sim_cards_stats_delete AFTER DELETE ON public.sim_cards
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.simdesk_stats_cards_changed();

-- Events: appended by the database only (004); UPDATE and DELETE only by a superuser cleaning up,
-- counted all the same so that the rollups stay equal to the table.
CREATE FUNCTION public.simdesk_stats_events_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_tz text;
BEGIN
    SELECT s.time_zone INTO v_tz FROM public.stats_settings s;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO public.stats_event_days (day, event_type, new_status, n)
        SELECT (r.created_at AT TIME ZONE v_tz)::date, r.event_type, r.new_status, count(*)
        FROM new_rows r GROUP BY 1, 2, 3;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO public.stats_event_days (day, event_type, new_status, n)
        SELECT (r.created_at AT TIME ZONE v_tz)::date, r.event_type, r.new_status, -count(*)
        FROM old_rows r GROUP BY 1, 2, 3;
    ELSE
        INSERT INTO public.stats_event_days (day, event_type, new_status, n)
        SELECT d.day, d.event_type, d.new_status, sum(d.n)
        FROM (SELECT (r.created_at AT TIME ZONE v_tz)::date AS day, r.event_type, r.new_status, -1 AS n
              FROM old_rows r
              UNION ALL
              SELECT (r.created_at AT TIME ZONE v_tz)::date, r.event_type, r.new_status, 1
              FROM new_rows r) d
        GROUP BY 1, 2, 3 HAVING sum(d.n) <> 0;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER sim_events_stats_insert AFTER INSERT ON public.sim_events
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.simdesk_stats_events_changed();
CREATE TRIGGER sim_events_stats_update AFTER UPDATE ON public.sim_events
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.simdesk_stats_events_changed();
CREATE TRIGGER sim_events_stats_delete AFTER DELETE ON public.sim_events
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.simdesk_stats_events_changed();

-- TRUNCATE (a superuser resetting a database) empties the matching rollups.
CREATE FUNCTION public.simdesk_stats_truncated() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_TABLE_NAME = 'sim_cards' THEN
        DELETE FROM public.stats_card_counts;
        DELETE FROM public.stats_activation_days;
    ELSE
        DELETE FROM public.stats_event_days;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER sim_cards_stats_truncate AFTER TRUNCATE ON public.sim_cards
    FOR EACH STATEMENT EXECUTE FUNCTION public.simdesk_stats_truncated();
CREATE TRIGGER sim_events_stats_truncate AFTER TRUNCATE ON public.sim_events
    FOR EACH STATEMENT EXECUTE FUNCTION public.simdesk_stats_truncated();

-- ---------------------------------------------------------------------------------------------
-- Compaction: each rollup with more than p_threshold delta rows (rows not marked compacted; 0:
-- any) becomes one row per key, in ONE statement per table: DELETE ... RETURNING the rows of this statement's
-- snapshot, INSERT their sums. Rows of transactions that commit meanwhile are not in the
-- snapshot, so they are neither deleted nor summed: they stay as they are. Nothing is lost or
-- counted twice; nobody updates a delta row, so writers never wait for a compaction. One
-- compaction at a time (an advisory lock; a second caller returns 0 at once). Must run in a
-- READ COMMITTED transaction of its own (in REPEATABLE READ a row deleted by a compaction that
-- committed after the snapshot raises a serialisation error: nothing wrong, just refused).
-- Returns how many delta rows went.
CREATE FUNCTION public.simdesk_stats_compact(p_threshold integer) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_limit bigint := greatest(coalesce(p_threshold, 0), 0);
    v_removed bigint := 0;
    v_n bigint;
BEGIN
    PERFORM public.simdesk_require_role('viewer');
    IF NOT pg_try_advisory_xact_lock(hashtextextended('simdesk-stats-compact', 0)) THEN
        RETURN 0;
    END IF;
    IF (SELECT count(*) FROM (SELECT 1 FROM public.stats_card_counts WHERE NOT compacted LIMIT v_limit + 1) x) > v_limit THEN
        WITH gone AS (
            DELETE FROM public.stats_card_counts RETURNING status, tariff_plan_id, n
        ), kept AS (
            INSERT INTO public.stats_card_counts (status, tariff_plan_id, n, compacted)
            SELECT g.status, g.tariff_plan_id, sum(g.n), true FROM gone g
            GROUP BY 1, 2 HAVING sum(g.n) <> 0
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM gone) - (SELECT count(*) FROM kept) INTO v_n;
        v_removed := v_removed + v_n;
    END IF;
    IF (SELECT count(*) FROM (SELECT 1 FROM public.stats_activation_days WHERE NOT compacted LIMIT v_limit + 1) x) > v_limit THEN
        WITH gone AS (
            DELETE FROM public.stats_activation_days RETURNING day, n
        ), kept AS (
            INSERT INTO public.stats_activation_days (day, n, compacted)
            SELECT g.day, sum(g.n), true FROM gone g GROUP BY 1 HAVING sum(g.n) <> 0
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM gone) - (SELECT count(*) FROM kept) INTO v_n;
        v_removed := v_removed + v_n;
    END IF;
    IF (SELECT count(*) FROM (SELECT 1 FROM public.stats_event_days WHERE NOT compacted LIMIT v_limit + 1) x) > v_limit THEN
        WITH gone AS (
            DELETE FROM public.stats_event_days RETURNING day, event_type, new_status, n
        ), kept AS (
            INSERT INTO public.stats_event_days (day, event_type, new_status, n, compacted)
            SELECT g.day, g.event_type, g.new_status, sum(g.n), true FROM gone g
            GROUP BY 1, 2, 3 HAVING sum(g.n) <> 0
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM gone) - (SELECT count(*) FROM kept) INTO v_n;
        v_removed := v_removed + v_n;
    END IF;
    RETURN v_removed;
END
$$;

-- Rollups from scratch, from the tables as they are: after the migration, a change of
-- stats_settings.time_zone, or triggers that were disabled. Blocks every writer of cards and
-- events until it commits (SHARE locks), so that nothing changes between the scan and the
-- triggers taking over. Owner only (granted to no role).
CREATE FUNCTION public.simdesk_stats_rebuild() RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_tz text;
BEGIN
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
    SELECT (e.created_at AT TIME ZONE v_tz)::date, e.event_type, e.new_status, count(*), true
    FROM public.sim_events e GROUP BY 1, 2, 3;
END
$$;

SELECT public.simdesk_stats_rebuild();

-- ---------------------------------------------------------------------------------------------
-- Privileges: read for every SimDesk login, writes for nobody but the functions above.
REVOKE ALL ON public.stats_settings, public.stats_card_counts, public.stats_activation_days,
    public.stats_event_days FROM PUBLIC;
GRANT SELECT ON public.stats_settings, public.stats_card_counts, public.stats_activation_days,
    public.stats_event_days TO simdesk_viewer;
REVOKE ALL ON FUNCTION public.simdesk_stats_cards_changed(), public.simdesk_stats_events_changed(),
    public.simdesk_stats_truncated(), public.simdesk_stats_compact(integer),
    public.simdesk_stats_rebuild() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.simdesk_stats_compact(integer) TO simdesk_viewer;
