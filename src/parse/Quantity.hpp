// Indicator values (targets and outturns) as performance tables write them: one cell can hold
// several observations, each a comparator, a number with its unit and stated precision, a
// numerator/denominator, a second figure in brackets, a period and a note — or a status such
// as "New", "N/A", "TBC", "-" or a placeholder ("X%", "XX").
//
//   "72"                       Count 72
//   "81%"                      Percent 81, 0 dp
//   ">800", "<5.0"             comparator Greater / Less; "<5.0" keeps 1 dp
//   "36,000"                   Count 36000
//   "90.5% (191/211) October"  Percent 90.5, numerator 191, denominator 211, period "October"
//   "234 (60%)", "79.3% (3718)", "33 (13%)"
//                              the bracketed figure is `secondary` (with its own unit and dp)
//   "71.4% (Q1) 70% (Q2)"      two observations, periods "Q1" and "Q2"
//   "964 96.2% (481/500) (Q1) 85.9% (483/562) (Q2)"
//                              three: Count 964; 96.2% 481/500 Q1; 85.9% 483/562 Q2
//   "29,704 November Increased from 25,528 in the same period for 2015"
//                              Count 29704, period "November", note "Increased from …": once
//                              words start, the rest of the cell is the note
//   "2% year on year reduction" Percent 2, note "year on year reduction"
//   "60 -120"                  a range: value 60, upper 120
//   "New", "NEW INDICATOR"     status New; "N/A", "n/a" NotApplicable; "TBC" Tbc; "-" NoValue
//   "X%", "XX", "(insert figure)"  status Placeholder (-> VALUE-PLACEHOLDER)
//   "Annual Indicator Outturn available Quarter Two 2017/18"
//                              status NotYetAvailable, period "Quarter Two 2017/18"
//   "#N/A", "#DIV/0!", text with no figure  Unparsed, raw kept
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace planconv {

enum class Comparator { None, Less, LessOrEqual, Greater, GreaterOrEqual, Equal, Approx };
enum class QuantityUnit { None, Count, Percent, Money };
enum class QuantityStatus { Value, New, NotApplicable, Tbc, NotYetAvailable, Placeholder, NoValue };
enum class QuantityKind { Empty, Parsed, Unparsed };

std::string_view comparator_symbol(Comparator c);        // "", "<", "<=", ">", ">=", "=", "~"
std::string_view quantity_unit_name(QuantityUnit u);     // "none", "count", "percent", "money"
std::string_view quantity_status_name(QuantityStatus s); // "value", "new", "not-applicable",
                                                         // "tbc", "not-yet-available",
                                                         // "placeholder", "no-value"

struct Observation {
    QuantityStatus status = QuantityStatus::Value;
    Comparator comparator = Comparator::None;
    std::optional<double> value;
    QuantityUnit unit = QuantityUnit::None;  // Count for a bare number
    int decimals = 0;                        // digits written after the point: "50.5%" -> 1
    std::optional<double> upper;             // the top of a range ("60 -120")
    std::optional<double> numerator;         // "(191/211)"
    std::optional<double> denominator;
    std::optional<double> secondary;         // the bracketed figure of "234 (60%)"
    QuantityUnit secondary_unit = QuantityUnit::None;
    int secondary_decimals = 0;
    std::string period;                      // "Q1", "October", "Quarter Two 2017/18"
    std::string note;

    friend bool operator==(const Observation&, const Observation&) = default;
};

struct Quantity {
    std::string raw;  // the cell text, unchanged
    QuantityKind kind = QuantityKind::Empty;
    std::vector<Observation> observations;

    bool parsed() const { return kind == QuantityKind::Parsed; }
    // The first observation carrying a number, if any.
    const Observation* first_value() const;
};

Quantity parse_quantity(std::string_view text);
// A numeric cell; a percent-formatted cell holds the fraction (0.905 -> 90.5%).
Quantity quantity_from_number(double value, bool percent_format = false);

}  // namespace planconv
