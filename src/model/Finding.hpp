// Finding: the one type every rule reports and every report writes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace planconv {

enum class Severity : std::uint8_t { Info, Warning, Error };
std::string_view to_string(Severity s);
std::optional<Severity> severity_from(std::string_view name);

struct Finding {
    std::string rule;        // TOTAL-COUNT, TIME-OVERDUE, ...
    Severity severity = Severity::Error;
    std::string sheet;
    std::string cell;        // A1 reference on `sheet` ("" when the finding is about the file)
    std::string record;      // id of the record concerned ("" when none)
    std::string message;     // a sentence an officer understands
    std::optional<std::string> expected;
    std::optional<std::string> actual;
    std::uint32_t count = 1; // identical findings folded together
};

}  // namespace planconv
