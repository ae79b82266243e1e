-- 019: the cards of one ICCID prefix in id order, for the SIM list's search at ten million cards.
--
-- An 8-digit ICCID prefix names an issuer's range, and an import batch is such a range: at
-- 10,000,000 cards one prefix matched 1,800,000 cards in a contiguous run of ids far from the
-- newest. The list shows the newest first; no index held those cards in id order, so the first
-- page read all of them (12.1 s walking the primary key, 5.6 s fenced: docs/performance.md,
-- "Ten million cards"). With this index the ICCID alternative of the search
-- (core/services/simlistsql.cpp, SimListSql::searchArmsFrom) walks the prefix's cards newest
-- first and stops after a page. The second column is id + 0, and the search orders by it, so that
-- only this index offers that order: with plain id the planner walked the primary key instead
-- (1.1 s), taking the prefix's 1,480,000 estimated cards as spread evenly over the ids. Its keys
-- arrive in id order within one prefix, so an import adds to the right end of one range, as to
-- the primary key.
CREATE INDEX sim_cards_iccid_prefix_id_idx ON public.sim_cards ((left(iccid, 8)), (id + 0));
-- Statistics of the new expression, so that the planner knows how many cards a prefix has.
ANALYZE public.sim_cards;
