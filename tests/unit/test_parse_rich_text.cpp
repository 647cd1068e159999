// Rich-text cells with the markup seen in the plans (SPEC §6 richtext, DOMAIN §1.1–1.3).
#include "parse/RichText.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace planconv;

namespace {

// "p:text" or "li1:text" per block.
std::vector<std::string> blocks_of(std::string_view cell) {
    std::vector<std::string> out;
    for (const auto& b : parse_rich_text(cell).blocks)
        out.push_back((b.kind == RichBlockKind::Paragraph ? std::string("p") : "li" + std::to_string(b.level)) +
                      ":" + b.text);
    return out;
}

using Blocks = std::vector<std::string>;

}  // namespace

TEST_CASE("an unclosed <ul> with ' - ' items ends at the next <p>", "[parse]") {
    CHECK(blocks_of("<ul style=\"list-style-type: none\"> - Children's Social Care, - Police, - Targeted "
                    "commissioned services. <p>Child Sexual Exploitation (CSE) Missing Co-ordinator to be "
                    "recruited.</p> <p>New Missing referral pathway to be launched.</p>") ==
          Blocks{"li1:Children's Social Care,", "li1:Police,", "li1:Targeted commissioned services.",
                 "p:Child Sexual Exploitation (CSE) Missing Co-ordinator to be recruited.",
                 "p:New Missing referral pathway to be launched."});
    CHECK(blocks_of("<ul style=\"list-style-type: none\"> - Practice standards - Training - Real time practice "
                    "audits - Increased management oversight") ==
          Blocks{"li1:Practice standards", "li1:Training", "li1:Real time practice audits",
                 "li1:Increased management oversight"});
    CHECK(blocks_of("<ul style=\"list-style-type: none\"> -raise awareness of social isolation -share good "
                    "practice on identifying groups, <p>through the adult stakeholder conference</p>") ==
          Blocks{"li1:raise awareness of social isolation", "li1:share good practice on identifying groups,",
                 "p:through the adult stakeholder conference"});
}

TEST_CASE("<li> items nest and entities are decoded", "[parse]") {
    CHECK(blocks_of("<ul> <li>4.1.3 Draft a protocol</li> <li>4.1.4 Draft a protocol on EIFS. The protocol to "
                    "include: <ul> <li>EIFS assessments reviewed</li> <li>Each FSPP &amp; SFSPP to complete "
                    "audits.</li> </ul> </li> </ul>") ==
          Blocks{"li1:4.1.3 Draft a protocol", "li1:4.1.4 Draft a protocol on EIFS. The protocol to include:",
                 "li2:EIFS assessments reviewed", "li2:Each FSPP & SFSPP to complete audits."});
}

TEST_CASE("bullets '•' start items and '- ✓' ambitions lose their tick", "[parse]") {
    CHECK(blocks_of("First Time Entrants info: <ul style=\"list-style-type: none\"> \u2022 54 Young people became "
                    "first time entrants \u2022 Re-offending fell") ==
          Blocks{"p:First Time Entrants info:", "li1:54 Young people became first time entrants",
                 "li1:Re-offending fell"});
    CHECK(blocks_of("- \u2713 Children are safe\n- \u2713 Families are supported") ==
          Blocks{"li1:Children are safe", "li1:Families are supported"});
}

TEST_CASE("a dash in running text outside a list is punctuation", "[parse]") {
    CHECK(blocks_of("Half Year Update - end of November 2016") ==
          Blocks{"p:Half Year Update - end of November 2016"});
    CHECK(blocks_of("<p>Numbers rose from 10 - 20 this year</p>") == Blocks{"p:Numbers rose from 10 - 20 this year"});
}

TEST_CASE("<br>, &nbsp; and line breaks", "[parse]") {
    CHECK(blocks_of("<p>Line one<br>Line two&nbsp;and more</p>") == Blocks{"p:Line one\nLine two and more"});
    CHECK(blocks_of("Plain line one\nPlain line two") == Blocks{"p:Plain line one", "p:Plain line two"});
    CHECK(blocks_of("&lt;5 &#163;10 &#x2019;") == Blocks{"p:<5 \u00A310 \u2019"});
}

TEST_CASE("plain rendering puts each block on a line with bullets for items", "[parse]") {
    const auto rt = parse_rich_text("<p>Intro</p><ul><li>One</li><li>Two<ul><li>Deep</li></ul></li></ul>");
    CHECK(rt.had_markup);
    CHECK(rt.plain() == "Intro\n\u2022 One\n\u2022 Two\n  \u2022 Deep");
    CHECK(parse_rich_text("no markup").plain() == "no markup");
    CHECK_FALSE(parse_rich_text("no markup").had_markup);
}

TEST_CASE("malformed markup never fails and stray '<' is text", "[parse]") {
    CHECK(blocks_of("<5.0 and < 290") == Blocks{"p:<5.0 and < 290"});
    CHECK(blocks_of("<p>unclosed <li>item") == Blocks{"p:unclosed", "li1:item"});
    CHECK(blocks_of("</ul></ul></li><p") == Blocks{"p:<p"});
    CHECK(blocks_of("a <unknown>tag</unknown> b") == Blocks{"p:a <unknown>tag</unknown> b"});
    CHECK(blocks_of("<p class=\"x>y\">quoted</p>") == Blocks{"p:quoted"});
    CHECK(blocks_of("").empty());
    CHECK(blocks_of("<p></p><ul><li> </li></ul>").empty());
}

TEST_CASE("strip_markup leaves inline text", "[parse]") {
    CHECK(strip_markup("<p>April 2022</p>") == "April 2022");
    CHECK(strip_markup("<b>Bold</b>er &amp; <p>new</p>") == "Bolder & new");
    CHECK(strip_markup("<5%") == "<5%");
}
