// --consolidate NAME in the batch: which names are refused, which files a consolidation may
// write, how converted inputs are grouped by mapping, and that a write that fails is reported,
// not thrown. The consolidated workbook and XML themselves are tested with their writers.
#include "batch/Consolidator.hpp"
#include "mapping/MappingLoader.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <unistd.h>

using namespace planconv;
namespace fs = std::filesystem;

namespace {

const fs::path kMappings = PLANCONV_SOURCE_MAPPINGS;

// A batch as run_batch leaves it: inputs, their results and the documents kept.
struct Batch {
    std::vector<InputFile> inputs;
    RunResult run;
    std::vector<std::optional<KeptDocument>> kept;

    // An input mapped with `m` (converted), or with none (failed), found at `path` (default:
    // `relative` in the folder inbox).
    void add(const std::string& relative, const Mapping* m, std::size_t records = 0, fs::path path = {}) {
        if (path.empty()) path = fs::path("inbox") / relative;
        inputs.push_back({path, relative, fs::path(relative).replace_extension(), {}});
        FileResult r;
        r.input = path.string();
        r.records = records;
        if (m) {
            r.status = FileResult::Status::Converted;
            r.mapping = m->name;
            r.findings.push_back(Finding{"TOTAL-SUM", Severity::Error, "Sheet1", "B7", "", "a total", {}, {}, 1});
            Document doc;
            doc.mapping = m;
            doc.source = r.input;
            kept.emplace_back(KeptDocument{std::move(doc), *Date::from_ymd(2016, 11, 30)});
        } else {
            r.error = "the file is empty";
            kept.emplace_back();
        }
        run.files.push_back(std::move(r));
    }
};

}  // namespace

TEST_CASE("a consolidation NAME must be a plain file name in the output folder") {
    CHECK(consolidation_name_problem("q3-returns") == "");
    CHECK(consolidation_name_problem("Care Q3 2016-17") == "");
    CHECK(consolidation_name_problem("q3.2016") == "");
    CHECK(consolidation_name_problem("") != "");
    CHECK(consolidation_name_problem("sub/q3") != "");
    CHECK(consolidation_name_problem("/tmp/q3") != "");
    CHECK(consolidation_name_problem("..\\q3") != "");
    CHECK(consolidation_name_problem(".q3") != "");
    CHECK(consolidation_name_problem("..") != "");
    CHECK(consolidation_name_problem(std::string_view("q\0", 2)) != "");
}

TEST_CASE("one mapping's consolidation is named NAME, each of several mappings' NAME-MAPPING") {
    CHECK(consolidation_stem("q3", "indicator-table", false) == "q3");
    CHECK(consolidation_stem("q3", "indicator-table", true) == "q3-indicator-table");
    CHECK(consolidation_stem("q3", "odd/name", true) == "q3-odd-name");  // never a folder
}

TEST_CASE("before the run, every file a consolidation could write is known") {
    ConsolidateOptions o;
    o.out_dir = "out";
    o.name = "q3";
    CHECK(possible_consolidated_outputs(o, {"indicator-table"}) == std::vector<fs::path>{"out/q3.xlsx", "out/q3.xml"});
    CHECK(possible_consolidated_outputs(o, {"a", "b"}) ==
          std::vector<fs::path>{"out/q3.xlsx", "out/q3.xml", "out/q3-a.xlsx", "out/q3-a.xml", "out/q3-b.xlsx", "out/q3-b.xml"});
    o.write_xml = false;
    CHECK(possible_consolidated_outputs(o, {"a"}) == std::vector<fs::path>{"out/q3.xlsx"});
}

TEST_CASE("converted inputs are grouped by mapping in the order met; failed inputs are left out") {
    Mapping half = load_mapping_by_name_or_file("portfolio-plan-half-year", kMappings);
    Mapping table = load_mapping_by_name_or_file("indicator-table", kMappings);
    Batch b;
    b.add("care/q3.xlsx", &table);
    b.add("broken.xlsx", nullptr);
    b.add("adults/q3.xlsx", &half);
    b.add("care/q3.csv", &table);
    std::vector<Consolidation> groups = group_consolidations("all", b.inputs, b.run, b.kept);
    REQUIRE(groups.size() == 2);
    CHECK(groups[0].name == "all");
    CHECK(groups[0].mapping == &table);
    REQUIRE(groups[0].returns.size() == 2);
    CHECK(groups[0].returns[0].source == "care/q3.xlsx");  // the path below the folder given
    CHECK(groups[0].returns[1].source == "care/q3.csv");
    CHECK(groups[0].returns[0].doc == &b.kept[0]->doc);
    CHECK(groups[0].returns[1].findings == &b.run.files[3].findings);
    CHECK(groups[0].returns[1].as_of == Date::from_ymd(2016, 11, 30));
    CHECK(groups[1].mapping == &half);
    REQUIRE(groups[1].returns.size() == 1);
    CHECK(groups[1].returns[0].source == "adults/q3.xlsx");
}

TEST_CASE("returns of the same name given as files are told apart by their paths") {
    Mapping table = load_mapping_by_name_or_file("indicator-table", kMappings);
    Batch b;
    b.add("q3.xlsx", &table, 0, "care/q3.xlsx");
    b.add("q3.xlsx", &table, 0, "adults/q3.xlsx");
    b.add("q4.xlsx", &table, 0, "adults/q4.xlsx");
    std::vector<Consolidation> groups = group_consolidations("all", b.inputs, b.run, b.kept);
    REQUIRE(groups.size() == 1);
    REQUIRE(groups[0].returns.size() == 3);
    CHECK(groups[0].returns[0].source == "care/q3.xlsx");
    CHECK(groups[0].returns[1].source == "adults/q3.xlsx");
    CHECK(groups[0].returns[2].source == "q4.xlsx");
}

TEST_CASE("a consolidation that cannot be written is reported with its reason, not thrown") {
    Mapping table = load_mapping_by_name_or_file("indicator-table", kMappings);
    Batch b;
    b.add("a.xlsx", &table, 3);
    b.add("b.xlsx", &table, 4);
    fs::path blocker = fs::temp_directory_path() / ("planconv-consolidate-" + std::to_string(::getpid()));
    std::ofstream(blocker) << "a file where the output folder should be";
    ConsolidateOptions o;
    o.out_dir = blocker / "out";
    o.name = "q3";
    std::vector<ConsolidationResult> results;
    REQUIRE_NOTHROW(results = write_consolidations(o, b.inputs, b.run, b.kept));
    fs::remove(blocker);
    REQUIRE(results.size() == 1);
    CHECK(results[0].mapping == "indicator-table");
    CHECK(results[0].inputs == std::vector<std::string>{"inbox/a.xlsx", "inbox/b.xlsx"});
    CHECK(results[0].records == 7);
    CHECK(results[0].outputs.empty());
    CHECK(results[0].error.find("cannot write " + (o.out_dir / "q3.xlsx").string()) != std::string::npos);
    CHECK(results[0].error.find("cannot write " + (o.out_dir / "q3.xml").string()) != std::string::npos);
}

TEST_CASE("nothing converted, nothing consolidated") {
    Batch b;
    b.add("broken.xlsx", nullptr);
    ConsolidateOptions o;
    o.out_dir = fs::temp_directory_path() / ("planconv-consolidate-none-" + std::to_string(::getpid()));
    o.name = "q3";
    CHECK(write_consolidations(o, b.inputs, b.run, b.kept).empty());
    CHECK_FALSE(fs::exists(o.out_dir));
}
