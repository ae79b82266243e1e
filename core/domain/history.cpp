// SPDX-License-Identifier: MIT
#include "domain/history.h"

#include "domain/vocabulary.h"

namespace simdesk {

namespace {

constexpr Word<EventType> kEventTypes[] = {
    { EventType::Created, "CREATED", QT_TRANSLATE_NOOP("simdesk::EventType", "Created") },
    { EventType::Imported, "IMPORTED", QT_TRANSLATE_NOOP("simdesk::EventType", "Imported") },
    { EventType::Assigned, "ASSIGNED",
        QT_TRANSLATE_NOOP("simdesk::EventType", "Customer assigned") },
    { EventType::Unassigned, "UNASSIGNED",
        QT_TRANSLATE_NOOP("simdesk::EventType", "Customer removed") },
    { EventType::StatusChanged, "STATUS_CHANGED",
        QT_TRANSLATE_NOOP("simdesk::EventType", "Status changed") },
    { EventType::Activated, "ACTIVATED", QT_TRANSLATE_NOOP("simdesk::EventType", "Activated") },
    { EventType::Suspended, "SUSPENDED", QT_TRANSLATE_NOOP("simdesk::EventType", "Suspended") },
    { EventType::Resumed, "RESUMED", QT_TRANSLATE_NOOP("simdesk::EventType", "Resumed") },
    { EventType::LostReported, "LOST_REPORTED",
        QT_TRANSLATE_NOOP("simdesk::EventType", "Reported lost/stolen") },
    { EventType::Terminated, "TERMINATED", QT_TRANSLATE_NOOP("simdesk::EventType", "Terminated") },
    { EventType::SwappedOut, "SWAPPED_OUT",
        QT_TRANSLATE_NOOP("simdesk::EventType", "Swapped out") },
    { EventType::SwappedIn, "SWAPPED_IN", QT_TRANSLATE_NOOP("simdesk::EventType", "Swapped in") },
    { EventType::SecretRevealed, "SECRET_REVEALED",
        QT_TRANSLATE_NOOP("simdesk::EventType", "PIN/PUK revealed") },
    { EventType::SecretsChanged, "SECRETS_CHANGED",
        QT_TRANSLATE_NOOP("simdesk::EventType", "PIN/PUK changed") },
    { EventType::Edited, "EDITED", QT_TRANSLATE_NOOP("simdesk::EventType", "Identifiers edited") },
    { EventType::TariffChanged, "TARIFF_CHANGED",
        QT_TRANSLATE_NOOP("simdesk::EventType", "Tariff changed") },
    { EventType::Reserved, "RESERVED", QT_TRANSLATE_NOOP("simdesk::EventType", "Reserved") },
    { EventType::Released, "RELEASED", QT_TRANSLATE_NOOP("simdesk::EventType", "Released") },
    { EventType::ImportReverted, "IMPORT_REVERTED",
        QT_TRANSLATE_NOOP("simdesk::EventType", "Import reverted") },
    { EventType::Deleted, "DELETED", QT_TRANSLATE_NOOP("simdesk::EventType", "Deleted") },
};
static_assert(inEnumOrder(kEventTypes, kAllEventTypes.size()), "one word per event type");

constexpr Word<ChangeSource> kSources[] = {
    { ChangeSource::Desktop, "desktop", QT_TRANSLATE_NOOP("simdesk::ChangeSource", "Desktop") },
    { ChangeSource::Cli, "cli", QT_TRANSLATE_NOOP("simdesk::ChangeSource", "Command line") },
    { ChangeSource::Import, "import", QT_TRANSLATE_NOOP("simdesk::ChangeSource", "Import") },
    { ChangeSource::Bulk, "bulk", QT_TRANSLATE_NOOP("simdesk::ChangeSource", "Bulk action") },
    { ChangeSource::System, "system", QT_TRANSLATE_NOOP("simdesk::ChangeSource", "System") },
};
static_assert(inEnumOrder(kSources, kAllSources.size()), "one word per source");

} // namespace

QString eventTypeKey(EventType type)
{
    return keyOf(kEventTypes, type);
}

std::optional<EventType> eventTypeFromKey(QStringView key)
{
    return valueOfKey(kEventTypes, key);
}

QString eventTypeDisplayName(EventType type)
{
    return nameOf("simdesk::EventType", kEventTypes, type);
}

QString eventTypeDisplayName(QStringView key)
{
    const std::optional<EventType> type = eventTypeFromKey(key);
    return type ? eventTypeDisplayName(*type) : key.toString();
}

QString sourceKey(ChangeSource source)
{
    return keyOf(kSources, source);
}

std::optional<ChangeSource> sourceFromKey(QStringView key)
{
    return valueOfKey(kSources, key);
}

QString sourceDisplayName(ChangeSource source)
{
    return nameOf("simdesk::ChangeSource", kSources, source);
}

QString sourceDisplayName(QStringView key)
{
    const std::optional<ChangeSource> source = sourceFromKey(key);
    return source ? sourceDisplayName(*source) : key.toString();
}

} // namespace simdesk
