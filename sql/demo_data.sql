-- SPDX-License-Identifier: MIT
-- Demo data: a deterministic, synthetic year in the life of an ISP's SIM card stock.
--
-- Run once, as one string, inside one transaction, on a freshly migrated database whose
-- customers, import batches, activation codes, SIM cards and events are empty (the script checks).
-- Plain statements and DO blocks only, no psql meta-commands. Run it as the owner of the tables
-- or a superuser (see "Bulk load"); for anyone else the row triggers of 002_security.sql refuse
-- a card's history.
--
-- Parameters, custom settings the caller sets first with SET LOCAL or set_config(..., true);
-- unset or empty means the default:
--   simdesk.demo_sims       number of SIM cards                     5000
--   simdesk.demo_customers  number of customers                     round(sims * 0.16), at least 10
--                                                                   (800 for 5000 cards)
--   simdesk.demo_codes      activation codes in all (at least the   sims / 10, at least 20
--                           USED ones, one per prepaid card
--                           activated with a code)
--   simdesk.demo_seed       integer seed of every pseudo-random     42
--                           choice
--   simdesk.demo_now        timestamptz where the year of history   now(): the history ends
--                           ends (give it with an offset, or it is  when it is generated, so
--                           read in the session's TimeZone)         the recent days have activity
--
-- Approach
--  * Deterministic: no random(). Every choice is pg_temp.demo_rand(seed, row, salt), a hash of a
--    row number, a per-choice salt and the seed, mapped to [0, 1). Ids are computed, not drawn
--    from the identity sequences (a rolled-back earlier attempt would have used some values up),
--    and the sequences are moved past them at the end. Time arithmetic is in seconds and UTC, so
--    the session's TimeZone does not matter. Same parameters (demo_now included), same rows, ids
--    included.
--  * Set-based: every table is one INSERT ... SELECT, no loop over cards. A plan of every card
--    (final status, the steps of its lifecycle and their times, identifiers) is built once in a
--    temporary table; customers, codes, cards, secrets and events are derived from it.
--  * Bulk load: the row triggers, foreign keys and secondary indexes of the big tables are set
--    aside and put back at the end (re-adding a foreign key checks every row in one pass).
--    1,000,000 cards with about 2.5 million events take about a minute on two cores.
--  * Time: all events fall in business hours, Monday to Friday 07:00-17:00 UTC, of the year before
--    demo_now. Times are integer "business seconds" (10 h a day, 5 days a week) counted from the
--    Monday before the year starts, turned into timestamps by pg_temp.demo_ts, which is strictly
--    increasing. Each step of a card uses up a fraction of the time left until the end: step k
--    happens at hi - R0 * q1 * ... * qk, R0 being the time from the card's creation to the end and
--    qj = 1 - fj (fj in [0.001, 0.5]) for each step the card takes (qj = 1 for steps it skips).
--    So a card's events are strictly increasing in time and none is later than demo_now.
--  * Lifecycle: replaying a card's events, each one's old_status is the status before it and its
--    new_status the status after it, along the transitions of sim_transitions, from CREATED or
--    IMPORTED (new status AVAILABLE) to the card's status.
--
-- Mix: status AVAILABLE 25 %, RESERVED 5 %, ACTIVE 50 %, SUSPENDED 8 %, LOST_STOLEN 4 %,
-- TERMINATED 8 %; type prepaid 55 %, postpaid 35 %, data-only 10 %; 60 % of the cards came in one
-- of five import batches, the others were created one by one. About 2.5 events per card.

-- These statements sort and hash millions of rows and build indexes over them. JIT would spend
-- far longer compiling the long generated expressions than it could save, and the planner's
-- Memoize would cache the per-card step lists of the events insert that never repeat.
SET LOCAL work_mem = '256MB';
SET LOCAL maintenance_work_mem = '256MB';
SET LOCAL jit = off;
SET LOCAL enable_memoize = off;

-- ============================================================================================
-- Helpers: session-temporary SQL functions the planner inlines into each query
-- ============================================================================================

-- A pseudo-random double in [0, 1) for (row i, salt) under a seed.
CREATE OR REPLACE FUNCTION pg_temp.demo_rand(seed integer, i bigint, salt integer)
RETURNS double precision
LANGUAGE sql IMMUTABLE AS $$
    SELECT ((hashint8extended(i, seed::bigint * 1000003 + salt) >> 11)
            & 9007199254740991)::double precision / 9007199254740992.0
$$;

-- One element of a non-empty array, chosen by u in [0, 1).
CREATE OR REPLACE FUNCTION pg_temp.demo_pick(arr text[], u double precision)
RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT arr[1 + floor(u * cardinality(arr))::integer]
$$;

-- Word lists. Called with a constant, this folds into a constant array when a query is planned
-- (an array read from a table column would be decompressed again for every row).
CREATE OR REPLACE FUNCTION pg_temp.demo_words(list text)
RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE list
        WHEN 'first_names' THEN ARRAY[
            'Anna', 'Lena', 'Marie', 'Sophie', 'Laura', 'Julia', 'Katharina', 'Sabine', 'Petra',
            'Monika', 'Ursula', 'Jana', 'Emma', 'Mia', 'Hannah', 'Leonie', 'Zoë', 'Renée', 'Ayşe',
            'Elif', 'Zeynep', 'Gülay', 'Agnieszka', 'Małgorzata', 'Olga', 'Chiara', 'Inés',
            'Birgit', 'Lukas', 'Jonas', 'Felix', 'Maximilian', 'Paul', 'Leon', 'Tim', 'Jan',
            'Thomas', 'Michael', 'Andreas', 'Stefan', 'Jürgen', 'Klaus', 'Uwe', 'Dieter', 'Sören',
            'Björn', 'Jörg', 'Mehmet', 'Mustafa', 'Emre', 'Łukasz', 'Piotr', 'Krzysztof', 'Tomasz',
            'Marco', 'José', 'François', 'Nikolai', 'Ahmad', 'Yusuf']
        WHEN 'last_names' THEN ARRAY[
            'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker',
            'Schulz', 'Hoffmann', 'Schäfer', 'Koch', 'Bauer', 'Richter', 'Klein', 'Wolf',
            'Schröder', 'Neumann', 'Schwarz', 'Zimmermann', 'Braun', 'Krüger', 'Hofmann',
            'Hartmann', 'Lange', 'Schmitt', 'Werner', 'Krause', 'Meier', 'Lehmann', 'Weiß', 'Groß',
            'Jäger', 'König', 'Köhler', 'Böhm', 'Öztürk', 'Yılmaz', 'Kaya', 'Demir', 'Şahin',
            'Çelik', 'Nowak', 'Kowalski', 'Wiśniewski', 'Wójcik', 'Lewandowski', 'Kamiński',
            'Popescu', 'Ivanov', 'Rossi', 'Russo', 'García', 'Fernández', 'Nguyen', 'Papadopoulos',
            'Jansen', 'de Vries', 'van den Berg', 'O''Brien']
        WHEN 'streets' THEN ARRAY[
            'Hauptstraße', 'Bahnhofstraße', 'Schillerstraße', 'Goethestraße', 'Gartenstraße',
            'Lindenallee', 'Am Markt', 'Kirchweg', 'Friedrichstraße', 'Mühlenweg', 'Rosenweg',
            'Bergstraße', 'Parkstraße', 'Schulstraße', 'Dorfstraße', 'Wiesenweg', 'Birkenweg',
            'Ringstraße', 'Marktplatz', 'Industriestraße', 'Am Hafen', 'Königstraße',
            'Uhlandstraße', 'Eichendorffweg']
        -- cities, postcodes (first two digits) and dial_codes are index-aligned.
        WHEN 'cities' THEN ARRAY[
            'Berlin', 'Hamburg', 'München', 'Köln', 'Frankfurt am Main', 'Stuttgart', 'Düsseldorf',
            'Leipzig', 'Dortmund', 'Essen', 'Bremen', 'Dresden', 'Hannover', 'Nürnberg', 'Münster',
            'Freiburg im Breisgau']
        WHEN 'postcodes' THEN ARRAY[
            '10', '20', '80', '50', '60', '70', '40', '04', '44', '45', '28', '01', '30', '90',
            '48', '79']
        WHEN 'dial_codes' THEN ARRAY[
            '30', '40', '89', '221', '69', '711', '211', '341', '231', '201', '421', '351', '511',
            '911', '251', '761']
        WHEN 'mobile_prefixes' THEN ARRAY[
            '151', '152', '157', '159', '160', '162', '170', '171', '172', '173', '174', '175',
            '176', '177', '178', '179']
        -- Reserved example domains (RFC 2606): no real mailbox gets demo mail.
        WHEN 'mail_domains' THEN ARRAY[
            'example.com', 'example.net', 'example.org', 'mail.example', 'post.example']
        WHEN 'company_stems' THEN ARRAY[
            'Nordlicht', 'Rheinwerk', 'Alpenblick', 'Elbufer', 'Spreeblick', 'Hanse', 'Mainufer',
            'Isartal', 'Schwarzwald', 'Ostsee', 'Brückner', 'Sonnenhof', 'Waldeck', 'Lindner']
        WHEN 'company_kinds' THEN ARRAY[
            'Logistik', 'Medien', 'Bau', 'Software', 'Pflegedienst', 'Handel', 'Taxi', 'Kurier',
            'Elektro', 'Consulting', 'Gebäudereinigung', 'Sicherheitsdienst']
        WHEN 'legal_forms' THEN ARRAY[
            'GmbH', 'GmbH', 'GmbH & Co. KG', 'AG', 'KG', 'UG (haftungsbeschränkt)', 'e.K.']
        WHEN 'customer_notes' THEN ARRAY[
            'Prefers contact by e-mail', 'Invoices go to the accounting department',
            'Key account: call before any suspension', 'Hard of hearing: prefers written contact',
            'Asked for a paper invoice', 'Pays by bank transfer, not direct debit']
        WHEN 'suspend_reasons' THEN ARRAY[
            'Non-payment', 'Customer request: travelling abroad', 'Suspected fraud',
            'Customer request: temporary pause', 'Device sent for repair',
            'Unusual roaming traffic']
        WHEN 'resume_notes' THEN ARRAY[
            'Payment received', 'Customer back from abroad', 'Fraud check cleared',
            'Customer request', 'Device repaired']
        WHEN 'lost_reasons' THEN ARRAY[
            'Phone lost', 'Phone stolen', 'Stolen with handbag', 'Lost while travelling',
            'Stolen from car']
        WHEN 'terminate_reasons' THEN ARRAY[
            'Contract cancelled by customer', 'Number ported out to another provider',
            'Card damaged', 'Contract ended', 'Customer deceased', 'Duplicate contract']
        WHEN 'release_reasons' THEN ARRAY[
            'Order cancelled by customer', 'Reservation expired', 'Wrong card type reserved']
    END
$$;

-- Business second o (10 h a day, Monday to Friday, 07:00-17:00 UTC) counted from origin, a Monday
-- 00:00 UTC, as a timestamp. Seconds only: no TimeZone or DST involved.
CREATE OR REPLACE FUNCTION pg_temp.demo_ts(origin timestamptz, o integer)
RETURNS timestamptz
LANGUAGE sql STABLE AS $$
    SELECT origin + make_interval(secs => ((o / 36000) / 5 * 7 + (o / 36000) % 5) * 86400
                                          + 25200 + o % 36000)
$$;

-- Luhn weight of the last two digits of p, the last one doubled.
CREATE OR REPLACE FUNCTION pg_temp.demo_luhn_pair(p bigint)
RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$
    SELECT p / 10 % 10 + 2 * (p % 10) - 9 * (p % 10 / 5)
$$;

-- An 18-digit ICCID body with its Luhn check digit appended: 19 digits.
CREATE OR REPLACE FUNCTION pg_temp.demo_iccid(body bigint)
RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT body::text
           || ((10 - (pg_temp.demo_luhn_pair(body)
                      + pg_temp.demo_luhn_pair(body / 100)
                      + pg_temp.demo_luhn_pair(body / 10000)
                      + pg_temp.demo_luhn_pair(body / 1000000)
                      + pg_temp.demo_luhn_pair(body / 100000000)
                      + pg_temp.demo_luhn_pair(body / 10000000000)
                      + pg_temp.demo_luhn_pair(body / 1000000000000)
                      + pg_temp.demo_luhn_pair(body / 100000000000000)
                      + pg_temp.demo_luhn_pair(body / 10000000000000000)) % 10) % 10)::text
$$;

-- Lower-case ASCII of a name for an e-mail address: umlauts spelt out, accents dropped, spaces and
-- apostrophes removed. No lower(): the result must not depend on the database's locale.
CREATE OR REPLACE FUNCTION pg_temp.demo_ascii(s text)
RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT translate(
               replace(replace(replace(replace(replace(replace(replace(
                   s, 'ä', 'ae'), 'ö', 'oe'), 'ü', 'ue'), 'Ä', 'ae'), 'Ö', 'oe'), 'Ü', 'ue'),
                   'ß', 'ss'),
               'àáâãåçćčèéêëęğìíîïıłńñòóôõøřśşšùúûýÿźżž'
               || 'ÀÁÂÃÅÇĆČÈÉÊËĘĞÌÍÎÏİŁŃÑÒÓÔÕØŘŚŞŠÙÚÛÝŸŹŻŽ'
               || 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
               || ' ''',
               'aaaaaccceeeeegiiiiilnnooooorsssuuuyyzzz'
               || 'aaaaaccceeeeegiiiiilnnooooorsssuuuyyzzz'
               || 'abcdefghijklmnopqrstuvwxyz')
$$;

-- ============================================================================================
-- Parameters
-- ============================================================================================

-- lo and hi: the first and the last business second of the year before demo_now.
CREATE TEMP TABLE demo_params ON COMMIT DROP AS
WITH raw AS (
    SELECT
        coalesce(nullif(btrim(current_setting('simdesk.demo_sims', true)), ''), '5000')::integer
            AS n_sims,
        nullif(btrim(current_setting('simdesk.demo_customers', true)), '')::integer
            AS n_customers,
        nullif(btrim(current_setting('simdesk.demo_codes', true)), '')::integer AS n_codes,
        coalesce(nullif(btrim(current_setting('simdesk.demo_seed', true)), ''), '42')::integer
            AS seed,
        coalesce(nullif(btrim(current_setting('simdesk.demo_now', true)), '')::timestamptz,
                 now()) AS now_ts
), base AS (
    SELECT
        n_sims,
        coalesce(n_customers, greatest(10, round(n_sims * 0.16))::integer) AS n_customers,
        coalesce(n_codes, greatest(20, n_sims / 10)) AS n_codes,
        seed,
        now_ts,
        (now_ts AT TIME ZONE 'UTC') - interval '1 year' AS t0_utc,
        now_ts AT TIME ZONE 'UTC' AS now_utc,
        date_trunc('week', (now_ts AT TIME ZONE 'UTC') - interval '1 year') AS origin_utc
    FROM raw
), days AS (
    SELECT
        base.*,
        floor(extract(epoch FROM t0_utc - origin_utc) / 86400)::integer AS d0,
        extract(epoch FROM t0_utc - origin_utc)
            - 86400 * floor(extract(epoch FROM t0_utc - origin_utc) / 86400) AS tod0,
        floor(extract(epoch FROM now_utc - origin_utc) / 86400)::integer AS d1,
        extract(epoch FROM now_utc - origin_utc)
            - 86400 * floor(extract(epoch FROM now_utc - origin_utc) / 86400) AS tod1
    FROM base
), bounds AS (
    SELECT
        days.*,
        origin_utc AT TIME ZONE 'UTC' AS origin,
        -- First business second at or after the start; a weekend moves on to Monday.
        CASE WHEN d0 % 7 >= 5 THEN (d0 / 7 * 5 + 5) * 36000
             ELSE (d0 / 7 * 5 + d0 % 7) * 36000
                  + least(36000, greatest(0, ceil(tod0 - 25200)))::integer
        END AS lo,
        -- Last business second at or before demo_now; a weekend goes back to Friday.
        CASE WHEN d1 % 7 >= 5 THEN (d1 / 7 * 5 + 5) * 36000 - 1
             ELSE (d1 / 7 * 5 + d1 % 7) * 36000
                  + least(35999, greatest(-1, floor(tod1 - 25200)))::integer
        END AS hi
    FROM days
)
SELECT
    n_sims,
    n_customers,
    least(n_customers, greatest(1, round(n_customers * 0.12)::integer)) AS n_companies,
    round(n_sims * 0.60)::integer AS n_imported,
    n_codes AS n_codes_target,
    seed,
    now_ts,
    origin,
    lo,
    hi,
    hi - lo AS span
FROM bounds;

DO $$
DECLARE
    p record;
BEGIN
    SELECT * INTO p FROM pg_temp.demo_params;
    IF p.n_sims < 1 OR p.n_customers < 1 THEN
        RAISE EXCEPTION 'demo data: simdesk.demo_sims (%) and simdesk.demo_customers (%) must be '
                        'at least 1', p.n_sims, p.n_customers;
    END IF;
    IF EXISTS (SELECT 1 FROM sim_cards) OR EXISTS (SELECT 1 FROM customers)
       OR EXISTS (SELECT 1 FROM import_batches) OR EXISTS (SELECT 1 FROM activation_codes)
       OR EXISTS (SELECT 1 FROM sim_events) THEN
        RAISE EXCEPTION 'demo data needs an empty database'
            USING HINT = 'Create a new database, migrate it, and generate the demo data there.';
    END IF;
END
$$;

-- ============================================================================================
-- Plan: import batches
-- ============================================================================================
--
-- Five deliveries spread over the year, ids in time order; the last one 3-6 % of the year (about
-- 11 to 22 days) before demo_now, so that a dashboard's last 30 days show an import. The imported
-- cards are card numbers 1 .. n_imported (60 % of the cards), split between the batches by share;
-- the cards created one by one follow.

CREATE TEMP TABLE demo_batch ON COMMIT DROP AS
SELECT
    b.b AS id,
    b.format,
    x.c_off,
    round(p.n_imported * b.share_from)::integer + 1 AS first_g,
    round(p.n_imported * b.share_to)::integer AS last_g,
    CASE WHEN b.format = 'csv'
         THEN 'sims-'
              || to_char(pg_temp.demo_ts(p.origin, x.c_off) AT TIME ZONE 'UTC', 'YYYY-MM-DD')
              || '.csv'
         ELSE 'S' || to_char(pg_temp.demo_ts(p.origin, x.c_off) AT TIME ZONE 'UTC', 'YYYYMMDD')
              || lpad((10 + b.b * 7)::text, 5, '0') || '.i01'
    END AS file_name
FROM demo_params AS p
CROSS JOIN (VALUES (1, 0.02, 0.00, 0.30, 'vendor-out'),
                   (2, 0.21, 0.30, 0.45, 'csv'),
                   (3, 0.43, 0.45, 0.70, 'vendor-out'),
                   (4, 0.64, 0.70, 0.90, 'csv'),
                   (5, 0.94, 0.90, 1.00, 'vendor-out')) AS b (b, pos, share_from, share_to, format)
CROSS JOIN LATERAL (
    SELECT p.lo + floor(p.span * (b.pos + 0.03 * pg_temp.demo_rand(p.seed, b.b, 901)))::integer
               AS c_off
) AS x;

-- ============================================================================================
-- Plan: one row per SIM card
-- ============================================================================================
--
-- g numbers the cards 1 .. n_sims; sim_id is the card's id, in order of creation. Steps (times in
-- business seconds, NULL when the card did not take the step) and the events they become:
--   t_c   CREATED or IMPORTED                   -> AVAILABLE
--   t_res RESERVED for a customer               AVAILABLE -> RESERVED
--   t_rel RELEASED (the order fell through)     RESERVED -> AVAILABLE
--   t_edt EDITED: MSISDN pre-provisioned        AVAILABLE cards only, no status change
--   t_act ACTIVATED: customer, tariff, MSISDN   AVAILABLE or RESERVED -> ACTIVE
--   t_s1  SUSPENDED \ an earlier suspension     ACTIVE -> SUSPENDED
--   t_r1  RESUMED   /                           SUSPENDED -> ACTIVE
--   t_tc  TARIFF_CHANGED (postpaid)             no status change
--   t_s   SUSPENDED                             ACTIVE -> SUSPENDED
--   t_l   LOST_REPORTED                         ACTIVE or SUSPENDED -> LOST_STOLEN
--   t_t   TERMINATED                            ACTIVE or LOST_STOLEN -> TERMINATED
--
-- The lateral subqueries ending in OFFSET 0 are evaluated once per card; without it the planner
-- would paste their expressions into every later reference.

