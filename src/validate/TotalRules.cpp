// TOTAL-* rules: figures that must agree with other figures — totals and subtotals with their
// parts, narrative counts with the RAG column, percentages with their own numerator and
// denominator, derived columns with their formula, parts with their whole.
#include "mapping/Mapping.hpp"
#include "parse/NumberWords.hpp"
#include "parse/Text.hpp"
#include "validate/Rule.hpp"
#include "validate/RuleParams.hpp"
#include "validate/TableView.hpp"
#include "validate/ValueReaders.hpp"
#include "validate/Wording.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace planconv {

namespace {

// Figures compared after rounding: a hair above the tolerance absorbs binary fractions.
bool differs(double stated, double computed, double tolerance) {
    return std::fabs(stated - computed) > tolerance + 1e-9 * std::max(1.0, std::fabs(computed));
}

// Money is rounded to the unit it is shown in (£'000 tables: ±1); counts must be exact.
double default_tolerance(const ColumnSpec& c) { return c.type == FieldType::Money ? 1.0 : 0.0; }

// ---- TOTAL-SUM ------------------------------------------------------------------------------
// Params: fields    the columns to add up (default: every money, number and integer column)
//         tolerance the difference allowed (default 1 for money columns, 0 otherwise)
// A total row's label (the table's total-field, else its first text) says what kind it is:
//   - an unlabelled subtotal closes the rows since the previous subtotal, group or total;
//   - a named total adds up everything since the previous named total (subtotals, and rows no
//     subtotal closed); a named total straight after another total is a total of totals: it
//     must equal the last two or more totals — when none of those sums comes within 5% it is a
//     free-standing line ("TOTAL NON CONTROLLABLE") and is taken as a part of what follows.

struct SumItem {
    std::optional<double> value;  // nullopt: a part that is not a figure, so no check
};

std::optional<double> sum_of(const std::vector<SumItem>& items, std::size_t from) {
    double sum = 0;
    for (std::size_t i = from; i < items.size(); ++i) {
        if (!items[i].value) return std::nullopt;
        sum += *items[i].value;
    }
    return sum;
}

bool is_labelled_total(const TableView& view, const Record& r) {
    const TableSpec& t = view.spec();
    if (!t.total_field.empty()) {
        auto ci = view.index(t.total_field);
        return ci && !is_blank(view.value(r, *ci));
    }
    for (std::size_t ci = 0; ci < t.columns.size(); ++ci) {
        FieldType type = t.columns[ci].type;
        bool texty = type == FieldType::Text || type == FieldType::RichText || type == FieldType::Id;
        if (texty && !is_blank(view.value(r, ci))) return true;
    }
    return false;
}

std::string total_label(const TableView& view, const Record& r) {
    const TableSpec& t = view.spec();
    if (!t.total_field.empty())
        if (auto ci = view.index(t.total_field)) return plain_text(view.value(r, *ci));
    for (std::size_t ci = 0; ci < t.columns.size(); ++ci) {
        FieldType type = t.columns[ci].type;
        if ((type == FieldType::Text || type == FieldType::RichText) && !is_blank(view.value(r, ci)))
            return plain_text(view.value(r, ci));
    }
    return {};
}

// A leaf's figure: blank counts as nothing, text that is not a figure makes the sum unknown.
SumItem part_value(const ColumnSpec& c, const FieldValue& v) {
    if (!v.present || is_blank(v)) return {0.0};
    return {read_amount(c, v)};
}

class ColumnSum {
public:
    ColumnSum(const TableView& view, std::size_t ci, double tolerance, Problems& out)
        : view_(view), ci_(ci), tolerance_(tolerance), out_(out) {}

    void row(const Record& r) {
        if (r.section != section_) {
            items_.clear();
            run_start_ = named_start_ = 0;
            section_ = r.section;
        }
        switch (r.kind) {
        case RecordKind::Note: return;
        case RecordKind::Group: run_start_ = items_.size(); return;
        case RecordKind::Record: items_.push_back(part_value(view_.column(ci_), view_.value(r, ci_))); return;
        case RecordKind::Total: total(r); return;
        }
    }

private:
    void total(const Record& r) {
        const FieldValue& v = view_.value(r, ci_);
        std::optional<double> stated = is_blank(v) ? std::nullopt : read_amount(view_.column(ci_), v);
        if (!is_labelled_total(view_, r))
            subtotal(r, stated);
        else
            named_total(r, stated);
        run_start_ = items_.size();
    }

