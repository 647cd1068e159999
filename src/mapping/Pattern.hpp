// Pattern: a compiled PCRE2 regular expression from a mapping file (UTF-8, Unicode classes,
// JIT), with the captures a mapping names. Immutable after construction, so one Pattern is
// shared by all worker threads.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace planconv {

struct PatternMatch {
    std::size_t begin = 0, end = 0;                 // the whole match in the subject
    std::vector<std::optional<std::string>> groups;  // 1-based in the regex, 0-based here
    std::vector<std::string> names;                  // names[i] for groups[i], "" when unnamed

    // The text of a named group, or of group `n` (1-based) given as digits; nullopt if unset.
    std::optional<std::string> group(std::string_view name_or_number) const;
};

class Pattern {
public:
    // Throws PatternError on a bad expression (message says where, as PCRE2 reports it).
    explicit Pattern(std::string source, bool caseless = true);
    ~Pattern();
    Pattern(Pattern&&) noexcept;
    Pattern& operator=(Pattern&&) noexcept;
    Pattern(const Pattern&) = delete;
    Pattern& operator=(const Pattern&) = delete;

    const std::string& source() const { return source_; }
    bool search(std::string_view subject) const;
    // False only when no subject starting with the printable ASCII character `c` can match
    // (PCRE2's study found an anchored first character): lets a caller skip preparing a subject.
    bool may_start_with(char c) const;
    std::optional<PatternMatch> match(std::string_view subject) const;
    std::vector<std::string> group_names() const;  // in group order, "" for unnamed
    int group_count() const;

private:
    struct Compiled;
    std::string source_;
    std::unique_ptr<Compiled> compiled_;
};

class PatternError : public std::exception {
public:
    PatternError(std::string message, std::size_t offset) : message_(std::move(message)), offset_(offset) {}
    const char* what() const noexcept override { return message_.c_str(); }
    std::size_t offset() const { return offset_; }

private:
    std::string message_;
    std::size_t offset_;
};

}  // namespace planconv
