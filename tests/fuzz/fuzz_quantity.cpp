// libFuzzer target for the quantity (indicator value) parser, with the money parser alongside
// since both read figures the same way.
// Built by tests/fuzz/CMakeLists.txt: a corpus replay for ctest always, the libFuzzer binary
// with -DPLANCONV_LIBFUZZER=ON under clang (scripts/fuzz).
#include "parse/Money.hpp"
#include "parse/Quantity.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const planconv::Quantity q = planconv::parse_quantity(text);
    if (q.raw != text) std::abort();
    if (q.kind == planconv::QuantityKind::Parsed && q.observations.empty()) std::abort();
    for (const auto& o : q.observations) {
        if (o.decimals < 0 || o.secondary_decimals < 0) std::abort();
        if (o.numerator.has_value() != o.denominator.has_value()) std::abort();
    }
    const planconv::MoneyAmount m = planconv::parse_money(text, size % 2 ? 1000.0 : 1.0);
    if (m.raw != text) std::abort();
    return 0;
}
