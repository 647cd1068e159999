// ValueReaders: typed reading of field values for rules.
#include "validate/ValueReaders.hpp"

#include "parse/RichText.hpp"
#include "parse/Text.hpp"
#include "validate/TableView.hpp"

#include <algorithm>
#include <array>

namespace planconv {

namespace {

bool holds_number(const FieldValue& v) {
    return v.present &&
           (v.cell_type == CellType::Number || v.cell_type == CellType::Date || v.cell_type == CellType::DateTime);
}

bool is_no_value_word(std::string_view key) {
    static constexpr std::array<std::string_view, 6> words = {"n/a", "na", "-", "nil", "none", "n.a."};
    return std::find(words.begin(), words.end(), key) != words.end();
}

}  // namespace

NumberReading read_number(const FieldValue& v) {
    NumberReading r;
    if (!v.present) return r;
    if (holds_number(v)) {
        r.kind = NumberReading::Kind::Value;
        r.value = v.percent_format ? v.number * 100 : v.number;
        return r;
    }
    std::string text = plain_text(v);
    if (text.empty()) return r;
    if (is_no_value_word(comparison_key(text))) {
        r.kind = NumberReading::Kind::NoValue;
        return r;
    }
    std::string_view s = text;
    bool negative = false;
    // Accountants' brackets and a leading sign.
    if (s.size() > 2 && s.front() == '(' && s.back() == ')') {
        negative = true;
        s = trim(s.substr(1, s.size() - 2));
    }
    if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
        negative = negative != (s.front() == '-');
        s = trim(s.substr(1));
    }
    if (!s.empty() && s.back() == '%') s = trim(s.substr(0, s.size() - 1));
    auto lit = read_decimal(s, 0);
    if (!lit || lit->len != s.size()) {
        r.kind = NumberReading::Kind::Unreadable;
        return r;
    }
    r.kind = NumberReading::Kind::Value;
    r.value = negative ? -lit->value : lit->value;
    r.decimals = lit->decimals;
    return r;
}

MoneyAmount read_money(const FieldValue& v, double scale) {
    if (!v.present) return {};
    if (holds_number(v)) {
        MoneyAmount m = money_from_number(v.number);
        m.raw = v.raw();
        return m;
    }
    return parse_money(v.raw(), scale);
}

Quantity read_quantity(const FieldValue& v) {
    if (!v.present) return {};
    if (holds_number(v)) {
        Quantity q = quantity_from_number(v.number, v.percent_format);
        q.raw = v.raw();
        return q;
    }
    return parse_quantity(v.raw());
}

Timescale read_timescale(const FieldValue& v, const TimescaleOptions& options) {
    if (!v.present) return {};
    if (holds_number(v)) {
        Timescale t = timescale_from_serial(v.number);
        t.raw = v.raw();
        return t;
    }
    return parse_timescale(v.raw(), options);
}

std::optional<double> read_amount(const ColumnSpec& column, const FieldValue& v) {
    switch (column.type) {
    case FieldType::Money: {
        MoneyAmount m = read_money(v, column.scale);
        if (m.parsed()) return m.value;
        return std::nullopt;
    }
    case FieldType::Quantity: {
        Quantity q = read_quantity(v);
        if (const Observation* o = q.first_value(); o && o->value) return o->value;
        return std::nullopt;
    }
    default: {
        NumberReading n = read_number(v);
        if (n.kind == NumberReading::Kind::Value) return n.value;
        return std::nullopt;
    }
    }
}

TimescaleOptions timescale_options(const CheckContext& ctx) {
    TimescaleOptions o;
    o.plan = ctx.plan_period;
    // A plan that starts in April is a financial year: "Quarter 3" alone means its third quarter.
    if (ctx.plan_period && ctx.plan_period->start.month() == 4 && ctx.plan_period->start.day() == 1)
        o.financial_year = ctx.plan_period->start.year();
    return o;
}

RagVocabulary rag_vocabulary(const ColumnSpec& column) {
    RagVocabulary vocabulary;
    for (const EnumValue& ev : column.enum_values) {
        auto value = rag_from_name(ev.value);
        if (!value) value = vocabulary.lookup(ev.value);
        if (!value) continue;
        vocabulary.add_alias(ev.value, *value);
        for (const std::string& alias : ev.aliases) vocabulary.add_alias(alias, *value);
    }
    return vocabulary;
}

RagResult read_rag(const RagVocabulary& vocabulary, const FieldValue& v) {
    if (!v.present) return {};
    return vocabulary.parse(plain_text(v));
}

// ---- placeholders ---------------------------------------------------------------------------
// Every cell of every record is searched, so the search runs on the raw bytes and only what it
// finds is normalised.

