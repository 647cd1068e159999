// ProgressBar: "[=====>    ] 12/40 0:35 left care-q2.xlsx" on stderr, redrawn in place; only
// when asked (a terminal, or --progress; never with --quiet). The line always fits the
// terminal's width (read again at every redraw, so a resized window is followed), names are
// cut by characters, never inside a UTF-8 letter, and the time left is estimated from the
// files done so far. Thread-safe: workers report as they finish.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>

namespace planconv {

class ProgressBar {
public:
    ProgressBar(std::size_t total, bool enabled);
    ~ProgressBar();
    void done(const std::string& name);  // one more file finished
    void finish();                        // clears the bar

private:
    std::mutex mutex_;
    std::size_t total_, done_ = 0;
    bool enabled_;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

// The bar's line for `done` of `total` files after `elapsed_seconds`, the last file `name`,
// in at most `columns` - 1 characters (the last column is left free so the terminal never
// wraps). Pure, for tests.
std::string progress_line(std::size_t done, std::size_t total, double elapsed_seconds, std::string_view name,
                          std::size_t columns);

// "0:35", "12:04", "1:02:09".
std::string format_duration(double seconds);

// Whether stderr is an interactive terminal (where a bar makes sense).
bool stderr_is_terminal();

// The width of the terminal on stderr; $COLUMNS when stderr is not one; 80 otherwise.
std::size_t terminal_columns();

}  // namespace planconv
