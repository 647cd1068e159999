// The pieces of the cleaned workbook and the template, one feature a test: how a typed field
// becomes a cell (CleanCell), cell text made safe for Excel and XML, legal sheet names, and the
// placeholder language of template texts.
#include "write/CleanCell.hpp"
#include "write/XlsxBook.hpp"
#include "mapping/FieldTyper.hpp"
#include "mapping/TemplateText.hpp"

#include <catch2/catch.hpp>

using namespace planconv;

namespace {

ColumnSpec column(FieldType type, double scale = 1) {
    ColumnSpec c;
    c.field = std::string("field");
    c.type = type;
    c.scale = scale;
    return c;
}

FieldValue written(std::string raw) {
    FieldValue v;
    v.set_raw(std::move(raw));
    v.present = true;
    return v;
}

CleanCell cell_of(FieldType type, std::string raw, double scale = 1) {
    FieldTyper typer;
    ColumnSpec c = column(type, scale);
    return clean_cell(c, written(std::move(raw)), typer);
}

std::size_t utf16_units(const std::string& s) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        auto b = static_cast<unsigned char>(s[i]);
        if ((b & 0xC0) == 0x80) continue;
        n += (b & 0xF8) == 0xF0 ? 2 : 1;
    }
    return n;
}

}  // namespace

TEST_CASE("RAG is written canonical with its colour and the qualifier kept as written") {
    CleanCell c = cell_of(FieldType::Rag, "Amber (Central Government Delay)");
    CHECK(c.kind == CleanCellKind::Text);
    CHECK(c.text == "Amber");
    REQUIRE(c.rag);
    CHECK(*c.rag == RagValue::Amber);
    CHECK(c.as_written == "Amber (Central Government Delay)");

    CleanCell plain = cell_of(FieldType::Rag, "Green");
    CHECK(plain.text == "Green");
    CHECK(plain.as_written.empty());
    CHECK(cell_of(FieldType::Rag, "GREEN").as_written.empty());  // only case changed

    CleanCell na = cell_of(FieldType::Rag, "N/A");
    CHECK(na.text == "NA");
    CHECK(na.as_written == "N/A");
}

TEST_CASE("an unknown RAG value stays as written, unparsed, with no colour") {
    CleanCell c = cell_of(FieldType::Rag, "Greenish");
    CHECK(c.kind == CleanCellKind::Text);
    CHECK(c.text == "Greenish");
    CHECK(c.unparsed);
    CHECK_FALSE(c.rag);
}

TEST_CASE("money is a number of pounds with a pound format; brackets and £'000 scale keep the text as written") {
    CleanCell c = cell_of(FieldType::Money, "\u00a3476,276");
    CHECK(c.kind == CleanCellKind::Number);
    CHECK(c.number == 476276);
    CHECK(c.num_format.find("\u00a3") != std::string::npos);
    CHECK(c.num_format.find("#,##0") != std::string::npos);
    CHECK(c.as_written.empty());

    CleanCell scaled = cell_of(FieldType::Money, "(113)", 1000);
    CHECK(scaled.number == -113000);
    CHECK(scaled.as_written == "(113)");

    CleanCell pence = cell_of(FieldType::Money, "12.50");
    CHECK(pence.num_format.find("0.00") != std::string::npos);
}

TEST_CASE("a figure typed in a numeric cell keeps no 'as written' text: nobody wrote it") {
    FieldTyper typer;
    ColumnSpec c = column(FieldType::Money, 1000);
    FieldValue v = written("12.3");
    v.cell_type = CellType::Number;
    v.number = 12.3;
    CleanCell cell = clean_cell(c, v, typer);
    CHECK(cell.number == Approx(12300));
    CHECK(cell.as_written.empty());
}

TEST_CASE("percentages are fractions with a percent format of the written precision") {
    CleanCell c = cell_of(FieldType::Percent, "81.5%");
    CHECK(c.kind == CleanCellKind::Number);
    CHECK(c.number == Approx(0.815));
    CHECK(c.num_format == "0.0%");
}

