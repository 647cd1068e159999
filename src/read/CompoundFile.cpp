// OLE2 compound files: header, FAT through the DIFAT, directory, regular and mini streams.
// Every index read from the file is checked against the file before it is used.
#include "read/CompoundFile.hpp"

#include "read/TextEncoding.hpp"

#include <algorithm>
#include <cstring>

namespace planconv {

using namespace encoding;

namespace {

constexpr std::uint32_t kFreeSect = 0xFFFFFFFF;
constexpr std::uint32_t kEndOfChain = 0xFFFFFFFE;
constexpr unsigned char kMagic[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};

[[noreturn]] void damaged(const std::string& why) {
    throw ReadError("the xls file is damaged (" + why + "); ask the sender to save it again");
}

}  // namespace

std::uint32_t CompoundFile::u32(std::uint64_t o) const {
    auto b = reinterpret_cast<const unsigned char*>(bytes_.data()) + o;
    return std::uint32_t(b[0]) | std::uint32_t(b[1]) << 8 | std::uint32_t(b[2]) << 16 | std::uint32_t(b[3]) << 24;
}

std::uint16_t CompoundFile::u16(std::uint64_t o) const {
    auto b = reinterpret_cast<const unsigned char*>(bytes_.data()) + o;
    return std::uint16_t(b[0] | b[1] << 8);
}

std::string_view CompoundFile::sector(std::uint32_t index) const {
    return std::string_view(bytes_).substr((std::uint64_t(index) + 1) * sector_size_, sector_size_);
}

CompoundFile::CompoundFile(std::string bytes) : bytes_(std::move(bytes)) {
    if (bytes_.size() < 512 || std::memcmp(bytes_.data(), kMagic, 8) != 0) damaged("it is not an OLE2 compound file");
    if (u16(0x1C) != 0xFFFE) damaged("the compound-file header has a wrong byte order mark");
    std::uint16_t shift = u16(0x1E);
    if (shift != 9 && shift != 12) damaged("the compound-file header has an invalid sector size");
    sector_size_ = 1u << shift;
    if (u16(0x20) != 6) damaged("the compound-file header has an invalid mini-sector size");
    if (bytes_.size() < 2ull * sector_size_) damaged("it is truncated: there is no sector after the header");
    // Only whole sectors count; a truncated last sector is never read.
    std::uint64_t sectors = bytes_.size() / sector_size_ - 1;
    if (sectors > 0x7FFFFFFF) damaged("it is too large for a compound file");
    file_sectors_ = std::uint32_t(sectors);
    const std::uint32_t per_sector = sector_size_ / 4;

    // FAT sectors: the 109 in the header, then the DIFAT chain. Each must be a real sector, named
    // once, and there may be no more of them than mapping the whole file needs.
    std::vector<bool> seen(file_sectors_, false);
    auto add_fat_sector = [&](std::uint32_t s) {
        if (s >= file_sectors_) damaged("a FAT sector lies past the end of the file (it may be truncated)");
        if (seen[s]) damaged("a FAT sector is listed twice");
        seen[s] = true;
        fat_sectors_.push_back(s);
    };
    for (int i = 0; i < 109; ++i) {
        std::uint32_t s = u32(0x4C + 4 * i);
        if (s != kFreeSect) add_fat_sector(s);
    }
    std::uint32_t difat_count = u32(0x48);
    if (difat_count > file_sectors_) damaged("the DIFAT claims more sectors than the file has");
    std::uint32_t next = u32(0x44);
    std::vector<bool> difat_seen(file_sectors_, false);
    for (std::uint32_t block = 0; block < difat_count; ++block) {
        if (next >= file_sectors_ || difat_seen[next]) damaged("the DIFAT chain is broken");
        difat_seen[next] = true;
        std::uint64_t base = (std::uint64_t(next) + 1) * sector_size_;
        bool end = false;
        for (std::uint32_t i = 0; i + 1 < per_sector; ++i) {
            std::uint32_t s = u32(base + 4 * i);
            if (s == kEndOfChain) {
                end = true;
                break;
            }
            if (s != kFreeSect) add_fat_sector(s);
        }
        next = u32(base + 4 * (per_sector - 1));
        if (end) break;
    }
    if (fat_sectors_.empty()) damaged("it has no allocation table");
    if (fat_sectors_.size() > file_sectors_ / per_sector + 2)
        damaged("its allocation table is far larger than the file");
    fat_.reserve(fat_sectors_.size() * per_sector);
    for (std::uint32_t s : fat_sectors_) {
        std::uint64_t base = (std::uint64_t(s) + 1) * sector_size_;
        for (std::uint32_t i = 0; i < per_sector; ++i) fat_.push_back(u32(base + 4 * i));
    }

    // The directory: 128-byte entries in a chain of sectors.
    auto dir_chain = follow(fat_, u32(0x30), 0, "directory");
    if (dir_chain.empty()) damaged("it has no directory");
    for (std::uint32_t s : dir_chain) {
        std::string_view sec = sector(s);
        for (std::uint32_t off = 0; off + 128 <= sector_size_; off += 128) {
            Entry e;
            e.index = entries_.size();
            std::uint64_t base = (std::uint64_t(s) + 1) * sector_size_ + off;
            std::uint16_t name_bytes = u16(base + 0x40);
            e.type = static_cast<std::uint8_t>(sec[off + 0x42]);
            if (name_bytes > 64 || name_bytes % 2 != 0) damaged("a directory entry has an invalid name");
            if (name_bytes >= 2) {
                e.name = utf16_to_utf8(sec.substr(off, name_bytes - 2));
            }
            e.start = u32(base + 0x74);
            e.size = std::uint64_t(u32(base + 0x78));
            if (sector_size_ == 4096) e.size |= std::uint64_t(u32(base + 0x7C)) << 32;
            entries_.push_back(std::move(e));
        }
    }
    if (entries_.empty() || entries_[0].type != 5) damaged("its directory has no root entry");

    // The mini stream (the root entry's data) and its allocation table, for streams < 4096 bytes.
    mini_cutoff_ = u32(0x38);
    if (mini_cutoff_ != 4096) damaged("the compound-file header has an unusual mini-stream cut-off");
    mini_fat_sectors_ = u32(0x40);
    if (mini_fat_sectors_ > file_sectors_) damaged("the mini allocation table claims more sectors than the file has");
    const Entry& root = entries_[0];
    if (root.size > 0) {
        if (root.size > bytes_.size()) damaged("the mini stream is larger than the file");
        auto chain = follow(fat_, root.start, (root.size + sector_size_ - 1) / sector_size_, "mini stream");
        mini_stream_.reserve(std::size_t(root.size));
        for (std::uint32_t s : chain) mini_stream_.append(sector(s));
        mini_stream_.resize(std::size_t(root.size));
        if (mini_fat_sectors_ > 0) {
            auto mchain = follow(fat_, u32(0x3C), mini_fat_sectors_, "mini allocation table");
            for (std::uint32_t s : mchain) {
                std::uint64_t base = (std::uint64_t(s) + 1) * sector_size_;
                for (std::uint32_t i = 0; i < per_sector; ++i) mini_fat_.push_back(u32(base + 4 * i));
            }
        }
    }
}

std::vector<std::uint32_t> CompoundFile::follow(const std::vector<std::uint32_t>& table, std::uint32_t start,
                                                std::uint64_t length, const char* what) const {
    // `length` is the number of sectors the chain must have (0: read to the end of chain).
    std::vector<std::uint32_t> chain;
    std::vector<bool> visited(table.size(), false);
    std::uint32_t s = start;
    while (s != kEndOfChain) {
        if (s >= table.size() || (&table == &fat_ && s >= file_sectors_))
            damaged(std::string("the ") + what + " chain points past the end of the file (it may be truncated)");
        if (visited[s]) damaged(std::string("the ") + what + " chain loops");
        visited[s] = true;
        chain.push_back(s);
        if (length && chain.size() > length) damaged(std::string("the ") + what + " chain is longer than its stream");
        s = table[s];
    }
    if (length && chain.size() != length) damaged(std::string("the ") + what + " chain is shorter than its stream");
    return chain;
}

bool CompoundFile::same_name(std::string_view a, std::string_view b) {
    auto upper = [](char c) { return c >= 'a' && c <= 'z' ? char(c - 'a' + 'A') : c; };
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [&](char x, char y) { return upper(x) == upper(y); });
}

