-- SPDX-License-Identifier: MIT
-- 003: what the import engine needs from the database.
--
--  * Admins may INSERT PIN/PUK rows (an import writes them set-based from its staging table);
--    reading them stays impossible for every role (simdesk_reveal_secrets only), and changing
--    them goes through simdesk_set_secrets.
--  * Reverting a batch deletes its untouched cards; the card-deleted trigger then records
--    IMPORT_REVERTED instead of DELETED, chosen by a transaction-local setting that the revert
--    sets. (The setting only names the event of a deletion the role may do anyway.)

GRANT INSERT (sim_id, pin, puk) ON sim_secrets TO simdesk_admin;

CREATE OR REPLACE FUNCTION simdesk_card_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO sim_events (sim_id, event_type, old_status, import_batch_id, details)
    VALUES (OLD.id,
            CASE WHEN current_setting('simdesk.delete_event', true) = 'IMPORT_REVERTED'
                 THEN 'IMPORT_REVERTED' ELSE 'DELETED' END,
            OLD.status, OLD.import_batch_id,
            jsonb_build_object('iccid', OLD.iccid, 'msisdn', OLD.msisdn, 'imsi', OLD.imsi,
                               'sim_type', OLD.sim_type));
    RETURN OLD;
END
$$;

CREATE OR REPLACE FUNCTION simdesk_event_origin() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('is_superuser') <> 'on' THEN
        NEW.created_by := session_user;
        NEW.created_at := now();
    END IF;
    -- Events of a card that exists (DELETED and IMPORT_REVERTED are written as the card goes).
    IF NEW.event_type NOT IN ('DELETED', 'IMPORT_REVERTED')
       AND NOT EXISTS (SELECT 1 FROM sim_cards WHERE id = NEW.sim_id) THEN
        RAISE EXCEPTION USING ERRCODE = '23503',
            MESSAGE = format('there is no SIM card with id %s', NEW.sim_id);
    END IF;
    RETURN NEW;
END
$$;

-- Finding earlier imports of the same file.
CREATE INDEX IF NOT EXISTS import_batches_status_idx ON import_batches (status, created_at);