CREATE TEMP TABLE demo_card ON COMMIT DROP AS
SELECT
    row_number() OVER (ORDER BY s.t_c, s.iccid_body)::bigint AS sim_id,
    s.g, s.status, s.sim_type, s.batch_no, s.cust, s.plan0, s.plan1, s.uses_code, s.prov,
    s.t_c, s.t_res, s.t_rel, s.t_edt, s.t_act, s.t_s1, s.t_r1, s.t_tc, s.t_s, s.t_l, s.t_t,
    greatest(s.t_c, s.t_res, s.t_rel, s.t_edt, s.t_act, s.t_s1, s.t_r1, s.t_tc, s.t_s, s.t_l, s.t_t)
        AS t_last,
    greatest(s.t_c, s.t_res, s.t_rel, s.t_act, s.t_s1, s.t_r1, s.t_s, s.t_l, s.t_t) AS t_status,
    1 + (s.t_res IS NOT NULL)::integer + (s.t_rel IS NOT NULL)::integer
      + (s.t_edt IS NOT NULL)::integer + (s.t_act IS NOT NULL)::integer
      + (s.t_s1 IS NOT NULL)::integer + (s.t_r1 IS NOT NULL)::integer
      + (s.t_tc IS NOT NULL)::integer + (s.t_s IS NOT NULL)::integer
      + (s.t_l IS NOT NULL)::integer + (s.t_t IS NOT NULL)::integer AS n_events,
    pg_temp.demo_iccid(s.iccid_body) COLLATE "C" AS iccid,
    '26201' || lpad(s.imsi_no::text, 10, '0') AS imsi,
    -- The number the card gets, if it gets one: an affine permutation of the card number into
    -- +49 15D NNNNNNNN with D in {1, 2, 5, 7, 9}, so numbers never collide.
    '+4915' || (ARRAY[1, 2, 5, 7, 9])[s.num_x / 100000000 + 1]
        || lpad((s.num_x % 100000000)::text, 8, '0') AS num
