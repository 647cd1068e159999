// Timescale cells, headers and titles as the council's plans write them (SPEC §7.2, DOMAIN §1).
#include "parse/Timescale.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace planconv;

namespace {

// One line per part: "2016-12-01/2016-12-31", "by 2016-09-30/2016-09-30", "status:Quarterly".
std::vector<std::string> parts_of(const Timescale& ts) {
    std::vector<std::string> out;
    for (const auto& p : ts.parts) {
        if (p.status) out.push_back("status:" + std::string(timescale_status_name(*p.status)));
        else out.push_back((p.deadline ? "by " : "") + (p.period ? p.period->iso() : std::string("?")));
    }
    return out;
}

std::string period_of(const Timescale& ts) { return ts.period ? ts.period->iso() : std::string(); }

struct Case {
    const char* text;
    TimescaleKind kind;
    const char* period;  // the cell's overall period, "" when none
    std::vector<std::string> parts;
};

void check_cases(const std::vector<Case>& cases) {
    for (const auto& c : cases) {
        INFO("cell: '" << c.text << "'");
        const Timescale ts = parse_timescale(c.text);
        CHECK(ts.raw == c.text);
        CHECK(timescale_kind_name(ts.kind) == timescale_kind_name(c.kind));
        CHECK(period_of(ts) == c.period);
        CHECK(parts_of(ts) == c.parts);
    }
}

using K = TimescaleKind;

}  // namespace

TEST_CASE("every single-value timescale form of the spec reads to its period", "[parse]") {
    check_cases({
        {"April 2022", K::Period, "2022-04-01/2022-04-30", {"2022-04-01/2022-04-30"}},
        {"April 2022 [AP]", K::Period, "2022-04-01/2022-04-30", {"2022-04-01/2022-04-30"}},
        {"Sept 2016", K::Period, "2016-09-01/2016-09-30", {"2016-09-01/2016-09-30"}},
        {"Sep16", K::Period, "2016-09-01/2016-09-30", {"2016-09-01/2016-09-30"}},
        {"Oct 16", K::Period, "2016-10-01/2016-10-31", {"2016-10-01/2016-10-31"}},
        {"By Dec 16", K::Period, "2016-12-01/2016-12-31", {"by 2016-12-01/2016-12-31"}},
        {"By end Sep16", K::Date, "2016-09-30/2016-09-30", {"by 2016-09-30/2016-09-30"}},
        {"End of March 2017", K::Date, "2017-03-31/2017-03-31", {"2017-03-31/2017-03-31"}},
        {"End of Sep16", K::Date, "2016-09-30/2016-09-30", {"2016-09-30/2016-09-30"}},
        {"From Aug 16", K::OpenEnded, "2016-08-01/..", {"2016-08-01/.."}},
        {"Jan – Mar 17", K::Period, "2017-01-01/2017-03-31", {"2017-01-01/2017-03-31"}},
        {"Sep – Mar 17", K::Period, "2016-09-01/2017-03-31", {"2016-09-01/2017-03-31"}},
        {"2016/17", K::Period, "2016-04-01/2017-03-31", {"2016-04-01/2017-03-31"}},
        {"2016-17", K::Period, "2016-04-01/2017-03-31", {"2016-04-01/2017-03-31"}},
        {"Q3 2020/21", K::Period, "2020-10-01/2020-12-31", {"2020-10-01/2020-12-31"}},
        {"Quarter Two 2017/18", K::Period, "2017-07-01/2017-09-30", {"2017-07-01/2017-09-30"}},
        {"Spring 2017", K::Period, "2017-03-01/2017-05-31", {"2017-03-01/2017-05-31"}},
        {"early 2017", K::Period, "2017-01-01/2017-04-30", {"2017-01-01/2017-04-30"}},
        {"by 2017", K::Period, "2017-01-01/2017-12-31", {"by 2017-01-01/2017-12-31"}},
        {"31/03/2017", K::Date, "2017-03-31/2017-03-31", {"2017-03-31/2017-03-31"}},
        {"1st April 2017", K::Date, "2017-04-01/2017-04-01", {"2017-04-01/2017-04-01"}},
        {"21 st November 2016", K::Date, "2016-11-21/2016-11-21", {"2016-11-21/2016-11-21"}},
        {"01-Sep-11", K::Date, "2011-09-01/2011-09-01", {"2011-09-01/2011-09-01"}},
        {"<p>April 2022</p>", K::Period, "2022-04-01/2022-04-30", {"2022-04-01/2022-04-30"}},
        {"Jun 16 – Oct 17", K::Period, "2016-06-01/2017-10-31", {"2016-06-01/2017-10-31"}},
    });
}

