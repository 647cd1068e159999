// TemplateText: the placeholder language of a mapping's template texts (column titles, the
// template's title row, section starts): {name} and {name|fallback} take a value by name (a plan
// fact's raw text, a section's id or title); [hints] are text a service completes by hand.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace planconv {

using TemplateLookup = std::function<std::optional<std::string>(std::string_view name)>;

// Fills every {name} from `lookup`; a name it does not know takes its |fallback, else becomes
// the hint "[name]" (underscores as spaces). A '{' without its '}' is kept as text.
std::string fill_template_text(std::string_view text, const TemplateLookup& lookup);

// The text with every placeholder at its fallback (or hint): what a template writes with
// nothing to fill it from.
std::string template_text_fallback(std::string_view text);

// True when the text asks the service to complete something: a placeholder or a [hint].
bool template_text_has_blanks(std::string_view text);

// True when the text holds a placeholder without a fallback (its blank form is only a hint).
bool template_text_has_bare_placeholder(std::string_view text);

}  // namespace planconv
