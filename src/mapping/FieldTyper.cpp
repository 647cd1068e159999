// FieldTyper: one function per field type over the value parsers; see FieldTyper.hpp.
#include "mapping/FieldTyper.hpp"

#include "model/Workbook.hpp"
#include "parse/ListSplit.hpp"
#include "parse/Money.hpp"
#include "parse/NumberWords.hpp"
#include "parse/Quantity.hpp"
#include "parse/RichText.hpp"
#include "parse/Text.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace planconv {

namespace {

// ---- small builders ----

TypedValue parsed_as(std::string text, TypedAttributes attributes = {}) {
    TypedValue v;
    v.parsed = true;
    v.text = std::move(text);
    v.attributes = std::move(attributes);
    return v;
}

TypedValue not_parsed(std::string problem) {
    TypedValue v;
    v.problem = std::move(problem);
    return v;
}

std::string quoted(std::string_view raw) { return "'" + collapse_whitespace(raw) + "'"; }

void add(TypedAttributes& attrs, std::string_view name, std::string value) {
    if (!value.empty()) attrs.emplace_back(std::string(name), std::move(value));
}
void add_flag(TypedAttributes& attrs, std::string_view name, bool on) {
    if (on) attrs.emplace_back(std::string(name), "true");
}

// A figure written with the precision it was given ("90.5", "5.0", "36000"); never in
// exponent form, which an xs:integer could not hold.
std::string with_decimals(double v, int decimals) {
    char buf[400];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, std::max(0, decimals));
    return ec == std::errc() ? std::string(buf, end) : format_number(v);
}

// Pounds to the penny: scaling £'000 figures must not print 12300.000000000002.
double to_pennies(double pounds) { return std::round(pounds * 100) / 100; }

bool is_plain_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return is_ascii_digit(c); });
}

// Excel serials of 1955..2119: a date column read from a number-formatted cell.
constexpr double kMinPlausibleSerial = 20090;
constexpr double kMaxPlausibleSerial = 80000;

std::optional<double> plausible_serial(std::string_view text) {
    if (!is_plain_digits(text) || text.size() > 6) return std::nullopt;
    double v = std::stod(std::string(text));
    if (v < kMinPlausibleSerial || v > kMaxPlausibleSerial) return std::nullopt;
    return v;
}

// "2016-11-30" and "2016-11-30T00:00:00" as date-formatted cells display.
std::optional<Date> iso_date_of_cell(std::string_view text) {
    if (text.size() > 10 && text[10] == 'T') text = text.substr(0, 10);
    return Date::parse_iso(text);
}

// ---- quantities: observations and their rendering ----

std::string_view unit_suffix(QuantityUnit u) { return u == QuantityUnit::Percent ? "%" : ""; }
std::string_view unit_prefix(QuantityUnit u) { return u == QuantityUnit::Money ? "\u00a3" : ""; }

std::string status_text(QuantityStatus s) {
    switch (s) {
    case QuantityStatus::New: return "New";
    case QuantityStatus::NotApplicable: return "N/A";
    case QuantityStatus::Tbc: return "TBC";
    case QuantityStatus::NotYetAvailable: return "not yet available";
    case QuantityStatus::Placeholder: return "placeholder";
    case QuantityStatus::NoValue: return "-";
    case QuantityStatus::Value: break;
    }
    return "";
}

// "<5.0", "90.5% (191/211) October", "234 (60%)", "60-120": one observation, tidily.
std::string render_observation(const Observation& o) {
    std::string out;
    if (o.status != QuantityStatus::Value || !o.value) {
        out = status_text(o.status);
    } else {
        out += comparator_symbol(o.comparator);
        out += unit_prefix(o.unit);
        out += with_decimals(*o.value, o.decimals);
        if (o.upper) out += "-" + with_decimals(*o.upper, o.decimals);
        out += unit_suffix(o.unit);
        if (o.numerator && o.denominator)
            out += " (" + format_number(*o.numerator) + "/" + format_number(*o.denominator) + ")";
        if (o.secondary)
            out += " (" + std::string(unit_prefix(o.secondary_unit)) + with_decimals(*o.secondary, o.secondary_decimals) +
                   std::string(unit_suffix(o.secondary_unit)) + ")";
    }
    if (!o.period.empty()) out += (out.empty() ? "" : " ") + o.period;
    if (!o.note.empty()) out += (out.empty() ? "" : " ") + o.note;
    return out;
}

