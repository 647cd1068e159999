// The drop folder of `planconv watch`: inotify (or polling) -> settled files -> Pipeline -> OUT.
#include "batch/DropFolder.hpp"

#include "batch/BatchRunner.hpp"
#include "files/AtomicFile.hpp"
#include "write/HtmlReport.hpp"
#include "write/JsonReport.hpp"
#include "write/JsonReportReader.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <set>
#include <stdexcept>
#include <thread>

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace planconv {

namespace {

using ordered_json = nlohmann::ordered_json;

// How long a file must sit unchanged before it is taken: after inotify says it was closed (a
// burst of saves is taken once), and for files found by a scan or still being written (one may
// be in the middle of a slow copy; with inotify on, each further write puts the time back, and
// the close brings it forward to kSettleAfterEvent).
constexpr double kSettleAfterEvent = 0.4;
constexpr double kSettleAfterScan = 2.0;

double now_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string lower(std::string s) {
    for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool ends_with(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

bool hidden_or_lock(const fs::path& p) {
    std::string name = p.filename().string();
    return name.empty() || name[0] == '.' || name.rfind("~$", 0) == 0;
}

// FNV-1a 64 over the file's bytes: tells a resubmitted return from the one already converted.
// Not a defence against anyone (the inbox is trusted to its writers), only a change detector.
std::string content_hash(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return {};
    std::uint64_t h = 1469598103934665603ull;
    std::vector<char> buf(1 << 16);
    while (in) {
        in.read(buf.data(), std::streamsize(buf.size()));
        for (std::streamsize i = 0; i < in.gcount(); ++i) h = (h ^ static_cast<unsigned char>(buf[std::size_t(i)])) * 1099511628211ull;
    }
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
    return hex;
}

bool stat_file(const fs::path& p, std::uintmax_t& size, std::int64_t& mtime_ns) {
    std::error_code ec;
    auto st = fs::status(p, ec);
    if (ec || !fs::is_regular_file(st)) return false;
    size = fs::file_size(p, ec);
    if (ec) return false;
    auto t = fs::last_write_time(p, ec);
    if (ec) return false;
    mtime_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
    return true;
}

std::string plural(std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::size_t count_of(const FileResult& r, Severity s) {
    std::size_t n = 0;
    for (const Finding& f : r.findings)
        if (f.severity == s) n += f.count;
    return n;
}

}  // namespace

bool is_transient_name(const fs::path& p) {
    if (hidden_or_lock(p)) return true;
    std::string name = lower(p.filename().string());
    for (const char* tail : {".crdownload", ".part", ".partial", ".tmp", ".download", "~"})
        if (ends_with(name, tail)) return true;
    return false;
}

DropFolder::DropFolder(const Pipeline& pipeline, DropFolderOptions options)
    : pipeline_(pipeline), options_(std::move(options)) {}

void DropFolder::event(const std::string& line) const {
    static std::mutex lines;
    std::lock_guard lock(lines);
    std::cerr << "planconv watch: " << line << std::endl;
}

bool DropFolder::is_out_dir(const fs::path& abs) const {
    std::error_code ec;
    return fs::weakly_canonical(abs, ec) == out_canonical_;
}

std::vector<InboxEntry> DropFolder::entries() const {
    std::lock_guard lock(mutex_);
    std::vector<InboxEntry> out;
    for (const auto& [rel, e] : entries_) out.push_back(e);
    return out;
}

void DropFolder::load_state() {
    fs::path file = options_.out_dir / kDropFolderStateName;
    if (!fs::exists(file)) return;
    std::lock_guard lock(mutex_);  // serve's page may already ask for entries()
    try {
        RunResult run = read_json_report(file);
        std::ifstream in(file, std::ios::binary);
        ordered_json root = ordered_json::parse(in);
        std::size_t k = 0;
        for (const auto& r : root.at("watch").at("returns")) {
            InboxEntry e;
            e.relative = r.at("relative").get<std::string>();
            e.processed = r.value("processed", "");
            e.skipped = r.value("skipped", "");
            if (e.skipped.empty()) {
                if (k >= run.files.size()) throw std::runtime_error("fewer results than returns");
                e.result = run.files[k++];
            }
            hashes_[e.relative] = r.value("hash", "");
            entries_[e.relative] = std::move(e);
        }
    } catch (const std::exception& e) {
        // A damaged state file costs a reconversion, never a stop.
        event("the state file " + file.string() + " could not be read (" + e.what() + "); every return is looked at again");
        entries_.clear();
        hashes_.clear();
    }
}

void DropFolder::save_outputs() {
    try {
        write_reports();
    } catch (const std::exception& x) {
        event(std::string("cannot write the report in ") + options_.out_dir.string() + ": " + x.what());
    }
}

void DropFolder::write_reports() {
    RunResult run;
    run.generated = utc_timestamp();
    ordered_json returns = ordered_json::array();
    {
        std::lock_guard lock(mutex_);
        for (const auto& [rel, e] : entries_) {
            ordered_json r;
            r["relative"] = e.relative;
            r["hash"] = hashes_[rel];
            r["processed"] = e.processed;
            if (!e.skipped.empty()) {
                r["skipped"] = e.skipped;
                // Nothing dropped in goes unmentioned: the report lists it as convert does.
                run.skipped.push_back({(options_.inbox / rel).string(), e.skipped});
            } else {
                run.files.push_back(e.result);
            }
            returns.push_back(std::move(r));
        }
    }
    ordered_json report = ordered_json::parse(json_report(run));
    auto dump = [](const ordered_json& j) { return j.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n"; };
    std::string html = html_report(run);
    ordered_json state = report;
    state["watch"] = {{"inbox", options_.inbox.string()}, {"returns", std::move(returns)}};
    write_file_atomically(options_.out_dir / "report.json", dump(report));
    write_file_atomically(options_.out_dir / "report.html", html);
    write_file_atomically(options_.out_dir / kDropFolderStateName, dump(state));
}

void DropFolder::add_watch(const fs::path& rel_dir) {
    if (inotify_fd_ < 0) return;
    fs::path abs = rel_dir.empty() ? options_.inbox : options_.inbox / rel_dir;
    int wd = inotify_add_watch(inotify_fd_, abs.c_str(),
                               IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_MODIFY |
                                   IN_ONLYDIR | IN_DONT_FOLLOW);
    if (wd < 0) {
        event("cannot watch " + abs.string() + ": " + std::strerror(errno) +
              (errno == ENOSPC ? " (raise fs.inotify.max_user_watches, or use --poll)" : ""));
        return;
    }
    watches_[wd] = rel_dir;
}

std::set<fs::path> DropFolder::scan(const fs::path& rel_dir, double settle) {
    std::set<fs::path> seen;
    fs::path root = rel_dir.empty() ? options_.inbox : options_.inbox / rel_dir;
    if (is_out_dir(root)) return seen;
    add_watch(rel_dir);
    std::error_code ec;
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        const fs::path& abs = it->path();
        fs::path rel = abs.lexically_relative(options_.inbox);
        std::error_code ec2;
        if (it->is_directory(ec2)) {
            if (hidden_or_lock(abs) || is_out_dir(abs)) {
                it.disable_recursion_pending();
                continue;
            }
            add_watch(rel);
            continue;
        }
        if (!it->is_regular_file(ec2) || is_transient_name(abs)) continue;
        seen.insert(rel);
        std::uintmax_t size = 0;
        std::int64_t mtime = 0;
        if (!stat_file(abs, size, mtime)) continue;
        if (pending_.count(rel)) continue;
        auto stamp = stamps_.find(rel);
        if (stamp != stamps_.end() && stamp->second.first == size && stamp->second.second == mtime) continue;
        consider(rel, settle);
    }
    return seen;
}

void DropFolder::consider(const fs::path& rel, double settle) {
    if (is_transient_name(rel)) return;
    PendingFile p;
    if (!stat_file(options_.inbox / rel, p.size, p.mtime_ns)) return;
    p.due = now_seconds() + settle;
    pending_[rel] = p;
}

void DropFolder::forget(const fs::path& rel) {
    pending_.erase(rel);
    stamps_.erase(rel);
    std::vector<fs::path> gone;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [r, e] : entries_) {
            // The return itself, or every return below a folder that went.
            auto [a, b] = std::mismatch(rel.begin(), rel.end(), r.begin(), r.end());
            if (a == rel.end()) gone.push_back(r);
        }
    }
    if (gone.empty()) return;
    for (const fs::path& r : gone) {
        std::map<std::string, std::string> outputs;
        {
            std::lock_guard lock(mutex_);
            outputs = entries_[r].result.outputs;
            entries_.erase(r);
            hashes_.erase(r);
        }
        for (const auto& [kind, path] : outputs) {
            std::error_code ec;
            fs::remove(path, ec);
        }
        if (!options_.quiet) event("removed " + r.string() + ": no longer in the inbox");
    }
    save_outputs();
}

InboxEntry DropFolder::convert_one(const fs::path& rel, const std::string&) const {
    InboxEntry e;
    e.relative = rel.string();
    if (!is_spreadsheet_name(rel)) {
        e.skipped = "not a spreadsheet (planconv takes .xlsx, .xlsm, .xls, .ods and .csv)";
        e.processed = utc_timestamp();
        return e;
    }
    // The outputs are named as `convert` on the folder names them.
    InputFile input{options_.inbox / rel, rel, output_name(rel), {}};
    e.result = pipeline_.process(input);
    e.processed = utc_timestamp();
    return e;
}

void DropFolder::process_ready() {
    double now = now_seconds();
    std::vector<std::pair<fs::path, std::pair<std::uintmax_t, std::int64_t>>> ready;
    for (auto it = pending_.begin(); it != pending_.end();) {
        PendingFile& p = it->second;
        if (p.due > now) {
            ++it;
            continue;
        }
        std::uintmax_t size = 0;
        std::int64_t mtime = 0;
        if (!stat_file(options_.inbox / it->first, size, mtime)) {
            it = pending_.erase(it);  // gone again (a deletion event or the next scan forgets it)
            continue;
        }
        if (size != p.size || mtime != p.mtime_ns) {  // still being written: look again later
            p.size = size;
            p.mtime_ns = mtime;
            p.due = now + (options_.poll_seconds ? double(options_.poll_seconds) : kSettleAfterScan);
            ++it;
            continue;
        }
        ready.push_back({it->first, {size, mtime}});
        it = pending_.erase(it);
    }
    if (ready.empty()) return;

    std::mutex save;
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        for (std::size_t i; !stopping_ && (i = next.fetch_add(1)) < ready.size();) {
            const fs::path& rel = ready[i].first;
            std::string hash = content_hash(options_.inbox / rel);
            bool known;
            bool replacing;
            {
                std::lock_guard lock(mutex_);
                auto h = hashes_.find(rel);
                known = h != hashes_.end() && !hash.empty() && h->second == hash;
                replacing = entries_.count(rel) > 0;
            }
            std::unique_lock saving(save);
            stamps_[rel] = ready[i].second;
            if (known) continue;  // the same content as already converted (a restart, a touch)
            // Converting happens outside the save lock on several workers.
            saving.unlock();
            InboxEntry e = convert_one(rel, hash);
            saving.lock();
            std::map<std::string, std::string> old_outputs;
            {
                std::lock_guard lock(mutex_);
                if (replacing) old_outputs = entries_[rel].result.outputs;
                entries_[rel] = e;
                hashes_[rel] = hash;
            }
            // A resubmitted return replaces its earlier outputs: those it no longer has go.
            for (const auto& [kind, path] : old_outputs) {
                bool kept = std::any_of(e.result.outputs.begin(), e.result.outputs.end(),
                                        [&](const auto& o) { return o.second == path; });
                std::error_code ec;
                if (!kept) fs::remove(path, ec);
            }
            save_outputs();
            std::string what = replacing ? " (replacing the earlier result)" : "";
            if (!e.skipped.empty()) {
                if (!options_.quiet) event("skipped " + e.relative + ": " + e.skipped);
            } else if (e.result.status == FileResult::Status::Failed) {
                event("failed " + e.relative + what + ": " + e.result.error);
            } else if (!options_.quiet) {
                event("converted " + e.relative + what + " with " + e.result.mapping + ": " +
                      plural(count_of(e.result, Severity::Error), "error", "errors") + ", " +
                      plural(count_of(e.result, Severity::Warning), "warning", "warnings") + ", " +
                      plural(count_of(e.result, Severity::Info), "info", "infos"));
            }
        }
    };
    unsigned jobs = std::max(1u, std::min<unsigned>(options_.jobs, unsigned(ready.size())));
    std::vector<std::thread> workers;
    for (unsigned j = 0; j < jobs; ++j) workers.emplace_back(work);
    // While the workers run, a stop request lets each finish its file and take no other.
    std::atomic<bool> done{false};
    std::thread watcher([&] {
        while (!done) {
            pollfd p{stop_fd_, POLLIN, 0};
            if (::poll(&p, 1, 100) > 0 && (p.revents & POLLIN)) stopping_ = true;
        }
    });
    for (auto& w : workers) w.join();
    done = true;
    watcher.join();
    // What was left undone by a stop is taken at the next start (its hash still differs).
}

void DropFolder::read_events() {
    alignas(inotify_event) char buf[1 << 16];
    for (;;) {
        ssize_t n = ::read(inotify_fd_, buf, sizeof buf);
        if (n <= 0) return;  // EAGAIN: all read
        for (char* at = buf; at < buf + n;) {
            auto* ev = reinterpret_cast<inotify_event*>(at);
            at += sizeof(inotify_event) + ev->len;
            if (ev->mask & IN_Q_OVERFLOW) {  // events were lost: look at everything again
                scan({}, kSettleAfterScan);
                continue;
            }
            auto w = watches_.find(ev->wd);
            if (w == watches_.end()) continue;
            if (ev->mask & IN_IGNORED) {
                watches_.erase(w);
                continue;
            }
            if (ev->len == 0) continue;
            fs::path rel = w->second / ev->name;
            if (ev->mask & IN_ISDIR) {
                if (ev->mask & (IN_CREATE | IN_MOVED_TO)) {
                    if (!hidden_or_lock(rel)) scan(rel, kSettleAfterScan);  // watches it and takes what is in it already
                } else if (ev->mask & (IN_DELETE | IN_MOVED_FROM)) {
                    for (auto it = pending_.begin(); it != pending_.end();) {
                        auto [a, b] = std::mismatch(rel.begin(), rel.end(), it->first.begin(), it->first.end());
                        it = a == rel.end() ? pending_.erase(it) : std::next(it);
                    }
                    forget(rel);
                }
                continue;
            }
            if (ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) {
                consider(rel, kSettleAfterEvent);
            } else if (ev->mask & IN_MODIFY) {
                auto p = pending_.find(rel);
                if (p != pending_.end()) p->second.due = now_seconds() + kSettleAfterScan;  // not closed yet
            } else if (ev->mask & (IN_DELETE | IN_MOVED_FROM)) {
                forget(rel);
            }
        }
    }
}

void DropFolder::run(int stop_fd) {
    stop_fd_ = stop_fd;
    std::error_code ec;
    if (!fs::is_directory(options_.inbox, ec))
        throw std::runtime_error("the inbox '" + options_.inbox.string() + "' is not a folder");
    fs::create_directories(options_.out_dir, ec);
    if (ec) throw std::runtime_error("cannot create the output folder '" + options_.out_dir.string() + "': " + ec.message());
    out_canonical_ = fs::weakly_canonical(options_.out_dir);
    load_state();
    if (options_.poll_seconds == 0) {
        inotify_fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (inotify_fd_ < 0) throw std::runtime_error(std::string("inotify is not available (") + std::strerror(errno) + "); use --poll SECONDS");
    }
    std::size_t known;
    {
        std::lock_guard lock(mutex_);
        known = entries_.size();
    }
    // What is in the inbox now: new or changed returns are taken (their hash decides), returns
    // deleted while planconv was down leave the report.
    std::set<fs::path> seen = scan({}, options_.poll_seconds ? double(options_.poll_seconds) : kSettleAfterScan);
    std::vector<fs::path> gone;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [rel, e] : entries_)
            if (!seen.count(rel)) gone.push_back(rel);
    }
    for (const fs::path& rel : gone) forget(rel);
    save_outputs();
    if (!options_.quiet)
        event("watching " + options_.inbox.string() + (inotify_fd_ >= 0 ? " (inotify, " + plural(watches_.size(), "folder", "folders") + ")"
                                                                       : " (looking every " + plural(options_.poll_seconds, "second", "seconds") + ")") +
              "; " + plural(known, "return", "returns") + " known from " + (options_.out_dir / kDropFolderStateName).string() +
              ", " + plural(seen.size(), "file", "files") + " in the inbox; writing to " + options_.out_dir.string());

    double next_poll = now_seconds() + options_.poll_seconds;
    while (!stopping_) {
        double now = now_seconds();
        double wake = 1e18;
        for (const auto& [rel, p] : pending_) wake = std::min(wake, p.due);
        if (options_.poll_seconds) wake = std::min(wake, next_poll);
        int timeout = wake > 1e17 ? -1 : int(std::max(0.0, (wake - now) * 1000.0)) + 1;
        pollfd fds[2] = {{stop_fd_, POLLIN, 0}, {inotify_fd_, POLLIN, 0}};
        int r = ::poll(fds, inotify_fd_ >= 0 ? 2 : 1, timeout);
        if (r < 0 && errno != EINTR) throw std::runtime_error(std::string("poll failed: ") + std::strerror(errno));
        if (r > 0 && (fds[0].revents & POLLIN)) break;
        if (inotify_fd_ >= 0 && r > 0 && (fds[1].revents & POLLIN)) read_events();
        if (options_.poll_seconds && now_seconds() >= next_poll) {
            next_poll = now_seconds() + options_.poll_seconds;
            std::set<fs::path> present = scan({}, double(options_.poll_seconds));
            std::vector<fs::path> deleted;
            {
                std::lock_guard lock(mutex_);
                for (const auto& [rel, e] : entries_)
                    if (!present.count(rel)) deleted.push_back(rel);
            }
            for (const fs::path& rel : deleted) forget(rel);
        }
        process_ready();
    }
    if (inotify_fd_ >= 0) ::close(inotify_fd_);
    inotify_fd_ = -1;
}

}  // namespace planconv
