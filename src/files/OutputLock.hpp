// OutputLock: one run at a time writes into an output folder (SPEC §4). Two runs into one
// folder would both write report.json, and the first run's files would vanish from it.
//
// The lock is flock() on OUT/.planconv.lock, so the kernel releases it however the holder ends
// (even SIGKILL). A second run waits for the first, saying so once on stderr, and gives up
// after a timeout.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>

namespace planconv {

class OutputLockTimeout : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class OutputLock {
public:
    // Creates `dir` when needed and takes the lock. When another process holds it, calls
    // `waiting(holder)` once (holder: "process 1234", or "" when unknown) and waits up to
    // `timeout`, or until `give_up()` says so. Throws OutputLockTimeout on timeout or giving up,
    // and std::filesystem_error / AtomicFileError when the folder or lock file cannot be made.
    OutputLock(const std::filesystem::path& dir, std::chrono::milliseconds timeout,
               const std::function<void(const std::string& holder)>& waiting, const std::function<bool()>& give_up);
    ~OutputLock();
    OutputLock(const OutputLock&) = delete;
    OutputLock& operator=(const OutputLock&) = delete;

    static constexpr const char* kFileName = ".planconv.lock";

private:
    int fd_ = -1;
};

}  // namespace planconv
