// Consolidator: `convert --consolidate NAME` — once the batch has run, the converted inputs of
// each mapping merged into OUT/NAME.xlsx and OUT/NAME.xml (a cleaned workbook and an XML of
// every return), or into OUT/NAME-MAPPING.xlsx/.xml per mapping when the inputs used several.
// Inputs that failed are left out: the report already says why.
#pragma once

#include "batch/Inputs.hpp"
#include "batch/Pipeline.hpp"
#include "model/Consolidation.hpp"
#include "model/RunResult.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace planconv {

// Why NAME cannot name consolidated outputs, as a phrase ("" when it can): it must be a plain
// file name in OUT — not empty, no folder (/ or \), not hidden (leading '.').
std::string consolidation_name_problem(std::string_view name);

// The outputs' file name without extension: NAME when every converted input used one mapping,
// else NAME-MAPPING.
std::string consolidation_stem(const std::string& name, const std::string& mapping, bool several_mappings);

struct ConsolidateOptions {
    std::filesystem::path out_dir = "out";
    std::string name;           // the NAME of --consolidate
    bool write_xml = true;      // as the per-input outputs (--no-xml, --no-workbook)
    bool write_workbook = true;
    bool write_csv = false;     // --csv: OUT/NAME.<table>.csv beside the XML's name
    bool csv_bom = false;       // --csv-bom
    bool parallel = false;      // a core to spare: each consolidation's XML is written while its
                                // workbook is, whose rows are prepared on another thread
    std::string generated;      // the run's time, for the workbook's About sheet
};

// Every path the consolidation could write, whichever of `mappings` the inputs turn out to use:
// to refuse, before the run, a NAME whose outputs would overwrite an input or another output.
std::vector<std::filesystem::path> possible_consolidated_outputs(const ConsolidateOptions& options,
                                                                 const std::vector<std::string>& mappings);

// The run's consolidations: one per mapping the converted inputs used, in the order each
// mapping first appears among them, its returns in input order. `inputs`, `run.files` and
// `kept` are parallel; the result points into `run` and `kept`.
std::vector<Consolidation> group_consolidations(const std::string& name, const std::vector<InputFile>& inputs,
                                                const RunResult& run, const std::vector<std::optional<KeptDocument>>& kept);

// Groups and writes (atomically) every consolidation; one result each, for the report. An
// output that cannot be written is the result's error, never an exception.
std::vector<ConsolidationResult> write_consolidations(const ConsolidateOptions& options, const std::vector<InputFile>& inputs,
                                                      const RunResult& run,
                                                      const std::vector<std::optional<KeptDocument>>& kept);

}  // namespace planconv
