// FieldTyper: cell texts from the seed papers read as their column's type — the normalised
// text, the attributes a writer gets, and a reason when a value does not read.
#include "mapping/FieldTyper.hpp"
#include "mapping/PlanDates.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace planconv;

namespace {

std::string attr(const TypedValue& v, std::string_view name) {
    const std::string* a = v.attribute(name);
    return a ? *a : std::string("<absent>");
}

std::string item_attr(const TypedItem& item, std::string_view name) {
    for (const auto& [k, v] : item.attributes)
        if (k == name) return v;
    return "<absent>";
}

ColumnSpec column(FieldType type) {
    ColumnSpec c;
    c.field = "f";
    c.element = "f";
    c.type = type;
    return c;
}

}  // namespace

TEST_CASE("a RAG cell with a qualifier keeps the qualifier as an attribute") {
    TypedValue v = type_rag("Amber (Central Government Delay)", RagVocabulary());
    REQUIRE(v.parsed);
    CHECK(v.text == "Amber");
    CHECK(attr(v, "qualifier") == "Central Government Delay");
    CHECK(type_rag("N/A", RagVocabulary()).text == "NA");
    CHECK(type_rag("GREEN", RagVocabulary()).text == "Green");
}

TEST_CASE("an unknown RAG value is not parsed and says what RAG values are") {
    TypedValue v = type_rag("Purple", RagVocabulary());
    CHECK_FALSE(v.parsed);
    CHECK(v.text.empty());
    CHECK_THAT(v.problem, Catch::Contains("'Purple'") && Catch::Contains("Red, Amber, Green"));
}

TEST_CASE("a rag column's <value> aliases extend the default vocabulary") {
    ColumnSpec c = column(FieldType::Rag);
    c.enum_values.push_back({"Green", {"Achieved"}});
    FieldTyper typer;
    CHECK(typer.type(c, "Achieved").text == "Green");
    CHECK(typer.type(c, "Amber").text == "Amber");
    CHECK_FALSE(typer.type(column(FieldType::Rag), "Achieved").parsed);
}

TEST_CASE("RAG texts read again give the same value, each column by its own vocabulary, after a move too") {
    ColumnSpec aliased = column(FieldType::Rag);
    aliased.enum_values.push_back({"Green", {"Achieved"}});
    const ColumnSpec plain = column(FieldType::Rag);
    std::vector<FieldTyper> typers(1);
    for (int round = 0; round < 3; ++round) {
        INFO("round " << round);
        FieldTyper& typer = typers.back();
        CHECK(typer.type(aliased, "Achieved").text == "Green");
        CHECK_FALSE(typer.type(plain, "Achieved").parsed);
        TypedValue q = typer.type(plain, "Amber (Central Government Delay)");
        CHECK(q.text == "Amber");
        REQUIRE(q.attribute("qualifier"));
        CHECK(*q.attribute("qualifier") == "Central Government Delay");
        CHECK(typer.type(plain, "Purple").problem == type_rag("Purple", RagVocabulary()).problem);
        FieldTyper moved = std::move(typers.back());  // what it has read moves with it
        typers.push_back(std::move(moved));
    }
}

TEST_CASE("rich text: the seeds' unclosed <ul> with ' - ' items becomes bullet lines") {
    TypedValue v = type_richtext("<ul style=\"list-style-type: none\"> - Practice standards - Training - Real time practice audits");
    REQUIRE(v.parsed);
    CHECK(v.text == "\u2022 Practice standards\n\u2022 Training\n\u2022 Real time practice audits");
    TypedValue p = type_richtext("<p>Focus will be on progressing the joint projects.</p> <p>Better Care Fund 2016/17 Performance update</p>");
    CHECK(p.text == "Focus will be on progressing the joint projects.\nBetter Care Fund 2016/17 Performance update");
}

TEST_CASE("text keeps its line breaks and collapses spaces within a line") {
    CHECK(type_text("  HOS S&CP  DCS \n\n Court Manager ").text == "HOS S&CP DCS\nCourt Manager");
    CHECK_FALSE(type_text("   ").parsed);
}

TEST_CASE("an id drops the printed trailing dot and is checked against the column's id pattern") {
    Pattern indicator_no("^\\d+\\.?$");
    CHECK(type_id("1.", &indicator_no).text == "1");
    TypedValue note = type_id("A full dataset is being developed", &indicator_no);
    CHECK_FALSE(note.parsed);
    CHECK_THAT(note.problem, Catch::Contains("does not look like an id"));
    CHECK(type_id("1.2", nullptr).text == "1.2");
}