TypedAttributes observation_attributes(const Observation& o) {
    TypedAttributes a;
    add(a, "status", std::string(quantity_status_name(o.status)));
    if (o.comparator != Comparator::None) add(a, "comparator", std::string(comparator_symbol(o.comparator)));
    if (o.value) {
        add(a, "value", format_number(*o.value));
        add(a, "unit", std::string(quantity_unit_name(o.unit)));
        add(a, "decimals", std::to_string(o.decimals));
    }
    if (o.upper) add(a, "upper", format_number(*o.upper));
    if (o.numerator) add(a, "numerator", format_number(*o.numerator));
    if (o.denominator) add(a, "denominator", format_number(*o.denominator));
    if (o.secondary) {
        add(a, "secondary", format_number(*o.secondary));
        add(a, "secondary_unit", std::string(quantity_unit_name(o.secondary_unit)));
        add(a, "secondary_decimals", std::to_string(o.secondary_decimals));
    }
    add(a, "period", o.period);
    add(a, "note", o.note);
    return a;
}

// A number column holds one plain figure, or a status word that stands for "no figure".
// Anything more (a comparator, a second figure, words) is a quantity, not a number.
struct PlainFigure {
    std::optional<Observation> observation;
    std::string problem;
};

PlainFigure plain_figure(std::string_view raw, std::string_view what) {
    Quantity q = parse_quantity(raw);
    if (!q.parsed() || q.observations.size() != 1) return {std::nullopt, quoted(raw) + " is not " + std::string(what)};
    const Observation& o = q.observations.front();
    bool extra = o.comparator != Comparator::None || o.upper || o.numerator || o.secondary || !o.note.empty() ||
                 !o.period.empty();
    if (extra) return {std::nullopt, quoted(raw) + " holds more than " + std::string(what)};
    return {o, ""};
}

// "N/A", "-", "TBC" in a number column: read, no figure, the status says which.
TypedValue no_figure(const Observation& o) {
    return parsed_as("", {{"status", std::string(quantity_status_name(o.status))}});
}

TypedValue typed_number(std::string_view raw, std::string_view what, bool whole) {
    PlainFigure f = plain_figure(raw, what);
    if (!f.observation) {
        if (whole)
            if (auto n = number_from_words(raw); n && std::floor(*n) == *n) return parsed_as(with_decimals(*n, 0));
        return not_parsed(f.problem);
    }
    const Observation& o = *f.observation;
    if (!o.value) return no_figure(o);
    if (!whole) return parsed_as(format_number(*o.value));
    if (std::floor(*o.value) != *o.value) return not_parsed(quoted(raw) + " is not a whole number");
    return parsed_as(with_decimals(*o.value, 0));
}

std::string timescale_text(const Timescale& t) {
    if (t.period) return t.kind == TimescaleKind::Date ? t.period->start.iso() : t.period->iso();
    std::string statuses;
    for (const TimescalePart& p : t.parts)
        if (p.status) statuses += (statuses.empty() ? "" : " ") + std::string(timescale_status_name(*p.status));
    return statuses;
}

std::string part_token(const TimescalePart& p) {
    if (p.status) return std::string(timescale_status_name(*p.status));
    if (!p.period) return {};
    return p.kind == TimescaleKind::Date ? p.period->start.iso() : p.period->iso();
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
    std::string out;
    for (const auto& s : items) {
        if (!out.empty()) out += sep;
        out += s;
    }
    return out;
}

// The mapping writes separators as split=" / |;": '|' between alternatives; none = the defaults.
ListSplitter list_splitter(std::string_view split) {
    if (split.empty()) return ListSplitter();
    std::vector<std::string> separators;
    std::size_t start = 0;
    while (start <= split.size()) {
        std::size_t bar = split.find('|', start);
        if (bar == std::string_view::npos) bar = split.size();
        if (bar > start) separators.emplace_back(split.substr(start, bar - start));
        start = bar + 1;
    }
    return separators.empty() ? ListSplitter() : ListSplitter(std::move(separators));
}