TEST_CASE("the quarterly plan's target dates read as whole months", "[parse]") {
    check_cases({
        {"March 2021", K::Period, "2021-03-01/2021-03-31", {"2021-03-01/2021-03-31"}},
        {"January 2021", K::Period, "2021-01-01/2021-01-31", {"2021-01-01/2021-01-31"}},
        {"September 2020", K::Period, "2020-09-01/2020-09-30", {"2020-09-01/2020-09-30"}},
        {"June 2020", K::Period, "2020-06-01/2020-06-30", {"2020-06-01/2020-06-30"}},
        {"Early 2021", K::Period, "2021-01-01/2021-04-30", {"2021-01-01/2021-04-30"}},
    });
}

TEST_CASE("other forms from the committee papers", "[parse]") {
    check_cases({
        {"Q3 2013/14", K::Period, "2013-10-01/2013-12-31", {"2013-10-01/2013-12-31"}},
        {"Autumn 2012", K::Period, "2012-09-01/2012-11-30", {"2012-09-01/2012-11-30"}},
        {"Winter 2016/17", K::Period, "2016-12-01/2017-02-28", {"2016-12-01/2017-02-28"}},
        {"22 nd May 2014", K::Date, "2014-05-22/2014-05-22", {"2014-05-22/2014-05-22"}},
        {"31-Mar-17", K::Date, "2017-03-31/2017-03-31", {"2017-03-31/2017-03-31"}},
        {"Jul – Dec 16", K::Period, "2016-07-01/2016-12-31", {"2016-07-01/2016-12-31"}},
        {"June 2013 – May 2014", K::Period, "2013-06-01/2014-05-31", {"2013-06-01/2014-05-31"}},
        {"2017-03-31", K::Date, "2017-03-31/2017-03-31", {"2017-03-31/2017-03-31"}},
        {"late April 2017", K::Period, "2017-04-21/2017-04-30", {"2017-04-21/2017-04-30"}},
        {"mid-2017", K::Period, "2017-05-01/2017-08-31", {"2017-05-01/2017-08-31"}},
        {"Between December 2016 and June 2017", K::Period, "2016-12-01/2017-06-30",
         {"2016-12-01/2017-06-30"}},
        {"From April to June 2017", K::Period, "2017-04-01/2017-06-30", {"2017-04-01/2017-06-30"}},
        {"Quarter 4 12/13", K::Period, "2013-01-01/2013-03-31", {"2013-01-01/2013-03-31"}},
        {"no later than 30 June 2017", K::Date, "2017-06-30/2017-06-30", {"by 2017-06-30/2017-06-30"}},
        {"1st April – 30th June 2017", K::Period, "2017-04-01/2017-06-30", {"2017-04-01/2017-06-30"}},
        {"31/03/2017 - 30/06/2017", K::Period, "2017-03-31/2017-06-30", {"2017-03-31/2017-06-30"}},
        {"Oct-Dec 2016", K::Period, "2016-10-01/2016-12-31", {"2016-10-01/2016-12-31"}},
        {"Apr-17", K::Period, "2017-04-01/2017-04-30", {"2017-04-01/2017-04-30"}},
        {"2016-2019", K::Period, "2016-01-01/2019-12-31", {"2016-01-01/2019-12-31"}},
        {"By the end of 2016/17", K::Date, "2017-03-31/2017-03-31", {"by 2017-03-31/2017-03-31"}},
        {"end of Q3 2020/21", K::Date, "2020-12-31/2020-12-31", {"2020-12-31/2020-12-31"}},
    });
}

