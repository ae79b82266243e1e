-- SPDX-License-Identifier: MIT
-- 017: a tariff plan's description and its type.
--
-- The type says what the plan sells: "mobile" (calls, texts and data) or "data-only" (data
-- alone, for routers and tablets); which card types a plan may be activated on stays sim_type
-- (NULL: any). Plans that fit only data-only cards are data-only plans already. The description
-- is free text for staff (what the plan includes), bounded so that a list stays readable.
-- Both are written by administrators like the other columns (column grants, 002), and the audit
-- trigger (004) records them with the rest of the row.
ALTER TABLE public.tariff_plans
    ADD COLUMN plan_type text NOT NULL DEFAULT 'mobile'
        CONSTRAINT tariff_plans_plan_type_check CHECK (plan_type IN ('mobile', 'data-only')),
    ADD COLUMN description text NOT NULL DEFAULT ''
        CONSTRAINT tariff_plans_description_check CHECK (char_length(description) <= 2000);
UPDATE public.tariff_plans SET plan_type = 'data-only' WHERE sim_type = 'data-only';

GRANT INSERT (plan_type, description), UPDATE (plan_type, description)
    ON public.tariff_plans TO simdesk_admin;
