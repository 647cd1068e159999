// A one-line progress bar on stderr that fits the terminal.
#include "batch/ProgressBar.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>

namespace planconv {

namespace {

bool is_continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Characters (UTF-8 code points) in s.
std::size_t char_count(std::string_view s) {
    std::size_t n = 0;
    for (char c : s) n += !is_continuation_byte(c);
    return n;
}

// The last `keep` characters of s, cut at a character boundary.
std::string_view last_chars(std::string_view s, std::size_t keep) {
    std::size_t seen = 0;
    std::size_t i = s.size();
    while (i > 0 && seen < keep) {
        --i;
        if (!is_continuation_byte(s[i])) ++seen;
    }
    return s.substr(i);
}

}  // namespace

bool stderr_is_terminal() { return isatty(STDERR_FILENO) == 1; }

std::size_t terminal_columns() {
    winsize ws{};
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
    if (const char* env = std::getenv("COLUMNS")) {
        char* end = nullptr;
        long n = std::strtol(env, &end, 10);
        if (end != env && *end == '\0' && n > 0 && n < 10000) return std::size_t(n);
    }
    return 80;
}

std::string format_duration(double seconds) {
    long s = seconds < 0 ? 0 : long(std::lround(seconds));
    char buf[32];
    if (s >= 3600)
        std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else
        std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
    return buf;
}

std::string progress_line(std::size_t done, std::size_t total, double elapsed_seconds, std::string_view name,
                          std::size_t columns) {
    const std::size_t room = columns > 1 ? columns - 1 : 0;
    std::string counts = std::to_string(done) + "/" + std::to_string(total);
    // The time left, once a file is done and a second has passed (earlier guesses are noise).
    std::string left;
    if (done > 0 && done < total && elapsed_seconds >= 1.0)
        left = format_duration(elapsed_seconds / double(done) * double(total - done)) + " left";
    // Bar width: a fifth of the room, between 10 and 30 columns; none when the room is tiny.
    std::size_t bar_width = std::min<std::size_t>(30, room / 5);
    if (bar_width < 10) bar_width = room >= 10 + 3 + counts.size() ? 10 : 0;
    std::string line;
    if (bar_width > 0) {
        std::size_t filled = total ? bar_width * done / total : 0;
        line += '[';
        line.append(filled, '=');
        if (filled < bar_width) {
            line += '>';
            line.append(bar_width - filled - 1, ' ');
        }
        line += "] ";
    }
    line += counts;
    if (!left.empty() && char_count(line) + 1 + left.size() <= room) line += " " + left;
    std::size_t used = char_count(line);
    if (used >= room) return std::string(last_chars(line, room));
    std::size_t name_room = room - used - 1;  // one space before the name
    if (name_room >= 4 && !name.empty()) {
        line += ' ';
        if (char_count(name) <= name_room)
            line += name;
        else
            line += "…" + std::string(last_chars(name, name_room - 1));
    }
    return line;
}

ProgressBar::ProgressBar(std::size_t total, bool enabled) : total_(total), enabled_(enabled && total > 0) {}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::done(const std::string& name) {
    std::lock_guard lock(mutex_);
    ++done_;
    if (!enabled_) return;
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    std::string line = progress_line(done_, total_, elapsed, name, terminal_columns());
    // std::cerr, not the C stderr stream: library messages are kept off that one (WriteFailure.hpp).
    std::cerr << "\r\033[K" << line << std::flush;
    drawn_ = true;
}

void ProgressBar::finish() {
    std::lock_guard lock(mutex_);
    if (drawn_) {
        std::cerr << "\r\033[K" << std::flush;
        drawn_ = false;
    }
}

}  // namespace planconv
