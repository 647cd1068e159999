// Numbers as narrative claims write them: "five", "twenty-one", "one hundred and five", "13",
// "1,359", "all of the four" (4 of 4), "both" (2 of 2), "a third (19)" (19, a third), and the
// count statements built from them ("five out of eight actions … on track with three actions
// requiring more work", "one of six", "Of the 69 actions, 28 … 35 … six …").
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace planconv {

// One number found in text.
struct NumberMention {
    std::size_t begin = 0, end = 0;  // byte span in the text
    std::optional<double> value;     // the count; none for a bare fraction ("a third of them")
    std::optional<double> fraction;  // "a third" 1/3, "two thirds" 2/3, "a half" 0.5
    std::optional<double> whole;     // "all of the four" 4, "both" 2: the total it is all of
    bool words = false;              // written in words rather than digits
    bool percent = false;            // followed by '%' or "per cent"
    std::string text;                // the span, verbatim

    friend bool operator==(const NumberMention&, const NumberMention&) = default;
};

// Every number in the text, words or digits, in order. Ordinals ("first"), "half" on its own
// ("the first half of the year") and digits inside words ("ASCOF 2b") are not numbers.
std::vector<NumberMention> find_numbers(std::string_view text);

// The number a whole phrase spells: "five" 5, "Twenty-one" 21, "13" 13, "all of the four" 4,
// "a third (19)" 19. nullopt unless one number covers the phrase (surrounding spaces and
// punctuation aside) and has a value. Converts a mapping's regex capture.
std::optional<double> number_from_words(std::string_view phrase);

// A count claim: a whole and the parts stated against it, within one sentence.
//   "five out of eight actions are on track with three actions requiring more work"
//       whole 8, parts [5, 3]
//   "one of six actions"                 whole 6, parts [1]
//   "all of the four actions"            whole 4, parts [4]
//   "Of the 69 actions, 28 are complete, 35 on track and six delayed"
//       whole 69, parts [28, 35, 6]
// Percentages, years and figures after '£' in the sentence are not parts.
struct CountStatement {
    NumberMention whole;
    std::vector<NumberMention> parts;
    std::size_t begin = 0, end = 0;  // the sentence's span (from the first number)
};
std::vector<CountStatement> find_count_statements(std::string_view text);

}  // namespace planconv
