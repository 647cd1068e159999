// Money cells of budget monitoring tables and contract registers: "£", thousands commas,
// "k"/"m"/"bn" multipliers, negatives written "-113", "(113)", "Cr 145", "Cr £113k", "113 Cr",
// "Dr £70k" (a debit: positive), and words after the figure kept as a note
// ("£3,500,000 estimated (part of …)"). A lone dash or "nil" is zero, as accountants write it.
//
// Scale: budget tables state values in £'000. Pass the column's unit in pounds (1000 for
// £'000): plain figures ("113", "£113", "(113)") are taken as already in that unit, and only
// figures with an explicit multiplier are converted ("Cr £113k" in a £'000 column is -113).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace planconv {

enum class MoneyKind { Empty, Value, NotApplicable, Unparsed };

struct MoneyAmount {
    std::string raw;         // the cell text, unchanged
    MoneyKind kind = MoneyKind::Empty;
    double value = 0;        // in the column's unit (pounds, or thousands for £'000)
    int decimals = 0;        // digits written after the point
    bool credit = false;     // written as a credit/negative: Cr, brackets or a minus
    std::string note;        // "estimated (part of …)"

    bool parsed() const { return kind == MoneyKind::Value; }
};

// unit_pounds: pounds per unit of the column (1 for £, 1000 for £'000).
MoneyAmount parse_money(std::string_view text, double unit_pounds = 1.0);
// A numeric cell: the number as it stands (already in the column's unit).
MoneyAmount money_from_number(double value);

}  // namespace planconv
