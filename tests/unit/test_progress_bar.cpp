// The progress bar's line: fits the terminal, cuts names by characters, shows time left.
#include "batch/ProgressBar.hpp"

#include <catch2/catch.hpp>

#include <string>

using planconv::format_duration;
using planconv::progress_line;

namespace {

std::size_t chars(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

bool valid_utf8(const std::string& s) {
    for (std::size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        std::size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (len == 0 || i + len > s.size()) return false;
        for (std::size_t k = 1; k < len; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        i += len;
    }
    return true;
}

}  // namespace

TEST_CASE("progress line fits every terminal width, leaving the last column free") {
    const std::string name = "services/adult-social-care/Rapport trimestriel — santé publique Q2 2016-17.xlsx";
    for (std::size_t columns = 1; columns <= 200; ++columns) {
        std::string line = progress_line(7, 40, 12.5, name, columns);
        INFO("columns " << columns << ": " << line);
        CHECK(chars(line) <= (columns > 1 ? columns - 1 : 0));
        CHECK(valid_utf8(line));
    }
}

TEST_CASE("a long name keeps its end, cut between letters, with an ellipsis") {
    std::string line = progress_line(3, 10, 0.0, "rapport-de-santé-publique-é-é-é-é-é-é.xlsx", 40);
    CHECK(valid_utf8(line));
    CHECK(line.find("…") != std::string::npos);
    CHECK(line.size() >= 5);
    CHECK(line.substr(line.size() - 5) == ".xlsx");
    CHECK(chars(line) == 39);
}

TEST_CASE("a short name is shown whole after the counts") {
    std::string line = progress_line(12, 40, 0.0, "care-q2.xlsx", 80);
    CHECK(line.find("] 12/40 care-q2.xlsx") != std::string::npos);
}

TEST_CASE("time left is estimated from the files done so far") {
    // 10 of 40 in 20 s: 30 more at 2 s each.
    CHECK(progress_line(10, 40, 20.0, "x.xlsx", 100).find("1:00 left") != std::string::npos);
    // Not before a second has passed, nor when everything is done.
    CHECK(progress_line(10, 40, 0.5, "x.xlsx", 100).find("left") == std::string::npos);
    CHECK(progress_line(40, 40, 80.0, "x.xlsx", 100).find("left") == std::string::npos);
}

TEST_CASE("durations read as m:ss or h:mm:ss") {
    CHECK(format_duration(0) == "0:00");
    CHECK(format_duration(35.4) == "0:35");
    CHECK(format_duration(724) == "12:04");
    CHECK(format_duration(3729) == "1:02:09");
}
