// xls files built byte by byte for the reader tests: BIFF8 (Excel 97-2003) and BIFF5 (Excel
// 5.0/95) workbook streams, record by record as [MS-XLS] lays them out, inside an OLE2 compound
// file written here (version 3, 512-byte sectors, every stream in regular sectors).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace planconv::test::biff {

inline std::string u8(unsigned v) { return std::string(1, char(v & 0xFF)); }
inline std::string u16(unsigned v) { return u8(v) + u8(v >> 8); }
inline std::string u32(std::uint32_t v) { return u16(v & 0xFFFF) + u16(v >> 16); }
inline std::string f64(double d) {
    std::string out(8, '\0');
    std::memcpy(out.data(), &d, 8);  // little-endian hosts only, as the tests run
    return out;
}

inline std::string record(unsigned type, const std::string& body) { return u16(type) + u16(unsigned(body.size())) + body; }

enum class Version { Biff5, Biff8 };

// Text as a record holds it: BIFF8 a 16-bit count, a flags byte (0: one byte per character,
// Latin-1) and the bytes; BIFF5 a count (8 or 16 bits) and the bytes in the code page.
inline std::string text8(const std::string& latin1) { return u16(unsigned(latin1.size())) + u8(0) + latin1; }

inline std::string bof(Version v, unsigned kind /* 0x0005 globals, 0x0010 worksheet */) {
    if (v == Version::Biff8) return record(0x0809, u16(0x0600) + u16(kind) + u16(0x0DBB) + u16(1996) + u32(0) + u32(6));
    return record(0x0809, u16(0x0500) + u16(kind) + u16(0x0DBB) + u16(1994));
}
inline std::string eof() { return record(0x000A, ""); }
inline std::string codepage(unsigned cp) { return record(0x0042, u16(cp)); }
inline std::string datemode_1904() { return record(0x0022, u16(1)); }
inline std::string format(Version v, unsigned index, const std::string& code) {
    if (v == Version::Biff8) return record(0x041E, u16(index) + text8(code));
    return record(0x041E, u16(index) + u8(unsigned(code.size())) + code);
}
// A cell XF (BIFF8: 20 bytes, BIFF5: 16) with the given number format; font 0, no style.
inline std::string xf(Version v, unsigned number_format) {
    std::string body = u16(0) + u16(number_format) + u16(0x0001);
    body.resize(v == Version::Biff8 ? 20 : 16, '\0');
    return record(0x00E0, body);
}
inline std::string sst(const std::vector<std::string>& latin1) {
    std::string body = u32(std::uint32_t(latin1.size())) + u32(std::uint32_t(latin1.size()));
    for (const std::string& s : latin1) body += text8(s);
    return record(0x00FC, body);
}
inline std::string dimension(Version v, unsigned rows, unsigned cols) {
    if (v == Version::Biff8) return record(0x0200, u32(0) + u32(rows) + u16(0) + u16(cols) + u16(0));
    return record(0x0200, u16(0) + u16(rows) + u16(0) + u16(cols) + u16(0));
}
inline std::string number(unsigned row, unsigned col, unsigned xf_index, double value) {
    return record(0x0203, u16(row) + u16(col) + u16(xf_index) + f64(value));
}
// RK holding an integer (bit 1 set), as Excel writes small whole numbers.
inline std::string rk_integer(unsigned row, unsigned col, unsigned xf_index, std::int32_t value) {
    return record(0x027E, u16(row) + u16(col) + u16(xf_index) + u32(std::uint32_t(value) << 2 | 2u));
}
// MULRK: integers in consecutive columns from `col`.
inline std::string mulrk_integers(unsigned row, unsigned col, unsigned xf_index, const std::vector<std::int32_t>& values) {
    std::string body = u16(row) + u16(col);
    for (std::int32_t v : values) body += u16(xf_index) + u32(std::uint32_t(v) << 2 | 2u);
    return record(0x00BD, body + u16(col + unsigned(values.size()) - 1));
}
inline std::string label(Version v, unsigned row, unsigned col, const std::string& bytes) {
    std::string head = u16(row) + u16(col) + u16(0);
    if (v == Version::Biff8) return record(0x0204, head + text8(bytes));
    return record(0x0204, head + u16(unsigned(bytes.size())) + bytes);
}
// BIFF5 rich text: the text, then one formatting run (character 0, font 0).
inline std::string rstring5(unsigned row, unsigned col, const std::string& bytes) {
    return record(0x00D6, u16(row) + u16(col) + u16(0) + u16(unsigned(bytes.size())) + bytes + u8(1) + u8(0) + u8(0));
}
inline std::string labelsst(unsigned row, unsigned col, std::uint32_t index) {
    return record(0x00FD, u16(row) + u16(col) + u16(0) + u32(index));
}
// A FORMULA record with a numeric cached result and an empty token list.
inline std::string formula_number(unsigned row, unsigned col, unsigned xf_index, double value) {
    return record(0x0006, u16(row) + u16(col) + u16(xf_index) + f64(value) + u16(0) + u32(0) + u16(0));
}
inline std::string merged_cells(unsigned first_row, unsigned last_row, unsigned first_col, unsigned last_col) {
    return record(0x00E5, u16(1) + u16(first_row) + u16(last_row) + u16(first_col) + u16(last_col));
}

struct SheetSpec {
    std::string name;  // bytes: Latin-1 for BIFF8, the code page for BIFF5
    unsigned rows = 1, cols = 1;
    std::string cells;  // the records after DIMENSION
};