std::string value_names(const std::vector<EnumValue>& values) {
    std::vector<std::string> names;
    for (const auto& v : values) names.push_back(v.value);
    return join(names, ", ");
}

// The money column's value in pounds, its credit flag and its figure as written (£'000).
TypedValue typed_money(const MoneyAmount& m, double scale) {
    switch (m.kind) {
    case MoneyKind::Empty: return not_parsed("the cell is empty");
    case MoneyKind::Unparsed: return not_parsed(quoted(m.raw) + " is not an amount of money");
    case MoneyKind::NotApplicable: return parsed_as("", {{"status", "not-applicable"}});
    case MoneyKind::Value: break;
    }
    TypedAttributes a;
    add_flag(a, "credit", m.credit);
    if (scale != 1) add(a, "unit_value", format_number(m.value));
    add(a, "note", m.note);
    return parsed_as(format_number(to_pennies(m.value * scale)), std::move(a));
}

TypedValue typed_quantity(const Quantity& q) {
    if (q.kind == QuantityKind::Empty) return not_parsed("the cell is empty");
    if (!q.parsed()) return not_parsed(quoted(q.raw) + " is not a value, a percentage or a status such as N/A or TBC");
    TypedValue v;
    v.parsed = true;
    std::vector<std::string> rendered;
    for (const Observation& o : q.observations) {
        TypedItem item{render_observation(o), observation_attributes(o)};
        rendered.push_back(item.text);
        v.items.push_back(std::move(item));
    }
    v.text = join(rendered, " ");
    return v;
}

// A number or date cell typed from the value it holds rather than from how it is displayed:
// a percent-formatted 0.815 is 81.5%, a date cell is its day. nullopt: read the text instead.
std::optional<TypedValue> type_cell_value(const ColumnSpec& column, const FieldValue& value) {
    const double n = value.number;
    if (value.cell_type == CellType::Date || value.cell_type == CellType::DateTime) {
        if (column.type == FieldType::Date)
            if (auto d = Date::from_excel_serial(n)) return parsed_as(d->iso());
        return std::nullopt;  // a timescale reads the ISO display text as the same day
    }
    if (value.cell_type != CellType::Number) return std::nullopt;
    switch (column.type) {
    case FieldType::Integer:
        if (std::floor(n) != n) return not_parsed(quoted(value.raw()) + " is not a whole number");
        return parsed_as(with_decimals(n, 0));
    case FieldType::Number: return parsed_as(format_number(n));
    case FieldType::Percent:
        if (!value.percent_format) return std::nullopt;
        return parsed_as(format_number(std::round(n * 100 * 1e9) / 1e9));  // 0.815*100 is 81.49999999999999
    case FieldType::Money: {
        MoneyAmount m = money_from_number(n);
        m.raw = value.raw();
        return typed_money(m, column.scale);
    }
    case FieldType::Quantity: {
        Quantity q = quantity_from_number(n, value.percent_format);
        q.raw = value.raw();
        return typed_quantity(q);
    }
    default: return std::nullopt;
    }
}

}  // namespace

const std::string* TypedValue::attribute(std::string_view name) const {
    for (const auto& [k, v] : attributes)
        if (k == name) return &v;
    return nullptr;
}

// ---- one function per type ----

TypedValue type_text(std::string_view raw) {
    // Line breaks are content (addresses, lists typed by hand); runs of spaces within a line are not.
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start <= raw.size()) {
        std::size_t nl = raw.find('\n', start);
        if (nl == std::string_view::npos) nl = raw.size();
        std::string line = collapse_whitespace(raw.substr(start, nl - start));
        if (!line.empty()) lines.push_back(std::move(line));
        start = nl + 1;
    }
    if (lines.empty()) return not_parsed("the cell is empty");
    return parsed_as(join(lines, "\n"));
}

TypedValue type_richtext(std::string_view raw) {
    std::string plain = parse_rich_text(raw).plain();
    if (trim(plain).empty()) return not_parsed("the cell holds no text");
    return parsed_as(std::move(plain));
}