TEST_CASE("'Sep – Mar 17' crosses the year into 2017", "[parse]") {
    const auto ts = parse_timescale("Sep – Mar 17");
    REQUIRE(ts.period);
    CHECK(ts.period->start.iso() == "2016-09-01");
    CHECK(ts.period->end->iso() == "2017-03-31");
    CHECK(ts.parts.at(0).granularity == Granularity::MonthRange);
}

TEST_CASE("'By Dec 16' is a deadline covering December 2016", "[parse]") {
    const auto ts = parse_timescale("By Dec 16");
    REQUIRE(ts.parts.size() == 1);
    CHECK(ts.parts[0].deadline);
    CHECK(ts.parts[0].granularity == Granularity::Month);
    CHECK(ts.due()->iso() == "2016-12-31");
    CHECK(ts.period->start.iso() == "2016-12-01");
}

TEST_CASE("'From Aug 16' starts in August 2016 and never ends", "[parse]") {
    const auto ts = parse_timescale("From Aug 16");
    CHECK(ts.kind == TimescaleKind::OpenEnded);
    CHECK(ts.period->start.iso() == "2016-08-01");
    CHECK_FALSE(ts.period->end);
    CHECK_FALSE(ts.due());
}

TEST_CASE("status words are not dates", "[parse]") {
    const std::vector<std::pair<const char*, TimescaleStatus>> words = {
        {"Ongoing", TimescaleStatus::Ongoing},         {"TBC", TimescaleStatus::Tbc},
        {"Annually", TimescaleStatus::Annually},       {"Quarterly", TimescaleStatus::Quarterly},
        {"Implemented", TimescaleStatus::Implemented}, {"Completed", TimescaleStatus::Completed},
        {"On-going", TimescaleStatus::Ongoing},        {"tbc", TimescaleStatus::Tbc},
        {"To be confirmed", TimescaleStatus::Tbc},
    };
    for (const auto& [text, status] : words) {
        INFO(text);
        const auto ts = parse_timescale(text);
        CHECK(ts.kind == TimescaleKind::Status);
        REQUIRE(ts.parts.size() == 1);
        CHECK(ts.parts[0].status == status);
        CHECK_FALSE(ts.period);
        CHECK(ts.parsed());
    }
}

TEST_CASE("improvement plan timescale cells hold several milestones with no separator", "[parse]") {
    check_cases({
        {"Jun / Sep 16", K::Milestones, "2016-06-01/2016-09-30",
         {"2016-06-01/2016-06-30", "2016-09-01/2016-09-30"}},
        {"By end Sep16 then quarterly prog", K::Milestones, "2016-09-30/2016-09-30",
         {"by 2016-09-30/2016-09-30", "status:Quarterly"}},
        {"Aug 16 Implemented  May 16", K::Milestones, "2016-05-01/2016-08-31",
         {"2016-08-01/2016-08-31", "status:Implemented", "2016-05-01/2016-05-31"}},
        {"31 March 2014 [then annually]", K::Milestones, "2014-03-31/2014-03-31",
         {"2014-03-31/2014-03-31", "status:Annually"}},
        {"September 2013 and March 2014", K::Milestones, "2013-09-01/2014-03-31",
         {"2013-09-01/2013-09-30", "2014-03-01/2014-03-31"}},
        {"By end Sep16 then quarterly prog By end Nov 16 By Dec 16 By Dec 16", K::Milestones,
         "2016-09-30/2016-12-31",
         {"by 2016-09-30/2016-09-30", "status:Quarterly", "by 2016-11-30/2016-11-30",
          "by 2016-12-01/2016-12-31", "by 2016-12-01/2016-12-31"}},
        {"Jan – Mar 17 Sep – Mar 17", K::Milestones, "2016-09-01/2017-03-31",
         {"2017-01-01/2017-03-31", "2016-09-01/2017-03-31"}},
        {"Jun / Sep 16  Oct 16  Dec 16", K::Milestones, "2016-06-01/2016-12-31",
         {"2016-06-01/2016-06-30", "2016-09-01/2016-09-30", "2016-10-01/2016-10-31",
          "2016-12-01/2016-12-31"}},
        {"Jul 16 Jul – Sep 16 Jul – Dec 16 From Aug 16", K::Milestones, "2016-07-01/..",
         {"2016-07-01/2016-07-31", "2016-07-01/2016-09-30", "2016-07-01/2016-12-31", "2016-08-01/.."}},
        {"Jan 17 Oct 16 Oct 16 By Dec 16 Jan 17", K::Milestones, "2016-10-01/2017-01-31",
         {"2017-01-01/2017-01-31", "2016-10-01/2016-10-31", "2016-10-01/2016-10-31",
          "by 2016-12-01/2016-12-31", "2017-01-01/2017-01-31"}},
    });
}