// The workbook stream: globals (`globals` goes after the BOF, before BOUNDSHEET; `after_sheets`
// after them, where the SST sits), then each sheet's substream, BOUNDSHEET offsets filled in.
inline std::string workbook_stream(Version v, const std::string& globals, const std::vector<SheetSpec>& sheets,
                                   const std::string& after_sheets = "") {
    auto bound_sheet = [&](std::uint32_t offset, const std::string& name) {
        std::string body = u32(offset) + u8(0) + u8(0) + u8(unsigned(name.size()));
        if (v == Version::Biff8) body += u8(0);
        return record(0x0085, body + name);
    };
    std::string head = bof(v, 0x0005) + globals;
    std::size_t bound_size = 0;
    for (const SheetSpec& s : sheets) bound_size += bound_sheet(0, s.name).size();
    std::size_t offset = head.size() + bound_size + after_sheets.size() + eof().size();
    std::string bound, substreams;
    for (const SheetSpec& s : sheets) {
        bound += bound_sheet(std::uint32_t(offset + substreams.size()), s.name);
        substreams += bof(v, 0x0010) + dimension(v, s.rows, s.cols) + s.cells + eof();
    }
    return head + bound + after_sheets + eof() + substreams;
}

// An OLE2 compound file holding the named streams, each padded with zeros to 4,096 bytes or more
// so that it lives in regular sectors (a zero record ends a workbook stream for every reader).
inline std::string compound_file(std::vector<std::pair<std::string, std::string>> streams) {
    constexpr std::uint32_t kSector = 512, kEnd = 0xFFFFFFFE, kFree = 0xFFFFFFFF, kFat = 0xFFFFFFFD;
    std::vector<std::uint32_t> starts;
    std::uint32_t next = 0;
    for (auto& [name, data] : streams) {
        if (data.size() < 4096) data.resize(4096, '\0');
        starts.push_back(next);
        next += std::uint32_t((data.size() + kSector - 1) / kSector);
    }
    const std::uint32_t data_sectors = next;
    const std::uint32_t dir_sectors = std::uint32_t((streams.size() + 1 + 3) / 4);
    const std::uint32_t first_dir = data_sectors;
    std::uint32_t fat_sectors = 1;
    while (fat_sectors * (kSector / 4) < data_sectors + dir_sectors + fat_sectors) ++fat_sectors;
    const std::uint32_t first_fat = first_dir + dir_sectors;
    const std::uint32_t total = first_fat + fat_sectors;

    std::string out(std::size_t(kSector) * (1 + total), '\0');
    auto put16 = [&](std::size_t at, unsigned v) { out.replace(at, 2, u16(v)); };
    auto put32 = [&](std::size_t at, std::uint32_t v) { out.replace(at, 4, u32(v)); };
    const unsigned char magic[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    std::memcpy(out.data(), magic, 8);
    put16(0x18, 0x3E);
    put16(0x1A, 3);
    put16(0x1C, 0xFFFE);
    put16(0x1E, 9);
    put16(0x20, 6);
    put32(0x2C, fat_sectors);
    put32(0x30, first_dir);
    put32(0x38, 4096);
    put32(0x3C, kEnd);
    put32(0x44, kEnd);
    for (std::uint32_t i = 0; i < 109; ++i) put32(0x4C + 4 * i, i < fat_sectors ? first_fat + i : kFree);

    std::vector<std::uint32_t> fat(fat_sectors * (kSector / 4), kFree);
    for (std::size_t i = 0; i < streams.size(); ++i) {
        const std::string& data = streams[i].second;
        std::memcpy(out.data() + kSector * (1 + starts[i]), data.data(), data.size());
        std::uint32_t count = std::uint32_t((data.size() + kSector - 1) / kSector);
        for (std::uint32_t k = 0; k < count; ++k) fat[starts[i] + k] = k + 1 < count ? starts[i] + k + 1 : kEnd;
    }
    for (std::uint32_t k = 0; k < dir_sectors; ++k) fat[first_dir + k] = k + 1 < dir_sectors ? first_dir + k + 1 : kEnd;
    for (std::uint32_t k = 0; k < fat_sectors; ++k) fat[first_fat + k] = kFat;
    for (std::size_t i = 0; i < fat.size(); ++i) put32(kSector * (1 + first_fat) + 4 * i, fat[i]);

    // Directory: the root (its child the first stream), then the streams as a chain of right
    // siblings; the unused entries of the last sector marked empty.
    auto entry = [&](std::size_t index, const std::string& name, unsigned type, std::uint32_t right, std::uint32_t child,
                     std::uint32_t start, std::uint32_t size) {
        std::size_t at = kSector * (1 + first_dir) + 128 * index;
        for (std::size_t i = 0; i < name.size(); ++i) out[at + 2 * i] = name[i];
        put16(at + 0x40, name.empty() ? 0 : unsigned(2 * (name.size() + 1)));
        out[at + 0x42] = char(type);
        out[at + 0x43] = 1;
        put32(at + 0x44, kFree);
        put32(at + 0x48, right);
        put32(at + 0x4C, child);
        put32(at + 0x74, start);
        put32(at + 0x78, size);
    };
    entry(0, "Root Entry", 5, kFree, 1, kEnd, 0);
    for (std::size_t i = 0; i < streams.size(); ++i)
        entry(i + 1, streams[i].first, 2, i + 1 < streams.size() ? std::uint32_t(i + 2) : kFree, kFree, starts[i],
              std::uint32_t(streams[i].second.size()));
    for (std::size_t i = streams.size() + 1; i < 4 * std::size_t(dir_sectors); ++i) entry(i, "", 0, kFree, kFree, 0, 0);
    return out;
}

}  // namespace planconv::test::biff
