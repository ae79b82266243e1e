-- SPDX-License-Identifier: MIT
-- 003: what the import engine needs from the database.
--
--  * Admins may INSERT PIN/PUK rows (an import writes them set-based from its staging table);
--    reading them stays impossible for every role (simdesk_reveal_secrets only), and changing
--    them goes through simdesk_set_secrets.
--  * The list of imports, by status and newest first.

GRANT INSERT (sim_id, pin, puk) ON sim_secrets TO simdesk_admin;

CREATE INDEX import_batches_status_idx ON import_batches (status, created_at);
