// Timescale parsing: a small tokeniser (markup skipped in place, so spans are byte offsets into
// the cell) and a left-to-right reader that tries the longest known form at each token.
#include "parse/Timescale.hpp"

#include "parse/RichText.hpp"
#include "parse/Text.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>

namespace planconv {
namespace {

// ---------------------------------------------------------------------------------------------
// Tokens

enum class Tok : unsigned char {
    Word, Number, Dash, Slash, Dot, Comma, Semicolon, Colon, LParen, RParen, LBracket, RBracket,
    Amp, Other
};

struct Token {
    Tok kind = Tok::Other;
    std::uint32_t begin = 0, end = 0;  // byte offsets into the text
    int value = 0;                     // Number: its value (capped at 10^9)
    int digits = 0;                    // Number: how many digits were written
};

std::vector<Token> tokenise(std::string_view s) {
    std::vector<Token> out;
    out.reserve(16);
    auto push = [&](Tok k, std::size_t b, std::size_t e) {
        out.push_back(Token{k, std::uint32_t(b), std::uint32_t(e), 0, 0});
    };
    std::size_t i = 0;
    while (i < s.size()) {
        const char c = s[i];
        if (is_ascii_alpha(c)) {
            std::size_t j = i;
            while (j < s.size() && is_ascii_alpha(s[j])) ++j;
            push(Tok::Word, i, j);
            i = j;
            continue;
        }
        if (is_ascii_digit(c)) {
            std::size_t j = i;
            long long v = 0;
            while (j < s.size() && is_ascii_digit(s[j])) {
                if (v < 1000000000) v = v * 10 + (s[j] - '0');
                ++j;
            }
            Token t{Tok::Number, std::uint32_t(i), std::uint32_t(j), int(std::min(v, 1000000000LL)),
                    int(std::min<std::size_t>(j - i, 99))};
            out.push_back(t);
            i = j;
            continue;
        }
        switch (c) {
        case '/': push(Tok::Slash, i, i + 1); ++i; continue;
        case '.': push(Tok::Dot, i, i + 1); ++i; continue;
        case ',': push(Tok::Comma, i, i + 1); ++i; continue;
        case ';': push(Tok::Semicolon, i, i + 1); ++i; continue;
        case ':': push(Tok::Colon, i, i + 1); ++i; continue;
        case '(': push(Tok::LParen, i, i + 1); ++i; continue;
        case ')': push(Tok::RParen, i, i + 1); ++i; continue;
        case '[': push(Tok::LBracket, i, i + 1); ++i; continue;
        case ']': push(Tok::RBracket, i, i + 1); ++i; continue;
        case '<':
            if (auto tag = match_tag(s, i)) { i += tag->len; continue; }
            break;
        case '&':
            if (auto ent = match_entity(s, i)) {
                if (is_dash_cp(ent->cp)) push(Tok::Dash, i, i + ent->len);
                else if (ent->cp == '&') push(Tok::Amp, i, i + ent->len);
                else if (!is_space_cp(ent->cp)) push(Tok::Other, i, i + ent->len);
                i += ent->len;
                continue;
            }
            push(Tok::Amp, i, i + 1);
            ++i;
            continue;
        default: break;
        }
        const auto u = decode_utf8(s, i);
        if (u.valid && is_space_cp(u.cp)) { i += u.len; continue; }
        push(u.valid && is_dash_cp(u.cp) ? Tok::Dash : Tok::Other, i, i + u.len);
        i += u.len;
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

struct WordValue { std::string_view word; int value; };

constexpr std::array<WordValue, 25> kMonths = {{
    {"jan", 1}, {"january", 1}, {"feb", 2}, {"february", 2}, {"febuary", 2}, {"mar", 3},
    {"march", 3}, {"apr", 4}, {"april", 4}, {"may", 5}, {"jun", 6}, {"june", 6}, {"jul", 7},
    {"july", 7}, {"aug", 8}, {"august", 8}, {"sep", 9}, {"sept", 9}, {"september", 9},
    {"oct", 10}, {"october", 10}, {"nov", 11}, {"november", 11}, {"dec", 12}, {"december", 12},
}};

constexpr std::array<WordValue, 8> kQuarterWords = {{
    {"one", 1}, {"two", 2}, {"three", 3}, {"four", 4},
    {"first", 1}, {"second", 2}, {"third", 3}, {"fourth", 4},
}};

// Seasons by their first month (meteorological, as UK public bodies use them).
constexpr std::array<WordValue, 5> kSeasons = {{
    {"spring", 3}, {"summer", 6}, {"autumn", 9}, {"fall", 9}, {"winter", 12},
}};

// Words that join or decorate parts and carry no date of their own.
constexpr std::array<std::string_view, 38> kFillers = {
    "a", "and", "approx", "approximately", "as", "at", "circa", "date", "deadline", "each",
    "every", "financial", "for", "fy", "in", "of", "on", "onwards", "or", "per", "prog",
    "progress", "report", "reporting", "reports", "review", "reviewed", "reviews", "target",
    "the", "then", "thereafter", "to", "update", "updated", "updates", "with", "year",
};

struct StatusPhrase { std::array<std::string_view, 3> words; TimescaleStatus status; };
constexpr std::array<StatusPhrase, 20> kStatusPhrases = {{
    {{"on", "going", ""}, TimescaleStatus::Ongoing},
    {{"ongoing", "", ""}, TimescaleStatus::Ongoing},
    {{"continuous", "", ""}, TimescaleStatus::Ongoing},
    {{"to", "be", "confirmed"}, TimescaleStatus::Tbc},
    {{"to", "be", "agreed"}, TimescaleStatus::Tbc},
    {{"to", "be", "determined"}, TimescaleStatus::Tbc},
    {{"tbc", "", ""}, TimescaleStatus::Tbc},
    {{"tba", "", ""}, TimescaleStatus::Tbc},
    {{"tbd", "", ""}, TimescaleStatus::Tbc},
    {{"annually", "", ""}, TimescaleStatus::Annually},
    {{"annual", "", ""}, TimescaleStatus::Annually},
    {{"yearly", "", ""}, TimescaleStatus::Annually},
    {{"quarterly", "", ""}, TimescaleStatus::Quarterly},
    {{"monthly", "", ""}, TimescaleStatus::Monthly},
    {{"implemented", "", ""}, TimescaleStatus::Implemented},
    {{"completed", "", ""}, TimescaleStatus::Completed},
    {{"complete", "", ""}, TimescaleStatus::Completed},
    {{"achieved", "", ""}, TimescaleStatus::Completed},
    {{"in", "place", ""}, TimescaleStatus::Implemented},
    {{"done", "", ""}, TimescaleStatus::Completed},
}};

template <std::size_t N>
std::optional<int> lookup_word(const std::array<WordValue, N>& table, std::string_view w) {
    for (const auto& e : table)
        if (iequals(e.word, w)) return e.value;
    return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Spans: a period in civil terms, possibly still waiting for its year.

struct Span {
    int y1 = 0, m1 = 1, d1 = 1;  // d == 0: the last day of the month
    int y2 = 0, m2 = 12, d2 = 0;
    bool yearless = false;       // a month (or day of a month) written without a year
    bool open = false;           // no end ("From Aug 16")
    Granularity g = Granularity::Day;
};

Span month_span(int y, int m) {
    Span s;
    s.y1 = s.y2 = y;
    s.m1 = s.m2 = m;
    s.d1 = 1;
    s.d2 = 0;
    s.g = Granularity::Month;
    return s;
}

Span day_span(int y, int m, int d) {
    Span s = month_span(y, m);
    s.d1 = s.d2 = d;
    s.g = Granularity::Day;
    return s;
}

// Months counted from year 0, so spans can be split and compared.
int month_index(int y, int m) { return y * 12 + (m - 1); }
void set_from_index(int idx, int& y, int& m) { y = idx / 12; m = idx % 12 + 1; }

Span months_span(int y, int m, int count, Granularity g) {
    Span s;
    s.y1 = y;
    s.m1 = m;
    s.d1 = 1;
    set_from_index(month_index(y, m) + count - 1, s.y2, s.m2);
    s.d2 = 0;
    s.g = g;
    return s;
}

int day_of(int y, int m, int d) {
    if (y < 1 || y > 9999 || m < 1 || m > 12) return 0;
    return d == 0 ? days_in_month(y, m) : d;
}

std::optional<Date> start_date(const Span& s) {
    return Date::from_ymd(s.y1, s.m1, day_of(s.y1, s.m1, s.d1));
}
std::optional<Date> end_date(const Span& s) {
    return Date::from_ymd(s.y2, s.m2, day_of(s.y2, s.m2, s.d2));
}

std::optional<Period> to_period(const Span& s) {
    if (s.yearless) return std::nullopt;
    auto start = start_date(s);
    if (!start) return std::nullopt;
    if (s.open) return Period{*start, std::nullopt};
    auto end = end_date(s);
    if (!end) return std::nullopt;
    return Period{*start, *end};
}

// Gives a yearless span the year `y` for its start (an end month before the start rolls over).
void assign_year(Span& s, int y) {
    s.y1 = y;
    s.y2 = s.m2 < s.m1 ? y + 1 : y;
    s.yearless = false;
}

// The first or last day of a span, as a one-day span.
Span first_day(const Span& x) {
    Span s = x;
    s.y2 = x.y1; s.m2 = x.m1; s.d2 = x.d1;
    s.open = false;
    s.g = Granularity::Day;
    return s;
}
Span last_day(const Span& x) {
    Span s = x;
    s.y1 = x.y2; s.m1 = x.m2; s.d1 = x.d2;
    s.open = false;
    s.g = Granularity::Day;
    return s;
}

// "early", "mid", "late" (third = 0, 1, 2) of a month or of a span of whole months.
Span part_of(const Span& x, int third) {
    if (x.g == Granularity::Month) {
        Span s = x;
        s.d1 = 1 + 10 * third;
        s.d2 = third == 2 ? 0 : 10 * (third + 1);
        s.g = Granularity::PartOfMonth;
        return s;
    }
    if (x.d1 != 1 || x.d2 != 0 || x.yearless) return x;
    const int months = month_index(x.y2, x.m2) - month_index(x.y1, x.m1) + 1;
    if (months < 3 || months % 3 != 0) return x;
    const int each = months / 3;
    Span s = x;
    set_from_index(month_index(x.y1, x.m1) + third * each, s.y1, s.m1);
    set_from_index(month_index(s.y1, s.m1) + each - 1, s.y2, s.m2);
    s.g = Granularity::PartOfYear;
    return s;
}

// ---------------------------------------------------------------------------------------------
// The reader

struct Match {
    Span span;
    std::size_t next = 0;  // the token after the match
    bool deadline = false;
};

struct PendingPart {
    Span span;
    std::optional<TimescaleStatus> status;
    bool deadline = false;
    std::size_t first = 0, last = 0;  // token range [first, last)
};

class TimescaleReader {
public:
    TimescaleReader(std::string_view text, const std::vector<Token>& tokens,
                    const TimescaleOptions& options)
        : s_(text), t_(tokens), o_(options) {}

    // Reads tokens [from, to): parts in order; tokens that were neither parts nor fillers are
    // marked in `leftover`. Square brackets hold flags unless their content is all timescale.
    void read(std::size_t from, std::size_t to, bool allow_brackets,
              std::vector<PendingPart>& parts, std::vector<bool>& leftover,
              std::vector<std::string>* flags) const {
        std::size_t i = from;
        while (i < to) {
            const Token& tok = t_[i];
            if (tok.kind == Tok::LBracket && allow_brackets) {
                std::size_t j = i + 1;
                while (j < to && t_[j].kind != Tok::RBracket && t_[j].kind != Tok::LBracket) ++j;
                if (j < to && t_[j].kind == Tok::RBracket) {
                    std::vector<PendingPart> inner;
                    std::vector<bool> inner_left(t_.size(), false);
                    read(i + 1, j, false, inner, inner_left, nullptr);
                    const bool clean = !inner.empty() &&
                        std::none_of(inner_left.begin() + long(i + 1), inner_left.begin() + long(j),
                                     [](bool b) { return b; });
                    if (clean) {
                        parts.insert(parts.end(), inner.begin(), inner.end());
                    } else if (j > i + 1 && flags) {
                        flags->push_back(std::string(trim(
                            s_.substr(t_[i].end, t_[j].begin - t_[i].end))));
                    }
                    i = j + 1;
                    continue;
                }
            }
            if (auto st = status_at(i, to)) {
                PendingPart p;
                p.status = st->first;
                p.first = i;
                p.last = st->second;
                parts.push_back(p);
                i = st->second;
                continue;
            }
            if (const std::size_t bad = impossible_date(i, to)) {  // "31/04/2017": not a year
                for (std::size_t k = i; k < bad; ++k) leftover[k] = true;
                i = bad;
                continue;
            }
            if (auto m = expression(i, to)) {
                parts.push_back(PendingPart{m->span, std::nullopt, m->deadline, i, m->next});
                i = m->next;
                continue;
            }
            if (!is_filler(tok)) leftover[i] = true;
            ++i;
        }
    }

    std::string_view text_of(const Token& t) const { return s_.substr(t.begin, t.end - t.begin); }

private:
    std::string_view s_;
    const std::vector<Token>& t_;
    const TimescaleOptions& o_;

    // --- token predicates -------------------------------------------------------------------
    bool word(std::size_t i, std::size_t to, std::string_view w) const {
        return i < to && t_[i].kind == Tok::Word && iequals(text_of(t_[i]), w);
    }
    bool kind(std::size_t i, std::size_t to, Tok k) const { return i < to && t_[i].kind == k; }
    const Token* number(std::size_t i, std::size_t to) const {
        return i < to && t_[i].kind == Tok::Number ? &t_[i] : nullptr;
    }
    std::optional<int> month(std::size_t i, std::size_t to) const {
        if (i >= to || t_[i].kind != Tok::Word) return std::nullopt;
        return lookup_word(kMonths, text_of(t_[i]));
    }
    bool is_filler(const Token& t) const {
        switch (t.kind) {
        case Tok::Word: {
            const auto w = text_of(t);
            return std::any_of(kFillers.begin(), kFillers.end(),
                               [&](std::string_view f) { return iequals(f, w); });
        }
        case Tok::Number: case Tok::Other: return false;
        default: return true;  // punctuation
        }
    }
    bool ordinal_suffix(std::size_t i, std::size_t to) const {
        return word(i, to, "st") || word(i, to, "nd") || word(i, to, "rd") || word(i, to, "th");
    }

    int expand_two_digit(int yy) const { return yy < o_.two_digit_year_pivot ? 2000 + yy : 1900 + yy; }

    // A year after a month or day: four digits 1900–2099, or two digits through the pivot.
    std::optional<int> year(std::size_t i, std::size_t to) const {
        const Token* n = number(i, to);
        if (!n) return std::nullopt;
        if (n->digits == 4 && n->value >= 1900 && n->value <= 2099) return n->value;
        // "30th" is a day, not 2030.
        if (n->digits == 2 && !(ordinal_suffix(i + 1, to) && t_[i + 1].begin == n->end))
            return expand_two_digit(n->value);
        return std::nullopt;
    }

    // --- status words ---------------------------------------------------------------------------
    std::optional<std::pair<TimescaleStatus, std::size_t>> status_at(std::size_t i,
                                                                     std::size_t to) const {
        if (!kind(i, to, Tok::Word)) return std::nullopt;
        for (const auto& p : kStatusPhrases) {
            std::size_t j = i;
            bool ok = true;
            for (const auto& w : p.words) {
                if (w.empty()) break;
                if (kind(j, to, Tok::Dash) && j > i) ++j;  // "on-going"
                if (!word(j, to, w)) { ok = false; break; }
                ++j;
            }
            if (ok && j > i) return std::make_pair(p.status, j);
        }
        return std::nullopt;
    }

    // --- financial years and quarters ------------------------------------------------------------
    // "2016/17", "2016-17", "2016/2017", "16/17": the start year.
    std::optional<std::pair<int, std::size_t>> financial_year(std::size_t i, std::size_t to) const {
        const Token* a = number(i, to);
        if (!a || !(kind(i + 1, to, Tok::Slash) || kind(i + 1, to, Tok::Dash))) return std::nullopt;
        const Token* b = number(i + 2, to);
        if (!b) return std::nullopt;
        if (a->digits == 4 && a->value >= 1900 && a->value <= 2099) {
            if ((b->digits == 2 && b->value == (a->value + 1) % 100) ||
                (b->digits == 4 && b->value == a->value + 1))
                return std::make_pair(a->value, i + 3);
        } else if (a->digits == 2 && b->digits == 2 && t_[i + 1].kind == Tok::Slash &&
                   b->value == (a->value + 1) % 100) {
            return std::make_pair(expand_two_digit(a->value), i + 3);
        }
        return std::nullopt;
    }

    // "Q3", "Qtr 3", "Quarter 3", "Quarter Two", "Quarter 2nd", "Third Quarter": 1..4.
    std::optional<std::pair<int, std::size_t>> quarter_number(std::size_t i, std::size_t to) const {
        if (word(i, to, "q") || word(i, to, "qtr") || word(i, to, "quarter")) {
            std::size_t j = i + 1;
            if (kind(j, to, Tok::Dot)) ++j;
            if (const Token* n = number(j, to); n && n->digits == 1 && n->value >= 1 && n->value <= 4) {
                ++j;
                if (ordinal_suffix(j, to)) ++j;
                return std::make_pair(n->value, j);
            }
            if (!word(i, to, "q") && kind(j, to, Tok::Word))
                if (auto q = lookup_word(kQuarterWords, text_of(t_[j]))) return std::make_pair(*q, j + 1);
            return std::nullopt;
        }
        if (kind(i, to, Tok::Word) && word(i + 1, to, "quarter"))
            if (auto q = lookup_word(kQuarterWords, text_of(t_[i])))
                return std::make_pair(*q, i + 2);
        return std::nullopt;
    }

    static Span quarter_span(int fy, int q) {
        int y = fy, m = 4 + 3 * (q - 1);
        if (m > 12) { m -= 12; ++y; }
        return months_span(y, m, 3, Granularity::Quarter);
    }

    std::optional<Match> quarter_or_fy(std::size_t i, std::size_t to) const {
        if (auto fy = financial_year(i, to)) {
            // "2020/21 Quarter 3" names the quarter of that year.
            std::size_t j = fy->second;
            if (kind(j, to, Tok::Comma) || kind(j, to, Tok::Dash) || kind(j, to, Tok::Colon)) ++j;
            if (auto q = quarter_number(j, to))
                return Match{quarter_span(fy->first, q->first), q->second};
            return Match{months_span(fy->first, 4, 12, Granularity::FinancialYear), fy->second};
        }
        if (auto q = quarter_number(i, to)) {
            std::size_t j = q->second;
            if (word(j, to, "of") || word(j, to, "for") || word(j, to, "in") ||
                kind(j, to, Tok::Comma) || kind(j, to, Tok::Dash))
                ++j;
            if (word(j, to, "fy")) ++j;
            if (auto fy = financial_year(j, to)) return Match{quarter_span(fy->first, q->first), fy->second};
            if (o_.financial_year) return Match{quarter_span(*o_.financial_year, q->first), q->second};
        }
        return std::nullopt;
    }

    // --- dates -----------------------------------------------------------------------------------
    // "31/03/2017", "31-03-17", "31.03.2017", "2017-03-31".
    std::optional<Match> numeric_date(std::size_t i, std::size_t to) const {
        const Token* a = number(i, to);
        if (!a || i + 4 >= to) return std::nullopt;
        const Tok sep = t_[i + 1].kind;
        if (sep != Tok::Slash && sep != Tok::Dash && sep != Tok::Dot) return std::nullopt;
        const Token* b = number(i + 2, to);
        if (!b || !kind(i + 3, to, sep)) return std::nullopt;
        const Token* c = number(i + 4, to);
        if (!c) return std::nullopt;
        int y = 0, m = 0, d = 0;
        if (a->digits == 4 && sep == Tok::Dash && b->digits <= 2 && c->digits <= 2) {
            y = a->value; m = b->value; d = c->value;
        } else if (a->digits <= 2 && b->digits <= 2 && (c->digits == 4 || c->digits == 2)) {
            d = a->value; m = b->value;
            y = c->digits == 4 ? c->value : expand_two_digit(c->value);
        } else {
            return std::nullopt;
        }
        if (!Date::from_ymd(y, m, d)) return std::nullopt;
        return Match{day_span(y, m, d), i + 5};
    }

    // The token after a d/m/y-shaped date that does not exist ("31/04/2017"), else 0.
    std::size_t impossible_date(std::size_t i, std::size_t to) const {
        const Token* a = number(i, to);
        if (!a || a->digits > 2 || i + 4 >= to || numeric_date(i, to)) return 0;
        const Tok sep = t_[i + 1].kind;
        if (sep != Tok::Slash && sep != Tok::Dot && sep != Tok::Dash) return 0;
        const Token* b = number(i + 2, to);
        const Token* c = number(i + 4, to);
        if (!b || b->digits > 2 || t_[i + 3].kind != sep || !c || (c->digits != 2 && c->digits != 4))
            return 0;
        return i + 5;
    }

    // "1st April 2017", "21 st November 2016", "01-Sep-11", "1 April" (yearless), "3rd of May 2014".
    std::optional<Match> day_month(std::size_t i, std::size_t to) const {
        const Token* n = number(i, to);
        if (!n || n->digits > 2 || n->value < 1 || n->value > 31) return std::nullopt;
        std::size_t j = i + 1;
        if (ordinal_suffix(j, to)) ++j;
        const bool dashed = kind(j, to, Tok::Dash) || kind(j, to, Tok::Slash) || kind(j, to, Tok::Dot);
        const Tok separator = dashed ? t_[j].kind : Tok::Other;
        if (dashed) ++j;
        if (word(j, to, "of")) ++j;
        auto m = month(j, to);
        if (!m) return std::nullopt;
        ++j;
        if (kind(j, to, Tok::Dot) && !dashed) ++j;  // "1 Sept. 2016"
        // "01-Sep-11" repeats its separator before the year; "1 April, 2017" may use a comma.
        // "1st April – 30th June" must not read 30 as a year.
        std::size_t k = j;
        if (kind(k, to, Tok::Comma) || (dashed && kind(k, to, separator))) ++k;
        if (auto y = year(k, to)) {
            if (!Date::from_ymd(*y, *m, n->value)) return std::nullopt;
            return Match{day_span(*y, *m, n->value), k + 1};
        }
        if (n->value > days_in_month(2000, *m)) return std::nullopt;
        Span s = day_span(0, *m, n->value);
        s.yearless = true;
        return Match{s, j};
    }

    // "April 2022", "Sep16", "Sep-16", "Oct 16", "April 1st 2017", "April 1, 2017", "March".
    std::optional<Match> month_first(std::size_t i, std::size_t to) const {
        auto m = month(i, to);
        if (!m) return std::nullopt;
        std::size_t j = i + 1;
        if (kind(j, to, Tok::Dot)) ++j;  // "Sept."
        // A day after the month needs an ordinal, or a four-digit year after it.
        if (const Token* d = number(j, to); d && d->digits <= 2 && d->value >= 1 && d->value <= 31) {
            std::size_t k = j + 1;
            const bool ordinal = ordinal_suffix(k, to);
            if (ordinal) ++k;
            if (kind(k, to, Tok::Comma)) ++k;
            const Token* y = number(k, to);
            if (y && y->digits == 4 && y->value >= 1900 && y->value <= 2099) {
                if (Date::from_ymd(y->value, *m, d->value))
                    return Match{day_span(y->value, *m, d->value), k + 1};
            } else if (ordinal) {
                Span s = day_span(0, *m, d->value);
                s.yearless = true;
                if (d->value <= days_in_month(2000, *m)) return Match{s, k};
            }
        }
        std::size_t k = j;
        // "May, 2014"; "Sep-16" and "Sept/16" only when written tight, so "Sep - 10 Oct 16"
        // stays a range and "Jun / Sep 16" two months.
        if (kind(k, to, Tok::Comma) && year(k + 1, to)) {
            ++k;
        } else if ((kind(k, to, Tok::Dash) || kind(k, to, Tok::Slash)) && year(k + 1, to) &&
                   t_[k - 1].end == t_[k].begin && t_[k].end == t_[k + 1].begin) {
            ++k;
        }
        if (auto y = year(k, to)) return Match{month_span(*y, *m), k + 1};
        Span s = month_span(0, *m);
        s.yearless = true;
        return Match{s, j};
    }

    // "Spring 2017", "Winter 2016/17", "Winter 2017" (Dec 2017 – Feb 2018).
    std::optional<Match> season(std::size_t i, std::size_t to) const {
        if (!kind(i, to, Tok::Word)) return std::nullopt;
        auto first = lookup_word(kSeasons, text_of(t_[i]));
        if (!first) return std::nullopt;
        std::size_t j = i + 1;
        if (kind(j, to, Tok::Comma)) ++j;
        if (word(j, to, "term")) return std::nullopt;  // school terms are another calendar
        if (auto fy = financial_year(j, to)) {
            const int y = *first == 12 ? fy->first : fy->first + (*first < 4 ? 1 : 0);
            return Match{months_span(y, *first, 3, Granularity::Season), fy->second};
        }
        const Token* n = number(j, to);
        if (n && n->digits == 4 && n->value >= 1900 && n->value <= 2099)
            return Match{months_span(n->value, *first, 3, Granularity::Season), j + 1};
        return std::nullopt;
    }

    std::optional<Match> bare_year(std::size_t i, std::size_t to) const {
        const Token* n = number(i, to);
        if (!n || n->digits != 4 || n->value < 1900 || n->value > 2099) return std::nullopt;
        return Match{months_span(n->value, 1, 12, Granularity::Year), i + 1};
    }

    std::optional<Match> core(std::size_t i, std::size_t to) const {
        if (auto m = numeric_date(i, to)) return m;
        if (auto m = quarter_or_fy(i, to)) return m;
        if (auto m = day_month(i, to)) return m;
        if (auto m = month_first(i, to)) return m;
        if (auto m = season(i, to)) return m;
        if (auto m = bare_year(i, to)) return m;
        return std::nullopt;
    }

    // --- ranges and modifiers ------------------------------------------------------------------
    bool range_joiner(std::size_t i, std::size_t to) const {
        return kind(i, to, Tok::Dash) || word(i, to, "to") || word(i, to, "until") ||
               word(i, to, "till") || word(i, to, "through") || word(i, to, "thru");
    }

    // X – Y as one period; a yearless side takes its year from the other.
    static std::optional<Span> join(Span x, Span y) {
        if (x.yearless && y.yearless) return std::nullopt;
        if (x.yearless) assign_year(x, x.m1 > y.m1 ? y.y1 - 1 : y.y1);
        if (y.yearless) assign_year(y, y.m1 < x.m2 ? x.y2 + 1 : x.y2);
        Span s;
        s.y1 = x.y1; s.m1 = x.m1; s.d1 = x.d1;
        s.y2 = y.y2; s.m2 = y.m2; s.d2 = y.d2;
        s.open = y.open;
        if (x.g == Granularity::Day && y.g == Granularity::Day) s.g = Granularity::Day;
        else if (x.g == Granularity::Year && y.g == Granularity::Year) s.g = Granularity::Year;
        else s.g = Granularity::MonthRange;
        return s;
    }

    std::optional<Match> range_or_core(std::size_t i, std::size_t to, bool and_joins = false) const {
        auto x = core(i, to);
        if (!x) return std::nullopt;
        std::size_t j = x->next;
        if (range_joiner(j, to) || (and_joins && (word(j, to, "and") || kind(j, to, Tok::Amp)))) {
            if (auto y = core(j + 1, to))
                if (auto s = join(x->span, y->span)) return Match{*s, y->next};
        }
        return x;
    }

    std::optional<Match> expression(std::size_t i, std::size_t to) const {
        if (!kind(i, to, Tok::Word)) return range_or_core(i, to);
        const std::string_view w = text_of(t_[i]);
        std::size_t j = i + 1;
        auto skip = [&](std::string_view filler) { if (word(j, to, filler)) ++j; };

        // Deadlines: "By Dec 16", "by end Sep16", "by the end of March", "no later than …".
        const bool no_later = (iequals(w, "no") || iequals(w, "not")) && word(i + 1, to, "later") &&
                              word(i + 2, to, "than");
        if (iequals(w, "by") || iequals(w, "before") || iequals(w, "due") || iequals(w, "until") ||
            iequals(w, "till") || no_later) {
            if (no_later) j = i + 3;
            skip("the");
            auto m = end_of(j, to);
            if (!m) m = range_or_core(j, to);
            if (!m) return std::nullopt;
            m->deadline = true;
            return m;
        }
        if (auto m = end_of(i, to)) return m;
        // "Start of April 2017", "beginning of 2017": the first day.
        if (iequals(w, "start") || iequals(w, "beginning")) {
            skip("of");
            skip("the");
            if (auto m = range_or_core(j, to)) return Match{first_day(m->span), m->next};
            return std::nullopt;
        }
        // "early 2017", "mid-2017", "late April 2017", "middle of March".
        int third = -1;
        if (iequals(w, "early")) third = 0;
        else if (iequals(w, "mid") || iequals(w, "middle")) third = 1;
        else if (iequals(w, "late")) third = 2;
        if (third >= 0) {
            if (kind(j, to, Tok::Dash)) ++j;
            skip("of");
            skip("the");
            if (auto m = core(j, to)) return Match{part_of(m->span, third), m->next};
            return std::nullopt;
        }
        // "From Aug 16" (no end), "from April to June 2017".
        if (iequals(w, "from") || iequals(w, "starting") || iequals(w, "commencing")) {
            skip("the");
            auto x = core(j, to);
            if (!x) return std::nullopt;
            if (range_joiner(x->next, to))
                if (auto y = core(x->next + 1, to))
                    if (auto s = join(x->span, y->span)) return Match{*s, y->next};
            Span s = x->span;
            s.open = true;
            return Match{s, x->next};
        }
        // "Between December 2016 and June 2017", "between Jun 16 – Oct 17".
        if (iequals(w, "between")) {
            if (auto m = range_or_core(j, to, true)) return m;
            return std::nullopt;
        }
        return range_or_core(i, to);
    }

    // "End of March 2017", "end Sep16", "the end of 2016/17", "end-March": the last day.
    std::optional<Match> end_of(std::size_t i, std::size_t to) const {
        std::size_t j = i;
        if (word(j, to, "the")) ++j;
        if (!word(j, to, "end")) return std::nullopt;
        ++j;
        if (kind(j, to, Tok::Dash)) ++j;
        if (word(j, to, "of")) ++j;
        if (word(j, to, "the")) ++j;
        auto m = range_or_core(j, to);
        if (!m) return std::nullopt;
        return Match{last_day(m->span), m->next};
    }
};

TimescaleKind part_kind(const Span& s) {
    if (s.open) return TimescaleKind::OpenEnded;
    if (s.g == Granularity::Day && s.y1 == s.y2 && s.m1 == s.m2 && s.d1 == s.d2)
        return TimescaleKind::Date;
    return TimescaleKind::Period;
}

// Gives yearless parts a year from their neighbours (the next dated part first: "Jun / Sep 16"),
// else from the plan window; parts left yearless become leftover text.
void resolve_years(std::vector<PendingPart>& parts, const TimescaleOptions& o) {
    for (std::size_t k = 0; k < parts.size(); ++k) {
        Span& s = parts[k].span;
        if (parts[k].status || !s.yearless) continue;
        bool done = false;
        for (std::size_t n = k + 1; n < parts.size() && !done; ++n) {
            const Span& next = parts[n].span;
            if (parts[n].status || next.yearless) continue;
            assign_year(s, s.m1 > next.m1 ? next.y1 - 1 : next.y1);
            done = true;
        }
        for (std::size_t p = k; p-- > 0 && !done;) {
            const Span& prev = parts[p].span;
            if (parts[p].status || prev.yearless) continue;
            assign_year(s, s.m1 < prev.m2 ? prev.y2 + 1 : prev.y2);
            done = true;
        }
        if (!done && o.plan) {
            for (int y = o.plan->start.year(); y <= o.plan->start.year() + 1 && !done; ++y) {
                Span trial = s;
                assign_year(trial, y);
                auto start = start_date(trial);
                if (start && o.plan->contains(*start)) { s = trial; done = true; }
            }
        }
    }
}

std::string join_leftover(std::string_view text, const std::vector<Token>& tokens,
                          const std::vector<bool>& leftover) {
    std::string out;
    std::size_t k = 0;
    while (k < tokens.size()) {
        if (!leftover[k]) { ++k; continue; }
        std::size_t e = k;
        while (e + 1 < tokens.size() && leftover[e + 1]) ++e;
        if (!out.empty()) out += ' ';
        out += collapse_whitespace(text.substr(tokens[k].begin, tokens[e].end - tokens[k].begin));
        k = e + 1;
    }
    return out;
}

struct ReadResult {
    std::vector<TimescalePart> parts;
    std::vector<std::string> flags;
    std::string leftover;
};

ReadResult read_all(std::string_view text, const TimescaleOptions& options) {
    ReadResult r;
    const std::vector<Token> tokens = tokenise(text);
    TimescaleReader reader(text, tokens, options);
    std::vector<PendingPart> pending;
    std::vector<bool> leftover(tokens.size(), false);
    reader.read(0, tokens.size(), true, pending, leftover, &r.flags);
    resolve_years(pending, options);
    for (const auto& p : pending) {
        TimescalePart part;
        part.begin = tokens[p.first].begin;
        part.end = tokens[p.last - 1].end;
        part.text = std::string(text.substr(part.begin, part.end - part.begin));
        part.deadline = p.deadline;
        if (p.status) {
            part.kind = TimescaleKind::Status;
            part.status = p.status;
        } else {
            part.period = to_period(p.span);
            if (!part.period) {  // yearless with nothing to borrow from, or no such day
                for (std::size_t k = p.first; k < p.last; ++k) leftover[k] = true;
                continue;
            }
            part.kind = part_kind(p.span);
            part.granularity = p.span.g;
        }
        r.parts.push_back(std::move(part));
    }
    r.leftover = join_leftover(text, tokens, leftover);
    return r;
}

void summarise(Timescale& ts) {
    if (ts.parts.empty()) {
        ts.kind = trim(ts.raw).empty() ? TimescaleKind::Empty : TimescaleKind::Unparsed;
        return;
    }
    ts.kind = ts.parts.size() == 1 ? ts.parts.front().kind : TimescaleKind::Milestones;
    bool open = false;
    for (const auto& p : ts.parts) {
        if (!p.period) continue;
        if (!ts.period) {
            ts.period = *p.period;
        } else {
            ts.period->start = std::min(ts.period->start, p.period->start);
            if (ts.period->end && p.period->end) ts.period->end = std::max(*ts.period->end, *p.period->end);
        }
        if (!p.period->end) open = true;
    }
    if (ts.period && open) ts.period->end.reset();
}

// A whole cell holding an Excel serial as text ("42704", "42704.5").
std::optional<double> serial_text(std::string_view s) {
    s = trim(s);
    if (s.size() < 5 || s.size() > 16) return std::nullopt;
    const std::size_t dot = s.find('.');
    const std::string_view whole = s.substr(0, dot);
    if (whole.size() != 5 || !std::all_of(whole.begin(), whole.end(), is_ascii_digit)) return std::nullopt;
    if (dot != std::string_view::npos) {
        const auto frac = s.substr(dot + 1);
        if (frac.empty() || !std::all_of(frac.begin(), frac.end(), is_ascii_digit)) return std::nullopt;
    }
    double v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
    return v;
}

}  // namespace

std::string_view timescale_kind_name(TimescaleKind k) {
    switch (k) {
    case TimescaleKind::Empty: return "empty";
    case TimescaleKind::Unparsed: return "unparsed";
    case TimescaleKind::Date: return "date";
    case TimescaleKind::Period: return "period";
    case TimescaleKind::OpenEnded: return "open-ended";
    case TimescaleKind::Status: return "status";
    case TimescaleKind::Milestones: return "milestones";
    }
    return "unparsed";
}

std::string_view timescale_status_name(TimescaleStatus s) {
    switch (s) {
    case TimescaleStatus::Ongoing: return "Ongoing";
    case TimescaleStatus::Tbc: return "TBC";
    case TimescaleStatus::Annually: return "Annually";
    case TimescaleStatus::Quarterly: return "Quarterly";
    case TimescaleStatus::Monthly: return "Monthly";
    case TimescaleStatus::Implemented: return "Implemented";
    case TimescaleStatus::Completed: return "Completed";
    }
    return "TBC";
}

bool Timescale::has_status(TimescaleStatus s) const {
    return std::any_of(parts.begin(), parts.end(), [&](const TimescalePart& p) { return p.status == s; });
}

std::optional<Date> Timescale::due() const {
    std::optional<Date> latest;
    for (const auto& p : parts) {
        if (!p.period) continue;
        if (!p.period->end) return std::nullopt;
        if (!latest || *p.period->end > *latest) latest = p.period->end;
    }
    return latest;
}

Timescale parse_timescale(std::string_view text, const TimescaleOptions& options) {
    Timescale ts;
    ts.raw = std::string(text);
    if (auto serial = serial_text(text)) {
        if (auto d = Date::from_excel_serial(*serial)) {
            const std::string_view t = trim(text);
            TimescalePart part;
            part.kind = TimescaleKind::Date;
            part.period = Period{*d, *d};
            part.begin = std::size_t(t.data() - text.data());
            part.end = part.begin + t.size();
            part.text = std::string(t);
            ts.parts.push_back(std::move(part));
            summarise(ts);
            return ts;
        }
    }
    ReadResult r = read_all(text, options);
    ts.parts = std::move(r.parts);
    ts.flags = std::move(r.flags);
    ts.leftover = std::move(r.leftover);
    summarise(ts);
    return ts;
}

Timescale timescale_from_serial(double serial, bool date1904) {
    Timescale ts;
    char buf[32];
    auto [p, ec] = std::to_chars(buf, buf + sizeof buf, serial);
    ts.raw = ec == std::errc{} ? std::string(buf, p) : std::string();
    if (auto d = Date::from_excel_serial(serial, date1904)) {
        TimescalePart part;
        part.kind = TimescaleKind::Date;
        part.period = Period{*d, *d};
        part.end = ts.raw.size();
        part.text = ts.raw;
        ts.parts.push_back(std::move(part));
    }
    summarise(ts);
    return ts;
}

std::vector<TimescalePart> find_timescales(std::string_view text, const TimescaleOptions& options) {
    return read_all(text, options).parts;
}

std::optional<TimescalePart> find_period(std::string_view text, const TimescaleOptions& options) {
    for (auto& p : find_timescales(text, options))
        if (p.period) return p;
    return std::nullopt;
}

std::optional<Date> reporting_date_from_text(std::string_view text, std::string_view year_context) {
    TimescaleOptions options;
    for (const auto& p : find_timescales(year_context)) {
        if (!p.period) continue;
        if (p.granularity == Granularity::FinancialYear || p.granularity == Granularity::Quarter) {
            const Date start = p.period->start;
            options.financial_year = start.month() >= 4 ? start.year() : start.year() - 1;
            break;
        }
    }
    auto part = find_period(text, options);
    if (!part || !part->period) return std::nullopt;
    if (part->period->end) return part->period->end;
    return part->period->start;
}

}  // namespace planconv