TypedValue type_id(std::string_view raw, const Pattern* id_pattern) {
    std::string id = collapse_whitespace(raw);
    // "1." and "1" are the same row number; the dot is how the table prints it.
    while (!id.empty() && id.back() == '.') id.pop_back();
    if (id.empty()) return not_parsed("the id is empty");
    if (id_pattern && !id_pattern->search(collapse_whitespace(raw)))
        return not_parsed(quoted(raw) + " does not look like an id here (expected /" + id_pattern->source() + "/)");
    return parsed_as(std::move(id));
}

TypedValue type_integer(std::string_view raw) { return typed_number(raw, "a whole number", true); }

TypedValue type_number(std::string_view raw) { return typed_number(raw, "a number", false); }

TypedValue type_percent(std::string_view raw) {
    PlainFigure f = plain_figure(raw, "a percentage");
    if (!f.observation) return not_parsed(f.problem);
    const Observation& o = *f.observation;
    if (!o.value) return no_figure(o);
    if (o.unit != QuantityUnit::Percent && o.unit != QuantityUnit::Count && o.unit != QuantityUnit::None)
        return not_parsed(quoted(raw) + " is not a percentage");
    double points = *o.value;
    // A percent-formatted cell is read as its fraction ("0.815"); a written "81.5" has no '%'
    // either but is never a fraction below 1 with decimals in these returns.
    if (o.unit != QuantityUnit::Percent && o.decimals > 0 && std::fabs(points) < 1) {
        const double digits = std::pow(10.0, std::max(0, o.decimals - 2));  // 0.815 -> 81.5, not 81.49999999999999
        points = std::round(points * 100 * digits) / digits;
    }
    return parsed_as(format_number(points));
}

TypedValue type_money(std::string_view raw, double scale) { return typed_money(parse_money(raw, scale), scale); }

TypedValue type_quantity(std::string_view raw) { return typed_quantity(parse_quantity(raw)); }

TypedValue type_date(std::string_view raw) {
    std::string_view text = trim(raw);
    if (auto d = iso_date_of_cell(text)) return parsed_as(d->iso());
    if (auto serial = plausible_serial(text))
        if (auto d = Date::from_excel_serial(*serial)) return parsed_as(d->iso());
    Timescale t = parse_timescale(text);
    if (t.kind == TimescaleKind::Date && t.period) return parsed_as(t.period->start.iso());
    if (t.parsed()) return not_parsed(quoted(raw) + " names a period or status, not one day");
    return not_parsed(quoted(raw) + " is not a date");
}

TypedValue type_timescale(std::string_view raw, const TimescaleOptions& options) {
    std::string_view text = trim(raw);
    Timescale t;
    if (auto d = iso_date_of_cell(text))
        t = timescale_from_serial(d->excel_serial());
    else if (auto serial = plausible_serial(text))
        t = timescale_from_serial(*serial);
    else
        t = parse_timescale(text, options);
    if (t.kind == TimescaleKind::Empty) return not_parsed("the cell is empty");
    if (!t.parsed()) return not_parsed(quoted(raw) + " is not a date, a period or a word such as Ongoing or TBC");

    TypedAttributes a;
    add(a, "kind", std::string(timescale_kind_name(t.kind)));
    if (t.period) {
        add(a, "start", t.period->start.iso());
        if (t.period->end) add(a, "end", t.period->end->iso());
    }
    if (auto due = t.due()) add(a, "due", due->iso());
    add_flag(a, "deadline", std::any_of(t.parts.begin(), t.parts.end(), [](const TimescalePart& p) { return p.deadline; }));
    std::vector<std::string> statuses, milestones;
    for (const TimescalePart& p : t.parts) {
        if (p.status) statuses.emplace_back(timescale_status_name(*p.status));
        milestones.push_back(part_token(p));
    }
    add(a, "status", join(statuses, " "));
    if (t.kind == TimescaleKind::Milestones) add(a, "milestones", join(milestones, " "));
    add(a, "flags", join(t.flags, "; "));
    add(a, "leftover", t.leftover);
    return parsed_as(timescale_text(t), std::move(a));
}

