// Inputs: the files a run processes, found from the paths the user gave, and what each one's
// outputs are called (SPEC §4).
#pragma once

#include "model/RunResult.hpp"

#include <filesystem>
#include <optional>
#include <utility>
#include <string>
#include <vector>

namespace planconv {

struct InputFile {
    std::filesystem::path path;      // to open (as given, or found below a folder given)
    std::filesystem::path relative;  // its path below the run's root ("sub/care-q2.xlsx")
    // NAME, the outputs' path below --out without their suffixes ("sub/care-q2" or
    // "sub/care-q2.csv"): see output_name().
    std::filesystem::path output_stem;
    // Why it cannot be processed at all ("it does not exist"), "" when it can: such an input is
    // reported as a failed file and the others are still processed.
    std::string problem;
};

struct DiscoveredInputs {
    std::vector<InputFile> files;      // in the order given, each folder's files sorted by path
    std::vector<SkippedPath> skipped;  // everything met while scanning and left out, with why
};

// Files are taken as given (whatever their extension: the reader decides); folders are
// recursed for .xlsx/.xlsm/.xls/.ods/.csv, and everything else met there is listed in
// `skipped` with its reason: other files (.docx, .pdf), hidden files and folders, Office lock
// files (~$name.xlsx), folders that cannot be opened, symbolic link loops, dangling links,
// FIFOs and devices, and `out_dir` (the run's output folder: never read as input; empty for
// none). A path given that cannot be read (missing, a link loop, a FIFO) becomes an input with
// a `problem`. The same file reached twice (given twice, through another spelling or a
// symbolic link: compared by canonical path) is kept once, the repeat listed as skipped.
//
// The run's root is the deepest folder holding every path given (a folder given counts as
// itself, a file given as its folder); `relative` is each input's path below it. So one folder
// or files of one folder keep their names directly under --out, and inputs from several
// folders keep the folders that tell them apart (a/return.xlsx and b/return.xlsx).
DiscoveredInputs discover_inputs(const std::vector<std::string>& paths, const std::filesystem::path& out_dir = {});

// NAME for an input's relative path: the path without its extension when that is exactly
// ".xlsx", else the whole path ("care-q2.csv", "care-q2.XLSX"). The outputs are
// NAME.cleaned.xlsx and NAME.xml, so the cleaned workbook never has its input's name and the
// name never depends on what else is in the folder.
std::filesystem::path output_name(const std::filesystem::path& relative);

bool is_spreadsheet_name(const std::filesystem::path& p);

// `--shard K/N`: the inputs of the K-th (1-based) of N stable shares. An input's share is fixed
// by its path as found (a hash of it), so N runs given the same inputs on shared storage take
// every input exactly once without talking to each other; the order within a share is kept.
std::vector<InputFile> shard_inputs(std::vector<InputFile> inputs, unsigned k, unsigned n);

// "3/8" -> {3, 8}; nullopt unless 1 <= K <= N.
std::optional<std::pair<unsigned, unsigned>> parse_shard(const std::string& text);

}  // namespace planconv
