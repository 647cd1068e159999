// TemplateText: {name|fallback} placeholders and [hints]; see TemplateText.hpp.
#include "mapping/TemplateText.hpp"

#include <algorithm>

namespace planconv {

namespace {

struct Placeholder {
    std::size_t begin = 0, end = 0;  // of "{...}" in the text, end one past '}'
    std::string name;
    std::optional<std::string> fallback;
};

std::optional<Placeholder> next_placeholder(std::string_view text, std::size_t from) {
    std::size_t open = text.find('{', from);
    if (open == std::string_view::npos) return std::nullopt;
    std::size_t close = text.find('}', open + 1);
    if (close == std::string_view::npos) return std::nullopt;
    Placeholder p;
    p.begin = open;
    p.end = close + 1;
    std::string_view inner = text.substr(open + 1, close - open - 1);
    std::size_t bar = inner.find('|');
    p.name = std::string(inner.substr(0, bar));
    if (bar != std::string_view::npos) p.fallback = std::string(inner.substr(bar + 1));
    return p;
}

std::string hint_for(const std::string& name) {
    std::string words = name;
    std::replace(words.begin(), words.end(), '_', ' ');
    return "[" + words + "]";
}

}  // namespace

std::string fill_template_text(std::string_view text, const TemplateLookup& lookup) {
    std::string out;
    std::size_t pos = 0;
    while (auto p = next_placeholder(text, pos)) {
        out.append(text.substr(pos, p->begin - pos));
        std::optional<std::string> value = lookup ? lookup(p->name) : std::nullopt;
        if (value && !value->empty())
            out += *value;
        else
            out += p->fallback ? *p->fallback : hint_for(p->name);
        pos = p->end;
    }
    out.append(text.substr(pos));
    return out;
}

std::string template_text_fallback(std::string_view text) { return fill_template_text(text, nullptr); }

bool template_text_has_blanks(std::string_view text) {
    if (next_placeholder(text, 0)) return true;
    std::size_t open = text.find('[');
    return open != std::string_view::npos && text.find(']', open) != std::string_view::npos;
}

bool template_text_has_bare_placeholder(std::string_view text) {
    std::size_t pos = 0;
    while (auto p = next_placeholder(text, pos)) {
        if (!p->fallback) return true;
        pos = p->end;
    }
    return false;
}

}  // namespace planconv