TEST_CASE("milestone parts point back into the cell text", "[parse]") {
    const std::string cell = "Aug 16 Implemented  May 16";
    const auto ts = parse_timescale(cell);
    REQUIRE(ts.parts.size() == 3);
    CHECK(ts.parts[0].text == "Aug 16");
    CHECK(ts.parts[1].text == "Implemented");
    CHECK(ts.parts[2].text == "May 16");
    CHECK(cell.substr(ts.parts[2].begin, ts.parts[2].end - ts.parts[2].begin) == "May 16");
    CHECK(ts.due()->iso() == "2016-08-31");
    CHECK(ts.has_status(TimescaleStatus::Implemented));
}

TEST_CASE("text that is not a timescale is unparsed and keeps its raw text", "[parse]") {
    for (const char* text : {"SeptDec 16", "ASAP", "(insert month)", "[AP]", "16", "Sept"}) {
        INFO(text);
        const auto ts = parse_timescale(text);
        CHECK(ts.kind == TimescaleKind::Unparsed);
        CHECK_FALSE(ts.parsed());
        CHECK(ts.raw == text);
        CHECK(ts.parts.empty());
    }
    CHECK(parse_timescale("SeptDec 16").leftover == "SeptDec 16");
    CHECK(parse_timescale("(insert month)").leftover == "insert month");
    CHECK(parse_timescale("").kind == TimescaleKind::Empty);
    CHECK(parse_timescale(" \u00A0 ").kind == TimescaleKind::Empty);
}

TEST_CASE("an undefined flag like '[AP]' is kept", "[parse]") {
    const auto ts = parse_timescale("April 2022 [AP]");
    CHECK(ts.flags == std::vector<std::string>{"AP"});
    CHECK(ts.leftover.empty());
    CHECK(parse_timescale("31 March 2014 [then annually]").flags.empty());
}

TEST_CASE("two-digit years pivot at 70 so contract ends in the 2030s stay in the future", "[parse]") {
    CHECK(parse_timescale("01-Sep-11").period->start.iso() == "2011-09-01");
    CHECK(parse_timescale("31-Mar-35").period->start.iso() == "2035-03-31");
    CHECK(parse_timescale("31-Mar-69").period->start.iso() == "2069-03-31");
    CHECK(parse_timescale("01-Jan-70").period->start.iso() == "1970-01-01");
    CHECK(parse_timescale("31/03/99").period->start.iso() == "1999-03-31");
    TimescaleOptions excel_like;
    excel_like.two_digit_year_pivot = 30;
    CHECK(parse_timescale("31-Mar-35", excel_like).period->start.iso() == "1935-03-31");
}

TEST_CASE("day-first numeric dates reject days that do not exist", "[parse]") {
    CHECK(parse_timescale("31/04/2017").kind == TimescaleKind::Unparsed);
    CHECK(parse_timescale("29/02/2017").kind == TimescaleKind::Unparsed);
    CHECK(parse_timescale("29/02/2016").period->start.iso() == "2016-02-29");
    CHECK(parse_timescale("03/04/2017").period->start.iso() == "2017-04-03");  // 3 April, not 4 March
}

