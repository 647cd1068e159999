// Indicator value parsing: whole-cell statuses first, then a token walk that opens a new
// observation at each figure and attaches brackets, periods and notes to the current one.
#include "parse/Quantity.hpp"

#include "parse/RichText.hpp"
#include "parse/Text.hpp"
#include "parse/Timescale.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

namespace planconv {
namespace {

enum class QTok : unsigned char {
    Number, Percent, Currency, Cmp, Dash, Slash, LParen, RParen, Word, Punct
};

struct QToken {
    QTok kind = QTok::Punct;
    std::size_t begin = 0, end = 0;
    double value = 0;  // Number
    int decimals = 0;  // Number
    int digits = 0;    // Number: digits before the point
    Comparator cmp = Comparator::None;
};

std::vector<QToken> tokenise(std::string_view s) {
    std::vector<QToken> out;
    out.reserve(12);
    std::size_t i = 0;
    while (i < s.size()) {
        const char c = s[i];
        QToken t;
        t.begin = i;
        if (c == ' ') { ++i; continue; }
        if (auto lit = read_decimal(s, i)) {
            t.kind = QTok::Number;
            t.value = lit->value;
            t.decimals = lit->decimals;
            t.digits = int(lit->len) - (lit->decimals ? lit->decimals + 1 : 0);
            i += lit->len;
        } else if (is_ascii_alpha(c)) {
            t.kind = QTok::Word;
            while (i < s.size() && (is_ascii_alpha(s[i]) || is_ascii_digit(s[i]) || s[i] == '\'')) ++i;
        } else if (c == '<' || c == '>' || c == '=' || c == '~') {
            t.kind = QTok::Cmp;
            const char n = i + 1 < s.size() ? s[i + 1] : '\0';
            if (c == '<') t.cmp = n == '=' ? Comparator::LessOrEqual : Comparator::Less;
            else if (c == '>') t.cmp = n == '=' ? Comparator::GreaterOrEqual : Comparator::Greater;
            else if (c == '=' && n == '<') t.cmp = Comparator::LessOrEqual;
            else if (c == '=' && n == '>') t.cmp = Comparator::GreaterOrEqual;
            else t.cmp = c == '~' ? Comparator::Approx : Comparator::Equal;
            i += (n == '=' || (c == '=' && (n == '<' || n == '>'))) ? 2 : 1;
        } else if (c == '%') { t.kind = QTok::Percent; ++i; }
        else if (c == '$') { t.kind = QTok::Currency; ++i; }
        else if (c == '-') { t.kind = QTok::Dash; ++i; }
        else if (c == '/') { t.kind = QTok::Slash; ++i; }
        else if (c == '(' || c == '[') { t.kind = QTok::LParen; ++i; }
        else if (c == ')' || c == ']') { t.kind = QTok::RParen; ++i; }
        else {
            const auto u = decode_utf8(s, i);
            i += u.len;
            if (u.cp == 0xA3 || u.cp == 0x20AC) t.kind = QTok::Currency;
            else if (u.cp == 0x2264) { t.kind = QTok::Cmp; t.cmp = Comparator::LessOrEqual; }
            else if (u.cp == 0x2265) { t.kind = QTok::Cmp; t.cmp = Comparator::GreaterOrEqual; }
            else if (u.cp == 0x2248) { t.kind = QTok::Cmp; t.cmp = Comparator::Approx; }
            else if (u.cp >= 0x80 && u.valid) t.kind = QTok::Word;  // letters of other scripts
            else t.kind = QTok::Punct;
        }
        t.end = i;
        out.push_back(t);
    }
    return out;
}

struct Phrase { std::array<std::string_view, 3> words; Comparator cmp; };
constexpr std::array<Phrase, 20> kComparatorWords = {{
    {{"no", "more", "than"}, Comparator::LessOrEqual},
    {{"no", "less", "than"}, Comparator::GreaterOrEqual},
    {{"less", "than", ""}, Comparator::Less},
    {{"fewer", "than", ""}, Comparator::Less},
    {{"under", "", ""}, Comparator::Less},
    {{"below", "", ""}, Comparator::Less},
    {{"more", "than", ""}, Comparator::Greater},
    {{"greater", "than", ""}, Comparator::Greater},
    {{"over", "", ""}, Comparator::Greater},
    {{"above", "", ""}, Comparator::Greater},
    {{"at", "least", ""}, Comparator::GreaterOrEqual},
    {{"minimum", "", ""}, Comparator::GreaterOrEqual},
    {{"min", "", ""}, Comparator::GreaterOrEqual},
    {{"at", "most", ""}, Comparator::LessOrEqual},
    {{"maximum", "", ""}, Comparator::LessOrEqual},
    {{"max", "", ""}, Comparator::LessOrEqual},
    {{"up", "to", ""}, Comparator::LessOrEqual},
    {{"approx", "", ""}, Comparator::Approx},
    {{"approximately", "", ""}, Comparator::Approx},
    {{"circa", "", ""}, Comparator::Approx},
}};

constexpr std::array<std::string_view, 24> kMonthWords = {
    "jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june",
    "jul", "july", "aug", "august", "sep", "sept", "september", "oct", "october", "nov",
    "november", "dec", "december"};

bool is_month_word(std::string_view w) {
    return std::any_of(kMonthWords.begin(), kMonthWords.end(), [&](auto m) { return iequals(m, w); });
}

bool is_quarter_code(std::string_view w) {  // Q1..Q4, H1, H2
    return w.size() == 2 && ((to_lower_ascii(w[0]) == 'q' && w[1] >= '1' && w[1] <= '4') ||
                             (to_lower_ascii(w[0]) == 'h' && (w[1] == '1' || w[1] == '2')));
}

std::string lower(std::string_view s) { return fold_case(s); }

// Keeps one decimal representation: 0.905 * 100 is 90.5, not 90.50000000000001.
double tidy(double v) {
    if (!std::isfinite(v) || std::fabs(v) > 1e15) return v;
    return std::round(v * 1e9) / 1e9;
}

class QuantityReader {
public:
    QuantityReader(std::string_view s, const std::vector<QToken>& t) : s_(s), t_(t) {}

