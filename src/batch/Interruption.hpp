// Interruption: SIGINT and SIGTERM turned into a request the batch honours between files, so
// an interrupted run still reports what it did (SPEC §4: exit 130/143). A second signal stops
// at once: the temporary files in hand are removed and the process exits.
#pragma once

#include <thread>

namespace planconv {

class InterruptWatch {
public:
    // Blocks SIGINT and SIGTERM in the calling thread (and so in every thread it starts later)
    // and waits for them on a thread of its own. Ignores SIGXFSZ, so a write past the file size
    // limit (ulimit -f) fails with EFBIG and is reported like a full disk instead of killing the
    // process. Create it on the main thread before any worker starts.
    InterruptWatch();
    // Stops the watching thread and leaves the signals blocked: the run is over, and a signal
    // arriving now is too late to matter (unblocked, it would kill the process before it could
    // exit with the run's own code).
    ~InterruptWatch();
    InterruptWatch(const InterruptWatch&) = delete;
    InterruptWatch& operator=(const InterruptWatch&) = delete;
};

// Whether SIGINT or SIGTERM has arrived; which one (0 when none).
bool interrupt_requested();
int interrupt_signal();

}  // namespace planconv
