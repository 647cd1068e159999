// TIME-* rules: target dates and timescales read as periods (parse/Timescale) and judged
// against the reporting date, the plan period, each other and stated durations.
#include "mapping/Mapping.hpp"
#include "parse/Text.hpp"
#include "validate/Rule.hpp"
#include "validate/RuleParams.hpp"
#include "validate/TableView.hpp"
#include "validate/ValueReaders.hpp"
#include "validate/Wording.hpp"

#include <algorithm>

namespace planconv {

namespace {

// One timescale to judge: a record's cell, or one sub-record's share of it when the cell holds
// one paragraph per sub-action.
struct TimedCell {
    const Record* record;  // the record (or sub-record) whose values say whether it is done
    const Record* row;     // the top-level record: where the cell is
    const FieldValue* value;
    std::string id;
};

std::vector<TimedCell> timed_cells(const TableView& view, std::size_t ci) {
    std::vector<TimedCell> out;
    for (const Record& r : view.records()) {
        if (r.kind != RecordKind::Record) continue;
        bool split = false;
        for (const Record& sub : r.subrecords) {
            const FieldValue& v = view.value(sub, ci);
            if (!written(v)) continue;
            split = true;
            out.push_back({&sub, &r, &v, view.sub_id(r, sub)});
        }
        if (!split && written(view.value(r, ci))) out.push_back({&r, &r, &view.value(r, ci), view.record_id(r)});
    }
    return out;
}

// A problem at a timed cell, named by the (sub-)record's id: a sub-record's problem is at the
// cell its own share of the value came from (its own row when it was written on one).
Problem problem_at(const TableView& view, const TimedCell& t, std::size_t ci, std::string message) {
    Problem p = problem_at(view, *t.row, ci, std::move(message));
    p.finding.record = t.id;
    if (t.record != t.row && t.value->present) p.finding.cell = t.value->cell.a1();
    return p;
}

std::string period_words(const Period& p) {
    return format_date(p.start) + " to " + (p.end ? format_date(*p.end) : std::string("an open end"));
}

std::vector<std::size_t> timescale_fields(const TableView& view, const RuleSpec& spec) {
    return fields_param(view, spec, "fields", view.columns_of({FieldType::Timescale}));
}

bool applies_to_timescales(const TableSpec& t, const RuleSpec& spec) {
    return table_has_param_fields(t, spec, {"fields"}) &&
           (has_fields_param(spec) || table_has_type(t, {FieldType::Timescale}));
}

// ---- TIME-UNPARSED --------------------------------------------------------------------------
// Params: fields  the timescale columns (default: every timescale column); `field` names one
// A cell is read when at least one date, period or status word is found in it; the raw text is
// quoted in the message so nothing is lost.

void check_time_unparsed(const RuleScope& s, Problems& out) {
    TableView view(s.table, s.records);
    TimescaleOptions options = timescale_options(s.ctx);
    for (std::size_t ci : timescale_fields(view, s.spec))
        for (const Record& r : view.records()) {
            if (r.kind != RecordKind::Record) continue;
            const FieldValue& v = view.value(r, ci);
            if (!written(v) || is_blank(v)) continue;
            if (read_timescale(v, options).kind != TimescaleKind::Unparsed) continue;
            Problem p = problem_at(view, r, ci,
                                   view.label(ci) + " " + quoted(v.raw(), 120) +
                                       " cannot be read as a date, a period or a status such as Ongoing");
            p.finding.actual = v.raw();
            p.what = view.label(ci) + " cannot be read as a date";
            out.push_back(std::move(p));
        }
}

// ---- TIME-OUTSIDE-PLAN ----------------------------------------------------------------------
// Params: fields  the columns holding target dates (default: every timescale column)
// Needs the plan period (CheckContext::plan_period); silent without one. Each dated milestone
// of a cell is judged: one that ends before the plan starts or after it ends is outside.

void check_time_outside_plan(const RuleScope& s, Problems& out) {
    if (!s.ctx.plan_period) return;
    const Period& plan = *s.ctx.plan_period;
    TableView view(s.table, s.records);
    TimescaleOptions options = timescale_options(s.ctx);
    for (std::size_t ci : timescale_fields(view, s.spec))
        for (const TimedCell& t : timed_cells(view, ci)) {
            Timescale ts = read_timescale(*t.value, options);
            for (const TimescalePart& part : ts.parts) {
                if (!part.period || !part.period->end) continue;
                Date due = *part.period->end;
                bool before = due < plan.start, after = plan.end && due > *plan.end;
                if (!before && !after) continue;
                Problem p = problem_at(view, t, ci,
                                       view.label(ci) + " " + quoted(part.text) + " (" + format_date(due) + ") is " +
                                           (before ? "before" : "after") + " the plan period " + period_words(plan));
                p.finding.expected = "within " + period_words(plan);
                p.finding.actual = format_date(due);
                p.what = view.label(ci) + " falls outside the plan period " + period_words(plan);
                out.push_back(std::move(p));
                break;
            }
        }
}

// ---- TIME-OVERDUE ---------------------------------------------------------------------------
// Params: fields         the target-date columns (default: every timescale column)
//         rag            the RAG column (default: the first rag column); Blue = complete, N/A skipped
//         status_field   columns whose text may say the work is complete (optional)
//         update_field   narrative columns that may say so, e.g. "(completed)" (optional)
//         complete_words the words that say so (default "complete completed achieved implemented")
// A record is complete when its RAG is Blue, its timescale cell holds Implemented/Completed, or
// a status/update column says so (see says_complete). A due date is the end of the cell's last
// dated milestone ("September 2020" is due 30 September 2020); before as_of it is overdue.

struct Completion {
    std::optional<std::size_t> rag;
    RagVocabulary vocabulary;
    std::vector<std::size_t> texts;
    std::vector<std::string> words;
};

// The value a sub-record holds for a column, or its parent's.
const FieldValue& own_or_parent(const TableView& view, const TimedCell& t, std::size_t ci) {
    const FieldValue& own = view.value(*t.record, ci);
    return own.present ? own : view.value(*t.row, ci);
}

enum class Progress { Open, Complete, NotApplicable };

Progress progress_of(const TableView& view, const TimedCell& t, const Timescale& ts, const Completion& c) {
    if (ts.has_status(TimescaleStatus::Implemented) || ts.has_status(TimescaleStatus::Completed))
        return Progress::Complete;
    if (c.rag) {
        auto rag = read_rag(c.vocabulary, own_or_parent(view, t, *c.rag)).value;
        if (rag == RagValue::Blue) return Progress::Complete;
        if (rag == RagValue::NA) return Progress::NotApplicable;
    }
    for (std::size_t ci : c.texts) {
        const FieldValue& v = own_or_parent(view, t, ci);
        if (v.present && says_complete(v.raw(), c.words)) return Progress::Complete;
    }
    return Progress::Open;
}

void check_time_overdue(const RuleScope& s, Problems& out) {
    TableView view(s.table, s.records);
    TimescaleOptions options = timescale_options(s.ctx);
    Completion c;
    c.rag = field_param(view, s.spec, "rag", view.first_of(FieldType::Rag));
    if (c.rag) c.vocabulary = rag_vocabulary(view.column(*c.rag));
    c.texts = fields_param(view, s.spec, "status_field", {});
    for (std::size_t ci : fields_param(view, s.spec, "update_field", {})) c.texts.push_back(ci);
    c.words = param_words(s.spec, "complete_words");

    for (std::size_t ci : timescale_fields(view, s.spec))
        for (const TimedCell& t : timed_cells(view, ci)) {
            Timescale ts = read_timescale(*t.value, options);
            auto due = ts.due();
            if (!due || *due >= s.ctx.as_of) continue;
            if (progress_of(view, t, ts, c) != Progress::Open) continue;
            Problem p = problem_at(view, t, ci,
                                   view.label(ci) + " " + quoted(t.value->raw()) + " was due by " + format_date(*due) +
                                       ", before the reporting date " + format_date(s.ctx.as_of) + ", and the " +
                                       view.noun() + " is not marked complete");
            p.finding.expected = "complete by " + format_date(*due);
            p.finding.actual = "not complete at " + format_date(s.ctx.as_of);
            p.what = view.label(ci) + " has passed while the " + view.noun() + " is not complete";
            out.push_back(std::move(p));
        }
}

bool applies_time_overdue(const TableSpec& t, const RuleSpec& spec) {
    return applies_to_timescales(t, spec) && table_has_param_fields(t, spec, {"rag", "status_field", "update_field"});
}

// ---- TIME-ORDER -----------------------------------------------------------------------------
// Params: start, end  a start and an end column (optional pair)
//         fields                  timescale columns whose milestones must run in cell order
//                                 (default: every timescale column)
// A milestone after a status word ("Aug 16 Implemented May 16") says when that happened, not a
// next step, so order is only checked between milestones with no status word between them.

std::optional<Date> start_of(const FieldValue& v, const TimescaleOptions& options) {
    Timescale ts = read_timescale(v, options);
    if (!ts.period) return std::nullopt;
    return ts.period->start;
}

void check_start_end(const TableView& view, std::size_t start, std::size_t end, const TimescaleOptions& options,
                     Problems& out) {
    for (const Record& r : view.records()) {
        if (r.kind != RecordKind::Record) continue;
        auto from = start_of(view.value(r, start), options);
        auto to = read_timescale(view.value(r, end), options).due();
        if (!from || !to || *to >= *from) continue;
        Problem p = problem_at(view, r, end,
                               view.label(end) + " " + quoted(view.value(r, end).raw()) + " (" + format_date(*to) +
                                   ") is before " + view.label(start) + " " + quoted(view.value(r, start).raw()) + " (" +
                                   format_date(*from) + ")");
        p.finding.expected = "on or after " + format_date(*from);
        p.finding.actual = format_date(*to);
        p.what = view.label(end) + " is before " + view.label(start);
        out.push_back(std::move(p));
    }
}

void check_milestones(const TableView& view, std::size_t ci, const TimescaleOptions& options, Problems& out) {
    for (const Record& r : view.records()) {
        if (r.kind != RecordKind::Record) continue;
        const FieldValue& v = view.value(r, ci);
        if (!written(v)) continue;
        Timescale ts = read_timescale(v, options);
        const TimescalePart* previous = nullptr;
        for (const TimescalePart& part : ts.parts) {
            if (!part.period) {
                previous = nullptr;  // a status word: what follows dates it
                continue;
            }
            if (previous && part.period->start < previous->period->start) {
                Problem p = problem_at(view, r, ci,
                                       view.label(ci) + " " + quoted(v.raw()) + " lists " + quoted(part.text) +
                                           " after " + quoted(previous->text) + ": the milestones are out of order");
                p.finding.expected = "milestones in date order";
                p.finding.actual = previous->text + " then " + part.text;
                p.what = view.label(ci) + " milestones are out of order";
                out.push_back(std::move(p));
                break;
            }
            previous = &part;
        }
    }
}

void check_time_order(const RuleScope& s, Problems& out) {
    TableView view(s.table, s.records);
    TimescaleOptions options = timescale_options(s.ctx);
    auto start = field_param(view, s.spec, "start");
    auto end = field_param(view, s.spec, "end");
    if (start && end) check_start_end(view, *start, *end, options, out);
    for (std::size_t ci : timescale_fields(view, s.spec)) check_milestones(view, ci, options, out);
}

bool applies_time_order(const TableSpec& t, const RuleSpec& spec) {
    if (!table_has_param_fields(t, spec, {"start", "end", "fields"})) return false;
    return (param(spec, "start") && param(spec, "end")) || applies_to_timescales(t, spec);
}

// ---- TIME-DURATION --------------------------------------------------------------------------
// Params: start, end, months  the columns (all required)
//         tolerance  months of slack allowed (default 0)
// Months are counted inclusively, as registers do: 01-Apr-16 to 31-Mar-17 is 12 months (the
// end day is included, so the span runs to 01-Apr-17). A span with a part month may be stated
// either way (15-Apr-16 to 31-Mar-17: 11 or 12). "#N/A" or words in the months column are not
// a duration: nothing is said here (FIELD-TYPE may say it).

Date add_months(Date d, int months) {
    int index = d.year() * 12 + (d.month() - 1) + months;
    int year = index / 12, month = index % 12 + 1;
    int day = std::min(d.day(), days_in_month(year, month));
    return *Date::from_ymd(year, month, day);
}

// Whole months from start to the day after end, and whether a part month is left over.
std::pair<int, bool> months_inclusive(Date start, Date end) {
    Date stop = end.plus_days(1);
    int months = (stop.year() - start.year()) * 12 + (stop.month() - start.month());
    while (months > 0 && add_months(start, months) > stop) --months;
    return {months, add_months(start, months) != stop};
}

std::optional<double> stated_months(const FieldValue& v) {
    NumberReading n = read_number(v);
    if (n.kind == NumberReading::Kind::Value) return n.value;
    if (n.kind != NumberReading::Kind::Unreadable) return std::nullopt;
    // "36 months", "60 (48 + 12)": the figure that opens the cell.
    std::string text = plain_text(v);
    auto lit = read_decimal(text, 0);
    if (!lit || lit->len >= text.size() || text[lit->len] != ' ') return std::nullopt;
    return lit->value;
}

void check_time_duration(const RuleScope& s, Problems& out) {
    TableView view(s.table, s.records);
    TimescaleOptions options = timescale_options(s.ctx);
    auto start = field_param(view, s.spec, "start");
    auto end = field_param(view, s.spec, "end");
    auto months = field_param(view, s.spec, "months");
    if (!start || !end || !months) return;
    double tolerance = param_number(s.spec, "tolerance", 0);
    for (const Record& r : view.records()) {
        if (r.kind != RecordKind::Record) continue;
        auto stated = stated_months(view.value(r, *months));
        auto from = start_of(view.value(r, *start), options);
        auto to = read_timescale(view.value(r, *end), options).due();
        if (!stated || !from || !to || *to < *from) continue;  // end before start: TIME-ORDER's
        auto [whole, part] = months_inclusive(*from, *to);
        double low = whole - tolerance, high = whole + (part ? 1 : 0) + tolerance;
        if (*stated >= low - 1e-9 && *stated <= high + 1e-9) continue;
        std::string counted = part
                                  ? "between " + std::to_string(whole) + " and " + std::to_string(whole + 1) + " months"
                                  : count_of(std::size_t(whole), "month");
        Problem p = problem_at(view, r, *months,
                               view.label(*months) + " says " + format_figure(*stated) + " but " + format_date(*from) +
                                   " to " + format_date(*to) + " is " + counted);
        p.finding.expected = part ? std::to_string(whole) + " or " + std::to_string(whole + 1) : std::to_string(whole);
        p.finding.actual = format_figure(*stated);
        p.what = view.label(*months) + " disagrees with the start and end dates";
        out.push_back(std::move(p));
    }
}

// The reporting date fell back to the day of the run: every date check depends on it, so the
// return says so (where the workbook's date was, when the mapping found one it could not read).
void check_time_as_of(const RuleScope& s, Problems& out) {
    if (!s.ctx.as_of_is_today) return;
    const std::string today = format_date(s.ctx.as_of);
    const Fact* fact = nullptr;
    for (const Fact& f : s.doc.facts)
        if (f.name == "as_of") fact = &f;
    Problem p;
    if (fact && !fact->raw.empty()) {
        p.finding.sheet = fact->where.sheet;
        p.finding.cell = fact->where.sheet.empty() ? std::string() : fact->where.cell.a1();
        p.finding.message = "the reporting date " + quoted(fact->raw) + " is not a date or a period with an end, so timescales were "
                            "judged against today, " + today + "; give --as-of DATE or a full period (e.g. Quarter 2 2016/17)";
        p.finding.actual = fact->raw;
    } else {
        p.finding.message = "the return states no reporting date the mapping '" + s.doc.mapping->name +
                            "' reads, so timescales were judged against today, " + today + "; give --as-of DATE";
    }
    p.finding.expected = "a reporting date";
    out.push_back(std::move(p));
}

bool applies_everywhere(const TableSpec&, const RuleSpec&) { return true; }

bool applies_time_duration(const TableSpec& t, const RuleSpec& spec) {
    return param(spec, "start") && param(spec, "end") && param(spec, "months") &&
           table_has_param_fields(t, spec, {"start", "end", "months"});
}

}  // namespace

std::vector<RuleInfo> time_rules() {
    using K = ParamKind;
    return {
        {"TIME-UNPARSED",
         Severity::Error,
         "a timescale cell cannot be read as a date, period or known status word",
         {{"fields", K::Columns, "the timescale columns (default: every timescale column; field= names one)"}},
         applies_to_timescales,
         check_time_unparsed},
        {"TIME-OUTSIDE-PLAN",
         Severity::Warning,
         "a target date falls outside the plan period (needs the plan period)",
         {{"fields", K::Columns, "the target-date columns (default: every timescale column; field= names one)"}},
         applies_to_timescales,
         check_time_outside_plan},
        {"TIME-OVERDUE",
         Severity::Warning,
         "a target date ended before the reporting date while the record is not complete",
         {{"fields", K::Columns, "the target-date columns (default: every timescale column; field= names one)"},
          {"rag", K::Column, "the RAG column: Blue is complete, N/A is skipped (default: the first rag column)"},
          {"status_field", K::Columns, "columns whose text may say the work is complete (optional)"},
          {"update_field", K::Columns, "narrative columns that may say so, e.g. \"(completed)\" (optional)"},
          {"complete_words", K::Words, "the words that say so (default \"complete completed achieved implemented\")"}},
         applies_time_overdue,
         check_time_overdue},
        {"TIME-ORDER",
         Severity::Error,
         "an end date before its start date, or milestones out of order within a cell",
         {{"start", K::Column, "the start column (with end)", false, "end"},
          {"end", K::Column, "the end column (with start)", false, "start"},
          {"fields", K::Columns,
           "timescale columns whose milestones must be in date order (default: every timescale column)"}},
         applies_time_order,
         check_time_order},
        {"TIME-DURATION",
         Severity::Error,
         "a stated duration in months differs from its start and end dates (counted inclusively)",
         {{"start", K::Column, "the start date column (required)", true},
          {"end", K::Column, "the end date column (required)", true},
          {"months", K::Column, "the stated duration in months (required)", true},
          {"tolerance", K::Number, "months of slack (default 0)"}},
         applies_time_duration,
         check_time_duration},
        {"TIME-ASOF",
         Severity::Info,
         "no reporting date was given or could be read from the return, so timescales were judged against the day of the run",
         {},
         applies_everywhere,
         check_time_as_of,
         false,
         true},
    };
}

}  // namespace planconv
