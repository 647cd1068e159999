// Money parsing: sign conventions (minus, brackets, Cr/Dr), currency, multipliers and notes.
#include "parse/Money.hpp"

#include "parse/RichText.hpp"
#include "parse/Text.hpp"

#include <charconv>
#include <cmath>

namespace planconv {
namespace {

bool word_at(std::string_view s, std::size_t i, std::string_view w) {
    if (!istarts_with(s.substr(i), w)) return false;
    const std::size_t e = i + w.size();
    return e >= s.size() || !is_ascii_alpha(s[e]);
}

std::size_t skip_spaces(std::string_view s, std::size_t i) {
    while (i < s.size() && s[i] == ' ') ++i;
    return i;
}

// "£", "$", "€", "GBP": the currency is always pounds here; the sign only says "money".
std::size_t currency_len(std::string_view s, std::size_t i) {
    if (i < s.size() && s[i] == '$') return 1;
    if (istarts_with(s.substr(i), "\u00A3") || istarts_with(s.substr(i), "\u20AC"))
        return decode_utf8(s, i).len;
    if (word_at(s, i, "gbp")) return 3;
    return 0;
}

// A word that makes the figure after it a reference, not an amount: "see Appendix 2",
// "Refer to note 3", "para. 4.2". Case-insensitive; trailing punctuation and a plural 's' ignored.
bool is_reference_word(std::string_view word) {
    while (!word.empty() && !is_ascii_alpha(word.back())) word.remove_suffix(1);
    std::string w;
    for (char c : word) w += to_lower_ascii(c);
    if (w == "appendices") return true;
    if (w.size() > 3 && w.back() == 's') w.pop_back();
    static constexpr std::string_view kWords[] = {"appendix", "annex", "annexe", "note", "footnote", "para",
                                                  "paragraph", "section", "page", "table", "item"};
    for (std::string_view k : kWords)
        if (w == k) return true;
    return false;
}

}  // namespace

MoneyAmount parse_money(std::string_view text, double unit_pounds) {
    MoneyAmount m;
    m.raw = std::string(text);
    const bool markup = text.find('<') != std::string_view::npos || text.find('&') != std::string_view::npos;
    const std::string s = markup ? normalise_space_and_dashes(strip_markup(text))
                                 : normalise_space_and_dashes(text);
    if (s.empty()) return m;
    m.kind = MoneyKind::Unparsed;
    if (s.front() == '#') return m;  // #N/A, #REF!
    const std::string l = fold_case(s);
    if (l == "n/a" || l == "na" || l == "n.a." || l == "not applicable") {
        m.kind = MoneyKind::NotApplicable;
        return m;
    }
    if (l == "-" || l == "--" || l == "nil" || l == "£-" || l == "£ -" || l == "- -") {
        m.kind = MoneyKind::Value;  // accountants' zero
        return m;
    }

    bool negative = false, bracket = false;
    std::string prefix;
    std::size_t i = 0;
    std::optional<DecimalLiteral> lit;
    std::string_view last_word;  // the word just before the figure, if nothing but spaces follows it
    while (i < s.size()) {
        if (word_at(s, i, "cr")) { negative = true; i += 2; last_word = {}; continue; }
        if (word_at(s, i, "dr")) { i += 2; last_word = {}; continue; }
        if (const std::size_t c = currency_len(s, i)) { i += c; last_word = {}; continue; }
        const char c = s[i];
        if (c == ' ' || c == ':') { ++i; continue; }
        if (c == '-') { negative = true; ++i; last_word = {}; continue; }
        if (c == '(') { bracket = true; ++i; continue; }
        if ((lit = read_decimal(s, i))) break;
        // A word before the figure ("approx", "circa", "total"): keep it for the note.
        std::size_t e = i;
        while (e < s.size() && s[e] != ' ' && !is_ascii_digit(s[e]) && currency_len(s, e) == 0) ++e;
        if (e == i) ++e;
        if (!prefix.empty()) prefix += ' ';
        prefix += s.substr(i, e - i);
        last_word = std::string_view(s).substr(i, e - i);
        i = e;
    }
    if (!lit) return m;
    // "see Appendix 2" names a place in the papers: reading it as £2 would hide a FIELD-TYPE finding.
    if (is_reference_word(last_word)) return m;
    i += lit->len;

    double multiplier = 1;
    std::size_t j = skip_spaces(s, i);
    struct Mult { std::string_view word; double factor; };
    for (const Mult& mu : {Mult{"k", 1e3}, Mult{"m", 1e6}, Mult{"bn", 1e9}, Mult{"thousand", 1e3},
                           Mult{"million", 1e6}, Mult{"billion", 1e9}}) {
        if (word_at(s, j, mu.word)) {
            multiplier = mu.factor;
            i = j + mu.word.size();
            break;
        }
    }
    j = skip_spaces(s, i);
    if (j < s.size() && s[j] == '%') return m;  // a percentage is not an amount
    if (bracket && j < s.size() && s[j] == ')') {
        negative = true;
        i = j + 1;
    } else if (bracket) {
        bracket = false;  // "(part of …" opened before the figure: not a negative
    }
    j = skip_spaces(s, i);
    if (word_at(s, j, "cr")) { negative = true; i = j + 2; }
    else if (word_at(s, j, "dr")) { i = j + 2; }

    double value = lit->value;
    if (multiplier != 1) value = value * multiplier / (unit_pounds > 0 ? unit_pounds : 1);
    if (std::isfinite(value) && std::fabs(value) < 1e15) value = std::round(value * 1e6) / 1e6;
    m.kind = MoneyKind::Value;
    m.value = negative ? -value : value;
    m.credit = negative;
    m.decimals = lit->decimals;
    std::string rest = std::string(trim(std::string_view(s).substr(i)));
    while (!rest.empty() && (rest.front() == ',' || rest.front() == ';' || rest.front() == '-'))
        rest = std::string(trim(std::string_view(rest).substr(1)));
    m.note = prefix;
    if (!rest.empty()) m.note += (m.note.empty() ? "" : " ") + rest;
    return m;
}

MoneyAmount money_from_number(double value) {
    MoneyAmount m;
    char buf[32];
    auto [p, ec] = std::to_chars(buf, buf + sizeof buf, value);
    m.raw = ec == std::errc{} ? std::string(buf, p) : std::string();
    if (!std::isfinite(value)) {
        m.kind = MoneyKind::Unparsed;
        return m;
    }
    m.kind = MoneyKind::Value;
    m.value = value;
    m.credit = value < 0;
    return m;
}

}  // namespace planconv
