// flock() on OUT/.planconv.lock, polled so that the wait has a timeout and can be interrupted.
#include "files/OutputLock.hpp"

#include "files/AtomicFile.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <thread>

namespace planconv {

OutputLock::OutputLock(const std::filesystem::path& dir, std::chrono::milliseconds timeout,
                       const std::function<void(const std::string&)>& waiting, const std::function<bool()>& give_up) {
    std::filesystem::create_directories(dir);
    std::filesystem::path file = dir / kFileName;
    fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd_ < 0) {
        int err = errno;
        throw AtomicFileError("cannot create " + file.string() + ": " + std::strerror(err), err);
    }
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    bool said = false;
    while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EINTR) continue;
        if (errno != EWOULDBLOCK) {
            int err = errno;
            ::close(fd_);
            throw AtomicFileError("cannot lock " + file.string() + ": " + std::strerror(err), err);
        }
        if (!said) {
            char buf[32] = {};
            ssize_t n = ::pread(fd_, buf, sizeof buf - 1, 0);
            long pid = n > 0 ? std::strtol(buf, nullptr, 10) : 0;
            waiting(pid > 0 ? "process " + std::to_string(pid) : std::string());
            said = true;
        }
        if (std::chrono::steady_clock::now() >= deadline || give_up()) {
            ::close(fd_);
            fd_ = -1;
            throw OutputLockTimeout("another planconv run is still writing into " + dir.string());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    // Who holds it, for the message of a run that has to wait.
    std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd_, 0) == 0) {
        ssize_t n = ::pwrite(fd_, pid.data(), pid.size(), 0);
        (void)n;  // only a message depends on it
    }
}

OutputLock::~OutputLock() {
    if (fd_ >= 0) ::close(fd_);  // releases the lock; the file stays for the next run
}

}  // namespace planconv
