// A read-only OLE2 compound file ("Compound File Binary Format", the container of .xls), held
// in memory and checked before anything trusts it: every sector index in range, every chain
// free of cycles and of the length its stream claims.
#pragma once

#include "read/WorkbookReader.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace planconv {

class CompoundFile {
public:
    struct Entry {
        std::string name;          // UTF-8
        std::uint8_t type = 0;     // 1 storage, 2 stream, 5 root
        std::uint32_t start = 0;   // first sector (mini sector for small streams)
        std::uint64_t size = 0;
        std::size_t index = 0;     // position in the directory
    };

    // Parses the header, the FAT (through the DIFAT) and the directory. Throws ReadError.
    explicit CompoundFile(std::string bytes);

    const std::vector<Entry>& entries() const { return entries_; }
    // The first stream (or the root) with this name, in directory order; nullptr when absent.
    // Names compare case-insensitively (ASCII), as the format and Excel compare them: a "BOOK"
    // or "WorkBook" stream is the workbook.
    const Entry* find(std::string_view name) const;
    static bool same_name(std::string_view a, std::string_view b);
    // The stream's bytes; throws ReadError when its chain is broken or it exceeds max_bytes.
    std::string read_stream(const Entry& entry, std::uint64_t max_bytes) const;
    // The sectors holding a stream, in order (mini sectors for a stream below the cut-off).
    std::vector<std::uint32_t> stream_chain(const Entry& entry) const;
    bool in_mini_stream(const Entry& entry) const { return entry.type != 5 && entry.size < mini_cutoff_; }

    std::uint32_t sector_size() const { return sector_size_; }
    std::uint32_t mini_cutoff() const { return mini_cutoff_; }
    std::uint32_t mini_fat_sectors() const { return mini_fat_sectors_; }
    std::uint32_t file_sectors() const { return file_sectors_; }
    // How many FAT sectors the header and DIFAT name (each read once by any reader).
    std::size_t fat_sector_count() const { return fat_sectors_.size(); }
    std::uint64_t file_size() const { return bytes_.size(); }

    // A new compound file (version 3, 512-byte sectors) holding one stream in regular sectors.
    // For streams of 4,096 bytes up to about 7 MB (what 109 FAT sectors map); throws ReadError
    // past that.
    static std::string single_stream_file(std::string_view name, std::string_view stream);

private:
    std::uint32_t u32(std::uint64_t offset) const;
    std::uint16_t u16(std::uint64_t offset) const;
    // Follows a chain through `table` from `start`; checks range, cycles and the length.
    std::vector<std::uint32_t> follow(const std::vector<std::uint32_t>& table, std::uint32_t start,
                                      std::uint64_t limit, const char* what) const;
    std::string_view sector(std::uint32_t index) const;

    std::string bytes_;
    std::uint32_t sector_size_ = 512;
    std::uint32_t mini_cutoff_ = 4096;
    std::uint32_t mini_fat_sectors_ = 0;
    std::uint32_t file_sectors_ = 0;
    std::vector<std::uint32_t> fat_sectors_;
    std::vector<std::uint32_t> fat_;
    std::vector<std::uint32_t> mini_fat_;
    std::vector<Entry> entries_;
    std::string mini_stream_;
};

}  // namespace planconv