TEST_CASE("Excel serials and date-formatted cells are one day", "[parse]") {
    const auto ts = timescale_from_serial(42704);
    CHECK(ts.kind == TimescaleKind::Date);
    CHECK(ts.period->iso() == "2016-11-30/2016-11-30");
    CHECK(ts.raw == "42704");
    CHECK(timescale_from_serial(42704.75).period->start.iso() == "2016-11-30");
    CHECK(timescale_from_serial(0, true).period->start.iso() == "1904-01-01");
    CHECK(timescale_from_serial(-5).kind == TimescaleKind::Unparsed);
    // A serial that arrived as text (CSV exports).
    CHECK(parse_timescale("42704").period->start.iso() == "2016-11-30");
}

TEST_CASE("a month written without a year takes its year from the plan window", "[parse]") {
    TimescaleOptions options;
    options.plan = Period{*Date::parse_iso("2016-06-01"), *Date::parse_iso("2017-10-31")};
    CHECK(parse_timescale("March", options).period->iso() == "2017-03-01/2017-03-31");
    CHECK(parse_timescale("September", options).period->iso() == "2016-09-01/2016-09-30");
    CHECK(parse_timescale("March").kind == TimescaleKind::Unparsed);
}

TEST_CASE("the plan period is found inside header and title text", "[parse]") {
    const std::vector<std::pair<const char*, const char*>> headers = {
        {"Timescale between Jun 16 – Oct 17", "2016-06-01/2017-10-31"},
        {"Timescale between Jun 16-Oct 17", "2016-06-01/2017-10-31"},
        {"Timescale between June 16 – Oct 17", "2016-06-01/2017-10-31"},
        {"Between December 2016 and June 2017 we are focusing on...", "2016-12-01/2017-06-30"},
        {"Target 2016/17", "2016-04-01/2017-03-31"},
        {"Bromley 2015/16", "2015-04-01/2016-03-31"},
        {"Target 16/17", "2016-04-01/2017-03-31"},
        {"Target 17/18", "2017-04-01/2018-03-31"},
        {"Outturn 2011/12", "2011-04-01/2012-03-31"},
        {"Target 2012/13", "2012-04-01/2013-03-31"},
        {"Quarter 4 12/13", "2013-01-01/2013-03-31"},
        {"Care Services Portfolio Priorities Plan June 2013 – May 2014 Progress Update",
         "2013-06-01/2014-05-31"},
        {"Children, Education and Families Portfolio Plan for 2020/21 Quarter 3 Update",
         "2020-10-01/2020-12-31"},
        {"2016/17", "2016-04-01/2017-03-31"},
        {"Jun 16 – Oct 17", "2016-06-01/2017-10-31"},
    };
    for (const auto& [text, period] : headers) {
        INFO(text);
        const auto found = find_period(text);
        REQUIRE(found);
        CHECK(found->period->iso() == period);
    }
    CHECK_FALSE(find_period("We will measure this achievement by:"));
    CHECK(find_period("Timescale between Jun 16 – Oct 17")->text == "between Jun 16 – Oct 17");
}

TEST_CASE("the reporting date is the end of the period a header names", "[parse]") {
    CHECK(reporting_date_from_text("Half Year Update – end of November 2016")->iso() == "2016-11-30");
    CHECK(reporting_date_from_text("Quarter 3 Update", "2020/21")->iso() == "2020-12-31");
    CHECK(reporting_date_from_text("Children, Education and Families Portfolio Plan for 2020/21 "
                                   "Quarter 3 Update")->iso() == "2020-12-31");
    CHECK(reporting_date_from_text("Quarter 3 Update",
                                   "Children, Education and Families Portfolio Plan for 2020/21")
              ->iso() == "2020-12-31");
    CHECK(reporting_date_from_text("Quarter 4 12/13")->iso() == "2013-03-31");
    CHECK_FALSE(reporting_date_from_text("Quarter 3 Update"));
    CHECK_FALSE(reporting_date_from_text("Actions"));
}

TEST_CASE("a bare quarter resolves against a financial year given as an option", "[parse]") {
    TimescaleOptions options;
    options.financial_year = 2020;
    CHECK(parse_timescale("Q4", options).period->iso() == "2021-01-01/2021-03-31");
    CHECK(parse_timescale("Quarter 1", options).period->iso() == "2020-04-01/2020-06-30");
    CHECK(parse_timescale("Q4").kind == TimescaleKind::Unparsed);
}
