// PlanDates: the plan period and the reporting date a Document states through its facts.
//
// Mapping files name these facts by convention: `plan_period` ("2016/17", "Jun 16 – Oct 17")
// and `as_of` ("end of November 2016", "Quarter 3 Update"). Typing timescale cells needs the
// plan (a yearless "March" or "Q3" resolves inside it); rules and writers need the as-of date.
#pragma once

#include "mapping/FieldTyper.hpp"
#include "model/Date.hpp"
#include "model/Document.hpp"

#include <optional>

namespace planconv {

inline constexpr std::string_view kPlanPeriodFact = "plan_period";
inline constexpr std::string_view kAsOfFact = "as_of";

struct PlanDates {
    std::optional<Period> plan;
    std::optional<Date> as_of;  // the end of the period the as_of fact names
};

PlanDates plan_dates(const Document& doc);

// Timescale options resolving yearless dates and quarters inside the plan.
TypingContext typing_context(const PlanDates& dates);

}  // namespace planconv