const CompoundFile::Entry* CompoundFile::find(std::string_view name) const {
    for (const Entry& e : entries_)
        if ((e.type == 2 || e.type == 5) && same_name(e.name, name)) return &e;
    return nullptr;
}

std::vector<std::uint32_t> CompoundFile::stream_chain(const Entry& entry) const {
    if (entry.size == 0) return {};
    if (in_mini_stream(entry)) {
        if (entry.size > mini_stream_.size()) damaged("a small stream is larger than the mini stream");
        return follow(mini_fat_, entry.start, (entry.size + 63) / 64, "mini stream");
    }
    if (entry.size > bytes_.size()) damaged("a stream is larger than the file (it may be truncated)");
    return follow(fat_, entry.start, (entry.size + sector_size_ - 1) / sector_size_, "stream");
}

std::string CompoundFile::read_stream(const Entry& entry, std::uint64_t max_bytes) const {
    if (entry.size > max_bytes)
        throw ReadError("the workbook stream is " + std::to_string(entry.size >> 20) + " MiB, more than the limit of " +
                        std::to_string(max_bytes >> 20) + " MiB");
    auto chain = stream_chain(entry);
    std::string out;
    out.reserve(std::size_t(entry.size));
    if (in_mini_stream(entry)) {
        for (std::uint32_t s : chain) {
            if ((std::uint64_t(s) + 1) * 64 > mini_stream_.size()) damaged("a mini sector lies past the mini stream");
            out.append(mini_stream_, std::size_t(s) * 64, 64);
        }
    } else {
        for (std::uint32_t s : chain) out.append(sector(s));
    }
    out.resize(std::size_t(entry.size));
    return out;
}

