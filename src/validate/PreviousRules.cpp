// The PREV-* rules: this quarter's return against last quarter's (--previous). The records are
// paired first (PreviousPairing); each rule then reads one side of the pairing:
//   PREV-DROPPED   a previous record with no partner now, unless it was complete or closed;
//   PREV-ADDED     a record with no partner last quarter (info);
//   PREV-SLIPPED   a target date that moved later (info when the update says why);
//   PREV-STATUS    RAG up two steps or more, complete -> open, or a change with the same update;
//   PREV-STALE     the update word for word last quarter's on a record that is not complete;
//   PREV-RESTATED  a figure for a period both returns report has changed.
// They apply to every mapping whenever a previous return is given (Checker.cpp); a mapping
// declares them only to change a severity or a parameter. Findings sit at the current cell (a
// dropped record: where it would be now) and name the previous value.
#include "mapping/Mapping.hpp"
#include "model/CellRef.hpp"
#include "parse/Text.hpp"
#include "validate/PreviousPairing.hpp"
#include "validate/Rule.hpp"
#include "validate/RuleParams.hpp"
#include "validate/TableView.hpp"
#include "validate/ValueReaders.hpp"
#include "validate/Wording.hpp"

#include <algorithm>
#include <cmath>

namespace planconv {

namespace {

// One table of this return beside the same table of last quarter's.
struct Sides {
    TableView now;
    TableView before;
    const TablePairing& pairing;
    const std::string& previous_name;
};

template <class Check>
void with_sides(const RuleScope& s, Check&& check) {
    if (!s.ctx.previous) return;
    const TablePairing* p = s.ctx.previous->table(s.table.name);
    if (!p || !p->before || !p->before->spec) return;
    Sides sides{TableView(s.table, s.records), TableView(*p->before->spec, *p->before), *p, s.ctx.previous->name};
    check(sides);
}

// The same column in last quarter's table (same mapping: same field name).
std::optional<std::size_t> before_column(const Sides& x, std::size_t ci) { return x.before.index(x.now.column(ci).field); }

bool texty(const ColumnSpec& c) { return c.type == FieldType::Text || c.type == FieldType::RichText; }

// What a reader would call the same text: words and figures only, case and layout aside.
std::string comparable(const FieldValue& v) { return comparable_text(plain_text(v)); }

// The columns that carry this quarter's narrative: `update_field`, else the text columns a
// return template leaves for the service to fill in (not keys, not given from last quarter).
std::vector<std::size_t> update_fields(const TableView& view, const RuleSpec& spec) {
    std::vector<std::size_t> fallback;
    for (std::size_t ci = 0; ci < view.spec().columns.size(); ++ci) {
        const ColumnSpec& c = view.column(ci);
        if (texty(c) && !c.key && c.derive_from.empty() && c.template_role == TemplateRole::Input) fallback.push_back(ci);
    }
    return fields_param(view, spec, "update_field", fallback);
}

// Whether a record says its work is done: a Blue RAG, a Completed/Implemented timescale, or an
// update that says so.
bool is_complete(const TableView& view, const Record& r, const RuleSpec& spec) {
    if (auto rag = field_param(view, spec, "rag", view.first_of(FieldType::Rag)))
        if (read_rag(rag_vocabulary(view.column(*rag)), view.value(r, *rag)).value == RagValue::Blue) return true;
    for (std::size_t ci : view.columns_of({FieldType::Timescale})) {
        Timescale ts = read_timescale(view.value(r, ci), {});
        if (ts.has_status(TimescaleStatus::Completed) || ts.has_status(TimescaleStatus::Implemented)) return true;
    }
    auto words = param_words(spec, "complete_words");
    for (std::size_t ci : update_fields(view, spec)) {
        const FieldValue& v = view.value(r, ci);
        if (v.present && says_complete(plain_text(v), words)) return true;
    }
    return false;
}

bool mentions_any(const std::string& text, const std::vector<std::string>& words) {
    std::string folded = " " + text + " ";
    for (const std::string& w : words) {
        std::string key;
        for (unsigned char c : w) key += c == '_' ? ' ' : char(std::tolower(c));
        if (folded.find(" " + key + " ") != std::string::npos) return true;
    }
    return false;
}

std::string update_text(const TableView& view, const Record& r, const std::vector<std::size_t>& fields) {
    std::string out;
    for (std::size_t ci : fields) {
        std::string t = comparable(view.value(r, ci));
        if (!t.empty()) out += (out.empty() ? "" : " ") + t;
    }
    return out;
}

// The cell that names a record: its id, else its identifying text, else its first column.
std::size_t naming_column(const TableView& view) {
    if (auto id = view.first_of(FieldType::Id); id && view.column(*id).derive_from.empty()) return *id;
    for (std::size_t ci = 0; ci < view.spec().columns.size(); ++ci)
        if (view.column(ci).key && view.column(ci).derive_from.empty()) return ci;
    return 0;
}

// What a record is about: its first key text column (the action, the indicator), else its first
// text column.
std::string identifying_text(const TableView& view, const Record& r) {
    for (bool key : {true, false})
        for (std::size_t ci = 0; ci < view.spec().columns.size(); ++ci) {
            const ColumnSpec& c = view.column(ci);
            if (texty(c) && c.derive_from.empty() && (c.key || !key)) return plain_text(view.value(r, ci));
        }
    return {};
}

std::string shown_value(const FieldValue& v) {
    std::string t = plain_text(v);
    return t.empty() ? "blank" : quoted(t);
}

// ---- PREV-DROPPED -------------------------------------------------------------------------------
// Params: update_field, rag, complete_words  what says a record was complete (see is_complete)
//         closed_words   words of last quarter's update that close a record without completing it

void check_prev_dropped(const RuleScope& s, Problems& out) {
    with_sides(s, [&](const Sides& x) {
        std::vector<std::string> closed = param_words(s.spec, "closed_words");
        if (closed.empty()) closed = {"closed", "withdrawn", "superseded", "cancelled", "deleted", "merged", "no_longer_required"};
        auto before_updates = update_fields(x.before, s.spec);
        const auto& before = x.before.records();
        std::size_t at_col = naming_column(x.now);
        for (std::size_t j = 0; j < before.size(); ++j) {
            const Record& was = before[j];
            if (was.kind != RecordKind::Record || x.pairing.now_of[j]) continue;
            if (is_complete(x.before, was, s.spec)) continue;
            if (mentions_any(update_text(x.before, was, before_updates), closed)) continue;
            // Where it would be now: before the current partner of the next previous record that
            // has one, else after the last record.
            const Record* place = nullptr;
            bool after_last = false;
            for (std::size_t k = j + 1; k < before.size() && !place; ++k)
                if (x.pairing.now_of[k]) place = &x.now.records()[*x.pairing.now_of[k]];
            if (!place)
                for (auto it = x.now.records().rbegin(); it != x.now.records().rend() && !place; ++it)
                    if (it->kind == RecordKind::Record) place = &*it, after_last = true;
            std::string id = x.before.record_id(was);
            std::string text = x.before.noun() + " " + id + " of the previous return (" + x.previous_name + " " +
                               was.sheet + "!" + x.before.cell(was, naming_column(x.before)).a1() + ") is missing from this one";
            Problem p;
            if (place) {
                p = problem_at(x.now, *place, at_col, "");
                if (after_last) p.finding.cell = CellRef{place->last_row + 1, x.now.cell(*place, at_col).col}.a1();
            }
            p.finding.record = id;
            p.finding.message = text + ", and it was neither complete nor closed with a note there; say in the update why it was dropped";
            std::string about = identifying_text(x.before, was);
            p.finding.expected = x.before.noun() + " " + id + (about.empty() ? "" : " (" + quoted(about) + ")");
            p.finding.actual = "missing";
            p.field = "(dropped)";
            p.what = "a " + x.before.noun() + " of the previous return is missing from this one";
            out.push_back(std::move(p));
        }
    });
}

// ---- PREV-ADDED ---------------------------------------------------------------------------------

void check_prev_added(const RuleScope& s, Problems& out) {
    with_sides(s, [&](const Sides& x) {
        std::size_t ci = naming_column(x.now);
        for (std::size_t i = 0; i < x.now.records().size(); ++i) {
            const Record& r = x.now.records()[i];
            if (r.kind != RecordKind::Record || x.pairing.before_of[i]) continue;
            Problem p = problem_at(x.now, r, ci,
                                   x.now.noun() + " " + x.now.record_id(r) + " is new: the previous return (" + x.previous_name +
                                       ") has no " + x.now.noun() + " like it",
                                   "a " + x.now.noun() + " the previous return did not have");
            std::string about = identifying_text(x.now, r);
            p.finding.actual = x.now.noun() + " " + x.now.record_id(r) + (about.empty() ? "" : " (" + quoted(about) + ")");
            out.push_back(std::move(p));
        }
    });
}

// The pairs, current record first.
template <class Each>
void each_pair(const Sides& x, Each&& each) {
    for (std::size_t i = 0; i < x.now.records().size(); ++i)
        if (x.pairing.before_of[i])
            each(x.now.records()[i], x.before.records()[*x.pairing.before_of[i]], bool(x.pairing.by_text[i]));
}

std::string paired_note(const Sides& x, const Record& now, const Record& was, bool by_text) {
    if (!by_text) return "";
    return " (paired with " + x.before.noun() + " " + x.before.record_id(was) + " of the previous return by its text" +
           (x.before.record_id(was) == x.now.record_id(now) ? "" : ": the ids were renumbered") + ")";
}

// ---- PREV-SLIPPED -------------------------------------------------------------------------------
// Params: field         the target date column (default: the first timescale column)
//         update_field  where the reason may be given (default: the return's input text columns)
//         words         words that say the date was changed on purpose (default below)

void check_prev_slipped(const RuleScope& s, Problems& out) {
    with_sides(s, [&](const Sides& x) {
        auto ci = field_param(x.now, s.spec, "field", x.now.first_of(FieldType::Timescale));
        if (!ci) ci = x.now.first_of(FieldType::Date);
        if (!ci) return;
        auto bi = before_column(x, *ci);
        if (!bi) return;
        std::vector<std::string> words = param_words(s.spec, "words");
        if (words.empty())
            words = {"revised", "moved", "delayed", "delay", "slipped", "extended", "deferred", "rescheduled", "postponed",
                     "reprofiled", "new_date", "pushed_back", "put_back", "now_expected", "now_due"};
        auto updates = update_fields(x.now, s.spec);
        TimescaleOptions options = timescale_options(s.ctx);
        each_pair(x, [&](const Record& now, const Record& was, bool by_text) {
            const FieldValue& v = x.now.value(now, *ci);
            const FieldValue& w = x.before.value(was, *bi);
            auto due_now = read_timescale(v, options).due();
            auto due_was = read_timescale(w, options).due();
            if (!due_now || !due_was || *due_now <= *due_was) return;
            bool explained = mentions_any(update_text(x.now, now, updates), words);
            Problem p = problem_at(x.now, now, *ci,
                                   x.now.label(*ci) + " moved later since the previous return: " + quoted(plain_text(w)) + " (" +
                                       format_date(*due_was) + ") then, " + quoted(plain_text(v)) + " (" + format_date(*due_now) +
                                       ") now" + paired_note(x, now, was, by_text) +
                                       (explained ? "; the update mentions the change" : "; the update does not say why"),
                                   x.now.label(*ci) + " moved later since the previous return");
            p.finding.expected = plain_text(w);
            p.finding.actual = plain_text(v);
            p.explained = explained;
            out.push_back(std::move(p));
        });
    });
}

// ---- PREV-STATUS --------------------------------------------------------------------------------
// Params: rag            the RAG column (default: the first rag column)
//         steps          how many steps up (Red, Amber, Green, Blue) need a word (default 2)
//         update_field, complete_words  what says a record is complete (see is_complete)

int rag_step(RagValue v) {
    switch (v) {
        case RagValue::Red: return 0;
        case RagValue::Amber: return 1;
        case RagValue::Green: return 2;
        case RagValue::Blue: return 3;
        case RagValue::NA: break;
    }
    return -1;
}

void check_prev_status(const RuleScope& s, Problems& out) {
    with_sides(s, [&](const Sides& x) {
        auto rag = field_param(x.now, s.spec, "rag", x.now.first_of(FieldType::Rag));
        std::optional<std::size_t> rag_was = rag ? before_column(x, *rag) : std::nullopt;
        RagVocabulary vocabulary = rag ? rag_vocabulary(x.now.column(*rag)) : RagVocabulary();
        int steps = int(param_number(s.spec, "steps", 2));
        auto updates = update_fields(x.now, s.spec);
        std::size_t at = rag ? *rag : (updates.empty() ? naming_column(x.now) : updates.front());
        each_pair(x, [&](const Record& now, const Record& was, bool by_text) {
            std::string why, was_shown, now_shown, was_plain, now_plain;
            std::optional<RagValue> r_now, r_was;
            if (rag && rag_was) {
                r_now = read_rag(vocabulary, x.now.value(now, *rag)).value;
                r_was = read_rag(vocabulary, x.before.value(was, *rag_was)).value;
                was_shown = shown_value(x.before.value(was, *rag_was));
                now_shown = shown_value(x.now.value(now, *rag));
                was_plain = plain_text(x.before.value(was, *rag_was));
                now_plain = plain_text(x.now.value(now, *rag));
            }
            // An update column word for word last quarter's (the update; next steps may move on).
            bool same_update = false;
            for (std::size_t ci : updates) {
                auto bi = before_column(x, ci);
                std::string t = comparable(x.now.value(now, ci));
                if (bi && !t.empty() && t == comparable(x.before.value(was, *bi))) same_update = true;
            }
            bool complete_was = is_complete(x.before, was, s.spec), complete_now = is_complete(x.now, now, s.spec);
            if (complete_was && !complete_now) {
                why = "was complete in the previous return and is not complete now";
                if (was_shown.empty()) {
                    was_shown = "complete";
                    now_shown = "not complete";
                }
            } else if (r_now && r_was && rag_step(*r_now) >= 0 && rag_step(*r_was) >= 0 &&
                       rag_step(*r_now) - rag_step(*r_was) >= steps) {
                why = "RAG improved " + std::to_string(rag_step(*r_now) - rag_step(*r_was)) + " steps since the previous return (" +
                      was_shown + " then, " + now_shown + " now); say in the update what changed";
            } else if (r_now && r_was && *r_now != *r_was && same_update) {
                why = "RAG changed since the previous return (" + was_shown + " then, " + now_shown +
                      " now) while the update is word for word the same";
            }
            if (why.empty()) return;
            if (why.starts_with("was complete") && !was_shown.empty() && rag && was_shown != "complete")
                why += " (" + was_shown + " then, " + now_shown + " now)";
            Problem p = problem_at(x.now, now, at, x.now.noun() + " " + x.now.record_id(now) + " " + why + paired_note(x, now, was, by_text),
                                   "the status moved since the previous return without a word why");
            p.finding.expected = was_plain.empty() ? was_shown : was_plain;
            p.finding.actual = now_plain.empty() ? now_shown : now_plain;
            out.push_back(std::move(p));
        });
    });
}

// ---- PREV-STALE ---------------------------------------------------------------------------------
// Params: update_field   the update columns (default: the return's input text columns)
//         min_words      shorter updates ("N/A", "On track") are not judged (default 3)
//         rag, complete_words  what says a record is complete (see is_complete)

void check_prev_stale(const RuleScope& s, Problems& out) {
    with_sides(s, [&](const Sides& x) {
        auto updates = update_fields(x.now, s.spec);
        if (updates.empty()) return;
        std::size_t min_words = std::size_t(param_number(s.spec, "min_words", 3));
        each_pair(x, [&](const Record& now, const Record& was, bool by_text) {
            if (is_complete(x.now, now, s.spec)) return;
            for (std::size_t ci : updates) {
                auto bi = before_column(x, ci);
                if (!bi) continue;
                std::string t = comparable(x.now.value(now, ci));
                if (t.empty() || t != comparable(x.before.value(was, *bi))) continue;
                if (std::size_t(std::count(t.begin(), t.end(), ' ')) + 1 < min_words) continue;
                Problem p = problem_at(x.now, now, ci,
                                       x.now.label(ci) + " is word for word the previous return's (" + quoted(plain_text(x.before.value(was, *bi))) +
                                           ") while the " + x.now.noun() + " is not complete" + paired_note(x, now, was, by_text),
                                       x.now.label(ci) + " is word for word the previous return's");
                p.finding.expected = "an update for this quarter";
                p.finding.actual = "the previous return's text";
                out.push_back(std::move(p));
            }
        });
    });
}

// ---- PREV-RESTATED ------------------------------------------------------------------------------
// Params: fields     the figure columns compared (default: every number, money, percent and
//                    quantity column)
//         tolerance  a difference up to this is rounding (default 0)
// A column is compared with the same column of the previous return when both headers name the
// same period ("Outturn 2011/12" in both): a column whose period moved on (Quarter 3 -> Quarter 4)
// reports something else, and a header without a period is never compared.

std::optional<Period> header_period(const TableRecords& tr, std::size_t ci) {
    if (ci >= tr.header_texts.size() || tr.header_texts[ci].empty()) return std::nullopt;
    auto part = find_period(tr.header_texts[ci]);
    if (!part || !part->period) return std::nullopt;
    return part->period;
}

// A figure as the sheet shows it: a percentage-formatted number as its percentage (0.75 -> 75),
// so that a workbook's cell and the XML's "75%" read alike.
std::optional<double> figure_of(const ColumnSpec& column, const FieldValue& v) {
    if (v.present && v.cell_type == CellType::Number && v.percent_format) return v.number * 100;
    return read_amount(column, v);
}

std::string shown_figure(const FieldValue& v) {
    if (v.present && v.cell_type == CellType::Number && v.percent_format) return format_figure(v.number * 100, 2) + "%";
    return plain_text(v);
}

void check_prev_restated(const RuleScope& s, Problems& out) {
    with_sides(s, [&](const Sides& x) {
        double tolerance = param_number(s.spec, "tolerance", 0);
        auto figures = fields_param(x.now, s.spec, "fields",
                                    x.now.columns_of({FieldType::Number, FieldType::Integer, FieldType::Money, FieldType::Percent,
                                                      FieldType::Quantity}));
        for (std::size_t ci : figures) {
            auto bi = before_column(x, ci);
            if (!bi) continue;
            auto period = header_period(s.records, ci);
            if (!period || period != header_period(*x.pairing.before, *bi)) continue;
            const ColumnSpec& col = x.now.column(ci);
            each_pair(x, [&](const Record& now, const Record& was, bool by_text) {
                const FieldValue& v = x.now.value(now, ci);
                const FieldValue& w = x.before.value(was, *bi);
                auto a = figure_of(col, v), b = figure_of(x.before.column(*bi), w);
                if (!a || !b || std::fabs(*a - *b) <= tolerance + 1e-9) return;
                Problem p = problem_at(x.now, now, ci,
                                       x.now.label(ci) + " of " + x.now.noun() + " " + x.now.record_id(now) + " was " +
                                           quoted(shown_figure(w)) + " in the previous return and is " + quoted(shown_figure(v)) +
                                           " now: a figure for a period both returns report has changed" +
                                           paired_note(x, now, was, by_text),
                                       x.now.label(ci) + " differs from the previous return's figure for the same period");
                p.finding.expected = shown_figure(w);
                p.finding.actual = shown_figure(v);
                out.push_back(std::move(p));
            });
        }
    });
}

bool applies_everywhere(const TableSpec&, const RuleSpec&) { return true; }

}  // namespace

std::vector<RuleInfo> previous_rules() {
    using K = ParamKind;
    const RuleParam update{"update_field", K::Columns,
                           "the update columns (default: the text columns the return template leaves to the service)"};
    const RuleParam rag{"rag", K::Column, "the RAG column: Blue is complete (default: the first rag column)"};
    const RuleParam complete{"complete_words", K::Words, "the words that say a record is complete (default \"complete completed achieved implemented\")"};
    return {
        {"PREV-DROPPED", Severity::Warning,
         "a record of the previous return is missing now (not completed or closed with a note)",
         {update, rag, complete,
          {"closed_words", K::Words,
           "words of the previous update that close a record (default \"closed withdrawn superseded cancelled deleted merged no_longer_required\"; _ joins words)"}},
         applies_everywhere, check_prev_dropped},
        {"PREV-ADDED", Severity::Info, "a record that the previous return did not have", {}, applies_everywhere, check_prev_added},
        {"PREV-SLIPPED", Severity::Warning,
         "a target date moved later since the previous return (info when the update mentions the change)",
         {{"field", K::Column, "the target date column (default: the first timescale column)"},
          update,
          {"words", K::Words,
           "words of the update that explain the move (default \"revised moved delayed delay slipped extended deferred rescheduled postponed reprofiled new_date pushed_back put_back now_expected now_due\"; _ joins words)"}},
         applies_everywhere, check_prev_slipped},
        {"PREV-STATUS", Severity::Warning,
         "RAG improved two steps or more, complete → open, or a RAG change with the update text unchanged",
         {rag, {"steps", K::Number, "how many steps up (Red, Amber, Green, Blue) need a word (default 2)"}, update, complete},
         applies_everywhere, check_prev_status},
        {"PREV-STALE", Severity::Warning,
         "the update text is word for word last quarter's on a record that is not complete",
         {update, {"min_words", K::Number, "shorter updates are not judged (default 3)"}, rag, complete},
         applies_everywhere, check_prev_stale},
        {"PREV-RESTATED", Severity::Warning, "a figure for a period both returns report has changed",
         {{"fields", K::Columns, "the figure columns compared (default: every number, money, percent and quantity column)"},
          {"tolerance", K::Number, "a difference up to this is rounding (default 0)"}},
         applies_everywhere, check_prev_restated},
    };
}

}  // namespace planconv
