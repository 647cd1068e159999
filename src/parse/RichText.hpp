// Rich-text cells: the HTML-ish markup pasted into council workbooks (<p>, <ul> never closed,
// <li>, <br>, entities) and the plain-text bullets (•, " - ") turned into paragraphs and list
// items, plus a plain-text rendering for cleaned workbooks. Never fails: unknown tags and stray
// '<' are kept as text, unclosed elements end with the cell.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace planconv {

enum class RichBlockKind { Paragraph, ListItem };

struct RichBlock {
    RichBlockKind kind = RichBlockKind::Paragraph;
    int level = 0;     // 0 for paragraphs; 1 for a top-level list item, 2 nested, ...
    std::string text;  // whitespace collapsed; a <br> is kept as '\n'
    friend bool operator==(const RichBlock&, const RichBlock&) = default;
};

struct RichText {
    std::vector<RichBlock> blocks;
    bool had_markup = false;  // a tag, entity or bullet was interpreted

    // Blocks one per line; list items as "• text", indented two spaces per extra level.
    std::string plain() const;
};

// Paragraph boundaries: <p>, </p>, <div>, and line breaks outside an explicit <p>/<li>.
// List items: <li>; '•' (and ▪ ● ◦) anywhere; inside an open <ul>/<ol> a '-' or '–' that
// follows whitespace and precedes a non-digit (" - item", " -item"); at the start of a line
// a "- " (the "- ✓ ambition" lists). A " - " in running text outside a list is punctuation.
// A <p> outside an explicit <li> closes any open list, as the seeds' unclosed <ul> need.
RichText parse_rich_text(std::string_view cell);

// Inline text of a cell: tags become spaces, entities are decoded, whitespace is collapsed.
std::string strip_markup(std::string_view cell);

// Lexical pieces for tokenisers that skip markup in place (keeping byte offsets into the cell).
struct MarkupTag {
    std::size_t len = 0;    // bytes from '<' to '>' inclusive
    std::string name;       // lower case, e.g. "ul", "li", "o:p"
    bool closing = false;   // </li>
};
// A known HTML tag name at s[pos] == '<'; "<5.0" and "< 290" are not tags.
std::optional<MarkupTag> match_tag(std::string_view s, std::size_t pos);

struct MarkupEntity {
    std::size_t len = 0;  // bytes from '&' to ';' inclusive
    char32_t cp = 0;      // &nbsp; decodes to U+00A0
};
// A named (&amp; &nbsp; &pound; ...) or numeric (&#39; &#x2019;) entity at s[pos] == '&'.
std::optional<MarkupEntity> match_entity(std::string_view s, std::size_t pos);

}  // namespace planconv
