// AtomicFile: write to ".NAME.tmp-PID-N" beside the target, fsync, rename.
#include "files/AtomicFile.hpp"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <unistd.h>

namespace planconv {

namespace {

std::string errno_text() { return std::strerror(errno); }

// Unique per process and call; O_EXCL guards against another process using the same name.
std::filesystem::path temp_name_for(const std::filesystem::path& final_path) {
    static std::atomic<unsigned long> counter{0};
    std::string name = "." + final_path.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                       std::to_string(counter.fetch_add(1));
    return final_path.parent_path() / name;
}

// After a rename the directory entry itself must reach the disk too.
void sync_directory(const std::filesystem::path& dir) noexcept {
    int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) return;
    ::fsync(dfd);
    ::close(dfd);
}

}  // namespace

AtomicFile::AtomicFile(std::filesystem::path final_path) : final_path_(std::move(final_path)) {
    for (int attempt = 0; attempt < 100; ++attempt) {
        temp_path_ = temp_name_for(final_path_);
        // 0666 so the result gets the permissions the user's umask gives any new file.
        fd_ = ::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd_ >= 0) return;
        if (errno != EEXIST) break;
    }
    throw AtomicFileError("cannot create a temporary file beside " + final_path_.string() + ": " + errno_text());
}

AtomicFile::~AtomicFile() {
    if (!committed_) discard();
}

void AtomicFile::write(std::string_view bytes) {
    if (fd_ < 0) throw AtomicFileError("write to " + final_path_.string() + " after it was closed");
    while (!bytes.empty()) {
        ssize_t n = ::write(fd_, bytes.data(), bytes.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            throw AtomicFileError("cannot write " + final_path_.string() + ": " + errno_text());
        }
        bytes.remove_prefix(std::size_t(n));
    }
}

void AtomicFile::commit() {
    if (committed_ || temp_path_.empty()) throw AtomicFileError(final_path_.string() + " was already committed or discarded");
    // Reopened by name: a library that wrote temp_path() itself may have replaced the inode,
    // and fsync through any descriptor of the file flushes all of its data.
    close_fd();
    fd_ = ::open(temp_path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0 || ::fsync(fd_) != 0) {
        std::string why = errno_text();
        discard();
        throw AtomicFileError("cannot flush " + final_path_.string() + " to disk: " + why);
    }
    close_fd();
    if (::rename(temp_path_.c_str(), final_path_.c_str()) != 0) {
        std::string why = errno_text();
        discard();
        throw AtomicFileError("cannot rename the finished file to " + final_path_.string() + ": " + why);
    }
    committed_ = true;
    sync_directory(final_path_.parent_path());
}

void AtomicFile::discard() noexcept {
    close_fd();
    if (!temp_path_.empty()) {
        ::unlink(temp_path_.c_str());
        temp_path_.clear();
    }
}

void AtomicFile::close_fd() noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

}  // namespace planconv
