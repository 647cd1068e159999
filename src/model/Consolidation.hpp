// Consolidation: the converted returns of one mapping merged into one cleaned workbook and one
// XML (`convert --consolidate NAME`). The writers read it; the batch (batch/Consolidator)
// builds it from the documents it kept.
#pragma once

#include "model/Date.hpp"
#include "model/Document.hpp"
#include "model/Finding.hpp"

#include <optional>
#include <string>
#include <vector>

namespace planconv {

// One return in a consolidation, with what its own outputs were written with.
struct ConsolidatedReturn {
    const Document* doc = nullptr;
    const std::vector<Finding>* findings = nullptr;  // its findings (cells on its own sheets)
    std::string source;                              // the input as people know it ("sub/care-q2.xlsx")
    std::optional<Date> as_of;                       // the reporting date its checks used
};

struct Consolidation {
    std::string name;                         // the NAME of --consolidate
    const Mapping* mapping = nullptr;         // every return's mapping
    std::vector<ConsolidatedReturn> returns;  // in the order the batch lists the inputs
};

}  // namespace planconv
