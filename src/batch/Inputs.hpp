// Inputs: the files a run processes, found from the paths the user gave.
#pragma once

#include <filesystem>
#include <optional>
#include <utility>
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

// `--shard K/N`: the inputs of the K-th (1-based) of N stable shares. An input's share is fixed
// by its path as found (a hash of it), so N runs given the same inputs on shared storage take
// every input exactly once without talking to each other; the order within a share is kept.
std::vector<InputFile> shard_inputs(std::vector<InputFile> inputs, unsigned k, unsigned n);

// "3/8" -> {3, 8}; nullopt unless 1 <= K <= N.
std::optional<std::pair<unsigned, unsigned>> parse_shard(const std::string& text);

}  // namespace planconv
