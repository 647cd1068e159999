// ods reader (placeholder until the reader lands).
#include "io/WorkbookReader.hpp"

namespace planconv {
Workbook read_ods(const std::filesystem::path&, const ReadLimits&) { throw ReadError("ods files are not supported yet"); }
}  // namespace planconv
