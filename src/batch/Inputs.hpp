// Inputs: the files a run processes, found from the paths the user gave.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace planconv {

struct InputFile {
    std::filesystem::path path;      // to open
    std::filesystem::path relative;  // where its outputs go below --out ("sub/care-q2.xlsx")
};

// Files are taken as given (whatever their extension: the reader decides); folders are
// recursed for .xlsx/.xlsm/.xls/.ods/.csv, skipping hidden files and Office lock files
// (~$name.xlsx). The result is sorted by path within each folder, so runs are repeatable.
// Throws std::runtime_error for a path that does not exist.
std::vector<InputFile> discover_inputs(const std::vector<std::string>& paths);

bool is_spreadsheet_name(const std::filesystem::path& p);

}  // namespace planconv