    std::vector<Observation> read() {
        std::size_t prefix_begin = std::string_view::npos, prefix_end = 0;
        std::size_t i = 0;
        while (i < t_.size()) {
            const QToken& t = t_[i];
            switch (t.kind) {
            case QTok::Cmp:
                pending_cmp_ = t.cmp;
                ++i;
                continue;
            case QTok::Currency:
                money_ = true;
                ++i;
                continue;
            case QTok::Dash:
                if (number(i + 1)) {
                    if (has_value() && !cur().upper) { i = read_upper(i + 1); continue; }
                    if (t.end == t_[i + 1].begin) { i = read_value(i + 1, true); continue; }
                }
                ++i;
                continue;
            case QTok::Number:
                if (is_fy(i)) {  // "2015/16": the period of the figure before, else a prefix
                    if (has_value() && cur().period.empty()) {
                        cur().period = span_text(i, i + 3);
                    } else {
                        if (prefix_begin == std::string_view::npos) prefix_begin = t.begin;
                        prefix_end = t_[i + 2].end;
                    }
                    i += 3;
                    continue;
                }
                if (kind(i + 1, QTok::Slash) && number(i + 2) && !money_) {
                    Observation& o = open_observation(false);
                    o.numerator = t.value;
                    o.denominator = t_[i + 2].value;
                    o.unit = QuantityUnit::Count;
                    i += 3;
                    continue;
                }
                i = read_value(i, false);
                continue;
            case QTok::LParen:
                i = read_brackets(i);
                continue;
            case QTok::Word: {
                if (auto cmp = comparator_words(i)) {
                    pending_cmp_ = cmp->first;
                    i = cmp->second;
                    continue;
                }
                if (has_value() && cur().period.empty())
                    if (auto next = period_at(i)) {
                        cur().period = span_text(i, *next);
                        i = *next;
                        continue;
                    }
                if (has_value() && (word(i, "percent") || (word(i, "per") && word(i + 1, "cent")))) {
                    cur().unit = QuantityUnit::Percent;
                    i += word(i, "per") ? 2 : 1;
                    continue;
                }
                if (!obs_.empty()) {  // words after a figure: the rest of the cell is its note
                    append_note(cur(), s_.substr(t.begin));
                    return std::move(obs_);
                }
                if (prefix_begin == std::string_view::npos) prefix_begin = t.begin;
                prefix_end = t.end;
                ++i;
                continue;
            }
            default:
                ++i;
                continue;
            }
        }
        if (prefix_begin != std::string_view::npos && !obs_.empty()) {
            std::string note(s_.substr(prefix_begin, prefix_end - prefix_begin));
            if (!obs_.front().note.empty()) note += " " + obs_.front().note;
            obs_.front().note = std::move(note);
        }
        return std::move(obs_);
    }

private:
    std::string_view s_;
    const std::vector<QToken>& t_;
    std::vector<Observation> obs_;
    Comparator pending_cmp_ = Comparator::None;
    bool money_ = false;

