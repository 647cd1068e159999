// "Did you mean …?": the known name nearest to a misspelt one, for messages about mapping files
// (rule ids, rule parameters, field names) and for anything else that names things by hand.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace planconv {

// Edits (insert, delete or replace one character, swap two neighbours) from a to b, ignoring
// ASCII case.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The name in `known` closest to `word`, when it is close enough to be what was meant: at most
// one edit for short names, about one in three characters for longer ones. Ties go to the
// earlier name. nullopt when nothing is that close, or when `word` is itself known.
std::optional<std::string> closest_name(std::string_view word, const std::vector<std::string>& known);

// "did you mean 'on_track'?" for the closest name, else "" (messages add it as a hint).
std::string did_you_mean(std::string_view word, const std::vector<std::string>& known);

}  // namespace planconv
