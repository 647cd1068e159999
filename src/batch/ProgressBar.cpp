// A one-line progress bar on stderr.
#include "batch/ProgressBar.hpp"

#include <unistd.h>

#include <iostream>

namespace planconv {

bool stderr_is_terminal() { return isatty(STDERR_FILENO) == 1; }

ProgressBar::ProgressBar(std::size_t total, bool enabled) : total_(total), enabled_(enabled && total > 0) {}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::done(const std::string& name) {
    std::lock_guard lock(mutex_);
    ++done_;
    if (!enabled_) return;
    constexpr int kWidth = 30;
    int filled = int(kWidth * done_ / total_);
    std::string bar(std::size_t(filled), '=');
    if (filled < kWidth) bar += '>' + std::string(std::size_t(kWidth - filled - 1), ' ');
    std::string shown = name.size() > 40 ? "…" + name.substr(name.size() - 39) : name;
    // std::cerr, not the C stderr stream: library messages are kept off that one (WriteFailure.hpp).
    std::cerr << "\r\033[K[" << bar << "] " << done_ << "/" << total_ << " " << shown << std::flush;
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
