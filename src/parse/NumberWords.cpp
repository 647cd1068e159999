// Number words and count statements: a word/digit tokeniser and a small cardinal grammar
// (units, teens, tens, hyphenated compounds, hundreds, thousands, fractions, all/both).
#include "parse/NumberWords.hpp"

#include "parse/Text.hpp"

#include <array>

namespace planconv {
namespace {

enum class NTok : unsigned char { Word, Number, Punct };

struct NToken {
    NTok kind = NTok::Punct;
    std::size_t begin = 0, end = 0;
    double value = 0;       // Number
    int decimals = 0;       // Number
    bool glued = false;     // Number touching a letter ("2b", "1st", "Sep16"): not a count
};

std::vector<NToken> tokenise(std::string_view s) {
    std::vector<NToken> out;
    std::size_t i = 0;
    while (i < s.size()) {
        const char c = s[i];
        NToken t;
        t.begin = i;
        if (is_ascii_alpha(c)) {
            while (i < s.size() && is_ascii_alpha(s[i])) ++i;
            t.kind = NTok::Word;
        } else if (auto lit = read_decimal(s, i); lit && is_ascii_digit(c)) {
            t.kind = NTok::Number;
            t.value = lit->value;
            t.decimals = lit->decimals;
            i += lit->len;
            t.glued = (t.begin > 0 && is_ascii_alpha(s[t.begin - 1])) ||
                      (i < s.size() && is_ascii_alpha(s[i]));
        } else {
            const auto u = decode_utf8(s, i);
            i += u.len;
            if (u.valid && is_space_cp(u.cp)) continue;
            t.kind = NTok::Punct;
        }
        t.end = i;
        out.push_back(t);
    }
    return out;
}

struct WordValue { std::string_view word; int value; };
constexpr std::array<WordValue, 20> kUnits = {{
    {"zero", 0}, {"none", 0}, {"one", 1}, {"two", 2}, {"three", 3}, {"four", 4}, {"five", 5},
    {"six", 6}, {"seven", 7}, {"eight", 8}, {"nine", 9}, {"ten", 10}, {"eleven", 11},
    {"twelve", 12}, {"thirteen", 13}, {"fourteen", 14}, {"fifteen", 15}, {"sixteen", 16},
    {"seventeen", 17}, {"eighteen", 18},
}};
constexpr std::array<WordValue, 10> kTens = {{
    {"nineteen", 19}, {"twenty", 20}, {"thirty", 30}, {"forty", 40}, {"fourty", 40},
    {"fifty", 50}, {"sixty", 60}, {"seventy", 70}, {"eighty", 80}, {"ninety", 90},
}};
// Denominators of fraction words, singular and plural.
constexpr std::array<WordValue, 16> kFractions = {{
    {"half", 2}, {"halves", 2}, {"third", 3}, {"thirds", 3}, {"quarter", 4}, {"quarters", 4},
    {"fifth", 5}, {"fifths", 5}, {"sixth", 6}, {"sixths", 6}, {"eighth", 8}, {"eighths", 8},
    {"tenth", 10}, {"tenths", 10}, {"fourth", 4}, {"fourths", 4},
}};

template <std::size_t N>
std::optional<int> lookup(const std::array<WordValue, N>& table, std::string_view w) {
    for (const auto& e : table)
        if (iequals(e.word, w)) return e.value;
    return std::nullopt;
}

class NumberReader {
public:
    NumberReader(std::string_view s, const std::vector<NToken>& t) : s_(s), t_(t) {}

    std::vector<NumberMention> read() const {
        std::vector<NumberMention> out;
        std::size_t i = 0;
        while (i < t_.size()) {
            if (auto m = mention(i)) {
                NumberMention& n = m->first;
                std::size_t next = m->second;
                n.begin = t_[i].begin;
                n.end = t_[next - 1].end;
                if (punct(next, '%')) { n.percent = true; n.end = t_[next].end; ++next; }
                else if (word(next, "percent")) { n.percent = true; n.end = t_[next].end; ++next; }
                else if (word(next, "per") && word(next + 1, "cent")) {
                    n.percent = true;
                    n.end = t_[next + 1].end;
                    next += 2;
                }
                n.text = std::string(s_.substr(n.begin, n.end - n.begin));
                out.push_back(std::move(n));
                i = next;
            } else {
                ++i;
            }
        }
        return out;
    }

private:
    std::string_view s_;
    const std::vector<NToken>& t_;

