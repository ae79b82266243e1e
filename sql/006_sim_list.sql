-- SPDX-License-Identifier: MIT
-- 006: what the SIM list query (core/services/simlistquery.cpp) needs and 001 lacks.
--  * Search matches the last digits of an IMSI as it does for ICCID and MSISDN (001's
--    sim_cards_iccid_rev_idx, sim_cards_msisdn_rev_idx): a reversed-string index.
--  * "Activated within [from, to)": without an index a narrow window reads every card; with the
--    id in it, the window's cards are found without reading them (index-only).
--  * The planner takes no statistics from a partial index's expression, so it guessed that
--    0.5 % of all cards (5,000 at a million) end in any given digits of an MSISDN or IMSI,
--    and then walked the primary key for a search that matches two cards (2 s at a million).
--    Expression statistics give it the real distribution of the reversed strings.
--  * Sorted by MSISDN, cards without a number come after (or before) all others, by id. With a
--    status filter whose cards all have numbers (ACTIVE in practice), finding "none without a
--    number" walked the whole primary key; a partial index answers it at once.
-- (Numbered 006 because another change may take 005.)
CREATE INDEX sim_cards_imsi_rev_idx ON public.sim_cards (reverse(imsi) COLLATE "C")
    WHERE imsi IS NOT NULL;
CREATE INDEX sim_cards_activated_idx ON public.sim_cards (activated_at, id)
    WHERE activated_at IS NOT NULL;
CREATE STATISTICS public.sim_cards_msisdn_rev_stats ON (reverse(msisdn)) FROM public.sim_cards;
CREATE STATISTICS public.sim_cards_imsi_rev_stats ON (reverse(imsi)) FROM public.sim_cards;
CREATE INDEX sim_cards_no_msisdn_idx ON public.sim_cards (status, id) WHERE msisdn IS NULL;
-- The cards of an import batch in id order (the order of the file): the batch filter of the list
-- reads its first page from the index instead of sorting a whole batch (001 had (batch) only).
DROP INDEX public.sim_cards_batch_idx;
CREATE INDEX sim_cards_batch_idx ON public.sim_cards (import_batch_id, id)
    WHERE import_batch_id IS NOT NULL;
-- One status sorted by last change ("ACTIVE, most recently changed first"): (updated_at, id)
-- alone reads every card of the other statuses first (31,000 before the first ACTIVE one in the
-- demo data).
CREATE INDEX sim_cards_status_updated_idx ON public.sim_cards (status, updated_at, id);
