// libFuzzer target for the timescale parser: any bytes as a cell, a header and a title.
// Built by tests/fuzz/CMakeLists.txt: a corpus replay for ctest always, the libFuzzer binary
// with -DPLANCONV_LIBFUZZER=ON under clang (scripts/fuzz).
#include "parse/Timescale.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    planconv::TimescaleOptions options;
    if (size > 0) {
        // The first byte varies the options so their paths are reached too.
        options.two_digit_year_pivot = data[0] % 100;
        if (data[0] & 1) options.financial_year = 2000 + data[0] % 40;
        if (data[0] & 2) {
            const auto start = planconv::Date::from_ymd(2016, 6, 1);
            const auto end = planconv::Date::from_ymd(2017, 10, 31);
            options.plan = planconv::Period{*start, *end};
        }
    }
    const planconv::Timescale ts = planconv::parse_timescale(text, options);
    for (const auto& part : ts.parts) {
        if (part.begin > part.end || part.end > size) std::abort();
        if (part.text != text.substr(part.begin, part.end - part.begin)) std::abort();
        if (part.period && part.period->end && part.kind == planconv::TimescaleKind::Date &&
            part.period->start != *part.period->end)
            std::abort();
    }
    if (ts.raw != text) std::abort();
    (void)planconv::find_period(text);
    (void)planconv::reporting_date_from_text(text, text.substr(size / 2));
    return 0;
}
