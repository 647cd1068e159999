// Built-in number formats and the format-code scan that tells dates and times from numbers.
#include "read/ExcelNumberFormat.hpp"

#include <cmath>
#include <vector>

namespace planconv {

std::string_view builtin_number_format(std::uint32_t id) {
    // ECMA-376 Part 1, 18.8.30 (en-US codes; the East Asian ones in their ja-JP form).
    switch (id) {
    case 0: return "General";
    case 1: return "0";
    case 2: return "0.00";
    case 3: return "#,##0";
    case 4: return "#,##0.00";
    case 5: return "\"$\"#,##0_);(\"$\"#,##0)";
    case 6: return "\"$\"#,##0_);[Red](\"$\"#,##0)";
    case 7: return "\"$\"#,##0.00_);(\"$\"#,##0.00)";
    case 8: return "\"$\"#,##0.00_);[Red](\"$\"#,##0.00)";
    case 9: return "0%";
    case 10: return "0.00%";
    case 11: return "0.00E+00";
    case 12: return "# ?/?";
    case 13: return "# ?\?/??";
    case 14: return "mm-dd-yy";
    case 15: return "d-mmm-yy";
    case 16: return "d-mmm";
    case 17: return "mmm-yy";
    case 18: return "h:mm AM/PM";
    case 19: return "h:mm:ss AM/PM";
    case 20: return "h:mm";
    case 21: return "h:mm:ss";
    case 22: return "m/d/yy h:mm";
    case 27: case 36: case 50: case 57: return "[$-411]ge.m.d";
    case 28: case 29: case 51: case 54: case 58: return "[$-411]ggge\"\xE5\xB9\xB4\"m\"\xE6\x9C\x88\"d\"\xE6\x97\xA5\"";
    case 30: return "m/d/yy";
    case 31: return "yyyy\"\xE5\xB9\xB4\"m\"\xE6\x9C\x88\"d\"\xE6\x97\xA5\"";
    case 32: return "h\"\xE6\x99\x82\"mm\"\xE5\x88\x86\"";
    case 33: return "h\"\xE6\x99\x82\"mm\"\xE5\x88\x86\"ss\"\xE7\xA7\x92\"";
    case 34: case 52: case 55: return "yyyy\"\xE5\xB9\xB4\"m\"\xE6\x9C\x88\"";
    case 35: case 53: case 56: return "m\"\xE6\x9C\x88\"d\"\xE6\x97\xA5\"";
    case 37: return "#,##0_);(#,##0)";
    case 38: return "#,##0_);[Red](#,##0)";
    case 39: return "#,##0.00_);(#,##0.00)";
    case 40: return "#,##0.00_);[Red](#,##0.00)";
    case 41: return "_(* #,##0_);_(* \\(#,##0\\);_(* \"-\"_);_(@_)";
    case 42: return "_(\"$\"* #,##0_);_(\"$\"* \\(#,##0\\);_(\"$\"* \"-\"_);_(@_)";
    case 43: return "_(* #,##0.00_);_(* \\(#,##0.00\\);_(* \"-\"??_);_(@_)";
    case 44: return "_(\"$\"* #,##0.00_);_(\"$\"* \\(#,##0.00\\);_(\"$\"* \"-\"??_);_(@_)";
    case 45: return "mm:ss";
    case 46: return "[h]:mm:ss";
    case 47: return "mmss.0";
    case 48: return "##0.0E+0";
    case 49: return "@";
    default: return {};
    }
}

namespace {

// The date and time codes of a format section, in order; "m" is resolved once its
// neighbours are known.
enum class Code : std::uint8_t { Year, Month, Day, Hour, MonthOrMinute, Minute, Second, AmPm, Elapsed };

char lower(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }

bool starts_with_nocase(std::string_view s, std::size_t i, std::string_view word) {
    if (s.size() - i < word.size()) return false;
    for (std::size_t k = 0; k < word.size(); ++k)
        if (lower(s[i + k]) != word[k]) return false;
    return true;
}

// [h], [hh], [mm], [ss]: elapsed time. Anything else in brackets is a colour, a condition or a
// locale, none of which says anything about dates.
bool is_elapsed_bracket(std::string_view inside) {
    if (inside.empty()) return false;
    char first = lower(inside[0]);
    if (first != 'h' && first != 'm' && first != 's') return false;
    for (char c : inside)
        if (lower(c) != first) return false;
    return true;
}

struct SectionScan {
    std::vector<Code> codes;
    bool text = false;    // @
    bool digits = false;  // 0 # ?
};

SectionScan scan_first_section(std::string_view s) {
    SectionScan scan;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        switch (c) {
        case ';': return scan;
        case '"': {  // quoted literal
            auto close = s.find('"', i + 1);
            i = close == std::string_view::npos ? s.size() : close;
            continue;
        }
        case '\\':  // escaped literal character
        case '_':   // padding the width of the next character
        case '*':   // fill with the next character
            ++i;
            continue;
        case '[': {
            auto close = s.find(']', i + 1);
            if (close == std::string_view::npos) return scan;
            if (is_elapsed_bracket(s.substr(i + 1, close - i - 1))) scan.codes.push_back(Code::Elapsed);
            i = close;
            continue;
        }
        case '@': scan.text = true; continue;
        case '0': case '#': case '?': scan.digits = true; continue;
        default: break;
        }
        if (starts_with_nocase(s, i, "general")) {
            i += 6;
            continue;
        }
        if (starts_with_nocase(s, i, "am/pm")) {
            scan.codes.push_back(Code::AmPm);
            i += 4;
            continue;
        }
        if (starts_with_nocase(s, i, "a/p")) {
            scan.codes.push_back(Code::AmPm);
            i += 2;
            continue;
        }
        Code code;
        switch (lower(c)) {
        case 'y': case 'g': code = Code::Year; break;  // g: era (Japanese calendars)
        case 'e':
            // E+ / e- is a scientific exponent; a lone e is the era year.
            if (i + 1 < s.size() && (s[i + 1] == '+' || s[i + 1] == '-')) {
                scan.digits = true;
                ++i;
                continue;
            }
            code = Code::Year;
            break;
        case 'd': code = Code::Day; break;
        case 'm': code = Code::MonthOrMinute; break;
        case 'h': code = Code::Hour; break;
        case 's': code = Code::Second; break;
        default: continue;  // other literal characters: - / : , space $ ( ) ...
        }
        // A run of one letter ("yyyy", "mmm") is one code.
        while (i + 1 < s.size() && lower(s[i + 1]) == lower(c)) ++i;
        scan.codes.push_back(code);
    }
    return scan;
}

// "m" is minutes right after an hour or right before a second, months otherwise.
void resolve_months_and_minutes(std::vector<Code>& codes) {
    for (std::size_t i = 0; i < codes.size(); ++i) {
        if (codes[i] != Code::MonthOrMinute) continue;
        bool after_hour = i > 0 && (codes[i - 1] == Code::Hour || codes[i - 1] == Code::Elapsed);
        bool before_second = i + 1 < codes.size() && (codes[i + 1] == Code::Second || codes[i + 1] == Code::Elapsed);
        codes[i] = after_hour || before_second ? Code::Minute : Code::Month;
    }
}

}  // namespace

