// `planconv report merge REPORT.json... -o OUT`: the reports of a run split into shards
// (`--shard K/N` on several machines or array tasks) merged into the one report a single run
// over every input would have written.
#include "cli/Commands.hpp"
#include "cli/CommandLine.hpp"
#include "cli/Help.hpp"

#include "batch/BatchRunner.hpp"
#include "files/AtomicFile.hpp"
#include "write/JsonReportReader.hpp"
#include "write/ReportFormats.hpp"

#include <boost/program_options.hpp>

#include <algorithm>
#include <iostream>

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace planconv::cli {

int report_command(const std::vector<std::string>& args) {
    const char* usage =
        "usage: planconv report merge REPORT.json... [-o OUT] [--report FILE]... [--fail-on error|warning|never]\n"
        "\n"
        "  merge   the report.json files of a run split with --shard K/N, merged into OUT/report.json and\n"
        "          OUT/report.html (or the --report files): every input once, in the order a single run lists\n"
        "          them, with the summary counted again. Exit codes as for convert: 1 for findings at or\n"
        "          above --fail-on, 3 when an input failed, 2 when a report cannot be read.\n";
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        (args.empty() ? std::cerr : std::cout) << usage;
        return args.empty() ? kExitUsage : kExitOk;
    }
    if (args[0] != "merge") {
        std::cerr << "planconv report: unknown subcommand '" << args[0] << "'\n" << usage;
        return kExitUsage;
    }
    po::options_description opts("planconv report merge REPORT.json... [options]");
    opts.add_options()
        ("help,h", "show this help")
        ("out,o", po::value<std::string>()->default_value("out"), "output folder for report.json and report.html")
        ("report", po::value<std::vector<std::string>>(), "merged report file; .json, .html or .xml (JUnit) by extension, - for JSON on stdout; repeatable")
        ("fail-on", po::value<std::string>()->default_value("error"), "error | warning | never: findings that make the exit code 1");
    po::variables_map vm;
    if (auto done = parse_command_line("report merge", std::vector<std::string>(args.begin() + 1, args.end()), opts, vm, "input"))
        return *done;
    if (!vm.count("input")) {
        std::cerr << "planconv report merge: name the report.json files to merge\n";
        return kExitUsage;
    }
    std::optional<Severity> fail_at;
    if (!read_fail_on(vm, "report merge", fail_at)) return kExitUsage;
    std::vector<fs::path> reports;
    if (vm.count("report"))
        for (const auto& r : vm["report"].as<std::vector<std::string>>()) reports.emplace_back(r);
    else
        reports = {fs::path(vm["out"].as<std::string>()) / "report.json", fs::path(vm["out"].as<std::string>()) / "report.html"};
    for (const fs::path& r : reports)
        if (!render_report(r, RunResult{}, fail_at)) {
            std::cerr << "planconv report merge: cannot tell the report format of '" << r.string()
                      << "': name it .json, .html or .xml (JUnit)\n";
            return kExitUsage;
        }

    RunResult run;
    try {
        std::vector<RunResult> parts;
        for (const std::string& file : vm["input"].as<std::vector<std::string>>()) parts.push_back(read_json_report(file));
        run = merge_run_results(std::move(parts));
    } catch (const ReportReadError& e) {
        std::cerr << "planconv report merge: " << e.what() << "\n";
        return kExitUsage;
    }
    run.generated = utc_timestamp();
    for (const fs::path& r : reports) {
        try {
            write_report(r, run, fail_at);
        } catch (const std::exception& e) {
            std::cerr << "planconv report merge: cannot write " << r.string() << ": " << e.what() << "\n";
            return kExitUnwritten;
        }
    }
    const std::size_t failed = run.files.size() - run.converted();
    const bool report_on_stdout = std::any_of(reports.begin(), reports.end(), is_stdout);
    if (!report_on_stdout) {
        std::cout << run.files.size() << (run.files.size() == 1 ? " file" : " files") << " from "
                  << vm["input"].as<std::vector<std::string>>().size() << " reports: " << run.converted() << " converted, "
                  << failed << " failed; " << run.count(Severity::Error) << " errors, " << run.count(Severity::Warning)
                  << " warnings, " << run.count(Severity::Info) << " infos\n";
        for (const fs::path& r : reports) std::cout << "report: " << r.string() << "\n";
    }
    if (run.unwritten() > 0) return kExitUnwritten;
    if (failed > 0) return kExitUnreadable;
    return run.count_failing(fail_at) > 0 ? kExitFindings : kExitOk;
}

}  // namespace planconv::cli
