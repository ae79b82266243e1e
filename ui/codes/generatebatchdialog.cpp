// SPDX-License-Identifier: MIT
#include "codes/generatebatchdialog.h"

#include "common/desk.h"
#include "common/palette.h"
#include "records/activationcoderepository.h"

#include <QLocale>
#include <QPushButton>
#include <QRegularExpression>
#include <QRegularExpressionValidator>

namespace simdesk {

namespace {

// The database's limits (code_batches' CHECKs and simdesk_code_batch_generate).
constexpr int kMaxCodeText = 32;
constexpr int kMaxLabel = 100;

QString prefixOf(const QString &typed)
{
    return typed.trimmed().toUpper();
}

} // namespace

GenerateBatchDialog::GenerateBatchDialog(Desk *desk, QWidget *parent)
    : QDialog(parent)
    , m_desk(desk)
{
    m_ui.setupUi(this);
    m_ui.prefixEdit->setValidator(new QRegularExpressionValidator(
        QRegularExpression(QStringLiteral("[A-Za-z0-9]{0,8}-?")), m_ui.prefixEdit));
    m_ui.expiresEdit->setMinimumDate(QDate::currentDate().addDays(1));
    m_ui.expiresEdit->setDate(QDate::currentDate().addYears(1));
    m_ui.buttonBox->button(QDialogButtonBox::Ok)->setText(tr("&Generate"));
    connect(m_ui.labelEdit, &QLineEdit::textChanged, this, &GenerateBatchDialog::check);
    connect(m_ui.prefixEdit, &QLineEdit::textChanged, this, &GenerateBatchDialog::check);
    connect(m_ui.countSpin, &QSpinBox::valueChanged, this, &GenerateBatchDialog::check);
    connect(m_ui.lengthSpin, &QSpinBox::valueChanged, this, &GenerateBatchDialog::check);
    connect(m_ui.expiresCheck, &QCheckBox::toggled, m_ui.expiresEdit, &QWidget::setEnabled);
    connect(m_ui.expiresCheck, &QCheckBox::toggled, this, &GenerateBatchDialog::check);
    connect(m_ui.expiresEdit, &QDateEdit::dateChanged, this, &GenerateBatchDialog::check);
    connect(m_desk, &Desk::liveChanged, this, &GenerateBatchDialog::check);
    check();
}

QString GenerateBatchDialog::problem() const
{
    const QString label = m_ui.labelEdit->text().trimmed();
    if (label.isEmpty())
        return tr("Give the batch a label (for example the campaign or the shop it is for).");
    if (label.size() > kMaxLabel)
        return tr("The label is longer than %1 characters. Shorten it.").arg(kMaxLabel);
    const QString prefix = prefixOf(m_ui.prefixEdit->text());
    if (prefix == QLatin1String("-"))
        return tr("A prefix is letters or digits, optionally followed by a dash.");
    if (prefix.size() + m_ui.lengthSpin->value() > kMaxCodeText)
        return tr("Prefix and random part together are longer than %1 characters. Use a shorter "
                  "prefix or fewer characters.")
            .arg(kMaxCodeText);
    if (m_ui.expiresCheck->isChecked() && m_ui.expiresEdit->date() <= QDate::currentDate())
        return tr("The expiry date has passed. Choose a date in the future.");
    return {};
}

void GenerateBatchDialog::check()
{
    const QString p = problem();
    // A sample of the shape of a code (not a real one: those come from the database).
    const QString alphabet = QString::fromLatin1(ActivationCodeRepository::kCodeAlphabet);
    QString sample = prefixOf(m_ui.prefixEdit->text());
    for (int i = 0; i < m_ui.lengthSpin->value(); ++i)
        sample += alphabet.at((i * 7 + 3) % alphabet.size());
    m_ui.sampleLabel->setText(
        tr("Codes look like %1 (random characters from %2).").arg(sample, alphabet));
    m_ui.checkLabel->setText(p);
    setTextTone(m_ui.checkLabel, p.isEmpty() ? std::nullopt : std::optional<Tone>(Tone::Error));
    m_ui.buttonBox->button(QDialogButtonBox::Ok)
        ->setEnabled(p.isEmpty() && !m_busy && m_desk->isLive());
}

void GenerateBatchDialog::accept()
{
    if (!problem().isEmpty() || m_busy)
        return;
    m_busy = true;
    check();
    m_ui.errorView->clear();
    const QString label = m_ui.labelEdit->text().trimmed();
    const int count = m_ui.countSpin->value();
    const int length = m_ui.lengthSpin->value();
    const QString prefix = prefixOf(m_ui.prefixEdit->text());
    // The end of the chosen day, local time: the code is good all of that day.
    const std::optional<QDateTime> expires = m_ui.expiresCheck->isChecked()
        ? std::optional<QDateTime>(QDateTime(m_ui.expiresEdit->date(), QTime(23, 59, 59)))
        : std::nullopt;
    m_desk->runner()->run<qint64>(
        this,
        [=](QSqlDatabase db) {
            return ActivationCodeRepository(db).generateBatch(
                label, count, length, expires, prefix);
        },
        [this, label, count](const Result<qint64> &result) {
            m_busy = false;
            check();
            if (!result) {
                m_ui.errorView->showError(result.error());
                return;
            }
            emit generated(*result, label, count);
            QDialog::accept();
        },
        DbRunner::Lane::Own);
}

} // namespace simdesk
