// SPDX-License-Identifier: MIT
#include "domain/simtypes.h"

#include "domain/vocabulary.h"

namespace simdesk {

namespace {

constexpr Word<SimType> kTypeWords[] = {
    { SimType::Prepaid, "prepaid", QT_TRANSLATE_NOOP("simdesk::SimType", "Prepaid") },
    { SimType::Postpaid, "postpaid", QT_TRANSLATE_NOOP("simdesk::SimType", "Postpaid") },
    { SimType::DataOnly, "data-only", QT_TRANSLATE_NOOP("simdesk::SimType", "Data only") },
};
static_assert(inEnumOrder(kTypeWords, kAllSimTypes.size()), "one word per type");

} // namespace

QString simTypeKey(SimType type)
{
    return keyOf(kTypeWords, type);
}

std::optional<SimType> simTypeFromKey(QStringView key)
{
    return valueOfKey(kTypeWords, key);
}

QString simTypeDisplayName(SimType type)
{
    return nameOf("simdesk::SimType", kTypeWords, type);
}

} // namespace simdesk