TEST_CASE("quantity: '90.5% (191/211) October' is one observation with its fraction and period") {
    TypedValue v = type_quantity("90.5% (191/211) October");
    REQUIRE(v.parsed);
    REQUIRE(v.items.size() == 1);
    const TypedItem& o = v.items.front();
    CHECK(item_attr(o, "value") == "90.5");
    CHECK(item_attr(o, "unit") == "percent");
    CHECK(item_attr(o, "decimals") == "1");
    CHECK(item_attr(o, "numerator") == "191");
    CHECK(item_attr(o, "denominator") == "211");
    CHECK(item_attr(o, "period") == "October");
    CHECK(o.text == "90.5% (191/211) October");
}

TEST_CASE("quantity: '71.4% (Q1) 70% (Q2)' is two observations, one per quarter") {
    TypedValue v = type_quantity("71.4% (Q1) 70% (Q2)");
    REQUIRE(v.items.size() == 2);
    CHECK(item_attr(v.items[0], "period") == "Q1");
    CHECK(item_attr(v.items[1], "value") == "70");
    CHECK(item_attr(v.items[1], "period") == "Q2");
}

TEST_CASE("quantity: comparators, thousands and status words") {
    TypedValue less = type_quantity("<5.0");
    REQUIRE(less.items.size() == 1);
    CHECK(item_attr(less.items[0], "comparator") == "<");
    CHECK(less.items[0].text == "<5.0");
    CHECK(item_attr(type_quantity("36,000").items.at(0), "value") == "36000");
    TypedValue na = type_quantity("N/A");
    REQUIRE(na.parsed);
    CHECK(item_attr(na.items.at(0), "status") == "not-applicable");
    CHECK(item_attr(na.items.at(0), "value") == "<absent>");
    CHECK(item_attr(type_quantity("New").items.at(0), "status") == "new");
}

TEST_CASE("quantity: an error value from Excel is not a quantity") {
    TypedValue v = type_quantity("#DIV/0!");
    CHECK_FALSE(v.parsed);
    CHECK_FALSE(v.problem.empty());
}

TEST_CASE("money: £'000 tables give pounds, with Cr and brackets as credits") {
    TypedValue cr = type_money("Cr 145", 1000);
    REQUIRE(cr.parsed);
    CHECK(cr.text == "-145000");
    CHECK(attr(cr, "credit") == "true");
    CHECK(attr(cr, "unit_value") == "-145");
    CHECK(type_money("(113)", 1000).text == "-113000");
    // "Cr £113k" in a £'000 column is 113 thousand pounds, not 113 million.
    CHECK(type_money("Cr \u00a3113k", 1000).text == "-113000");
    TypedValue est = type_money("\u00a33,500,000 estimated", 1);
    CHECK(est.text == "3500000");
    CHECK(attr(est, "note") == "estimated");
    CHECK(attr(est, "unit_value") == "<absent>");
}

TEST_CASE("money: scaling keeps pennies exact") {
    CHECK(type_money("12.3", 1000).text == "12300");
    CHECK_FALSE(type_money("about a million", 1).parsed);
}

TEST_CASE("numbers: plain figures, whole numbers and what is not a number") {
    CHECK(type_number("1,359").text == "1359");
    CHECK(type_integer("12").text == "12");
    CHECK(type_integer("twelve").text == "12");
    CHECK(type_integer("10,000,000,000,000,000").text == "10000000000000000");  // never "1e+16"
    CHECK_FALSE(type_integer("12.5").parsed);
    TypedValue na = type_number("N/A");
    REQUIRE(na.parsed);
    CHECK(na.text.empty());
    CHECK(attr(na, "status") == "not-applicable");
    TypedValue more = type_number(">800");
    CHECK_FALSE(more.parsed);
    CHECK_THAT(more.problem, Catch::Contains("more than a number"));
}

TEST_CASE("percent: written with a sign, or a percent-formatted cell's fraction") {
    CHECK(type_percent("81%").text == "81");
    CHECK(type_percent("0.815").text == "81.5");
    CHECK(type_percent("67.5").text == "67.5");
}