    std::string_view text(std::size_t i) const { return s_.substr(t_[i].begin, t_[i].end - t_[i].begin); }
    bool is_word(std::size_t i) const { return i < t_.size() && t_[i].kind == NTok::Word; }
    bool word(std::size_t i, std::string_view w) const { return is_word(i) && iequals(text(i), w); }
    bool punct(std::size_t i, char c) const {
        return i < t_.size() && t_[i].kind == NTok::Punct && t_[i].end == t_[i].begin + 1 &&
               s_[t_[i].begin] == c;
    }
    bool dash(std::size_t i) const {
        if (i >= t_.size() || t_[i].kind != NTok::Punct) return false;
        const auto u = decode_utf8(s_, t_[i].begin);
        return u.valid && is_dash_cp(u.cp);
    }
    bool digits(std::size_t i) const { return i < t_.size() && t_[i].kind == NTok::Number && !t_[i].glued; }

    std::optional<std::pair<int, std::size_t>> unit(std::size_t i) const {
        if (!is_word(i)) return std::nullopt;
        if (auto v = lookup(kUnits, text(i))) return std::make_pair(*v, i + 1);
        return std::nullopt;
    }

    // "twenty", "twenty-one", "twenty one", "thirteen", "seven".
    std::optional<std::pair<int, std::size_t>> tens(std::size_t i) const {
        if (!is_word(i)) return std::nullopt;
        if (auto t = lookup(kTens, text(i))) {
            if (*t >= 20) {
                if (dash(i + 1) && t_[i + 1].begin == t_[i].end)
                    if (auto u = unit(i + 2); u && u->first >= 1 && u->first <= 9)
                        return std::make_pair(*t + u->first, u->second);
                if (auto u = unit(i + 1); u && u->first >= 1 && u->first <= 9)
                    return std::make_pair(*t + u->first, u->second);
            }
            return std::make_pair(*t, i + 1);
        }
        return unit(i);
    }

    // "one hundred and five", "a hundred", "twelve".
    std::optional<std::pair<int, std::size_t>> hundreds(std::size_t i) const {
        std::optional<std::pair<int, std::size_t>> head;
        if (word(i, "a") && word(i + 1, "hundred")) head = std::make_pair(1, i + 1);
        else if (auto u = unit(i); u && u->first >= 1 && u->first <= 9 && word(u->second, "hundred"))
            head = u;
        if (head) {
            int v = head->first * 100;
            std::size_t j = head->second + 1;
            std::size_t k = word(j, "and") ? j + 1 : j;
            if (auto rest = tens(k)) return std::make_pair(v + rest->first, rest->second);
            return std::make_pair(v, j);
        }
        return tens(i);
    }

    std::optional<std::pair<int, std::size_t>> cardinal(std::size_t i) const {
        auto h = hundreds(i);
        if (!h && word(i, "a") && word(i + 1, "thousand")) h = std::make_pair(1, i + 1);
        if (!h) return std::nullopt;
        if (word(h->second, "thousand")) {
            int v = h->first * 1000;
            std::size_t j = h->second + 1;
            std::size_t k = word(j, "and") ? j + 1 : j;
            if (auto rest = hundreds(k)) return std::make_pair(v + rest->first, rest->second);
            return std::make_pair(v, j);
        }
        return h;
    }

    std::optional<std::pair<NumberMention, std::size_t>> mention(std::size_t i) const {
        NumberMention n;
        // "all of the four", "all 8", "both".
        if (word(i, "both")) {
            n.value = n.whole = 2;
            n.words = true;
            return std::make_pair(n, i + 1);
        }
        if (word(i, "all")) {
            std::size_t j = i + 1;
            if (word(j, "of")) ++j;
            if (word(j, "the")) ++j;
            if (digits(j) && t_[j].decimals == 0) {
                n.value = n.whole = t_[j].value;
                return std::make_pair(n, j + 1);
            }
            if (auto c = cardinal(j); c && c->first > 0) {
                n.value = n.whole = double(c->first);
                n.words = true;
                return std::make_pair(n, c->second);
            }
            return std::nullopt;
        }
        // "a third (19)", "two thirds", "one half".
        auto numerator = cardinal(i);  // "a hundred" is a cardinal, "a third" a fraction
        const bool article = !numerator && (word(i, "a") || word(i, "an"));
        if (article) numerator = std::make_pair(1, i + 1);
        if (numerator && is_word(numerator->second)) {
            if (auto d = lookup(kFractions, text(numerator->second))) {
                n.fraction = double(numerator->first) / *d;
                n.words = true;
                std::size_t j = numerator->second + 1;
                if (punct(j, '(') && digits(j + 1) && punct(j + 2, ')')) {
                    n.value = t_[j + 1].value;
                    j += 3;
                }
                return std::make_pair(n, j);
            }
        }
        if (article) return std::nullopt;
        if (numerator) {
            // "one" in "no one", "any one", "every one" is not a count.
            if (numerator->first == 1 && numerator->second == i + 1 && i > 0 &&
                (word(i - 1, "no") || word(i - 1, "any") || word(i - 1, "every") || word(i - 1, "some")))
                return std::nullopt;
            n.value = numerator->first;
            n.words = true;
            return std::make_pair(n, numerator->second);
        }
        if (digits(i)) {
            n.value = t_[i].value;
            return std::make_pair(n, i + 1);
        }
        return std::nullopt;
    }
};

std::string lower_collapsed(std::string_view s) { return fold_case(collapse_whitespace(s)); }

bool ends_with_word(std::string_view text, std::string_view suffix) {
    if (text.size() < suffix.size() || text.substr(text.size() - suffix.size()) != suffix) return false;
    return text.size() == suffix.size() || !is_ascii_alpha(text[text.size() - suffix.size() - 1]);
}

// Sentence ends: '.', '!', '?', ';' or a line break. A '.' between digits is a decimal point
// and "..." an ellipsis ("five out of eight actions ... on track"), neither ends a sentence.
std::vector<std::size_t> sentence_ends(std::string_view s) {
    std::vector<std::size_t> ends;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        const bool point = c == '.' && i > 0 && i + 1 < s.size() && is_ascii_digit(s[i - 1]) &&
                           is_ascii_digit(s[i + 1]);
        const bool ellipsis = c == '.' && ((i > 0 && s[i - 1] == '.') || (i + 1 < s.size() && s[i + 1] == '.'));
        if ((c == '.' && !point && !ellipsis) || c == '!' || c == '?' || c == ';' || c == '\n')
            ends.push_back(i);
    }
    ends.push_back(s.size());
    return ends;
}

bool year_like(const NumberMention& n) {
    return !n.words && n.value && *n.value >= 1990 && *n.value <= 2039 && n.text.size() == 4;
}

}  // namespace