    bool kind(std::size_t i, QTok k) const { return i < t_.size() && t_[i].kind == k; }
    bool number(std::size_t i) const { return kind(i, QTok::Number); }
    std::string_view text(std::size_t i) const { return s_.substr(t_[i].begin, t_[i].end - t_[i].begin); }
    bool word(std::size_t i, std::string_view w) const { return kind(i, QTok::Word) && iequals(text(i), w); }
    std::string span_text(std::size_t from, std::size_t to) const {
        return std::string(s_.substr(t_[from].begin, t_[to - 1].end - t_[from].begin));
    }

    Observation& cur() { return obs_.back(); }
    bool has_value() const { return !obs_.empty() && obs_.back().value.has_value(); }

    // A figure opens a new observation unless the current one is still waiting for its value.
    Observation& open_observation(bool for_value) {
        const bool reuse = !obs_.empty() && !obs_.back().value && !obs_.back().numerator &&
                           obs_.back().status == QuantityStatus::Value && for_value;
        if (!reuse) obs_.emplace_back();
        return obs_.back();
    }

    static void append_note(Observation& o, std::string_view note) {
        const std::string n = collapse_whitespace(note);
        if (n.empty()) return;
        if (!o.note.empty()) o.note += "; ";
        o.note += n;
    }

    // A number at i with its currency, multiplier and percent sign; returns the next token.
    struct Figure { double value; int decimals; QuantityUnit unit; std::size_t next; };
    Figure figure(std::size_t i, bool negative) {
        Figure f{t_[i].value, t_[i].decimals, money_ ? QuantityUnit::Money : QuantityUnit::Count, i + 1};
        if (negative) f.value = -f.value;
        if (money_ && kind(f.next, QTok::Word)) {
            const std::string w = lower(text(f.next));
            double scale = 0;
            if (w == "k" || w == "thousand") scale = 1e3;
            else if (w == "m" || w == "million") scale = 1e6;
            else if (w == "bn" || w == "billion") scale = 1e9;
            if (scale > 0) { f.value = tidy(f.value * scale); ++f.next; }
        }
        if (kind(f.next, QTok::Percent)) {
            f.unit = QuantityUnit::Percent;
            ++f.next;
        }
        money_ = false;
        return f;
    }

    std::size_t read_value(std::size_t i, bool negative) {
        const Figure f = figure(i, negative);
        Observation& o = open_observation(true);
        o.value = f.value;
        o.decimals = f.decimals;
        o.unit = f.unit;
        o.comparator = pending_cmp_;
        pending_cmp_ = Comparator::None;
        // "60 - 120", "60 to 120": a range.
        if (kind(f.next, QTok::Dash) && number(f.next + 1)) return read_upper(f.next + 1);
        if (word(f.next, "to") && number(f.next + 1)) return read_upper(f.next + 1);
        return f.next;
    }

    std::size_t read_upper(std::size_t i) {
        const Figure f = figure(i, false);
        Observation& o = cur();
        o.upper = f.value;
        if (f.unit == QuantityUnit::Percent) o.unit = QuantityUnit::Percent;
        return f.next;
    }

    // Brackets after a figure: (191/211) a fraction, (60%) or (3718) a second figure,
    // (Q1) a period, anything else a note.
    std::size_t read_brackets(std::size_t open) {
        std::size_t close = open + 1;
        while (close < t_.size() && t_[close].kind != QTok::RParen) ++close;
        const std::size_t a = open + 1, b = close;
        const std::size_t after = close < t_.size() ? close + 1 : close;
        if (a >= b) return after;
        const std::size_t content_end = close < t_.size() ? t_[close].begin : s_.size();
        const std::string_view content = trim(s_.substr(t_[open].end, content_end - t_[open].end));
        if (obs_.empty()) obs_.emplace_back();
        Observation& o = cur();
        if (b - a == 3 && number(a) && kind(a + 1, QTok::Slash) && number(a + 2) && !is_fy(a)) {
            o.numerator = t_[a].value;
            o.denominator = t_[a + 2].value;
            return after;
        }
        std::size_t k = a;
        if (kind(k, QTok::Currency)) { money_ = true; ++k; }
        bool year = false;  // "(2015)": a year, not a second figure
        if (number(k)) {
            const Figure f = figure(k, false);
            year = f.unit == QuantityUnit::Count && t_[k].decimals == 0 && t_[k].digits == 4 &&
                   f.value >= 1990 && f.value <= 2039;
            if (f.next == b && !year && !o.secondary) {
                o.secondary = f.value;
                o.secondary_unit = f.unit;
                o.secondary_decimals = f.decimals;
                return after;
            }
        }
        money_ = false;
        if (auto next = period_at(a); ((next && *next == b) || (year && b == k + 1)) && o.period.empty()) {
            o.period = std::string(content);
            return after;
        }
        append_note(o, content);
        return after;
    }