namespace {

// "XX", "X%", "X.X%", "£X", "£Xk", "xx": a token made of x's that stands for a figure.
bool is_x_token(std::string_view t) {
    if (!t.empty() && t.front() == '.') t.remove_prefix(1);
    while (!t.empty() && (t.back() == '.' || t.back() == ',' || t.back() == '!')) t.remove_suffix(1);
    bool pound = t.starts_with("£");
    if (pound) t.remove_prefix(std::string_view("£").size());
    bool percent = !t.empty() && t.back() == '%';
    if (percent) t.remove_suffix(1);
    if (pound && !t.empty() && (t.back() == 'k' || t.back() == 'm')) t.remove_suffix(1);
    std::size_t xs = 0;
    for (char c : t) {
        if (c == 'x' || c == 'X')
            ++xs;
        else if (c != '.' && c != ',')
            return false;
    }
    if (xs == 0 || t.front() == '.' || t.back() == '.') return false;
    return xs >= 2 || percent || pound;
}

bool separates_tokens(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ';' || c == ':' || c == '(' ||
           c == ')' || c == '[' || c == ']' || c == '/' || c == '"' || c == '\'' || c == '<' || c == '>';
}

std::optional<std::string> x_token(std::string_view s) {
    for (std::size_t p = 0; p < s.size(); ++p) {
        if (s[p] != 'x' && s[p] != 'X') continue;
        std::size_t b = p, e = p;
        while (b > 0 && !separates_tokens(s[b - 1])) --b;
        while (e < s.size() && !separates_tokens(s[e])) ++e;
        if (is_x_token(s.substr(b, e - b))) return std::string(s.substr(b, e - b));
        p = e;
    }
    return std::nullopt;
}

// "(insert month)", "[insert date]", "<enter name>", "(add figure)", "(TBC)".
std::optional<std::string> bracketed_instruction(std::string_view s) {
    static constexpr std::array<std::string_view, 4> verbs = {"insert", "enter", "add ", "tbc"};
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '(' && s[i] != '[' && s[i] != '<') continue;
        char close = s[i] == '(' ? ')' : s[i] == '[' ? ']' : '>';
        std::size_t j = i + 1;
        while (j < s.size() && s[j] == ' ') ++j;
        bool instruction =
            std::any_of(verbs.begin(), verbs.end(), [&](std::string_view v) { return istarts_with(s.substr(j), v); });
        if (!instruction) continue;
        std::size_t end = s.find(close, j);
        if (end == std::string_view::npos) end = s.size() - 1;
        return normalise_text(s.substr(i, end - i + 1));
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> find_placeholder(std::string_view raw) {
    std::string_view text = trim(raw);
    if (text.empty()) return std::nullopt;
    // A whole cell that says "to be confirmed" (short cells only: a sentence mentioning TBC is
    // prose).
    if (text.size() <= 48) {
        std::string s = normalise_text(strip_markup(text));
        std::string key = comparison_key(s);
        while (!key.empty() && (key.back() == '.' || key.back() == '!')) key.pop_back();
        if (key == "tbc" || key == "tba" || key == "tbd") return s;
    }
    if (auto b = bracketed_instruction(text)) return b;
    if (auto q = text.find("??"); q != std::string_view::npos) {
        std::size_t e = text.find_first_not_of('?', q);
        return std::string(text.substr(q, (e == std::string_view::npos ? text.size() : e) - q));
    }
    return x_token(text);
}

// ---- completion -----------------------------------------------------------------------------

namespace {

struct Word {
    std::string text;  // lower case
    bool bracketed;    // the only word inside brackets: "(completed)"
};

std::vector<Word> words_of(std::string_view block) {
    std::vector<Word> out;
    std::string key = fold_case(block);
    std::size_t i = 0;
    while (i < key.size()) {
        while (i < key.size() && !is_ascii_alpha(key[i])) ++i;
        std::size_t b = i;
        while (i < key.size() && (is_ascii_alpha(key[i]) || key[i] == '\'')) ++i;
        if (b == i) continue;
        // "(completed)": a bracket right before and right after the word (spaces aside).
        std::size_t l = b, r = i;
        while (l > 0 && key[l - 1] == ' ') --l;
        while (r < key.size() && key[r] == ' ') ++r;
        bool bracketed =
            l > 0 && (key[l - 1] == '(' || key[l - 1] == '[') && r < key.size() && (key[r] == ')' || key[r] == ']');
        out.push_back({key.substr(b, i - b), bracketed});
    }
    return out;
}

bool defers(std::string_view word) {
    static constexpr std::array<std::string_view, 12> words = {
        "not", "be", "being", "to", "nearly", "almost", "partially", "partly", "yet", "until", "once", "when"};
    return std::find(words.begin(), words.end(), word) != words.end();
}

}  // namespace

bool says_complete(std::string_view text, const std::vector<std::string>& extra) {
    static const std::vector<std::string> defaults = {"complete", "completed", "achieved", "implemented"};
    const std::vector<std::string>& vocabulary = extra.empty() ? defaults : extra;
    auto is_completion = [&](const std::string& w) {
        return std::any_of(vocabulary.begin(), vocabulary.end(), [&](const std::string& c) { return iequals(c, w); });
    };
    for (const RichBlock& block : parse_rich_text(text).blocks) {
        std::vector<Word> words = words_of(block.text);
        for (std::size_t k = 0; k < words.size(); ++k) {
            if (!is_completion(words[k].text)) continue;
            if (k > 0 && defers(words[k - 1].text)) continue;
            if (words[k].bracketed || k == 0 || k + 1 == words.size()) return true;
        }
    }
    return false;
}

}  // namespace planconv
