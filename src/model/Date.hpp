// Date and Period: the one calendar type (day precision) and the one date-range type.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace planconv {

// A calendar day (proleptic Gregorian), stored as days since 1970-01-01.
class Date {
public:
    constexpr Date() = default;
    static constexpr Date from_days(std::int32_t days) { Date d; d.days_ = days; return d; }
    // nullopt when the day does not exist (31 April, 29 Feb in a common year).
    static std::optional<Date> from_ymd(int year, int month, int day);
    static Date last_of_month(int year, int month);
    // ISO 8601 "2016-11-30"; nullopt when malformed.
    static std::optional<Date> parse_iso(std::string_view iso);
    // Excel serial (days, 1900 or 1904 system) -> date; the fraction is ignored.
    static std::optional<Date> from_excel_serial(double serial, bool date1904 = false);
    static Date today();

    constexpr std::int32_t days() const { return days_; }
    int year() const;
    int month() const;  // 1..12
    int day() const;    // 1..31
    std::string iso() const;             // "2016-11-30"
    double excel_serial() const;         // 1900 system, as libxlsxwriter and Excel expect

    Date plus_days(std::int32_t n) const { return from_days(days_ + n); }

    friend constexpr auto operator<=>(const Date&, const Date&) = default;

private:
    std::int32_t days_ = 0;
};

// Days since 1970-01-01 for a proleptic Gregorian date (no validation).
std::int32_t days_from_civil(int year, int month, int day);
struct CivilDate { int year; int month; int day; };
CivilDate civil_from_days(std::int32_t days);
bool is_leap_year(int year);
int days_in_month(int year, int month);

// An inclusive range of days. An open end (From Aug 16) has no end.
struct Period {
    Date start;
    std::optional<Date> end;

    friend bool operator==(const Period&, const Period&) = default;
    bool contains(Date d) const { return d >= start && (!end || d <= *end); }
    std::string iso() const;  // "2016-04-01/2017-03-31", "2016-08-01/.." when open
};

}  // namespace planconv
