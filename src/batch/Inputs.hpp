// Inputs: the files a run processes, found from the paths the user gave.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace planconv {

struct InputFile {
    std::filesystem::path path;      // to open
    std::filesystem::path relative;  // where its outputs go below --out ("sub/care-q2.xlsx")
    // The outputs' path below --out without extension ("sub/care-q2"). When several inputs
    // share it (care-q2.xlsx and care-q2.csv), the non-xlsx ones keep their extension in it
    // ("sub/care-q2.csv") so no output overwrites another.
    std::filesystem::path output_stem;
};

// Files are taken as given (whatever their extension: the reader decides); folders are
// recursed for .xlsx/.xlsm/.xls/.ods/.csv, skipping hidden files and Office lock files
// (~$name.xlsx). The result is sorted by path within each folder, so runs are repeatable.
// Throws std::runtime_error for a path that does not exist.
std::vector<InputFile> discover_inputs(const std::vector<std::string>& paths);

// Sets output_stem on every input (see InputFile).
void assign_output_stems(std::vector<InputFile>& inputs);

bool is_spreadsheet_name(const std::filesystem::path& p);

}  // namespace planconv
