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

namespace {

// Opens `file` and flocks it (`how`: LOCK_EX or LOCK_SH), polling until `deadline` or
// `give_up()`; tells `waiting` once who holds it. Returns the descriptor.
int lock_file(const std::filesystem::path& file, int how, std::chrono::steady_clock::time_point deadline,
              const std::function<void(const std::string&)>& waiting, const std::function<bool()>& give_up, bool& said) {
    int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) {
        int err = errno;
        throw AtomicFileError("cannot create " + file.string() + ": " + std::strerror(err), err);
    }
    while (::flock(fd, how | LOCK_NB) != 0) {
        if (errno == EINTR) continue;
        if (errno != EWOULDBLOCK) {
            int err = errno;
            ::close(fd);
            throw AtomicFileError("cannot lock " + file.string() + ": " + std::strerror(err), err);
        }
        if (!said) {
            char buf[32] = {};
            ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
            long pid = n > 0 ? std::strtol(buf, nullptr, 10) : 0;
            waiting(pid > 0 ? "process " + std::to_string(pid) : std::string());
            said = true;
        }
        if (std::chrono::steady_clock::now() >= deadline || give_up()) {
            ::close(fd);
            throw OutputLockTimeout("another planconv run is still writing into " + file.parent_path().string());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return fd;
}

// Who holds it, for the message of a run that has to wait.
void write_holder(int fd) {
    std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) == 0) {
        ssize_t n = ::pwrite(fd, pid.data(), pid.size(), 0);
        (void)n;  // only a message depends on it
    }
}

}  // namespace

OutputLock::OutputLock(const std::filesystem::path& dir, std::chrono::milliseconds timeout,
                       const std::function<void(const std::string&)>& waiting, const std::function<bool()>& give_up,
                       const std::string& shard) {
    std::filesystem::create_directories(dir);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    bool said = false;
    fd_ = lock_file(dir / kFileName, shard.empty() ? LOCK_EX : LOCK_SH, deadline, waiting, give_up, said);
    if (shard.empty()) {
        write_holder(fd_);
        return;
    }
    try {
        shard_fd_ = lock_file(dir / (".planconv-shard-" + shard + ".lock"), LOCK_EX, deadline, waiting, give_up, said);
    } catch (...) {
        ::close(fd_);
        fd_ = -1;
        throw;
    }
    write_holder(shard_fd_);
}

OutputLock::~OutputLock() {
    // Closing releases the locks; the files stay for the next run.
    if (shard_fd_ >= 0) ::close(shard_fd_);
    if (fd_ >= 0) ::close(fd_);
}

}  // namespace planconv
