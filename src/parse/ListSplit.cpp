// List splitting on configured separators.
#include "parse/ListSplit.hpp"

#include "parse/RichText.hpp"
#include "parse/Text.hpp"

#include <algorithm>
#include <iterator>

namespace planconv {

const std::vector<std::string>& ListSplitter::default_separators() {
    static const std::vector<std::string> kDefaults = {" / ", "/", ";", ",", " and ", "\n"};
    return kDefaults;
}

ListSplitter::ListSplitter() : ListSplitter(default_separators()) {}

ListSplitter::ListSplitter(std::vector<std::string> separators) : separators_(std::move(separators)) {
    separators_.erase(std::remove_if(separators_.begin(), separators_.end(),
                                     [](const std::string& s) { return s.empty(); }),
                      separators_.end());
    std::stable_sort(separators_.begin(), separators_.end(),
                     [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

namespace {

// A tag (<p>, </li>) or entity (&amp;) anywhere in the cell; a bare '<' or '&' is just text.
bool has_markup(std::string_view text) {
    for (std::size_t i = find_either(text, '<', '&'); i != std::string_view::npos; i = find_either(text, '<', '&', i + 1))
        if (match_tag(text, i) || match_entity(text, i)) return true;
    return false;
}

}  // namespace

std::vector<std::string> ListSplitter::split(std::string_view text) const {
    // Markup first: a closing tag's '/' is no separator, and each paragraph or list item of
    // "<p>Director Education</p>/<p>Head of HR</p>" is an item of its own.
    if (has_markup(text)) {
        std::vector<std::string> items;
        for (const RichBlock& block : parse_rich_text(text).blocks) {
            auto part = split_plain(block.text);
            items.insert(items.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
        }
        return items;
    }
    return split_plain(text);
}

std::vector<std::string> ListSplitter::split_plain(std::string_view text) const {
    std::vector<std::string> items;
    const bool newline = std::find(separators_.begin(), separators_.end(), "\n") != separators_.end();
    auto emit = [&](std::string_view item) {
        std::string tidy = collapse_whitespace(item);
        if (!tidy.empty()) items.push_back(std::move(tidy));
    };
    std::size_t start = 0, i = 0;
    while (i < text.size()) {
        std::size_t len = 0;
        if (newline && text[i] == '\r') {
            len = (i + 1 < text.size() && text[i + 1] == '\n') ? 2 : 1;
        } else {
            for (const auto& sep : separators_) {
                if (istarts_with(text.substr(i), sep)) { len = sep.size(); break; }
            }
        }
        if (len == 0) { ++i; continue; }
        emit(text.substr(start, i - start));
        i += len;
        start = i;
    }
    emit(text.substr(start));
    return items;
}

std::vector<std::string> split_list(std::string_view text) {
    static const ListSplitter kDefault;
    return kDefault.split(text);
}

}  // namespace planconv
