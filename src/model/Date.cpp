// Civil-calendar arithmetic for Date (days since the Unix epoch) and Excel serial conversion.
#include "model/Date.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>

namespace planconv {

// Howard Hinnant's days_from_civil / civil_from_days (public-domain algorithms).
std::int32_t days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = unsigned(y - era * 400);
    const unsigned doy = unsigned((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + int(doe) - 719468;
}

CivilDate civil_from_days(std::int32_t z) {
    z += 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = unsigned(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int y = int(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return CivilDate{y + (m <= 2), int(m), int(d)};
}

bool is_leap_year(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && is_leap_year(y)) return 29;
    return kDays[(m - 1) % 12];
}

std::optional<Date> Date::from_ymd(int year, int month, int day) {
    if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return std::nullopt;
    if (day > days_in_month(year, month)) return std::nullopt;
    return from_days(days_from_civil(year, month, day));
}

Date Date::last_of_month(int year, int month) {
    return from_days(days_from_civil(year, month, days_in_month(year, month)));
}

std::optional<Date> Date::parse_iso(std::string_view s) {
    int y = 0, m = 0, d = 0;
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
        if (s[i] < '0' || s[i] > '9') return std::nullopt;
    y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    m = (s[5] - '0') * 10 + (s[6] - '0');
    d = (s[8] - '0') * 10 + (s[9] - '0');
    return from_ymd(y, m, d);
}

std::optional<Date> Date::from_excel_serial(double serial, bool date1904) {
    if (!std::isfinite(serial) || serial < 0 || serial > 2958466.0) return std::nullopt;
    auto whole = std::int32_t(std::floor(serial));
    if (date1904) return from_days(days_from_civil(1904, 1, 1) + whole);
    // Excel counts the fictitious 29 February 1900; days before it are one day later.
    std::int32_t epoch = days_from_civil(1899, 12, 30);
    if (whole > 0 && whole < 60) epoch += 1;
    return from_days(epoch + whole);
}

Date Date::today() {
    using namespace std::chrono;
    auto now = std::chrono::floor<std::chrono::days>(system_clock::now());
    return from_days(std::int32_t(now.time_since_epoch().count()));
}

int Date::year() const { return civil_from_days(days_).year; }
int Date::month() const { return civil_from_days(days_).month; }
int Date::day() const { return civil_from_days(days_).day; }

std::string Date::iso() const {
    auto c = civil_from_days(days_);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.year, c.month, c.day);
    return buf;
}

double Date::excel_serial() const {
    std::int32_t serial = days_ - days_from_civil(1899, 12, 30);
    if (serial < 61) serial -= 1;  // before Excel's fictitious 29 Feb 1900
    return double(serial);
}

std::string Period::iso() const {
    return start.iso() + "/" + (end ? end->iso() : std::string(".."));
}

}  // namespace planconv
