-- SPDX-License-Identifier: MIT
-- 009: import profiles — how the columns of a vendor's CSV files
-- map to SimDesk's fields, named and shared by every admin workstation.
--
--  * header_signature: the file's header line, normalised (lower case, fields joined by a tab),
--    so that the next file with the same header picks its profile automatically.
--  * mapping: {"<header as written>": "<field>"}; an empty field means "ignore this column".
--  * Everyone reads them (like every table but the secrets: a mapping holds none); admins
--    write them (imports are theirs). Every change is audited like tariff plans
--    (004: simdesk_audit_row).

CREATE TABLE public.import_profiles (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name             text NOT NULL UNIQUE CHECK (btrim(name) <> '' AND length(name) <= 100),
    header_signature text NOT NULL,
    mapping          jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(mapping) = 'object'),
    default_type     text CHECK (default_type IN ('prepaid', 'postpaid', 'data-only')),
    created_by       text NOT NULL DEFAULT session_user,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_by       text NOT NULL DEFAULT session_user,
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX import_profiles_header_idx ON public.import_profiles (header_signature, updated_at);

REVOKE ALL ON public.import_profiles FROM PUBLIC;
GRANT SELECT ON public.import_profiles TO simdesk_viewer;
GRANT DELETE,
      INSERT (name, header_signature, mapping, default_type),
      UPDATE (header_signature, mapping, default_type)
    ON public.import_profiles TO simdesk_admin;

-- Who changed a profile last is the database's word, not the client's.
CREATE FUNCTION public.simdesk_import_profile_touch() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    NEW.updated_by := session_user;
    NEW.updated_at := now();
    RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION public.simdesk_import_profile_touch() FROM PUBLIC;
CREATE TRIGGER import_profiles_touch BEFORE UPDATE ON public.import_profiles
    FOR EACH ROW EXECUTE FUNCTION public.simdesk_import_profile_touch();

CREATE TRIGGER import_profiles_audit AFTER INSERT OR UPDATE OR DELETE ON public.import_profiles
    FOR EACH ROW EXECUTE FUNCTION public.simdesk_audit_row();
