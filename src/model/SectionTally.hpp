// SectionTally: one section of a return at a glance — its records' RAG ratings counted, its
// overdue targets and its findings. The committee summary (Summary sheet, report.html) shows it.
#pragma once

#include <array>
#include <cstddef>
#include <string>

namespace planconv {

struct SectionTally {
    std::string id;                  // "" for a return whose mapping has no sections
    std::string title;
    // Records of the main tables by RAG: Green, Amber, Red, Blue (complete), N/A, not rated
    // (blank or not a RAG value), in that order.
    std::array<std::size_t, 6> rag{};
    std::size_t overdue = 0;         // TIME-OVERDUE findings
    std::size_t findings = 0;        // every finding placed in the section

    std::size_t rated_total() const {
        std::size_t n = 0;
        for (std::size_t v : rag) n += v;
        return n;
    }
};

// Headings of SectionTally::rag, in its order.
inline constexpr std::array<const char*, 6> kRagTallyNames = {"Green", "Amber", "Red", "Blue", "N/A", "Not rated"};

}  // namespace planconv