NumberFormatKind classify_number_format(std::string_view code) {
    SectionScan scan = scan_first_section(code);
    resolve_months_and_minutes(scan.codes);
    bool date = false, time = false;
    for (Code c : scan.codes) {
        switch (c) {
        case Code::Elapsed: return NumberFormatKind::Duration;
        case Code::Year: case Code::Month: case Code::Day: date = true; break;
        case Code::Hour: case Code::Minute: case Code::Second: case Code::AmPm: time = true; break;
        case Code::MonthOrMinute: break;  // resolved above
        }
    }
    if (date && time) return NumberFormatKind::DateTime;
    if (date) return NumberFormatKind::Date;
    if (time) return NumberFormatKind::Time;
    if (scan.text && !scan.digits) return NumberFormatKind::Text;
    return NumberFormatKind::Number;
}

TypedNumber type_formatted_number(double value, NumberFormatKind kind, bool date1904) {
    if (!is_calendar(kind) || !std::isfinite(value)) return {CellType::Number, value};
    constexpr double kMsPerDay = 86400000.0;
    // A time of day has no date system: 0.5 is noon in 1900 and 1904 workbooks alike.
    if (value >= 0 && value < 1 && std::llround(value * kMsPerDay) < std::llround(kMsPerDay))
        return {CellType::Time, value};
    double serial = date1904 ? value + 1462 : value;  // 1904-01-01 is day 1462 of the 1900 system
    if (serial < 0 || serial >= 2958466) return {CellType::Number, value};
    double day = std::floor(serial);
    auto ms = std::llround((serial - day) * kMsPerDay);
    if (ms == 0) return {CellType::Date, day};
    if (ms >= std::llround(kMsPerDay)) return {CellType::Date, day + 1};  // 23:59:59.9996 is midnight
    return {CellType::DateTime, serial};
}

}  // namespace planconv