TEST_CASE("a date written as text is an Excel date, the two-digit year kept as written") {
    CleanCell c = cell_of(FieldType::Date, "01-Sep-11");
    CHECK(c.kind == CleanCellKind::Date);
    CHECK(c.number == Approx(Date::from_ymd(2011, 9, 1)->excel_serial()));
    CHECK(c.num_format == kDateFormat);
    CHECK(c.as_written == "01-Sep-11");
}

TEST_CASE("a date that is not a date stays text, unparsed") {
    CleanCell c = cell_of(FieldType::Date, "ASAP");
    CHECK(c.kind == CleanCellKind::Text);
    CHECK(c.unparsed);
    CHECK(c.text == "ASAP");
}

TEST_CASE("a quantity of one plain figure is a number; anything more is the text as written") {
    CleanCell count = cell_of(FieldType::Quantity, "36,000");
    CHECK(count.kind == CleanCellKind::Number);
    CHECK(count.number == 36000);
    CHECK(count.num_format == "#,##0");

    CleanCell share = cell_of(FieldType::Quantity, "81%");
    CHECK(share.kind == CleanCellKind::Number);
    CHECK(share.number == Approx(0.81));
    CHECK(share.num_format == "0%");

    CleanCell ratio = cell_of(FieldType::Quantity, "90.5% (191/211) October");
    CHECK(ratio.kind == CleanCellKind::Text);
    CHECK(ratio.text == "90.5% (191/211) October");
    CHECK(ratio.as_written.empty());

    CleanCell status = cell_of(FieldType::Quantity, "TBC");
    CHECK(status.kind == CleanCellKind::Text);
    CHECK(status.text == "TBC");
}

TEST_CASE("a timescale is the text as written, tidied, with its due date") {
    CleanCell c = cell_of(FieldType::Timescale, "<p>April 2022 [AP]</p>");
    CHECK(c.kind == CleanCellKind::Text);
    CHECK(c.text == "April 2022 [AP]");
    REQUIRE(c.due);
    CHECK(c.due->iso() == "2022-04-30");
    CHECK_FALSE(c.unparsed);

    CleanCell bad = cell_of(FieldType::Timescale, "SeptDec 16");
    CHECK(bad.text == "SeptDec 16");
    CHECK(bad.unparsed);
    CHECK_FALSE(bad.due);
}

TEST_CASE("rich text markup becomes lines and bullets") {
    CleanCell c = cell_of(FieldType::RichText, "<p>Intro:</p> <ul style=\"list-style-type: none\"> - first - second");
    CHECK(c.kind == CleanCellKind::Text);
    CHECK(c.text == "Intro:\n\u2022 first\n\u2022 second");
    CHECK(c.as_written.empty());
}

TEST_CASE("an empty or absent value is a blank cell") {
    CHECK(cell_of(FieldType::Text, "   ").kind == CleanCellKind::Blank);
    FieldTyper typer;
    ColumnSpec c = column(FieldType::Text);
    CHECK(clean_cell(c, FieldValue{}, typer).kind == CleanCellKind::Blank);
}

TEST_CASE("an id stays text: 1.10 is not 1.1") {
    CleanCell c = cell_of(FieldType::Id, "1.10");
    CHECK(c.kind == CleanCellKind::Text);
    CHECK(c.text == "1.10");
}

TEST_CASE("cell text loses the control characters XML forbids and keeps tabs and line breaks") {
    CHECK(safe_cell_text("a\x01" "b\x0B" "c\td\r\ne") == "abc\td\ne");
    CHECK(safe_cell_text("caf\xC3\xA9") == "caf\xC3\xA9");
}

