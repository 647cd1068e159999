// VALUE-* and STATUS-* rules: what indicator values say — units that agree between target and
// outturn, placeholders left where a value is due, and a RAG status that matches the figures.
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

// The figure a quantity cell gives: the first (targets) or the latest (outturns) observation
// with a value.
const Observation* first_figure(const Quantity& q) {
    for (const Observation& o : q.observations)
        if (o.status == QuantityStatus::Value && o.value) return &o;
    return nullptr;
}
const Observation* last_figure(const Quantity& q) {
    for (auto it = q.observations.rbegin(); it != q.observations.rend(); ++it)
        if (it->status == QuantityStatus::Value && it->value) return &*it;
    return nullptr;
}

std::string unit_words(QuantityUnit u) {
    switch (u) {
    case QuantityUnit::Percent: return "a percentage";
    case QuantityUnit::Money: return "an amount of money";
    case QuantityUnit::Count: return "a count";
    case QuantityUnit::None: return "a figure";
    }
    return "a figure";
}

// Whether a figure is written as a percentage anywhere in the text, notes included ("2215
// (32.21% provisional outturn …)").
bool mentions_percentage(std::string_view text) {
    for (std::size_t p = text.find('%'); p != std::string_view::npos; p = text.find('%', p + 1)) {
        std::size_t q = p;
        while (q > 0 && text[q - 1] == ' ') --q;
        if (q > 0 && text[q - 1] >= '0' && text[q - 1] <= '9') return true;
    }
    return false;
}

// The units a cell's figures are in: every observation's, and a bracketed figure's ("234 (60%)"
// is a count and a percentage).
std::vector<QuantityUnit> units_of(const Quantity& q) {
    std::vector<QuantityUnit> out;
    for (const Observation& o : q.observations) {
        if (o.status != QuantityStatus::Value || !o.value) continue;
        out.push_back(o.unit);
        if (o.secondary) out.push_back(o.secondary_unit);
    }
    if (!out.empty() && mentions_percentage(q.raw)) out.push_back(QuantityUnit::Percent);
    return out;
}

// Whether a target figure and an outturn unit can be the same measure. A bare number in a target
// is often a percentage typed without its sign ("90" for a "(%)" indicator whose outturn is
// "90.5%"), so a bare target up to 100 agrees with a percentage; a percentage target cannot
// measure a count ("50%" for "220 (Q1)").
bool unit_agrees(const Observation& target, QuantityUnit outturn) {
    QuantityUnit t = target.unit;
    if (t == outturn || t == QuantityUnit::None || outturn == QuantityUnit::None) return true;
    if (t == QuantityUnit::Count && outturn == QuantityUnit::Percent) return *target.value <= 100;
    // A bare number may be an amount of money in pounds.
    return (t == QuantityUnit::Count && outturn == QuantityUnit::Money) ||
           (t == QuantityUnit::Money && outturn == QuantityUnit::Count);
}

bool units_agree(const Observation& target, const Quantity& outturn) {
    auto units = units_of(outturn);
    return units.empty() ||
           std::any_of(units.begin(), units.end(), [&](QuantityUnit u) { return unit_agrees(target, u); });
}

// A target stated as a change ("2% year on year reduction") measures the movement, not the
// level, so its unit need not be the outturn's.
bool states_a_change(std::string_view text) {
    for (std::string_view word : {"reduction", "increase", "decrease", "year on year", "improvement"})
        if (ifind(text, word) != std::string_view::npos) return true;
    return false;
}

std::string figure_text(const Observation& o) {
    return o.unit == QuantityUnit::Percent ? format_percent(*o.value, o.decimals) : format_figure(*o.value);
}

// ---- VALUE-UNIT -----------------------------------------------------------------------------
// Params: target, outturn  the pair to compare (optional)
//         fields  without a pair: the quantity columns that must share a unit (default: every
//                 quantity column), each judged as a target against the columns after it
// One finding per record, at the target's cell: the outturn records what happened, so the
// target is the figure to correct.

