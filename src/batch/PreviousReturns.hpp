// PreviousReturns: last quarter's returns (`--previous PATH`) found for this quarter's inputs,
// so that the PREV-* rules can compare each return with the one before it.
//
// PATH is one previous return — planconv's XML of it (read back with XmlDocumentReader) or the
// workbook itself (read and mapped with the input's own mapping) — used for every input; or a
// folder of them, searched (below it too) once when the run starts. An input's partner in a
// folder is the return of the same mapping with the same plan title (the `title` fact, its
// dates, quarter and period words set aside: "… Plan for 2020/21 Quarter 2 Update" is the plan
// of "… Quarter 3 Update"), else the one of the same mapping whose file name is the input's
// with its quarter and numbers set aside ("care-q2.xml" for "care-q3.xlsx"). Planconv's own
// outputs beside them (*.cleaned.xlsx, report.*) are not returns and are left out.
#pragma once

#include "mapping/Mapping.hpp"
#include "model/Document.hpp"
#include "model/RunResult.hpp"
#include "read/WorkbookReader.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace planconv {

struct PreviousMatch {
    std::optional<Document> doc;  // mapped with the input's mapping; none when no partner
    std::string file;             // the previous return used
    std::string how;              // "given with --previous", "by mapping and plan title", "by file name"
    std::string problem;          // why there is none ("no return of mapping X … in the folder")
};

class PreviousReturns {
public:
    // The mappings the run may use: `forced` (-m) for every file, else the `candidates` (both
    // must outlive this). A folder is indexed here.
    PreviousReturns(std::filesystem::path path, const std::vector<Mapping>& candidates, const Mapping* forced, ReadLimits limits);

    // The previous return of an input already mapped into `now`.
    PreviousMatch find(const std::filesystem::path& input, const Document& now) const;

    // Files of the folder that could not be read as a return, with why (for the report).
    const std::vector<SkippedPath>& unusable() const { return unusable_; }
    bool is_folder() const { return folder_; }

private:
    struct Entry {
        std::filesystem::path file;
        std::string mapping;
        std::string title_key;
        std::string name_key;
    };
    Document load(const std::filesystem::path& file, const Mapping& mapping) const;

    std::filesystem::path path_;
    const std::vector<Mapping>& candidates_;
    const Mapping* forced_;
    ReadLimits limits_;
    bool folder_ = false;
    std::vector<Entry> entries_;
    std::vector<SkippedPath> unusable_;
};

// The words of a plan title or file name that stay from one quarter to the next: lower case,
// without numbers, dates, quarter and period words ("Care Plan 2020/21 Q3 Update" -> "care plan").
std::string lasting_words(const std::string& text);

}  // namespace planconv
