// csv reader (placeholder until the reader lands).
#include "io/WorkbookReader.hpp"

namespace planconv {
Workbook read_csv(const std::filesystem::path&, const ReadLimits&) { throw ReadError("csv files are not supported yet"); }
}  // namespace planconv
