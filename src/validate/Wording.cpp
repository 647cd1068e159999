// Wording: numbers, dates and quotes in findings.
#include "validate/Wording.hpp"

#include "parse/Text.hpp"

#include <cmath>
#include <cstdio>

namespace planconv {

std::string format_figure(double v, int max_decimals) {
    if (!std::isfinite(v)) return "?";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", max_decimals, std::fabs(v));
    std::string digits = buf;
    std::string fraction;
    if (auto dot = digits.find('.'); dot != std::string::npos) {
        fraction = digits.substr(dot + 1);
        digits.resize(dot);
        while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
    }
    std::string grouped;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) grouped += ',';
        grouped += digits[i];
    }
    bool zero = grouped.find_first_not_of("0,") == std::string::npos && fraction.empty();
    std::string out = (v < 0 && !zero) ? "-" + grouped : grouped;
    if (!fraction.empty()) out += "." + fraction;
    return out;
}

std::string format_percent(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f%%", decimals < 0 ? 0 : decimals, v);
    return buf;
}

std::string format_date(Date d) {
    static const char* const months[] = {"January", "February", "March",     "April",   "May",      "June",
                                         "July",    "August",   "September", "October", "November", "December"};
    return std::to_string(d.day()) + " " + months[d.month() - 1] + " " + std::to_string(d.year());
}

std::string quoted(std::string_view text, std::size_t max_chars) {
    std::string s = normalise_text(text);
    std::size_t pos = 0, chars = 0;
    while (pos < s.size() && chars < max_chars) {
        pos += decode_utf8(s, pos).len;
        ++chars;
    }
    if (pos < s.size()) {
        s.resize(pos);
        s += "…";
    }
    return "'" + s + "'";
}

std::string count_of(std::size_t n, std::string_view noun, std::string_view plural) {
    std::string word = n == 1 ? std::string(noun) : plural.empty() ? std::string(noun) + "s" : std::string(plural);
    return format_figure(double(n), 0) + " " + word;
}

}  // namespace planconv