TypedValue type_rag(std::string_view raw, const RagVocabulary& vocabulary) {
    RagResult r = vocabulary.parse(raw);
    if (r.blank()) return not_parsed("the cell is empty");
    if (!r.parsed()) return not_parsed(quoted(raw) + " is not a RAG status (Red, Amber, Green, Blue or NA)");
    TypedAttributes a;
    add(a, "qualifier", r.qualifier);
    if (r.secondary) add(a, "secondary", std::string(rag_name(*r.secondary)));
    return parsed_as(std::string(rag_name(*r.value)), std::move(a));
}

TypedValue type_enum(std::string_view raw, const std::vector<EnumValue>& values) {
    std::string text = collapse_whitespace(raw);
    if (text.empty()) return not_parsed("the cell is empty");
    if (values.empty()) return parsed_as(std::move(text));  // an open vocabulary: any word
    const std::string key = comparison_key(raw);
    for (const EnumValue& v : values) {
        if (comparison_key(v.value) == key) return parsed_as(v.value);
        for (const std::string& alias : v.aliases)
            if (comparison_key(alias) == key) return parsed_as(v.value);
    }
    return not_parsed(quoted(raw) + " is not one of: " + value_names(values));
}

TypedValue type_list(std::string_view raw, std::string_view split) {
    std::vector<std::string> items = list_splitter(split).split(raw);
    if (items.empty()) return not_parsed("the cell is empty");
    TypedValue v;
    v.parsed = true;
    for (std::string& item : items) v.items.push_back({std::move(item), {}});
    std::vector<std::string> texts;
    for (const TypedItem& item : v.items) texts.push_back(item.text);
    v.text = join(texts, "\n");
    return v;
}

TypedValue type_bool(std::string_view raw) {
    static const std::vector<std::string_view> yes = {"yes", "y", "true", "1", "x", "\u2713", "\u2714"};
    static const std::vector<std::string_view> no = {"no", "n", "false", "0", "\u2717", "\u2718"};
    std::string key = comparison_key(raw);
    if (key.empty()) return not_parsed("the cell is empty");
    if (std::find(yes.begin(), yes.end(), key) != yes.end()) return parsed_as("true");
    if (std::find(no.begin(), no.end(), key) != no.end()) return parsed_as("false");
    return not_parsed(quoted(raw) + " is not yes or no");
}

// ---- dispatch ----

FieldTyper::FieldTyper(TypingContext context) : context_(std::move(context)) {}

TypedValue FieldTyper::type_rag_seen(std::string_view raw, Rag& rag) {
    if (auto it = rag.seen.find(raw); it != rag.seen.end()) return it->second;
    TypedValue v = type_rag(raw, rag.vocabulary);
    if (rag.seen.size() < kRagTextsKept) rag.seen.emplace(std::string(raw), v);
    return v;
}

FieldTyper::Rag& FieldTyper::rag(const ColumnSpec& column) {
    if (column.enum_values.empty()) return default_rag_;
    auto it = column_rag_.find(&column);
    if (it != column_rag_.end()) return it->second;
    // <value name="Green" aliases="Achieved|Met"/> under a rag column adds aliases to the defaults.
    Rag r;
    for (const EnumValue& v : column.enum_values)
        if (auto colour = rag_from_name(v.value)) {
            r.vocabulary.add_alias(v.value, *colour);
            for (const std::string& alias : v.aliases) r.vocabulary.add_alias(alias, *colour);
        }
    return column_rag_.emplace(&column, std::move(r)).first->second;
}

TypedValue FieldTyper::type(const ColumnSpec& column, const FieldValue& value) {
    if (auto typed = type_cell_value(column, value)) return *typed;
    return type(column, value.raw());
}

TypedValue FieldTyper::type(const ColumnSpec& column, std::string_view raw) {
    switch (column.type) {
    case FieldType::Id: return type_id(raw, column.id_pattern ? &*column.id_pattern : nullptr);
    case FieldType::Money: return type_money(raw, column.scale);
    case FieldType::Rag: return type_rag_seen(raw, rag(column));
    case FieldType::Enum: return type_enum(raw, column.enum_values);
    case FieldType::List: return type_list(raw, column.split);
    default: return type(column.type, raw);
    }
}

