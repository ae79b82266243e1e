// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QStringView>

#include <array>
#include <optional>

// What the history of a card is made of: the kinds of events the database writes (the CHECK
// constraint sim_events_event_type_check) and where a change came from (sim_events.source).
// tests/db/tst_constraints proves both sets equal to their SQL twins.
namespace simdesk {

enum class EventType : quint8 {
    Created,
    Imported,
    Assigned,
    Unassigned,
    StatusChanged,
    Activated,
    Suspended,
    Resumed,
    LostReported,
    Terminated,
    SwappedOut,
    SwappedIn,
    SecretRevealed,
    SecretsChanged,
    Edited,
    TariffChanged,
    Reserved,
    Released,
    ImportReverted,
    Deleted,
};

inline constexpr std::array<EventType, 20> kAllEventTypes { EventType::Created, EventType::Imported,
    EventType::Assigned, EventType::Unassigned, EventType::StatusChanged, EventType::Activated,
    EventType::Suspended, EventType::Resumed, EventType::LostReported, EventType::Terminated,
    EventType::SwappedOut, EventType::SwappedIn, EventType::SecretRevealed,
    EventType::SecretsChanged, EventType::Edited, EventType::TariffChanged, EventType::Reserved,
    EventType::Released, EventType::ImportReverted, EventType::Deleted };

// Database spelling: "CREATED" … "DELETED".
QString eventTypeKey(EventType type);
std::optional<EventType> eventTypeFromKey(QStringView key);
// Translated name for people ("Reported lost/stolen"); an unknown key is shown as it is.
QString eventTypeDisplayName(EventType type);
QString eventTypeDisplayName(QStringView key);
// Events that record a look at the card rather than a change of it: the card's status before and
// after is the same, so a history shows no status change for them.
constexpr bool isObservation(EventType type)
{
    return type == EventType::SecretRevealed;
}

// Where a change was made; recorded with every event.
enum class ChangeSource : quint8 { Desktop, Cli, Import, Bulk, System };

inline constexpr std::array<ChangeSource, 5> kAllSources { ChangeSource::Desktop, ChangeSource::Cli,
    ChangeSource::Import, ChangeSource::Bulk, ChangeSource::System };

QString sourceKey(ChangeSource source); // "desktop", "cli", "import", "bulk", "system"
std::optional<ChangeSource> sourceFromKey(QStringView key);
QString sourceDisplayName(ChangeSource source); // "Desktop", "Command line", …
QString sourceDisplayName(QStringView key);

} // namespace simdesk
