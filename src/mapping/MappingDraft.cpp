// Drafting a mapping from a workbook's shapes. The thresholds below are guesses about how
// spreadsheets are typed by people, not about any one layout; a draft is a start for a mapping
// author, who reviews it with `mappings check` and `convert -m`.
#include "mapping/MappingDraft.hpp"

#include "mapping/Extractor.hpp"
#include "mapping/Mapping.hpp"
#include "mapping/Pattern.hpp"
#include "parse/Quantity.hpp"
#include "parse/Rag.hpp"
#include "parse/Text.hpp"
#include "parse/Timescale.hpp"

#include <libxml/xmlwriter.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <set>

namespace planconv {

namespace {

// A header cell is short; body text (aims, updates) is usually longer.
constexpr std::size_t kMaxHeaderCellBytes = 120;
// Rows of at most this many cells may open a section (as the Extractor reads them).
constexpr std::size_t kMaxSectionCells = 2;
// Longest field name drafted from a header (longer headers are cut at a word).
constexpr std::size_t kMaxFieldName = 40;

// ---- The workbook as rows of text -----------------------------------------------------------

struct Item {
    std::uint32_t col = 0;
    std::string text;  // trimmed display text, as the Extractor reads the cell
    CellType type = CellType::Empty;
    double number = 0;
    bool percent_format = false;
    bool money_format = false;
};
using Row = std::vector<Item>;

struct SheetRows {
    const Sheet* sheet = nullptr;
    std::vector<Row> rows;  // by row number
};

SheetRows read_sheet(const Workbook& wb, const Sheet& sheet) {
    SheetRows out{&sheet, {}};
    out.rows.resize(sheet.row_count());
    for (std::uint32_t r = 0; r < sheet.row_count(); ++r)
        for (const Cell& c : sheet.row(r)) {
            if (c.type == CellType::Empty) continue;
            std::string t = c.type == CellType::String ? std::string(trim(wb.text(c))) : display_value(wb, c);
            if (t.empty()) continue;
            std::string_view format = wb.format(c);
            out.rows[r].push_back({c.col, std::move(t), c.type, c.number,
                                   c.type == CellType::Number && format.find('%') != std::string_view::npos,
                                   format.find("\xc2\xa3") != std::string_view::npos});
        }
    return out;
}

bool has_letter(std::string_view t) {
    return std::any_of(t.begin(), t.end(), [](char c) { return is_ascii_alpha(c) || (static_cast<unsigned char>(c) >= 0x80); });
}

// A figure as written: digits with thousands commas, a point, £, %, brackets, a sign.
bool figure_text(std::string_view t) {
    bool digit = false;
    for (std::size_t i = 0; i < t.size(); ++i) {
        char c = t[i];
        if (is_ascii_digit(c))
            digit = true;
        else if (t.compare(i, 2, "\xc2\xa3") == 0)
            ++i;
        else if (!(c == ',' || c == '.' || c == '%' || c == '(' || c == ')' || c == '-' || c == '+' || c == ' '))
            return false;
    }
    return digit;
}

bool numeric(const Item& i) { return i.type == CellType::Number || (i.type == CellType::String && figure_text(i.text)); }

const Pattern& id_shape() {
    static const Pattern p(R"(^[A-Za-z]?\d{1,3}(?:\.\d{1,3})*[A-Za-z]?[.)]?$)");
    return p;
}

const Pattern& total_label() {
    static const Pattern p(R"(^(?:grand\s+|sub-?\s*)?totals?\b)");
    return p;
}

// "Priority 3", "Priority Outcome 4", "Section 2 Housing": up to three words and a number.
const Pattern& numbered_heading() {
    static const Pattern p(R"(^([A-Za-z]+(?: [A-Za-z]+){0,2}) \d+\b)");
    return p;
}

std::string regex_escaped(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (std::string_view("\\^$.|?*+()[]{}/#").find(c) != std::string_view::npos) out += '\\';
        out += c;
    }
    return out;
}

// ---- Header rows ----------------------------------------------------------------------------

// Short text in every cell, words in most ("#" is a header too): no figures, ids or RAG words.
bool header_shaped(const Row& row) {
    if (row.size() < 2) return false;
    std::size_t worded = 0;
    for (const Item& i : row) {
        if (i.type != CellType::String || i.text.size() > kMaxHeaderCellBytes || figure_text(i.text) ||
            id_shape().search(i.text) || parse_rag(i.text).parsed() || header_key(i.text).empty())
            return false;
        if (has_letter(i.text)) ++worded;
    }
    return worded * 2 >= row.size();
}

// Whether every cell of `row` sits in a column `header` has a cell in.
bool within_columns(const Row& row, const Row& header) {
    return std::all_of(row.begin(), row.end(), [&](const Item& i) {
        return std::any_of(header.begin(), header.end(), [&](const Item& h) { return h.col == i.col; });
    });
}

// What identifies a header row's layout: each cell's column and matching text.
std::string header_signature(const Row& row) {
    std::string s;
    for (const Item& i : row) s += std::to_string(i.col) + "\x1f" + fold_case(header_key(i.text)) + "\x1e";
    return s;
}

struct HeaderAt {
    std::size_t sheet = 0;
    std::uint32_t row = 0;
};

// The header rows of every sheet, in order: a header-shaped row after a break (the top of the
// sheet, a blank row, a one-cell title or caption) or repeated elsewhere in the workbook (a
// header printed again after a page break or a section heading), with rows under it and as
// wide as at least half of them. Under a header, a row of short texts in the header's own
// columns is more likely a record than a new table: only a repeated one, or one with columns
// of its own, starts a table there.
std::vector<HeaderAt> find_headers(const std::vector<SheetRows>& sheets) {
    std::map<std::string, int> seen;
    for (const SheetRows& s : sheets)
        for (const Row& row : s.rows)
            if (header_shaped(row)) ++seen[header_signature(row)];
    std::vector<HeaderAt> out;
    for (std::size_t si = 0; si < sheets.size(); ++si) {
        const auto& rows = sheets[si].rows;
        std::vector<std::uint32_t> candidates;
        std::optional<std::uint32_t> previous;  // the last non-empty row
        for (std::uint32_t r = 0; r < rows.size(); ++r) {
            if (rows[r].empty()) continue;
            bool after_break = !previous || *previous + 1 < r || rows[*previous].size() == 1;
            if (header_shaped(rows[r]) && (after_break || seen[header_signature(rows[r])] > 1)) candidates.push_back(r);
            previous = r;
        }
        for (std::size_t k = 0; k < candidates.size(); ++k) {
            std::uint32_t end = k + 1 < candidates.size() ? candidates[k + 1] : std::uint32_t(rows.size());
            std::size_t body = 0, widest = 0;
            for (std::uint32_t r = candidates[k] + 1; r < end; ++r)
                if (!rows[r].empty()) {
                    ++body;
                    widest = std::max(widest, rows[r].size());
                }
            const Row& row = rows[candidates[k]];
            bool repeated = seen[header_signature(row)] > 1;
            if (!repeated && !out.empty() && out.back().sheet == si && within_columns(row, rows[out.back().row])) continue;
            if ((body > 0 || repeated) && row.size() * 2 >= widest) out.push_back({si, candidates[k]});
        }
    }
    return out;
}

// ---- Tables ---------------------------------------------------------------------------------

// One header row and the rows under it.
struct Instance {
    HeaderAt at;
    std::vector<std::uint32_t> body;  // non-empty rows
};

// The rows a section heading or group row is recognised by.
struct Headings {
    std::optional<Pattern> pattern;
    std::string source;
    bool sections = false;  // true: they open sections (each followed by a header); false: group rows
};

bool is_heading(const Headings& h, const Row& row) {
    return h.pattern && !row.empty() && row.size() <= kMaxSectionCells && h.pattern->search(normalise_text(row.front().text));
}

// A numbered heading used at least twice ("Priority 1", "Priority 2"): sections when every one
// is followed by a header row before any row of two or more cells (so no table rows are left
// outside a table), otherwise group rows inside the tables.
Headings find_headings(const std::vector<SheetRows>& sheets, const std::vector<HeaderAt>& headers) {
    std::map<std::string, int> count;
    std::map<std::string, std::string> spelling;
    for (const SheetRows& s : sheets)
        for (const Row& row : s.rows) {
            if (row.empty() || row.size() > kMaxSectionCells) continue;
            auto m = numbered_heading().match(normalise_text(row.front().text));
            if (!m || !m->groups[0]) continue;
            std::string key = fold_case(*m->groups[0]);
            ++count[key];
            spelling.emplace(key, *m->groups[0]);
        }
    Headings h;
    std::string best;
    for (const auto& [key, n] : count)
        if (n >= 2 && (best.empty() || n > count[best])) best = key;
    if (best.empty()) return h;
    std::string words = regex_escaped(spelling[best]);
    for (std::size_t p; (p = words.find(' ')) != std::string::npos;) words.replace(p, 1, "\\s+");
    h.source = "^" + words + "\\s+(\\d+)\\b";
    h.pattern.emplace(h.source);
    std::set<std::pair<std::size_t, std::uint32_t>> header_rows;
    for (const HeaderAt& a : headers) header_rows.insert({a.sheet, a.row});
    h.sections = true;
    for (std::size_t si = 0; si < sheets.size() && h.sections; ++si) {
        const auto& rows = sheets[si].rows;
        for (std::uint32_t r = 0; r < rows.size() && h.sections; ++r) {
            if (!is_heading(h, rows[r])) continue;
            for (std::uint32_t n = r + 1; n < rows.size(); ++n) {
                if (header_rows.count({si, n})) break;
                if (rows[n].size() > 1 || is_heading(h, rows[n])) {
                    h.sections = false;
                    break;
                }
            }
        }
    }
    return h;
}

std::vector<Instance> instances(const std::vector<SheetRows>& sheets, const std::vector<HeaderAt>& headers,
                                const Headings& headings) {
    std::vector<Instance> out;
    for (std::size_t k = 0; k < headers.size(); ++k) {
        const auto& rows = sheets[headers[k].sheet].rows;
        std::uint32_t end = std::uint32_t(rows.size());
        if (k + 1 < headers.size() && headers[k + 1].sheet == headers[k].sheet) end = headers[k + 1].row;
        Instance in{headers[k], {}};
        for (std::uint32_t r = headers[k].row + 1; r < end; ++r) {
            if (rows[r].empty()) continue;
            if (headings.sections && is_heading(headings, rows[r])) break;  // the table ends at a section start
            in.body.push_back(r);
        }
        out.push_back(std::move(in));
    }
    return out;
}

struct Column {
    std::uint32_t col = 0;
    std::string field;
    FieldType type = FieldType::Text;
    std::vector<std::string> headers;  // header texts (first: the header=, others: aliases)
    std::string after;                 // no header text: the field to its left
    bool key = false;
    std::string why;                   // what the values looked like
};

struct DraftTable {
    std::string name, element;
    std::vector<std::size_t> instances;
    std::vector<Column> columns;
    bool continuation = false;
    std::string total_field;
    std::string group_field;
    std::uint32_t first_col = 0;
};

// Instances of one layout: the same header columns, at least half of the texts the same.
bool same_layout(const Row& a, const Row& b) {
    if (a.size() != b.size()) return false;
    std::size_t same = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].col != b[i].col) return false;
        if (fold_case(header_key(a[i].text)) == fold_case(header_key(b[i].text))) ++same;
    }
    return same * 2 >= a.size();
}

