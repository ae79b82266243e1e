// SPDX-License-Identifier: MIT
#pragma once

#include "domain/error.h"
#include "ui_newpasswordfields.h"

#include <QWidget>

#include <optional>

namespace simdesk {

// A new password: typed twice, with a strength hint while it is typed, or generated and shown
// once with a Copy button (for an administrator who hands it over; the person then changes it).
// Placed in Designer forms as a promoted QWidget ("simdesk::NewPasswordFields", header
// account/newpasswordfields.h). It only collects the password; the dialog sends it.
class NewPasswordFields : public QWidget
{
    Q_OBJECT

public:
    explicit NewPasswordFields(QWidget *parent = nullptr);

    // Offers "Generate one" (an administrator setting someone's password) or not (one's own).
    void setGenerateOffered(bool offered);
    bool isGenerated() const;
    // The password chosen: the generated one, or the typed one.
    QString password() const;
    // What stops the password from being used, if anything (too short, typed differently twice,
    // a NUL character); the server applies the same minimum again.
    std::optional<Error> problem() const;
    void clear();

signals:
    void changed();

private:
    void updateHints();
    void updateMode();

    Ui::NewPasswordFields m_ui;
    QString m_generated;
};

} // namespace simdesk
