// SPDX-License-Identifier: MIT
#include "main/aboutdialog.h"

#include "db/database.h"
#include "db/versioninfo.h"

#include <QFile>
#include <QRegularExpression>

namespace simdesk {

AboutDialog::AboutDialog(DbRunner *runner, QWidget *parent)
    : QDialog(parent)
{
    m_ui.setupUi(this);
    m_ui.titleLabel->setText(tr("<h2>SimDesk %1</h2>").arg(VersionInfo::application()));
    m_ui.versionValue->setText(VersionInfo::application());
    m_ui.qtValue->setText(
        tr("%1 (built with %2)").arg(VersionInfo::qtRuntime(), QStringLiteral(QT_VERSION_STR)));
    const QString tls = VersionInfo::libpqTls();
    m_ui.libpqValue->setText(tls.isEmpty() ? tr("%1, without TLS").arg(VersionInfo::libpq())
                                           : tr("%1 with %2").arg(VersionInfo::libpq(), tls));
    const QString d3 = d3Version();
    m_ui.d3Value->setText(d3.isEmpty() ? tr("unknown") : d3);
    QFile licence(QStringLiteral(":/about/LICENSE"));
    if (licence.open(QIODevice::ReadOnly))
        m_ui.licenceText->setPlainText(QString::fromUtf8(licence.readAll()));

    m_ui.serverValue->setText(tr("asking the server…"));
    runner->run<QString>(
        this,
        [](QSqlDatabase db) -> Result<QString> {
            return QStringLiteral("%1 (%2)").arg(VersionInfo::server(db), Database::describe(db));
        },
        [this](const Result<QString> &server) {
            m_ui.serverValue->setText(
                server ? *server : tr("not reachable: %1").arg(server.error().message()));
            emit serverVersionShown();
        });
}

QString AboutDialog::d3Version()
{
    QFile file(QStringLiteral(":/dashboard/vendor/d3.min.js"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    static const QRegularExpression banner(QStringLiteral("d3js\\.org v(\\d+\\.\\d+\\.\\d+)"));
    const QRegularExpressionMatch m = banner.match(QString::fromUtf8(file.readLine(200)));
    return m.hasMatch() ? m.captured(1) : QString();
}

} // namespace simdesk
