// One file's way through planconv. Every failure becomes a FileResult with a plain reason;
// nothing thrown here escapes to stop the batch.
#include "batch/Pipeline.hpp"

#include "files/WriteFailure.hpp"
#include "write/CleanWorkbookWriter.hpp"
#include "write/DocumentXmlWriter.hpp"
#include "write/SectionSummary.hpp"
#include "write/TidyCsvWriter.hpp"
#include "write/FeedbackWriter.hpp"
#include "mapping/Extractor.hpp"
#include "mapping/FieldTyper.hpp"
#include "mapping/NearMiss.hpp"
#include "mapping/PlanDates.hpp"
#include "validate/Checker.hpp"
#include "validate/PreviousPairing.hpp"

#include <malloc.h>

#include <algorithm>
#include <exception>
#include <future>
#include <new>

namespace planconv {

const Mapping& choose_mapping(const Workbook& wb, const std::vector<Mapping>& candidates) {
    std::vector<DetectionScore> scores;
    const DetectionWindow window(wb);
    for (const Mapping& m : candidates) scores.push_back(score_mapping(window, m));
    std::stable_sort(scores.begin(), scores.end(), [](const auto& a, const auto& b) { return a.score() > b.score(); });
    std::vector<const DetectionScore*> fitting;
    for (const auto& s : scores)
        if (s.fits()) fitting.push_back(&s);
    if (fitting.size() == 1 || (fitting.size() > 1 && fitting[0]->score() > fitting[1]->score()))
        return *fitting.front()->mapping;
    if (fitting.empty()) {
        // The real near misses: the mappings that found most of the headers they need.
        std::vector<HeaderNearMiss> misses;
        for (const Mapping& m : candidates) misses.push_back(nearest_header(wb, m));
        std::stable_sort(misses.begin(), misses.end(), [](const HeaderNearMiss& a, const HeaderNearMiss& b) {
            return a.closeness() > b.closeness() || (a.closeness() == b.closeness() && a.found > b.found);
        });
        std::string closest;
        for (std::size_t i = 0; i < misses.size() && i < 3 && misses[i].found > 0; ++i)
            closest += (i ? "; " : "") + misses[i].mapping->name + " (" + describe(misses[i]) + ")";
        const std::string advice = "; name one with -m, or write a mapping for this layout (planconv mappings draft FILE starts one)";
        if (closest.empty())
            throw MappingMismatch("no mapping fits this workbook: none of the " + std::to_string(candidates.size()) +
                                  " mappings found any of its headers in it" + advice);
        throw MappingMismatch("no mapping fits this workbook; closest: " + closest + advice);
    }
    std::string weighed;
    for (std::size_t i = 0; i < fitting.size() && i < 3; ++i)
        weighed += (i ? ", " : "") + fitting[i]->mapping->name;
    throw MappingMismatch("several mappings fit this workbook equally well (" + weighed + "); choose one with -m");
}

Pipeline::Pipeline(PipelineOptions options, std::vector<Mapping> candidates, std::optional<Mapping> forced)
    : options_(std::move(options)),
      budget_(std::make_shared<MemoryBudget>(options_.memory_budget ? options_.memory_budget : default_memory_budget())),
      candidates_(std::move(candidates)),
      forced_(std::move(forced)) {
    if (!options_.previous.empty())
        previous_ = std::make_unique<PreviousReturns>(options_.previous, candidates_, forced_ ? &*forced_ : nullptr, options_.limits);
}

std::vector<SkippedPath> Pipeline::unusable_previous() const { return previous_ ? previous_->unusable() : std::vector<SkippedPath>{}; }

std::vector<std::filesystem::path> Pipeline::output_paths(const InputFile& input) const {
    std::vector<std::filesystem::path> out;
    if (options_.validate_only) return out;
    if (options_.write_workbook) out.push_back(output_base(input).concat(".cleaned.xlsx"));
    if (options_.write_xml) out.push_back(output_base(input).concat(".xml"));
    return out;
}

std::vector<std::string> Pipeline::mapping_names() const {
    if (forced_) return {forced_->name};
    std::vector<std::string> names;
    for (const Mapping& m : candidates_) names.push_back(m.name);
    return names;
}

void Pipeline::write_xml(const InputFile& input, const Document& doc, Date as_of) const {
    XmlWriteOptions xo;
    xo.as_of = as_of;
    xo.source = input.path.filename().string();
    write_document_xml(doc, output_base(input).concat(".xml"), xo);
}

void Pipeline::write_workbook(const InputFile& input, const Document& doc, Date as_of,
                              const std::vector<Finding>& findings, const PreviousReturn* previous, bool spare_core) const {
    CleanWorkbookOptions co;
    co.spare_core = spare_core;
    co.as_of = as_of;
    co.source_name = input.path.filename().string();
    std::vector<RecordChange> changes;  // --previous: the Changes sheet
    if (previous) {
        changes = changes_since(doc, *previous);
        co.changes = &changes;
        co.previous_name = previous->name;
    }
    write_clean_workbook(doc, findings, output_base(input).concat(".cleaned.xlsx"), co);
}

std::filesystem::path Pipeline::output_base(const InputFile& input) const { return options_.out_dir / input.output_stem; }

namespace {
// Any failure to write into `folder` becomes OutputsNotWritten, in plain words (exit 4, not 3).
template <class Write>
void write_into(const std::filesystem::path& folder, Write&& write) {
    try {
        write();
    } catch (const std::bad_alloc&) {
        throw;
    } catch (const std::exception& e) {
        throw OutputsNotWritten("its outputs could not be written: " + plain_write_reason(e, folder));
    }
}
}  // namespace

// Checks the document and writes its outputs. With a spare core the XML, which needs no
// findings, is written while the rules run and the cleaned workbook is written, and a big
// workbook's rows are prepared on a second thread while they are written.
void Pipeline::check_and_write(const InputFile& input, const Document& doc, const CheckContext& ctx, FileResult& r,
                               bool spare_core) const {
    const bool xml = !options_.validate_only && options_.write_xml;
    const bool book = !options_.validate_only && options_.write_workbook;
    const std::filesystem::path folder = output_base(input).parent_path();
    auto writing = [&](auto&& write) { write_into(folder, write); };
    if (xml || book) writing([&] { std::filesystem::create_directories(folder); });
    std::future<void> xml_done;
    if (xml && spare_core)
        xml_done = std::async(std::launch::async, [&] { writing([&] { write_xml(input, doc, ctx.as_of); }); });
    try {
        CheckContext c = ctx;
        if (spare_core && !xml_done.valid()) c.threads = 2;
        r.findings = check_document(doc, c);
        if (xml && !xml_done.valid()) writing([&] { write_xml(input, doc, ctx.as_of); });
        if (book) writing([&] { write_workbook(input, doc, ctx.as_of, r.findings, ctx.previous, spare_core); });
    } catch (...) {
        if (xml_done.valid()) xml_done.wait();  // the writer reads `doc`: it must finish first
        throw;
    }
    if (xml_done.valid()) xml_done.get();  // rethrows the XML writer's error
    if (xml) r.outputs["xml"] = output_base(input).concat(".xml").string();
    if (book) r.outputs["workbook"] = output_base(input).concat(".cleaned.xlsx").string();
    if (!options_.validate_only && options_.write_csv)
        writing([&] {
            for (const auto& [table, path] : write_tidy_csv(doc, output_base(input).concat(".xml"), TidyCsvOptions{options_.csv_bom}))
                r.outputs["csv:" + table] = path.string();
        });
}

namespace {

void mark_unwritten(FileResult& r, const std::string& why) {
    r.status = FileResult::Status::Failed;
    r.unwritten = true;
    r.error = why;
    r.outputs.clear();
    r.section_tallies.clear();
}

}  // namespace

void Pipeline::output_not_written(FileResult& r, const std::exception& e, const std::filesystem::path& file) const {
    std::erase_if(r.outputs, [&](const auto& output) { return output.second == file.string(); });
    if (r.unwritten) return;  // the first failure is the one to say
    auto written = std::move(r.outputs);
    mark_unwritten(r, "its outputs could not be written: " + plain_write_reason(e, file.parent_path()));
    r.outputs = std::move(written);
}

FileResult Pipeline::process(const InputFile& input, bool spare_core, std::optional<KeptDocument>* keep) const {
    FileResult r;
    r.input = input.path.string();
    if (!input.problem.empty()) {
        r.status = FileResult::Status::Failed;
        r.error = "cannot read it: " + input.problem;
        return r;
    }
    std::optional<MemoryBudget::Share> share;
    std::uint64_t need = 0;
    try {
        // The run's memory is shared: a file waits for room, or is refused when it alone is too big.
        need = estimated_read_memory(input.path, options_.limits);
        share = budget_->take(need);
        if (!share)
            throw ReadError("reading it needs about " + grouped(need >> 20) + " MB, more than the memory budget of " +
                            grouped(budget_->total() >> 20) + " MB (--memory-budget)");
        // The workbook is let go once mapped: the document holds all the rules and writers need.
        Document doc = [&] {
            Workbook wb = read_workbook(input.path, options_.limits);
            const Mapping& mapping = forced_ ? *forced_ : choose_mapping(wb, candidates_);
            r.mapping = mapping.name;
            return extract(wb, mapping);
        }();
        r.sections = doc.sections.size();
        for (const TableRecords& t : doc.tables) {
            if (!t.spec->main) continue;
            r.records += std::size_t(std::count_if(t.records.begin(), t.records.end(),
                                                   [](const Record& rec) { return rec.kind == RecordKind::Record; }));
        }
        PlanDates dates = plan_dates(doc);
        std::optional<Date> as_of = options_.as_of;
        r.as_of_source = "option";
        if (!as_of) {
            as_of = dates.as_of;
            r.as_of_source = "workbook";
        }
        if (!as_of) {
            as_of = Date::today();
            r.as_of_source = "today";
        }
        r.as_of = as_of->iso();
        CheckContext ctx{*as_of, dates.plan};
        ctx.as_of_is_today = r.as_of_source == "today";
        // --previous: last quarter's return, its records paired with these, for the PREV-* rules.
        std::optional<PreviousMatch> before;
        std::optional<PreviousReturn> paired;
        if (previous_) {
            before = previous_->find(input.path, doc);
            r.previous = before->file;
            r.previous_pairing = before->how;
            r.previous_problem = before->problem;
            if (before->doc) {
                paired = pair_with_previous(doc, *before->doc, std::filesystem::path(before->file).filename().string());
                r.previous_text_pairs = text_pairings(doc, *paired);
                ctx.previous = &*paired;
            }
        }
        check_and_write(input, doc, ctx, r, spare_core);
        FieldTyper typer(typing_context(dates));
        r.section_tallies = tally_sections(doc, r.findings, typer);
        r.status = FileResult::Status::Converted;
        if (!options_.validate_only && options_.write_feedback) {
            FeedbackPaths paths = feedback_paths(options_.out_dir, output_base(input).concat(".xml"));
            write_into(paths.html.parent_path(), [&] { write_feedback(r, paths); });
            r.outputs["feedback_html"] = paths.html.string();
            r.outputs["feedback_text"] = paths.text.string();
        }
        if (keep) keep->emplace(KeptDocument{std::move(doc), *as_of});
    } catch (const OutputsNotWritten& e) {
        mark_unwritten(r, e.what());
    } catch (const ReadError& e) {
        r.status = FileResult::Status::Failed;
        r.error = e.what();
    } catch (const MappingMismatch& e) {
        r.status = FileResult::Status::Failed;
        r.error = e.what();
    } catch (const std::bad_alloc&) {
        r.status = FileResult::Status::Failed;
        r.error = "the workbook needs more memory than planconv allows for one file";
    } catch (const std::exception& e) {
        r.status = FileResult::Status::Failed;
        r.error = std::string("planconv could not process it: ") + e.what();
    }
    if (share) {
        // The file's memory goes back to the system before its share goes back to the budget:
        // each worker's allocator arena would otherwise keep it, and -j N would hold N peaks.
        if (need >= kAllocatorKeepsBytes) ::malloc_trim(0);
        share.reset();
    }
    return r;
}

}  // namespace planconv
