// SPDX-License-Identifier: MIT
#include "dashboard/dashboardtheme.h"

#include "common/statusstyle.h"
#include "domain/lifecycle.h"

#include <QCoreApplication>
#include <QFontInfo>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonDocument>

namespace simdesk::dashboardtheme {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("Dashboard", text);
}

QString rgba(const QColor &c)
{
    return c.alpha() == 255 ? c.name() : c.name(QColor::HexArgb);
}

QColor mix(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t),
        float(a.greenF() * (1 - t) + b.greenF() * t), float(a.blueF() * (1 - t) + b.blueF() * t));
}
// A QLocale date or time format ("dd.MM.yy", "h:mm AP") as a d3-time-format specifier.
QString toD3Format(const QString &qt)
{
    QString out;
    for (int i = 0; i < qt.size();) {
        const QChar c = qt.at(i);
        int n = 1;
        while (i + n < qt.size() && qt.at(i + n) == c)
            ++n;
        if (c == QLatin1Char('\'')) { // quoted literal text
            const int end = qt.indexOf(QLatin1Char('\''), i + 1);
            out += qt.mid(i + 1, (end < 0 ? qt.size() : end) - i - 1);
            i = end < 0 ? int(qt.size()) : end + 1;
            continue;
        }
        QString token;
        switch (c.unicode()) {
        case 'd':
            token = n == 1 ? QStringLiteral("%-d")
                : n == 2   ? QStringLiteral("%d")
                : n == 3   ? QStringLiteral("%a")
                           : QStringLiteral("%A");
            break;
        case 'M':
            token = n == 1 ? QStringLiteral("%-m")
                : n == 2   ? QStringLiteral("%m")
                : n == 3   ? QStringLiteral("%b")
                           : QStringLiteral("%B");
            break;
        case 'y':
            token = n <= 2 ? QStringLiteral("%y") : QStringLiteral("%Y");
            break;
        case 'H':
            token = n == 1 ? QStringLiteral("%-H") : QStringLiteral("%H");
            break;
        case 'h':
            token = n == 1 ? QStringLiteral("%-I") : QStringLiteral("%I");
            break;
        case 'm':
            token = QStringLiteral("%M");
            break;
        case 's':
            token = QStringLiteral("%S");
            break;
        case 'A':
        case 'a':
            token = QStringLiteral("%p");
            if (i + 1 < qt.size()
                && (qt.at(i + 1) == QLatin1Char('P') || qt.at(i + 1) == QLatin1Char('p')))
                n = 2;
            break;
        case 't':
        case 'z':
            token.clear(); // no time zone names or milliseconds on the dashboard
            break;
        case '%':
            token = QStringLiteral("%%");
            break;
        default:
            token = QString(n, c);
        }
        out += token;
        i += n;
    }
    return out.trimmed();
}
} // namespace

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightnessF() < 0.5;
}

QColor background(const QPalette &palette)
{
    return palette.color(QPalette::Window);
}

QJsonObject theme(const QPalette &palette)
{
    const bool dark = isDark(palette);
    const QColor window = palette.color(QPalette::Window);
    const QColor base = palette.color(QPalette::Base);
    const QColor text = palette.color(QPalette::WindowText);
    // Cards stand out a little from the window, like group boxes do.
    const QColor surface = dark ? mix(window, QColor(Qt::white), 0.05) : base;
    QJsonObject statusColors;
    for (SimStatus s : kAllStatuses)
        statusColors.insert(statusKey(s), statusColor(s).name());
    // The widgets' font, so the page reads like the rest of the window.
    const QFont font = QGuiApplication::font();
    return QJsonObject {
        { QStringLiteral("fontFamily"), QFontInfo(font).family() },
        { QStringLiteral("fontSize"), QStringLiteral("%1pt").arg(QFontInfo(font).pointSizeF()) },
        { QStringLiteral("dark"), dark },
        { QStringLiteral("background"), rgba(window) },
        { QStringLiteral("surface"), rgba(surface) },
        { QStringLiteral("text"), rgba(text) },
        { QStringLiteral("muted"), rgba(mix(text, window, 0.4)) },
        { QStringLiteral("grid"), rgba(mix(text, window, 0.85)) },
        { QStringLiteral("border"), rgba(mix(text, window, 0.8)) },
        { QStringLiteral("accent"), rgba(palette.color(QPalette::Highlight)) },
        { QStringLiteral("accentText"), rgba(palette.color(QPalette::HighlightedText)) },
        { QStringLiteral("tooltip"), rgba(palette.color(QPalette::ToolTipBase)) },
        { QStringLiteral("tooltipText"), rgba(palette.color(QPalette::ToolTipText)) },
        // Imported cards arrive AVAILABLE; terminated ones end TERMINATED: the same colours.
        { QStringLiteral("imported"), statusColor(SimStatus::Available).name() },
        { QStringLiteral("terminated"), statusColor(SimStatus::Terminated).name() },
        { QStringLiteral("activations"), statusColor(SimStatus::Active).name() },
        { QStringLiteral("statusColors"), statusColors },
    };
}

