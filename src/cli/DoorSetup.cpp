// Options and Pipeline set-up shared by `planconv watch` and `planconv serve`.
#include "cli/DoorSetup.hpp"

#include "cli/MappingOptions.hpp"
#include "mapping/MappingLoader.hpp"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <stdexcept>
#include <thread>

#include <fcntl.h>
#include <unistd.h>

namespace po = boost::program_options;

namespace planconv::cli {

namespace {

// "2016-11-30" or "30/11/2016" (as convert takes it).
std::optional<Date> parse_date(const std::string& s) {
    if (auto iso = Date::parse_iso(s)) return iso;
    int d = 0, m = 0, y = 0;
    char a = 0, b = 0;
    if (std::sscanf(s.c_str(), "%d%c%d%c%d", &d, &a, &m, &b, &y) == 5 && a == '/' && b == '/' && y > 999)
        return Date::from_ymd(y, m, d);
    return std::nullopt;
}

int g_stop_write = -1;
std::atomic<int> g_stop_signal{0};

extern "C" void on_stop_signal(int sig) {
    g_stop_signal = sig;
    char c = 1;
    [[maybe_unused]] ssize_t n = ::write(g_stop_write, &c, 1);
}

}  // namespace

void add_door_options(po::options_description& opts) {
    opts.add_options()
        ("mapping,m", po::value<std::string>(), "mapping NAME or FILE for every return (default: detected per return)")
        ("out,o", po::value<std::string>(), "output folder (created): outputs, report.json and report.html")
        ("as-of", po::value<std::string>(), "reporting date for timescale checks (2016-11-30 or 30/11/2016)")
        ("jobs,j", po::value<unsigned>(), "returns converted at the same time (default: number of cores)")
        ("fail-on", po::value<std::string>()->default_value("error"), "error | warning | never: accepted as convert takes it; watch and serve keep running whatever they find")
        ("no-xml", "do not write the XML outputs")
        ("no-workbook", "do not write the cleaned workbooks")
        ("quiet,q", "print nothing but errors");
    add_mapping_library_options(opts);
}

std::optional<DoorSetup> door_setup(const po::variables_map& vm, const char* command, const std::filesystem::path* out_dir) {
    DoorSetup s;
    if (!vm.count("out")) {
        std::cerr << "planconv " << command << ": name the output folder with -o OUT\n";
        return std::nullopt;
    }
    std::string fail_on = vm["fail-on"].as<std::string>();
    if (fail_on != "error" && fail_on != "warning" && fail_on != "never") {
        std::cerr << "planconv " << command << ": --fail-on takes error, warning or never, not '" << fail_on << "'\n";
        return std::nullopt;
    }
    s.options.out_dir = out_dir ? *out_dir : std::filesystem::path(vm["out"].as<std::string>());
    s.options.write_xml = !vm.count("no-xml");
    s.options.write_workbook = !vm.count("no-workbook");
    if (vm.count("as-of")) {
        s.options.as_of = parse_date(vm["as-of"].as<std::string>());
        if (!s.options.as_of) {
            std::cerr << "planconv " << command << ": --as-of takes a date like 2016-11-30 or 30/11/2016, not '"
                      << vm["as-of"].as<std::string>() << "'\n";
            return std::nullopt;
        }
    }
    const MappingLibrary library = mapping_library(vm);
    std::vector<Mapping> candidates;
    std::optional<Mapping> forced;
    try {
        if (vm.count("mapping"))
            forced = library.load(vm["mapping"].as<std::string>());
        else
            candidates = library.load_all();
    } catch (const MappingError& e) {
        std::cerr << "planconv: mapping error:\n" << e.what() << "\n";
        return std::nullopt;
    }
    if (!forced && candidates.empty()) {
        std::cerr << "planconv " << command << ": no mappings found (--no-shipped-mappings, and no mapping in the "
                     "--mappings-dir folders)\n";
        return std::nullopt;
    }
    s.jobs = vm.count("jobs") ? vm["jobs"].as<unsigned>() : std::max(1u, std::thread::hardware_concurrency());
    if (s.jobs == 0) s.jobs = 1;
    s.quiet = vm.count("quiet") > 0;
    s.pipeline = std::make_unique<Pipeline>(s.options, std::move(candidates), std::move(forced));
    return s;
}

int install_stop_pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) throw std::runtime_error("cannot make a pipe for signals");
    g_stop_write = fds[1];
    struct sigaction sa{};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGINT, &sa, nullptr);
    return fds[0];
}

int stop_signal() { return g_stop_signal; }

}  // namespace planconv::cli
