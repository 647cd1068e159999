// OutputLock: one run at a time writes into an output folder (SPEC §4). Two runs into one
// folder would both write report.json, and the first run's files would vanish from it.
//
// The lock is flock() on OUT/.planconv.lock, so the kernel releases it however the holder ends
// (even SIGKILL). A second run waits for the first, saying so once on stderr, and gives up
// after a timeout. The shards of one split run (`--shard K/N`) write disjoint outputs, so they
// share OUT/.planconv.lock with each other (a whole run still waits for all of them, and they
// for it) and each holds OUT/.planconv-shard-K-of-N.lock alone (the same shard twice waits).
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
    // `shard`: "K-of-N" for a shard run, "" for a whole run.
    OutputLock(const std::filesystem::path& dir, std::chrono::milliseconds timeout,
               const std::function<void(const std::string& holder)>& waiting, const std::function<bool()>& give_up,
               const std::string& shard = "");
    ~OutputLock();
    OutputLock(const OutputLock&) = delete;
    OutputLock& operator=(const OutputLock&) = delete;

    static constexpr const char* kFileName = ".planconv.lock";

private:
    int fd_ = -1;        // OUT/.planconv.lock: exclusive for a whole run, shared for a shard
    int shard_fd_ = -1;  // OUT/.planconv-shard-K-of-N.lock, exclusive
};

}  // namespace planconv