FROM (
    SELECT
        g,
        a.status,
        a.sim_type,
        a.batch_no,
        -- The customer (demo_cust.ci): a third of the cards belong to business customers.
        CASE WHEN f.res OR f.active THEN
            CASE WHEN pg_temp.demo_rand(p.seed, g, 12) < 0.35 OR p.n_customers = p.n_companies
                 THEN 1 + floor(p.n_companies * pg_temp.demo_rand(p.seed, g, 13))::integer
                 ELSE p.n_companies + 1
                      + floor((p.n_customers - p.n_companies)
                              * pg_temp.demo_rand(p.seed, g, 13))::integer
            END
        END AS cust,
        f.plan0,
        CASE WHEN f.tch THEN CASE f.plan0 WHEN 'POST-STD' THEN 'POST-UNL' ELSE 'POST-STD' END
             ELSE f.plan0
        END AS plan1,
        f.active AND a.sim_type = 'prepaid' AND pg_temp.demo_rand(p.seed, g, 14) < 0.13
            AS uses_code,
        f.prov,
        c.c_off AS t_c,
        t.t_res, t.t_rel, t.t_edt, t.t_act, t.t_s1, t.t_r1, t.t_tc, t.t_s, t.t_l, t.t_t,
        -- ICCID 89 49 22 LL SSSSSSSSSS + check digit: lot LL is 10 for cards created one by one,
        -- 20 + batch for imported ones; serials run on in each lot from a seed-dependent start.
        894922000000000000
            + (CASE WHEN a.batch_no = 0 THEN 10 ELSE 20 + a.batch_no END)::bigint * 10000000000
            + floor(pg_temp.demo_rand(p.seed, a.batch_no, 902) * 1000000000)::bigint * 5
            + a.serial AS iccid_body,
        -- IMSI 262 01 + 10 digits: consecutive within a vendor batch, none from CSV files (the
        -- CSV format has no IMSI column), scattered for 70 % of single cards.
        CASE WHEN a.format = 'vendor-out' THEN
                 a.batch_no::bigint * 1000000000
                 + floor(pg_temp.demo_rand(p.seed, a.batch_no, 903) * 500000000)::bigint
                 + a.serial
             WHEN a.batch_no = 0 AND pg_temp.demo_rand(p.seed, g, 15) < 0.7 THEN
                 9000000000
                 + (g * 3486784401 + floor(pg_temp.demo_rand(p.seed, 0, 905) * 1000000000)::bigint)
                   % 1000000000
        END AS imsi_no,
        ((g::bigint * 387420489 + floor(pg_temp.demo_rand(p.seed, 0, 906) * 500000000)::bigint)
         % 500000000)::integer AS num_x
    FROM demo_params AS p
    CROSS JOIN (
        SELECT array_agg(first_g ORDER BY id) AS firsts,
               array_agg(c_off ORDER BY id) AS offs,
               array_agg(format ORDER BY id) AS formats
        FROM demo_batch
    ) AS bt
    CROSS JOIN LATERAL generate_series(1, p.n_sims) AS g
    -- Final status, type, the batch the card came in (0: created one by one) and its serial
    -- number there (1, 2, ...).
    CROSS JOIN LATERAL (
        SELECT
            CASE WHEN u.st < 0.25 THEN 'AVAILABLE'
                 WHEN u.st < 0.30 THEN 'RESERVED'
                 WHEN u.st < 0.80 THEN 'ACTIVE'
                 WHEN u.st < 0.88 THEN 'SUSPENDED'
                 WHEN u.st < 0.92 THEN 'LOST_STOLEN'
                 ELSE 'TERMINATED'
            END AS status,
            CASE WHEN u.ty < 0.55 THEN 'prepaid' WHEN u.ty < 0.90 THEN 'postpaid' ELSE 'data-only'
            END AS sim_type,
            k.batch_no,
            CASE WHEN k.batch_no = 0 THEN g - p.n_imported ELSE g - bt.firsts[k.batch_no] + 1 END
                AS serial,
            bt.formats[k.batch_no] AS format,   -- NULL for batch 0
            bt.offs[k.batch_no] AS batch_off
        FROM (SELECT pg_temp.demo_rand(p.seed, g, 1) AS st,
                     pg_temp.demo_rand(p.seed, g, 2) AS ty) AS u
        CROSS JOIN (SELECT CASE WHEN g > p.n_imported THEN 0 ELSE width_bucket(g, bt.firsts) END
                               AS batch_no) AS k
        OFFSET 0
    ) AS a
    -- Which optional steps the card takes.
    CROSS JOIN LATERAL (
        SELECT
            a.status IN ('ACTIVE', 'SUSPENDED', 'LOST_STOLEN', 'TERMINATED') AS active,
            a.status = 'RESERVED'
                OR (a.status = 'AVAILABLE' AND pg_temp.demo_rand(p.seed, g, 5) < 0.08)
                OR (a.status NOT IN ('AVAILABLE', 'RESERVED')
                    AND pg_temp.demo_rand(p.seed, g, 5) < 0.30) AS res,
            a.status = 'AVAILABLE' AND pg_temp.demo_rand(p.seed, g, 5) < 0.08 AS rel,
            a.status = 'AVAILABLE' AND pg_temp.demo_rand(p.seed, g, 6) < 0.30 AS prov,
            a.status NOT IN ('AVAILABLE', 'RESERVED')
                AND pg_temp.demo_rand(p.seed, g, 7)
                    < CASE a.status WHEN 'ACTIVE' THEN 0.12 ELSE 0.05 END AS pair,
            a.sim_type = 'postpaid' AND a.status IN ('ACTIVE', 'SUSPENDED')
                AND pg_temp.demo_rand(p.seed, g, 8) < 0.15 AS tch,
            a.status = 'LOST_STOLEN' AND pg_temp.demo_rand(p.seed, g, 9) < 0.20 AS sbl,
            a.status = 'TERMINATED' AND pg_temp.demo_rand(p.seed, g, 9) < 0.25 AS lbt,
            CASE WHEN a.status IN ('AVAILABLE', 'RESERVED') THEN NULL
                 WHEN a.sim_type = 'prepaid' THEN 'PRE-BASIC'
                 WHEN a.sim_type = 'data-only' THEN 'DATA-20'
                 WHEN pg_temp.demo_rand(p.seed, g, 10) < 0.70 THEN 'POST-STD'
                 ELSE 'POST-UNL'
            END AS plan0
        OFFSET 0
    ) AS f
    -- Creation: the batch's time, or the card's slot in the year (later cards later), leaving
    -- ten business days (two weeks) of room for cards that move on, one day for the others.
    CROSS JOIN LATERAL (
        SELECT coalesce(
                   a.batch_off,
                   p.lo + floor((a.serial - 1 + pg_temp.demo_rand(p.seed, g, 11))
                                / nullif(p.n_sims - p.n_imported, 0)
                                * (p.span - CASE WHEN a.status = 'AVAILABLE' AND NOT f.res
                                                 THEN 36000 ELSE 360000 END))::integer) AS c_off
    ) AS c
    -- Share of the remaining time left after each step the card takes (1: step not taken).
    CROSS JOIN LATERAL (
        SELECT
            CASE WHEN f.res THEN 0.98 - 0.33 * pg_temp.demo_rand(p.seed, g, 21) ELSE 1 END AS q_res,
            CASE WHEN f.rel THEN 0.99 - 0.09 * pg_temp.demo_rand(p.seed, g, 22) ELSE 1 END AS q_rel,
            CASE WHEN f.prov THEN 0.95 - 0.45 * pg_temp.demo_rand(p.seed, g, 23) ELSE 1 END
                AS q_edt,
            CASE WHEN NOT f.active THEN 1
                 WHEN f.res THEN 0.999 - 0.029 * pg_temp.demo_rand(p.seed, g, 24)
                 ELSE 0.98 - 0.33 * pg_temp.demo_rand(p.seed, g, 24)
            END AS q_act,
            CASE WHEN f.pair THEN 0.95 - 0.35 * pg_temp.demo_rand(p.seed, g, 25) ELSE 1 END AS q_s1,
            CASE WHEN f.pair THEN 0.99 - 0.14 * pg_temp.demo_rand(p.seed, g, 26) ELSE 1 END AS q_r1,
            CASE WHEN f.tch THEN 0.95 - 0.45 * pg_temp.demo_rand(p.seed, g, 27) ELSE 1 END AS q_tc,
            CASE WHEN a.status = 'SUSPENDED' OR f.sbl
                 THEN 0.95 - 0.45 * pg_temp.demo_rand(p.seed, g, 28) ELSE 1 END AS q_s,
            CASE WHEN a.status = 'LOST_STOLEN' OR f.lbt
                 THEN 0.95 - 0.45 * pg_temp.demo_rand(p.seed, g, 29) ELSE 1 END AS q_l,
            CASE WHEN a.status <> 'TERMINATED' THEN 1
                 WHEN f.lbt THEN 0.98 - 0.18 * pg_temp.demo_rand(p.seed, g, 30)
                 ELSE 0.95 - 0.45 * pg_temp.demo_rand(p.seed, g, 30)
            END AS q_t,
            p.hi - c.c_off AS r0
        OFFSET 0
    ) AS q
    CROSS JOIN LATERAL (
        SELECT
            CASE WHEN f.res THEN p.hi - floor(q.r0 * q.q_res)::integer END AS t_res,
            CASE WHEN f.rel THEN p.hi - floor(q.r0 * q.q_res * q.q_rel)::integer END AS t_rel,
            CASE WHEN f.prov
                 THEN p.hi - floor(q.r0 * q.q_res * q.q_rel * q.q_edt)::integer
            END AS t_edt,
            CASE WHEN f.active
                 THEN p.hi - floor(q.r0 * q.q_res * q.q_act)::integer
            END AS t_act,
            CASE WHEN f.pair
                 THEN p.hi - floor(q.r0 * q.q_res * q.q_act * q.q_s1)::integer
            END AS t_s1,
            CASE WHEN f.pair
                 THEN p.hi - floor(q.r0 * q.q_res * q.q_act * q.q_s1 * q.q_r1)::integer
            END AS t_r1,
            CASE WHEN f.tch
                 THEN p.hi - floor(q.r0 * q.q_res * q.q_act * q.q_s1 * q.q_r1 * q.q_tc)::integer
            END AS t_tc,
            CASE WHEN a.status = 'SUSPENDED' OR f.sbl
                 THEN p.hi - floor(q.r0 * q.q_res * q.q_act * q.q_s1 * q.q_r1 * q.q_tc
                                   * q.q_s)::integer
            END AS t_s,
            CASE WHEN a.status = 'LOST_STOLEN' OR f.lbt
                 THEN p.hi - floor(q.r0 * q.q_res * q.q_act * q.q_s1 * q.q_r1 * q.q_tc
                                   * q.q_s * q.q_l)::integer
            END AS t_l,
            CASE WHEN a.status = 'TERMINATED'
                 THEN p.hi - floor(q.r0 * q.q_res * q.q_act * q.q_s1 * q.q_r1 * q.q_tc
                                   * q.q_s * q.q_l * q.q_t)::integer
            END AS t_t
    ) AS t
    OFFSET 0
) AS s;

