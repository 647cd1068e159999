// Wording: how findings write numbers, dates and quoted cell text for an officer to read.
#pragma once

#include "model/Date.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace planconv {

// "42,062", "-113", "0.5", "1,234.25": thousands separated, at most `max_decimals` decimals
// with trailing zeros dropped.
std::string format_figure(double v, int max_decimals = 2);
// A percentage to exactly `decimals` places: "50.8%".
std::string format_percent(double v, int decimals);
// "30 September 2020".
std::string format_date(Date d);
// 'text' in single quotes, cut to `max_chars` characters (UTF-8 safe) with an ellipsis.
std::string quoted(std::string_view text, std::size_t max_chars = 60);
// "1 action", "3 actions" (the plural is the noun + "s" unless given).
std::string count_of(std::size_t n, std::string_view noun, std::string_view plural = {});

}  // namespace planconv
