// RAG status parsing against an alias vocabulary.
#include "parse/Rag.hpp"

#include "parse/Text.hpp"

#include <array>

namespace planconv {
namespace {

// Case-, space- and '-', '_', '.'-insensitive key of an alias.
std::string rag_key(std::string_view s) {
    std::string key;
    key.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const auto c = decode_utf8(s, i);
        if (c.valid && (is_space_cp(c.cp) || is_dash_cp(c.cp) || c.cp == '_' || c.cp == '.')) {
            i += c.len;
            continue;
        }
        if (c.cp < 0x80) key += to_lower_ascii(s[i]);
        else key.append(s.substr(i, c.len));
        i += c.len;
    }
    return key;
}

// Lower is worse: a split rating reports its worse colour.
int badness_rank(RagValue v) {
    switch (v) {
    case RagValue::Red: return 0;
    case RagValue::Amber: return 1;
    case RagValue::Green: return 2;
    case RagValue::Blue: return 3;
    case RagValue::NA: return 4;
    }
    return 4;
}

bool ends_alias_word(std::string_view text, std::size_t pos) {
    if (pos >= text.size()) return true;
    const auto c = decode_utf8(text, pos);
    if (!c.valid) return false;
    return is_space_cp(c.cp) || is_dash_cp(c.cp) || c.cp == '(' || c.cp == '[' || c.cp == ':' ||
           c.cp == ',' || c.cp == ';';
}

std::string clean_qualifier(std::string_view rest) {
    rest = trim(rest);
    for (;;) {
        const auto c = decode_utf8(rest, 0);
        if (rest.empty() || !c.valid) break;
        if (!(is_dash_cp(c.cp) || c.cp == ':' || c.cp == ',' || c.cp == ';')) break;
        rest = trim(rest.substr(c.len));
    }
    if (rest.size() >= 2 && ((rest.front() == '(' && rest.back() == ')') ||
                             (rest.front() == '[' && rest.back() == ']')))
        rest = trim(rest.substr(1, rest.size() - 2));
    return collapse_whitespace(rest);
}

}  // namespace

std::string_view rag_name(RagValue v) {
    switch (v) {
    case RagValue::Red: return "Red";
    case RagValue::Amber: return "Amber";
    case RagValue::Green: return "Green";
    case RagValue::Blue: return "Blue";
    case RagValue::NA: return "NA";
    }
    return "NA";
}

std::optional<RagValue> rag_from_name(std::string_view canonical) {
    for (auto v : {RagValue::Red, RagValue::Amber, RagValue::Green, RagValue::Blue, RagValue::NA})
        if (canonical == rag_name(v)) return v;
    return std::nullopt;
}

bool RagResult::blank() const { return trim(raw).empty(); }

RagVocabulary::RagVocabulary() {
    struct Alias { std::string_view text; RagValue value; };
    static constexpr std::array<Alias, 18> kDefaults = {{
        {"Red", RagValue::Red}, {"R", RagValue::Red}, {"Off track", RagValue::Red},
        {"Amber", RagValue::Amber}, {"A", RagValue::Amber}, {"At risk", RagValue::Amber},
        {"Green", RagValue::Green}, {"G", RagValue::Green}, {"On track", RagValue::Green},
        {"On target", RagValue::Green},
        {"Blue", RagValue::Blue}, {"B", RagValue::Blue}, {"Complete", RagValue::Blue},
        {"Completed", RagValue::Blue},
        {"NA", RagValue::NA}, {"N/A", RagValue::NA}, {"Not applicable", RagValue::NA},
        {"N / A", RagValue::NA},
    }};
    for (const auto& a : kDefaults) add_alias(a.text, a.value);
}

RagVocabulary RagVocabulary::without_defaults() { return RagVocabulary(Empty{}); }

void RagVocabulary::add_alias(std::string_view text, RagValue value) {
    std::string key = rag_key(text);
    if (key.empty()) return;
    longest_key_ = std::max(longest_key_, key.size());
    aliases_[std::move(key)] = value;
}

std::optional<RagValue> RagVocabulary::lookup(std::string_view text) const {
    const std::string key = rag_key(text);
    if (key.empty() || key.size() > longest_key_) return std::nullopt;
    if (auto it = aliases_.find(key); it != aliases_.end()) return it->second;
    return std::nullopt;
}

RagResult RagVocabulary::parse(std::string_view cell) const {
    RagResult r;
    r.raw = std::string(cell);
    const std::string_view text = trim(cell);
    if (text.empty()) return r;

    if ((r.value = lookup(text))) return r;

    // A split rating: two different colours joined by '/', '&' or a dash.
    for (std::size_t i = 1; i < text.size();) {
        const auto c = decode_utf8(text, i);
        if (c.valid && (c.cp == '/' || c.cp == '&' || is_dash_cp(c.cp))) {
            const auto a = lookup(text.substr(0, i));
            const auto b = lookup(text.substr(i + c.len));
            if (a && b && *a != *b && *a != RagValue::NA && *b != RagValue::NA) {
                const bool a_worse = badness_rank(*a) < badness_rank(*b);
                r.value = a_worse ? a : b;
                r.secondary = a_worse ? b : a;
                return r;
            }
            break;
        }
        i += c.len;
    }

    // The longest alias that begins the cell at a word boundary; the rest is the qualifier.
    std::size_t best_cut = 0;
    std::optional<RagValue> best;
    // Aliases are short: a prefix longer than this cannot be one (and keeps long cells linear).
    const std::size_t max_prefix = std::min(text.size(), 4 * longest_key_ + 32);
    for (std::size_t i = 1; i <= max_prefix;) {
        if (ends_alias_word(text, i)) {
            const std::string_view head = trim(text.substr(0, i));
            if (rag_key(head).size() > longest_key_) break;
            if (auto v = lookup(head)) { best = v; best_cut = i; }
        }
        if (i >= max_prefix) break;
        i += decode_utf8(text, i).len;
    }
    if (best) {
        r.value = best;
        r.qualifier = clean_qualifier(text.substr(best_cut));
    }
    return r;
}

RagResult parse_rag(std::string_view cell) {
    static const RagVocabulary kDefault;
    return kDefault.parse(cell);
}

}  // namespace planconv
