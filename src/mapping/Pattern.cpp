// PCRE2 behind Pattern. Match data is thread-local so concurrent files never share it.
#define PCRE2_CODE_UNIT_WIDTH 8
#include "mapping/Pattern.hpp"

#include "parse/Text.hpp"

#include <pcre2.h>

namespace planconv {

struct Pattern::Compiled {
    pcre2_code* code = nullptr;
    std::uint32_t pairs = 1;  // capture groups + the whole match
    // What PCRE2's own study of the pattern says a subject needs, checked before calling it:
    // most subjects (every data cell tried as a header) fail here at no cost.
    PCRE2_SIZE min_length = 0;
    bool anchored = false;
    int first_unit = -1;  // the code unit an anchored match must start with, -1 when any
    bool first_caseless = false;

    bool cannot_start_with(unsigned char c) const {
        if (!anchored || first_unit < 0) return false;
        if (!first_caseless) return c != first_unit;
        // Caseless with Unicode rules: 's' also matches U+017F, 'k' U+212A; judge ASCII only.
        if (c >= 0x80 || first_unit >= 0x80) return false;
        return to_lower_ascii(char(c)) != to_lower_ascii(char(first_unit));
    }
    bool cannot_match(std::string_view subject) const {
        if (subject.size() < min_length) return true;
        if (!anchored || first_unit < 0) return false;
        return subject.empty() || cannot_start_with(static_cast<unsigned char>(subject.front()));
    }
    ~Compiled() {
        if (code) pcre2_code_free(code);
    }
};

namespace {

// One match-data block per thread, grown to the largest pattern seen.
pcre2_match_data* thread_match_data(std::uint32_t needed) {
    struct Holder {
        pcre2_match_data* data = nullptr;
        std::uint32_t pairs = 0;
        ~Holder() {
            if (data) pcre2_match_data_free(data);
        }
    };
    thread_local Holder holder;
    if (!holder.data || holder.pairs < needed) {
        if (holder.data) pcre2_match_data_free(holder.data);
        holder.pairs = std::max<std::uint32_t>(needed, 16);
        holder.data = pcre2_match_data_create(holder.pairs, nullptr);
    }
    return holder.data;
}

int run(const pcre2_code* code, std::string_view subject, pcre2_match_data* md) {
    // Invalid UTF-8 from a hostile cell must not match rather than fail loudly; PCRE2 reports it
    // as a negative code, which reads here as "no match".
    return pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), 0, 0, md, nullptr);
}

}  // namespace

Pattern::Pattern(std::string source, bool caseless) : source_(std::move(source)), compiled_(new Compiled) {
    int err = 0;
    PCRE2_SIZE offset = 0;
    std::uint32_t options = PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF;
    if (caseless) options |= PCRE2_CASELESS;
    compiled_->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(source_.data()), source_.size(), options, &err,
                                    &offset, nullptr);
    if (!compiled_->code) {
        PCRE2_UCHAR buf[256];
        pcre2_get_error_message(err, buf, sizeof buf);
        throw PatternError(reinterpret_cast<const char*>(buf), offset);
    }
    pcre2_jit_compile(compiled_->code, PCRE2_JIT_COMPLETE);  // falls back to the interpreter if JIT is unavailable
    Compiled& c = *compiled_;
    std::uint32_t captures = 0, all_options = 0, first_type = 0, first = 0, min_length = 0;
    pcre2_pattern_info(c.code, PCRE2_INFO_CAPTURECOUNT, &captures);
    c.pairs = captures + 1;
    pcre2_pattern_info(c.code, PCRE2_INFO_MINLENGTH, &min_length);  // in characters: at least as many bytes
    c.min_length = min_length;
    pcre2_pattern_info(c.code, PCRE2_INFO_ALLOPTIONS, &all_options);
    c.anchored = (all_options & PCRE2_ANCHORED) != 0;
    pcre2_pattern_info(c.code, PCRE2_INFO_FIRSTCODETYPE, &first_type);
    if (first_type == 1 && pcre2_pattern_info(c.code, PCRE2_INFO_FIRSTCODEUNIT, &first) == 0) {
        c.first_unit = int(first);
        c.first_caseless = caseless;
    }
}

Pattern::~Pattern() = default;
Pattern::Pattern(Pattern&&) noexcept = default;
Pattern& Pattern::operator=(Pattern&&) noexcept = default;

int Pattern::group_count() const {
    std::uint32_t n = 0;
    pcre2_pattern_info(compiled_->code, PCRE2_INFO_CAPTURECOUNT, &n);
    return int(n);
}

std::vector<std::string> Pattern::group_names() const {
    std::vector<std::string> names(static_cast<std::size_t>(group_count()));
    std::uint32_t count = 0, entry_size = 0;
    PCRE2_SPTR table = nullptr;
    pcre2_pattern_info(compiled_->code, PCRE2_INFO_NAMECOUNT, &count);
    pcre2_pattern_info(compiled_->code, PCRE2_INFO_NAMEENTRYSIZE, &entry_size);
    pcre2_pattern_info(compiled_->code, PCRE2_INFO_NAMETABLE, &table);
    for (std::uint32_t i = 0; i < count; ++i) {
        PCRE2_SPTR entry = table + std::size_t(i) * entry_size;
        int n = (entry[0] << 8) | entry[1];
        if (n >= 1 && std::size_t(n) <= names.size()) names[std::size_t(n - 1)] = reinterpret_cast<const char*>(entry + 2);
    }
    return names;
}

bool Pattern::may_start_with(char c) const {
    const auto u = static_cast<unsigned char>(c);
    return u <= ' ' || u >= 0x7F || !compiled_->cannot_start_with(u);
}

bool Pattern::search(std::string_view subject) const {
    if (compiled_->cannot_match(subject)) return false;
    return run(compiled_->code, subject, thread_match_data(compiled_->pairs)) >= 0;
}

std::optional<PatternMatch> Pattern::match(std::string_view subject) const {
    if (compiled_->cannot_match(subject)) return std::nullopt;
    pcre2_match_data* md = thread_match_data(compiled_->pairs);
    int rc = run(compiled_->code, subject, md);
    if (rc < 0) return std::nullopt;
    PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
    PatternMatch m;
    m.begin = ov[0];
    m.end = ov[1];
    int groups = group_count();
    m.groups.resize(std::size_t(groups));
    for (int g = 1; g <= groups && g < rc; ++g) {
        if (ov[2 * g] == PCRE2_UNSET) continue;
        m.groups[std::size_t(g - 1)] = std::string(subject.substr(ov[2 * g], ov[2 * g + 1] - ov[2 * g]));
    }
    m.names = group_names();
    return m;
}

std::optional<std::string> PatternMatch::group(std::string_view key) const {
    if (!key.empty() && key.find_first_not_of("0123456789") == std::string_view::npos) {
        std::size_t n = std::stoul(std::string(key));
        if (n >= 1 && n <= groups.size()) return groups[n - 1];
        return std::nullopt;
    }
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == key) return groups[i];
    return std::nullopt;
}

}  // namespace planconv