TEST_CASE("date: contract registers' 01-Sep-11, ISO cells and Excel serials") {
    CHECK(type_date("01-Sep-11").text == "2011-09-01");
    CHECK(type_date("31-Aug-16").text == "2016-08-31");
    CHECK(type_date("2016-11-30").text == "2016-11-30");
    CHECK(type_date("2016-11-30T00:00:00").text == "2016-11-30");
    CHECK(type_date("42704").text == "2016-11-30");
    TypedValue month = type_date("April 2022");
    CHECK_FALSE(month.parsed);
    CHECK_THAT(month.problem, Catch::Contains("not one day"));
    CHECK_FALSE(type_date("#N/A").parsed);
}

TEST_CASE("timescale: 'By Dec 16' is December 2016 with a deadline") {
    TypedValue v = type_timescale("By Dec 16", {});
    REQUIRE(v.parsed);
    CHECK(v.text == "2016-12-01/2016-12-31");
    CHECK(attr(v, "kind") == "period");
    CHECK(attr(v, "start") == "2016-12-01");
    CHECK(attr(v, "end") == "2016-12-31");
    CHECK(attr(v, "due") == "2016-12-31");
    CHECK(attr(v, "deadline") == "true");
}

TEST_CASE("timescale: 'Sep – Mar 17' crosses the year and 'April 2022 [AP]' keeps its flag") {
    TypedValue v = type_timescale("Sep \u2013 Mar 17", {});
    CHECK(attr(v, "start") == "2016-09-01");
    CHECK(attr(v, "end") == "2017-03-31");
    TypedValue ap = type_timescale("April 2022 [AP]", {});
    CHECK(ap.text == "2022-04-01/2022-04-30");
    CHECK(attr(ap, "flags") == "AP");
}

TEST_CASE("timescale: milestones and status words") {
    TypedValue m = type_timescale("Jun / Sep 16", {});
    REQUIRE(m.parsed);
    CHECK(attr(m, "kind") == "milestones");
    CHECK(attr(m, "milestones") == "2016-06-01/2016-06-30 2016-09-01/2016-09-30");
    TypedValue ongoing = type_timescale("Ongoing", {});
    CHECK(ongoing.text == "Ongoing");
    CHECK(attr(ongoing, "kind") == "status");
    CHECK(attr(ongoing, "start") == "<absent>");
}

TEST_CASE("timescale: 'SeptDec 16' is not a timescale and the problem says so") {
    TypedValue v = type_timescale("SeptDec 16", {});
    CHECK_FALSE(v.parsed);
    CHECK_THAT(v.problem, Catch::Contains("'SeptDec 16'"));
}

TEST_CASE("timescale: a yearless month resolves inside the plan period") {
    Document doc;
    doc.facts.push_back({"plan_period", "2016/17", {}});
    doc.facts.push_back({"as_of", "end of November 2016", {}});
    PlanDates dates = plan_dates(doc);
    REQUIRE(dates.plan);
    CHECK(dates.plan->iso() == "2016-04-01/2017-03-31");
    REQUIRE(dates.as_of);
    CHECK(dates.as_of->iso() == "2016-11-30");
    TypedValue march = type_timescale("March", typing_context(dates).timescale);
    CHECK(attr(march, "end") == "2017-03-31");
}

TEST_CASE("the as_of 'Quarter 3 Update' takes its year from the plan title") {
    Document doc;
    doc.facts.push_back({"title", "Children, Education and Families Portfolio Plan for 2020/21 Quarter 3 Update", {}});
    doc.facts.push_back({"as_of", "Quarter 3 Update", {}});
    CHECK(plan_dates(doc).as_of->iso() == "2020-12-31");
}

TEST_CASE("enum: values and aliases match loosely and give the canonical value") {
    std::vector<EnumValue> frequency = {{"Annual", {"Annually", "Annual (Survey)"}}, {"Quarterly", {}}, {"Six monthly", {}}};
    CHECK(type_enum("annual (survey)", frequency).text == "Annual");
    CHECK(type_enum("QUARTERLY", frequency).text == "Quarterly");
    TypedValue weekly = type_enum("Weekly", frequency);
    CHECK_FALSE(weekly.parsed);
    CHECK_THAT(weekly.problem, Catch::Contains("Annual, Quarterly, Six monthly"));
}

TEST_CASE("list: leads joined by ' / ' become items, with the mapping's separators") {
    TypedValue v = type_list("HOS S&CP / DCS", "");
    REQUIRE(v.items.size() == 2);
    CHECK(v.items[0].text == "HOS S&CP");
    CHECK(v.items[1].text == "DCS");
    CHECK(v.text == "HOS S&CP\nDCS");
    TypedValue spaces = type_list("Health; Police, Schools", ";");
    REQUIRE(spaces.items.size() == 2);
    CHECK(spaces.items[1].text == "Police, Schools");
}

