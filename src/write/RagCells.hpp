// RagCells: how every workbook planconv writes shows a RAG column — the canonical colours, the
// conditional formats that keep a cell's colour right when someone changes its value, and the
// drop-down of Red / Amber / Green / Blue / NA (a warning rather than a stop, because a reason
// may follow the colour in brackets: "Amber (Central Government Delay)").
#pragma once

#include "write/XlsxBook.hpp"
#include "parse/Rag.hpp"

#include <cstdint>

namespace planconv {

struct RagLook {
    std::uint32_t fill;
    std::uint32_t font;
};

RagLook rag_look(RagValue v);

// Conditional formats and the drop-down over rows first..last (0-based, inclusive) of `col`.
void add_rag_column(XlsxBook& book, lxw_worksheet* ws, std::uint32_t first, std::uint32_t col, std::uint32_t last);

}  // namespace planconv