QJsonObject locale(const QLocale &locale)
{
    QJsonArray months, shortMonths, days, shortDays;
    for (int m = 1; m <= 12; ++m) {
        months.append(locale.standaloneMonthName(m, QLocale::LongFormat));
        shortMonths.append(locale.standaloneMonthName(m, QLocale::ShortFormat));
    }
    // d3 wants Sunday first.
    for (int d : { 7, 1, 2, 3, 4, 5, 6 }) {
        days.append(locale.standaloneDayName(d, QLocale::LongFormat));
        shortDays.append(locale.standaloneDayName(d, QLocale::ShortFormat));
    }
    return QJsonObject {
        { QStringLiteral("name"), locale.bcp47Name() },
        { QStringLiteral("decimal"), locale.decimalPoint() },
        { QStringLiteral("thousands"), locale.groupSeparator() },
        { QStringLiteral("percent"), locale.percent() },
        { QStringLiteral("months"), months },
        { QStringLiteral("shortMonths"), shortMonths },
        { QStringLiteral("days"), days },
        { QStringLiteral("shortDays"), shortDays },
        { QStringLiteral("date"), toD3Format(locale.dateFormat(QLocale::ShortFormat)) },
        { QStringLiteral("time"), toD3Format(locale.timeFormat(QLocale::ShortFormat)) },
        { QStringLiteral("amPm"), QJsonArray { locale.amText(), locale.pmText() } },
        // The order of day and month in short dates ("5 Mar" or "Mar 5").
        { QStringLiteral("dayFirst"),
            locale.dateFormat(QLocale::ShortFormat).indexOf(QLatin1Char('d'))
                < locale.dateFormat(QLocale::ShortFormat).indexOf(QLatin1Char('M')) },
    };
}

QJsonObject strings()
{
    QJsonObject statusNames;
    for (SimStatus s : kAllStatuses)
        statusNames.insert(statusKey(s), statusDisplayName(s));
    return QJsonObject {
        { QStringLiteral("range30d"), tr("30 days") },
        { QStringLiteral("range90d"), tr("90 days") },
        { QStringLiteral("range12m"), tr("12 months") },
        { QStringLiteral("rangeCustom"), tr("Custom") },
        { QStringLiteral("from"), tr("From") },
        { QStringLiteral("to"), tr("To") },
        { QStringLiteral("apply"), tr("Apply") },
        { QStringLiteral("day"), tr("Day") },
        { QStringLiteral("week"), tr("Week") },
        { QStringLiteral("month"), tr("Month") },
        { QStringLiteral("total"), tr("All cards") },
        { QStringLiteral("byStatus"), tr("Cards by status") },
        { QStringLiteral("activations"), tr("Activations") },
        { QStringLiteral("byTariff"), tr("Cards by tariff plan") },
        { QStringLiteral("noTariff"), tr("No tariff") },
        { QStringLiteral("flows"), tr("Imports and terminations") },
        { QStringLiteral("imported"), tr("Imported") },
        { QStringLiteral("importedNote"),
            tr("Imports count on the day they happened; a reverted import is taken off that "
               "day.") },
        { QStringLiteral("terminated"), tr("Terminated") },
        { QStringLiteral("cards"), tr("%1 cards") },
        { QStringLiteral("oneCard"), tr("1 card") },
        { QStringLiteral("activated"), tr("%1 activated") },
        { QStringLiteral("share"), tr("%1 of all cards") },
        { QStringLiteral("clickHint"), tr("Click to list these cards") },
        { QStringLiteral("emptyTitle"), tr("No SIM cards yet") },
        { QStringLiteral("emptyText"),
            tr("Import a CSV file (drop it on the window) or create cards on the SIM cards "
               "page; the charts appear as soon as there are cards.") },
        { QStringLiteral("noData"), tr("Nothing in this period") },
        { QStringLiteral("loading"), tr("Loading…") },
        { QStringLiteral("timelineEmpty"), tr("No status changes yet") },
        { QStringLiteral("timelineNow"), tr("now") },
        { QStringLiteral("by"), tr("by %1") },
        { QStringLiteral("statusNames"), statusNames },
    };
}

QString bootScript(const QJsonObject &theme, const QJsonObject &locale, const QJsonObject &strings)
{
    const QJsonObject boot { { QStringLiteral("theme"), theme },
        { QStringLiteral("locale"), locale }, { QStringLiteral("strings"), strings } };
    return QStringLiteral("window.simdeskBoot = %1;")
        .arg(QString::fromUtf8(QJsonDocument(boot).toJson(QJsonDocument::Compact)));
}

} // namespace simdesk::dashboardtheme