    void subtotal(const Record& r, std::optional<double> stated) {
        std::size_t parts = items_.size() - run_start_;
        std::optional<double> sum = sum_of(items_, run_start_);
        if (parts > 0 && stated && sum && differs(*stated, *sum, tolerance_))
            report(r, *stated, *sum,
                   "the subtotal of " + view_.label(ci_) + " is " + format_figure(*stated) + " but the " +
                       count_of(parts, "row") + " above it add up to " + format_figure(*sum));
        replace_from(run_start_, parts > 0 ? (stated ? stated : sum) : stated);
    }

    void named_total(const Record& r, std::optional<double> stated) {
        std::string what = quoted(total_label(view_, r)) + " " + view_.label(ci_);
        std::size_t parts = items_.size() - named_start_;
        if (parts > 0) {
            std::optional<double> sum = sum_of(items_, named_start_);
            if (stated && sum && differs(*stated, *sum, tolerance_))
                report(r, *stated, *sum,
                       what + " is " + format_figure(*stated) + " but its " + count_of(parts, "part") + " add up to " +
                           format_figure(*sum));
            replace_from(named_start_, stated ? stated : sum);
        } else {
            total_of_totals(r, stated, what);
        }
        named_start_ = items_.size();
    }

    void total_of_totals(const Record& r, std::optional<double> stated, const std::string& what) {
        if (!stated) {
            items_.push_back({std::nullopt});
            return;
        }
        // The shortest run of totals (two or more, counted back from here) that it equals.
        std::optional<std::size_t> nearest;
        double nearest_gap = 0;
        for (std::size_t k = 2; k <= items_.size(); ++k) {
            std::size_t from = items_.size() - k;
            std::optional<double> sum = sum_of(items_, from);
            if (!sum) break;
            if (!differs(*stated, *sum, tolerance_)) {
                replace_from(from, stated);
                return;
            }
            double gap = std::fabs(*stated - *sum);
            if (!nearest || gap < nearest_gap) {
                nearest = from;
                nearest_gap = gap;
            }
        }
        // Within 5%: a total of totals with a mistake in it; otherwise a line of its own.
        if (nearest) {
            double sum = *sum_of(items_, *nearest);
            if (std::fabs(*stated - sum) <= 0.05 * std::fabs(sum)) {
                report(r, *stated, sum,
                       what + " is " + format_figure(*stated) + " but the " +
                           count_of(items_.size() - *nearest, "total") + " above it add up to " + format_figure(sum));
                replace_from(*nearest, stated);
                return;
            }
        }
        items_.push_back({stated});
    }

    void replace_from(std::size_t from, std::optional<double> value) {
        items_.resize(from);
        items_.push_back({value});
    }

    void report(const Record& r, double stated, double sum, std::string message) {
        Problem p = problem_at(view_, r, ci_, std::move(message));
        p.finding.expected = format_figure(sum);
        p.finding.actual = format_figure(stated);
        p.what = "a total of " + view_.label(ci_) + " does not add up";
        out_.push_back(std::move(p));
    }

