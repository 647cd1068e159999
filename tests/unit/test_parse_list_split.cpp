// List cells split on configured separators (leads joined by " / ", "/", ";", "," or lines).
#include "parse/ListSplit.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace planconv;

using Items = std::vector<std::string>;

TEST_CASE("leads joined by the default separators", "[parse]") {
    CHECK(split_list("Head of Service / Assistant Director") == Items{"Head of Service", "Assistant Director"});
    CHECK(split_list("Head of Service/ AD/ Director Responsible") ==
          Items{"Head of Service", "AD", "Director Responsible"});
    CHECK(split_list("Health; Police; Schools") == Items{"Health", "Police", "Schools"});
    CHECK(split_list("DCS and Chair of BSCB") == Items{"DCS", "Chair of BSCB"});
    CHECK(split_list("DCS AND HOS") == Items{"DCS", "HOS"});
    CHECK(split_list("Lead one\nLead two\r\nLead three") == Items{"Lead one", "Lead two", "Lead three"});
    CHECK(split_list(" , ;; / ") == Items{});
    CHECK(split_list("") == Items{});
    CHECK(split_list("Sandwich") == Items{"Sandwich"});  // " and " needs its spaces
}

TEST_CASE("a mapping's own separators replace the defaults", "[parse]") {
    const ListSplitter by_lines(std::vector<std::string>{"\n"});
    CHECK(by_lines.split("HOS S&CP / DCS\nHOS QI") == Items{"HOS S&CP / DCS", "HOS QI"});
    const ListSplitter spaced(std::vector<std::string>{"  ", " \u2013 "});
    CHECK(spaced.split("HOS S&CP  DCS \u2013 HOS QI") == Items{"HOS S&CP", "DCS", "HOS QI"});
    CHECK(ListSplitter(std::vector<std::string>{""}).split("a b") == Items{"a b"});
}

TEST_CASE("markup is read before splitting: a closing tag's '/' is no separator", "[parse]") {
    CHECK(split_list("<p>Director Education</p>/<p>Head of HR</p>") == Items{"Director Education", "Head of HR"});
    CHECK(split_list("<p>Director Education</p>") == Items{"Director Education"});
    CHECK(split_list("Director Education") == Items{"Director Education"});
    CHECK(split_list("<p>Director Education</p><p>Head of HR / DCS</p>") ==
          Items{"Director Education", "Head of HR", "DCS"});
    CHECK(split_list("<ul><li>Head of Service</li><li>AD Housing</li></ul>") == Items{"Head of Service", "AD Housing"});
    CHECK(split_list("HOS S&amp;CP / DCS") == Items{"HOS S&CP", "DCS"});
    CHECK(split_list("<b>Director</b> of Education") == Items{"Director of Education"});  // inline tags join
    CHECK(split_list("Lead<br/>Deputy") == Items{"Lead", "Deputy"});
    // Without markup a '<' or '&' is text, as before.
    CHECK(split_list("HOS S&CP / DCS") == Items{"HOS S&CP", "DCS"});
    CHECK(split_list("<5 leads / >2") == Items{"<5 leads", ">2"});
    // A mapping's own separators apply inside each paragraph.
    const ListSplitter by_lines(std::vector<std::string>{"\n"});
    CHECK(by_lines.split("<p>HOS S&amp;CP / DCS</p><p>HOS QI</p>") == Items{"HOS S&CP / DCS", "HOS QI"});
}
