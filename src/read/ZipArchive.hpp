// A read-only view of a zip container (xlsx, ods) through libzip, with the limits that stop
// zip bombs and hostile entry names before anything is inflated.
#pragma once

#include "read/WorkbookReader.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct zip;
struct zip_file;
struct zip_stat;

namespace planconv {

// A source of bytes that a streaming XML parser pulls from.
class ByteSource {
public:
    virtual ~ByteSource() = default;
    // Fills up to `size` bytes; returns how many (0 at the end). Throws ReadError.
    virtual std::size_t read(char* buffer, std::size_t size) = 0;
};

class ZipArchive;

// One entry of a ZipArchive being inflated; counts the bytes it yields against the limits.
class ZipEntryReader : public ByteSource {
public:
    ZipEntryReader(ZipArchive& archive, std::uint64_t index);
    ~ZipEntryReader() override;
    ZipEntryReader(const ZipEntryReader&) = delete;
    ZipEntryReader& operator=(const ZipEntryReader&) = delete;
    std::size_t read(char* buffer, std::size_t size) override;

private:
    ZipArchive& archive_;
    zip_file* file_ = nullptr;
    std::string name_;
    std::uint64_t compressed_ = 0;
    std::uint64_t produced_ = 0;
};

class ZipArchive {
public:
    // Opens and checks the directory: entry count, declared sizes, ratios, entry names.
    // Throws ReadError with a plain reason (not a zip, truncated, unsafe names, too large).
    ZipArchive(const std::filesystem::path& file, const ReadLimits& limits);
    ~ZipArchive();
    // The same file opened again, for reading one part on another thread (libzip's archives
    // are not shared between threads). It counts inflated bytes against the same total as
    // this one; ReadError if the file no longer holds the same part (replaced meanwhile).
    std::unique_ptr<ZipArchive> reopen_for(std::string_view part) const;
    ZipArchive(const ZipArchive&) = delete;
    ZipArchive& operator=(const ZipArchive&) = delete;

    // Looks an entry up by its exact name (leading '/' ignored); nullopt when absent.
    std::optional<std::uint64_t> find(std::string_view name) const;
    const std::vector<std::string>& names() const { return names_; }
    bool has(std::string_view name) const { return find(name).has_value(); }

    // Inflates a whole entry into memory (for small parts: rels, workbook, styles).
    std::string read_all(std::string_view name);
    std::unique_ptr<ZipEntryReader> open(std::string_view name);

    const ReadLimits& limits() const { return limits_; }
    // What the directory says every part inflates to, together (checked while inflating).
    std::uint64_t declared_uncompressed() const { return declared_total_; }
    // What the directory says one part inflates to (0 when absent or not said).
    std::uint64_t declared_size(std::string_view name) const;

private:
    friend class ZipEntryReader;
    void read_directory();
    // Throws ReadError; `normalised_name` is the entry name with backslashes made slashes.
    void check_entry(const struct zip_stat& st, const std::string& normalised_name) const;
    void account(std::uint64_t bytes, const std::string& name);  // total-uncompressed limit

    struct EntryStat {
        std::uint64_t size = 0, compressed = 0;
        std::uint32_t crc = 0;
        bool operator==(const EntryStat&) const = default;
    };
    EntryStat entry_stat(std::uint64_t index) const;

    std::filesystem::path file_;
    zip* zip_ = nullptr;
    ReadLimits limits_;
    std::vector<std::string> names_;
    // Shared with the archives reopened from this one.
    std::shared_ptr<std::atomic<std::uint64_t>> total_inflated_ = std::make_shared<std::atomic<std::uint64_t>>(0);
    std::uint64_t declared_total_ = 0;
};

// Resolves a relationship target against the part that owns the .rels ("xl/workbook.xml" +
// "worksheets/sheet1.xml" -> "xl/worksheets/sheet1.xml"; "/xl/x.xml" is absolute).
std::string resolve_part_path(std::string_view owner_part, std::string_view target);

}  // namespace planconv