std::string slug(std::string_view text, char joiner) {
    std::string out;
    bool gap = false;
    for (char c : text) {
        if (is_ascii_alpha(c) || is_ascii_digit(c)) {
            if (gap && !out.empty()) out += joiner;
            out += to_lower_ascii(c);
            gap = false;
        } else {
            gap = true;
        }
    }
    return out;
}

std::string column_letters(std::uint32_t col);

// A field name from header text ("Target 2016/17" -> target_2016_17); a header with no letters
// or digits ("#") names the field by its column (col_a).
std::string field_name(std::string_view header, std::uint32_t col) {
    std::string s = slug(header, '_');
    if (s.empty()) s = "col_" + slug(column_letters(col), '_');
    if (s.size() > kMaxFieldName) {
        auto cut = s.rfind('_', kMaxFieldName);
        s.resize(cut == std::string::npos || cut == 0 ? kMaxFieldName : cut);
    }
    if (s.empty() || !is_ascii_alpha(s.front())) s = "col_" + s;
    while (!s.empty() && s.back() == '_') s.pop_back();
    return s;
}

std::string unique(std::string name, std::set<std::string>& taken) {
    std::string candidate = name;
    for (int n = 2; !taken.insert(candidate).second; ++n) candidate = name + "_" + std::to_string(n);
    return candidate;
}