void check_value_unit(const RuleScope& s, Problems& out) {
    TableView view(s.table, s.records);
    auto target = field_param(view, s.spec, "target");
    auto outturn = field_param(view, s.spec, "outturn");
    std::vector<std::size_t> cols = target && outturn
                                        ? std::vector<std::size_t>{*target, *outturn}
                                        : fields_param(view, s.spec, "fields", view.columns_of({FieldType::Quantity}));
    for (const Record& r : view.records()) {
        if (r.kind != RecordKind::Record) continue;
        std::vector<std::pair<std::size_t, Quantity>> seen;
        for (std::size_t ci : cols) {
            const FieldValue& v = view.value(r, ci);
            if (!v.present || is_blank(v)) continue;
            seen.emplace_back(ci, read_quantity(v));
        }
        bool reported = false;
        for (std::size_t i = 0; i + 1 < seen.size() && !reported; ++i)
            for (std::size_t j = i + 1; j < seen.size() && !reported; ++j) {
                const Observation* t = first_figure(seen[i].second);
                if (!t || units_agree(*t, seen[j].second) || states_a_change(seen[i].second.raw)) continue;
                QuantityUnit other = units_of(seen[j].second).front();
                std::size_t ct = seen[i].first, co = seen[j].first;
                Problem p =
                    problem_at(view, r, ct,
                               view.label(ct) + " " + quoted(figure_text(*t)) + " is " + unit_words(t->unit) + " but " +
                                   view.label(co) + " " + quoted(seen[j].second.raw) + " is " + unit_words(other),
                               view.label(ct) + " and " + view.label(co) + " are in different units");
                p.finding.expected = unit_words(other) + ", like " + view.label(co);
                p.finding.actual = figure_text(*t);
                out.push_back(std::move(p));
                reported = true;
            }
    }
}

bool applies_value_unit(const TableSpec& t, const RuleSpec& spec) {
    if (!table_has_param_fields(t, spec, {"target", "outturn", "fields"})) return false;
    if (param(spec, "target") && param(spec, "outturn")) return true;
    if (has_fields_param(spec)) return true;
    return std::count_if(t.columns.begin(), t.columns.end(),
                         [](const ColumnSpec& c) { return c.type == FieldType::Quantity; }) >= 2;
}

// ---- VALUE-PLACEHOLDER ----------------------------------------------------------------------
// Params: fields  the columns to look in (default: every column but rag, enum and bool ones,
//                 whose stray values are FIELD-ENUM's)
// Placeholders: a whole cell "TBC"/"TBA"/"TBD"; "XX", "X%", "£X", "??", "(insert month)",
// "[insert date]" anywhere in the text. "N/A" is an answer, not a placeholder.

void check_value_placeholder(const RuleScope& s, Problems& out) {
    TableView view(s.table, s.records);
    std::vector<std::size_t> defaults;
    for (std::size_t ci = 0; ci < s.table.columns.size(); ++ci) {
        FieldType t = s.table.columns[ci].type;
        if (t != FieldType::Rag && t != FieldType::Enum && t != FieldType::Bool) defaults.push_back(ci);
    }
    for (std::size_t ci : fields_param(view, s.spec, "fields", defaults))
        for (const Record& r : view.records()) {
            if (r.kind != RecordKind::Record) continue;
            const FieldValue& v = view.value(r, ci);
            if (!written(v)) continue;
            auto placeholder = find_placeholder(v.raw());
            if (!placeholder) continue;
            Problem p = problem_at(
                view, r, ci,
                view.label(ci) + " still holds the placeholder " + quoted(*placeholder) + " where a value is due",
                view.label(ci) + " holds placeholder text");
            p.finding.expected = "a value";
            p.finding.actual = *placeholder;
            out.push_back(std::move(p));
        }
}

// ---- STATUS-MISMATCH ------------------------------------------------------------------------
// Params: target, outturn  the columns (required)
//         rag        the stated status (default: the first rag column)
//         polarity   higher | lower: which way is better (default higher); a target written
//                    with a comparator (">800", "<5.0") says it itself
// Green (or Blue) while the latest outturn misses the target, or Red while it meets it, is a
// mismatch. Amber is a judgement the figures cannot contradict.

