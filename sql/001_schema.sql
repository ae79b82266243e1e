-- SPDX-License-Identifier: MIT
-- 001: the SimDesk schema: every entity of DESIGN.md §3 with its constraints and indexes.
--
-- Conventions
--  * Enumerations are text columns with CHECK constraints (readable in psql, easy to extend in a
--    later migration without ALTER TYPE's transaction restrictions).
--  * Identifiers (ICCID, MSISDN) use the "C" collation: digits only, and a plain btree index then
--    serves prefix searches (LIKE '8949%') with no extra text_pattern_ops index.
--  * PIN and PUK live in sim_secrets, not in sim_cards, so that the card table can be granted to
--    every role and `SELECT *` keeps working; sim_secrets is readable only through a function
--    that audits the read (a later migration adds the roles and that function).
--  * Every row that staff edit carries a `version` that the touch trigger bumps on each UPDATE,
--    for optimistic locking in the UI.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Luhn check over a digit string (ITU-T E.118 check digit of an ICCID is the last digit).
-- plpgsql over the bytes is ~4 µs a call here, 2-3x faster than a set-based SQL version
-- (measured over 200,000 calls); it runs once per inserted card.
CREATE FUNCTION simdesk_luhn_valid(digits text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
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

CREATE FUNCTION simdesk_touch() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.version := OLD.version + 1;
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

-- Staff: the profile of a database login. The login itself is a PostgreSQL role of that name.
CREATE TABLE staff (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    login        text NOT NULL UNIQUE CHECK (login ~ '^[a-z_][a-z0-9_.-]{0,62}$'),
    email        text NOT NULL CHECK (email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'),
    display_name text NOT NULL CHECK (btrim(display_name) <> ''),
    role         text NOT NULL CHECK (role IN ('viewer', 'support', 'admin')),
    active       boolean NOT NULL DEFAULT true,
    version      integer NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX staff_email_key ON staff (lower(email));

CREATE TABLE customers (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_no  text NOT NULL UNIQUE CHECK (btrim(customer_no) <> ''),
    full_name    text NOT NULL CHECK (btrim(full_name) <> ''),
    company      text,
    email        text CHECK (email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'),
    phone        text COLLATE "C" CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
    address      text,
    notes        text,
    version      integer NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
-- Support staff search customers by any part of the name or e-mail.
CREATE INDEX customers_name_trgm ON customers USING gin (lower(full_name) gin_trgm_ops);
CREATE INDEX customers_email_idx ON customers (lower(email));

CREATE TABLE tariff_plans (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code         text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{1,31}$'),
    name         text NOT NULL UNIQUE CHECK (btrim(name) <> ''),
    sim_type     text CHECK (sim_type IN ('prepaid', 'postpaid', 'data-only')),
    monthly_fee  numeric(10, 2) NOT NULL DEFAULT 0 CHECK (monthly_fee >= 0),
    data_mb      integer CHECK (data_mb IS NULL OR data_mb >= 0),  -- NULL: unlimited
    active       boolean NOT NULL DEFAULT true,
    version      integer NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE activation_codes (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code         text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9][A-Z0-9-]{5,31}$'),
    status       text NOT NULL DEFAULT 'UNUSED' CHECK (status IN ('UNUSED', 'USED', 'EXPIRED')),
    expires_at   timestamptz,
    used_at      timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CHECK ((status = 'USED') = (used_at IS NOT NULL))
);
CREATE INDEX activation_codes_status_idx ON activation_codes (status, expires_at);

CREATE TABLE import_batches (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    file_name     text NOT NULL,
    checksum      text NOT NULL CHECK (checksum ~ '^[0-9a-f]{64}$'),  -- SHA-256 of the file
    format        text NOT NULL CHECK (format IN ('csv', 'vendor-out')),
    status        text NOT NULL DEFAULT 'COMMITTED' CHECK (status IN ('COMMITTED', 'REVERTED')),
    total_rows    integer NOT NULL DEFAULT 0 CHECK (total_rows >= 0),
    created_count integer NOT NULL DEFAULT 0 CHECK (created_count >= 0),
    skipped_count integer NOT NULL DEFAULT 0 CHECK (skipped_count >= 0),
    created_by    text NOT NULL DEFAULT session_user,
    created_at    timestamptz NOT NULL DEFAULT now(),
    reverted_by   text,
    reverted_at   timestamptz,
    CHECK ((status = 'REVERTED') = (reverted_at IS NOT NULL))
);
CREATE INDEX import_batches_checksum_idx ON import_batches (checksum);

CREATE TABLE sim_cards (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    iccid              text COLLATE "C" NOT NULL UNIQUE
                       CHECK (iccid ~ '^89[0-9]{17,18}$' AND simdesk_luhn_valid(iccid)),
    msisdn             text COLLATE "C" CHECK (msisdn ~ '^\+[1-9][0-9]{6,14}$'),
    imsi               text COLLATE "C" CHECK (imsi ~ '^[0-9]{6,15}$'),
    status             text NOT NULL DEFAULT 'AVAILABLE'
                       CHECK (status IN ('AVAILABLE', 'RESERVED', 'ACTIVE', 'SUSPENDED',
                                         'LOST_STOLEN', 'TERMINATED')),
    sim_type           text NOT NULL CHECK (sim_type IN ('prepaid', 'postpaid', 'data-only')),
    customer_id        bigint REFERENCES customers (id) ON DELETE RESTRICT,
    tariff_plan_id     bigint REFERENCES tariff_plans (id) ON DELETE RESTRICT,
    activation_code_id bigint UNIQUE REFERENCES activation_codes (id) ON DELETE RESTRICT,
    import_batch_id    bigint REFERENCES import_batches (id) ON DELETE RESTRICT,
    version            integer NOT NULL DEFAULT 1,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    status_changed_at  timestamptz NOT NULL DEFAULT now(),
    activated_at       timestamptz,
    terminated_at      timestamptz,
    -- A reserved or working card belongs to somebody; a working card has a tariff.
    CONSTRAINT sim_cards_customer_required
        CHECK (status NOT IN ('RESERVED', 'ACTIVE', 'SUSPENDED') OR customer_id IS NOT NULL),
    CONSTRAINT sim_cards_tariff_required
        CHECK (status NOT IN ('ACTIVE', 'SUSPENDED') OR tariff_plan_id IS NOT NULL),
    -- Termination releases the number.
    CONSTRAINT sim_cards_terminated_releases_msisdn
        CHECK (status <> 'TERMINATED' OR msisdn IS NULL)
);
CREATE UNIQUE INDEX sim_cards_msisdn_key ON sim_cards (msisdn) WHERE msisdn IS NOT NULL;
-- Staff often know only the last digits of a number or card: suffix search via reversed strings.
CREATE INDEX sim_cards_iccid_rev_idx ON sim_cards (reverse(iccid) COLLATE "C");
CREATE INDEX sim_cards_msisdn_rev_idx ON sim_cards (reverse(msisdn) COLLATE "C") WHERE msisdn IS NOT NULL;
CREATE INDEX sim_cards_imsi_idx ON sim_cards (imsi) WHERE imsi IS NOT NULL;
-- SIM list: filter by status (and type) with keyset paging on id; dashboard counts by status.
CREATE INDEX sim_cards_status_idx ON sim_cards (status, id);
CREATE INDEX sim_cards_type_status_idx ON sim_cards (sim_type, status);
CREATE INDEX sim_cards_customer_idx ON sim_cards (customer_id) WHERE customer_id IS NOT NULL;
CREATE INDEX sim_cards_tariff_idx ON sim_cards (tariff_plan_id, status) WHERE tariff_plan_id IS NOT NULL;
CREATE INDEX sim_cards_batch_idx ON sim_cards (import_batch_id) WHERE import_batch_id IS NOT NULL;
CREATE INDEX sim_cards_updated_idx ON sim_cards (updated_at, id);

CREATE TABLE sim_secrets (
    sim_id  bigint PRIMARY KEY REFERENCES sim_cards (id) ON DELETE CASCADE,
    pin     text COLLATE "C" CHECK (pin ~ '^[0-9]{4,8}$'),
    puk     text COLLATE "C" CHECK (puk ~ '^[0-9]{8}$')
);

CREATE TABLE sim_events (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- No foreign key: the audit trail outlives the cards it speaks of (an unused card can be
    -- deleted, an import reverted); a DELETED event keeps what the card was.
    sim_id          bigint NOT NULL,
    event_type      text NOT NULL
                    CHECK (event_type IN ('CREATED', 'IMPORTED', 'ASSIGNED', 'UNASSIGNED',
                                          'STATUS_CHANGED', 'ACTIVATED', 'SUSPENDED', 'RESUMED',
                                          'LOST_REPORTED', 'TERMINATED', 'SWAPPED_OUT',
                                          'SWAPPED_IN', 'SECRET_REVEALED', 'EDITED',
                                          'TARIFF_CHANGED', 'RESERVED', 'RELEASED',
                                          'IMPORT_REVERTED', 'DELETED')),
    old_status      text CHECK (old_status IN ('AVAILABLE', 'RESERVED', 'ACTIVE', 'SUSPENDED',
                                               'LOST_STOLEN', 'TERMINATED')),
    new_status      text CHECK (new_status IN ('AVAILABLE', 'RESERVED', 'ACTIVE', 'SUSPENDED',
                                               'LOST_STOLEN', 'TERMINATED')),
    customer_id     bigint REFERENCES customers (id) ON DELETE RESTRICT,
    tariff_plan_id  bigint REFERENCES tariff_plans (id) ON DELETE RESTRICT,
    import_batch_id bigint REFERENCES import_batches (id) ON DELETE RESTRICT,
    swap_id         uuid,
    note            text,
    details         jsonb,
    created_by      text NOT NULL DEFAULT session_user,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sim_events_sim_idx ON sim_events (sim_id, created_at, id);
CREATE INDEX sim_events_time_idx ON sim_events (created_at);
CREATE INDEX sim_events_type_time_idx ON sim_events (event_type, created_at);
CREATE INDEX sim_events_swap_idx ON sim_events (swap_id) WHERE swap_id IS NOT NULL;
CREATE INDEX sim_events_batch_idx ON sim_events (import_batch_id) WHERE import_batch_id IS NOT NULL;

-- The lifecycle transition table of DESIGN.md §3, the same rows as core/lifecycle.cpp
-- (tests/db prove the two equal). The status trigger of a later migration reads it.
CREATE TABLE sim_transitions (
    from_status text NOT NULL CHECK (from_status IN ('AVAILABLE', 'RESERVED', 'ACTIVE', 'SUSPENDED',
                                                     'LOST_STOLEN', 'TERMINATED')),
    action      text NOT NULL CHECK (action IN ('reserve', 'release', 'activate', 'suspend',
                                                'resume', 'report_lost_stolen', 'terminate')),
    to_status   text NOT NULL CHECK (to_status IN ('AVAILABLE', 'RESERVED', 'ACTIVE', 'SUSPENDED',
                                                   'LOST_STOLEN', 'TERMINATED')),
    PRIMARY KEY (from_status, action)
);
INSERT INTO sim_transitions (from_status, action, to_status) VALUES
    ('AVAILABLE',   'reserve',            'RESERVED'),
    ('RESERVED',    'release',            'AVAILABLE'),
    ('AVAILABLE',   'activate',           'ACTIVE'),
    ('RESERVED',    'activate',           'ACTIVE'),
    ('ACTIVE',      'suspend',            'SUSPENDED'),
    ('SUSPENDED',   'resume',             'ACTIVE'),
    ('ACTIVE',      'report_lost_stolen', 'LOST_STOLEN'),
    ('SUSPENDED',   'report_lost_stolen', 'LOST_STOLEN'),
    ('AVAILABLE',   'terminate',          'TERMINATED'),
    ('RESERVED',    'terminate',          'TERMINATED'),
    ('ACTIVE',      'terminate',          'TERMINATED'),
    ('SUSPENDED',   'terminate',          'TERMINATED'),
    ('LOST_STOLEN', 'terminate',          'TERMINATED');

CREATE TRIGGER staff_touch BEFORE UPDATE ON staff FOR EACH ROW EXECUTE FUNCTION simdesk_touch();
CREATE TRIGGER customers_touch BEFORE UPDATE ON customers FOR EACH ROW EXECUTE FUNCTION simdesk_touch();
CREATE TRIGGER tariff_plans_touch BEFORE UPDATE ON tariff_plans FOR EACH ROW EXECUTE FUNCTION simdesk_touch();
CREATE TRIGGER sim_cards_touch BEFORE UPDATE ON sim_cards FOR EACH ROW EXECUTE FUNCTION simdesk_touch();
