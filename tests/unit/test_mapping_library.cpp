// The mapping search path: the user's folders add to the shipped mappings, and replace one only
// by name.
#include "mapping/MappingLibrary.hpp"
#include "mapping/MappingLoader.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <unistd.h>

namespace fs = std::filesystem;
using planconv::Mapping;
using planconv::MappingError;
using planconv::MappingLibrary;

namespace {

// A folder holding a copy of a shipped mapping under another name (and description).
fs::path user_folder(const std::string& tag, const std::string& shipped, const std::string& name, const std::string& description) {
    fs::path dir = fs::temp_directory_path() / ("planconv-library-" + tag + "-" + std::to_string(getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::ifstream in(fs::path(PLANCONV_SOURCE_MAPPINGS) / (shipped + ".xml"));
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    text = std::regex_replace(text, std::regex("name=\"" + shipped + "\""), "name=\"" + name + "\"", std::regex_constants::format_first_only);
    text = std::regex_replace(text, std::regex("<description>[^<]*</description>"), "<description>" + description + "</description>");
    std::ofstream(dir / (name + ".xml")) << text;
    return dir;
}

std::vector<std::string> names(const std::vector<Mapping>& ms) {
    std::vector<std::string> out;
    for (const Mapping& m : ms) out.push_back(m.name);
    return out;
}

}  // namespace

TEST_CASE("a user's mappings folder adds to the shipped mappings") {
    fs::path dir = user_folder("add", "budget-monitoring", "risk-register", "Corporate risk register");
    MappingLibrary lib{{dir}, true};
    auto all = names(lib.load_all());
    CHECK(std::find(all.begin(), all.end(), "risk-register") != all.end());
    CHECK(std::find(all.begin(), all.end(), "contracts-register") != all.end());
    CHECK(all.size() == names(MappingLibrary{}.load_all()).size() + 1);
    CHECK(lib.load("risk-register").description == "Corporate risk register");
    CHECK(lib.load("contracts-register").name == "contracts-register");
    fs::remove_all(dir);
}

TEST_CASE("a user's mapping with a shipped name replaces the shipped one") {
    fs::path dir = user_folder("replace", "budget-monitoring", "budget-monitoring", "Our own budget layout");
    MappingLibrary lib{{dir}, true};
    auto all = lib.load_all();
    CHECK(std::count_if(all.begin(), all.end(), [](const Mapping& m) { return m.name == "budget-monitoring"; }) == 1);
    CHECK(lib.load("budget-monitoring").description == "Our own budget layout");
    for (const Mapping& m : all)
        if (m.name == "budget-monitoring") CHECK(m.description == "Our own budget layout");
    fs::remove_all(dir);
}

TEST_CASE("without the shipped mappings only the user's folders are searched") {
    fs::path dir = user_folder("only", "budget-monitoring", "risk-register", "Corporate risk register");
    MappingLibrary lib{{dir}, false};
    CHECK(names(lib.load_all()) == std::vector<std::string>{"risk-register"});
    CHECK_THROWS_AS(lib.load("contracts-register"), MappingError);
    try {
        lib.load("contracts-register");
    } catch (const MappingError& e) {
        CHECK(e.diagnostics().front().message.find(dir.string()) != std::string::npos);
    }
    fs::remove_all(dir);
}

TEST_CASE("a mapping given as a path is loaded from that file") {
    fs::path dir = user_folder("path", "indicator-table", "quarterly-kpis", "KPIs");
    MappingLibrary lib;
    CHECK(lib.load((dir / "quarterly-kpis.xml").string()).name == "quarterly-kpis");
    fs::remove_all(dir);
}
