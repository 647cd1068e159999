// Pipeline: one input file through read -> map -> check -> write, as a FileResult.
#pragma once

#include "batch/Inputs.hpp"
#include "batch/MemoryBudget.hpp"
#include "batch/PreviousReturns.hpp"
#include "read/WorkbookReader.hpp"
#include "mapping/Mapping.hpp"
#include "model/Date.hpp"
#include "model/Document.hpp"
#include "model/RunResult.hpp"
#include "validate/Checker.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <vector>

namespace planconv {

// An input read and checked whose outputs could not be written (exit 4); the message is the
// plain reason ("its outputs could not be written: the disk is full …").
class OutputsNotWritten : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct PipelineOptions {
    std::filesystem::path out_dir = "out";
    std::optional<Date> as_of;       // --as-of; else from the workbook; else today
    bool write_xml = true;
    bool write_workbook = true;
    bool validate_only = false;      // `validate`: no outputs at all
    bool write_csv = false;          // --csv: tidy CSV per table kind, named from the XML's name
    bool csv_bom = false;            // --csv-bom
    bool write_feedback = false;     // --feedback: OUT/feedback/<return>.html and .txt
    std::filesystem::path previous;  // --previous: last quarter's return(s), for the PREV-* rules ("" = none)
    ReadLimits limits;
    // The memory the files in hand may hold together (--memory-budget); 0: half of the machine's.
    std::uint64_t memory_budget = 0;
};

// A converted input's document, kept after its outputs are written for a consolidation
// (--consolidate). It points into the Pipeline's mappings: the Pipeline must outlive it.
struct KeptDocument {
    Document doc;
    Date as_of;  // the reporting date its checks and outputs used
};

// The mapping for a workbook: the single best fit among `candidates`, or a MappingMismatch
// whose message names the candidates weighed and why none (or more than one) fits.
const Mapping& choose_mapping(const Workbook& wb, const std::vector<Mapping>& candidates);

class Pipeline {
public:
    // `forced` is the -m mapping (used for every input); otherwise `candidates` are weighed.
    Pipeline(PipelineOptions options, std::vector<Mapping> candidates, std::optional<Mapping> forced);

    // `spare_core`: a core would otherwise sit idle (fewer files than jobs), so the XML and the
    // cleaned workbook are written at the same time. `keep`: where to move the document of an
    // input that converted (left empty for one that failed); null drops it when written.
    FileResult process(const InputFile& input, bool spare_core = false, std::optional<KeptDocument>* keep = nullptr) const;
    // Marks a processed file failed because its output `file` could not be committed afterwards
    // (the flush or rename, deferred in a batch), as when writing it failed. Its other outputs,
    // committed whole, stay listed.
    void output_not_written(FileResult& r, const std::exception& e, const std::filesystem::path& file) const;

    // The outputs an input would get (to check none would overwrite an input).
    std::vector<std::filesystem::path> output_paths(const InputFile& input) const;

    // The names of the mappings an input may be mapped with: the forced one, else the candidates.
    std::vector<std::string> mapping_names() const;

    // With --previous: files of its folder that could not be read as a return (for the report).
    std::vector<SkippedPath> unusable_previous() const;

private:
    std::filesystem::path output_base(const InputFile& input) const;  // the output path but its extension
    void check_and_write(const InputFile& input, const Document& doc, const CheckContext& ctx, FileResult& r,
                         bool spare_core) const;
    void write_xml(const InputFile& input, const Document& doc, Date as_of) const;
    void write_workbook(const InputFile& input, const Document& doc, Date as_of, const std::vector<Finding>& findings,
                        const PreviousReturn* previous, bool spare_core) const;

    PipelineOptions options_;
    std::shared_ptr<MemoryBudget> budget_;  // shared by every worker that calls process()
    std::vector<Mapping> candidates_;
    std::optional<Mapping> forced_;
    std::unique_ptr<PreviousReturns> previous_;  // made once the mappings are in place
};

}  // namespace planconv
