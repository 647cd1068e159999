// RunResult -> report.json, with nlohmann::json doing the escaping and number formatting.
#include "write/JsonReport.hpp"

#include "write/RuleTally.hpp"

#include <nlohmann/json.hpp>

namespace planconv {

namespace {

nlohmann::ordered_json finding_json(const Finding& f) {
    nlohmann::ordered_json j;
    j["rule"] = f.rule;
    j["severity"] = std::string(to_string(f.severity));
    j["sheet"] = f.sheet;
    j["cell"] = f.cell;
    j["record"] = f.record.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(f.record);
    j["message"] = f.message;
    if (f.expected) j["expected"] = *f.expected;
    if (f.actual) j["actual"] = *f.actual;
    if (f.count > 1) j["count"] = f.count;
    return j;
}

}  // namespace

std::string json_report(const RunResult& run) {
    nlohmann::ordered_json root;
    root["tool"] = "planconv";
    root["version"] = PLANCONV_VERSION;
    root["generated"] = run.generated;
    auto& summary = root["summary"];
    summary["files"] = run.files.size();
    summary["converted"] = run.converted();
    summary["failed"] = run.files.size() - run.converted();
    summary["errors"] = run.count(Severity::Error);
    summary["warnings"] = run.count(Severity::Warning);
    summary["infos"] = run.count(Severity::Info);
    summary["unwritten"] = run.unwritten();
    summary["skipped"] = run.skipped.size();
    if (run.interrupted) summary["not_processed"] = run.not_processed;
    // Added after the SPEC §5 fields, which keep their names and order.
    summary["by_severity"] = {{"error", run.count(Severity::Error)},
                              {"warning", run.count(Severity::Warning)},
                              {"info", run.count(Severity::Info)}};
    auto by_rule = nlohmann::ordered_json::array();
    for (const RuleCount& c : count_by_rule(run))
        by_rule.push_back({{"rule", c.rule}, {"severity", std::string(to_string(c.severity))}, {"findings", c.findings}, {"files", c.files}});
    summary["by_rule"] = std::move(by_rule);
    auto files = nlohmann::ordered_json::array();
    for (const FileResult& f : run.files) {
        nlohmann::ordered_json j;
        bool ok = f.status == FileResult::Status::Converted;
        j["input"] = f.input;
        j["mapping"] = f.mapping.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(f.mapping);
        j["status"] = ok ? "converted" : "failed";
        j["as_of"] = f.as_of.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(f.as_of);
        // Where as_of came from: "option" (--as-of), "workbook" or "today" (nothing else gave one).
        j["as_of_source"] = f.as_of_source.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(f.as_of_source);
        // --previous: which return it was compared with and how it was found; absent without it.
        if (!f.previous.empty() || !f.previous_problem.empty()) {
            auto& p = j["previous"] = nlohmann::ordered_json::object();
            p["file"] = f.previous.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(f.previous);
            p["paired"] = f.previous_pairing.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(f.previous_pairing);
            p["problem"] = f.previous_problem.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(f.previous_problem);
            p["paired_by_text"] = f.previous_text_pairs;
        }
        j["outputs"] = nlohmann::ordered_json::object();
        for (const auto& [kind, path] : f.outputs) j["outputs"][kind] = path;
        j["error"] = ok ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(f.error);
        if (f.unwritten) j["unwritten"] = true;
        j["counts"] = {{"sections", f.sections}, {"records", f.records}};
        auto findings = nlohmann::ordered_json::array();
        for (const Finding& x : f.findings) findings.push_back(finding_json(x));
        j["findings"] = std::move(findings);
        files.push_back(std::move(j));
    }
    root["files"] = std::move(files);
    root["interrupted"] = run.interrupted;
    auto skipped = nlohmann::ordered_json::array();
    for (const SkippedPath& x : run.skipped) skipped.push_back({{"path", x.path}, {"reason", x.reason}});
    root["skipped"] = std::move(skipped);
    // Only with --consolidate: the reports of other runs keep their documented shape.
    if (run.consolidated) {
        auto consolidated = nlohmann::ordered_json::array();
        for (const ConsolidationResult& c : *run.consolidated) {
            nlohmann::ordered_json j;
            j["name"] = c.name;
            j["mapping"] = c.mapping;
            j["outputs"] = nlohmann::ordered_json::object();
            for (const auto& [kind, path] : c.outputs) j["outputs"][kind] = path;
            j["inputs"] = c.inputs;
            j["counts"] = {{"sections", c.sections}, {"records", c.records}};
            j["error"] = c.error.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(c.error);
            consolidated.push_back(std::move(j));
        }
        root["consolidated"] = std::move(consolidated);
    }
    // Invalid UTF-8 from a hostile cell is replaced, never allowed to abort the report.
    return root.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace planconv