    const TableView& view_;
    std::size_t ci_;
    double tolerance_;
    Problems& out_;
    std::vector<SumItem> items_;   // figures not yet taken into a total
    std::size_t run_start_ = 0;    // first row since the last subtotal, group or total
    std::size_t named_start_ = 0;  // first item since the last named total
    std::string section_;
};

// Totals placed above their parts (total-position="above", first-row-total): a total's parts
// are the rows after it, up to the next total, group or section.
void check_totals_above(const TableView& view, std::size_t ci, double tolerance, Problems& out) {
    const auto& records = view.records();
    for (std::size_t i = 0; i < records.size(); ++i) {
        const Record& r = records[i];
        if (r.kind != RecordKind::Total) continue;
        std::vector<SumItem> parts;
        for (std::size_t j = i + 1; j < records.size(); ++j) {
            const Record& p = records[j];
            if (p.section != r.section || p.sheet != r.sheet || p.kind == RecordKind::Total || p.kind == RecordKind::Group) break;
            if (p.kind == RecordKind::Record) parts.push_back(part_value(view.column(ci), view.value(p, ci)));
        }
        const FieldValue& v = view.value(r, ci);
        if (parts.empty() || is_blank(v)) continue;
        std::optional<double> stated = read_amount(view.column(ci), v);
        std::optional<double> sum = sum_of(parts, 0);
        if (!stated || !sum || !differs(*stated, *sum, tolerance)) continue;
        std::string label = total_label(view, r);
        Problem p = problem_at(view, r, ci,
                               (label.empty() ? std::string("the total") : quoted(label)) + " " + view.label(ci) + " is " +
                                   format_figure(*stated) + " but the " + count_of(parts.size(), "row") +
                                   " below it add up to " + format_figure(*sum));
        p.finding.expected = format_figure(*sum);
        p.finding.actual = format_figure(*stated);
        p.what = "a total of " + view.label(ci) + " does not add up";
        out.push_back(std::move(p));
    }
}

std::vector<std::size_t> summable_columns(const TableView& view) {
    std::vector<std::size_t> out;
    for (std::size_t ci : view.columns_of({FieldType::Money, FieldType::Number, FieldType::Integer}))
        if (!view.column(ci).key) out.push_back(ci);
    return out;
}

void check_total_sum(const RuleScope& s, Problems& out) {
    TableView view(s.table, s.records);
    for (std::size_t ci : fields_param(view, s.spec, "fields", summable_columns(view))) {
        double tolerance = param_number(s.spec, "tolerance", default_tolerance(view.column(ci)));
        if (s.table.totals_above) {
            check_totals_above(view, ci, tolerance, out);
            continue;
        }
        ColumnSum sum(view, ci, tolerance, out);
        for (const Record& r : view.records()) sum.row(r);
    }
}

bool applies_total_sum(const TableSpec& t, const RuleSpec& spec) {
    return (t.total || t.unlabelled_subtotals || t.first_row_total) && table_has_param_fields(t, spec, {"fields"}) &&
           table_has_type(t, {FieldType::Money, FieldType::Number, FieldType::Integer});
}

// ---- TOTAL-COUNT ----------------------------------------------------------------------------
// Params: claim      the claim to check (default: every claim of the sections)
//         rag        the RAG column (default: the first rag column)
//         on_track   RAG values counted by the claim part `on_track` (default "Green")
//         more_work  RAG values counted by the claim part `more_work` (default "Amber Red")
//         <name>     any other claim part: the RAG values it counts ("complete" = "Blue")
//         total      RAG values counted in the claim part `total` (default: every value above)
//         count_field a column whose Total rows state how many records they close
// DOMAIN §1.1: N/A, blank and unknown statuses are in no category; a qualified Amber is Amber;
// continuation rows are already merged into their record, and sub-records are not counted.

const std::set<std::string> kCountParams = {"claim", "rag", "total", "count_field"};

using RagValues = std::vector<RagValue>;  // in the order the mapping lists them

struct Category {
    std::string name;  // the claim part: on_track
    RagValues values;  // what it counts
};

RagValues rag_values(const std::vector<std::string>& names) {
    RagValues out;
    for (const std::string& n : names)
        if (auto v = parse_rag(n).value; v && std::find(out.begin(), out.end(), *v) == out.end()) out.push_back(*v);
    return out;
}

// The documented defaults always apply: a mapping that declares only more_work still has
// on_track counted as Green; a declared category replaces its default.
std::vector<Category> count_categories(const RuleSpec& spec) {
    std::vector<Category> out = {{"on_track", {RagValue::Green}}, {"more_work", {RagValue::Amber, RagValue::Red}}};
    for (const auto& [name, value] : spec.params) {
        if (kCountParams.count(name)) continue;
        auto same = std::find_if(out.begin(), out.end(), [&](const Category& c) { return c.name == name; });
        if (same != out.end())
            same->values = rag_values(param_words(spec, name));
        else
            out.push_back({name, rag_values(param_words(spec, name))});
    }
    return out;
}

// A claim part as a number: "five" 5, "13" 13; "all" of "all of the four" is the whole.
std::optional<double> stated_number(const Claim& c, const std::string& part) {
    auto it = c.parts.find(part);
    if (it == c.parts.end()) return std::nullopt;
    if (auto n = number_from_words(it->second)) return n;
    if (auto total = c.parts.find("total"); total != c.parts.end() && part != "total")
        return number_from_words(it->second + " of the " + total->second);
    return std::nullopt;
}

std::string rag_list(const RagValues& values) {
    std::string out;
    std::size_t i = 0;
    for (RagValue v : values) {
        if (i) out += i + 1 == values.size() ? " or " : ", ";
        out += v == RagValue::NA ? "N/A" : std::string(rag_name(v));
        ++i;
    }
    return out;
}

std::string spoken(std::string_view part_name) {
    std::string s(part_name);
    for (char& c : s)
        if (c == '_') c = ' ';
    return s;
}

// The claim's parts in the order its pattern captures them ("on_track" before "more_work").
std::vector<std::string> part_order(const Document& doc, const Claim& claim) {
    std::vector<std::string> order;
    if (doc.mapping)
        for (const ClaimSpec& cs : doc.mapping->sections.claims)
            if (cs.name == claim.name)
                for (const std::string& n : cs.pattern.group_names())
                    if (!n.empty()) order.push_back(n);
    for (const auto& [name, text] : claim.parts)
        if (std::find(order.begin(), order.end(), name) == order.end()) order.push_back(name);
    return order;
}

void check_claim(const RuleScope& s, const TableView& view, const Section& section, const Claim& claim,
                 const std::map<RagValue, std::size_t>& tally, const std::vector<Category>& categories,
                 const RagValues& total_values, const std::vector<const FieldValue*>& unreadable, Problems& out) {
    auto counted = [&](const RagValues& values) {
        std::size_t n = 0;
        for (RagValue v : values)
            if (auto it = tally.find(v); it != tally.end()) n += it->second;
        return n;
    };
    struct Compared {
        std::string name;
        double stated;
        std::size_t counted;
        std::string values;
    };
    std::vector<Compared> parts;
    for (const std::string& name : part_order(s.doc, claim)) {
        if (name == "total") continue;
        auto cat =
            std::find_if(categories.begin(), categories.end(), [&](const Category& c) { return c.name == name; });
        auto stated = stated_number(claim, name);
        if (cat == categories.end() || !stated) continue;
        parts.push_back({name, *stated, counted(cat->values), rag_list(cat->values)});
    }
    std::optional<double> stated_total = stated_number(claim, "total");
    if (!stated_total && claim.parts.empty()) {
        // A claim with no named parts: the whole of its count statement.
        auto statements = find_count_statements(claim.text);
        if (!statements.empty() && statements.front().whole.value) stated_total = statements.front().whole.value;
    }
    std::size_t counted_total = counted(total_values);

    std::size_t wrong = 0;
    std::string expected, actual;
    for (const Compared& p : parts)
        if (p.stated != double(p.counted)) {
            ++wrong;
            expected = std::to_string(p.counted);
            actual = format_figure(p.stated);
        }
    if (stated_total && *stated_total != double(counted_total)) {
        ++wrong;
        expected = std::to_string(counted_total);
        actual = format_figure(*stated_total);
    }
    if (!wrong) return;
    if (!unreadable.empty()) {
        // The table's count is not known while a status cannot be read: say so once, at the
        // claim, and leave the cell to FIELD-ENUM; a count without it would mislead.
        Problem p;
        p.finding.sheet = claim.where.sheet;
        p.finding.cell = claim.where.cell.a1();
        p.finding.record = section.id;
        std::string where;
        for (std::size_t i = 0; i < unreadable.size() && i < 3; ++i)
            where += std::string(i ? ", " : "") + unreadable[i]->cell.a1() + " (" + quoted(plain_text(*unreadable[i])) + ")";
        if (unreadable.size() > 3) where += " and " + std::to_string(unreadable.size() - 3) + " more";
        p.finding.message = claim.name + " cannot be confirmed: the " + view.plural() + " of section " + section.id +
                            " include a status that is not a RAG value, at " + where;
        out.push_back(std::move(p));
        return;
    }
    if (wrong > 1) {
        // Several numbers disagree: show them side by side.
        expected.clear();
        actual.clear();
        for (const Compared& p : parts) {
            expected += std::to_string(p.counted) + " " + spoken(p.name) + ", ";
            actual += format_figure(p.stated) + " " + spoken(p.name) + ", ";
        }
        expected += std::to_string(counted_total) + " in all";
        actual += (stated_total ? format_figure(*stated_total) : std::string("?")) + " in all";
    }

    // "summary says 5 of 8 actions are on track and 3 more work; the table has 4 Green and 4
    // Amber or Red of 8".
    std::string said = claim.name + " says ";
    std::string has = "the table has ";
    if (parts.empty()) {
        said += format_figure(stated_total.value_or(0)) + " " + view.plural();
        has += std::to_string(counted_total) + " " + view.plural() + " rated " + rag_list(total_values);
    } else {
        said += format_figure(parts[0].stated);
        if (stated_total) said += " of " + format_figure(*stated_total);
        said += " " + view.plural() + " are " + spoken(parts[0].name);
        has += std::to_string(parts[0].counted) + " " + parts[0].values;
        for (std::size_t i = 1; i < parts.size(); ++i) {
            said += " and " + format_figure(parts[i].stated) + " " + spoken(parts[i].name);
            has += " and " + std::to_string(parts[i].counted) + " " + parts[i].values;
        }
        has += " of " + std::to_string(counted_total);
    }

    Problem p;
    p.finding.sheet = claim.where.sheet;
    p.finding.cell = claim.where.cell.a1();
    p.finding.record = section.id;
    p.finding.message = said + "; " + has;
    p.finding.expected = expected;
    p.finding.actual = actual;
    out.push_back(std::move(p));
}

// Total rows that state how many records they close ("Total  12").
void check_count_rows(const TableView& view, std::size_t count_ci, Problems& out) {
    std::size_t since = 0;
    std::string section;
    for (const Record& r : view.records()) {
        if (r.section != section) {
            since = 0;
            section = r.section;
        }
        if (r.kind == RecordKind::Record) ++since;
        if (r.kind == RecordKind::Group) since = 0;
        if (r.kind != RecordKind::Total) continue;
        const FieldValue& v = view.value(r, count_ci);
        NumberReading n = read_number(v);
        std::optional<double> stated =
            n.kind == NumberReading::Kind::Value ? std::optional<double>(n.value) : number_from_words(plain_text(v));
        if (stated && *stated != double(since)) {
            Problem p = problem_at(view, r, count_ci,
                                   "the total row says " + format_figure(*stated) + " but " + count_of(since, "row") +
                                       " above it are " + view.plural());
            p.finding.expected = std::to_string(since);
            p.finding.actual = format_figure(*stated);
            p.what = "total rows disagree with the number of rows above them";
            out.push_back(std::move(p));
        }
        since = 0;
    }
}

void check_total_count(const RuleScope& s, Problems& out) {
    TableView view(s.table, s.records);
    if (auto count_ci = field_param(view, s.spec, "count_field")) check_count_rows(view, *count_ci, out);
    auto rag_ci = field_param(view, s.spec, "rag", view.first_of(FieldType::Rag));
    if (!rag_ci) return;
    RagVocabulary vocabulary = rag_vocabulary(view.column(*rag_ci));
    std::vector<Category> categories = count_categories(s.spec);
    RagValues total_values = rag_values(param_words(s.spec, "total"));
    if (!param(s.spec, "total"))
        for (const Category& c : categories)
            for (RagValue v : c.values)
                if (std::find(total_values.begin(), total_values.end(), v) == total_values.end())
                    total_values.push_back(v);
    auto claim_name = param(s.spec, "claim");

    // The records of each section, gathered in one pass (not one pass per section: a plan of
    // 1,400 sections and 200,000 actions would take 280 million steps).
    std::unordered_map<std::string_view, std::vector<const Record*>> by_section;
    for (const Record& r : view.records())
        if (r.kind == RecordKind::Record) by_section[r.section].push_back(&r);
    static const std::vector<const Record*> kNone;
    for (const Section& section : s.doc.sections) {
        bool has_claim = std::any_of(section.claims.begin(), section.claims.end(),
                                     [&](const Claim& c) { return !claim_name || c.name == *claim_name; });
        if (!has_claim) continue;
        std::map<RagValue, std::size_t> tally;
        std::vector<const FieldValue*> unreadable;
        auto found = by_section.find(section.id);
        for (const Record* record : found == by_section.end() ? kNone : found->second) {
            const Record& r = *record;
            const FieldValue& value = view.value(r, *rag_ci);
            RagResult reading = read_rag(vocabulary, value);
            if (reading.value)
                ++tally[*reading.value];
            else if (written(value) && !is_blank(value) && reading.unknown())
                unreadable.push_back(&value);
        }
        for (const Claim& claim : section.claims)
            if (!claim_name || claim.name == *claim_name)
                check_claim(s, view, section, claim, tally, categories, total_values, unreadable, out);
    }
}

bool applies_total_count(const TableSpec& t, const RuleSpec& spec) {
    if (!table_has_param_fields(t, spec, {"rag", "count_field"})) return false;
    return param(spec, "rag") || param(spec, "count_field") || table_has_type(t, {FieldType::Rag});
}

// ---- TOTAL-RATIO ----------------------------------------------------------------------------
// Params: fields            the quantity columns (default: every quantity column)
//         denominator_field a column holding the whole that a bare bracketed count is of, so
//                           that "41% (15)" of 36 can be checked (optional)
// "50.5% (92/181)": 92/181 is 50.83%, and a figure stated to 1 dp may be off by 0.05 at most.

double rounding_allowance(int decimals) { return 0.5 * std::pow(10.0, -decimals) + 1e-6; }

void ratio_problem(const TableView& view, const Record& r, std::size_t ci, double stated, int decimals, double truth,
                   const std::string& because, Problems& out) {
    int shown = std::max(decimals, 1);
    std::string raw = plain_text(view.value(r, ci));
    Problem p = problem_at(view, r, ci,
                           quoted(raw) + " states " + format_percent(stated, decimals) + " but " + because + " is " +
                               format_percent(truth, shown));
    p.finding.expected = format_percent(truth, shown);
    p.finding.actual = format_percent(stated, decimals);
    p.what = view.label(ci) + " percentages disagree with their own figures";
    out.push_back(std::move(p));
}

void check_observation(const TableView& view, const Record& r, std::size_t ci, const Observation& o,
                       std::optional<double> whole, Problems& out) {
    if (o.status != QuantityStatus::Value || !o.value) return;
    if (o.unit == QuantityUnit::Percent && o.numerator && o.denominator && *o.denominator != 0) {
        double truth = 100.0 * *o.numerator / *o.denominator;
        if (std::fabs(*o.value - truth) > rounding_allowance(o.decimals))
            ratio_problem(view, r, ci, *o.value, o.decimals, truth,
                          format_figure(*o.numerator) + "/" + format_figure(*o.denominator), out);
        return;
    }
    if (!whole || *whole == 0 || !o.secondary) return;
    // "41% (15)": the percentage of a count; "33 (13%)": a count and its percentage.
    if (o.unit == QuantityUnit::Percent && o.secondary_unit != QuantityUnit::Percent) {
        double truth = 100.0 * *o.secondary / *whole;
        if (std::fabs(*o.value - truth) > rounding_allowance(o.decimals))
            ratio_problem(view, r, ci, *o.value, o.decimals, truth,
                          format_figure(*o.secondary) + " of " + format_figure(*whole), out);
    } else if (o.unit != QuantityUnit::Percent && o.secondary_unit == QuantityUnit::Percent) {
        double truth = 100.0 * *o.value / *whole;
        if (std::fabs(*o.secondary - truth) > rounding_allowance(o.secondary_decimals))
            ratio_problem(view, r, ci, *o.secondary, o.secondary_decimals, truth,
                          format_figure(*o.value) + " of " + format_figure(*whole), out);
    }
}

void check_total_ratio(const RuleScope& s, Problems& out) {
    TableView view(s.table, s.records);
    auto whole_ci = field_param(view, s.spec, "denominator_field");
    for (const Record& r : view.records()) {
        if (r.kind != RecordKind::Record) continue;
        std::optional<double> whole;
        if (whole_ci) whole = read_amount(view.column(*whole_ci), view.value(r, *whole_ci));
        for (std::size_t ci : fields_param(view, s.spec, "fields", view.columns_of({FieldType::Quantity}))) {
            if (!written(view.value(r, ci))) continue;
            Quantity q = read_quantity(view.value(r, ci));
            for (const Observation& o : q.observations) check_observation(view, r, ci, o, whole, out);
        }
    }
}

bool applies_total_ratio(const TableSpec& t, const RuleSpec& spec) {
    return table_has_param_fields(t, spec, {"fields", "denominator_field"}) &&
           (has_fields_param(spec) || table_has_type(t, {FieldType::Quantity}));
}

// ---- TOTAL-DIFF -----------------------------------------------------------------------------
// Params: result      the derived column (Variation)
//         minuend     what it is taken from (Outturn)
//         subtrahend  what is taken away (Latest Approved)
//         tolerance        the difference allowed (default 1 for money, 0 otherwise)
// Checked on every record and total row where all three hold figures.

void check_total_diff(const RuleScope& s, Problems& out) {
    TableView view(s.table, s.records);
    auto result = field_param(view, s.spec, "result");
    auto minuend = field_param(view, s.spec, "minuend");
    auto subtrahend = field_param(view, s.spec, "subtrahend");
    if (!result || !minuend || !subtrahend) return;
    double tolerance = param_number(s.spec, "tolerance", default_tolerance(view.column(*result)));
    for (const Record& r : view.records()) {
        if (r.kind != RecordKind::Record && r.kind != RecordKind::Total) continue;
        auto amount = [&](std::size_t ci) { return read_amount(view.column(ci), view.value(r, ci)); };
        auto stated = amount(*result), a = amount(*minuend), b = amount(*subtrahend);
        if (!stated || !a || !b || !differs(*stated, *a - *b, tolerance)) continue;
        double truth = *a - *b;
        Problem p = problem_at(view, r, *result,
                               view.label(*result) + " is " + format_figure(*stated) + " but " + view.label(*minuend) +
                                   " − " + view.label(*subtrahend) + " is " + format_figure(*a) + " − " +
                                   format_figure(*b) + " = " + format_figure(truth));
        p.finding.expected = format_figure(truth);
        p.finding.actual = format_figure(*stated);
        p.what = view.label(*result) + " differs from " + view.label(*minuend) + " − " + view.label(*subtrahend);
        out.push_back(std::move(p));
    }
}

bool applies_total_diff(const TableSpec& t, const RuleSpec& spec) {
    return param(spec, "result") && param(spec, "minuend") && param(spec, "subtrahend") &&
           table_has_param_fields(t, spec, {"result", "minuend", "subtrahend"});
}

// ---- TOTAL-PART -----------------------------------------------------------------------------
// Params: part        an "of which" column (2016/17 Budget)
//         whole       the column it is part of (Total Contract Value)
//         fields      percentage columns that share out one whole: together at most 100
//         tolerance   allowed excess (default 0 for part/whole; 0.5 per share for shares)

void check_part_whole(const TableView& view, const RuleSpec& spec, std::size_t part, std::size_t whole, Problems& out) {
    double tolerance = param_number(spec, "tolerance", 0.0);
    for (const Record& r : view.records()) {
        if (r.kind != RecordKind::Record) continue;
        auto p_val = read_amount(view.column(part), view.value(r, part));
        auto w_val = read_amount(view.column(whole), view.value(r, whole));
        if (!p_val || !w_val || *p_val <= *w_val + tolerance + 1e-9) continue;
        Problem p = problem_at(view, r, part,
                               view.label(part) + " (" + format_figure(*p_val) + ") is larger than " +
                                   view.label(whole) + " (" + format_figure(*w_val) + "), which it is part of");
        p.finding.expected = "at most " + format_figure(*w_val);
        p.finding.actual = format_figure(*p_val);
        p.what = view.label(part) + " is larger than " + view.label(whole);
        out.push_back(std::move(p));
    }
}

void check_shares(const TableView& view, const RuleSpec& spec, const std::vector<std::size_t>& shares, Problems& out) {
    double tolerance = param_number(spec, "tolerance", 0.5 * double(shares.size()));
    for (const Record& r : view.records()) {
        if (r.kind != RecordKind::Record) continue;
        double sum = 0;
        std::size_t stated = 0;
        for (std::size_t ci : shares)
            if (auto v = read_amount(view.column(ci), view.value(r, ci))) {
                sum += *v;
                ++stated;
            }
        if (stated < 2 || sum <= 100 + tolerance + 1e-9) continue;
        Problem p = problem_at(view, r, shares.front(),
                               "the shares in " + view.label(shares.front()) + " to " + view.label(shares.back()) +
                                   " add up to " + format_figure(sum) + "%, more than 100%");
        p.finding.expected = "at most 100%";
        p.finding.actual = format_figure(sum) + "%";
        p.what = "percentage shares add up to more than 100%";
        out.push_back(std::move(p));
    }
}

void check_total_part(const RuleScope& s, Problems& out) {
    TableView view(s.table, s.records);
    auto part = field_param(view, s.spec, "part");
    auto whole = field_param(view, s.spec, "whole");
    if (part && whole) check_part_whole(view, s.spec, *part, *whole, out);
    auto shares = fields_param(view, s.spec, "fields", {});
    if (shares.size() >= 2) check_shares(view, s.spec, shares, out);
}

bool applies_total_part(const TableSpec& t, const RuleSpec& spec) {
    bool pair = param(spec, "part") && param(spec, "whole");
    return (pair || param(spec, "fields")) && table_has_param_fields(t, spec, {"part", "whole", "fields"});
}

}  // namespace

