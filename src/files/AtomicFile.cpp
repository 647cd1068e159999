// AtomicFile: write to ".NAME.tmp-PID-N" beside the target, fsync, rename.
#include "files/AtomicFile.hpp"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <cctype>
#include <csignal>
#include <fcntl.h>
#include <mutex>
#include <optional>
#include <set>
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

// DeferredDirectorySync: how many live, and the folders whose flush they owe.
std::mutex deferred_mutex;
unsigned deferred_scopes = 0;
std::set<std::filesystem::path>& deferred_directories() {
    static std::set<std::filesystem::path> dirs;
    return dirs;
}

// Flushes `dir` now, or notes it for the DeferredDirectorySync that is live.
void sync_directory_or_defer(const std::filesystem::path& dir) noexcept {
    {
        std::lock_guard lock(deferred_mutex);
        if (deferred_scopes > 0) {
            try {
                deferred_directories().insert(dir);
                return;
            } catch (...) {
                // no memory to note it: flush it now instead
            }
        }
    }
    sync_directory(dir);
}

// The temporaries this process has open, for remove_unfinished_temporaries().
std::mutex live_mutex;
std::set<std::string>& live_temporaries() {
    static std::set<std::string> live;
    return live;
}

void track(const std::filesystem::path& p) {
    std::lock_guard lock(live_mutex);
    live_temporaries().insert(p.string());
}

void untrack(const std::filesystem::path& p) {
    std::lock_guard lock(live_mutex);
    live_temporaries().erase(p.string());
}

bool pid_is_running(long pid) { return pid > 0 && (::kill(pid_t(pid), 0) == 0 || errno == EPERM); }

}  // namespace

void write_file_atomically(const std::filesystem::path& file, std::string_view text) {
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
    AtomicFile out(file);
    out.write(text);
    out.commit();
}

void remove_unfinished_temporaries() noexcept {
    std::lock_guard lock(live_mutex);
    for (const std::string& p : live_temporaries()) ::unlink(p.c_str());
    live_temporaries().clear();
}

bool is_temporary_name(const std::string& name, long* pid) {
    if (name.size() < 2 || name[0] != '.') return false;
    std::size_t tmp = name.rfind(".tmp-");
    if (tmp == std::string::npos || tmp == 0) return false;
    std::string tail = name.substr(tmp + 5);  // "PID-N"
    std::size_t dash = tail.find('-');
    if (dash == 0 || dash == std::string::npos || dash + 1 == tail.size()) return false;
    for (std::size_t i = 0; i < tail.size(); ++i)
        if (i != dash && !std::isdigit(static_cast<unsigned char>(tail[i]))) return false;
    if (pid) *pid = std::stol(tail.substr(0, dash));
    return true;
}

std::size_t sweep_stale_temporaries(const std::filesystem::path& dir, bool recursive) {
    namespace fs = std::filesystem;
    std::size_t removed = 0;
    std::error_code ec;
    fs::directory_iterator it(dir, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        std::string name = it->path().filename().string();
        std::error_code ec2;
        if (recursive && it->is_directory(ec2) && !it->is_symlink(ec2)) {
            removed += sweep_stale_temporaries(it->path(), true);
            continue;
        }
        long pid = 0;
        // This process has written nothing yet, so a temporary with its PID is an earlier run's.
        if (!is_temporary_name(name, &pid) || (pid != ::getpid() && pid_is_running(pid))) continue;
        if (it->is_regular_file(ec2) && ::unlink(it->path().c_str()) == 0) ++removed;
    }
    return removed;
}

AtomicFile::AtomicFile(std::filesystem::path final_path) : final_path_(std::move(final_path)) {
    for (int attempt = 0; attempt < 100; ++attempt) {
        temp_path_ = temp_name_for(final_path_);
        // 0666 so the result gets the permissions the user's umask gives any new file.
        fd_ = ::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd_ >= 0) {
            track(temp_path_);
            return;
        }
        if (errno != EEXIST) break;
    }
    int err = errno;
    throw AtomicFileError("cannot create a temporary file beside " + final_path_.string() + ": " + errno_text(), err);
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
            int err = errno;
            throw AtomicFileError("cannot write " + final_path_.string() + ": " + errno_text(), err);
        }
        bytes.remove_prefix(std::size_t(n));
    }
}