std::string CompoundFile::single_stream_file(std::string_view name, std::string_view stream) {
    constexpr std::uint32_t kSector = 512, kPerFat = kSector / 4, kFatSect = 0xFFFFFFFD, kNoStream = 0xFFFFFFFF;
    const std::uint32_t data = std::uint32_t((stream.size() + kSector - 1) / kSector);
    std::uint32_t fat = 1;
    while (std::uint64_t(fat) * kPerFat < std::uint64_t(data) + 1 + fat) ++fat;
    if (fat > 109 || stream.size() < 4096)
        throw ReadError("the workbook is too large for planconv to hand the xls reading library (FreeXL) a cleaned copy; "
                        "save it as .xlsx");
    const std::uint32_t dir = data;  // sectors: stream, directory, FAT
    std::string out(std::size_t(kSector) * (1 + data + 1 + fat), '\0');
    auto put16 = [&](std::size_t o, std::uint32_t v) {
        out[o] = char(v);
        out[o + 1] = char(v >> 8);
    };
    auto put32 = [&](std::size_t o, std::uint32_t v) {
        for (int i = 0; i < 4; ++i) out[o + std::size_t(i)] = char(v >> (8 * i));
    };
    std::memcpy(out.data(), kMagic, 8);
    put16(0x18, 0x3E);
    put16(0x1A, 3);
    put16(0x1C, 0xFFFE);
    put16(0x1E, 9);
    put16(0x20, 6);
    put32(0x2C, fat);
    put32(0x30, dir);
    put32(0x38, 4096);
    put32(0x3C, kEndOfChain);
    put32(0x44, kEndOfChain);
    for (std::uint32_t i = 0; i < 109; ++i) put32(0x4C + 4 * i, i < fat ? dir + 1 + i : kFreeSect);
    std::memcpy(out.data() + kSector, stream.data(), stream.size());
    // Directory: the root, then the stream.
    auto entry = [&](std::size_t at, std::string_view entry_name, std::uint8_t type, std::uint32_t child,
                     std::uint32_t start, std::uint32_t size) {
        for (std::size_t i = 0; i < entry_name.size(); ++i) out[at + 2 * i] = entry_name[i];
        put16(at + 0x40, std::uint32_t(2 * (entry_name.size() + 1)));
        out[at + 0x42] = char(type);
        out[at + 0x43] = 1;  // black
        put32(at + 0x44, kNoStream);
        put32(at + 0x48, kNoStream);
        put32(at + 0x4C, child);
        put32(at + 0x74, start);
        put32(at + 0x78, size);
    };
    std::size_t dir_at = std::size_t(kSector) * (1 + dir);
    entry(dir_at, "Root Entry", 5, 1, kEndOfChain, 0);
    entry(dir_at + 128, name, 2, kNoStream, 0, std::uint32_t(stream.size()));
    for (int i = 2; i < 4; ++i) {
        put32(dir_at + 128 * std::size_t(i) + 0x44, kNoStream);
        put32(dir_at + 128 * std::size_t(i) + 0x48, kNoStream);
        put32(dir_at + 128 * std::size_t(i) + 0x4C, kNoStream);
    }
    // FAT: the stream's chain, the directory's end, the FAT's own sectors, the rest free.
    std::size_t fat_at = std::size_t(kSector) * (1 + dir + 1);
    for (std::uint32_t i = 0; i < fat * kPerFat; ++i) {
        std::uint32_t v = kFreeSect;
        if (i + 1 < data) v = i + 1;
        else if (i + 1 == data || i == dir) v = kEndOfChain;
        else if (i > dir && i <= dir + fat) v = kFatSect;
        put32(fat_at + 4 * std::size_t(i), v);
    }
    return out;
}

}  // namespace planconv
