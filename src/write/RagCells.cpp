// RagCells: RAG colours, their conditional formats and the RAG drop-down; see RagCells.hpp.
#include "write/RagCells.hpp"

#include <xlsxwriter.h>

#include <string>

namespace planconv {

namespace {
constexpr RagValue kValues[] = {RagValue::Red, RagValue::Amber, RagValue::Green, RagValue::Blue, RagValue::NA};
}  // namespace

RagLook rag_look(RagValue v) {
    switch (v) {
    case RagValue::Red: return {0xFF0000, 0xFFFFFF};
    case RagValue::Amber: return {0xFFC000, 0x000000};
    case RagValue::Green: return {0x00B050, 0x000000};
    case RagValue::Blue: return {0x0070C0, 0xFFFFFF};
    case RagValue::NA: return {0xD9D9D9, 0x000000};
    }
    return {0xD9D9D9, 0x000000};
}

void add_rag_column(XlsxBook& book, lxw_worksheet* ws, std::uint32_t first, std::uint32_t col, std::uint32_t last) {
    for (RagValue v : kValues) {
        CellStyle st;
        st.fill = rag_look(v).fill;
        st.font_colour = rag_look(v).font;
        st.top = false;
        std::string value = "\"" + std::string(rag_name(v)) + "\"";
        lxw_conditional_format cf{};
        cf.type = LXW_CONDITIONAL_TYPE_CELL;
        cf.criteria = LXW_CONDITIONAL_CRITERIA_EQUAL_TO;
        cf.value_string = value.data();
        cf.format = book.format(st);
        check_lxw(worksheet_conditional_format_range(ws, first, lxw_col_t(col), last, lxw_col_t(col), &cf), "RAG colours");
    }
    static const char* values[] = {"Red", "Amber", "Green", "Blue", "NA", nullptr};
    lxw_data_validation dv{};
    dv.validate = LXW_VALIDATION_TYPE_LIST;
    dv.value_list = const_cast<char**>(values);
    dv.error_type = LXW_VALIDATION_ERROR_TYPE_WARNING;
    dv.input_title = const_cast<char*>("RAG status");
    dv.input_message = const_cast<char*>("Red, Amber, Green, Blue (complete) or NA from the list; a reason may follow in brackets.");
    dv.error_title = const_cast<char*>("Not a RAG status");
    dv.error_message = const_cast<char*>("Choose Red, Amber, Green, Blue or NA from the list (a reason may follow in brackets).");
    check_lxw(worksheet_data_validation_range(ws, first, lxw_col_t(col), last, lxw_col_t(col), &dv), "the RAG drop-down");
}

}  // namespace planconv
