// report.json (SPEC §5): stable field names, UTF-8.
#pragma once

#include "model/RunResult.hpp"

#include <string>

namespace planconv {

std::string json_report(const RunResult& run);

}  // namespace planconv
