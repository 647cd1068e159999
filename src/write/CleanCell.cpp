// CleanCell: a typed field as a cell of the cleaned workbook; see CleanCell.hpp.
#include "write/CleanCell.hpp"

#include "parse/RichText.hpp"
#include "parse/Text.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace planconv {

namespace {

constexpr int kMaxDecimals = 6;

int decimals_of(std::string_view number_text) {
    auto dot = number_text.find('.');
    if (dot == std::string_view::npos) return 0;
    int n = 0;
    for (std::size_t i = dot + 1; i < number_text.size() && is_ascii_digit(number_text[i]); ++i) ++n;
    return std::min(n, kMaxDecimals);
}

std::optional<double> number_of(std::string_view text) {
    double v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

std::string zeros(int n) { return n > 0 ? "." + std::string(std::size_t(n), '0') : ""; }

std::string count_format(int decimals) { return "#,##0" + zeros(decimals); }
std::string percent_format(int decimals) { return "0" + zeros(decimals) + "%"; }
std::string money_format(int decimals) {
    std::string n = "#,##0" + zeros(decimals);
    return "\"\u00a3\"" + n + ";[Red]-\"\u00a3\"" + n;
}

// Text compared loosely: case, spaces, thousands commas and pound signs do not count.
std::string loose_key(std::string_view s) {
    std::string out;
    for (char c : fold_case(normalise_text(s)))
        if (c != ' ' && c != ',') out += c;
    for (std::size_t p; (p = out.find("\u00a3")) != std::string::npos;) out.erase(p, 2);
    return out;
}

// Cell text of a text-like value: the typed text, else (empty) the raw text collapsed.
CleanCell text_cell(std::string text) {
    CleanCell c;
    if (text.empty()) return c;
    c.kind = CleanCellKind::Text;
    c.display = text;
    c.text = std::move(text);
    return c;
}

CleanCell unparsed_cell(const FieldValue& value) {
    CleanCell c = text_cell(std::string(trim(value.raw())));
    c.unparsed = c.kind != CleanCellKind::Blank;
    return c;
}

CleanCell number_cell(double v, std::string format, std::string display) {
    CleanCell c;
    c.kind = CleanCellKind::Number;
    c.number = v;
    c.num_format = std::move(format);
    c.display = std::move(display);
    return c;
}

// A figure of one of the number-like types, from the typer's normalised text.
std::optional<CleanCell> figure_cell(FieldType type, const TypedValue& t) {
    auto v = number_of(t.text);
    if (!v) return std::nullopt;
    int d = decimals_of(t.text);
    switch (type) {
    case FieldType::Integer: return number_cell(*v, count_format(0), t.text);
    case FieldType::Number: return number_cell(*v, count_format(d), t.text);
    case FieldType::Percent: return number_cell(*v / 100, percent_format(d), t.text + "%");
    case FieldType::Money: {
        int pence = std::floor(*v) == *v ? 0 : 2;
        return number_cell(*v, money_format(pence), "\u00a3" + t.text);
    }
    default: return std::nullopt;
    }
}

// A quantity that is one plain figure ("72", "81%", "36,000", "£1,200") is a number; anything
// with a comparator, a ratio, a second figure, a period or a note stays text.
std::optional<CleanCell> single_figure(const TypedValue& t) {
    if (t.items.size() != 1) return std::nullopt;
    const TypedItem& item = t.items.front();
    auto attr = [&](std::string_view name) -> const std::string* {
        for (const auto& [k, v] : item.attributes)
            if (k == name) return &v;
        return nullptr;
    };
    const std::string* status = attr("status");
    const std::string* value = attr("value");
    if (!status || *status != "value" || !value) return std::nullopt;
    for (const char* extra : {"comparator", "upper", "numerator", "denominator", "secondary", "period", "note"})
        if (attr(extra)) return std::nullopt;
    auto v = number_of(*value);
    if (!v) return std::nullopt;
    int d = 0;
    if (const std::string* dec = attr("decimals")) d = std::min(kMaxDecimals, std::max(0, std::atoi(dec->c_str())));
    const std::string* unit = attr("unit");
    if (unit && *unit == "percent") return number_cell(*v / 100, percent_format(d), item.text);
    if (unit && *unit == "money") return number_cell(*v, money_format(d), item.text);
    return number_cell(*v, count_format(d), item.text);
}

}  // namespace

bool keeps_text_as_written(FieldType type) {
    switch (type) {
    case FieldType::Text:
    case FieldType::RichText:
    case FieldType::Id:
    case FieldType::List:
    case FieldType::Timescale:  // written as the text itself, with a due date beside it
        return false;
    default:
        return true;
    }
}

CleanCell clean_cell(const ColumnSpec& column, const FieldValue& value, FieldTyper& typer) {
    if (!value.present || trim(value.raw()).empty()) return {};
    TypedValue t = typer.type(column, value);
    CleanCell c;
    switch (column.type) {
    case FieldType::Text:
    case FieldType::RichText:
    case FieldType::Id:
    case FieldType::List:
        return t.parsed ? text_cell(t.text) : unparsed_cell(value);
    case FieldType::Enum:
        c = t.parsed ? text_cell(t.text) : unparsed_cell(value);
        break;
    case FieldType::Bool:
        c = t.parsed ? text_cell(t.text == "true" ? "Yes" : "No") : unparsed_cell(value);
        break;
    case FieldType::Rag:
        if (!t.parsed) return unparsed_cell(value);
        c = text_cell(t.text);
        c.rag = rag_from_name(t.text);
        break;
    case FieldType::Integer:
    case FieldType::Number:
    case FieldType::Percent:
    case FieldType::Money:
        if (!t.parsed) return unparsed_cell(value);
        if (auto figure = figure_cell(column.type, t))
            c = std::move(*figure);
        else
            c = text_cell(std::string(trim(value.raw())));  // a status such as N/A: as written
        break;
    case FieldType::Quantity:
        if (!t.parsed) return unparsed_cell(value);
        if (auto figure = single_figure(t)) {
            c = std::move(*figure);
            break;
        }
        // Several observations, a ratio, a status: the text as written reads better than any
        // rendering of its parts ("90.5% (191/211) October").
        return text_cell(collapse_whitespace(value.raw()));
    case FieldType::Date: {
        if (!t.parsed) return unparsed_cell(value);
        auto d = Date::parse_iso(t.text);
        if (!d) return unparsed_cell(value);
        c = number_cell(d->excel_serial(), kDateFormat, t.text);
        c.kind = CleanCellKind::Date;
        break;
    }
    case FieldType::Timescale: {
        // What was written, tidied (one line per date, markup gone): "April 2022 [AP]".
        c = text_cell(parse_rich_text(value.raw()).plain());
        if (c.kind == CleanCellKind::Blank) c = text_cell(collapse_whitespace(value.raw()));
        c.unparsed = !t.parsed;
        if (const std::string* due = t.attribute("due")) c.due = Date::parse_iso(*due);
        return c;
    }
    }
    // Keep the text as written when reading changed it — but not for a cell that held a number
    // or a date: its display text was never written by a person.
    // A £'000 figure is compared with what was written before scaling: "12,345" is unchanged.
    std::string shown = c.display;
    if (const std::string* unit = column.type == FieldType::Money ? t.attribute("unit_value") : nullptr) shown = *unit;
    if (keeps_text_as_written(column.type) && value.cell_type == CellType::String && c.kind != CleanCellKind::Blank &&
        loose_key(value.raw()) != loose_key(shown))
        c.as_written = std::string(trim(value.raw()));
    return c;
}

std::string humanise_name(std::string_view name) {
    std::string out;
    for (char ch : name) out += (ch == '_' || ch == '-') ? ' ' : ch;
    if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = char(out[0] - 'a' + 'A');
    return out;
}

std::string plural_name(std::string_view name) {
    std::string h = humanise_name(name);
    if (h.empty()) return h;
    auto ends = [&](std::string_view s) { return h.size() >= s.size() && h.compare(h.size() - s.size(), s.size(), s) == 0; };
    if (ends("s") || ends("x") || ends("ch") || ends("sh")) {
        if (ends("s") && !ends("ss")) return h;  // already plural ("Actions", "Measures")
        return h + "es";
    }
    if (ends("y") && h.size() > 1 && std::string_view("aeiou").find(h[h.size() - 2]) == std::string_view::npos)
        return h.substr(0, h.size() - 1) + "ies";
    return h + "s";
}

}  // namespace planconv
