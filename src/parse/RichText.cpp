// Rich-text cells: markup and bullets -> paragraphs and list items; a forgiving single pass.
#include "parse/RichText.hpp"

#include "parse/Text.hpp"

#include <algorithm>
#include <array>

namespace planconv {
namespace {

constexpr std::size_t kMaxTagLength = 1024;  // a '<' with no '>' this close is just text
constexpr int kMaxListDepth = 16;

// Tags that only style text: dropped without a space (<b>Bold</b>er stays one word).
bool is_inline_tag(std::string_view name) {
    static constexpr std::array<std::string_view, 17> kInline = {
        "a", "b", "big", "code", "em", "font", "i", "o:p", "s", "small", "span", "strike",
        "strong", "sub", "sup", "u", "ins"};
    return std::find(kInline.begin(), kInline.end(), name) != kInline.end();
}

bool is_known_tag(std::string_view name) {
    static constexpr std::array<std::string_view, 27> kBlock = {
        "p", "br", "ul", "ol", "li", "div", "table", "tbody", "thead", "tr", "td", "th", "hr",
        "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "center", "dl", "dt", "dd",
        "html", "body"};
    return is_inline_tag(name) || std::find(kBlock.begin(), kBlock.end(), name) != kBlock.end();
}

struct NamedEntity {
    std::string_view name;
    char32_t cp;
};
constexpr std::array<NamedEntity, 19> kEntities = {{
    {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''},
    {"nbsp", 0xA0}, {"pound", 0xA3}, {"euro", 0x20AC}, {"ndash", 0x2013}, {"mdash", 0x2014},
    {"lsquo", 0x2018}, {"rsquo", 0x2019}, {"ldquo", 0x201C}, {"rdquo", 0x201D},
    {"bull", 0x2022}, {"hellip", 0x2026}, {"copy", 0xA9}, {"middot", 0xB7}, {"frac12", 0xBD},
}};

bool is_bullet_cp(char32_t cp) {
    return cp == 0x2022 || cp == 0x25AA || cp == 0x25CF || cp == 0x25E6 || cp == 0x2023;
}

bool is_check_cp(char32_t cp) { return cp == 0x2713 || cp == 0x2714 || cp == 0x2611; }

// Ordinary text whatever surrounds it: printable ASCII but markup ('<', '&') and dashes (which
// may start a list item), with single spaces between.
std::size_t plain_text_run(std::string_view s, std::size_t pos) {
    return plain_run(s, pos, [](unsigned char b) { return b > ' ' && b < 0x7F && b != '<' && b != '&' && b != '-'; });
}

// Collapses whitespace on each line, drops empty lines and a leading check mark.
std::string tidy_block_text(std::string_view raw) {
    std::string out;
    std::size_t start = 0;
    while (start <= raw.size()) {
        std::size_t nl = raw.find('\n', start);
        if (nl == std::string_view::npos) nl = raw.size();
        std::string line = collapse_whitespace(raw.substr(start, nl - start));
        if (!line.empty()) {
            if (!out.empty()) out += '\n';
            out += line;
        }
        start = nl + 1;
    }
    // "- ✓ Ambition": the tick is decoration, the item is the ambition.
    const auto first = decode_utf8(out, 0);
    if (!out.empty() && first.valid && is_check_cp(first.cp))
        out = std::string(trim(std::string_view(out).substr(first.len)));
    return out;
}

class RichTextBuilder {
public:
    explicit RichTextBuilder(RichText& out) : out_(out) {}

    void flush() {
        std::string text = tidy_block_text(buf_);
        if (!text.empty()) out_.blocks.push_back(RichBlock{kind_, level_, std::move(text)});
        buf_.clear();
        started_ = false;
    }
    void start(RichBlockKind kind, int level) {
        flush();
        kind_ = kind;
        level_ = level;
        started_ = true;
    }
    void start_item() { start(RichBlockKind::ListItem, std::max(1, list_depth)); }
    void start_paragraph() { start(RichBlockKind::Paragraph, 0); }
    // Text that arrives with no open block belongs to the list it sits in, if any.
    void ensure_started() {
        if (started_) return;
        if (list_depth > 0) start_item(); else start_paragraph();
    }
    void append(std::string_view s) { ensure_started(); buf_ += s; }
    void append_cp(char32_t cp) { ensure_started(); append_utf8(buf_, cp); }
    bool block_is_blank() const { return trim(buf_).empty(); }

