// DropFolder: `planconv watch` — an inbox folder whose returns are converted as they arrive.
//
// New or replaced returns anywhere under the inbox are taken once complete (inotify's
// close-after-write / moved-in events, or with polling for network shares, size and time
// unchanged across two looks), run through the same Pipeline as `convert`, and OUT is kept
// holding the whole inbox's current state: each return's outputs and one report.json /
// report.html over every return. A state file in OUT (content hash and result per return) lets
// a restart skip finished work and pick up what arrived while it was down.
#pragma once

#include "batch/Pipeline.hpp"
#include "model/RunResult.hpp"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace planconv {

struct DropFolderOptions {
    std::filesystem::path inbox;
    std::filesystem::path out_dir;
    unsigned poll_seconds = 0;  // 0: inotify; else look every N seconds (network shares)
    unsigned jobs = 1;          // returns converted at the same time when several are ready
    bool quiet = false;         // no event lines but errors
};

// One return's place in OUT's report, as the web page lists it.
struct InboxEntry {
    std::string relative;         // below the inbox ("sub/care-q2.xlsx")
    std::string processed;        // ISO 8601 UTC time it was last converted (or skipped)
    std::string skipped;          // why it was not converted ("not a spreadsheet"); empty when it was
    FileResult result;            // empty when skipped
};

// The name of the state file kept in OUT.
inline constexpr const char* kDropFolderStateName = ".planconv-watch.json";

// Whether a file found in the inbox is one still being written or not meant for us: Office
// lock files (~$name.xlsx), hidden files, partial downloads (.crdownload, .part, .partial,
// .tmp, .download) and editor backups (name~). Such files are neither taken nor reported.
bool is_transient_name(const std::filesystem::path& p);

class DropFolder {
public:
    // `pipeline` writes below options.out_dir and must outlive the DropFolder.
    DropFolder(const Pipeline& pipeline, DropFolderOptions options);

    // Watches until `stop_fd` becomes readable (a self-pipe written by a signal handler or by
    // another thread). The return in hand is finished first. Throws std::runtime_error when the
    // inbox cannot be watched or OUT cannot be written at the start.
    void run(int stop_fd);

    // Every return in the report now (for `serve --inbox`), in report order.
    std::vector<InboxEntry> entries() const;

private:
    struct PendingFile {
        std::uintmax_t size = 0;
        std::int64_t mtime_ns = 0;
        double due = 0;  // monotonic seconds when it is looked at again
    };
    void load_state();
    void save_outputs();  // report.json, report.html and the state file, each atomic; a failure is said
    void write_reports();
    // Files below rel_dir (watched, when inotify is used) that are new or changed since last taken
    // become pending; returns every file found.
    std::set<std::filesystem::path> scan(const std::filesystem::path& rel_dir, double settle);
    void consider(const std::filesystem::path& rel, double settle);
    void forget(const std::filesystem::path& rel);
    void process_ready();
    void add_watch(const std::filesystem::path& rel_dir);
    void read_events();
    InboxEntry convert_one(const std::filesystem::path& rel, const std::string& hash) const;
    bool is_out_dir(const std::filesystem::path& abs) const;
    void event(const std::string& line) const;

    const Pipeline& pipeline_;
    DropFolderOptions options_;
    std::filesystem::path out_canonical_;
    std::atomic<bool> stopping_{false};
    int stop_fd_ = -1;

    mutable std::mutex mutex_;                        // guards entries_ (read by entries())
    std::map<std::filesystem::path, InboxEntry> entries_;
    std::map<std::filesystem::path, std::string> hashes_;  // relative -> content hash of what entries_ holds
    std::map<std::filesystem::path, PendingFile> pending_;     // seen, not yet taken (still settling)
    std::map<std::filesystem::path, std::pair<std::uintmax_t, std::int64_t>> stamps_;  // size, mtime when last taken
    int inotify_fd_ = -1;
    std::map<int, std::filesystem::path> watches_;              // inotify watch -> folder below the inbox
};

}  // namespace planconv
