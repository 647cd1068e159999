// `planconv serve`: a web page to drop returns on (cpp-httplib). Safe by default: loopback
// only unless a token file is given; uploads bounded in size, type and number in flight; file
// names never used as paths; downloads only of files this server wrote, looked up by id.
#include "cli/CommandLine.hpp"
#include "cli/Commands.hpp"
#include "cli/DoorSetup.hpp"
#include "cli/Help.hpp"

#include "batch/BatchRunner.hpp"
#include "batch/DropFolder.hpp"
#include "batch/Inputs.hpp"
#include "files/AtomicFile.hpp"
#include "write/HtmlReport.hpp"
#include "write/JsonReport.hpp"
#include "write/WebPage.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <csignal>
#include <deque>
#include <fstream>
#include <iostream>
#include <mutex>
#include <random>
#include <thread>

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace planconv::cli {

namespace {

using ordered_json = nlohmann::ordered_json;

// httplib's task queue with a cap: when every worker is busy and `capacity` connections wait,
// the accepting thread waits too, so further clients queue in the kernel's listen backlog
// instead of in memory.
class BoundedPool : public httplib::TaskQueue {
public:
    BoundedPool(std::size_t threads, std::size_t capacity) : capacity_(capacity) {
        for (std::size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
    }
    void enqueue(std::function<void()> fn) override {
        std::unique_lock lock(mutex_);
        room_.wait(lock, [&] { return jobs_.size() < capacity_ || shutdown_; });
        jobs_.push_back(std::move(fn));
        ready_.notify_one();
    }
    void shutdown() override {
        {
            std::lock_guard lock(mutex_);
            shutdown_ = true;
        }
        ready_.notify_all();
        room_.notify_all();
        for (auto& t : threads_) t.join();
    }

private:
    void work() {
        for (;;) {
            std::function<void()> fn;
            {
                std::unique_lock lock(mutex_);
                ready_.wait(lock, [&] { return !jobs_.empty() || shutdown_; });
                if (jobs_.empty()) return;
                fn = std::move(jobs_.front());
                jobs_.pop_front();
                room_.notify_one();
            }
            fn();
        }
    }
    std::size_t capacity_;
    std::vector<std::thread> threads_;
    std::deque<std::function<void()>> jobs_;
    std::mutex mutex_;
    std::condition_variable ready_, room_;
    bool shutdown_ = false;
};

// At most `n` conversions at once (each holds a workbook in memory).
class Gate {
public:
    explicit Gate(unsigned n) : free_(n) {}
    void enter() {
        std::unique_lock lock(mutex_);
        open_.wait(lock, [&] { return free_ > 0; });
        --free_;
    }
    void leave() {
        std::lock_guard lock(mutex_);
        ++free_;
        open_.notify_one();
    }

private:
    std::mutex mutex_;
    std::condition_variable open_;
    unsigned free_;
};

struct Upload {
    std::string name;                            // the sanitised file name shown
    std::map<std::string, std::string> files;    // download kind -> path this server wrote
};

std::string lower(std::string s) {
    for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// A client's file name made safe to show and to use as an output stem: its last path part only,
// letters, digits, '-', '_', '.', ' ' kept (others become '_'), no leading dots, at most 100
// characters. Never used to find a file later: uploads are found by their id.
std::string safe_name(const std::string& given) {
    std::string base = given.substr(given.find_last_of("/\\") == std::string::npos ? 0 : given.find_last_of("/\\") + 1);
    std::string out;
    for (unsigned char c : base) out += (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == ' ') ? char(c) : '_';
    while (!out.empty() && (out[0] == '.' || out[0] == ' ')) out.erase(0, 1);
    if (out.size() > 100) out = out.substr(out.size() - 100);
    fs::path p(out);
    if (p.stem().empty() || p.stem() == "." || p.stem() == "..") out = "return" + p.extension().string();
    return out;
}

bool spreadsheet_extension(const std::string& name) {
    std::string ext = lower(fs::path(name).extension().string());
    return ext == ".xlsx" || ext == ".xlsm" || ext == ".xls" || ext == ".ods" || ext == ".csv";
}

std::string random_hex(std::size_t bytes) {
    static std::mutex m;
    static std::random_device rd;
    std::lock_guard lock(m);
    std::string out;
    const char* digits = "0123456789abcdef";
    for (std::size_t i = 0; i < bytes; ++i) {
        unsigned v = rd() & 0xff;
        out += digits[v >> 4];
        out += digits[v & 15];
    }
    return out;
}

bool same_secret(const std::string& a, const std::string& b) {
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i % (b.empty() ? 1 : b.size())]);
    return diff == 0 && !b.empty();
}

// The addresses served without a token: this machine's own, as written by default. Any other
// (0.0.0.0, a network card's address, even 127.0.0.2) needs --token-file: strict on purpose.
bool is_own_loopback(const std::string& host) {
    return host == "127.0.0.1" || host == "::1" || host == "localhost";
}

void plain(httplib::Response& res, int status, const std::string& text) {
    res.status = status;
    res.set_content(text + "\n", "text/plain; charset=utf-8");
}

}  // namespace

int serve_command(const std::vector<std::string>& args) {
    po::options_description opts("planconv serve [--listen ADDR:PORT] [--inbox DIR] -o OUT [options]");
    opts.add_options()("help,h", "show this help")
        ("listen", po::value<std::string>()->default_value("127.0.0.1:8080"),
         "address and port to listen on; any address but 127.0.0.1, ::1 or localhost needs --token-file")
        ("inbox", po::value<std::string>(), "also watch this drop folder (as planconv watch does, into OUT) and list its returns on the page")
        ("token-file", po::value<std::string>(), "file holding the token every request must carry (Authorization: Bearer TOKEN, or "
                                                 "open /?token=TOKEN once in the browser)")
        ("max-upload-mb", po::value<unsigned>()->default_value(50), "largest upload taken, in MB (bigger: 413)");
    add_door_options(opts);
    po::variables_map vm;
    if (auto done = parse_command_line("serve", args, opts, vm)) return *done;
    auto setup = door_setup(vm, "serve");
    if (!setup) return kExitUsage;

    std::string listen = vm["listen"].as<std::string>();
    auto colon = listen.rfind(':');
    std::string host = colon == std::string::npos ? "" : listen.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    int port = 0;
    try {
        port = colon == std::string::npos ? -1 : std::stoi(listen.substr(colon + 1));
    } catch (const std::exception&) {
        port = -1;
    }
    if (host.empty() || port <= 0 || port > 65535) {
        std::cerr << "planconv serve: --listen takes ADDR:PORT (e.g. 127.0.0.1:8080), not '" << listen << "'\n";
        return kExitUsage;
    }
    std::string token;
    if (vm.count("token-file")) {
        std::ifstream in(vm["token-file"].as<std::string>());
        if (!in) {
            std::cerr << "planconv serve: cannot read the token file " << vm["token-file"].as<std::string>() << "\n";
            return kExitUsage;
        }
        std::getline(in, token);
        while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
        if (token.size() < 16) {
            std::cerr << "planconv serve: the token in " << vm["token-file"].as<std::string>()
                      << " is shorter than 16 characters; make one with: head -c 24 /dev/urandom | base64\n";
            return kExitUsage;
        }
    } else if (!is_own_loopback(host)) {
        std::cerr << "planconv serve: listening on " << host << " would let anyone on the network use this server; give "
                     "--token-file FILE (every request must then carry the token), or listen on 127.0.0.1\n";
        return kExitUsage;
    }
    std::size_t max_mb = std::max(1u, vm["max-upload-mb"].as<unsigned>());

    const fs::path out_dir = setup->options.out_dir;
    const fs::path uploads_dir = out_dir / "uploads";
    std::error_code ec;
    fs::create_directories(uploads_dir, ec);
    if (ec) {
        std::cerr << "planconv serve: cannot create " << uploads_dir.string() << ": " << ec.message() << "\n";
        return kExitUsage;
    }
    // Uploads are converted by a Pipeline of their own that writes below OUT/uploads (the drop
    // folder's writes into OUT).
    auto upload_setup = door_setup(vm, "serve", &uploads_dir);
    if (!upload_setup) return kExitUsage;
    const Pipeline& uploads_pipeline = *upload_setup->pipeline;

    std::mutex uploads_mutex;
    std::map<std::string, Upload> uploads;
    Gate gate(setup->jobs);

    std::unique_ptr<DropFolder> folder;
    std::thread folder_thread;
    int folder_stop[2] = {-1, -1};
    if (vm.count("inbox")) {
        DropFolderOptions dopts;
        dopts.inbox = vm["inbox"].as<std::string>();
        dopts.out_dir = out_dir;
        dopts.jobs = setup->jobs;
        dopts.quiet = setup->quiet;
        if (!fs::is_directory(dopts.inbox, ec)) {
            std::cerr << "planconv serve: the inbox '" << dopts.inbox.string() << "' is not a folder\n";
            return kExitUsage;
        }
        if (::pipe2(folder_stop, O_CLOEXEC) != 0) return kExitUsage;
        folder = std::make_unique<DropFolder>(*setup->pipeline, dopts);
        folder_thread = std::thread([&] {
            try {
                folder->run(folder_stop[0]);
            } catch (const std::exception& e) {
                std::cerr << "planconv serve: the drop folder stopped: " << e.what() << "\n";
            }
        });
    }

    httplib::Server server;
    const unsigned threads = setup->jobs + 4;  // conversions plus room for the page and downloads
    server.new_task_queue = [threads] { return new BoundedPool(threads, 64); };
    server.set_payload_max_length(max_mb * 1024 * 1024);
    server.set_read_timeout(30, 0);
    server.set_write_timeout(30, 0);

    // Every answer: no sniffing, no referrer, and a CSP allowing nothing from elsewhere (the
    // page's own answer narrows script and style to its nonce).
    server.set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
        res.set_header("X-Content-Type-Options", "nosniff");
        res.set_header("Referrer-Policy", "no-referrer");
        if (!res.has_header("Content-Security-Policy"))
            res.set_header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    });
    server.set_pre_routing_handler([&token](const httplib::Request& req, httplib::Response& res) {
        if (token.empty()) return httplib::Server::HandlerResponse::Unhandled;
        std::string auth = req.get_header_value("Authorization");
        if (auth.rfind("Bearer ", 0) == 0 && same_secret(auth.substr(7), token)) return httplib::Server::HandlerResponse::Unhandled;
        std::string cookies = req.get_header_value("Cookie");
        for (std::size_t at = cookies.find("planconv_token="); at != std::string::npos; at = cookies.find("planconv_token=", at + 1)) {
            std::size_t start = at + 15, end = cookies.find(';', start);
            if (same_secret(cookies.substr(start, end == std::string::npos ? std::string::npos : end - start), token))
                return httplib::Server::HandlerResponse::Unhandled;
        }
        if (req.path == "/" && req.has_param("token") && same_secret(req.get_param_value("token"), token)) {
            // The token from the link becomes a cookie, and the address loses it.
            res.set_header("Set-Cookie", "planconv_token=" + token + "; Path=/; HttpOnly; SameSite=Strict");
            res.set_redirect("/", 303);
            return httplib::Server::HandlerResponse::Handled;
        }
        res.set_header("WWW-Authenticate", "Bearer");
        plain(res, 401, "This planconv server needs its token: open the link with ?token=... your IT colleague gave you.");
        return httplib::Server::HandlerResponse::Handled;
    });

    const bool with_inbox = folder != nullptr;
    server.Get("/", [&](const httplib::Request&, httplib::Response& res) {
        std::string nonce = random_hex(16);
        // Nonces, not 'unsafe-inline': the page is self-contained (inline script and style), and
        // a nonce lets only those two run, so text from a return that slipped into the page as
        // markup could still not run a script.
        res.set_header("Content-Security-Policy", "default-src 'self'; script-src 'nonce-" + nonce + "'; style-src 'nonce-" +
                                                      nonce + "'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                                                              "form-action 'self'; frame-ancestors 'none'");
        res.set_header("Cache-Control", "no-store");
        res.set_content(web_page(nonce, with_inbox, max_mb), "text/html; charset=utf-8");
    });

    // Browsers ask for it; an empty answer keeps their consoles free of errors.
    server.Get("/favicon.ico", [](const httplib::Request&, httplib::Response& res) { res.status = 204; });

    server.Post("/api/returns", [&](const httplib::Request& req, httplib::Response& res) {
        if (!req.is_multipart_form_data() || req.files.size() != 1) {
            plain(res, 400, "Send one file per request, as multipart/form-data.");
            return;
        }
        const httplib::MultipartFormData& file = req.files.begin()->second;
        std::string name = safe_name(file.filename);
        if (!spreadsheet_extension(name)) {
            plain(res, 415, "planconv takes .xlsx, .xlsm, .xls, .ods and .csv files; '" + name + "' is not one of them.");
            return;
        }
        std::string id = random_hex(12);
        fs::path dir = uploads_dir / id;
        fs::path rel = fs::path(id) / "upload" / name;
        std::error_code ec2;
        fs::create_directories(uploads_dir / id / "upload", ec2);
        if (ec2) {
            plain(res, 500, "The server cannot store the upload: " + ec2.message());
            return;
        }
        try {
            write_file_atomically(uploads_dir / rel, file.content);
        } catch (const std::exception& e) {
            plain(res, 500, std::string("The server cannot store the upload: ") + e.what());
            return;
        }
        std::vector<InputFile> one{{uploads_dir / rel, rel, fs::path(id) / output_name(fs::path(name)), {}}};
        RunResult run;
        run.generated = utc_timestamp();
        gate.enter();
        run.files.push_back(uploads_pipeline.process(one[0]));
        gate.leave();
        Upload up;
        up.name = name;
        up.files = run.files[0].outputs;
        try {
            write_file_atomically(dir / "report.json", json_report(run));
            write_file_atomically(dir / "report.html", html_report(run));
            up.files["report.json"] = (dir / "report.json").string();
            up.files["report.html"] = (dir / "report.html").string();
        } catch (const std::exception& e) {
            std::cerr << "planconv serve: cannot write the report of upload " << id << ": " << e.what() << "\n";
        }
        ordered_json answer = ordered_json::parse(json_report(run));
        ordered_json downloads = ordered_json::object();
        for (const auto& [kind, path] : up.files) downloads[kind] = "/api/returns/" + id + "/" + kind;
        answer["upload"] = {{"id", id}, {"name", name}, {"downloads", downloads}};
        {
            std::lock_guard lock(uploads_mutex);
            uploads[id] = std::move(up);
        }
        if (!setup->quiet)
            std::cerr << "planconv serve: upload " << id << " (" << name << "): " << (run.files[0].status == FileResult::Status::Converted ? "converted" : "failed: " + run.files[0].error) << "\n";
        res.set_content(answer.dump(2, ' ', false, ordered_json::error_handler_t::replace), "application/json");
    });

    server.Get(R"(/api/returns/([0-9a-f]{24})/(workbook|xml|report\.json|report\.html))", [&](const httplib::Request& req, httplib::Response& res) {
        std::string id = req.matches[1], kind = req.matches[2];
        std::string path, name;
        {
            std::lock_guard lock(uploads_mutex);
            auto it = uploads.find(id);
            if (it == uploads.end() || !it->second.files.count(kind)) {
                plain(res, 404, "No such file on this server.");
                return;
            }
            path = it->second.files[kind];
            name = fs::path(path).filename().string();
        }
        std::ifstream in(path, std::ios::binary);
        if (!in) {
            plain(res, 404, "That file is no longer on this server.");
            return;
        }
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const char* type = kind == "workbook" ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                         : kind == "xml" ? "application/xml"
                         : kind == "report.json" ? "application/json" : "text/html; charset=utf-8";
        if (kind == "report.html") res.set_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
        res.set_header("Content-Disposition", "attachment; filename=\"" + safe_name(name) + "\"");
        res.set_content(std::move(bytes), type);
    });

    server.Get("/api/inbox", [&](const httplib::Request&, httplib::Response& res) {
        ordered_json answer;
        answer["enabled"] = with_inbox;
        answer["inbox"] = with_inbox ? vm["inbox"].as<std::string>() : "";
        std::vector<InboxEntry> entries;
        if (folder) entries = folder->entries();
        std::stable_sort(entries.begin(), entries.end(), [](const InboxEntry& a, const InboxEntry& b) { return a.processed > b.processed; });
        ordered_json list = ordered_json::array();
        for (const InboxEntry& e : entries) {
            std::size_t n[3] = {0, 0, 0};
            for (const Finding& f : e.result.findings) n[f.severity == Severity::Error ? 0 : f.severity == Severity::Warning ? 1 : 2] += f.count;
            list.push_back({{"name", e.relative},
                            {"status", !e.skipped.empty() ? "skipped" : e.result.status == FileResult::Status::Converted ? "converted" : "failed"},
                            {"reason", !e.skipped.empty() ? e.skipped : e.result.error},
                            {"mapping", e.result.mapping},
                            {"errors", n[0]}, {"warnings", n[1]}, {"infos", n[2]},
                            {"processed", e.processed}});
        }
        answer["returns"] = std::move(list);
        res.set_header("Cache-Control", "no-store");
        res.set_content(answer.dump(2, ' ', false, ordered_json::error_handler_t::replace), "application/json");
    });

    if (!server.bind_to_port(host, port)) {
        std::cerr << "planconv serve: cannot listen on " << listen << " (in use, or not an address of this machine)\n";
        if (folder) {
            char c = 1;
            [[maybe_unused]] ssize_t n = ::write(folder_stop[1], &c, 1);
            folder_thread.join();
        }
        return kExitUsage;
    }
    int stop_fd = install_stop_pipe();
    std::thread stopper([&] {
        pollfd p{stop_fd, POLLIN, 0};
        while (::poll(&p, 1, -1) < 0) {}
        server.stop();
    });
    if (!setup->quiet)
        std::cerr << "planconv serve: open http://" << (host.find(':') != std::string::npos ? "[" + host + "]" : host) << ":" << port
                  << "/" << (token.empty() ? "" : "?token=...") << " (uploads into " << uploads_dir.string() << ")\n";
    server.listen_after_bind();
    // Wakes the stopper if the server ended by itself.
    if (!stop_signal()) {
        std::raise(SIGTERM);
    }
    stopper.join();
    if (folder) {
        char c = 1;
        [[maybe_unused]] ssize_t n = ::write(folder_stop[1], &c, 1);
        folder_thread.join();
    }
    int sig = stop_signal();
    return sig ? 128 + sig : kExitOk;
}

}  // namespace planconv::cli