    int list_depth = 0;
    bool in_item = false;  // inside an explicit <li>
    bool in_para = false;  // inside an explicit <p>

private:
    RichText& out_;
    std::string buf_;
    RichBlockKind kind_ = RichBlockKind::Paragraph;
    int level_ = 0;
    bool started_ = false;
};

}  // namespace

std::optional<MarkupTag> match_tag(std::string_view s, std::size_t pos) {
    if (pos >= s.size() || s[pos] != '<') return std::nullopt;
    std::size_t i = pos + 1;
    MarkupTag tag;
    if (i < s.size() && s[i] == '/') { tag.closing = true; ++i; }
    const std::size_t name_begin = i;
    if (i >= s.size() || !is_ascii_alpha(s[i])) return std::nullopt;
    while (i < s.size() && i - name_begin < 12 &&
           (is_ascii_alpha(s[i]) || is_ascii_digit(s[i]) || s[i] == ':'))
        ++i;
    for (std::size_t k = name_begin; k < i; ++k) tag.name += to_lower_ascii(s[k]);
    if (!is_known_tag(tag.name)) return std::nullopt;
    // The name must end at '>', '/', or whitespace before the attributes.
    if (i < s.size() && s[i] != '>' && s[i] != '/' && s[i] != ' ' && s[i] != '\t' &&
        s[i] != '\n' && s[i] != '\r')
        return std::nullopt;
    const std::size_t limit = std::min(s.size(), pos + kMaxTagLength);
    char quote = 0;
    for (; i < limit; ++i) {
        const char c = s[i];
        if (quote) {
            if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '>') {
            tag.len = i + 1 - pos;
            return tag;
        } else if (c == '<') {
            return std::nullopt;
        }
    }
    return std::nullopt;
}

std::optional<MarkupEntity> match_entity(std::string_view s, std::size_t pos) {
    if (pos >= s.size() || s[pos] != '&') return std::nullopt;
    const std::size_t semi = s.substr(0, std::min(s.size(), pos + 11)).find(';', pos + 1);
    if (semi == std::string_view::npos || semi == pos + 1) return std::nullopt;
    const std::string_view body = s.substr(pos + 1, semi - pos - 1);
    const std::size_t len = semi + 1 - pos;
    if (body[0] == '#') {
        const bool hex = body.size() > 1 && (body[1] == 'x' || body[1] == 'X');
        const std::string_view digits = body.substr(hex ? 2 : 1);
        if (digits.empty() || digits.size() > 7) return std::nullopt;
        char32_t cp = 0;
        for (char c : digits) {
            int d = -1;
            if (is_ascii_digit(c)) d = c - '0';
            else if (hex && c >= 'a' && c <= 'f') d = c - 'a' + 10;
            else if (hex && c >= 'A' && c <= 'F') d = c - 'A' + 10;
            if (d < 0) return std::nullopt;
            cp = cp * (hex ? 16 : 10) + char32_t(d);
        }
        if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
        return MarkupEntity{len, cp};
    }
    for (const auto& e : kEntities)
        if (body == e.name) return MarkupEntity{len, e.cp};
    return std::nullopt;
}

RichText parse_rich_text(std::string_view cell) {
    RichText result;
    // Most cells are one plain paragraph already in normal form: no markup, no bullet, no dash
    // opening a list item. They come back as they are.
    if (!cell.empty() && cell.front() != '-' && find_either(cell, '<', '&') == std::string_view::npos &&
        is_normal_text(cell)) {
        result.blocks.push_back(RichBlock{RichBlockKind::Paragraph, 0, std::string(cell)});
        return result;
    }
    RichTextBuilder b(result);
    std::size_t i = 0;
    bool after_space = true;  // the previous character was whitespace (or the cell start)
    while (i < cell.size()) {
        const char c = cell[i];
        if (c == '<') {
            if (auto tag = match_tag(cell, i)) {
                result.had_markup = true;
                i += tag->len;
                const std::string& n = tag->name;
                if (is_inline_tag(n)) continue;
                after_space = true;
                if (n == "br") {
                    b.append("\n");
                } else if (n == "li") {
                    if (tag->closing) { b.flush(); b.in_item = false; }
                    else { b.start_item(); b.in_item = true; }
                } else if (n == "ul" || n == "ol") {
                    b.flush();
                    if (tag->closing) b.list_depth = std::max(0, b.list_depth - 1);
                    else b.list_depth = std::min(kMaxListDepth, b.list_depth + 1);
                    // After </ul> we are back inside the parent item, if there was one.
                    b.in_item = tag->closing && b.list_depth > 0;
                } else if (b.in_item) {
                    b.append(" ");  // <p> inside an explicit <li> stays in the item
                } else if (n == "p" || n == "div" || n[0] == 'h' || n == "blockquote" ||
                           n == "pre" || n == "center" || n == "table" || n == "tr") {
                    b.flush();
                    b.in_para = !tag->closing;
                    if (!tag->closing) {
                        b.list_depth = 0;  // the seeds' <ul> is never closed: a <p> ends it
                        b.start_paragraph();
                    }
                } else {
                    b.append(" ");
                }
                continue;
            }
        } else if (c == '&') {
            if (auto ent = match_entity(cell, i)) {
                result.had_markup = true;
                i += ent->len;
                if (is_bullet_cp(ent->cp)) {
                    b.start_item();
                    after_space = true;
                } else {
                    b.append_cp(ent->cp == 0xA0 ? char32_t(' ') : ent->cp);
                    after_space = ent->cp == 0xA0;
                }
                continue;
            }
        } else if (c == '\n' || c == '\r') {
            ++i;
            after_space = true;
            if (b.in_item || b.in_para) b.append(" ");
            else b.flush();
            continue;
        }
        if (const std::size_t run = plain_text_run(cell, i)) {
            b.append(cell.substr(i, run));
            i += run;
            after_space = false;
            continue;
        }
        const auto u = decode_utf8(cell, i);
        if (u.valid && is_bullet_cp(u.cp)) {
            result.had_markup = true;
            b.start_item();
            i += u.len;
            after_space = true;
            continue;
        }
        if (u.valid && (u.cp == '-' || u.cp == 0x2013) && after_space) {
            const std::size_t next = i + u.len;
            const char nc = next < cell.size() ? cell[next] : '\0';
            const bool dash_item_in_list = b.list_depth > 0 && !b.in_item && !is_ascii_digit(nc);
            const bool dash_at_line_start = b.block_is_blank() && (nc == ' ' || nc == '\t');
            if (dash_item_in_list || dash_at_line_start) {
                result.had_markup = true;
                b.start_item();
                i = next;
                after_space = true;
                continue;
            }
        }
        if (u.valid && is_space_cp(u.cp)) {
            b.append(" ");
            after_space = true;
        } else {
            // Invalid bytes are replaced so the blocks are always valid UTF-8.
            if (u.valid) b.append(cell.substr(i, u.len)); else b.append_cp(0xFFFD);
            after_space = false;
        }
        i += u.len;
    }
    b.flush();
    return result;
}

std::string RichText::plain() const {
    std::string out;
    for (const auto& block : blocks) {
        if (!out.empty()) out += '\n';
        if (block.kind == RichBlockKind::ListItem) {
            out.append(std::size_t(2 * std::max(0, block.level - 1)), ' ');
            out += "\u2022 ";
        }
        out += block.text;
    }
    return out;
}

std::string strip_markup(std::string_view cell) {
    std::string out;
    out.reserve(cell.size());
    for (std::size_t i = 0; i < cell.size();) {
        if (cell[i] == '<') {
            if (auto tag = match_tag(cell, i)) {
                if (!is_inline_tag(tag->name)) out += ' ';
                i += tag->len;
                continue;
            }
        } else if (cell[i] == '&') {
            if (auto ent = match_entity(cell, i)) {
                append_utf8(out, ent->cp);
                i += ent->len;
                continue;
            }
        }
        out += cell[i++];
    }
    return collapse_whitespace(out);
}

}  // namespace planconv
