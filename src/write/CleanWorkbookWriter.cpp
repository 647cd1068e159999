// CleanWorkbookWriter: plans every sheet (columns, names, widths), places each finding on the
// cleaned cell that carries its value, then writes the sheets top to bottom (libxlsxwriter's
// constant-memory mode needs rows in order, so every cell's look is known before it is written).
// A return's own workbook and a consolidated one are the same writer over one return or many.
#include "write/CleanWorkbookWriter.hpp"

#include "write/CleanCell.hpp"
#include "write/ChangesSheetWriter.hpp"
#include "write/FindingsSheetWriter.hpp"
#include "write/RagCells.hpp"
#include "write/SectionSummary.hpp"
#include "write/XlsxBook.hpp"
#include "mapping/FieldTyper.hpp"
#include "mapping/Mapping.hpp"
#include "mapping/PlanDates.hpp"
#include "mapping/TemplateText.hpp"
#include "parse/Text.hpp"

#include <xlsxwriter.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <unordered_map>

namespace planconv {

namespace {

constexpr double kMaxWidth = 60;
constexpr double kMinWidth = 6;
constexpr std::size_t kFilterButton = 3;  // characters the autofilter arrow covers
constexpr lxw_row_t kMaxDataRows = LXW_ROW_MAX - 1;


std::string now_utc() {
    std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::string_view kind_label(RecordKind k) {
    switch (k) {
    case RecordKind::Note: return "Note";
    case RecordKind::Total: return "Total";
    case RecordKind::Group: return "Group";
    case RecordKind::Record: break;
    }
    return "";
}

enum class What { Source, SectionId, SectionTitle, Group, RowKind, ParentId, SubId, Field, AsWritten, Due, Count };

struct PlannedColumn {
    What what = What::Field;
    std::size_t field = 0;       // Field, AsWritten, Due: index into TableSpec::columns
    std::string heading;
    std::size_t content = 0;     // characters of the longest content line seen
    double width = kMinWidth;
};

// One return in the workbook, with what its values are typed by.
struct Part {
    const Document* doc;
    const std::vector<Finding>* findings;
    std::string source;          // the input as shown to people
    std::optional<Date> as_of;   // the reporting date the checks used, when not the workbook's own
    const std::vector<RecordChange>* changes = nullptr;  // --previous: the Changes sheet's rows
    std::string previous_name;
    PlanDates dates;
    FieldTyper typer;
    std::unordered_map<std::string, const Section*> section_by_id;

    Part(const Document& d, const std::vector<Finding>& f, std::string src, std::optional<Date> a)
        : doc(&d), findings(&f), source(std::move(src)), as_of(a), dates(plan_dates(d)), typer(typing_context(dates)) {
        for (const Section& s : d.sections) section_by_id.emplace(s.id, &s);
    }
    std::optional<Date> reporting_date() const { return as_of ? as_of : dates.as_of; }
    const TableRecords& table(std::size_t ti) const { return doc->tables[ti]; }
};

// A row of a table sheet: a record (or sub-record, under its parent) of one return.
struct PlannedRow {
    std::uint32_t part = 0;
    const Record* rec = nullptr;
    const Record* parent = nullptr;
};

struct PlannedSheet {
    bool subrecords = false;
    std::size_t table = 0;       // index into Document::tables
    std::size_t index = 0;       // index into the writer's sheet names
    std::vector<PlannedColumn> columns;
    std::vector<int> field_column;  // TableSpec column -> its Field column here (-1: none)
    std::size_t parent_id_field = SIZE_MAX;  // subrecords: the parent's id column
    std::vector<PlannedRow> records;  // every return's, in order
    std::uint32_t rows = 0;           // those written (a sheet holds a little over a million)
};

// A line of the About sheet: an item, its value (text or a date) and where it was read.
struct AboutLine {
    std::string item, value, from;
    std::optional<Date> date;     // written as a date instead of `value`
    bool shown_date = false;      // a date line (blank when `date` is unknown)
    std::uint32_t part = 0;
    const Fact* fact = nullptr;   // a plan fact: findings on its cell land on the value
};

// One cell of a row, ready to write: its value and its look before any finding's highlight.
struct ReadyCell {
    enum class Kind : std::uint8_t {
        Text,       // written
        Number,     // written
        EmptyText,  // a text that came out empty: written (blank) only under a finding
        Blank,      // no value: written only under a finding, plain
    };
    Kind kind = Kind::Blank;
    std::string text;  // Text: made safe for a cell
    double number = 0;
    CellStyle style;
};

struct ReadyRow {
    std::size_t lines = 1;  // of its longest wrapped text: the row's height
    std::vector<ReadyCell> cells;
};

// A sheet's rows prepared on a second thread while this one writes them. Preparing (typing,
// cleaning, measuring every value) is about half of a big sheet's cost and touches nothing of
// libxlsxwriter's, whose calls stay on this thread, in row order. The preparer runs at most
// kChunksAhead chunks ahead, so memory stays flat. Returns false, having done nothing, when no
// thread can be started; rethrows what preparing threw.
constexpr std::uint32_t kRowsWorthAThread = 4096;

template <class Prepare, class Write>
bool rows_prepared_ahead(std::uint32_t rows, Prepare&& prepare, Write&& write) {
    constexpr std::uint32_t kChunk = 256;
    constexpr std::size_t kChunksAhead = 8;
    std::mutex m;
    std::condition_variable changed;
    std::deque<std::vector<ReadyRow>> ready, spare;  // chunks in row order; emptied ones to reuse
    bool stop = false, finished = false;
    std::exception_ptr failure;
    auto preparer = [&] {
        try {
            for (std::uint32_t first = 0; first < rows; first += kChunk) {
                std::vector<ReadyRow> chunk;
                {
                    std::unique_lock lock(m);
                    changed.wait(lock, [&] { return stop || ready.size() < kChunksAhead; });
                    if (stop) return;
                    if (!spare.empty()) {
                        chunk = std::move(spare.front());
                        spare.pop_front();
                    }
                }
                chunk.resize(std::min(kChunk, rows - first));
                for (std::uint32_t i = 0; i < chunk.size(); ++i) prepare(first + i, chunk[i]);
                std::lock_guard lock(m);
                ready.push_back(std::move(chunk));
                changed.notify_all();
            }
        } catch (...) {
            std::lock_guard lock(m);
            failure = std::current_exception();
        }
        std::lock_guard lock(m);
        finished = true;
        changed.notify_all();
    };
    std::thread thread;
    try {
        thread = std::thread(preparer);
    } catch (const std::system_error&) {
        return false;
    }
    struct Joined {  // the preparer reads what the caller owns: it ends before they do
        std::thread& t;
        std::mutex& m;
        std::condition_variable& changed;
        bool& stop;
        ~Joined() {
            {
                std::lock_guard lock(m);
                stop = true;
            }
            changed.notify_all();
            t.join();
        }
    } joined{thread, m, changed, stop};
    for (std::uint32_t first = 0; first < rows; first += kChunk) {
        std::vector<ReadyRow> chunk;
        {
            std::unique_lock lock(m);
            changed.wait(lock, [&] { return !ready.empty() || finished; });
            if (ready.empty()) {
                if (failure) std::rethrow_exception(failure);
                throw std::logic_error("rows prepared ahead: the preparer ended early");
            }
            chunk = std::move(ready.front());
            ready.pop_front();
            changed.notify_all();
        }
        for (std::uint32_t i = 0; i < chunk.size(); ++i) write(first + i, chunk[i]);
        std::lock_guard lock(m);
        spare.push_back(std::move(chunk));
    }
    return true;
}

// A cleaned cell some findings point at.
struct Highlight {
    Severity severity = Severity::Info;
    std::string comment;
};

std::uint64_t cell_key(std::size_t sheet, std::uint32_t row, std::uint32_t col) {
    return (std::uint64_t(sheet) << 40) | (std::uint64_t(row) << 14) | col;
}

class CleanWriter {
public:
    // `consolidation`: the --consolidate NAME of a consolidated workbook; "" for one return's.
    CleanWriter(const Mapping& mapping, std::vector<Part> parts, std::string consolidation, std::string generated,
                XlsxBook& book, bool prepare_ahead)
        : mapping_(mapping), parts_(std::move(parts)), consolidation_(std::move(consolidation)),
          consolidated_(!consolidation_.empty()), generated_(generated.empty() ? now_utc() : std::move(generated)),
          book_(book), prepare_ahead_(prepare_ahead) {
        for (const Part& p : parts_)
            any_section_title_ = any_section_title_ || std::any_of(p.doc->sections.begin(), p.doc->sections.end(),
                                                                   [](const Section& s) { return !s.title.empty(); });
        if (!consolidated_) {
            findings_ = parts_.front().findings;
            finding_offset_.push_back(0);
            return;
        }
        // One Findings sheet for every return, each finding with the return it is about.
        for (std::size_t p = 0; p < parts_.size(); ++p) {
            finding_offset_.push_back(merged_findings_.size());
            merged_findings_.insert(merged_findings_.end(), parts_[p].findings->begin(), parts_[p].findings->end());
            finding_sources_.insert(finding_sources_.end(), parts_[p].findings->size(), parts_[p].source);
        }
        findings_ = &merged_findings_;
    }

    void write() {
        plan();
        locate();
        write_summary();
        for (PlannedSheet& s : sheets_) write_records(s);
        if (sections_sheet_) write_sections();
        if (changes_sheet_) write_changes_sheet(book_, worksheet_[*changes_sheet_], *parts_.front().changes, parts_.front().previous_name);
        write_findings_sheet(book_, worksheet_[findings_sheet_], *findings_, targets_, consolidated_ ? &finding_sources_ : nullptr);
        write_about();
        print_layout();
        properties();
    }

private:
    // ---- plan ---------------------------------------------------------------------------

    void plan() {
        // Fixed names first, so that no table can take them.
        summary_sheet_ = add_name("Summary");
        findings_sheet_ = add_name("Findings");
        about_sheet_ = add_name("About");
        if (!consolidated_ && parts_.front().changes) changes_sheet_ = add_name("Changes");
        for (std::size_t ti = 0; ti < parts_.front().doc->tables.size(); ++ti) {
            bool found = std::any_of(parts_.begin(), parts_.end(), [&](const Part& p) {
                return !p.table(ti).records.empty() || !p.table(ti).header_texts.empty();
            });
            if (!found) continue;
            sheets_.push_back(plan_records(ti));
            if (spec(ti).subrecords && std::any_of(parts_.begin(), parts_.end(), [&](const Part& p) { return has_subrecords(p.table(ti)); }))
                sheets_.push_back(plan_subrecords(ti));
        }
        if (mapping_.sections.kind != SectionSpec::Kind::None &&
            std::any_of(parts_.begin(), parts_.end(), [](const Part& p) { return !p.doc->sections.empty(); }))
            sections_sheet_ = add_name(plural_name(mapping_.sections.element));
        plan_about();
        // Worksheets in reading order: the committee summary, tables, sections, changes, findings, about.
        worksheet_.assign(names_.size(), nullptr);
        worksheet_[summary_sheet_] = book_.add_reserved_sheet(names_[summary_sheet_]);
        for (PlannedSheet& s : sheets_) worksheet_[s.index] = book_.add_reserved_sheet(names_[s.index]);
        if (sections_sheet_) worksheet_[*sections_sheet_] = book_.add_reserved_sheet(names_[*sections_sheet_]);
        if (changes_sheet_) worksheet_[*changes_sheet_] = book_.add_reserved_sheet(names_[*changes_sheet_]);
        worksheet_[findings_sheet_] = book_.add_reserved_sheet(names_[findings_sheet_]);
        worksheet_[about_sheet_] = book_.add_reserved_sheet(names_[about_sheet_]);
    }

    std::size_t add_name(const std::string& wanted) {
        names_.push_back(book_.reserve_sheet_name(wanted));
        return names_.size() - 1;
    }

    const TableSpec& spec(std::size_t ti) const { return *parts_.front().table(ti).spec; }

    static bool has_subrecords(const TableRecords& tr) {
        return std::any_of(tr.records.begin(), tr.records.end(), [](const Record& r) { return !r.subrecords.empty(); });
    }

    // The return whose headers name a table's columns: the first that found the table's header.
    const Part& header_part(std::size_t ti) const {
        for (const Part& p : parts_)
            if (!p.table(ti).header_texts.empty()) return p;
        return parts_.front();
    }

    // The column's heading: its title with the plan's facts filled in; else (a title still
    // asking for something, or none) the header the return used; else the field's name.
    std::string heading(std::size_t ti, std::size_t ci) const {
        const Part& part = header_part(ti);
        const TableRecords& tr = part.table(ti);
        const ColumnSpec& c = tr.spec->columns[ci];
        if (!c.title.empty()) {
            std::string filled = fill_template_text(c.title, [&](std::string_view name) -> std::optional<std::string> {
                if (const Fact* f = part.doc->fact(name)) return f->raw;
                return std::nullopt;
            });
            bool complete = filled.find('[') == std::string::npos;
            if (complete || ci >= tr.header_texts.size() || trim(tr.header_texts[ci]).empty()) return filled;
        }
        if (ci < tr.header_texts.size()) {
            std::string found = normalise_text(tr.header_texts[ci]);
            if (!found.empty()) return found;
        }
        return humanise_name(c.field);
    }

    // Mapping order, except that a derived id ("1" out of "1) Raise…") comes before its source.
    static std::vector<std::size_t> field_order(const TableSpec& t) {
        std::vector<std::size_t> order;
        std::vector<bool> placed(t.columns.size(), false);
        for (std::size_t ci = 0; ci < t.columns.size(); ++ci) {
            if (placed[ci]) continue;
            for (std::size_t di = 0; di < t.columns.size(); ++di)
                if (!placed[di] && t.columns[di].derive_from == t.columns[ci].field && t.columns[di].type == FieldType::Id) {
                    order.push_back(di);
                    placed[di] = true;
                }
            if (!placed[ci]) {
                order.push_back(ci);
                placed[ci] = true;
            }
        }
        return order;
    }

    // A consolidated workbook's leading column: the return each row came from.
    PlannedColumn source_column() const {
        PlannedColumn source{What::Source, 0, "Source", 0, kMinWidth};
        for (const Part& p : parts_) source.content = std::max(source.content, longest_line(p.source));
        return source;
    }

    void add_context_columns(PlannedSheet& s) {
        if (consolidated_) s.columns.push_back(source_column());
        if (mapping_.sections.kind == SectionSpec::Kind::None) return;
        std::string section = humanise_name(mapping_.sections.element);
        PlannedColumn id{What::SectionId, 0, section, 0, kMinWidth};
        for (const PlannedRow& r : s.records) id.content = std::max(id.content, longest_line(r.rec->section));
        s.columns.push_back(id);
        if (any_section_title_) {
            PlannedColumn title{What::SectionTitle, 0, section + " title", 0, kMinWidth};
            for (const Part& p : parts_)
                for (const Section& sec : p.doc->sections) title.content = std::max(title.content, longest_line(sec.title));
            s.columns.push_back(title);
        }
    }

    // Field columns with their companions, sized from the values they will hold.
    void add_field_columns(PlannedSheet& s, const std::vector<std::size_t>& fields) {
        const TableSpec& t = spec(s.table);
        s.field_column.assign(t.columns.size(), -1);
        for (std::size_t ci : fields) {
            const ColumnSpec& c = t.columns[ci];
            PlannedColumn field{What::Field, ci, heading(s.table, ci), 0, kMinWidth};
            PlannedColumn written{What::AsWritten, ci, field.heading + " (as written)", 0, kMinWidth};
            PlannedColumn due{What::Due, ci, field.heading + " (due date)", 11, kMinWidth};
            bool any_written = false, any_due = false;
            for (const PlannedRow& row : s.records) {
                const Record* r = row.rec;
                if (ci >= r->values.size() || !r->values[ci].present) continue;
                const FieldValue& v = r->values[ci];
                if (keeps_text_as_written(c.type) || c.type == FieldType::Timescale) {
                    CleanCell cell = clean_cell(c, v, parts_[row.part].typer);
                    field.content = std::max(field.content, longest_line(cell.display));
                    if (!cell.as_written.empty()) {
                        any_written = true;
                        written.content = std::max(written.content, longest_line(cell.as_written));
                    }
                    any_due = any_due || cell.due.has_value();
                } else {
                    // Text is typed only when written: its raw length bounds its width well enough.
                    field.content = std::max(field.content, std::min<std::size_t>(longest_line(v.raw()), std::size_t(kMaxWidth)));
                }
            }
            s.field_column[ci] = int(s.columns.size());
            s.columns.push_back(std::move(field));
            if (any_written) s.columns.push_back(std::move(written));
            if (any_due) s.columns.push_back(std::move(due));
        }
    }

    static void size_columns(PlannedSheet& s) {
        for (PlannedColumn& c : s.columns) {
            std::size_t want = std::max(c.content, longest_line(c.heading) + kFilterButton) + 1;
            c.width = std::clamp(double(want), kMinWidth, kMaxWidth);
        }
    }

    PlannedSheet plan_records(std::size_t ti) {
        PlannedSheet s;
        s.table = ti;
        s.index = add_name(humanise_name(spec(ti).name));
        for (std::size_t p = 0; p < parts_.size(); ++p)
            for (const Record& r : parts_[p].table(ti).records) s.records.push_back({std::uint32_t(p), &r, nullptr});
        add_context_columns(s);
        if (std::any_of(s.records.begin(), s.records.end(), [](const PlannedRow& r) { return !r.rec->group.empty(); })) {
            PlannedColumn group{What::Group, 0, "Group", 0, kMinWidth};
            for (const PlannedRow& r : s.records) group.content = std::max(group.content, longest_line(r.rec->group));
            s.columns.push_back(group);
        }
        if (std::any_of(s.records.begin(), s.records.end(), [](const PlannedRow& r) { return r.rec->kind != RecordKind::Record; }))
            s.columns.push_back({What::RowKind, 0, "Row type", 5, kMinWidth});
        add_field_columns(s, field_order(spec(ti)));
        s.rows = std::uint32_t(std::min<std::size_t>(s.records.size(), kMaxDataRows));
        size_columns(s);
        return s;
    }

    PlannedSheet plan_subrecords(std::size_t ti) {
        const TableSpec& t = spec(ti);
        PlannedSheet s;
        s.subrecords = true;
        s.table = ti;
        s.index = add_name(plural_name(t.subrecords->element));
        for (std::size_t p = 0; p < parts_.size(); ++p)
            for (const Record& r : parts_[p].table(ti).records)
                for (const Record& sub : r.subrecords) s.records.push_back({std::uint32_t(p), &sub, &r});
        add_context_columns(s);
        for (std::size_t ci = 0; ci < t.columns.size() && s.parent_id_field == SIZE_MAX; ++ci)
            if (t.columns[ci].type == FieldType::Id) s.parent_id_field = ci;
        PlannedColumn parent{What::ParentId, 0, s.parent_id_field == SIZE_MAX ? "Parent" : heading(ti, s.parent_id_field), 0, kMinWidth};
        PlannedColumn own{What::SubId, 0, humanise_name(t.subrecords->element), 0, kMinWidth};
        for (const PlannedRow& row : s.records) {
            if (s.parent_id_field != SIZE_MAX && s.parent_id_field < row.parent->values.size())
                parent.content = std::max(parent.content, longest_line(row.parent->values[s.parent_id_field].raw()));
            own.content = std::max(own.content, longest_line(row.rec->group));
        }
        s.columns.push_back(parent);
        s.columns.push_back(own);
        std::vector<std::size_t> fields;
        for (std::size_t ci = 0; ci < t.columns.size(); ++ci)
            if (std::any_of(s.records.begin(), s.records.end(),
                            [&](const PlannedRow& row) { return ci < row.rec->values.size() && row.rec->values[ci].present; }))
                fields.push_back(ci);
        add_field_columns(s, fields);
        s.rows = std::uint32_t(std::min<std::size_t>(s.records.size(), kMaxDataRows));
        size_columns(s);
        return s;
    }

    // The About sheet: the plan facts and where the workbook came from — for a consolidated
    // workbook the consolidation first, then the same lines for each return merged.
    void plan_about() {
        auto line = [&](std::string item, std::string value) { about_.push_back({std::move(item), std::move(value), "", {}, false, 0, nullptr}); };
        std::string mapping = mapping_.name + (mapping_.description.empty() ? "" : " \u2014 " + mapping_.description);
        auto written = [&] {
            line("Generated", generated_);
            line("Written by", std::string("planconv ") + PLANCONV_VERSION);
        };
        if (!consolidated_) {
            plan_about_return(0, false, mapping);
            written();
            return;
        }
        std::size_t sections = 0, records = 0;
        for (const Part& p : parts_) {
            sections += p.doc->sections.size();
            records += record_count(p);
        }
        line("Consolidation", consolidation_);
        line("Mapping", mapping);
        line("Returns merged", std::to_string(parts_.size()));
        line("Sections", std::to_string(sections));
        line("Records", std::to_string(records));
        line("Findings", findings_summary(*findings_));
        written();
        for (std::uint32_t p = 0; p < parts_.size(); ++p) {
            line("", "");  // a blank row before each return
            plan_about_return(p, true, mapping);
        }
    }

    // One return's lines: its facts, source, reporting date and what was found in it.
    void plan_about_return(std::uint32_t p, bool consolidated, const std::string& mapping) {
        const Part& part = parts_[p];
        auto line = [&](std::string item, std::string value) { about_.push_back({std::move(item), std::move(value), "", {}, false, p, nullptr}); };
        if (consolidated) line("Source file", part.source);
        std::vector<const Fact*> facts;
        for (const FactSpec& spec : mapping_.facts)
            if (const Fact* f = part.doc->fact(spec.name); f && std::find(facts.begin(), facts.end(), f) == facts.end()) {
                facts.push_back(f);
                about_.push_back({humanise_name(f->name), f->raw, f->where.a1(), {}, false, p, f});
            }
        if (!consolidated) {
            line("Source file", part.source);
            line("Mapping", mapping);
        }
        about_.push_back({"Reporting date used", "", "", part.reporting_date(), true, p, nullptr});
        line("Sections", std::to_string(part.doc->sections.size()));
        line("Records", std::to_string(record_count(part)));
        line("Findings", findings_summary(*part.findings));
    }

    static std::string findings_summary(const std::vector<Finding>& findings) {
        std::size_t counts[3] = {0, 0, 0};
        for (const Finding& f : findings) counts[std::size_t(f.severity)] += f.count;
        return std::to_string(counts[2]) + " errors, " + std::to_string(counts[1]) + " warnings, " + std::to_string(counts[0]) +
               " infos (see the Findings sheet)";
    }

    static std::size_t record_count(const Part& part) {
        std::size_t n = 0;
        for (const TableRecords& t : part.doc->tables)
            if (t.spec->main)
                n += std::size_t(std::count_if(t.records.begin(), t.records.end(), [](const Record& r) { return r.kind == RecordKind::Record; }));
        return n;
    }

    // ---- locate: each finding's cleaned cell ---------------------------------------------

    // The first column of the sections sheet after the source: the section id.
    std::uint32_t section_column() const { return consolidated_ ? 1 : 0; }

    void locate() {
        const std::vector<Finding>& findings = *findings_;
        targets_.assign(findings.size(), std::nullopt);
        std::vector<std::optional<CellRef>> source(findings.size());
        // (return, source sheet, source row) -> the findings on that row
        std::map<std::tuple<std::uint32_t, std::string, std::uint32_t>, std::vector<std::size_t>> by_row;
        for (std::uint32_t p = 0; p < parts_.size(); ++p)
            for (std::size_t i = finding_offset_[p]; i < finding_offset_[p] + parts_[p].findings->size(); ++i) {
                const Finding& f = findings[i];
                if (f.sheet.empty() || f.cell.empty()) continue;
                std::optional<CellRef> at = CellRef::parse(f.cell);
                if (!at)
                    if (auto range = CellRange::parse(f.cell)) at = range->first;
                if (!at) continue;
                source[i] = at;
                by_row[{p, f.sheet, at->row}].push_back(i);
            }
        if (by_row.empty()) return;
        auto place = [&](std::size_t i, std::size_t sheet, std::uint32_t row, std::uint32_t col) {
            if (targets_[i]) return;
            targets_[i] = CleanCellRef{names_[sheet], row, col};
            Highlight& h = highlights_[cell_key(sheet, row, col)];
            h.severity = h.comment.empty() ? findings[i].severity : std::max(h.severity, findings[i].severity);
            if (!h.comment.empty()) h.comment += "\n";
            h.comment += finding_comment_line(findings[i]);
        };
        auto on_row = [&](std::uint32_t p, const SourceRef& where) -> const std::vector<std::size_t>* {
            auto it = by_row.find({p, where.sheet, where.cell.row});
            return it == by_row.end() ? nullptr : &it->second;
        };

        // Sub-records first: a finding that names one ("8.6.3", or "3.2.A" for marker A of 3.2)
        // lands on its row of the sub-records sheet rather than on the parent's cell.
        for (const PlannedSheet& s : sheets_) {
            if (!s.subrecords) continue;
            for (std::uint32_t k = 0; k < s.rows; ++k) {
                const PlannedRow& row = s.records[k];
                const Record& parent = *row.parent;
                const std::string& marker = row.rec->group;
                if (marker.empty()) continue;
                std::string parent_id;
                if (s.parent_id_field < parent.values.size()) {
                    parent_id = std::string(trim(parent.values[s.parent_id_field].raw()));
                    while (!parent_id.empty() && parent_id.back() == '.') parent_id.pop_back();
                }
                // "B" of action 2 in priority 3 is named "3.2.B": its parent's id, perhaps under the
                // section's, then the marker.
                const std::string tail = parent_id + "." + marker;
                auto names_it = [&](const std::string& record) {
                    if (record == marker) return true;
                    if (parent_id.empty() || record.size() < tail.size()) return false;
                    std::size_t at = record.size() - tail.size();
                    return record.compare(at, tail.size(), tail) == 0 && (at == 0 || record[at - 1] == '.');
                };
                for (std::uint32_t r = parent.first_row; r <= parent.last_row; ++r)
                    if (const auto* found = on_row(row.part, {parent.sheet, CellRef{r, 0}}))
                        for (std::size_t i : *found)
                            if (!targets_[i] && names_it(findings[i].record))
                                place(i, s.index, k + 1,
                                      column_for(s, parts_[row.part].table(s.table), *row.rec, *source[i]));
            }
        }
        // Records: the finding's row lies within a record's rows (continuations included).
        for (const PlannedSheet& s : sheets_) {
            if (s.subrecords) continue;
            for (std::uint32_t k = 0; k < s.rows; ++k) {
                const PlannedRow& row = s.records[k];
                const Record& rec = *row.rec;
                for (std::uint32_t r = rec.first_row; r <= rec.last_row; ++r)
                    if (const auto* found = on_row(row.part, {rec.sheet, CellRef{r, 0}}))
                        for (std::size_t i : *found)
                            if (!targets_[i]) place(i, s.index, k + 1, column_for(s, parts_[row.part].table(s.table), rec, *source[i]));
            }
        }
        // Headers of the tables.
        for (const PlannedSheet& s : sheets_) {
            if (s.subrecords) continue;
            for (std::uint32_t p = 0; p < parts_.size(); ++p) {
                const TableRecords& tr = parts_[p].table(s.table);
                for (std::size_t ci = 0; ci < tr.header_cells.size(); ++ci) {
                    const SourceRef& h = tr.header_cells[ci];
                    if (h.sheet.empty() || s.field_column[ci] < 0) continue;
                    if (const auto* found = on_row(p, h))
                        for (std::size_t i : *found)
                            if (*source[i] == h.cell) place(i, s.index, 0, std::uint32_t(s.field_column[ci]));
                }
            }
        }
        // Sections and their claims (whole rows: the statement is merged across the table).
        if (sections_sheet_) {
            std::uint32_t row = 0;
            for (std::uint32_t p = 0; p < parts_.size(); ++p)
                for (const Section& sec : parts_[p].doc->sections) {
                    if (++row > kMaxDataRows) break;
                    auto at_row = [&](const SourceRef& where, std::uint32_t col) {
                        if (const auto* found = on_row(p, where))
                            for (std::size_t i : *found) place(i, *sections_sheet_, row, col);
                    };
                    for (const Claim& c : sec.claims) at_row(c.where, claim_column(c.name));
                    at_row(sec.where, section_column());
                }
        }
        // Plan facts, on the About sheet.
        for (std::size_t k = 0; k < about_.size(); ++k) {
            const AboutLine& line = about_[k];
            if (!line.fact) continue;
            if (const auto* found = on_row(line.part, line.fact->where))
                for (std::size_t i : *found)
                    if (*source[i] == line.fact->where.cell) place(i, about_sheet_, std::uint32_t(k + 1), 1);
        }
    }

    // The sheet column of a record's cell a finding names: the field read from that very cell,
    // else the field of that sheet column, else the record's first field.
    static std::uint32_t column_for(const PlannedSheet& s, const TableRecords& tr, const Record& rec, CellRef at) {
        auto col_of = [&](std::size_t ci) { return ci < s.field_column.size() ? s.field_column[ci] : -1; };
        for (std::size_t ci = 0; ci < rec.values.size(); ++ci)
            if (rec.values[ci].present && rec.values[ci].cell == at && col_of(ci) >= 0) return std::uint32_t(col_of(ci));
        for (std::size_t ci = 0; ci < tr.header_cells.size(); ++ci)
            if (!tr.header_cells[ci].sheet.empty() && tr.header_cells[ci].cell.col == at.col && col_of(ci) >= 0 &&
                tr.spec->columns[ci].derive_from.empty())
                return std::uint32_t(col_of(ci));
        for (std::size_t ci = 0; ci < rec.values.size(); ++ci)
            if (rec.values[ci].present && rec.values[ci].cell.col == at.col && col_of(ci) >= 0) return std::uint32_t(col_of(ci));
        for (std::size_t c = 0; c < s.columns.size(); ++c)
            if (s.columns[c].what == What::Field) return std::uint32_t(c);
        return 0;
    }

    // ---- write --------------------------------------------------------------------------

    CellStyle header_style() const { return cleaned_header_style(); }

    lxw_format* styled(std::size_t sheet, std::uint32_t row, std::uint32_t col, CellStyle st, const Highlight** hl) {
        auto it = highlights_.find(cell_key(sheet, row, col));
        *hl = it == highlights_.end() ? nullptr : &it->second;
        if (*hl) {
            CellStyle sev = severity_style((*hl)->severity);
            st.fill = sev.fill;
            st.border = sev.border;
            st.font_colour.reset();
        }
        return book_.format(st);
    }

    void comment(lxw_worksheet* ws, std::uint32_t row, std::uint32_t col, const Highlight* hl) {
        if (!hl) return;
        std::string text = safe_cell_text(hl->comment);
        lxw_comment_options o{};
        o.author = const_cast<char*>("planconv");
        o.width = 360;
        o.height = std::uint16_t(std::min<std::size_t>(400, 24 + 15 * wrapped_lines(text, 52)));
        check_lxw(worksheet_write_comment_opt(ws, row, lxw_col_t(col), text.c_str(), &o), "a finding's comment");
    }

    // A cell's value and look, made ready on any thread; written (with its finding's highlight)
    // on the writing thread.
    static void ready_text(ReadyCell& out, std::string_view text, CellStyle st) {
        if (st.align == CellStyle::Align::General) st.align = CellStyle::Align::Left;
        out.text = safe_cell_text(text);
        // Always a string: text beginning with '=' or '+' stays text, never a formula.
        out.kind = out.text.empty() ? ReadyCell::Kind::EmptyText : ReadyCell::Kind::Text;
        out.style = std::move(st);
    }

    static void ready_number(ReadyCell& out, double v, CellStyle st) {
        st.align = CellStyle::Align::Right;
        out.kind = ReadyCell::Kind::Number;
        out.number = v;
        out.style = std::move(st);
    }

    static void ready_blank(ReadyCell& out) {
        ready_text(out, "", CellStyle{});
        out.kind = ReadyCell::Kind::Blank;
    }

    static void ready_clean(ReadyCell& out, const CleanCell& c, bool strong) {
        CellStyle st;
        st.bold = strong;
        switch (c.kind) {
        case CleanCellKind::Blank: ready_blank(out); return;
        case CleanCellKind::Text:
            st.wrap = true;
            if (c.rag) {
                st.fill = rag_look(*c.rag).fill;
                st.font_colour = rag_look(*c.rag).font;
            }
            ready_text(out, c.text, std::move(st));
            return;
        case CleanCellKind::Number:
        case CleanCellKind::Date:
            st.num_format = c.num_format;
            ready_number(out, c.number, std::move(st));
            return;
        }
    }

    // A blank cell is written only when a finding lands on it.
    void write_ready(std::size_t sheet, std::uint32_t row, std::uint32_t col, const ReadyCell& cell) {
        if (cell.kind == ReadyCell::Kind::Blank && !highlights_.count(cell_key(sheet, row, col))) return;
        lxw_worksheet* ws = worksheet_[sheet];
        const Highlight* hl = nullptr;
        lxw_format* f = styled(sheet, row, col, cell.style, &hl);
        switch (cell.kind) {
        case ReadyCell::Kind::Text: check_lxw(worksheet_write_string(ws, row, lxw_col_t(col), cell.text.c_str(), f), "a cell"); break;
        case ReadyCell::Kind::Number: check_lxw(worksheet_write_number(ws, row, lxw_col_t(col), cell.number, f), "a cell"); break;
        case ReadyCell::Kind::EmptyText:
        case ReadyCell::Kind::Blank:
            if (hl) check_lxw(worksheet_write_blank(ws, row, lxw_col_t(col), f), "a cell");
            break;
        }
        comment(ws, row, col, hl);
    }

    void put_text(std::size_t sheet, std::uint32_t row, std::uint32_t col, std::string_view text, CellStyle st) {
        ReadyCell cell;
        ready_text(cell, text, std::move(st));
        write_ready(sheet, row, col, cell);
    }

    void put_number(std::size_t sheet, std::uint32_t row, std::uint32_t col, double v, CellStyle st) {
        ReadyCell cell;
        ready_number(cell, v, std::move(st));
        write_ready(sheet, row, col, cell);
    }

    void header_row(const PlannedSheet& s) {
        lxw_worksheet* ws = worksheet_[s.index];
        for (std::size_t c = 0; c < s.columns.size(); ++c) {
            check_lxw(worksheet_set_column(ws, lxw_col_t(c), lxw_col_t(c), s.columns[c].width, nullptr), "a column width");
            put_text(s.index, 0, std::uint32_t(c), s.columns[c].heading, header_style());
        }
        std::vector<std::string_view> headings;
        for (const PlannedColumn& c : s.columns) headings.push_back(c.heading);
        row_height(s, 0, headings);
        worksheet_freeze_panes(ws, 1, 0);
    }

    // Lines of the longest wrapped text of a row: its height (Excel does not grow rows of files
    // it did not lay out itself).
    static std::size_t row_lines(const PlannedSheet& s, const std::vector<std::string_view>& texts) {
        std::size_t lines = 1;
        for (std::size_t c = 0; c < texts.size() && c < s.columns.size(); ++c)
            if (!texts[c].empty()) lines = std::max(lines, wrapped_lines(texts[c], s.columns[c].width));
        return lines;
    }

    // Set before the row's cells.
    void row_height(const PlannedSheet& s, std::uint32_t row, std::size_t lines) {
        if (lines > 1) check_lxw(worksheet_set_row(worksheet_[s.index], row, row_height_for(lines), nullptr), "a row height");
    }

    void row_height(const PlannedSheet& s, std::uint32_t row, const std::vector<std::string_view>& texts) {
        row_height(s, row, row_lines(s, texts));
    }

    // A record's row made ready: every cell typed, cleaned and measured. Touches nothing of
    // libxlsxwriter's nor of the findings', so it may run on another thread than the writing.
    void prepare_row(const PlannedSheet& s, const PlannedRow& planned, ReadyRow& out) {
        const TableSpec& t = spec(s.table);
        Part& part = parts_[planned.part];
        const Record& rec = *planned.rec;
        const Record* parent = planned.parent;
        std::vector<CleanCell> cells(t.columns.size());
        std::vector<bool> done(t.columns.size(), false);
        auto cell = [&](std::size_t ci) -> const CleanCell& {
            if (!done[ci]) {
                if (ci < rec.values.size()) cells[ci] = clean_cell(t.columns[ci], rec.values[ci], part.typer);
                done[ci] = true;
            }
            return cells[ci];
        };
        std::string section_title;
        if (auto it = part.section_by_id.find(rec.section); it != part.section_by_id.end()) section_title = it->second->title;
        std::string parent_id;
        if (parent && s.parent_id_field < parent->values.size()) {
            CleanCell p = clean_cell(t.columns[s.parent_id_field], parent->values[s.parent_id_field], part.typer);
            parent_id = p.kind == CleanCellKind::Text ? p.text : std::string(trim(parent->values[s.parent_id_field].raw()));
        }
        std::vector<std::string_view> texts(s.columns.size());
        for (std::size_t c = 0; c < s.columns.size(); ++c) {
            const PlannedColumn& pc = s.columns[c];
            switch (pc.what) {
            case What::Source: texts[c] = part.source; break;
            case What::SectionId: texts[c] = rec.section; break;
            case What::SectionTitle: texts[c] = section_title; break;
            case What::Group: texts[c] = rec.group; break;
            case What::RowKind: texts[c] = kind_label(rec.kind); break;
            case What::ParentId: texts[c] = parent_id; break;
            case What::SubId: texts[c] = rec.group; break;
            case What::Field:
                if (cell(pc.field).kind == CleanCellKind::Text) texts[c] = cells[pc.field].text;
                break;
            case What::AsWritten: texts[c] = cell(pc.field).as_written; break;
            case What::Due:
            case What::Count: break;
            }
        }
        out.lines = row_lines(s, texts);
        out.cells.resize(s.columns.size());
        // Totals and group headings stand out as they did in the return.
        bool strong = rec.kind == RecordKind::Total || rec.kind == RecordKind::Group;
        CellStyle plain;
        plain.wrap = true;
        plain.bold = strong;
        for (std::size_t c = 0; c < s.columns.size(); ++c) {
            const PlannedColumn& pc = s.columns[c];
            ReadyCell& rc = out.cells[c];
            switch (pc.what) {
            case What::Field: ready_clean(rc, cell(pc.field), strong); break;
            case What::Due:
                if (const CleanCell& cc = cell(pc.field); cc.due) {
                    CellStyle st;
                    st.num_format = kDateFormat;
                    ready_number(rc, cc.due->excel_serial(), std::move(st));
                } else {
                    ready_blank(rc);
                }
                break;
            case What::RowKind: {
                CellStyle st = plain;
                st.italic = true;
                ready_text(rc, texts[c], std::move(st));
                break;
            }
            default: ready_text(rc, texts[c], plain); break;
            }
        }
    }

    void write_row(const PlannedSheet& s, std::uint32_t row, const ReadyRow& ready) {
        row_height(s, row, ready.lines);
        for (std::size_t c = 0; c < ready.cells.size(); ++c) write_ready(s.index, row, std::uint32_t(c), ready.cells[c]);
    }

    // RAG columns: the colour follows the value when a clerk changes it, and a drop-down offers
    // the canonical values.
    void rag_columns(const PlannedSheet& s) {
        const TableSpec& t = spec(s.table);
        std::uint32_t last = std::max<std::uint32_t>(1, s.rows);
        for (std::size_t c = 0; c < s.columns.size(); ++c) {
            const PlannedColumn& pc = s.columns[c];
            if (pc.what == What::Field && t.columns[pc.field].type == FieldType::Rag)
                add_rag_column(book_, worksheet_[s.index], 1, std::uint32_t(c), last);
        }
    }

    void write_records(PlannedSheet& s) {
        header_row(s);
        bool written = prepare_ahead_ && s.rows >= kRowsWorthAThread &&
                       rows_prepared_ahead(s.rows, [&](std::uint32_t k, ReadyRow& out) { prepare_row(s, s.records[k], out); },
                                           [&](std::uint32_t k, const ReadyRow& ready) { write_row(s, k + 1, ready); });
        if (!written) {
            ReadyRow ready;
            for (std::uint32_t k = 0; k < s.rows; ++k) {
                prepare_row(s, s.records[k], ready);
                write_row(s, k + 1, ready);
            }
        }
        finish_table(s);
    }

    void finish_table(const PlannedSheet& s) {
        rag_columns(s);
        if (!s.columns.empty())
            check_lxw(worksheet_autofilter(worksheet_[s.index], 0, 0, s.rows, lxw_col_t(s.columns.size() - 1)), "the autofilter");
    }

    std::uint32_t claim_column(const std::string& name) const {
        std::uint32_t col = section_column() + (any_section_title_ ? 2 : 1);
        for (const std::string& n : claim_names())
            if (n == name) return col;
            else ++col;
        return 0;
    }

    std::vector<std::string> claim_names() const {
        std::vector<std::string> names;
        for (const ClaimSpec& c : mapping_.sections.claims)
            if (std::find(names.begin(), names.end(), c.name) == names.end()) names.push_back(c.name);
        return names;
    }

    void write_sections() {
        std::size_t si = *sections_sheet_;
        lxw_worksheet* ws = worksheet_[si];
        PlannedSheet layout;
        layout.index = si;
        if (consolidated_) layout.columns.push_back(source_column());
        const std::uint32_t id_col = section_column();
        std::string section = humanise_name(mapping_.sections.element);
        layout.columns.push_back({What::SectionId, 0, section, 0, kMinWidth});
        if (any_section_title_) layout.columns.push_back({What::SectionTitle, 0, "Title", 0, kMinWidth});
        std::vector<std::string> claims = claim_names();
        for (const std::string& c : claims) layout.columns.push_back({What::Field, 0, humanise_name(c), 0, kMinWidth});
        // Records per return and section, per counted table, in one pass over each table.
        std::vector<std::map<std::pair<std::uint32_t, std::string>, std::size_t>> counts;
        for (const PlannedSheet& s : sheets_)
            if (!s.subrecords && spec(s.table).main) {
                auto& per_section = counts.emplace_back();
                for (const PlannedRow& r : s.records)
                    if (r.rec->kind == RecordKind::Record) ++per_section[{r.part, r.rec->section}];
                layout.columns.push_back({What::Count, 0, names_[s.index], 0, kMinWidth});
            }
        std::size_t sections = 0;
        for (const Part& p : parts_)
            for (const Section& sec : p.doc->sections) {
                ++sections;
                layout.columns[id_col].content = std::max(layout.columns[id_col].content, longest_line(sec.id));
                if (any_section_title_) layout.columns[id_col + 1].content = std::max(layout.columns[id_col + 1].content, longest_line(sec.title));
                for (const Claim& c : sec.claims) {
                    std::uint32_t col = claim_column(c.name);
                    if (col) layout.columns[col].content = std::max<std::size_t>(layout.columns[col].content, std::size_t(kMaxWidth));
                }
            }
        size_columns(layout);
        header_row(layout);
        CellStyle plain;
        plain.wrap = true;
        std::uint32_t row = 0;
        for (std::uint32_t p = 0; p < parts_.size(); ++p)
            for (const Section& sec : parts_[p].doc->sections) {
                if (row >= kMaxDataRows) break;
                ++row;
                std::vector<std::string> texts(layout.columns.size());
                if (consolidated_) texts[0] = parts_[p].source;
                texts[id_col] = sec.id;
                if (any_section_title_) texts[id_col + 1] = sec.title;
                for (const Claim& c : sec.claims)
                    if (std::uint32_t col = claim_column(c.name); col && texts[col].empty()) texts[col] = c.text;
                std::vector<std::string_view> views(texts.begin(), texts.end());
                row_height(layout, row, views);
                std::size_t c = 0;
                for (; c < layout.columns.size() && layout.columns[c].what != What::Count; ++c) put_text(si, row, std::uint32_t(c), texts[c], plain);
                for (const auto& per_section : counts) {
                    auto it = per_section.find({p, sec.id});
                    CellStyle st;
                    st.num_format = "0";
                    put_number(si, row, std::uint32_t(c++), it == per_section.end() ? 0.0 : double(it->second), st);
                }
            }
        check_lxw(worksheet_autofilter(ws, 0, 0, lxw_row_t(std::min<std::size_t>(sections, kMaxDataRows)), lxw_col_t(layout.columns.size() - 1)),
                  "the autofilter");
    }

    // The Summary sheet: each return's sections counted (RAG, overdue, findings) and charted.
    void write_summary() {
        std::vector<SummaryPart> summary;
        for (Part& p : parts_) summary.push_back({consolidated_ ? p.source : std::string(), tally_sections(*p.doc, *p.findings, p.typer)});
        std::string heading = "RAG ratings per " + humanise_name(mapping_.sections.kind == SectionSpec::Kind::None ? "return" : mapping_.sections.element);
        if (!consolidated_)
            if (const Fact* title = parts_.front().doc->fact("title"); title && !trim(title->raw).empty())
                heading = normalise_text(title->raw);
        write_summary_sheet(book_, worksheet_[summary_sheet_], names_[summary_sheet_], heading, summary, consolidated_);
    }

    void write_about() {
        std::size_t ai = about_sheet_;
        PlannedSheet layout;
        layout.index = ai;
        layout.columns = {{What::Field, 0, "Item", 22, kMinWidth}, {What::Field, 0, "Value", 60, kMinWidth}, {What::Field, 0, "Read from", 24, kMinWidth}};
        size_columns(layout);
        header_row(layout);
        CellStyle label;
        label.bold = true;
        label.wrap = true;
        CellStyle plain;
        plain.wrap = true;
        for (std::size_t k = 0; k < about_.size() && k < kMaxDataRows; ++k) {
            const AboutLine& line = about_[k];
            auto row = std::uint32_t(k + 1);
            if (line.shown_date) {
                put_text(ai, row, 0, line.item, label);
                if (line.date) {
                    CellStyle st;
                    st.num_format = kDateFormat;
                    put_number(ai, row, 1, line.date->excel_serial(), st);
                }
                continue;
            }
            std::vector<std::string_view> texts{line.item, line.value, line.from};
            row_height(layout, row, texts);
            put_text(ai, row, 0, line.item, label);
            put_text(ai, row, 1, line.value, plain);
            put_text(ai, row, 2, line.from, plain);
        }
    }

    static std::string readable_date(Date d) {
        static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        return std::to_string(d.day()) + " " + kMonths[d.month() - 1] + " " + std::to_string(d.year());
    }

    // Every sheet prints landscape, one page wide, with the plan's title, source and date.
    void print_layout() {
        PrintLayout layout;
        if (consolidated_) {
            layout.title = consolidation_ + " \u2014 " + std::to_string(parts_.size()) + " returns of " + mapping_.name;
            layout.source = "consolidated by planconv";
            std::optional<Date> date = parts_.front().reporting_date();
            for (const Part& p : parts_)
                if (p.reporting_date() != date) date.reset();
            if (date) layout.reporting_date = readable_date(*date);
        } else {
            const Part& part = parts_.front();
            if (const Fact* title = part.doc->fact("title")) layout.title = normalise_text(title->raw);
            layout.source = part.source;
            if (auto date = part.reporting_date()) layout.reporting_date = readable_date(*date);
        }
        for (lxw_worksheet* ws : worksheet_)
            if (ws) set_print_layout(ws, layout);
    }

    void properties() {
        BookProperties p;
        p.author = "planconv";
        p.keywords = mapping_.name;
        const std::string described = mapping_.description.empty() ? mapping_.name : mapping_.description;
        const std::string by = " by planconv " + std::string(PLANCONV_VERSION) + " at " + generated_;
        if (consolidated_) {
            p.title = consolidation_;
            p.subject = "Consolidated returns: " + described;
            p.comments = "Consolidated from " + std::to_string(parts_.size()) + " returns with the mapping " + mapping_.name + by;
            p.custom = {{"Consolidation", consolidation_},
                        {"Returns merged", std::to_string(parts_.size())},
                        {"Mapping", mapping_.name},
                        {"Generated", generated_},
                        {"planconv version", PLANCONV_VERSION}};
        } else {
            const Part& part = parts_.front();
            const Fact* title = part.doc->fact("title");
            p.title = title ? title->raw : part.source;
            p.subject = "Cleaned return: " + described;
            p.comments = "Cleaned from " + part.source + " with the mapping " + mapping_.name + by;
            p.custom = {{"Source file", part.source},
                        {"Mapping", mapping_.name},
                        {"Reporting date", part.reporting_date() ? part.reporting_date()->iso() : std::string()},
                        {"Generated", generated_},
                        {"planconv version", PLANCONV_VERSION}};
        }
        book_.set_properties(p);
    }

private:
    const Mapping& mapping_;
    std::vector<Part> parts_;
    std::string consolidation_;
    bool consolidated_ = false;
    std::string generated_;
    XlsxBook& book_;
    bool any_section_title_ = false;
    bool prepare_ahead_ = false;  // a big sheet's rows are prepared on a second thread

    // The Findings sheet's findings: the one return's, or every return's one after another.
    const std::vector<Finding>* findings_ = nullptr;
    std::vector<Finding> merged_findings_;
    std::vector<std::string_view> finding_sources_;  // consolidated: each finding's return
    std::vector<std::size_t> finding_offset_;        // each return's first finding in findings_

    std::vector<std::string> names_;            // every sheet's name, by index
    std::vector<lxw_worksheet*> worksheet_;     // by index
    std::vector<PlannedSheet> sheets_;          // table and sub-record sheets
    std::optional<std::size_t> sections_sheet_;
    std::optional<std::size_t> changes_sheet_;  // --previous
    std::size_t summary_sheet_ = 0;
    std::size_t findings_sheet_ = 0;
    std::size_t about_sheet_ = 0;
    std::vector<AboutLine> about_;

    std::vector<std::optional<CleanCellRef>> targets_;  // parallel to *findings_
    std::unordered_map<std::uint64_t, Highlight> highlights_;
};

// Up to this many rows a cleaned workbook is small (its scratch files may be kept in memory).
constexpr std::size_t kSmallWorkbookRows = 5000;

// Writes the parts' workbook to `file` (atomically, through XlsxBook).
void write_parts(const Mapping& mapping, std::vector<Part> parts, std::string consolidation, std::string generated,
                 bool constant_memory, bool spare_core, const std::filesystem::path& file) {
    std::size_t rows = 0;
    for (const Part& p : parts) {
        rows += p.findings->size();
        for (const TableRecords& t : p.doc->tables)
            for (const Record& r : t.records) rows += 1 + r.subrecords.size();
    }
    XlsxBook book(file, constant_memory, rows <= kSmallWorkbookRows);
    CleanWriter(mapping, std::move(parts), std::move(consolidation), std::move(generated), book, spare_core).write();
    book.close();
}

}  // namespace

void write_clean_workbook(const Document& doc, const std::vector<Finding>& findings, const std::filesystem::path& file,
                          const CleanWorkbookOptions& options) {
    if (!doc.mapping) throw XlsxWriteError("the document has no mapping to lay its tables out by");
    std::vector<Part> parts;
    std::string source = options.source_name.empty() ? std::filesystem::path(doc.source).filename().string() : options.source_name;
    parts.emplace_back(doc, findings, std::move(source), options.as_of);
    parts.back().changes = options.changes;
    parts.back().previous_name = options.previous_name;
    write_parts(*doc.mapping, std::move(parts), "", options.generated, options.constant_memory, options.spare_core, file);
}

void write_consolidated_workbook(const Consolidation& c, const std::filesystem::path& file, const ConsolidatedWorkbookOptions& options) {
    if (!c.mapping) throw XlsxWriteError("the consolidation has no mapping to lay its tables out by");
    if (c.name.empty()) throw XlsxWriteError("the consolidation has no name");
    if (c.returns.empty()) throw XlsxWriteError("the consolidation " + c.name + " has no returns to merge");
    static const std::vector<Finding> kNone;
    std::vector<Part> parts;
    parts.reserve(c.returns.size());
    for (const ConsolidatedReturn& r : c.returns) {
        if (!r.doc || !r.doc->mapping || r.doc->mapping->name != c.mapping->name ||
            r.doc->tables.size() != c.returns.front().doc->tables.size())
            throw XlsxWriteError("the return " + r.source + " was not mapped with " + c.mapping->name + ", the mapping of the consolidation " +
                                 c.name);
        parts.emplace_back(*r.doc, r.findings ? *r.findings : kNone, r.source, r.as_of);
    }
    write_parts(*c.mapping, std::move(parts), c.name, options.generated, options.constant_memory, options.spare_core, file);
}

}  // namespace planconv
