// The small pieces of the outputs people read: RFC 4180 fields, output names derived from the
// XML's name, the JUnit verdict under each --fail-on, and word-wrapped line counts.
#include "write/FeedbackWriter.hpp"
#include "write/JunitReport.hpp"
#include "write/TidyCsvWriter.hpp"
#include "write/XlsxBook.hpp"

#include <catch2/catch.hpp>

using namespace planconv;

TEST_CASE("a CSV field is quoted only when it holds a comma, quote or line break") {
    CHECK(csv_field("Green") == "Green");
    CHECK(csv_field("=SUM(A1)") == "=SUM(A1)");  // no formula protection in CSV: documented
    CHECK(csv_field("Director, Education") == "\"Director, Education\"");
    CHECK(csv_field("the \"Hub\"") == "\"the \"\"Hub\"\"\"");
    CHECK(csv_field("line one\nline two") == "\"line one\nline two\"");
    CHECK(csv_field("a\r\nb") == "\"a\r\nb\"");
}

TEST_CASE("tidy CSV and feedback are named from the XML's name") {
    CHECK(tidy_csv_path("out/sub/care-q2.xml", "actions") == std::filesystem::path("out/sub/care-q2.actions.csv"));
    CHECK(tidy_csv_path("out/care-q2.csv.xml", "lines") == std::filesystem::path("out/care-q2.csv.lines.csv"));
    FeedbackPaths p = feedback_paths("out", "out/sub/care-q2.xml");
    CHECK(p.html == std::filesystem::path("out/feedback/sub/care-q2.html"));
    CHECK(p.text == std::filesystem::path("out/feedback/sub/care-q2.txt"));
}

TEST_CASE("the JUnit verdict fails exactly the files --fail-on counts") {
    RunResult run;
    FileResult warned;
    warned.input = "care-q2.xlsx";
    warned.status = FileResult::Status::Converted;
    warned.findings.push_back({"TIME-OVERDUE", Severity::Warning, "Plan", "D8", "1.1", "target date passed", {}, {}, 1});
    run.files.push_back(warned);
    CHECK(junit_report(run, Severity::Warning).find("failures=\"1\"") != std::string::npos);
    CHECK(junit_report(run, Severity::Error).find("failures=\"0\"") != std::string::npos);
    CHECK(junit_report(run, std::nullopt).find("failures=\"0\"") != std::string::npos);
    CHECK(junit_report(run, Severity::Warning).find("<failure") != std::string::npos);
    CHECK(junit_report(run, Severity::Error).find("<failure") == std::string::npos);
}

TEST_CASE("wrapped text takes the lines a word wrap gives it") {
    CHECK(wrapped_lines("", 20) == 1);
    CHECK(wrapped_lines("short", 20) == 1);
    CHECK(wrapped_lines("one two three four five six seven", 12) == 4);  // 12 characters a line, broken at spaces
    CHECK(wrapped_lines("first\nsecond", 40) == 2);
    CHECK(wrapped_lines(std::string(25, 'x'), 12) == 3);  // an unbroken word is cut
}
