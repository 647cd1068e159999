// Moving a formula the way Excel fills it: relative references shift, absolute ($) ones stay.
//
// xlsx stores a block of similar formulas once (a "shared formula": the first cell holds
// SUM(B2:D2), the cells below just say "same as that one"); the formula of each other cell is
// the first one moved by the distance between them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace planconv {

// `formula` (without '=') with every relative row moved by `rows` and relative column by
// `cols`: "SUM(B2:$D2)" moved (1, 1) is "SUM(C3:$D3)". Text in quotes, sheet names, function
// names, defined names and structured references are left alone; a reference pushed off the
// sheet becomes #REF!, as in Excel.
std::string shift_formula(std::string_view formula, std::int64_t rows, std::int64_t cols);

}  // namespace planconv
