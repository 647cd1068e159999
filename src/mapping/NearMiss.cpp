// Near misses: every row tried against every header column of a table, cells read as the
// Extractor reads a header cell (header_key), occurrences and min-match ignored — the point is
// to say what is there and what is not.
#include "mapping/NearMiss.hpp"

#include "mapping/Extractor.hpp"
#include "mapping/TemplateText.hpp"
#include "parse/Text.hpp"

#include <algorithm>

namespace planconv {

namespace {

// How far down a sheet detection looks for a header (as score_mapping does).
constexpr std::uint32_t kRowsLooked = 400;
// Columns named in a message before "and N more".
constexpr std::size_t kNamesShown = 5;

std::string joined(const std::vector<std::string>& names, const char* last_word) {
    std::string out;
    std::size_t shown = std::min(names.size(), kNamesShown);
    for (std::size_t i = 0; i < shown; ++i) {
        if (i) out += (i + 1 == shown && shown == names.size()) ? std::string(" ") + last_word + " " : ", ";
        out += names[i];
    }
    if (shown < names.size()) out += " and " + std::to_string(names.size() - shown) + " more";
    return out;
}

}  // namespace

std::string column_in_words(const ColumnSpec& column) {
    if (!column.title.empty()) {
        std::string title = collapse_whitespace(template_text_fallback(column.title));
        if (!title.empty()) return title;
    }
    std::string words = column.field;
    std::replace(words.begin(), words.end(), '_', ' ');
    return words;
}

HeaderNearMiss nearest_header(const Workbook& wb, const Mapping& mapping, const TableSpec& table) {
    HeaderNearMiss best;
    best.mapping = &mapping;
    best.table = &table;
    std::vector<const ColumnSpec*> headed;
    for (const ColumnSpec& c : table.columns)
        if (!c.headers.empty()) headed.push_back(&c);
    best.needed = table.min_match > 0 ? table.min_match : int(headed.size());
    std::vector<bool> best_found(headed.size(), false);
    for (const Sheet& sheet : wb.sheets) {
        if (sheet.visibility != SheetVisibility::Visible) continue;
        std::uint32_t rows = std::min(sheet.row_count(), kRowsLooked);
        for (std::uint32_t r = 0; r < rows; ++r) {
            std::vector<std::string> keys;
            for (const Cell& c : sheet.row(r)) {
                if (c.type == CellType::Empty) continue;
                std::string text = c.type == CellType::String ? std::string(trim(wb.text(c))) : display_value(wb, c);
                if (!text.empty()) keys.push_back(header_key(text));
            }
            if (keys.size() < 2) continue;
            std::vector<bool> found(headed.size(), false);
            int count = 0;
            for (std::size_t ci = 0; ci < headed.size(); ++ci) {
                found[ci] = std::any_of(keys.begin(), keys.end(), [&](const std::string& k) {
                    return std::any_of(headed[ci]->headers.begin(), headed[ci]->headers.end(),
                                       [&](const Pattern& p) { return p.search(k); });
                });
                count += found[ci] ? 1 : 0;
            }
            if (count > best.found) {
                best.found = count;
                best.where = "'" + sheet.name + "' row " + std::to_string(r + 1);
                best_found = found;
            }
        }
    }
    for (std::size_t ci = 0; ci < headed.size(); ++ci)
        if (!best_found[ci]) best.missing.push_back(column_in_words(*headed[ci]));
    return best;
}

HeaderNearMiss nearest_header(const Workbook& wb, const Mapping& mapping) {
    HeaderNearMiss best;
    best.mapping = &mapping;
    for (const TableSpec& t : mapping.tables) {
        HeaderNearMiss m = nearest_header(wb, mapping, t);
        if (!best.table || m.closeness() > best.closeness() || (m.closeness() == best.closeness() && m.found > best.found))
            best = std::move(m);
    }
    return best;
}

std::string describe(const HeaderNearMiss& miss) {
    if (!miss.table) return "it declares no table";
    std::string table = "table '" + miss.table->name + "'";
    if (miss.found == 0) return table + " found none of its headers (" + joined(miss.missing, "or") + ")";
    std::string out = table + " needs " + std::to_string(miss.needed) + " of its headers and " + std::to_string(miss.found) +
                      (miss.found == 1 ? " was" : " were") + " found, on " + miss.where;
    if (!miss.missing.empty()) out += ", but not " + joined(miss.missing, "or");
    return out;
}

}  // namespace planconv