std::string column_letters(std::uint32_t col) {
    std::string s;
    for (std::uint32_t c = col + 1; c > 0; c = (c - 1) / 26) s.insert(s.begin(), char('A' + (c - 1) % 26));
    return s;
}

// ---- Types from values ----------------------------------------------------------------------

bool written_as_date(const Item& i) {
    if (i.type == CellType::Date || i.type == CellType::DateTime) return true;
    if (i.type != CellType::String) return false;
    Timescale t = parse_timescale(i.text);
    return t.kind == TimescaleKind::Date && t.leftover.empty() && t.parts.size() == 1;
}

// A date or period, not only a status word ("Annual", "Ongoing" alone say no date).
bool reads_as_timescale(const Item& i) {
    if (i.text.size() > 80) return false;
    Timescale t = parse_timescale(i.text);
    return t.parsed() && t.leftover.size() * 2 <= i.text.size() &&
           std::any_of(t.parts.begin(), t.parts.end(), [](const TimescalePart& p) { return p.period.has_value(); });
}

bool starts_with_figure(std::string_view t) {
    std::size_t i = 0;
    while (i < t.size() && (t[i] == ' ' || t[i] == '<' || t[i] == '>' || t[i] == '~' || t[i] == '=')) ++i;
    if (t.compare(i, 2, "\xc2\xa3") == 0) i += 2;
    if (i < t.size() && t[i] == '-') ++i;
    return i < t.size() && is_ascii_digit(t[i]);
}

