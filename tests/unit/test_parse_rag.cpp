// RAG status cells (SPEC §7.1, DOMAIN §1.1): canonical values, aliases, qualifiers, unknowns.
#include "parse/Rag.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace planconv;

TEST_CASE("RAG values seen in the plans map to the canonical five", "[parse]") {
    struct Case { const char* text; RagValue value; const char* qualifier; };
    const std::vector<Case> cases = {
        {"Green", RagValue::Green, ""},
        {"Amber", RagValue::Amber, ""},
        {"Amber (Central Government Delay)", RagValue::Amber, "Central Government Delay"},
        {"N/A", RagValue::NA, ""},
        {"RED", RagValue::Red, ""},
        {"AMBER", RagValue::Amber, ""},
        {"Red", RagValue::Red, ""},
        {"G", RagValue::Green, ""},
        {"GREEN", RagValue::Green, ""},
        {"On track", RagValue::Green, ""},
        {"Complete", RagValue::Blue, ""},
        {"Completed", RagValue::Blue, ""},
        {"n/a", RagValue::NA, ""},
        {"A", RagValue::Amber, ""},
        {"R", RagValue::Red, ""},
        {"B", RagValue::Blue, ""},
        {"Blue", RagValue::Blue, ""},
        {"NA", RagValue::NA, ""},
        {"  green \u00A0", RagValue::Green, ""},
        {"ON TRACK", RagValue::Green, ""},
        {"on-track", RagValue::Green, ""},
        {"Ontrack", RagValue::Green, ""},
        {"Green - on track", RagValue::Green, "on track"},
        {"RED: funding not agreed", RagValue::Red, "funding not agreed"},
        {"Amber – awaiting legislation", RagValue::Amber, "awaiting legislation"},
        {"G (see update)", RagValue::Green, "see update"},
    };
    for (const auto& c : cases) {
        INFO("cell: '" << c.text << "'");
        const RagResult r = parse_rag(c.text);
        CHECK(r.raw == c.text);
        REQUIRE(r.value);
        CHECK(rag_name(*r.value) == rag_name(c.value));
        CHECK(r.qualifier == c.qualifier);
        CHECK_FALSE(r.secondary);
    }
}

TEST_CASE("'Amber (Central Government Delay)' is Amber with its qualifier kept", "[parse]") {
    const auto r = parse_rag("Amber (Central Government Delay)");
    CHECK(r.value == RagValue::Amber);
    CHECK(r.qualifier == "Central Government Delay");
    CHECK(r.parsed());
}

TEST_CASE("a split rating like 'Amber/Green' counts as its worse colour", "[parse]") {
    const auto ag = parse_rag("Amber/Green");
    CHECK(ag.value == RagValue::Amber);
    CHECK(ag.secondary == RagValue::Green);
    const auto ga = parse_rag("Green / Amber");
    CHECK(ga.value == RagValue::Amber);
    CHECK(ga.secondary == RagValue::Green);
    const auto ra = parse_rag("Red-Amber");
    CHECK(ra.value == RagValue::Red);
    CHECK(ra.secondary == RagValue::Amber);
    CHECK(parse_rag("Green/NA").unknown());
}

TEST_CASE("an unknown RAG value is reported, never dropped", "[parse]") {
    for (const char* text : {"Purple", "Ready", "#N/A", "Amberish", "Delayed", "-", "?"}) {
        INFO(text);
        const auto r = parse_rag(text);
        CHECK_FALSE(r.value);
        CHECK(r.unknown());
        CHECK(r.raw == text);
    }
}

TEST_CASE("a blank RAG cell is blank, not unknown", "[parse]") {
    for (const char* text : {"", "   ", "\u00A0"}) {
        const auto r = parse_rag(text);
        CHECK(r.blank());
        CHECK_FALSE(r.unknown());
        CHECK_FALSE(r.parsed());
    }
}

TEST_CASE("a mapping extends the RAG vocabulary with its own aliases", "[parse]") {
    RagVocabulary vocab;
    CHECK_FALSE(vocab.parse("Slipping").value);
    vocab.add_alias("Slipping", RagValue::Amber);
    vocab.add_alias("Not started", RagValue::Red);
    vocab.add_alias("Amber/Green", RagValue::Green);  // a mapping that reads split ratings kindly
    CHECK(vocab.parse("SLIPPING").value == RagValue::Amber);
    CHECK(vocab.parse("not  started (budget)").value == RagValue::Red);
    CHECK(vocab.parse("not  started (budget)").qualifier == "budget");
    CHECK(vocab.parse("Amber/Green").value == RagValue::Green);
    CHECK(vocab.lookup("on track") == RagValue::Green);
    // The shared default vocabulary is untouched.
    CHECK_FALSE(parse_rag("Slipping").value);

    auto bare = RagVocabulary::without_defaults();
    CHECK_FALSE(bare.parse("Green").value);
    bare.add_alias("Good", RagValue::Green);
    CHECK(bare.parse("good").value == RagValue::Green);
}

TEST_CASE("canonical RAG names round-trip", "[parse]") {
    for (auto v : {RagValue::Red, RagValue::Amber, RagValue::Green, RagValue::Blue, RagValue::NA})
        CHECK(rag_from_name(rag_name(v)) == v);
    CHECK_FALSE(rag_from_name("green"));
}
