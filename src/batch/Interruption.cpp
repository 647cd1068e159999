// The watcher thread: sigtimedwait on the blocked signals, so no work happens in a signal
// handler and the workers see a plain atomic flag.
#include "batch/Interruption.hpp"

#include "files/AtomicFile.hpp"

#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <ctime>

namespace planconv {

namespace {

std::atomic<int> received{0};
std::atomic<bool> closing{false};

sigset_t watched() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    return set;
}

void watch() {
    const sigset_t set = watched();
    const timespec tick{0, 100'000'000};
    while (!closing.load()) {
        int sig = sigtimedwait(&set, nullptr, &tick);
        if (sig <= 0) continue;
        int expected = 0;
        if (received.compare_exchange_strong(expected, sig)) continue;  // the first: finish the files in hand
        // The second: abandon them. Only what cannot wait is done here.
        remove_unfinished_temporaries();
        static const char line[] = "planconv: interrupted again: stopped at once; the files in hand were abandoned and no report was written\n";
        [[maybe_unused]] ssize_t n = ::write(STDERR_FILENO, line, sizeof line - 1);
        ::_exit(128 + received.load());
    }
}

std::thread watcher;

}  // namespace

InterruptWatch::InterruptWatch() {
    std::signal(SIGXFSZ, SIG_IGN);
    const sigset_t set = watched();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    closing = false;
    watcher = std::thread(watch);
}

InterruptWatch::~InterruptWatch() {
    closing = true;
    if (watcher.joinable()) watcher.join();
}

bool interrupt_requested() { return received.load() != 0; }
int interrupt_signal() { return received.load(); }

}  // namespace planconv
