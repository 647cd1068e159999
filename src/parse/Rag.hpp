// RAG status cells: Red / Amber / Green / Blue (complete) / NA from the many ways services
// write them ("G", "GREEN", "On track", "Completed", "n/a"), with a qualifier kept
// ("Amber (Central Government Delay)"). The alias vocabulary is data: a mapping extends it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace planconv {

enum class RagValue { Red, Amber, Green, Blue, NA };

// "Red", "Amber", "Green", "Blue", "NA": the canonical spellings written to outputs.
std::string_view rag_name(RagValue v);
// The canonical spelling back to the value (exact match only; use RagVocabulary for aliases).
std::optional<RagValue> rag_from_name(std::string_view canonical);

struct RagResult {
    std::string raw;                   // the cell text, unchanged
    std::optional<RagValue> value;     // nullopt: blank, or unknown (-> FIELD-ENUM)
    std::optional<RagValue> secondary; // the better colour of a split rating ("Amber/Green")
    std::string qualifier;             // "Central Government Delay"

    bool blank() const;                // nothing but whitespace
    bool parsed() const { return value.has_value(); }
    bool unknown() const { return !value && !blank(); }
    friend bool operator==(const RagResult&, const RagResult&) = default;
};

// Aliases are matched case-, space-, '-', '_' and '.'-insensitively ("On track" == "ONTRACK" ==
// "on-track"). Defaults:
//   Red:   red, r, off track
//   Amber: amber, a, at risk
//   Green: green, g, on track, on target
//   Blue:  blue, b, complete, completed
//   NA:    na, n/a, not applicable
// Parsing, in order:
//   1. the whole cell is an alias;
//   2. a split rating of two aliases joined by '/', '-' or '&' ("Amber/Green", "Red-Amber")
//      takes the WORSE colour as the value (Red < Amber < Green < Blue), the other as
//      `secondary` — it counts as needing more work, and a mapping that disagrees can add the
//      compound text as an alias;
//   3. the longest alias that starts the cell and is followed by a space, '(', '[', ':', ',',
//      ';' or a dash; the rest (enclosing brackets and leading punctuation stripped) is the
//      qualifier: "Amber (Central Government Delay)", "Green - on track", "RED: funding";
//   4. otherwise unknown, with the raw text kept.
class RagVocabulary {
public:
    RagVocabulary();                          // the defaults above
    static RagVocabulary without_defaults();  // for a mapping that lists every alias itself

    // Later aliases override earlier ones for the same key.
    void add_alias(std::string_view text, RagValue value);
    // The value of exactly this alias text, if any.
    std::optional<RagValue> lookup(std::string_view text) const;

    RagResult parse(std::string_view cell) const;

private:
    struct Empty {};
    explicit RagVocabulary(Empty) {}
    std::unordered_map<std::string, RagValue> aliases_;  // key: rag_key(text)
    std::size_t longest_key_ = 0;
};

// Parses with the default vocabulary (shared, immutable, thread-safe).
RagResult parse_rag(std::string_view cell);

}  // namespace planconv