ANALYZE pg_temp.demo_card;

-- ============================================================================================
-- Plan: customers
-- ============================================================================================
--
-- Customers 1 .. n_companies (by ci) are business customers, a company with a contact person,
-- and hold about a third of the cards; the others are private. A customer signs up up to four
-- business weeks before their first card is reserved or activated; customers without a card
-- sign up any time. id and customer_no follow the sign-up order.

CREATE TEMP TABLE demo_cust ON COMMIT DROP AS
WITH firsts AS (
    SELECT cust, min(coalesce(t_res, t_act)) AS first_off
    FROM demo_card
    WHERE cust IS NOT NULL
    GROUP BY cust
), people AS (
    SELECT
        ci,
        ci <= p.n_companies AS is_company,
        CASE WHEN fi.first_off IS NULL
             THEN p.lo + floor(p.span * pg_temp.demo_rand(p.seed, ci, 101))::integer
             ELSE fi.first_off - 60
                  - floor(least(20 * 36000, fi.first_off - 60 - p.lo)
                          * pg_temp.demo_rand(p.seed, ci, 101))::integer
        END AS c_off,
        pg_temp.demo_pick(pg_temp.demo_words('first_names'), pg_temp.demo_rand(p.seed, ci, 102))
            AS first_name,
        pg_temp.demo_pick(pg_temp.demo_words('last_names'), pg_temp.demo_rand(p.seed, ci, 103))
            AS last_name,
        CASE WHEN pg_temp.demo_rand(p.seed, ci, 104) < 0.5
             THEN pg_temp.demo_pick(pg_temp.demo_words('company_stems'),
                                    pg_temp.demo_rand(p.seed, ci, 105))
             ELSE pg_temp.demo_pick(pg_temp.demo_words('last_names'),
                                    pg_temp.demo_rand(p.seed, ci, 105))
        END || ' ' || pg_temp.demo_pick(pg_temp.demo_words('company_kinds'),
                                         pg_temp.demo_rand(p.seed, ci, 106)) AS company_core,
        pg_temp.demo_pick(pg_temp.demo_words('legal_forms'), pg_temp.demo_rand(p.seed, ci, 107))
            AS legal_form,
        1 + floor(16 * pg_temp.demo_rand(p.seed, ci, 108))::integer AS city_no,
        pg_temp.demo_rand(p.seed, ci, 109) AS u_title,
        pg_temp.demo_rand(p.seed, ci, 110) AS u_mail,
        pg_temp.demo_rand(p.seed, ci, 111) AS u_phone,
        pg_temp.demo_rand(p.seed, ci, 112) AS u_addr,
        pg_temp.demo_rand(p.seed, ci, 113) AS u_note
    FROM demo_params AS p
    CROSS JOIN LATERAL generate_series(1, p.n_customers) AS ci
    LEFT JOIN firsts AS fi ON fi.cust = ci
), mails AS (
    SELECT
        people.*,
        row_number() OVER (ORDER BY c_off, ci) AS id,
        pg_temp.demo_ascii(first_name) || '.' || pg_temp.demo_ascii(last_name) AS mail_local,
        CASE WHEN is_company
             THEN pg_temp.demo_ascii(replace(company_core, ' ', '-')) || '.example'
             ELSE pg_temp.demo_pick(pg_temp.demo_words('mail_domains'), u_mail)
        END AS mail_domain
    FROM people
)
SELECT
    m.ci,
    m.id,
    m.c_off,
    'C-' || lpad(m.id::text, greatest(6, length(m.id::text)), '0') AS customer_no,
    CASE WHEN m.u_title < 0.03 THEN 'Dr. ' ELSE '' END || m.first_name || ' ' || m.last_name
        AS full_name,
    CASE WHEN m.is_company THEN m.company_core || ' ' || m.legal_form END AS company,
    -- 5 % of the private customers gave no e-mail address; a taken address gets a number.
    CASE WHEN m.is_company OR m.u_mail * 100 - floor(m.u_mail * 100) >= 0.05 THEN
        m.mail_local
        || coalesce(nullif(row_number() OVER (PARTITION BY m.mail_local, m.mail_domain
                                              ORDER BY m.ci), 1)::text, '')
        || '@' || m.mail_domain
    END AS email,
    CASE WHEN m.u_phone >= 0.92 THEN NULL
         WHEN m.is_company THEN
             '+49' || (pg_temp.demo_words('dial_codes'))[m.city_no]
             || lpad(floor((m.u_phone / 0.92) * 1000000)::text, 6, '0')
         ELSE
             '+49' || pg_temp.demo_pick(pg_temp.demo_words('mobile_prefixes'), m.u_phone / 0.92)
             || lpad(floor(((m.u_phone / 0.92) * 16 - floor((m.u_phone / 0.92) * 16))
                           * 10000000)::text, 7, '0')
    END AS phone,
    pg_temp.demo_pick(pg_temp.demo_words('streets'), m.u_addr) || ' '
        || (1 + floor((m.u_addr * 24 - floor(m.u_addr * 24)) * 180))::text
        || CASE WHEN m.u_addr * 1000 - floor(m.u_addr * 1000) < 0.1 THEN 'a' ELSE '' END
        || ', ' || (pg_temp.demo_words('postcodes'))[m.city_no]
        || lpad(floor((m.u_addr * 7919 - floor(m.u_addr * 7919)) * 1000)::text, 3, '0')
        || ' ' || (pg_temp.demo_words('cities'))[m.city_no] AS address,
    CASE WHEN m.u_note < 0.04
         THEN pg_temp.demo_pick(pg_temp.demo_words('customer_notes'), m.u_note / 0.04)
    END AS notes
