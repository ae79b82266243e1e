// SPDX-License-Identifier: MIT
#include "terminal.h"

#include <cstdio>
#include <string>

#ifdef Q_OS_WIN
#include <conio.h>
#include <io.h>
#else
#include <termios.h>
#include <unistd.h>
#endif

namespace simdesk {

std::optional<QString> promptPassword(const QString &prompt)
{
#ifdef Q_OS_WIN
    if (!_isatty(_fileno(stdin)))
        return std::nullopt;
    std::fputs(prompt.toLocal8Bit().constData(), stderr);
    std::string line;
    for (int c = _getwch(); c != '\r' && c != '\n' && c != EOF; c = _getwch())
        line.push_back(char(c));
    std::fputs("\n", stderr);
    return QString::fromLocal8Bit(line.c_str());
#else
    if (!isatty(STDIN_FILENO))
        return std::nullopt;
    std::fputs(prompt.toLocal8Bit().constData(), stderr);
    std::fflush(stderr);
    termios saved {};
    tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~tcflag_t(ECHO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    std::string line;
    for (int c = std::getchar(); c != '\n' && c != EOF; c = std::getchar())
        line.push_back(char(c));
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    std::fputs("\n", stderr);
    return QString::fromLocal8Bit(line.c_str());
#endif
}

} // namespace simdesk
