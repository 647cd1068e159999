// Consolidator: groups the kept documents by mapping and writes each group with the cleaned
// workbook and XML writers' consolidated forms.
#include "batch/Consolidator.hpp"

#include "write/CleanWorkbookWriter.hpp"
#include "write/DocumentXmlWriter.hpp"
#include "write/TidyCsvWriter.hpp"
#include "mapping/Mapping.hpp"

#include <algorithm>
#include <exception>
#include <future>
#include <map>

namespace planconv {

namespace {

// A mapping name as part of a file name (shipped names already are).
std::string file_name_part(std::string_view s) {
    std::string out(s);
    std::replace_if(out.begin(), out.end(), [](char c) { return c == '/' || c == '\\'; }, '-');
    return out;
}

// Runs `write`; on failure returns one sentence naming `file`, else "".
template <class Write>
std::string attempt(const std::filesystem::path& file, Write&& write) {
    try {
        write();
        return "";
    } catch (const std::exception& e) {
        return "cannot write " + file.string() + ": " + e.what();
    }
}

// The indexes of each mapping's converted inputs, mappings in the order they first appear.
std::vector<std::vector<std::size_t>> converted_by_mapping(const std::vector<InputFile>& inputs, const RunResult& run,
                                                           const std::vector<std::optional<KeptDocument>>& kept) {
    std::vector<std::vector<std::size_t>> groups;
    for (std::size_t i = 0; i < inputs.size() && i < run.files.size() && i < kept.size(); ++i) {
        if (!kept[i] || run.files[i].status != FileResult::Status::Converted || !kept[i]->doc.mapping) continue;
        const std::string& mapping = kept[i]->doc.mapping->name;
        auto group = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return kept[g.front()]->doc.mapping->name == mapping; });
        if (group == groups.end()) group = groups.insert(groups.end(), std::vector<std::size_t>{});
        group->push_back(i);
    }
    return groups;
}

// Each return is named by its path below the folder given ("sub/care-q2.xlsx"), or by its
// path as given when that would not tell two returns apart (a/q2.xlsx and b/q2.xlsx as files).
Consolidation consolidation_of(const std::string& name, const std::vector<std::size_t>& group, const std::vector<InputFile>& inputs,
                               const RunResult& run, const std::vector<std::optional<KeptDocument>>& kept) {
    std::map<std::string, int> uses;
    for (std::size_t i : group) ++uses[inputs[i].relative.generic_string()];
    Consolidation c{name, kept[group.front()]->doc.mapping, {}};
    for (std::size_t i : group) {
        std::string source = inputs[i].relative.generic_string();
        if (uses[source] > 1) source = inputs[i].path.generic_string();
        c.returns.push_back({&kept[i]->doc, &run.files[i].findings, std::move(source), kept[i]->as_of});
    }
    return c;
}

}  // namespace

std::string consolidation_name_problem(std::string_view name) {
    if (name.empty()) return "it is empty";
    if (name.find_first_of("/\\") != std::string_view::npos) return "it names a folder (a plain file name has no / or \\)";
    if (name.front() == '.') return "it starts with '.' (a hidden file)";
    if (name.find('\0') != std::string_view::npos) return "it holds a NUL character";
    return "";
}

std::string consolidation_stem(const std::string& name, const std::string& mapping, bool several_mappings) {
    return several_mappings ? name + "-" + file_name_part(mapping) : name;
}

std::vector<std::filesystem::path> possible_consolidated_outputs(const ConsolidateOptions& options,
                                                                 const std::vector<std::string>& mappings) {
    std::vector<std::string> stems{consolidation_stem(options.name, "", false)};
    if (mappings.size() > 1)
        for (const std::string& m : mappings) stems.push_back(consolidation_stem(options.name, m, true));
    std::vector<std::filesystem::path> out;
    for (const std::string& stem : stems) {
        if (options.write_workbook) out.push_back(options.out_dir / (stem + ".xlsx"));
        if (options.write_xml) out.push_back(options.out_dir / (stem + ".xml"));
    }
    return out;
}

std::vector<Consolidation> group_consolidations(const std::string& name, const std::vector<InputFile>& inputs,
                                                const RunResult& run, const std::vector<std::optional<KeptDocument>>& kept) {
    std::vector<Consolidation> groups;
    for (const std::vector<std::size_t>& group : converted_by_mapping(inputs, run, kept))
        groups.push_back(consolidation_of(name, group, inputs, run, kept));
    return groups;
}

std::vector<ConsolidationResult> write_consolidations(const ConsolidateOptions& options, const std::vector<InputFile>& inputs,
                                                      const RunResult& run,
                                                      const std::vector<std::optional<KeptDocument>>& kept) {
    const std::vector<std::vector<std::size_t>> groups = converted_by_mapping(inputs, run, kept);
    std::vector<ConsolidationResult> results;
    if (groups.empty() || (!options.write_xml && !options.write_workbook)) return results;
    std::error_code ec;
    std::filesystem::create_directories(options.out_dir, ec);  // a failure shows in each write's error
    for (const std::vector<std::size_t>& group : groups) {
        const Consolidation c = consolidation_of(options.name, group, inputs, run, kept);
        ConsolidationResult& r = results.emplace_back();
        r.name = options.name;
        r.mapping = c.mapping->name;
        for (std::size_t i : group) {
            r.inputs.push_back(run.files[i].input);
            r.sections += run.files[i].sections;
            r.records += run.files[i].records;
        }
        const std::string stem = consolidation_stem(options.name, c.mapping->name, groups.size() > 1);
        const std::filesystem::path xml = options.out_dir / (stem + ".xml");
        const std::filesystem::path book = options.out_dir / (stem + ".xlsx");
        auto write_xml = [&] { return attempt(xml, [&] { write_consolidated_xml(c, xml); }); };
        // The XML (which needs no findings) on a second thread while the workbook is written.
        std::future<std::string> xml_error;
        if (options.write_xml && options.parallel && options.write_workbook) xml_error = std::async(std::launch::async, write_xml);
        if (options.write_workbook) {
            ConsolidatedWorkbookOptions wo;
            wo.generated = options.generated;
            wo.spare_core = options.parallel;
            r.error = attempt(book, [&] { write_consolidated_workbook(c, book, wo); });
            if (r.error.empty()) r.outputs["workbook"] = book.string();
        }
        if (options.write_xml) {
            std::string e = xml_error.valid() ? xml_error.get() : write_xml();
            if (e.empty()) r.outputs["xml"] = xml.string();
            else r.error = r.error.empty() ? e : r.error + "; " + e;
        }
        if (options.write_csv) {
            std::map<std::string, std::filesystem::path> csv;
            std::string e = attempt(xml, [&] { csv = write_consolidated_tidy_csv(c, xml, TidyCsvOptions{options.csv_bom}); });
            for (const auto& [table, path] : csv) r.outputs["csv:" + table] = path.string();
            if (!e.empty()) r.error = r.error.empty() ? e : r.error + "; " + e;
        }
    }
    return results;
}

}  // namespace planconv