FROM mails AS m;

ANALYZE pg_temp.demo_cust;

-- ============================================================================================
-- Plan: activation codes
-- ============================================================================================
--
-- USED codes: one per prepaid card activated with a code (about 13 % of them), issued up to eight
-- business weeks before the activation. Then simdesk.demo_codes in all (n_sims / 10, at least 20): the
-- others are 40 % EXPIRED (issued in the first seven months, valid 90 days) and 60 % UNUSED
-- (issued in the last two and a half months, still valid at demo_now).
-- Text ACT-XXXX-XXXX from a bijective 40-bit mix of the code's number: codes never collide.

CREATE TEMP TABLE demo_code ON COMMIT DROP AS
WITH used AS (
    SELECT row_number() OVER (ORDER BY t_act, g) AS k, g, t_act
    FROM demo_card
    WHERE uses_code
), numbered AS (
    SELECT k, g, t_act AS used_off FROM used
    UNION ALL
    SELECT u.n + j, NULL, NULL
    FROM demo_params AS p
    CROSS JOIN (SELECT count(*) AS n FROM used) AS u
    CROSS JOIN LATERAL generate_series(1, greatest(p.n_codes_target - u.n, 10)) AS j
), mixed AS (
    SELECT
        n.k, n.g, n.used_off,
        CASE WHEN n.g IS NOT NULL THEN 'USED'
             WHEN pg_temp.demo_rand(p.seed, n.k, 201) < 0.4 THEN 'EXPIRED'
             ELSE 'UNUSED'
        END AS status,
        CASE WHEN n.g IS NOT NULL
             THEN n.used_off
                  - floor(least(40 * 36000, n.used_off - p.lo)
                          * (0.05 + 0.95 * pg_temp.demo_rand(p.seed, n.k, 202)))::integer
             WHEN pg_temp.demo_rand(p.seed, n.k, 201) < 0.4
             THEN p.lo + floor(0.70 * p.span * pg_temp.demo_rand(p.seed, n.k, 202))::integer
             ELSE p.hi - floor(0.20 * p.span * pg_temp.demo_rand(p.seed, n.k, 202))::integer
        END AS c_off,
        s2.x2 # (s2.x2 >> 19) AS x
    FROM numbered AS n
    CROSS JOIN demo_params AS p
    CROSS JOIN LATERAL (
        SELECT (n.k + floor(pg_temp.demo_rand(p.seed, 0, 200) * 1099511627776)::bigint)
               & 1099511627775 AS x0
    ) AS s0
    CROSS JOIN LATERAL (SELECT (s0.x0 * 5397433) & 1099511627775 AS x1) AS s1
    CROSS JOIN LATERAL (SELECT ((s1.x1 # (s1.x1 >> 21)) * 2654435) & 1099511627775 AS x2) AS s2
)
SELECT
    row_number() OVER (ORDER BY m.c_off, m.k) AS id,
    m.g,
    m.status,
    m.used_off,
    m.c_off,
    'ACT-'
    || substr(a.alphabet, ((m.x >> 35) & 31)::integer + 1, 1)
    || substr(a.alphabet, ((m.x >> 30) & 31)::integer + 1, 1)
    || substr(a.alphabet, ((m.x >> 25) & 31)::integer + 1, 1)
    || substr(a.alphabet, ((m.x >> 20) & 31)::integer + 1, 1)
    || '-'
    || substr(a.alphabet, ((m.x >> 15) & 31)::integer + 1, 1)
    || substr(a.alphabet, ((m.x >> 10) & 31)::integer + 1, 1)
    || substr(a.alphabet, ((m.x >> 5) & 31)::integer + 1, 1)
    || substr(a.alphabet, (m.x & 31)::integer + 1, 1) AS code
FROM mixed AS m
CROSS JOIN (SELECT 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'::text AS alphabet) AS a;

ANALYZE pg_temp.demo_code;

-- ============================================================================================
-- Bulk load: set the big tables' row triggers, foreign keys and secondary indexes aside
-- ============================================================================================
--
-- Row by row, foreign key checks, triggers and a dozen index updates per card would take most
-- of the time at a million cards (2.5 million events: 57 s that way, 13 s with the indexes built
-- afterwards). As pg_restore does, set them aside here and put them back at the end from their
-- own definitions in the catalog; re-adding a foreign key checks every row in one pass.
--  * Row-level triggers (002_security.sql: the transition check, which lets only a superuser
--    insert a card that is not AVAILABLE; who and when of an event, and whether its card exists)
--    are disabled and enabled again as they were. What they guard holds by construction, and
--    the foreign keys that come back check the rest. Statement-level triggers (the NOTIFY of an
--    insert) still fire.
--  * Nobody sees the tables in between: it all happens in the caller's transaction, under the
--    ACCESS EXCLUSIVE lock these statements take.
-- Only the tables' owner with CREATE on their schema (or a superuser) may do this; anyone else
-- loads with every trigger, index and foreign key in force.

CREATE TEMP TABLE demo_deferred (step integer, ddl text) ON COMMIT DROP;

DO $$
DECLARE
    filled regclass[] := ARRAY['customers', 'sim_cards', 'sim_secrets', 'sim_events']::regclass[];
    r record;
BEGIN
    -- Owner to alter the tables, CREATE on their schema to build indexes there again.
    IF EXISTS (SELECT 1 FROM pg_class
               WHERE oid = ANY (filled)
                 AND NOT (pg_has_role(relowner, 'USAGE')
                          AND has_schema_privilege(relnamespace, 'CREATE'))) THEN
        RAISE NOTICE 'demo data: % may not alter the tables, loading with their triggers, '
                     'indexes and foreign keys in force (slower)', current_user;
        RETURN;
    END IF;
    -- Record the way back first (step 0 triggers, 1 indexes, 2 foreign keys), then the way
    -- there (step -1): no catalog scan runs while the catalog changes.
    INSERT INTO pg_temp.demo_deferred
    SELECT 0, format('ALTER TABLE %s ENABLE %sTRIGGER %I', tg.tgrelid::regclass,
                     CASE tg.tgenabled WHEN 'A' THEN 'ALWAYS ' WHEN 'R' THEN 'REPLICA ' ELSE '' END,
                     tg.tgname)
    FROM pg_trigger AS tg
    WHERE tg.tgrelid = ANY (filled) AND NOT tg.tgisinternal AND tg.tgenabled <> 'D'
      AND tg.tgtype & 1 = 1;  -- TRIGGER_TYPE_ROW
    INSERT INTO pg_temp.demo_deferred
    SELECT 1, pg_get_indexdef(i.indexrelid)
    FROM pg_index AS i
    WHERE i.indrelid = ANY (filled)
      -- Indexes behind a primary key, unique or exclusion constraint stay.
      AND NOT EXISTS (SELECT 1 FROM pg_constraint AS con
                      WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid
                        AND con.contype IN ('p', 'u', 'x'));
    INSERT INTO pg_temp.demo_deferred
    SELECT 2, format('ALTER TABLE %s ADD CONSTRAINT %I %s',
                     con.conrelid::regclass, con.conname, pg_get_constraintdef(con.oid))
    FROM pg_constraint AS con
    WHERE con.contype = 'f' AND con.conrelid = ANY (filled);

    INSERT INTO pg_temp.demo_deferred
    SELECT -1, format('ALTER TABLE %s DISABLE TRIGGER %I', tg.tgrelid::regclass, tg.tgname)
    FROM pg_trigger AS tg
    WHERE tg.tgrelid = ANY (filled) AND NOT tg.tgisinternal AND tg.tgenabled <> 'D'
      AND tg.tgtype & 1 = 1
    UNION ALL
    SELECT -1, format('ALTER TABLE %s DROP CONSTRAINT %I', con.conrelid::regclass, con.conname)
    FROM pg_constraint AS con
    WHERE con.contype = 'f' AND con.conrelid = ANY (filled)
    UNION ALL
    SELECT -1, format('DROP INDEX %s', i.indexrelid::regclass)
    FROM pg_index AS i
    WHERE i.indrelid = ANY (filled)
      AND NOT EXISTS (SELECT 1 FROM pg_constraint AS con
                      WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid
                        AND con.contype IN ('p', 'u', 'x'));
    FOR r IN SELECT ddl FROM pg_temp.demo_deferred WHERE step = -1 ORDER BY ddl LOOP
        EXECUTE r.ddl;
    END LOOP;
END
$$;

-- ============================================================================================
-- Reference data: tariff plans, staff
-- ============================================================================================
--
-- Ids follow any rows a migration may have put there, which stay as they are. Set up eight and
-- four weeks before the history starts.

INSERT INTO tariff_plans (id, code, name, sim_type, monthly_fee, data_mb, created_at, updated_at)
OVERRIDING SYSTEM VALUE
SELECT x.base + v.ord, v.code, v.name, v.sim_type, v.fee, v.data_mb, x.at, x.at
FROM demo_params AS p
CROSS JOIN LATERAL (
    SELECT pg_temp.demo_ts(p.origin, p.lo) - interval '1344 hours' AS at,
           (SELECT coalesce(max(id), 0) FROM tariff_plans) AS base
) AS x
CROSS JOIN (VALUES (1, 'PRE-BASIC', 'Prepaid Basic', 'prepaid', 4.99, 3072),
                   (2, 'POST-STD', 'Postpaid Standard', 'postpaid', 19.99, 10240),
                   (3, 'POST-UNL', 'Postpaid Unlimited', 'postpaid', 39.99, NULL),
                   (4, 'DATA-20', 'Data Only 20 GB', 'data-only', 14.99, 20480))
     AS v (ord, code, name, sim_type, fee, data_mb)
ORDER BY v.ord
ON CONFLICT DO NOTHING;

-- Profiles only: this script creates no database login.
INSERT INTO staff (id, login, email, display_name, role, created_at, updated_at)
OVERRIDING SYSTEM VALUE
SELECT x.base + v.ord, v.login, v.email, v.display_name, v.role, x.at, x.at
FROM demo_params AS p
CROSS JOIN LATERAL (
    SELECT pg_temp.demo_ts(p.origin, p.lo) - interval '672 hours' AS at,
           (SELECT coalesce(max(id), 0) FROM staff) AS base
) AS x
CROSS JOIN (VALUES (1, 'demo_viewer', 'vera.vogel@simdesk.example', 'Vera Vogel', 'viewer'),
                   (2, 'demo_support', 'sven.sommer@simdesk.example', 'Sven Sommer', 'support'),
                   (3, 'demo_admin', 'anja.adler@simdesk.example', 'Anja Adler', 'admin'))
     AS v (ord, login, email, display_name, role)
ORDER BY v.ord
ON CONFLICT DO NOTHING;

-- ============================================================================================
-- Customers, import batches, activation codes
-- ============================================================================================

INSERT INTO customers (id, customer_no, full_name, company, email, phone, address, notes,
                       created_at, updated_at)
OVERRIDING SYSTEM VALUE
SELECT c.id, c.customer_no, c.full_name, c.company, c.email, c.phone, c.address, c.notes,
       pg_temp.demo_ts(p.origin, c.c_off), pg_temp.demo_ts(p.origin, c.c_off)
FROM demo_cust AS c
CROSS JOIN demo_params AS p
ORDER BY c.id;

INSERT INTO import_batches (id, file_name, checksum, format, status, total_rows, created_count,
                            skipped_count, created_by, created_at)
OVERRIDING SYSTEM VALUE
SELECT
    b.id,
    b.file_name,
    encode(sha256(convert_to(b.file_name || ':' || p.seed || ':' || n.created, 'UTF8')), 'hex'),
    b.format,
    'COMMITTED',
    n.created + n.skipped,
    n.created,
    n.skipped,
    'demo_admin',
    pg_temp.demo_ts(p.origin, b.c_off)
FROM demo_batch AS b
CROSS JOIN demo_params AS p
CROSS JOIN LATERAL (
    -- Skipped rows: ICCIDs the file repeated or that were already in stock.
    SELECT greatest(0, b.last_g - b.first_g + 1) AS created,
           floor(0.02 * greatest(0, b.last_g - b.first_g + 1)
                 * pg_temp.demo_rand(p.seed, b.id, 904))::integer AS skipped
) AS n
ORDER BY b.id;

INSERT INTO activation_codes (id, code, status, expires_at, used_at, created_at)
OVERRIDING SYSTEM VALUE
SELECT
    c.id,
    c.code,
    c.status,
    pg_temp.demo_ts(p.origin, c.c_off) + interval '2160 hours',  -- valid 90 days
    CASE WHEN c.status = 'USED' THEN pg_temp.demo_ts(p.origin, c.used_off) END,
    pg_temp.demo_ts(p.origin, c.c_off)
FROM demo_code AS c
CROSS JOIN demo_params AS p
ORDER BY c.id;

-- ============================================================================================
-- SIM cards and their secrets
-- ============================================================================================
--
-- version counts the card's events (each change bumped it); updated_at is its last event,
-- status_changed_at its last status change. ACTIVE, SUSPENDED and LOST_STOLEN cards keep their
-- number, pre-provisioned AVAILABLE ones have one, termination released it.

INSERT INTO sim_cards (id, iccid, msisdn, imsi, status, sim_type, customer_id, tariff_plan_id,
                       activation_code_id, import_batch_id, version, created_at, updated_at,
                       status_changed_at, activated_at, terminated_at)
OVERRIDING SYSTEM VALUE
SELECT
    d.sim_id,
    d.iccid,
    CASE WHEN d.status IN ('ACTIVE', 'SUSPENDED', 'LOST_STOLEN') OR d.prov THEN d.num END,
    d.imsi,
    d.status,
    d.sim_type,
    CASE WHEN d.status <> 'AVAILABLE' THEN cu.id END,
    tp.id,
    dc.id,
    nullif(d.batch_no, 0),
    d.n_events,
    pg_temp.demo_ts(p.origin, d.t_c),
    pg_temp.demo_ts(p.origin, d.t_last),
    pg_temp.demo_ts(p.origin, d.t_status),
    pg_temp.demo_ts(p.origin, d.t_act),
    pg_temp.demo_ts(p.origin, d.t_t)
FROM demo_card AS d
CROSS JOIN demo_params AS p
LEFT JOIN demo_cust AS cu ON cu.ci = d.cust
LEFT JOIN tariff_plans AS tp ON tp.code = d.plan1
LEFT JOIN demo_code AS dc ON dc.g = d.g
ORDER BY d.sim_id;

INSERT INTO sim_secrets (sim_id, pin, puk)
SELECT
    d.sim_id,
    lpad(floor(10000 * pg_temp.demo_rand(p.seed, d.g, 301))::text, 4, '0'),
    lpad(floor(100000000 * pg_temp.demo_rand(p.seed, d.g, 302))::text, 8, '0')
FROM demo_card AS d
CROSS JOIN demo_params AS p
ORDER BY d.sim_id;

-- ============================================================================================
-- Lifecycle history
-- ============================================================================================
--
-- One event per step a card took (see "Plan: one row per SIM card"); ids follow time. CREATED
-- and IMPORTED are by demo_admin, the other steps by demo_support (80 %) or demo_admin. Events
-- after the first carry the customer, those from the activation on the tariff of the moment.
-- Numbering the events in time order sorts them all: about 450 MB for a million cards, in memory.

SET LOCAL work_mem = '768MB';

INSERT INTO sim_events (id, sim_id, event_type, old_status, new_status, customer_id,
                        tariff_plan_id, import_batch_id, note, details, created_by, created_at)
OVERRIDING SYSTEM VALUE
SELECT
    row_number() OVER (ORDER BY e.off, d.sim_id, e.seq),
    d.sim_id,
    CASE WHEN e.seq = 1 AND d.batch_no > 0 THEN 'IMPORTED'
         ELSE (ARRAY['CREATED', 'RESERVED', 'RELEASED', 'EDITED', 'ACTIVATED', 'SUSPENDED',
                     'RESUMED', 'TARIFF_CHANGED', 'SUSPENDED', 'LOST_REPORTED',
                     'TERMINATED'])[e.seq]
    END,
    CASE e.seq
        WHEN 1 THEN NULL
        WHEN 2 THEN 'AVAILABLE'
        WHEN 3 THEN 'RESERVED'
        WHEN 4 THEN 'AVAILABLE'
        WHEN 5 THEN CASE WHEN d.t_res IS NOT NULL THEN 'RESERVED' ELSE 'AVAILABLE' END
        WHEN 6 THEN 'ACTIVE'
        WHEN 7 THEN 'SUSPENDED'
        WHEN 8 THEN 'ACTIVE'
        WHEN 9 THEN 'ACTIVE'
        WHEN 10 THEN CASE WHEN d.t_s IS NOT NULL THEN 'SUSPENDED' ELSE 'ACTIVE' END
        WHEN 11 THEN CASE WHEN d.t_l IS NOT NULL THEN 'LOST_STOLEN' ELSE 'ACTIVE' END
    END,
    (ARRAY['AVAILABLE', 'RESERVED', 'AVAILABLE', 'AVAILABLE', 'ACTIVE', 'SUSPENDED', 'ACTIVE',
           'ACTIVE', 'SUSPENDED', 'LOST_STOLEN', 'TERMINATED'])[e.seq],
    CASE WHEN e.seq IN (2, 3) OR e.seq >= 5 THEN cu.id END,
    CASE WHEN e.seq IN (5, 6, 7) THEN tp0.id WHEN e.seq >= 8 THEN tp1.id END,
    CASE WHEN e.seq = 1 THEN nullif(d.batch_no, 0) END,
    CASE e.seq
        WHEN 3 THEN pg_temp.demo_pick(pg_temp.demo_words('release_reasons'),
                                      pg_temp.demo_rand(p.seed, d.g, 401))
        WHEN 4 THEN 'MSISDN pre-provisioned'
        WHEN 6 THEN pg_temp.demo_pick(pg_temp.demo_words('suspend_reasons'),
                                      pg_temp.demo_rand(p.seed, d.g, 402))
        WHEN 7 THEN pg_temp.demo_pick(pg_temp.demo_words('resume_notes'),
                                      pg_temp.demo_rand(p.seed, d.g, 403))
        WHEN 8 THEN CASE WHEN d.plan1 = 'POST-UNL' THEN 'Upgrade requested by customer'
                         ELSE 'Downgrade requested by customer' END
        WHEN 9 THEN pg_temp.demo_pick(pg_temp.demo_words('suspend_reasons'),
                                      pg_temp.demo_rand(p.seed, d.g, 404))
        WHEN 10 THEN pg_temp.demo_pick(pg_temp.demo_words('lost_reasons'),
                                       pg_temp.demo_rand(p.seed, d.g, 405))
        WHEN 11 THEN CASE WHEN d.t_l IS NOT NULL THEN 'Lost card permanently blocked'
                          ELSE pg_temp.demo_pick(pg_temp.demo_words('terminate_reasons'),
                                                 pg_temp.demo_rand(p.seed, d.g, 406))
                     END
    END,
    CASE e.seq
        WHEN 4 THEN jsonb_build_object('msisdn', d.num)
        WHEN 5 THEN CASE WHEN dc.code IS NULL THEN jsonb_build_object('msisdn', d.num)
                         ELSE jsonb_build_object('msisdn', d.num, 'activation_code', dc.code)
                    END
        WHEN 8 THEN jsonb_build_object('from', d.plan0, 'to', d.plan1)
        WHEN 11 THEN jsonb_build_object('released_msisdn', d.num)
    END,
    CASE WHEN e.seq = 1 OR pg_temp.demo_rand(p.seed, d.g, 410 + e.seq) < 0.2 THEN 'demo_admin'
         ELSE 'demo_support'
    END,
    pg_temp.demo_ts(p.origin, e.off)
FROM demo_card AS d
CROSS JOIN demo_params AS p
LEFT JOIN demo_cust AS cu ON cu.ci = d.cust
LEFT JOIN tariff_plans AS tp0 ON tp0.code = d.plan0
LEFT JOIN tariff_plans AS tp1 ON tp1.code = d.plan1
LEFT JOIN demo_code AS dc ON dc.g = d.g
CROSS JOIN LATERAL (VALUES (1, d.t_c), (2, d.t_res), (3, d.t_rel), (4, d.t_edt), (5, d.t_act),
                           (6, d.t_s1), (7, d.t_r1), (8, d.t_tc), (9, d.t_s), (10, d.t_l),
                           (11, d.t_t)) AS e (seq, off)
WHERE e.off IS NOT NULL;

SET LOCAL work_mem = '256MB';

-- ============================================================================================
-- Finish: triggers back on, indexes and foreign keys back, sequences past the ids, statistics
-- ============================================================================================
--
-- At ten million cards an index's sort no longer fits in 256 MB and spills to disk in runs that
-- are merged again; 1 GB keeps the sorts of sim_cards' indexes in memory (PostgreSQL takes only
-- what a sort needs, so the million-card demo uses no more than before).
SET LOCAL maintenance_work_mem = '1GB';

DO $$
DECLARE
    r record;
    t text;
    seq text;
BEGIN
    FOR r IN SELECT ddl FROM pg_temp.demo_deferred WHERE step >= 0 ORDER BY step, ddl LOOP
        EXECUTE r.ddl;
    END LOOP;
    FOREACH t IN ARRAY ARRAY['tariff_plans', 'staff', 'customers', 'import_batches',
                             'activation_codes', 'sim_cards', 'sim_events'] LOOP
        seq := pg_get_serial_sequence(t, 'id');
        IF seq IS NOT NULL THEN
            EXECUTE format('SELECT setval(%L, (SELECT max(id) FROM %I))', seq, t);
        END IF;
    END LOOP;
    -- New customers without a number continue after C-<n_customers> (002_security.sql).
    IF to_regclass('customer_no_seq') IS NOT NULL THEN
        PERFORM setval('customer_no_seq', n_customers) FROM pg_temp.demo_params;
    END IF;
END
$$;

DROP TABLE pg_temp.demo_deferred, pg_temp.demo_code, pg_temp.demo_cust, pg_temp.demo_card,
    pg_temp.demo_batch, pg_temp.demo_params;
DROP FUNCTION pg_temp.demo_iccid(bigint), pg_temp.demo_luhn_pair(bigint),
    pg_temp.demo_ts(timestamptz, integer), pg_temp.demo_pick(text[], double precision),
    pg_temp.demo_words(text), pg_temp.demo_rand(integer, bigint, integer),
    pg_temp.demo_ascii(text);

ANALYZE tariff_plans, staff, customers, import_batches, activation_codes, sim_cards, sim_secrets,
    sim_events;