    bool is_fy(std::size_t i) const {
        if (!number(i) || !kind(i + 1, QTok::Slash) || !number(i + 2)) return false;
        const QToken& a = t_[i];
        const QToken& b = t_[i + 2];
        if (a.decimals || b.decimals || a.digits != 4 || a.value < 1900 || a.value > 2099) return false;
        const int y = int(a.value);
        return (b.digits == 2 && int(b.value) == (y + 1) % 100) || (b.digits == 4 && int(b.value) == y + 1);
    }

    // A period phrase at i: "October", "Nov 2016", "Q1", "Quarter 3", "Quarter Two 2017/18",
    // "2015/16", "YTD"; returns the token after it.
    std::optional<std::size_t> period_at(std::size_t i) const {
        auto fy_after = [&](std::size_t j) { return is_fy(j) ? j + 3 : j; };
        if (is_fy(i)) return i + 3;
        if (!kind(i, QTok::Word)) return std::nullopt;
        const std::string_view w = text(i);
        if (is_month_word(w)) {
            std::size_t j = i + 1;
            if (number(j) && !t_[j].decimals && (t_[j].digits == 4 || t_[j].digits == 2) &&
                !kind(j + 1, QTok::Percent))
                ++j;
            return j;
        }
        if (is_quarter_code(w)) return fy_after(i + 1);
        if (iequals(w, "quarter") || iequals(w, "qtr")) {
            std::size_t j = i + 1;
            if ((number(j) && t_[j].value >= 1 && t_[j].value <= 4 && t_[j].digits == 1) ||
                word(j, "one") || word(j, "two") || word(j, "three") || word(j, "four"))
                return fy_after(j + 1);
            return std::nullopt;
        }
        if (iequals(w, "ytd")) return i + 1;
        if (iequals(w, "year") && word(i + 1, "to") && word(i + 2, "date")) return i + 3;
        return std::nullopt;
    }

