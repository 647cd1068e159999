// report.json -> RunResult, with nlohmann::json doing the parsing.
#include "write/JsonReportReader.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <map>

namespace planconv {

namespace {

using nlohmann::json;

std::string text_or_empty(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return "";
    if (!it->is_string()) throw ReportReadError(std::string("'") + key + "' is not text");
    return it->get<std::string>();
}

std::optional<std::string> optional_text(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return std::nullopt;
    return it->get<std::string>();
}

std::size_t count_of(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_number_unsigned()) return 0;
    return it->get<std::size_t>();
}

std::map<std::string, std::string> outputs_of(const json& j) {
    std::map<std::string, std::string> out;
    if (auto it = j.find("outputs"); it != j.end() && it->is_object())
        for (const auto& [kind, path] : it->items()) out[kind] = path.get<std::string>();
    return out;
}

Finding finding_from(const json& j) {
    Finding f;
    f.rule = text_or_empty(j, "rule");
    auto severity = severity_from(text_or_empty(j, "severity"));
    if (!severity) throw ReportReadError("a finding has no known severity");
    f.severity = *severity;
    f.sheet = text_or_empty(j, "sheet");
    f.cell = text_or_empty(j, "cell");
    f.record = text_or_empty(j, "record");
    f.message = text_or_empty(j, "message");
    f.expected = optional_text(j, "expected");
    f.actual = optional_text(j, "actual");
    if (auto it = j.find("count"); it != j.end() && it->is_number_unsigned()) f.count = it->get<std::uint32_t>();
    return f;
}

FileResult file_from(const json& j) {
    FileResult r;
    r.input = text_or_empty(j, "input");
    if (r.input.empty()) throw ReportReadError("a file entry has no input");
    r.mapping = text_or_empty(j, "mapping");
    const std::string status = text_or_empty(j, "status");
    if (status != "converted" && status != "failed") throw ReportReadError("a file entry's status is '" + status + "'");
    r.status = status == "converted" ? FileResult::Status::Converted : FileResult::Status::Failed;
    r.as_of = text_or_empty(j, "as_of");
    r.as_of_source = text_or_empty(j, "as_of_source");
    r.outputs = outputs_of(j);
    r.error = text_or_empty(j, "error");
    r.unwritten = j.value("unwritten", false);
    if (auto it = j.find("previous"); it != j.end() && it->is_object()) {  // --previous
        r.previous = text_or_empty(*it, "file");
        r.previous_pairing = text_or_empty(*it, "paired");
        r.previous_problem = text_or_empty(*it, "problem");
        if (auto pairs = it->find("paired_by_text"); pairs != it->end() && pairs->is_array())
            for (const json& p : *pairs)
                if (p.is_string()) r.previous_text_pairs.push_back(p.get<std::string>());
    }
    if (auto it = j.find("counts"); it != j.end() && it->is_object()) {
        r.sections = count_of(*it, "sections");
        r.records = count_of(*it, "records");
    }
    if (auto it = j.find("findings"); it != j.end() && it->is_array())
        for (const json& f : *it) r.findings.push_back(finding_from(f));
    return r;
}

ConsolidationResult consolidation_from(const json& j) {
    ConsolidationResult c;
    c.name = text_or_empty(j, "name");
    c.mapping = text_or_empty(j, "mapping");
    c.outputs = outputs_of(j);
    if (auto it = j.find("inputs"); it != j.end() && it->is_array())
        for (const json& in : *it) c.inputs.push_back(in.get<std::string>());
    if (auto it = j.find("counts"); it != j.end() && it->is_object()) {
        c.sections = count_of(*it, "sections");
        c.records = count_of(*it, "records");
    }
    c.error = text_or_empty(j, "error");
    return c;
}

}  // namespace

RunResult read_json_report(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw ReportReadError(file.string() + ": cannot be opened");
    RunResult run;
    try {
        json root = json::parse(in);
        if (!root.is_object() || root.value("tool", "") != "planconv" || !root.contains("files") ||
            !root["files"].is_array())
            throw ReportReadError("it is not a planconv report.json");
        run.generated = text_or_empty(root, "generated");
        for (const json& f : root["files"]) run.files.push_back(file_from(f));
        if (auto it = root.find("consolidated"); it != root.end() && it->is_array()) {
            run.consolidated.emplace();
            for (const json& c : *it) run.consolidated->push_back(consolidation_from(c));
        }
        if (auto it = root.find("skipped"); it != root.end() && it->is_array())
            for (const json& x : *it) run.skipped.push_back({text_or_empty(x, "path"), text_or_empty(x, "reason")});
        run.interrupted = root.value("interrupted", false);
        if (auto it = root.find("summary"); it != root.end() && it->is_object()) run.not_processed = count_of(*it, "not_processed");
    } catch (const ReportReadError& e) {
        throw ReportReadError(file.string() + ": " + e.what());
    } catch (const json::exception&) {
        throw ReportReadError(file.string() + ": it is not a planconv report.json (not valid JSON, or a field of the "
                                              "wrong kind)");
    }
    return run;
}

RunResult merge_run_results(std::vector<RunResult> parts) {
    RunResult merged;
    for (RunResult& part : parts) {
        for (FileResult& f : part.files) merged.files.push_back(std::move(f));
        for (SkippedPath& x : part.skipped) merged.skipped.push_back(std::move(x));
        merged.interrupted = merged.interrupted || part.interrupted;
        merged.not_processed += part.not_processed;
        if (part.consolidated) {
            if (!merged.consolidated) merged.consolidated.emplace();
            for (ConsolidationResult& c : *part.consolidated) merged.consolidated->push_back(std::move(c));
        }
    }
    std::stable_sort(merged.files.begin(), merged.files.end(), [](const FileResult& a, const FileResult& b) {
        return std::filesystem::path(a.input) < std::filesystem::path(b.input);
    });
    for (std::size_t i = 1; i < merged.files.size(); ++i)
        if (merged.files[i].input == merged.files[i - 1].input)
            throw ReportReadError(merged.files[i].input + " is in two of the reports: each input belongs to one shard");
    return merged;
}

}  // namespace planconv
