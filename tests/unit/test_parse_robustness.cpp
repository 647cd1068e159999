// Hostile cell text: random bytes, truncated UTF-8, runaway markup and very long cells must
// never crash a parser (run under -DPLANCONV_SANITIZE=ON too), and results stay well-formed.
#include "parse/ListSplit.hpp"
#include "parse/Money.hpp"
#include "parse/NumberWords.hpp"
#include "parse/Quantity.hpp"
#include "parse/Rag.hpp"
#include "parse/RichText.hpp"
#include "parse/Text.hpp"
#include "parse/Timescale.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

using namespace planconv;

namespace {

// Every parser on one input, checking the invariants each promises (one CHECK per parser, so
// a long cell with 20,000 parts does not make 20,000 assertions).
void parse_everything(const std::string& text) {
    const Timescale ts = parse_timescale(text);
    bool spans_ok = ts.raw == text;
    for (const auto& p : ts.parts)
        spans_ok = spans_ok && p.begin <= p.end && p.end <= text.size() &&
                   p.text == text.substr(p.begin, p.end - p.begin);
    CHECK(spans_ok);
    (void)find_timescales(text);
    (void)reporting_date_from_text(text, text);

    const Quantity q = parse_quantity(text);
    CHECK(q.raw == text);
    CHECK((q.kind != QuantityKind::Parsed || !q.observations.empty()));

    CHECK(parse_money(text, 1000).raw == text);
    CHECK(parse_rag(text).raw == text);

    const RichText rt = parse_rich_text(text);
    bool blocks_ok = is_valid_utf8(rt.plain());
    for (const auto& b : rt.blocks) blocks_ok = blocks_ok && !b.text.empty() && is_valid_utf8(b.text);
    CHECK(blocks_ok);
    (void)strip_markup(text);

    bool numbers_ok = true;
    for (const auto& n : find_numbers(text)) numbers_ok = numbers_ok && n.begin < n.end && n.end <= text.size();
    for (const auto& st : find_count_statements(text)) numbers_ok = numbers_ok && st.begin <= st.end;
    CHECK(numbers_ok);
    (void)number_from_words(text);

    bool items_ok = true;
    for (const auto& item : split_list(text)) items_ok = items_ok && !item.empty();
    CHECK(items_ok);
    CHECK(is_valid_utf8(normalise_text(text)));
    (void)comparison_key(text);
    (void)trim(text);
}

// Fragments that steer the parsers into their deeper paths.
const std::vector<std::string> kFragments = {
    "Sep", "16", " ", "–", "/", "-", "By", "end", "of", "From", "Q3", "2020/21", "Quarter", "Two",
    "[", "]", "(", ")", "<p>", "</p>", "<ul>", "<li>", "</li>", "&amp;", "&#", ";", "•", "%", "£",
    "k", "Cr", "Dr", ",", ".", "0", "99", "31", "Feb", "29", "early", "Winter", "between", "and",
    "five", "out", "of", "eight", "all", "the", "a", "third", "twenty-", "N/A", "TBC", "Amber",
    "\xE2\x80", "\xC3", "\xFF", "\x00", "\n", "X%", ">", "<", "<=", "1,000", ".5", "42704",
};

}  // namespace

TEST_CASE("random bytes never crash a parser", "[parse]") {
    std::mt19937 rng(20161130);
    std::uniform_int_distribution<int> byte(0, 255);
    std::uniform_int_distribution<int> length(0, 64);
    for (int n = 0; n < 3000; ++n) {
        std::string text;
        const int len = length(rng);
        for (int i = 0; i < len; ++i) text += char(byte(rng));
        parse_everything(text);
    }
}

TEST_CASE("random sequences of meaningful fragments never crash a parser", "[parse]") {
    std::mt19937 rng(20210331);
    std::uniform_int_distribution<std::size_t> pick(0, kFragments.size() - 1);
    std::uniform_int_distribution<int> count(1, 24);
    for (int n = 0; n < 5000; ++n) {
        std::string text;
        const int k = count(rng);
        for (int i = 0; i < k; ++i) {
            text += kFragments[pick(rng)];
            if (rng() % 3 == 0) text += ' ';
        }
        parse_everything(text);
    }
}

TEST_CASE("truncated UTF-8 at every cut of a real cell never crashes a parser", "[parse]") {
    const std::string cell =
        "Amber (Central Government Delay) \u2013 \u00A3113k \u201Cquoted\u201D Sep \u2013 Mar 17 \u2022 item "
        "<ul style=\"list-style-type: none\"> - one \u2713 - two &amp; 90.5% (191/211) October";
    for (std::size_t cut = 0; cut <= cell.size(); ++cut) {
        parse_everything(cell.substr(0, cut));
        parse_everything(cell.substr(cut));
    }
}

TEST_CASE("very long cells are handled in one pass", "[parse]") {
    std::vector<std::string> long_cells;
#if defined(__SANITIZE_ADDRESS__)
    // Unoptimised and instrumented, a tenth of the size walks the same paths in seconds; the
    // release build runs the full sizes.
    constexpr std::size_t kScale = 10;
#else
    constexpr std::size_t kScale = 1;
#endif
    auto repeat = [](const std::string& unit, std::size_t times) {
        std::string s;
        times /= kScale;
        s.reserve(unit.size() * times);
        for (std::size_t i = 0; i < times; ++i) s += unit;
        return s;
    };
    long_cells.push_back(repeat("By end Sep16 then quarterly prog ", 20000));
    long_cells.push_back(repeat("964 96.2% (481/500) (Q1) ", 20000));
    long_cells.push_back(repeat("<ul><li>", 20000));
    long_cells.push_back(repeat("&", 200000));
    long_cells.push_back(repeat("<p", 100000));
    long_cells.push_back(repeat("[", 100000));
    long_cells.push_back(repeat("(", 100000));
    long_cells.push_back(repeat("9", 500000));
    long_cells.push_back(repeat("1,000", 100000));
    long_cells.push_back(repeat("- ", 100000));
    long_cells.push_back(repeat("five out of eight ", 20000));
    long_cells.push_back(repeat("\xE2\x80", 100000));
    long_cells.push_back("Green" + repeat(" ", 500000) + "x");
    for (const auto& cell : long_cells) parse_everything(cell);
    CHECK(parse_quantity(std::string(400, '9')).first_value());
}
