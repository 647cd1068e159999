// Format detection from the bytes, and dispatch to the reader for that format.
#include "read/WorkbookReader.hpp"

#include "read/ZipArchive.hpp"

#include <algorithm>
#include <cstring>
#include <fstream>

namespace planconv {

namespace {

constexpr unsigned char kOle2Magic[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};

std::string head_bytes(const std::filesystem::path& file, std::size_t n) {
    std::ifstream in(file, std::ios::binary);
    std::string buf(n, '\0');
    in.read(buf.data(), std::streamsize(n));
    buf.resize(std::size_t(in.gcount()));
    return buf;
}

// An encrypted OOXML package is an OLE2 file holding an "EncryptedPackage" stream; its name
// sits in the directory as UTF-16LE.
bool ole2_holds_encrypted_package(const std::filesystem::path& file) {
    static const std::string needle = [] {
        std::string s;
        for (char c : std::string("EncryptedPackage")) {
            s += c;
            s += '\0';
        }
        return s;
    }();
    std::ifstream in(file, std::ios::binary);
    std::string chunk(1 << 16, '\0'), carry;
    while (in) {
        in.read(chunk.data(), std::streamsize(chunk.size()));
        std::string window = carry + chunk.substr(0, std::size_t(in.gcount()));
        if (window.find(needle) != std::string::npos) return true;
        carry = window.size() > needle.size() ? window.substr(window.size() - needle.size()) : window;
    }
    return false;
}

bool looks_like_text(const std::string& head) {
    return std::find(head.begin(), head.end(), '\0') == head.end();
}

// A BOF record of BIFF2, BIFF3 or BIFF4 (record type 0x0009/0x0209/0x0409) for a worksheet,
// chart or macro sheet, as the first bytes of the file.
bool looks_like_bare_biff(const std::string& head) {
    if (head.size() < 8) return false;
    auto byte = [&](std::size_t i) { return static_cast<unsigned char>(head[i]); };
    if (byte(0) != 0x09 || (byte(1) != 0x00 && byte(1) != 0x02 && byte(1) != 0x04) || byte(3) != 0) return false;
    if (byte(2) != 4 && byte(2) != 6) return false;
    unsigned dt = byte(6) | (unsigned(byte(7)) << 8);
    return dt == 0x10 || dt == 0x20 || dt == 0x40 || dt == 0x100;
}

std::string lower_extension(const std::filesystem::path& file) {
    std::string ext = file.extension().string();
    for (char& c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

}  // namespace

FileFormat detect_format(const std::filesystem::path& file) {
    std::string head = head_bytes(file, 4096);
    if (head.size() >= 4 && head.compare(0, 2, "PK") == 0) {
        // The ODF mimetype entry is stored first and uncompressed, so its text is in the header.
        if (head.find("application/vnd.oasis.opendocument.spreadsheet") != std::string::npos) return FileFormat::Ods;
        return FileFormat::Xlsx;
    }
    if (head.size() >= 8 && std::memcmp(head.data(), kOle2Magic, 8) == 0) return FileFormat::Xls;
    // Excel 2.x-4.0 saved a bare BIFF stream (no OLE2 container); read_xls explains the refusal.
    if (looks_like_bare_biff(head)) return FileFormat::Xls;
    // Excel's "Unicode text" export is UTF-16 with a byte-order mark (and so full of NULs).
    const bool utf16_bom = head.size() >= 2 && ((head[0] == '\xFF' && head[1] == '\xFE') || (head[0] == '\xFE' && head[1] == '\xFF'));
    if (!head.empty() && (looks_like_text(head) || utf16_bom)) {
        std::string ext = lower_extension(file);
        if (ext == ".csv" || ext == ".txt" || ext == ".tsv") return FileFormat::Csv;
    }
    return FileFormat::Unknown;
}

std::uint64_t estimated_read_memory(const std::filesystem::path& file, const ReadLimits& limits) {
    constexpr std::uint64_t kPerByte = 4;  // peak bytes per byte of XML or file read
    std::uint64_t read = 0;
    switch (detect_format(file)) {
        case FileFormat::Xlsx:
        case FileFormat::Ods:
            read = ZipArchive(file, limits).declared_uncompressed();
            break;
        default: {
            std::error_code ec;
            read = std::filesystem::file_size(file, ec);
            if (ec) throw ReadError("the file cannot be opened for reading");
        }
    }
    return read * kPerByte;
}

std::string read_file_bytes(const std::filesystem::path& file, const ReadLimits& limits) {
    std::error_code ec;
    auto size = std::filesystem::file_size(file, ec);
    if (ec) throw ReadError("the file cannot be opened for reading");
    if (size > limits.max_file_bytes)
        throw ReadError("the file is " + std::to_string(size >> 20) + " MiB, more than the limit of " +
                        std::to_string(limits.max_file_bytes >> 20) + " MiB");
    std::ifstream in(file, std::ios::binary);
    if (!in) throw ReadError("the file cannot be opened for reading (permission denied?)");
    std::string bytes(std::size_t(size), '\0');
    in.read(bytes.data(), std::streamsize(size));
    bytes.resize(std::size_t(in.gcount()));
    return bytes;
}

void finish_merged_ranges(Sheet& sheet, const ReadLimits& limits) {
    std::uint64_t area = 0;
    for (const CellRange& m : sheet.merged) area += m.area();
    if (area > limits.max_merged_area)
        throw ReadError("sheet '" + sheet.name + "' has merged ranges covering " + grouped(area) +
                        " cells, more than the limit of " + grouped(limits.max_merged_area));
    sheet.drop_cells_under_merges();
}

Workbook read_workbook(const std::filesystem::path& file, const ReadLimits& limits) {
    std::error_code ec;
    auto status = std::filesystem::status(file, ec);
    if (ec || !std::filesystem::exists(status)) throw ReadError("the file does not exist");
    if (!std::filesystem::is_regular_file(status)) throw ReadError("it is not a regular file");
    auto size = std::filesystem::file_size(file, ec);
    if (ec) throw ReadError("the file cannot be opened for reading");
    if (size == 0) throw ReadError("the file is empty (0 bytes)");
    if (size > limits.max_file_bytes)
        throw ReadError("the file is " + std::to_string(size >> 20) + " MiB, more than the limit of " +
                        std::to_string(limits.max_file_bytes >> 20) + " MiB");
    {
        std::ifstream probe(file, std::ios::binary);
        if (!probe) throw ReadError("the file cannot be opened for reading (permission denied?)");
    }

    switch (detect_format(file)) {
    case FileFormat::Xlsx: return read_xlsx(file, limits);
    case FileFormat::Ods: return read_ods(file, limits);
    case FileFormat::Csv: return read_csv(file, limits);
    case FileFormat::Xls:
        if (ole2_holds_encrypted_package(file))
            throw ReadError("the workbook is password-protected (encrypted); ask the sender for an unprotected copy");
        return read_xls(file, limits);
    case FileFormat::Unknown: break;
    }
    std::string head = head_bytes(file, 512);
    if (head.rfind("%PDF", 0) == 0) throw ReadError("it is a PDF document, not a spreadsheet");
    std::string lowered = head;
    for (char& c : lowered) c = char(std::tolower(static_cast<unsigned char>(c)));
    if (lowered.find("<html") != std::string::npos || lowered.find("<!doctype html") != std::string::npos)
        throw ReadError("it is a web page (HTML) saved with a spreadsheet name, not a spreadsheet; open it in Excel and save it as .xlsx");
    if (looks_like_text(head))
        throw ReadError("it is a text file that is not named .csv; rename it to .csv if it is comma-separated");
    throw ReadError("it is not a spreadsheet planconv can read (xlsx, xls, ods or csv)");
}

}  // namespace planconv
