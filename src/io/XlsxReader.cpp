// xlsx reader (placeholder until the reader lands).
#include "io/WorkbookReader.hpp"

namespace planconv {
Workbook read_xlsx(const std::filesystem::path&, const ReadLimits&) { throw ReadError("xlsx files are not supported yet"); }
}  // namespace planconv
