// Edit distance (with swaps) over bytes with ASCII case folded; names in mapping files are ASCII
// (the schema restricts them), so bytes are characters here.
#include "mapping/ClosestName.hpp"

#include <algorithm>
#include <numeric>

namespace planconv {

namespace {

char folded(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
    // Optimal string alignment: two neighbours swapped ("feild") is one slip, as people type.
    std::vector<std::size_t> before(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
    std::iota(prev.begin(), prev.end(), std::size_t{0});
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t replace = prev[j - 1] + (folded(a[i - 1]) == folded(b[j - 1]) ? 0 : 1);
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, replace});
            if (i > 1 && j > 1 && folded(a[i - 1]) == folded(b[j - 2]) && folded(a[i - 2]) == folded(b[j - 1]))
                cur[j] = std::min(cur[j], before[j - 2] + 1);
        }
        std::swap(before, prev);
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

std::optional<std::string> closest_name(std::string_view word, const std::vector<std::string>& known) {
    if (word.empty()) return std::nullopt;
    // One slip in a short name; longer names may carry a slip per three characters.
    const std::size_t allowed = std::max<std::size_t>(1, word.size() / 3);
    std::optional<std::string> best;
    std::size_t best_distance = allowed + 1;
    for (const std::string& name : known) {
        if (name == word) return std::nullopt;
        std::size_t d = edit_distance(word, name);
        if (d < best_distance) {
            best = name;
            best_distance = d;
        }
    }
    return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& known) {
    auto best = closest_name(word, known);
    return best ? "did you mean '" + *best + "'?" : std::string();
}

}  // namespace planconv
