<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>simdesk::AssignSimDialog</name>
    <message numerus="yes">
        <source>Pasted list of %n identifier(s).</source>
        <translation>
            <numerusform>Pasted list of %n identifier.</numerusform>
            <numerusform>Pasted list of %n identifiers.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>simdesk::AuditLogPage</name>
    <message numerus="yes">
        <source>%n change(s)</source>
        <translation>
            <numerusform>%n change</numerusform>
            <numerusform>%n changes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) so far, more below</source>
        <translation>
            <numerusform>%n change so far, more below</numerusform>
            <numerusform>%n changes so far, more below</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>simdesk::BulkActionDialog</name>
    <message numerus="yes">
        <source>%1: %n SIM card(s)</source>
        <translation>
            <numerusform>%1: %n SIM card</numerusform>
            <numerusform>%1: %n SIM cards</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Working on %n card(s)…</source>
        <translation>
            <numerusform>Working on %n card…</numerusform>
            <numerusform>Working on %n cards…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>simdesk::CliCommands</name>
    <message numerus="yes">
        <source>%n row(s) of the file cannot be imported, and with --duplicates error nothing is imported then. Fix the rows listed, or import the others with --duplicates skip.</source>
        <translation>
            <numerusform>%n row of the file cannot be imported, and with --duplicates error nothing is imported then. Fix the rows listed, or import the others with --duplicates skip.</numerusform>
            <numerusform>%n rows of the file cannot be imported, and with --duplicates error nothing is imported then. Fix the rows listed, or import the others with --duplicates skip.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 (%2): %n row(s): %3 valid, %4 invalid, %5 duplicate in the file, %6 already in SimDesk.</source>
        <translation>
            <numerusform>%1 (%2): %n row: %3 valid, %4 invalid, %5 duplicate in the file, %6 already in SimDesk.</numerusform>
            <numerusform>%1 (%2): %n rows: %3 valid, %4 invalid, %5 duplicate in the file, %6 already in SimDesk.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>… and %n more warning(s) (all of them with --report FILE).</source>
        <translation>
            <numerusform>… and %n more warning (all of them with --report FILE).</numerusform>
            <numerusform>… and %n more warnings (all of them with --report FILE).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>… and %n more problem(s) (all of them with --report FILE).</source>
        <translation>
            <numerusform>… and %n more problem (all of them with --report FILE).</numerusform>
            <numerusform>… and %n more problems (all of them with --report FILE).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Dry run: %n SIM card(s) would be imported (%1 s). Nothing was changed.</source>
        <translation>
            <numerusform>Dry run: %n SIM card would be imported (%1 s). Nothing was changed.</numerusform>
            <numerusform>Dry run: %n SIM cards would be imported (%1 s). Nothing was changed.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Imported %n SIM card(s) as batch %1; %2 skipped (%3 s).</source>
        <translation>
            <numerusform>Imported %n SIM card as batch %1; %2 skipped (%3 s).</numerusform>
            <numerusform>Imported %n SIM cards as batch %1; %2 skipped (%3 s).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Reverted batch %1: removed %n SIM card(s).</source>
        <translation>
            <numerusform>Reverted batch %1: removed %n SIM card.</numerusform>
            <numerusform>Reverted batch %1: removed %n SIM cards.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exported %n SIM card(s).</source>
        <translation>
            <numerusform>Exported %n SIM card.</numerusform>
            <numerusform>Exported %n SIM cards.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>… and %n more problem(s); --report FILE lists the first %1 and counts the others.</source>
        <translation>
            <numerusform>… and %n more problem; --report FILE lists the first %1 and counts the others.</numerusform>
            <numerusform>… and %n more problems; --report FILE lists the first %1 and counts the others.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>simdesk::Error</name>
    <message numerus="yes">
        <source>The ICCID has %n digit(s). It must have 19 or 20 digits; check that none are missing or doubled.</source>
        <translation>
            <numerusform>The ICCID has %n digit. It must have 19 or 20 digits; check that none are missing or doubled.</numerusform>
            <numerusform>The ICCID has %n digits. It must have 19 or 20 digits; check that none are missing or doubled.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The phone number %1 has only %n digit(s). An international number has at least 7 digits including the country code.</source>
        <translation>
            <numerusform>The phone number %1 has only %n digit. An international number has at least 7 digits including the country code.</numerusform>
            <numerusform>The phone number %1 has only %n digits. An international number has at least 7 digits including the country code.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The phone number %1 has %n digit(s). An international (E.164) number has at most 15 digits including the country code.</source>
        <translation>
            <numerusform>The phone number %1 has %n digit. An international (E.164) number has at most 15 digits including the country code.</numerusform>
            <numerusform>The phone number %1 has %n digits. An international (E.164) number has at most 15 digits including the country code.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The IMSI has %n digit(s). It must have 6 to 15 digits; leave it empty if it is not known.</source>
        <translation>
            <numerusform>The IMSI has %n digit. It must have 6 to 15 digits; leave it empty if it is not known.</numerusform>
            <numerusform>The IMSI has %n digits. It must have 6 to 15 digits; leave it empty if it is not known.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The PIN has %n digit(s). A PIN has 4 to 8 digits.</source>
        <translation>
            <numerusform>The PIN has %n digit. A PIN has 4 to 8 digits.</numerusform>
            <numerusform>The PIN has %n digits. A PIN has 4 to 8 digits.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The PUK has %n digit(s). A PUK has exactly 8 digits.</source>
        <translation>
            <numerusform>The PUK has %n digit. A PUK has exactly 8 digits.</numerusform>
            <numerusform>The PUK has %n digits. A PUK has exactly 8 digits.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>This line has %n field(s) where the first line names %1. Check for a missing or extra separator.</source>
        <translation>
            <numerusform>This line has %n field where the first line names %1. Check for a missing or extra separator.</numerusform>
            <numerusform>This line has %n fields where the first line names %1. Check for a missing or extra separator.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The vendor file&apos;s Quantity is %1 but it holds %n row(s). The file is incomplete or damaged; ask the vendor for it again.</source>
        <translation>
            <numerusform>The vendor file&apos;s Quantity is %1 but it holds %n row. The file is incomplete or damaged; ask the vendor for it again.</numerusform>
            <numerusform>The vendor file&apos;s Quantity is %1 but it holds %n rows. The file is incomplete or damaged; ask the vendor for it again.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Import batch %1 cannot be reverted: %n of its SIM cards has been used since. Terminate or handle those cards one by one instead.</source>
        <translation>
            <numerusform>Import batch %1 cannot be reverted: %n of its SIM cards has been used since. Terminate or handle those cards one by one instead.</numerusform>
            <numerusform>Import batch %1 cannot be reverted: %n of its SIM cards have been used since. Terminate or handle those cards one by one instead.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) of the file cannot be imported and the duplicate policy is “error”, so nothing was imported. Fix the rows listed, or import with the policy “skip”.</source>
        <translation>
            <numerusform>%n row of the file cannot be imported and the duplicate policy is “error”, so nothing was imported. Fix the rows listed, or import with the policy “skip”.</numerusform>
            <numerusform>%n rows of the file cannot be imported and the duplicate policy is “error”, so nothing was imported. Fix the rows listed, or import with the policy “skip”.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>None of the file&apos;s %n SIM card row(s) can be imported: %2 invalid, %3 duplicate in the file, %4 already in SimDesk. Nothing was imported; fix the rows listed.</source>
        <translation>
            <numerusform>The file&apos;s one SIM card row cannot be imported: %2 invalid, %3 duplicate in the file, %4 already in SimDesk. Nothing was imported; fix the rows listed.</numerusform>
            <numerusform>None of the file&apos;s %n SIM card rows can be imported: %2 invalid, %3 duplicate in the file, %4 already in SimDesk. Nothing was imported; fix the rows listed.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n column(s) are not used by SimDesk and are ignored: %2.</source>
        <translation>
            <numerusform>%n column is not used by SimDesk and are ignored: %2.</numerusform>
            <numerusform>%n columns are not used by SimDesk and are ignored: %2.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The password has %n character(s). Use at least %2.</source>
        <translation>
            <numerusform>The password has %n character. Use at least %2.</numerusform>
            <numerusform>The password has %n characters. Use at least %2.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>This line has %n field(s) where the Var_Out: line (line %3) names %1. Check the line for a missing or an extra value.</source>
        <translation>
            <numerusform>This line has %n field where the Var_Out: line (line %3) names %1. Check the line for a missing or an extra value.</numerusform>
            <numerusform>This line has %n fields where the Var_Out: line (line %3) names %1. Check the line for a missing or an extra value.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>simdesk::PasteListDialog</name>
    <message numerus="yes">
        <source>%n identifier(s)</source>
        <translation>
            <numerusform>%n identifier</numerusform>
            <numerusform>%n identifiers</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>simdesk::SimDetailPage</name>
    <message numerus="yes">
        <source>Hidden again in %n s</source>
        <translation>
            <numerusform>Hidden again in %n s</numerusform>
            <numerusform>Hidden again in %n s</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>simdesk::SimsPage</name>
    <message numerus="yes">
        <source>%n statuses</source>
        <translation>
            <numerusform>%n status</numerusform>
            <numerusform>%n statuses</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 cards · %2 ms</source>
        <translation>
            <numerusform>%1 card · %2 ms</numerusform>
            <numerusform>%1 cards · %2 ms</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n card(s) selected</source>
        <translation>
            <numerusform>%n card selected</numerusform>
            <numerusform>%n cards selected</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Pasted list of %n identifier(s)</source>
        <translation>
            <numerusform>Pasted list of %n identifier</numerusform>
            <numerusform>Pasted list of %n identifiers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Selection cleared (%n card(s) changed)</source>
        <translation>
            <numerusform>Selection cleared (%n card changed)</numerusform>
            <numerusform>Selection cleared (%n cards changed)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>simdesk::StaffPage</name>
    <message numerus="yes">
        <source>%n login(s)</source>
        <translation>
            <numerusform>%n login</numerusform>
            <numerusform>%n logins</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Disable %1 (%2)? They can no longer sign in, and their %n open session(s) end now. Their history stays; you can enable the login again.</source>
        <translation>
            <numerusform>Disable %1 (%2)? They can no longer sign in, and their %n open session ends now. Their history stays; you can enable the login again.</numerusform>
            <numerusform>Disable %1 (%2)? They can no longer sign in, and their %n open sessions end now. Their history stays; you can enable the login again.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>End the %n open session(s) of %1 (%2)? Their work in progress is lost; they can sign in again.</source>
        <translation>
            <numerusform>End the %n open session of %1 (%2)? Their work in progress is lost; they can sign in again.</numerusform>
            <numerusform>End the %n open sessions of %1 (%2)? Their work in progress is lost; they can sign in again.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Ended %n session(s) of %1.</source>
        <translation>
            <numerusform>Ended %n session of %1.</numerusform>
            <numerusform>Ended %n sessions of %1.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>simdesk::TariffsPage</name>
    <message numerus="yes">
        <source>%n plan(s)</source>
        <translation>
            <numerusform>%n plan</numerusform>
            <numerusform>%n plans</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Retire %1? It is no longer offered for activations or tariff changes. The %n card(s) on it keep it until their tariff is changed.</source>
        <translation>
            <numerusform>Retire %1? It is no longer offered for activations or tariff changes. The %n card on it keeps it until its tariff is changed.</numerusform>
            <numerusform>Retire %1? It is no longer offered for activations or tariff changes. The %n cards on it keep it until their tariff is changed.</numerusform>
        </translation>
    </message>
</context>
</TS>
