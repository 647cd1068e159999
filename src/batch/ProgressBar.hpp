// ProgressBar: "[=====>    ] 12/40 care-q2.xlsx" on stderr, redrawn in place; only when asked
// (a terminal, not --quiet). Thread-safe: workers report as they finish.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>

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
};

// Whether stderr is an interactive terminal (where a bar makes sense).
bool stderr_is_terminal();

}  // namespace planconv