TEST_CASE("invalid UTF-8 in cell text becomes the replacement character") {
    CHECK(safe_cell_text("a\xFF" "b") == "a\xEF\xBF\xBD" "b");
    CHECK(safe_cell_text("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");  // an overlong '/'
}

TEST_CASE("cell text is capped at Excel's 32,767 characters with an ellipsis") {
    std::string long_text(40000, 'x');
    std::string safe = safe_cell_text(long_text);
    CHECK(utf16_units(safe) == kMaxCellChars);
    CHECK(safe.substr(safe.size() - 3) == "\u2026");
    std::string exact(kMaxCellChars, 'y');
    CHECK(safe_cell_text(exact) == exact);
    // Characters outside the BMP count twice, as Excel counts them.
    std::string emoji;
    for (int i = 0; i < 20000; ++i) emoji += "\xF0\x9F\x98\x80";
    CHECK(utf16_units(safe_cell_text(emoji)) <= kMaxCellChars);
}

TEST_CASE("text that Excel would take for a formula is recognised") {
    CHECK(looks_like_formula("=HYPERLINK(\"http://x\",\"y\")"));
    CHECK(looks_like_formula("+44 20 8464 3333"));
    CHECK(looks_like_formula("-113"));
    CHECK(looks_like_formula("@SUM(A1)"));
    CHECK(looks_like_formula("\tx"));
    CHECK_FALSE(looks_like_formula("Green"));
    CHECK_FALSE(looks_like_formula(""));
}

TEST_CASE("sheet names follow Excel's rules and stay unique") {
    std::vector<std::string> taken;
    CHECK(legal_sheet_name("Actions", taken) == "Actions");
    CHECK(legal_sheet_name("actions", taken) == "actions 2");
    CHECK(legal_sheet_name("Q3 [draft]: a/b*c?d\\e", taken) == "Q3 draft a b c d e");
    CHECK(legal_sheet_name("'quoted'", taken) == "quoted");
    CHECK(legal_sheet_name("", taken) == "Sheet");
    CHECK(legal_sheet_name("History", taken) == "History 1");
    std::string long_name = legal_sheet_name("A very long table name that goes on and on", taken);
    CHECK(long_name == "A very long table name that goe");
    std::string second = legal_sheet_name("A very long table name that goes on and on", taken);
    CHECK(second == "A very long table name that g 2");
    CHECK(second.size() <= 31);
}

TEST_CASE("an internal link names the sheet quoted") {
    CHECK(sheet_cell_location("Actions", 11, 3) == "'Actions'!D12");
    CHECK(sheet_cell_location("O'Neill", 0, 0) == "'O''Neill'!A1");
}

TEST_CASE("widths and wrapped lines count characters, not bytes") {
    CHECK(longest_line("ab\n\u00a3\u00a3\u00a3") == 3);
    CHECK(wrapped_lines("", 10) == 1);
    CHECK(wrapped_lines("one\ntwo", 10) == 2);
    CHECK(wrapped_lines(std::string(25, 'x'), 11) == 3);
}

TEST_CASE("names of tables and sections read as words") {
    CHECK(humanise_name("lead_key") == "Lead key");
    CHECK(plural_name("priority") == "Priorities");
    CHECK(plural_name("outcome") == "Outcomes");
    CHECK(plural_name("sub_action") == "Sub actions");
    CHECK(plural_name("actions") == "Actions");
    CHECK(plural_name("day") == "Days");
}

TEST_CASE("template text fills facts, falls back, and leaves hints") {
    auto facts = [](std::string_view name) -> std::optional<std::string> {
        if (name == "as_of") return std::string("end of November 2016");
        return std::nullopt;
    };
    CHECK(fill_template_text("Half Year Update \u2013 {as_of|end of [month year]}", facts) ==
          "Half Year Update \u2013 end of November 2016");
    CHECK(fill_template_text("Target {plan_period|[yyyy/yy]}", facts) == "Target [yyyy/yy]");
    CHECK(fill_template_text("Quarter {quarter_name}", facts) == "Quarter [quarter name]");
    CHECK(fill_template_text("no braces {here", facts) == "no braces {here");
    CHECK(template_text_fallback("{a|x}{b}") == "x[b]");
    CHECK(template_text_has_blanks("Between [month] and [month]"));
    CHECK(template_text_has_blanks("{as_of}"));
    CHECK_FALSE(template_text_has_blanks("RAG status"));
    CHECK(template_text_has_bare_placeholder("{as_of}"));
    CHECK_FALSE(template_text_has_bare_placeholder("{as_of|end of [month]}"));
}

TEST_CASE("a £'000 figure written as text is unchanged by scaling: no 'as written' copy") {
    CleanCell c = cell_of(FieldType::Money, "12,345", 1000);
    CHECK(c.number == 12345000);
    CHECK(c.as_written.empty());
    CHECK(cell_of(FieldType::Money, "Cr 145", 1000).as_written == "Cr 145");
}
