// AtomicFile: an output that appears under its final name complete or not at all (SPEC §4).
//
// The content goes to a temporary file in the same folder (so the rename cannot cross file
// systems), is flushed to disk, and is renamed over the final name by commit(). Destroying an
// AtomicFile that was not committed removes the temporary file, so an interrupted or failed
// write never leaves a truncated file under a final name.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace planconv {

class AtomicFileError : public std::runtime_error {
public:
    explicit AtomicFileError(const std::string& what, int error_number = 0)
        : std::runtime_error(what), error_number_(error_number) {}
    int error_number() const { return error_number_; }  // errno of the failed call; 0 when none

private:
    int error_number_;
};

class AtomicFile {
public:
    // Creates the temporary file beside `final_path` (its folder must exist). Throws AtomicFileError.
    explicit AtomicFile(std::filesystem::path final_path);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    const std::filesystem::path& path() const { return final_path_; }
    // For libraries that write by file name themselves (libxlsxwriter): write here, then commit().
    const std::filesystem::path& temp_path() const { return temp_path_; }

    // Appends to the temporary file. Throws AtomicFileError.
    void write(std::string_view bytes);
    // Flushes to disk and renames over the final name. Throws AtomicFileError (and removes the
    // temporary file). Calling it twice is an error.
    void commit();
    // Removes the temporary file now; the final name is left as it was.
    void discard() noexcept;

    bool committed() const { return committed_; }

private:
    void close_fd() noexcept;

    std::filesystem::path final_path_;
    std::filesystem::path temp_path_;
    int fd_ = -1;
    bool committed_ = false;
};

// While one lives (a batch run), AtomicFile::commit() leaves flushing the folder's own entry
// (the rename) to it: each folder that received files is flushed once when the last one ends,
// instead of once per file — a thousand small returns cost two thousand fewer fsyncs. Each
// file's content is still flushed before its rename, so outputs stay whole or absent; only the
// renames of a run that is cut off by a crash may be lost. Nestable; thread-safe.
class DeferredDirectorySync {
public:
    DeferredDirectorySync();
    ~DeferredDirectorySync();
    DeferredDirectorySync(const DeferredDirectorySync&) = delete;
    DeferredDirectorySync& operator=(const DeferredDirectorySync&) = delete;

    // Folders committed into whose flush is still owed (for tests).
    static std::size_t pending();
};

// A batch's commits, flushed and renamed on a thread of their own: while a worker has a Scope
// open, AtomicFile::commit() on that worker's thread closes the finished temporary and hands it
// here instead of waiting for the disk, and the worker goes on to its next file. Each file is
// still flushed before it is renamed, so outputs stay whole or absent. A commit that fails
// removes its temporary and is reported by finish() under the owner (the batch's input) that
// handed it. Thread-safe.
class DeferredCommits {
public:
    struct Failure {
        std::size_t owner;
        std::filesystem::path file;  // the final name that was not written
        AtomicFileError error;
    };

    DeferredCommits();
    ~DeferredCommits();  // finish()es if not done, dropping the failures
    DeferredCommits(const DeferredCommits&) = delete;
    DeferredCommits& operator=(const DeferredCommits&) = delete;

    // Commits made on this thread while it lives go to `commits`, under `owner`.
    class Scope {
    public:
        Scope(DeferredCommits& commits, std::size_t owner);
        ~Scope();
        Scope(const Scope&) = delete;
        Scope& operator=(const Scope&) = delete;
    };

    // Waits until every handed file is renamed or has failed; the failures, in handing order.
    std::vector<Failure> finish();

    // The queue this thread's commits go to, if any (AtomicFile::commit).
    static DeferredCommits* current();
    void hand(std::filesystem::path temp, std::filesystem::path final_path);

private:
    struct Item {
        std::size_t owner;
        std::filesystem::path temp, final_path;
    };
    void run();

    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Item> queue_;
    bool stopping_ = false;
    std::vector<Failure> failures_;
    std::thread thread_;
};

// Writes `text` to `file` whole or not at all (its folder is created when missing).
void write_file_atomically(const std::filesystem::path& file, std::string_view text);

// Removes every temporary file of this process that is neither committed nor discarded: for a
// run abandoned on a signal, whose writers will not get to their destructors. Thread-safe.
void remove_unfinished_temporaries() noexcept;

// Whether `name` is an AtomicFile temporary (".NAME.tmp-PID-N"); sets *pid when it is.
bool is_temporary_name(const std::string& name, long* pid = nullptr);

// Removes the temporaries left in `dir` (and its subfolders when `recursive`) by runs that are
// no longer running (killed, or the machine stopped): their PID names no live process. Returns
// how many were removed; folders that cannot be read are passed over.
std::size_t sweep_stale_temporaries(const std::filesystem::path& dir, bool recursive);

}  // namespace planconv