TEST_CASE("bool: yes/no words and ticks") {
    CHECK(type_bool("Yes").text == "true");
    CHECK(type_bool("N").text == "false");
    CHECK(type_bool("\u2713").text == "true");
    CHECK_FALSE(type_bool("maybe").parsed);
}

TEST_CASE("number and date cells are typed from their values, not their display text") {
    FieldTyper typer;
    auto numeric = [](std::string raw, double n, CellType type = CellType::Number, bool percent = false) {
        FieldValue v{std::move(raw), {}, true, false};
        v.cell_type = type;
        v.number = n;
        v.percent_format = percent;
        return v;
    };
    TypedValue outturn = typer.type(column(FieldType::Quantity), numeric("0.815", 0.815, CellType::Number, true));
    REQUIRE(outturn.items.size() == 1);
    CHECK(item_attr(outturn.items[0], "value") == "81.5");
    CHECK(item_attr(outturn.items[0], "unit") == "percent");
    CHECK(typer.type(column(FieldType::Percent), numeric("0.815", 0.815, CellType::Number, true)).text == "81.5");
    CHECK(typer.type(column(FieldType::Date), numeric("2016-11-30", 42704, CellType::Date)).text == "2016-11-30");
    CHECK(typer.type(column(FieldType::Timescale), numeric("2016-11-30", 42704, CellType::Date)).text == "2016-11-30");
    ColumnSpec thousands = column(FieldType::Money);
    thousands.scale = 1000;
    TypedValue budget = typer.type(thousands, numeric("-113", -113));
    CHECK(budget.text == "-113000");
    CHECK(attr(budget, "unit_value") == "-113");
    CHECK(typer.type(column(FieldType::Integer), numeric("12", 12)).text == "12");
    CHECK_FALSE(typer.type(column(FieldType::Integer), numeric("12.5", 12.5)).parsed);
    // A text cell that looks like a number is still read from its text.
    CHECK(typer.type(column(FieldType::Percent), FieldValue{"81%", {}, true, false}).text == "81");
}

TEST_CASE("every attribute a type produces is declared in its shape") {
    struct Sample {
        FieldType type;
        std::string raw;
    };
    std::vector<Sample> samples = {
        {FieldType::Rag, "Amber (Central Government Delay)"}, {FieldType::Rag, "Amber/Green"},
        {FieldType::Timescale, "By end Sep16 then quarterly prog"}, {FieldType::Timescale, "April 2022 [AP]"},
        {FieldType::Timescale, "Aug 16 Implemented  May 16"}, {FieldType::Timescale, "From Aug 16"},
        {FieldType::Money, "Cr \u00a3113k"}, {FieldType::Money, "\u00a33,500,000 estimated (part of a framework)"},
        {FieldType::Money, "N/A"}, {FieldType::Number, "N/A"}, {FieldType::Integer, "TBC"},
        {FieldType::Quantity, "964 96.2% (481/500) (Q1) 85.9% (483/562) (Q2)"}, {FieldType::Quantity, "234 (60%)"},
        {FieldType::Quantity, "60 -120"}, {FieldType::Quantity, "29,704 November Increased from 25,528 in the same period for 2015"},
        {FieldType::Quantity, "Annual Indicator Outturn available Quarter Two 2017/18"}, {FieldType::Quantity, ">800"},
        {FieldType::List, "HOS S&CP / DCS"},
    };
    FieldTyper typer;
    for (const Sample& s : samples) {
        INFO(s.raw);
        TypedValue v = typer.type(s.type, s.raw);
        CHECK(v.parsed);
        const TypedShape& shape = typed_shape(s.type);
        std::set<std::string_view> declared, item_declared;
        for (const auto& a : shape.attributes) declared.insert(a.name);
        for (const auto& a : shape.item_attributes) item_declared.insert(a.name);
        for (const auto& [name, value] : v.attributes) {
            INFO(name);
            CHECK(declared.count(name));
        }
        for (const TypedItem& item : v.items)
            for (const auto& [name, value] : item.attributes) {
                INFO(name);
                CHECK(item_declared.count(name));
            }
        CHECK(v.items.empty() == shape.item_element.empty());
    }
}
