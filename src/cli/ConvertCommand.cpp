// `planconv convert` and `planconv validate`: options, the batch run, reports, exit code.
#include "cli/Commands.hpp"
#include "cli/CommandLine.hpp"
#include "cli/Help.hpp"
#include "cli/MappingOptions.hpp"

#include "files/AtomicFile.hpp"
#include "batch/BatchRunner.hpp"
#include "batch/Consolidator.hpp"
#include "batch/Interruption.hpp"
#include "batch/ProgressBar.hpp"
#include "files/OutputLock.hpp"
#include "files/WriteFailure.hpp"
#include "mapping/MappingLoader.hpp"
#include "write/ReportFormats.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>
#include <boost/program_options.hpp>

#include <csignal>
#include <iostream>
#include <set>
#include <thread>

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace planconv::cli {

namespace {

std::string plural(std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

int convert_command(const std::vector<std::string>& args, bool validate_only) {
    // From here SIGINT/SIGTERM stop the batch between files (while mappings load and inputs are
    // found too: a signal then leaves every input unprocessed, and the report says so).
    InterruptWatch interrupts;
    const char* name = validate_only ? "validate" : "convert";
    po::options_description opts(std::string("planconv ") + name + " [options] INPUT...  (files and/or folders)");
    opts.add_options()
        ("help,h", "show this help")
        ("mapping,m", po::value<std::string>(), "mapping NAME or FILE for every input (default: detected per input)")
        ("out,o", po::value<std::string>()->default_value("out"), "output folder (created)")
        ("report", po::value<std::vector<std::string>>(), "report file; .json, .html or .xml (JUnit) by extension, - for JSON on stdout; repeatable")
        ("as-of", po::value<std::string>(), "reporting date for timescale checks (2016-11-30 or 30/11/2016)")
        ("jobs,j", po::value<unsigned>(), "files processed in parallel (default: number of cores)")
        ("fail-on", po::value<std::string>()->default_value("error"), "error | warning | never: findings that make the exit code 1")
        ("lock-wait", po::value<double>()->default_value(600, "600"),
         "seconds to wait while another run writes into the same --out folder (0: refuse at once)")
        ("previous", po::value<std::string>(), "last quarter's return(s) to compare with: planconv XML, a workbook, or a folder "
                                               "of either (paired by mapping and plan title, else file name); enables the PREV-* rules")
        ("quiet,q", "print nothing but errors")
        ("progress", "show a progress bar even when stderr is not a terminal")
        ("no-progress", "never show a progress bar")
        ("shard", po::value<std::string>(), "take only the K-th of N stable shares of the inputs (by path), "
                                            "for schedulers that split a run; merge with `planconv report merge`");
    add_mapping_library_options(opts);
    add_memory_budget_option(opts);
    if (!validate_only)
        opts.add_options()
            ("no-xml", "do not write the XML outputs")
            ("no-workbook", "do not write the cleaned workbooks")
            ("csv", "also write tidy CSV, one file per table kind: OUT/<return>.<table>.csv")
            ("csv-bom", "with --csv: start each CSV with a UTF-8 byte order mark, for Excel")
            ("feedback", "also write OUT/feedback/<return>.html and .txt for the service that sent each return")
            ("consolidate", po::value<std::string>(),
             "also write OUT/NAME.xlsx and OUT/NAME.xml merging every converted input (OUT/NAME-MAPPING.* per mapping "
             "when the inputs use several)");
    po::variables_map vm;
    if (auto done = parse_command_line(name, args, opts, vm, "input")) return *done;
    if (!vm.count("input")) {
        std::cerr << "planconv " << name << ": name at least one input file or folder\n";
        return kExitUsage;
    }
    std::optional<Severity> fail_at;
    if (!read_fail_on(vm, name, fail_at)) return kExitUsage;
    std::optional<std::string> consolidate;
    if (vm.count("consolidate")) {
        consolidate = vm["consolidate"].as<std::string>();
        if (std::string why = consolidation_name_problem(*consolidate); !why.empty()) {
            std::cerr << "planconv convert: --consolidate takes a plain file name for OUT/NAME.xlsx and OUT/NAME.xml, not '"
                      << *consolidate << "': " << why << "\n";
            return kExitUsage;
        }
        if (vm.count("no-xml") && vm.count("no-workbook")) {
            std::cerr << "planconv convert: --consolidate writes a workbook and an XML, but --no-xml and --no-workbook leave "
                         "it nothing to write\n";
            return kExitUsage;
        }
    }

    PipelineOptions popts;
    popts.out_dir = vm["out"].as<std::string>();
    popts.validate_only = validate_only;
    popts.write_xml = !validate_only && !vm.count("no-xml");
    popts.write_workbook = !validate_only && !vm.count("no-workbook");
    popts.write_csv = !validate_only && vm.count("csv");
    popts.csv_bom = vm.count("csv-bom") > 0;
    popts.write_feedback = !validate_only && vm.count("feedback");
    popts.memory_budget = memory_budget_bytes(vm);
    if (!read_as_of(vm, name, popts.as_of)) return kExitUsage;
    if (!read_previous(vm, name, popts.previous)) return kExitUsage;
    auto mappings = read_mappings(vm, name);
    if (!mappings) return kExitUsage;
    auto& [candidates, forced] = *mappings;

    std::optional<std::pair<unsigned, unsigned>> shard;
    std::string shard_name;  // "K-of-N"
    if (vm.count("shard")) {
        shard = parse_shard(vm["shard"].as<std::string>());
        if (!shard) {
            std::cerr << "planconv " << name << ": --shard takes K/N with 1 <= K <= N (e.g. 2/8), not '"
                      << vm["shard"].as<std::string>() << "'\n";
            return kExitUsage;
        }
        shard_name = std::to_string(shard->first) + "-of-" + std::to_string(shard->second);
    }

    std::vector<fs::path> reports;
    if (vm.count("report"))
        for (const auto& r : vm["report"].as<std::vector<std::string>>()) reports.emplace_back(r);
    else if (shard)  // shards may share OUT: each writes its own report, for `report merge`
        reports = {popts.out_dir / ("report.shard-" + shard_name + ".json"), popts.out_dir / ("report.shard-" + shard_name + ".html")};
    else
        reports = {popts.out_dir / "report.json", popts.out_dir / "report.html"};
    // The output folder is never read as input when it lies inside an input folder.
    const bool writes_in_out = !validate_only || !vm.count("report");
    DiscoveredInputs found = discover_inputs(vm["input"].as<std::vector<std::string>>(), writes_in_out ? popts.out_dir : fs::path());
    std::vector<InputFile>& inputs = found.files;
    if (inputs.empty()) {
        std::cerr << "planconv " << name << ": no spreadsheets (.xlsx, .xls, .ods, .csv) found in the inputs given";
        if (!found.skipped.empty())
            std::cerr << " (" << plural(found.skipped.size(), "other path", "other paths") << " skipped, e.g. "
                      << found.skipped.front().path << ": " << found.skipped.front().reason << ")";
        std::cerr << "\n";
        return kExitUsage;
    }
    // A shard may find its share empty: it still writes its (empty) report, for the merge.
    // What the scan skipped is reported by shard 1 alone, so the merged report lists it once.
    if (shard) {
        inputs = shard_inputs(std::move(inputs), shard->first, shard->second);
        if (shard->first != 1) found.skipped.clear();
    }

    Pipeline pipeline(popts, std::move(candidates), std::move(forced));
    // An output must never land on an input, nor two inputs share an output (each path made
    // canonical once: a batch has thousands).
    std::unordered_map<std::string, fs::path> canonical_inputs;
    for (const InputFile& in : inputs)
        if (in.problem.empty()) canonical_inputs.emplace(fs::weakly_canonical(in.path).string(), in.path);
    std::unordered_map<std::string, std::string> canonical_outputs;  // output -> what writes it
    auto claim = [&](const fs::path& o, const std::string& writer) -> bool {
        std::string canonical = fs::weakly_canonical(o).string();
        if (auto hit = canonical_inputs.find(canonical); hit != canonical_inputs.end()) {
            std::cerr << "planconv " << name << ": writing " << o.string() << " would overwrite the input "
                      << hit->second.string() << "; choose another --out folder\n";
            return false;
        }
        auto [it, fresh] = canonical_outputs.emplace(canonical, writer);
        if (!fresh) {
            std::cerr << "planconv " << name << ": " << it->second << " and " << writer << " would both be written to "
                      << o.string() << "; rename one of them, or convert them into different --out folders\n";
            return false;
        }
        return true;
    };
    for (const fs::path& r : reports)
        if (!is_stdout(r) && !claim(r, "the report")) return kExitUsage;
    for (const InputFile& in : inputs)
        for (const fs::path& o : in.problem.empty() ? pipeline.output_paths(in) : std::vector<fs::path>{})
            if (!claim(o, "the input " + in.path.string())) return kExitUsage;
    ConsolidateOptions copts;
    if (consolidate) {
        copts.out_dir = popts.out_dir;
        copts.name = *consolidate;
        copts.write_xml = popts.write_xml;
        copts.write_workbook = popts.write_workbook;
        copts.write_csv = popts.write_csv;
        copts.csv_bom = popts.csv_bom;
        // Whichever mappings the inputs turn out to use, no consolidated output may land on an
        // input or on another output.
        for (const fs::path& o : possible_consolidated_outputs(copts, pipeline.mapping_names())) {
            std::string canonical = fs::weakly_canonical(o).string();
            if (auto hit = canonical_inputs.find(canonical); hit != canonical_inputs.end()) {
                std::cerr << "planconv convert: --consolidate " << copts.name << " could write " << o.string()
                          << ", which would overwrite the input " << hit->first << "; choose another NAME or --out folder\n";
                return kExitUsage;
            }
            if (canonical_outputs.count(canonical)) {
                std::cerr << "planconv convert: --consolidate " << copts.name << " could write " << o.string()
                          << ", which is also another output of this run; choose another NAME\n";
                return kExitUsage;
            }
        }
    }
    for (const fs::path& r : reports) {
        if (!render_report(r, RunResult{}, fail_at)) {
            std::cerr << "planconv " << name << ": cannot tell the report format of '" << r.string()
                      << "': name it .json, .html or .xml (JUnit)\n";
            return kExitUsage;
        }
    }

    unsigned jobs = vm.count("jobs") ? vm["jobs"].as<unsigned>() : std::max(1u, std::thread::hardware_concurrency());
    bool quiet = vm.count("quiet") > 0;
    bool progress = !quiet && !vm.count("no-progress") && (vm.count("progress") || stderr_is_terminal());

    // Library lines stay off the terminal.
    LibraryStderrSilenced library_lines;
    // One run at a time per output folder; then the temporaries of runs that were killed go.
    std::optional<OutputLock> lock;
    std::set<fs::path> swept;
    try {
        if (writes_in_out) {
            auto timeout = std::chrono::milliseconds(static_cast<long long>(vm["lock-wait"].as<double>() * 1000));
            lock.emplace(popts.out_dir, timeout,
                         [&](const std::string& holder) {
                             std::cerr << "planconv " << name << ": another run" << (holder.empty() ? "" : " (" + holder + ")")
                                       << " is writing into " << popts.out_dir.string() << "; waiting for it to finish (at most "
                                       << vm["lock-wait"].as<double>() << " s, --lock-wait)\n";
                         },
                         [] { return interrupt_requested(); }, shard_name);
            // Another shard, maybe on another host, may be writing its temporaries there now.
            if (!shard) swept.insert(popts.out_dir);
        }
    } catch (const OutputLockTimeout& e) {
        if (interrupt_requested()) return kExitInterrupted + interrupt_signal();
        std::cerr << "planconv " << name << ": " << e.what() << "; nothing was processed (wait longer with --lock-wait)\n";
        return kExitUsage;
    } catch (const std::exception& e) {
        std::cerr << "planconv " << name << ": cannot write in " << popts.out_dir.string() << ": "
                  << plain_write_reason(e, popts.out_dir) << "\n";
        return kExitUnwritten;
    }
    std::size_t stale = 0;
    if (!swept.empty()) stale += sweep_stale_temporaries(popts.out_dir, true);
    for (const fs::path& r : reports)
        if (!shard && !r.parent_path().empty() && swept.insert(r.parent_path()).second)
            stale += sweep_stale_temporaries(r.parent_path(), false);
    if (stale > 0 && !quiet)
        std::cerr << "planconv " << name << ": removed " << plural(stale, "temporary file", "temporary files")
                  << " left by an earlier run that was stopped\n";

    // Only a consolidation keeps the documents past their own outputs.
    std::vector<std::optional<KeptDocument>> kept;
    RunResult run = run_batch(pipeline, inputs, jobs, progress, consolidate ? &kept : nullptr);
    run.skipped = std::move(found.skipped);
    for (SkippedPath& p : pipeline.unusable_previous()) run.skipped.push_back(std::move(p));
    if (consolidate && !run.interrupted) {
        copts.parallel = jobs > 1;
        copts.generated = run.generated;
        run.consolidated = write_consolidations(copts, inputs, run, kept);
        kept.clear();
        if (run.consolidated->size() > 1 && !quiet) {
            std::cerr << "planconv convert: the inputs used " << run.consolidated->size()
                      << " mappings, so --consolidate wrote one consolidation per mapping:";
            for (const ConsolidationResult& c : *run.consolidated)
                std::cerr << " " << consolidation_stem(c.name, c.mapping, true) << " (" << plural(c.inputs.size(), "input", "inputs") << ")"
                          << (&c == &run.consolidated->back() ? "" : ",");
            std::cerr << "\n";
        }
        if (run.consolidated->empty() && !quiet)
            std::cerr << "planconv convert: no input was converted, so --consolidate " << copts.name << " wrote nothing\n";
    }

    std::vector<std::string> report_failures;
    std::set<fs::path> failed_reports;
    for (const fs::path& r : reports) {
        try {
            write_report(r, run, fail_at);
        } catch (const std::exception& e) {
            failed_reports.insert(r);
            report_failures.push_back("the report " + r.string() + " could not be written: " +
                                      plain_write_reason(e, r.has_parent_path() ? r.parent_path() : fs::path(".")));
        }
    }

    std::size_t failed = run.files.size() - run.converted();
    std::size_t unwritten = run.unwritten();
    for (const FileResult& f : run.files)
        if (f.status == FileResult::Status::Failed) std::cerr << "planconv: " << f.input << ": " << f.error << "\n";
    // Dates judged against the day of the run change from one day to the next: never unsaid.
    if (!quiet)
        for (const FileResult& f : run.files)
            if (f.status == FileResult::Status::Converted && f.as_of_source == "today")
                std::cerr << "planconv: " << f.input << ": no reporting date found in it; timescales judged against today ("
                          << f.as_of << "): give --as-of DATE (TIME-ASOF)\n";
    if (!quiet) say_previous(run, std::cerr);
    if (run.consolidated)
        for (const ConsolidationResult& c : *run.consolidated)
            if (!c.error.empty()) {
                std::cerr << "planconv: --consolidate " << c.name << ": " << c.error << "\n";
                ++unwritten;  // an output not written, like the per-input ones
            }
    // With the report on stdout, the summary would make it unreadable JSON.
    const bool report_on_stdout = std::any_of(reports.begin(), reports.end(), is_stdout);
    if (!quiet && !report_on_stdout) {
        std::cout << plural(run.files.size(), "file", "files") << ": " << run.converted()
                  << (validate_only ? " checked" : " converted") << ", " << failed << " failed";
        if (unwritten > 0) std::cout << " (" << unwritten << " whose outputs could not be written)";
        std::cout << "; " << plural(run.count(Severity::Error), "error", "errors") << ", "
                  << plural(run.count(Severity::Warning), "warning", "warnings") << ", "
                  << plural(run.count(Severity::Info), "info", "infos");
        if (!run.skipped.empty())
            std::cout << "; " << plural(run.skipped.size(), "other path", "other paths") << " skipped (listed in the report)";
        std::cout << "\n";
        for (const fs::path& r : reports)
            if (!failed_reports.count(r)) std::cout << "report: " << r.string() << "\n";
        if (run.consolidated)
            for (const ConsolidationResult& c : *run.consolidated)
                for (const auto& [kind, path] : c.outputs) std::cout << "consolidated: " << path << "\n";
    }
    if (!report_failures.empty()) {
        // The report is lost: what it would have said about failures goes to stderr instead.
        for (const std::string& why : report_failures) std::cerr << "planconv: " << why << "\n";
        std::vector<std::string> named;
        for (const FileResult& f : run.files)
            if (f.status == FileResult::Status::Failed) named.push_back(f.input);
        if (!named.empty()) {
            std::cerr << "planconv: " << plural(named.size(), "input", "inputs") << " failed (" << unwritten
                      << " of them because their outputs could not be written): ";
            for (std::size_t i = 0; i < named.size() && i < 5; ++i) std::cerr << (i ? ", " : "") << named[i];
            if (named.size() > 5) std::cerr << " and " << named.size() - 5 << " more";
            std::cerr << "\n";
        }
    }
    if (run.interrupted) {
        std::cerr << "planconv " << name << ": interrupted (" << (interrupt_signal() == SIGINT ? "SIGINT" : "SIGTERM") << "): "
                  << run.files.size() << " of " << run.files.size() + run.not_processed << " inputs processed"
                  << (report_failures.empty() ? "; the report says what was done" : "") << "\n";
        return kExitInterrupted + interrupt_signal();
    }
    if (unwritten > 0 || !report_failures.empty()) return kExitUnwritten;
    if (failed > 0) return kExitUnreadable;
    return run.count_failing(fail_at) > 0 ? kExitFindings : kExitOk;
}

}  // namespace planconv::cli