std::vector<NumberMention> find_numbers(std::string_view text) {
    const auto tokens = tokenise(text);
    return NumberReader(text, tokens).read();
}

std::optional<double> number_from_words(std::string_view phrase) {
    const auto found = find_numbers(phrase);
    if (found.size() != 1 || !found.front().value) return std::nullopt;
    auto no_alnum = [](std::string_view s) {
        for (char c : s)
            if (is_ascii_alpha(c) || is_ascii_digit(c)) return false;
        return true;
    };
    const auto& n = found.front();
    if (!no_alnum(phrase.substr(0, n.begin)) || !no_alnum(phrase.substr(n.end))) return std::nullopt;
    return n.value;
}

std::vector<CountStatement> find_count_statements(std::string_view text) {
    std::vector<CountStatement> out;
    const auto mentions = find_numbers(text);
    const auto ends = sentence_ends(text);
    std::size_t e = 0;        // the sentence the current mention is in ends at ends[e]
    std::size_t sentence_start = 0;
    std::size_t prev_end = 0;
    bool prev_in_sentence = false;
    CountStatement* current = nullptr;
    for (std::size_t m = 0; m < mentions.size(); ++m) {
        const NumberMention& n = mentions[m];
        if (ends[e] < n.begin) {  // a new sentence: statements never span sentences
            while (ends[e] < n.begin) sentence_start = ends[e++] + 1;
            prev_end = sentence_start;
            prev_in_sentence = false;
            current = nullptr;
        }
        const std::string between = lower_collapsed(trim(text.substr(prev_end, n.begin - prev_end)));
        const bool pound_before = (n.begin >= 2 && text.substr(n.begin - 2, 2) == "\u00A3") ||
                                  (n.begin >= 1 && text[n.begin - 1] == '$');
        const bool countable = n.value && !n.percent && !year_like(n) && !pound_before;
        const bool of_phrase = between == "out of" || between == "out of the" || between == "of" ||
                               between == "of the" || between == "out of a total of";
        auto open = [&](const NumberMention& whole, std::size_t begin) {
            CountStatement st;
            st.whole = whole;
            st.begin = begin;
            out.push_back(std::move(st));
            current = &out.back();
        };
        if (countable && prev_in_sentence && of_phrase) {
            // "five out of eight", "one of six": the previous number is a part of this whole.
            const NumberMention& part = mentions[m - 1];
            if (current && !current->parts.empty() && current->parts.back() == part)
                current->parts.pop_back();
            open(n, part.begin);
            current->parts.push_back(part);
        } else if (countable && (ends_with_word(between, "of the") || ends_with_word(between, "of"))) {
            open(n, n.begin);  // "Of the 69 actions, 28 … 35 … six …"
        } else if (countable && n.whole && !current) {
            open(n, n.begin);  // "all of the four actions": 4 of 4
            current->whole.value = n.whole;
            current->parts.push_back(n);
        } else if (countable && current) {
            current->parts.push_back(n);
        }
        if (current) current->end = ends[e];
        prev_end = n.end;
        prev_in_sentence = true;
    }
    return out;
}

}  // namespace planconv