std::vector<RuleInfo> total_rules() {
    using K = ParamKind;
    return {
        {"TOTAL-SUM",
         Severity::Error,
         "a total or subtotal row differs from the sum of its parts beyond the tolerance",
         {{"fields", K::Columns,
           "the columns to add up (default: every money, number and integer column that is not a key)"},
          {"tolerance", K::Number,
           "the difference allowed (default 1 for money columns, e.g. ±£1k in £'000 tables; 0 otherwise)"}},
         applies_total_sum,
         check_total_sum},
        {"TOTAL-COUNT",
         Severity::Error,
         "a stated count (a section's narrative claim, or a Total count row) differs from the records counted",
         {{"claim", K::Claim, "the claim to check (default: every claim)"},
          {"rag", K::Column, "the RAG column counted (default: the first rag column)"},
          {"on_track", K::RagValues, "RAG values the claim part on_track counts (default \"Green\")"},
          {"more_work", K::RagValues, "RAG values the claim part more_work counts (default \"Amber Red\")"},
          {"<part>", K::RagValues, "any other claim part: the RAG values it counts (e.g. complete=\"Blue\")"},
          {"total", K::RagValues, "RAG values the claim part total counts (default: all the values above; N/A never)"},
          {"count_field", K::Column, "a column in which Total rows state how many records they close (optional)"}},
         applies_total_count,
         check_total_count,
         /*open_params=*/true},
        {"TOTAL-RATIO",
         Severity::Error,
         "a percentage differs from its own numerator/denominator beyond the rounding of its stated precision",
         {{"fields", K::Columns, "the quantity columns (default: every quantity column)"},
          {"denominator_field", K::Column,
           "a column holding the whole a bracketed count is of: \"41% (15)\" of 36 (optional)"}},
         applies_total_ratio,
         check_total_ratio},
        {"TOTAL-DIFF",
         Severity::Error,
         "a derived column differs from its formula result = minuend − subtrahend",
         {{"result", K::Column, "the derived column (required), e.g. variation", true},
          {"minuend", K::Column, "the column it is taken from (required), e.g. outturn", true},
          {"subtrahend", K::Column, "the column taken away (required), e.g. latest_approved", true},
          {"tolerance", K::Number, "the difference allowed (default 1 for money, 0 otherwise)"}},
         applies_total_diff,
         check_total_diff},
        {"TOTAL-PART",
         Severity::Error,
         "an \"of which\" part exceeds its whole, or percentage shares add up to more than 100",
         {{"part", K::Column, "the part column, e.g. the year's budget (with whole)", false, "whole"},
          {"whole", K::Column, "the whole column, e.g. total contract value (with part)", false, "part"},
          {"fields", K::Columns, "percentage columns that share out one whole (optional)"},
          {"tolerance", K::Number, "excess allowed (default 0 for part/whole, 0.5 per share for shares)"}},
         applies_total_part,
         check_total_part},
    };
}

}  // namespace planconv
