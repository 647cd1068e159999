// FeedbackWriter: `--feedback` (SPEC §9) — for each return, a page and a plain-text twin (for
// pasting into an e-mail) addressed to the service that sent it: what to fix, in the cell
// references of its own workbook, in plain words, errors first, with the reporting date and a
// one-line explanation of each check from the rule catalogue. It holds nothing about any
// other return.
#pragma once

#include "model/RunResult.hpp"

#include <filesystem>
#include <string>

namespace planconv {

// OUT/feedback/<return>.html and .txt, where <return> is the XML's name below OUT without
// ".xml" (so the feedback is named as every other output of the return).
struct FeedbackPaths {
    std::filesystem::path html, text;
};
FeedbackPaths feedback_paths(const std::filesystem::path& out_dir, const std::filesystem::path& xml);

std::string feedback_html(const FileResult& file);
std::string feedback_text(const FileResult& file);

// Writes both files atomically (folders created). Throws AtomicFileError.
void write_feedback(const FileResult& file, const FeedbackPaths& paths);

}  // namespace planconv
