// Checker: declared rules -> problems -> sorted, de-duplicated, folded findings.
#include "validate/Checker.hpp"

#include "mapping/Mapping.hpp"
#include "model/CellRef.hpp"
#include "validate/Rule.hpp"
#include "validate/Wording.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <iterator>
#include <map>
#include <thread>
#include <tuple>

namespace planconv {

namespace {

// A problem with where it came from (for folding) and where it sits (for ordering).
struct Collected {
    Problem problem;
    std::string table;
    std::size_t sheet_rank = 0;  // 0: about the file as a whole
    CellRef cell;
};

// The severity a declaration gives, or nullopt when it turns the rule off.
std::optional<Severity> declared_severity(const RuleSpec& spec, const RuleInfo& info) {
    if (spec.severity.empty()) return info.severity;
    if (spec.severity == "off") return std::nullopt;
    return severity_from(spec.severity).value_or(info.severity);
}

void run_rule(const Document& doc, const CheckContext& ctx, const RuleSpec& spec, std::vector<Collected>& out) {
    const RuleInfo* info = find_rule(spec.id);
    if (!info) return;  // the loader refuses unknown ids; a hand-built mapping just skips them
    auto severity = declared_severity(spec, *info);
    if (!severity) return;
    for (const TableRecords& tr : doc.tables) {
        if (!tr.spec) continue;
        const TableSpec& table = *tr.spec;
        bool chosen = spec.table.empty() ? info->applies(table, spec) : spec.table == table.name;
        if (!chosen) continue;
        Problems problems;
        info->check(RuleScope{doc, ctx, table, tr, spec}, problems);
        for (Problem& p : problems) {
            p.finding.rule = std::string(info->id);
            p.finding.severity = p.explained ? std::min(*severity, Severity::Info) : *severity;
            out.push_back({std::move(p), table.name, 0, {}});
        }
        if (info->once_per_document) break;
    }
}

// The sheets in the order the document met them. Each table lists its sheets in workbook order,
// so merging the lists (a sheet new to the merge goes right after the sheet before it in its
// own list) recovers the workbook's order without the workbook.
std::map<std::string, std::size_t> sheet_order(const Document& doc) {
    std::vector<std::string> order;
    auto merge = [&](const std::vector<std::string>& sheets) {
        std::size_t insert_at = 0;
        for (const std::string& s : sheets) {
            auto it = std::find(order.begin(), order.end(), s);
            if (it != order.end()) {
                insert_at = std::size_t(it - order.begin()) + 1;
                continue;
            }
            order.insert(order.begin() + std::ptrdiff_t(insert_at), s);
            ++insert_at;
        }
    };
    auto distinct = [](std::vector<std::string> in) {
        std::vector<std::string> out;
        for (std::string& s : in)
            if (out.empty() || out.back() != s) out.push_back(std::move(s));
        return out;
    };
    std::vector<std::string> seen;
    for (const Fact& f : doc.facts) seen.push_back(f.where.sheet);
    for (const Section& s : doc.sections) seen.push_back(s.where.sheet);
    merge(distinct(seen));
    for (const TableRecords& tr : doc.tables) {
        seen.clear();
        for (const Record& r : tr.records) seen.push_back(r.sheet);
        merge(distinct(seen));
    }
    std::map<std::string, std::size_t> rank;
    for (std::size_t i = 0; i < order.size(); ++i) rank.emplace(order[i], i + 1);
    return rank;
}

void locate(Collected& c, const std::map<std::string, std::size_t>& sheets) {
    const Finding& f = c.problem.finding;
    if (!f.sheet.empty()) {
        auto it = sheets.find(f.sheet);
        c.sheet_rank = it == sheets.end() ? sheets.size() + 1 : it->second;
    }
    c.cell = CellRef::parse(f.cell).value_or(CellRef{0, 0});
}

bool in_order(const Collected& a, const Collected& b) {
    auto key = [](const Collected& c) {
        const Finding& f = c.problem.finding;
        return std::make_tuple(c.sheet_rank, std::string_view(f.sheet), c.cell.row, c.cell.col,
                               std::string_view(f.rule), std::string_view(f.record), std::string_view(f.message));
    };
    return key(a) < key(b);
}

bool same_problem(const Finding& a, const Finding& b) {
    return a.rule == b.rule && a.sheet == b.sheet && a.cell == b.cell && a.record == b.record && a.message == b.message;
}

using FoldKey = std::tuple<std::string, std::string, std::string>;  // rule, table, field

FoldKey fold_key(const Collected& c) { return {c.problem.finding.rule, c.table, c.problem.field}; }

std::string folded_message(const Problem& first, std::size_t n) {
    const Finding& f = first.finding;
    std::string what = first.what.empty() ? f.message : first.what;
    std::string where = f.cell.empty() ? f.sheet : f.sheet + "!" + f.cell;
    return what + " in " + format_figure(double(n), 0) + " places; the first is " + where;
}

}  // namespace

std::vector<Finding> check_document(const Document& doc, const CheckContext& ctx) {
    std::vector<Collected> all;
    if (doc.mapping) {
        // Rules only read the document; each fills its own list, joined in declaration order.
        // MAP-UNREAD and TIME-ASOF apply to every mapping; a mapping declares them only to change them.
        // The PREV-* rules likewise apply to every mapping whenever a previous return is given.
        static const RuleSpec kEverywhere[] = {{"MAP-UNREAD", "", "", {}, {}, 0}, {"TIME-ASOF", "", "", {}, {}, 0}};
        static const RuleSpec kWithPrevious[] = {
            {"PREV-DROPPED", "", "", {}, {}, 0}, {"PREV-ADDED", "", "", {}, {}, 0},   {"PREV-SLIPPED", "", "", {}, {}, 0},
            {"PREV-STATUS", "", "", {}, {}, 0},  {"PREV-STALE", "", "", {}, {}, 0},   {"PREV-RESTATED", "", "", {}, {}, 0}};
        std::vector<RuleSpec> rules = doc.mapping->rules;
        auto add_default = [&](const RuleSpec& always) {
            if (std::none_of(rules.begin(), rules.end(), [&](const RuleSpec& r) { return r.id == always.id; }))
                rules.push_back(always);
        };
        for (const RuleSpec& always : kEverywhere) add_default(always);
        if (ctx.previous)
            for (const RuleSpec& always : kWithPrevious) add_default(always);
        std::vector<std::vector<Collected>> per_rule(rules.size());
        std::atomic<std::size_t> next{0};
        std::vector<std::exception_ptr> errors(rules.size());
        auto work = [&] {
            for (std::size_t i; (i = next.fetch_add(1)) < rules.size();) {
                try {
                    run_rule(doc, ctx, rules[i], per_rule[i]);
                } catch (...) {
                    errors[i] = std::current_exception();
                }
            }
        };
        {
            std::vector<std::jthread> helpers;
            for (unsigned t = 1; t < std::min<std::size_t>(ctx.threads, rules.size()); ++t) helpers.emplace_back(work);
            work();
        }
        for (const auto& e : errors)
            if (e) std::rethrow_exception(e);
        for (auto& found : per_rule) std::move(found.begin(), found.end(), std::back_inserter(all));
    }

    auto sheets = sheet_order(doc);
    for (Collected& c : all) locate(c, sheets);
    std::stable_sort(all.begin(), all.end(), in_order);
    all.erase(std::unique(all.begin(), all.end(),
                          [](const Collected& a, const Collected& b) {
                              return same_problem(a.problem.finding, b.problem.finding);
                          }),
              all.end());

    // Fold the fields that produced too many problems into their first one.
    std::map<FoldKey, std::size_t> sizes;
    for (const Collected& c : all)
        if (!c.problem.field.empty()) ++sizes[fold_key(c)];
    std::map<FoldKey, std::size_t> folded_at;  // key -> index in `out`
    std::vector<Finding> out;
    for (Collected& c : all) {
        bool folds = !c.problem.field.empty() && sizes[fold_key(c)] > ctx.fold_threshold;
        if (!folds) {
            out.push_back(std::move(c.problem.finding));
            continue;
        }
        FoldKey key = fold_key(c);
        auto it = folded_at.find(key);
        if (it == folded_at.end()) {
            std::size_t n = sizes[key];
            Finding f = c.problem.finding;
            f.message = folded_message(c.problem, n);
            f.count = std::uint32_t(n);
            folded_at.emplace(key, out.size());
            out.push_back(std::move(f));
            continue;
        }
        // Expected/actual stay only while every folded problem agrees on them.
        Finding& f = out[it->second];
        if (f.expected != c.problem.finding.expected) f.expected.reset();
        if (f.actual != c.problem.finding.actual) f.actual.reset();
    }
    return out;
}

}  // namespace planconv