    std::optional<std::pair<Comparator, std::size_t>> comparator_words(std::size_t i) const {
        for (const auto& p : kComparatorWords) {
            std::size_t j = i;
            bool ok = true;
            for (const auto& w : p.words) {
                if (w.empty()) break;
                if (!word(j, w)) { ok = false; break; }
                ++j;
            }
            // Only before a figure: "over" in "over the year" is just a word.
            const bool figure_follows = number(j) || (kind(j, QTok::Currency) && number(j + 1));
            if (ok && j > i && figure_follows) return std::make_pair(p.cmp, j);
        }
        return std::nullopt;
    }
};

// Whole-cell statuses: "-", "N/A", "TBC", "New …", placeholders, "… available …".
std::optional<Observation> whole_cell_status(std::string_view s) {
    const std::string l = lower(s);
    std::string compact;
    for (char c : l)
        if (c != ' ' && c != '.') compact += c;
    Observation o;
    auto rest_after = [&](std::size_t n) { return std::string(trim(s.substr(std::min(n, s.size())))); };
    auto first_word_is = [&](std::string_view w) {
        return istarts_with(l, w) && (l.size() == w.size() || !is_ascii_alpha(l[w.size()]));
    };

    if (!compact.empty() && compact.size() <= 3 && compact.find_first_not_of('-') == std::string::npos) {
        o.status = QuantityStatus::NoValue;
        return o;
    }
    if (compact == "n/a" || compact == "na" || compact == "notapplicable" || compact == "n/app") {
        o.status = QuantityStatus::NotApplicable;
        return o;
    }
    if (istarts_with(l, "n/a ") || istarts_with(l, "n/a(")) {
        o.status = QuantityStatus::NotApplicable;
        o.note = rest_after(3);
        return o;
    }
    for (std::string_view w : {"tbc", "tba", "tbd", "to be confirmed", "to be agreed", "to be determined"}) {
        if (first_word_is(w)) {
            o.status = QuantityStatus::Tbc;
            o.note = rest_after(w.size());
            return o;
        }
    }
    if (first_word_is("new")) {
        o.status = QuantityStatus::New;
        o.note = rest_after(3);
        return o;
    }
    // "X%", "XX", "xx.x%", "?": a figure nobody filled in.
    {
        std::string core = compact;
        const bool percent = !core.empty() && core.back() == '%';
        if (percent) core.pop_back();
        const bool xs = !core.empty() && core.size() <= 6 &&
                        core.find_first_not_of("x,") == std::string::npos && core.front() == 'x';
        const bool questions = !core.empty() && core.find_first_not_of('?') == std::string::npos;
        if (xs || questions || l.find("insert") != std::string::npos) {
            o.status = QuantityStatus::Placeholder;
            if (percent) o.unit = QuantityUnit::Percent;
            if (!xs && !questions) o.note = std::string(s);
            return o;
        }
    }
    const char c0 = s.empty() ? '\0' : s.front();
    const bool starts_with_figure = is_ascii_digit(c0) || c0 == '<' || c0 == '>' || c0 == '-' ||
                                    c0 == '.' || istarts_with(s, "\u00A3");
    if (!starts_with_figure && (l.find("available") != std::string::npos ||
                                l.find("awaiting") != std::string::npos ||
                                l.find("not yet") != std::string::npos)) {
        o.status = QuantityStatus::NotYetAvailable;
        o.note = std::string(s);
        if (auto p = find_period(s)) o.period = p->text;
        return o;
    }
    return std::nullopt;
}

std::string shortest(double v) {
    char buf[32];
    auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc{} ? std::string(buf, p) : std::string();
}

}  // namespace

std::string_view comparator_symbol(Comparator c) {
    switch (c) {
    case Comparator::None: return "";
    case Comparator::Less: return "<";
    case Comparator::LessOrEqual: return "<=";
    case Comparator::Greater: return ">";
    case Comparator::GreaterOrEqual: return ">=";
    case Comparator::Equal: return "=";
    case Comparator::Approx: return "~";
    }
    return "";
}

std::string_view quantity_unit_name(QuantityUnit u) {
    switch (u) {
    case QuantityUnit::None: return "none";
    case QuantityUnit::Count: return "count";
    case QuantityUnit::Percent: return "percent";
    case QuantityUnit::Money: return "money";
    }
    return "none";
}

std::string_view quantity_status_name(QuantityStatus s) {
    switch (s) {
    case QuantityStatus::Value: return "value";
    case QuantityStatus::New: return "new";
    case QuantityStatus::NotApplicable: return "not-applicable";
    case QuantityStatus::Tbc: return "tbc";
    case QuantityStatus::NotYetAvailable: return "not-yet-available";
    case QuantityStatus::Placeholder: return "placeholder";
    case QuantityStatus::NoValue: return "no-value";
    }
    return "value";
}

const Observation* Quantity::first_value() const {
    for (const auto& o : observations)
        if (o.value) return &o;
    return nullptr;
}

Quantity parse_quantity(std::string_view text) {
    Quantity q;
    q.raw = std::string(text);
    const bool markup = text.find('<') != std::string_view::npos || text.find('&') != std::string_view::npos;
    const std::string s = markup ? normalise_space_and_dashes(strip_markup(text))
                                 : normalise_space_and_dashes(text);
    if (s.empty()) return q;
    q.kind = QuantityKind::Unparsed;
    if (s.front() == '#') return q;  // an Excel error value: #N/A, #DIV/0!, #REF!
    if (auto status = whole_cell_status(s)) {
        q.kind = QuantityKind::Parsed;
        q.observations.push_back(std::move(*status));
        return q;
    }
    const std::vector<QToken> tokens = tokenise(s);
    QuantityReader reader(s, tokens);
    q.observations = reader.read();
    const bool any = std::any_of(q.observations.begin(), q.observations.end(), [](const Observation& o) {
        return o.value || o.numerator || o.secondary;
    });
    if (any) q.kind = QuantityKind::Parsed;
    else q.observations.clear();
    return q;
}

Quantity quantity_from_number(double value, bool percent_format) {
    Quantity q;
    q.raw = shortest(value);
    if (!std::isfinite(value)) {
        q.kind = QuantityKind::Unparsed;
        return q;
    }
    Observation o;
    o.value = percent_format ? tidy(value * 100) : value;
    o.unit = percent_format ? QuantityUnit::Percent : QuantityUnit::Count;
    const std::string shown = shortest(*o.value);
    const auto dot = shown.find('.');
    o.decimals = dot == std::string::npos || shown.find('e') != std::string::npos
                     ? 0 : int(shown.size() - dot - 1);
    q.kind = QuantityKind::Parsed;
    q.observations.push_back(o);
    return q;
}

}  // namespace planconv
