// xls reader (placeholder until the reader lands).
#include "io/WorkbookReader.hpp"

namespace planconv {
Workbook read_xls(const std::filesystem::path&, const ReadLimits&) { throw ReadError("xls files are not supported yet"); }
}  // namespace planconv
