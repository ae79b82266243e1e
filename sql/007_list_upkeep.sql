-- SPDX-License-Identifier: MIT
-- 007: vacuum sim_cards soon after a bulk change, so the SIM list's index-only walks stay
-- index-only.
--
-- The list places a scroll-bar jump with an OFFSET walk over the sort key's index
-- (SimListQuery::rowsAt), which reads only the index while the visibility map says the table's
-- pages are all-visible. A bulk action on 10,000 cards spread over the table clears that bit on
-- most pages, and the same jump then visits the heap: 150–435 ms instead of 40–80 ms at a
-- million cards (docs/performance.md). With PostgreSQL's defaults autovacuum waits for
-- 50 + 20 % of the table's rows to be dead (200,050 at a million), so the list stayed slow for
-- days of ordinary work. Here a fixed number of dead rows starts it, whatever the table's size:
-- the next autovacuum round (autovacuum_naptime, one minute by default) after a bulk action
-- vacuums the table. Such a vacuum is cheap: it skips all-visible pages, and with dead rows on
-- fewer than 2 % of the pages PostgreSQL leaves the indexes alone (index vacuuming bypass, 14+).
-- Imports are inserts: a vacuum after 20,000 new rows marks their pages all-visible too.
ALTER TABLE public.sim_cards SET (
    autovacuum_vacuum_scale_factor = 0.0,
    autovacuum_vacuum_threshold = 5000,
    autovacuum_vacuum_insert_scale_factor = 0.0,
    autovacuum_vacuum_insert_threshold = 20000,
    autovacuum_analyze_scale_factor = 0.02
);
