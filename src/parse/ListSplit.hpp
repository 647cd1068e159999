// List cells ("HOS S&CP / DCS", "Health; Police; Schools", one lead per line) split on the
// separators a mapping configures, items trimmed and empty items dropped. A cell with markup
// ("<p>Director Education</p>/<p>Head of HR</p>") is read as rich text first: every paragraph
// or list item is split on its own, and no tag is ever split.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace planconv {

class ListSplitter {
public:
    // The defaults: " / ", "/", ";", ",", " and ", "\n".
    ListSplitter();
    // Separators are literal text matched case-insensitively (" and " also splits " AND ");
    // "\n" also splits "\r\n" and "\r". At each position the longest separator wins.
    explicit ListSplitter(std::vector<std::string> separators);

    std::vector<std::string> split(std::string_view text) const;
    const std::vector<std::string>& separators() const { return separators_; }
    static const std::vector<std::string>& default_separators();

private:
    std::vector<std::string> split_plain(std::string_view text) const;  // text with no markup

    std::vector<std::string> separators_;  // longest first
};

// Splits with the default separators.
std::vector<std::string> split_list(std::string_view text);

}  // namespace planconv
