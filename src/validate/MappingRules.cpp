// MAP-UNREAD: what a mapping left unread. The extractor accounts for every cell of a table's
// rows (a field, or a row kind such as separator); this rule reports the rest, grouped by
// column and reason, with the columns a mapping declares but no header row had, and the tables
// that stopped where rows in their columns still followed. It applies to every mapping unless
// the mapping declares it (to change its severity, or switch it off).
#include "mapping/Mapping.hpp"
#include "model/CellRef.hpp"
#include "validate/Rule.hpp"
#include "validate/Wording.hpp"

#include <map>
#include <tuple>

namespace planconv {

namespace {

std::string shown(std::string text) {
    constexpr std::size_t kMax = 40;
    for (char& c : text)
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    if (text.size() <= kMax) return text;
    std::size_t cut = kMax;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    return text.substr(0, cut) + "…";
}

void report_unread_cells(const RuleScope& s, Problems& out) {
    // One finding per sheet, column and reason; the cells listed (a few, then how many more).
    using Key = std::tuple<std::string, std::uint32_t, std::string>;
    std::map<Key, std::vector<const UnreadCell*>> groups;
    std::vector<Key> order;
    for (const UnreadCell& u : s.records.unread) {
        Key k{u.where.sheet, u.where.cell.col, u.why};
        auto [it, added] = groups.try_emplace(k);
        if (added) order.push_back(k);
        it->second.push_back(&u);
    }
    constexpr std::size_t kListed = 5;
    for (const Key& k : order) {
        const auto& cells = groups[k];
        const UnreadCell& first = *cells.front();
        std::string message;
        if (cells.size() == 1) {
            message = "cell " + first.where.cell.a1() + " (" + quoted(shown(first.text)) + ") was not read: it is " + first.why;
        } else {
            std::string list;
            for (std::size_t i = 0; i < cells.size() && i < kListed; ++i) list += (i ? ", " : "") + cells[i]->where.cell.a1();
            if (cells.size() > kListed) list += " and " + std::to_string(cells.size() - kListed) + " more";
            message = std::to_string(cells.size()) + " cells of column " + CellRef::column_name(first.where.cell.col) +
                      " were not read (" + list + "): they are " + first.why;
        }
        Problem p;
        p.finding.sheet = first.where.sheet;
        p.finding.cell = first.where.cell.a1();
        p.finding.message = std::move(message);
        p.finding.actual = shown(first.text);
        out.push_back(std::move(p));
    }
}

void report_missing_columns(const RuleScope& s, Problems& out) {
    const TableRecords& tr = s.records;
    if (tr.column_found.size() != s.table.columns.size()) return;  // the table's header was never found
    SourceRef at;
    for (const SourceRef& h : tr.header_cells)
        if (!h.sheet.empty()) {
            at = h;
            break;
        }
    for (std::size_t ci = 0; ci < s.table.columns.size(); ++ci) {
        const ColumnSpec& c = s.table.columns[ci];
        if (tr.column_found[ci] || !c.derive_from.empty()) continue;
        std::string how;
        if (!c.headers.empty())
            how = "header /" + c.headers.front().source() + "/" + (c.occurrence > 1 ? " (occurrence " + std::to_string(c.occurrence) + ")" : "");
        else if (!c.after.empty())
            how = "the column after '" + c.after + "'";
        else if (!c.before.empty())
            how = "the column before '" + c.before + "'";
        Problem p;
        p.finding.sheet = at.sheet;
        p.finding.cell = at.sheet.empty() ? std::string() : CellRef{at.cell.row, 0}.a1();
        p.finding.message = "column '" + c.field + "' of table '" + s.table.name + "' (" + how +
                            ") was not found in any of its header rows, so nothing was read into it";
        out.push_back(std::move(p));
    }
}

void report_early_ends(const RuleScope& s, Problems& out) {
    for (const EarlyEnd& e : s.records.early_ends) {
        if (e.rows == 0) continue;
        Problem p;
        p.finding.sheet = e.where.sheet;
        p.finding.cell = CellRef{e.first_row, 0}.a1();
        std::string rows = e.first_row == e.last_row ? "row " + std::to_string(e.first_row + 1)
                                                     : "rows " + std::to_string(e.first_row + 1) + "–" + std::to_string(e.last_row + 1);
        p.finding.message = "table '" + s.table.name + "' ended " + e.reason + " (" + e.where.cell.a1() + "), but " +
                            count_of(e.rows, "row") + " below it (" + rows +
                            ") hold cells in its columns that nothing read; to read them, let the table run on across sections (<rows sections=\"run-on\">)";
        out.push_back(std::move(p));
    }
}

void check_map_unread(const RuleScope& s, Problems& out) {
    report_missing_columns(s, out);
    report_unread_cells(s, out);
    report_early_ends(s, out);
}

bool applies_everywhere(const TableSpec&, const RuleSpec&) { return true; }

}  // namespace

std::vector<RuleInfo> mapping_rules() {
    return {
        {"MAP-UNREAD", Severity::Warning,
         "a non-empty cell of a table's rows that no field or row kind took; a declared column never found; a table that ended early",
         {},
         applies_everywhere,
         check_map_unread},
    };
}

}  // namespace planconv