bool meets(const Observation& target, double outturn, bool higher_is_better) {
    double t = *target.value;
    if (target.upper) return outturn >= t && outturn <= *target.upper;
    switch (target.comparator) {
    case Comparator::Greater: return outturn > t;
    case Comparator::GreaterOrEqual: return outturn >= t;
    case Comparator::Less: return outturn < t;
    case Comparator::LessOrEqual: return outturn <= t;
    default: return higher_is_better ? outturn >= t : outturn <= t;
    }
}

void check_status_mismatch(const RuleScope& s, Problems& out) {
    TableView view(s.table, s.records);
    auto rag = field_param(view, s.spec, "rag", view.first_of(FieldType::Rag));
    auto target = field_param(view, s.spec, "target");
    auto outturn = field_param(view, s.spec, "outturn");
    if (!rag || !target || !outturn) return;
    bool higher = param(s.spec, "polarity").value_or("higher") != "lower";
    RagVocabulary vocabulary = rag_vocabulary(view.column(*rag));
    for (const Record& r : view.records()) {
        if (r.kind != RecordKind::Record) continue;
        auto status = read_rag(vocabulary, view.value(r, *rag)).value;
        if (status != RagValue::Green && status != RagValue::Blue && status != RagValue::Red) continue;
        Quantity tq = read_quantity(view.value(r, *target)), oq = read_quantity(view.value(r, *outturn));
        const Observation* t = first_figure(tq);
        const Observation* o = last_figure(oq);
        if (!t || !o || !unit_agrees(*t, o->unit)) continue;
        bool ok = meets(*t, *o->value, higher);
        bool good_status = status != RagValue::Red;
        if (ok == good_status) continue;
        std::string status_text = plain_text(view.value(r, *rag));
        Problem p = problem_at(view, r, *rag,
                               view.label(*rag) + " is " + quoted(status_text) + " but the outturn " +
                                   format_figure(*o->value) + (o->unit == QuantityUnit::Percent ? "%" : "") + " " +
                                   (ok ? "meets" : "misses") + " the target " + quoted(tq.raw) + " (" +
                                   (higher ? "higher" : "lower") + " is better)",
                               view.label(*rag) + " contradicts the target and outturn");
        p.finding.expected = ok ? "Green" : "Amber or Red";
        p.finding.actual = status_text;
        out.push_back(std::move(p));
    }
}

bool applies_status_mismatch(const TableSpec& t, const RuleSpec& spec) {
    return param(spec, "target") && param(spec, "outturn") &&
           table_has_param_fields(t, spec, {"target", "outturn", "rag"}) &&
           (param(spec, "rag") || table_has_type(t, {FieldType::Rag}));
}

bool applies_value_placeholder(const TableSpec& t, const RuleSpec& spec) {
    return table_has_param_fields(t, spec, {"fields"});
}

}  // namespace

std::vector<RuleInfo> value_rules() {
    using K = ParamKind;
    return {
        {"VALUE-UNIT",
         Severity::Warning,
         "target and outturn of one indicator are in different units (a 50% target for a count)",
         {{"target", K::Column, "the target column (with outturn)", false, "outturn"},
          {"outturn", K::Column, "the outturn column (with target)", false, "target"},
          {"fields", K::Columns,
           "without a pair: quantity columns that must share a unit (default: every quantity column)"}},
         applies_value_unit,
         check_value_unit},
        {"VALUE-PLACEHOLDER",
         Severity::Warning,
         "placeholder text is left where a value is due (TBC, XX, X%, (insert month))",
         {{"fields", K::Columns, "the columns to look in (default: every column but rag, enum and bool columns)"}},
         applies_value_placeholder,
         check_value_placeholder},
        {"STATUS-MISMATCH",
         Severity::Warning,
         "a stated RAG status contradicts the target, the outturn and the polarity",
         {{"target", K::Column, "the target column (required)", true},
          {"outturn", K::Column, "the outturn column (required); its latest figure is used", true},
          {"rag", K::Column, "the RAG column (default: the first rag column)"},
          {"polarity", K::Words, "higher | lower: which way is better (default higher)"}},
         applies_status_mismatch,
         check_status_mismatch},
    };
}

}  // namespace planconv