TypedValue FieldTyper::type(FieldType t, std::string_view raw) const {
    switch (t) {
    case FieldType::Text: return type_text(raw);
    case FieldType::RichText: return type_richtext(raw);
    case FieldType::Id: return type_id(raw, nullptr);
    case FieldType::Integer: return type_integer(raw);
    case FieldType::Number: return type_number(raw);
    case FieldType::Money: return type_money(raw, 1);
    case FieldType::Percent: return type_percent(raw);
    case FieldType::Quantity: return type_quantity(raw);
    case FieldType::Date: return type_date(raw);
    case FieldType::Timescale: return type_timescale(raw, context_.timescale);
    case FieldType::Rag: return type_rag(raw, default_rag_.vocabulary);
    case FieldType::Enum: return type_enum(raw, {});
    case FieldType::List: return type_list(raw, "");
    case FieldType::Bool: return type_bool(raw);
    }
    return type_text(raw);
}

// ---- declared shapes ----

const TypedShape& typed_shape(FieldType type) {
    using L = TypedLexical;
    static const TypedAttributeSpec status_of_number{
        "status", L::Token, {"new", "not-applicable", "tbc", "not-yet-available", "placeholder", "no-value"}};
    static const TypedShape text{L::String, {}, {}, "", {}};
    static const TypedShape number{L::Double, {}, {status_of_number}, "", {}};
    static const TypedShape integer{L::Integer, {}, {status_of_number}, "", {}};
    static const TypedShape money{L::Double, {},
                                  {{"status", L::Token, {"not-applicable"}},
                                   {"credit", L::Boolean, {}},
                                   {"unit_value", L::Double, {}},
                                   {"note", L::String, {}}},
                                  "", {}};
    static const std::vector<std::string_view> units = {"none", "count", "percent", "money"};
    static const TypedShape quantity{L::String, {}, {}, "observation",
                                     {{"status", L::Token, {"value", "new", "not-applicable", "tbc", "not-yet-available", "placeholder", "no-value"}},
                                      {"comparator", L::Token, {"<", "<=", ">", ">=", "=", "~"}},
                                      {"value", L::Double, {}},
                                      {"unit", L::Token, units},
                                      {"decimals", L::NonNegativeInteger, {}},
                                      {"upper", L::Double, {}},
                                      {"numerator", L::Double, {}},
                                      {"denominator", L::Double, {}},
                                      {"secondary", L::Double, {}},
                                      {"secondary_unit", L::Token, units},
                                      {"secondary_decimals", L::NonNegativeInteger, {}},
                                      {"period", L::String, {}},
                                      {"note", L::String, {}}}};
    static const TypedShape date{L::Date, {}, {}, "", {}};
    static const TypedShape timescale{L::String, {},
                                      {{"kind", L::Token, {"date", "period", "open-ended", "status", "milestones"}},
                                       {"start", L::Date, {}},
                                       {"end", L::Date, {}},
                                       {"due", L::Date, {}},
                                       {"deadline", L::Boolean, {}},
                                       {"status", L::String, {}},
                                       {"milestones", L::String, {}},
                                       {"flags", L::String, {}},
                                       {"leftover", L::String, {}}},
                                      "", {}};
    static const TypedShape rag{L::Token, {"Red", "Amber", "Green", "Blue", "NA"},
                                {{"qualifier", L::String, {}}, {"secondary", L::Token, {"Red", "Amber", "Green", "Blue", "NA"}}},
                                "", {}};
    static const TypedShape enumeration{L::Token, {}, {}, "", {}};
    static const TypedShape list{L::String, {}, {}, "item", {}};
    static const TypedShape boolean{L::Boolean, {}, {}, "", {}};
    switch (type) {
    case FieldType::Text:
    case FieldType::RichText:
    case FieldType::Id: return text;
    case FieldType::Integer: return integer;
    case FieldType::Number:
    case FieldType::Percent: return number;
    case FieldType::Money: return money;
    case FieldType::Quantity: return quantity;
    case FieldType::Date: return date;
    case FieldType::Timescale: return timescale;
    case FieldType::Rag: return rag;
    case FieldType::Enum: return enumeration;
    case FieldType::List: return list;
    case FieldType::Bool: return boolean;
    }
    return text;
}

}  // namespace planconv
