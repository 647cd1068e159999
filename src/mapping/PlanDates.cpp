// PlanDates: reads the plan_period and as_of facts with the timescale parser.
#include "mapping/PlanDates.hpp"

#include "parse/Timescale.hpp"

namespace planconv {

PlanDates plan_dates(const Document& doc) {
    PlanDates dates;
    const Fact* plan = doc.fact(kPlanPeriodFact);
    const Fact* title = doc.fact("title");
    if (plan) {
        Timescale t = parse_timescale(plan->raw);
        if (t.period)
            dates.plan = t.period;
        else if (auto part = find_period(plan->raw); part && part->period)
            dates.plan = part->period;
    }
    if (const Fact* as_of = doc.fact(kAsOfFact)) {
        // "Quarter 3 Update" needs the year from the plan period or the title.
        std::string context = (plan ? plan->raw : std::string()) + " " + (title ? title->raw : std::string());
        dates.as_of = reporting_date_from_text(as_of->raw, context);
        if (!dates.as_of) {
            Timescale t = parse_timescale(as_of->raw);
            if (t.period) dates.as_of = t.period->end ? *t.period->end : t.period->start;
        }
    }
    return dates;
}

TypingContext typing_context(const PlanDates& dates) {
    TypingContext context;
    if (dates.plan) {
        context.timescale.plan = dates.plan;
        // The financial year the plan starts in: April–March.
        const Date start = dates.plan->start;
        context.timescale.financial_year = start.month() >= 4 ? start.year() : start.year() - 1;
    }
    return context;
}

}  // namespace planconv