std::optional<double> figure_value(const Item& i) {
    if (i.type == CellType::Number) return i.number;
    std::string digits;
    for (char c : i.text)
        if (is_ascii_digit(c) || c == '.' || c == '-') digits += c;
    if (digits.empty()) return std::nullopt;
    try {
        return std::stod(digits);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

// Whole numbers counting up (1, 2, 3 …, starting again at 1 in a new section).
bool counts_up(const std::vector<const Item*>& values) {
    if (values.size() < 2) return false;
    std::vector<double> v;
    for (const Item* i : values) {
        auto x = figure_value(*i);
        if (!x || *x != std::floor(*x) || *x < 0 || *x > 10000) return false;
        v.push_back(*x);
    }
    std::size_t up = 0;
    for (std::size_t k = 1; k < v.size(); ++k)
        if (v[k] > v[k - 1] || v[k] == 1) ++up;
    return up * 10 >= (v.size() - 1) * 7;
}

template <class Pred>
double share(const std::vector<const Item*>& values, Pred pred) {
    if (values.empty()) return 0;
    return double(std::count_if(values.begin(), values.end(), [&](const Item* i) { return pred(*i); })) / double(values.size());
}

FieldType guess_type(const std::vector<const Item*>& values, bool first_column, std::string& why) {
    const std::size_t n = values.size();
    if (n == 0) {
        why = "no values";
        return FieldType::Text;
    }
    why = std::to_string(n) + (n == 1 ? " value" : " values");
    if (share(values, written_as_date) >= 0.8) return FieldType::Date;
    // Ids: numbering in the first column (1, 2, 3; 1.1, 1.2; 2a, 2b), not amounts.
    if (first_column && share(values, [](const Item& i) { return id_shape().search(i.text); }) >= 0.8 &&
        (counts_up(values) || std::any_of(values.begin(), values.end(), [](const Item* i) {
             return std::any_of(i->text.begin(), i->text.end(), [](char c) { return c == '.' || c == ')' || is_ascii_alpha(c); });
         })))
        return FieldType::Id;
    if (share(values, numeric) >= 0.8) {
        if (share(values, [](const Item& i) { return i.percent_format || (!i.text.empty() && i.text.back() == '%'); }) >= 0.8)
            return FieldType::Percent;
        if (std::any_of(values.begin(), values.end(),
                        [](const Item* i) { return i->money_format || i->text.find("\xc2\xa3") != std::string::npos; }))
            return FieldType::Money;
        bool whole = std::all_of(values.begin(), values.end(), [](const Item* i) {
            auto v = figure_value(*i);
            return !v || *v == std::floor(*v);
        });
        return whole ? FieldType::Integer : FieldType::Number;
    }
    auto colour = [](const Item& i) {
        auto v = parse_rag(i.text).value;
        return v && (*v == RagValue::Red || *v == RagValue::Amber || *v == RagValue::Green);
    };
    double mean_length = 0;
    for (const Item* i : values) mean_length += double(i->text.size()) / double(n);
    if (mean_length <= 40 && share(values, [](const Item& i) { return parse_rag(i.text).parsed(); }) >= 0.7 &&
        share(values, colour) >= 0.4)
        return FieldType::Rag;
    if (mean_length <= 40 && share(values, [](const Item& i) { return starts_with_figure(i.text); }) >= 0.6 &&
        share(values, [](const Item& i) {
            Quantity q = parse_quantity(i.text);
            return q.first_value() && q.first_value()->note.size() <= 25;
        }) >= 0.6)
        return FieldType::Quantity;
    if (share(values, reads_as_timescale) >= 0.6) return FieldType::Timescale;
    bool marked = std::any_of(values.begin(), values.end(), [](const Item* i) {
        return i->text.find('\n') != std::string::npos || i->text.find("<p>") != std::string::npos ||
               i->text.find("<li>") != std::string::npos || i->text.find("\xe2\x80\xa2") != std::string::npos;
    });
    return marked ? FieldType::RichText : FieldType::Text;
}

std::string examples(const std::vector<const Item*>& values) {
    std::string out;
    std::set<std::string> shown;
    for (const Item* i : values) {
        if (shown.size() == 3) break;
        std::string t = collapse_whitespace(i->text);
        if (t.size() > 30) t = t.substr(0, 27) + "...";
        if (!shown.insert(t).second) continue;
        out += (out.empty() ? "e.g. \"" : ", \"") + t + "\"";
    }
    return out;
}

// ---- Putting a table together ---------------------------------------------------------------

class Drafter {
public:
    Drafter(const Workbook& wb, std::string name) : name_(std::move(name)) {
        for (const Sheet& s : wb.sheets)
            if (s.visibility == SheetVisibility::Visible) sheets_.push_back(read_sheet(wb, s));
        auto headers = find_headers(sheets_);
        if (headers.empty())
            throw MappingDraftError("no table found: no row of two or more short text cells (a header) with rows under it");
        headings_ = find_headings(sheets_, headers);
        instances_ = instances(sheets_, headers, headings_);
        group_tables();
        for (DraftTable& t : tables_) build(t);
    }

    MappingDraft result();

private:
    const Row& row(const HeaderAt& at, std::uint32_t r) const { return sheets_[at.sheet].rows[r]; }
    const Row& header_row(const Instance& in) const { return row(in.at, in.at.row); }

    void group_tables() {
        std::set<std::string> names;
        for (std::size_t k = 0; k < instances_.size(); ++k) {
            const Row& h = header_row(instances_[k]);
            auto fits = std::find_if(tables_.begin(), tables_.end(),
                                     [&](const DraftTable& t) { return same_layout(header_row(instances_[t.instances.front()]), h); });
            if (fits != tables_.end()) {
                fits->instances.push_back(k);
                continue;
            }
            DraftTable t;
            std::string base = slug(sheets_[instances_[k].at.sheet].sheet->name, '_');
            if (base.empty() || !is_ascii_alpha(base.front())) base = "table_" + base;
            while (!base.empty() && base.back() == '_') base.pop_back();
            t.name = unique(base, names);
            t.instances.push_back(k);
            tables_.push_back(std::move(t));
        }
        for (DraftTable& t : tables_) t.element = tables_.size() == 1 ? "record" : t.name + "_record";
    }

    bool heading_row(const Instance& in, std::uint32_t r) const { return is_heading(headings_, row(in.at, r)); }

    bool total_row(const Instance& in, std::uint32_t r, std::uint32_t* label_col = nullptr) const {
        for (const Item& i : row(in.at, r)) {
            if (numeric(i)) continue;
            if (!total_label().search(normalise_text(i.text))) return false;
            if (label_col) *label_col = i.col;
            return true;
        }
        return false;
    }

    void build(DraftTable& t) {
        const Instance& first = instances_[t.instances.front()];
        const Row& header = header_row(first);
        t.first_col = header.front().col;
        // Every column with anything in it, from the first header cell on.
        std::uint32_t last_col = header.back().col;
        std::map<std::uint32_t, std::vector<const Item*>> values;  // of record rows, for the types
        std::map<std::uint32_t, std::size_t> total_labels;
        bool headings_inside = false;
        for (std::size_t k : t.instances) {
            const Instance& in = instances_[k];
            for (std::uint32_t r : in.body) {
                const Row& cells = row(in.at, r);
                for (const Item& i : cells) {
                    if (i.col < t.first_col) {
                        left_out_.insert("'" + sheets_[in.at.sheet].sheet->name + "' column " + column_letters(i.col));
                        continue;
                    }
                    last_col = std::max(last_col, i.col);
                }
                std::uint32_t label_col = 0;
                if (heading_row(in, r)) {
                    headings_inside = true;
                    continue;
                }
                if (total_row(in, r, &label_col)) {
                    ++total_labels[label_col];
                    continue;
                }
                if (header_signature(cells) == header_signature(header)) continue;  // repeated header
                for (const Item& i : cells) values[i.col].push_back(&i);
            }
        }
        std::set<std::string> taken;
        std::set<std::string> header_keys;
        for (const Item& h : header) header_keys.insert(fold_case(header_key(h.text)));
        std::set<std::string> used_headers;
        for (std::uint32_t col = t.first_col; col <= last_col; ++col) {
            Column c;
            c.col = col;
            auto h = std::find_if(header.begin(), header.end(), [&](const Item& i) { return i.col == col; });
            std::string text = h != header.end() ? header_key(h->text) : std::string();
            // A header text met a second time cannot tell its column from the first: such a
            // column is found after= its left neighbour, as is a column with no header.
            if (!text.empty() && used_headers.insert(fold_case(text)).second) {
                c.headers.push_back(text);
                for (std::size_t k : t.instances) {
                    for (const Item& other : header_row(instances_[k])) {
                        std::string alt = header_key(other.text);
                        if (other.col != col || fold_case(alt) == fold_case(text)) continue;
                        if (header_keys.count(fold_case(alt))) continue;  // another column's header
                        if (std::find(c.headers.begin(), c.headers.end(), alt) == c.headers.end()) c.headers.push_back(alt);
                    }
                }
                c.field = unique(field_name(text, col), taken);
            } else {
                c.after = t.columns.back().field;
                c.field = unique(text.empty() ? c.after + "_next" : field_name(text, col), taken);
            }
            c.type = guess_type(values[col], col == t.first_col, c.why);
            if (!values[col].empty()) c.why += ", " + examples(values[col]);
            t.columns.push_back(std::move(c));
        }
        // Rows with nothing in the first column carry on the record above when the first column
        // is an id and such rows are sparse; otherwise every row is a record of its own.
        Column& lead = t.columns.front();
        if (lead.type == FieldType::Id) {
            std::size_t with_id = 0, without = 0, cells_with = 0, cells_without = 0;
            for (std::size_t k : t.instances)
                for (std::uint32_t r : instances_[k].body) {
                    const Row& cells = row(instances_[k].at, r);
                    if (heading_row(instances_[k], r) || total_row(instances_[k], r)) continue;
                    bool has_id = std::any_of(cells.begin(), cells.end(), [&](const Item& i) { return i.col == lead.col; });
                    (has_id ? with_id : without)++;
                    (has_id ? cells_with : cells_without) += cells.size();
                }
            if (without > 0 && with_id > 0 && cells_without * with_id * 2 <= cells_with * without) {
                lead.key = true;
                t.continuation = true;
            }
        }
        if (!total_labels.empty()) {
            auto most = std::max_element(total_labels.begin(), total_labels.end(),
                                         [](const auto& a, const auto& b) { return a.second < b.second; });
            t.total_field = field_at(t, most->first);
        }
        if (headings_inside && !headings_.sections) {
            // The column the headings are written in.
            for (std::size_t k : t.instances)
                for (std::uint32_t r : instances_[k].body)
                    if (heading_row(instances_[k], r) && t.group_field.empty())
                        t.group_field = field_at(t, row(instances_[k].at, r).front().col);
        }
    }

    std::string field_at(const DraftTable& t, std::uint32_t col) const {
        for (const Column& c : t.columns)
            if (c.col == col) return c.field;
        return t.columns.front().field;
    }

    std::vector<SheetRows> sheets_;
    std::string name_;
    Headings headings_;
    std::vector<Instance> instances_;
    std::vector<DraftTable> tables_;
    std::set<std::string> left_out_;
};

// ---- Writing the mapping with xmlTextWriter -------------------------------------------------

struct WriterDeleter {
    void operator()(xmlTextWriter* w) const { xmlFreeTextWriter(w); }
};
struct BufferDeleter {
    void operator()(xmlBuffer* b) const { xmlBufferFree(b); }
};

// Text XML 1.0 can carry: control characters become spaces, bytes that are not UTF-8 '?'.
std::string xml_text(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    const bool utf8 = is_valid_utf8(s);
    for (char c : s) {
        auto u = static_cast<unsigned char>(c);
        if (u < 0x20 && c != '\t' && c != '\n' && c != '\r')
            out += ' ';
        else if (u >= 0x80 && !utf8)
            out += '?';
        else
            out += c;
    }
    return out;
}

class Xml {
public:
    Xml() : buffer_(xmlBufferCreate()) {
        if (!buffer_) throw MappingDraftError("out of memory writing the mapping");
        writer_.reset(xmlNewTextWriterMemory(buffer_.get(), 0));
        if (!writer_) throw MappingDraftError("out of memory writing the mapping");
        check(xmlTextWriterSetIndent(writer_.get(), 1));
        check(xmlTextWriterSetIndentString(writer_.get(), BAD_CAST "  "));
        check(xmlTextWriterStartDocument(writer_.get(), nullptr, "UTF-8", nullptr));
    }
    Xml& start(const char* name) {
        check(xmlTextWriterStartElement(writer_.get(), BAD_CAST name));
        return *this;
    }
    Xml& attr(const char* name, const std::string& value) {
        check(xmlTextWriterWriteAttribute(writer_.get(), BAD_CAST name, BAD_CAST xml_text(value).c_str()));
        return *this;
    }
    Xml& text(const std::string& value) {
        check(xmlTextWriterWriteString(writer_.get(), BAD_CAST xml_text(value).c_str()));
        return *this;
    }
    // A comment may not hold "--" nor end with "-".
    Xml& comment(std::string value) {
        value = xml_text(value);
        for (std::size_t p; (p = value.find("--")) != std::string::npos;) value.replace(p, 2, "- -");
        if (!value.empty() && value.back() == '-') value += ' ';
        check(xmlTextWriterWriteComment(writer_.get(), BAD_CAST(" " + value + " ").c_str()));
        return *this;
    }
    Xml& end() {
        check(xmlTextWriterEndElement(writer_.get()));
        return *this;
    }
    std::string finish() {
        check(xmlTextWriterEndDocument(writer_.get()));
        writer_.reset();  // flushes into the buffer
        return std::string(reinterpret_cast<const char*>(xmlBufferContent(buffer_.get())), std::size_t(xmlBufferLength(buffer_.get())));
    }

private:
    static void check(int rc) {
        if (rc < 0) throw MappingDraftError("the mapping could not be written (libxml2 failed)");
    }
    std::unique_ptr<xmlBuffer, BufferDeleter> buffer_;
    std::unique_ptr<xmlTextWriter, WriterDeleter> writer_;
};

std::string type_word(FieldType t) { return std::string(to_string(t)); }

bool figure_type(FieldType t) {
    return t == FieldType::Integer || t == FieldType::Number || t == FieldType::Money || t == FieldType::Percent ||
           t == FieldType::Quantity || t == FieldType::Date;
}

MappingDraft Drafter::result() {
    MappingDraft d;
    Xml x;
    x.comment("A starter mapping drafted by planconv mappings draft. Review every field name, type and rule, then run "
              "planconv mappings check on it and convert the workbook with -m.");
    x.start("mapping").attr("xmlns", "urn:planconv:mapping:1").attr("name", name_);
    std::string root = name_;
    std::replace(root.begin(), root.end(), '-', '_');
    x.attr("element", root);
    std::string what;
    for (std::size_t i = 0; i < tables_.size(); ++i) what += (i ? ", " : "") + tables_[i].name;
    x.start("description").text("Drafted from the workbook's own headers: " + std::to_string(tables_.size()) +
                                (tables_.size() == 1 ? " table (" : " tables (") + what + ")").end();
    if (headings_.sections) {
        x.comment("Rows such as the one this pattern matches open a section; a header row follows each.");
        x.start("sections").attr("element", "section").attr("start", headings_.source).end();
    }
    for (const DraftTable& t : tables_) {
        const Instance& first = instances_[t.instances.front()];
        std::size_t rows = 0;
        for (std::size_t k : t.instances) rows += instances_[k].body.size();
        x.comment("Header on '" + sheets_[first.at.sheet].sheet->name + "' row " + std::to_string(first.at.row + 1) +
                  (t.instances.size() > 1 ? " and " + std::to_string(t.instances.size() - 1) + " more" : std::string()) + "; " +
                  std::to_string(rows) + " rows under it.");
        x.start("table").attr("name", t.name).attr("element", t.element);
        for (const Column& c : t.columns) {
            x.comment("column " + column_letters(c.col) + ": " + c.why);
            x.start("column").attr("field", c.field).attr("type", type_word(c.type));
            if (!c.headers.empty())
                x.attr("header", "^" + regex_escaped(c.headers.front()) + "$");
            else
                x.attr("after", c.after);
            if (c.key) x.attr("key", "true");
            for (std::size_t a = 1; a < c.headers.size(); ++a) x.start("alias").attr("header", "^" + regex_escaped(c.headers[a]) + "$").end();
            x.end();
        }
        x.start("rows").attr("continuation", t.continuation ? "true" : "false");
        if (!t.total_field.empty()) x.attr("total", total_label().source()).attr("total-field", t.total_field);
        if (!t.group_field.empty()) x.attr("group", headings_.source).attr("group-field", t.group_field);
        x.end();
        x.end();
    }
    // Rules that follow from the types.
    x.start("rules");
    x.start("rule").attr("id", "VALUE-PLACEHOLDER").end();
    for (const DraftTable& t : tables_) {
        auto of = [&t](std::initializer_list<FieldType> types) {
            std::string out;
            for (const Column& c : t.columns)
                if (std::find(types.begin(), types.end(), c.type) != types.end()) out += (out.empty() ? "" : " ") + c.field;
            return out;
        };
        auto rule = [&x, &t](const char* id, const std::vector<std::pair<std::string, std::string>>& params) {
            x.start("rule").attr("id", id).attr("table", t.name);
            for (const auto& [n, v] : params) x.start("param").attr("name", n).attr("value", v).end();
            x.end();
        };
        if (!of({FieldType::Rag}).empty()) rule("FIELD-ENUM", {});
        std::string times = of({FieldType::Timescale});
        if (!times.empty()) {
            rule("TIME-UNPARSED", {{"fields", times}});
            rule("TIME-OVERDUE", {{"fields", times}});
        }
        // A start and an end date (by their headers' words): an end before its start is TIME-ORDER's.
        auto dated = [&](const char* word) -> std::string {
            for (const Column& c : t.columns)
                if ((c.type == FieldType::Date || c.type == FieldType::Timescale) &&
                    ("_" + c.field + "_").find(std::string("_") + word + "_") != std::string::npos)
                    return c.field;
            return {};
        };
        if (std::string start = dated("start"), end = dated("end"); !start.empty() && !end.empty() && start != end)
            rule("TIME-ORDER", {{"start", start}, {"end", end}});
        if (std::any_of(t.columns.begin(), t.columns.end(), [](const Column& c) { return figure_type(c.type); }))
            rule("FIELD-TYPE", {});
        if (!of({FieldType::Quantity}).empty()) rule("TOTAL-RATIO", {});
        if (t.columns.front().type == FieldType::Id) rule("ID-DUPLICATE", {{"field", t.columns.front().field}});
        std::string sums = of({FieldType::Money, FieldType::Number, FieldType::Integer});
        if (!t.total_field.empty() && !sums.empty()) rule("TOTAL-SUM", {{"fields", sums}});
    }
    x.end();
    x.end();
    d.xml = x.finish();
    for (const std::string& where : left_out_)
        d.notes.push_back(where + " holds values left of the first header cell; the draft cannot place it (add the column by hand)");
    return d;
}

}  // namespace

MappingDraft draft_mapping(const Workbook& wb, const std::string& name) {
    Drafter drafter(wb, name);
    return drafter.result();
}

std::string draft_name(const std::string& file_stem) {
    std::string s = slug(file_stem, '-');
    if (s.empty() || !is_ascii_alpha(s.front())) s = "draft-" + s;
    while (!s.empty() && s.back() == '-') s.pop_back();
    return s;
}

}  // namespace planconv