namespace {

// Flushes a finished temporary to disk and renames it over `final_path`; on failure removes it.
void flush_and_rename(const std::filesystem::path& temp, const std::filesystem::path& final_path) {
    auto fail = [&](const std::string& what) {
        int err = errno;
        std::string why = errno_text();
        ::unlink(temp.c_str());
        untrack(temp);
        throw AtomicFileError(what + why, err);
    };
    // Opened by name: a library that wrote the temporary itself may have replaced the inode,
    // and fsync through any descriptor of the file flushes all of its data.
    int fd = ::open(temp.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail("cannot flush " + final_path.string() + " to disk: ");
    if (::fsync(fd) != 0) {
        int err = errno;
        ::close(fd);
        errno = err;
        fail("cannot flush " + final_path.string() + " to disk: ");
    }
    ::close(fd);
    if (::rename(temp.c_str(), final_path.c_str()) != 0) fail("cannot rename the finished file to " + final_path.string() + ": ");
    untrack(temp);
    sync_directory_or_defer(final_path.parent_path());
}

thread_local DeferredCommits* tls_commits = nullptr;
thread_local std::size_t tls_owner = 0;

}  // namespace

void AtomicFile::commit() {
    if (committed_ || temp_path_.empty()) throw AtomicFileError(final_path_.string() + " was already committed or discarded");
    close_fd();
    if (DeferredCommits* later = DeferredCommits::current()) {
        later->hand(temp_path_, final_path_);
        committed_ = true;  // the queue owns the temporary now
        return;
    }
    try {
        flush_and_rename(temp_path_, final_path_);
    } catch (...) {
        temp_path_.clear();  // removed already
        throw;
    }
    committed_ = true;
}

DeferredCommits::DeferredCommits() : thread_([this] { run(); }) {}

DeferredCommits::~DeferredCommits() {
    if (thread_.joinable()) finish();
}

DeferredCommits::Scope::Scope(DeferredCommits& commits, std::size_t owner) {
    tls_commits = &commits;
    tls_owner = owner;
}

DeferredCommits::Scope::~Scope() { tls_commits = nullptr; }

DeferredCommits* DeferredCommits::current() { return tls_commits; }

void DeferredCommits::hand(std::filesystem::path temp, std::filesystem::path final_path) {
    {
        std::lock_guard lock(mutex_);
        queue_.push_back({tls_owner, std::move(temp), std::move(final_path)});
    }
    wake_.notify_one();
}

void DeferredCommits::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [&] { return !queue_.empty() || stopping_; });
        if (queue_.empty()) return;  // stopping, and nothing left
        Item item = std::move(queue_.front());
        queue_.pop_front();
        lock.unlock();
        std::optional<AtomicFileError> failed;
        try {
            flush_and_rename(item.temp, item.final_path);
        } catch (const AtomicFileError& e) {
            failed = e;
        } catch (const std::exception& e) {  // no memory for a name, say: the file is not written
            ::unlink(item.temp.c_str());
            untrack(item.temp);
            failed = AtomicFileError("cannot finish writing " + item.final_path.string() + ": " + e.what());
        }
        lock.lock();
        if (failed) failures_.push_back({item.owner, item.final_path, *failed});
    }
}

std::vector<DeferredCommits::Failure> DeferredCommits::finish() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
    std::lock_guard lock(mutex_);
    return std::move(failures_);
}

DeferredDirectorySync::DeferredDirectorySync() {
    std::lock_guard lock(deferred_mutex);
    ++deferred_scopes;
}

DeferredDirectorySync::~DeferredDirectorySync() {
    std::set<std::filesystem::path> owed;
    {
        std::lock_guard lock(deferred_mutex);
        if (--deferred_scopes > 0) return;
        owed.swap(deferred_directories());
    }
    for (const auto& dir : owed) sync_directory(dir);
}

std::size_t DeferredDirectorySync::pending() {
    std::lock_guard lock(deferred_mutex);
    return deferred_directories().size();
}

void AtomicFile::discard() noexcept {
    close_fd();
    if (!temp_path_.empty()) {
        ::unlink(temp_path_.c_str());
        untrack(temp_path_);
        temp_path_.clear();
    }
}

void AtomicFile::close_fd() noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

}  // namespace planconv
