// Options and Pipeline set-up shared by `planconv watch` and `planconv serve`.
#include "cli/DoorSetup.hpp"

#include "cli/CommandLine.hpp"
#include "cli/MappingOptions.hpp"

#include <atomic>
#include <csignal>
#include <iostream>
#include <stdexcept>
#include <thread>

#include <fcntl.h>
#include <unistd.h>

namespace po = boost::program_options;

namespace planconv::cli {

namespace {

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
    add_memory_budget_option(opts);
}

std::optional<DoorSetup> door_setup(const po::variables_map& vm, const char* command, const std::filesystem::path* out_dir) {
    DoorSetup s;
    if (!vm.count("out")) {
        std::cerr << "planconv " << command << ": name the output folder with -o OUT\n";
        return std::nullopt;
    }
    std::optional<Severity> fail_at;  // accepted as convert takes it; the doors keep running
    if (!read_fail_on(vm, command, fail_at)) return std::nullopt;
    s.options.out_dir = out_dir ? *out_dir : std::filesystem::path(vm["out"].as<std::string>());
    s.options.write_xml = !vm.count("no-xml");
    s.options.write_workbook = !vm.count("no-workbook");
    s.options.memory_budget = memory_budget_bytes(vm);
    if (!read_as_of(vm, command, s.options.as_of)) return std::nullopt;
    if (!read_previous(vm, command, s.options.previous)) return std::nullopt;  // watch only
    auto mappings = read_mappings(vm, command);
    if (!mappings) return std::nullopt;
    s.jobs = vm.count("jobs") ? vm["jobs"].as<unsigned>() : std::max(1u, std::thread::hardware_concurrency());
    if (s.jobs == 0) s.jobs = 1;
    s.quiet = vm.count("quiet") > 0;
    s.pipeline = std::make_unique<Pipeline>(s.options, std::move(mappings->candidates), std::move(mappings->forced));
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
