// libzip behind the ZipArchive limits: entry names, counts, sizes and compression ratios are
// checked before inflating, and every inflated byte is counted again while reading, because the
// sizes in a zip directory are only claims.
#include "read/ZipArchive.hpp"

#include <zip.h>

#include <algorithm>
#include <cstring>
#include <fstream>

namespace planconv {

namespace {

// Some Windows producers write entry names with backslashes ("_rels\.rels"); the zip format
// (APPNOTE 4.4.17) allows only forward slashes, and every reader accepts both, so names are
// read with backslashes turned into slashes.
std::string normalised_entry_name(std::string n) {
    for (char& c : n)
        if (c == '\\') c = '/';
    return n;
}

// Checked on the normalised name, so "..\x" and "\\server\x" are caught as "../x" and "//server/x".
bool unsafe_entry_name(const std::string& n) {
    if (n.empty()) return false;
    if (n[0] == '/') return true;
    if (n.size() > 1 && n[1] == ':') return true;  // C:/...
    std::size_t start = 0;
    while (start <= n.size()) {
        std::size_t end = n.find('/', start);
        if (end == std::string::npos) end = n.size();
        if (n.compare(start, end - start, "..") == 0 && end - start == 2) return true;
        start = end + 1;
    }
    return false;
}

std::string mib(std::uint64_t bytes) { return grouped(bytes >> 20) + " MiB"; }

bool starts_with_local_header(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    char magic[4] = {};
    in.read(magic, 4);
    return in.gcount() == 4 && std::memcmp(magic, "PK\x03\x04", 4) == 0;
}

zip* open_zip(const std::filesystem::path& file) {
    int err = 0;
    zip* z = zip_open(file.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &err);
    if (z) return z;
    switch (err) {
    case ZIP_ER_NOZIP:
        // A zip starts with a local header and ends with its directory: the start without the
        // end is a file cut short.
        if (starts_with_local_header(file))
            throw ReadError("the file is truncated: its zip directory, at the end of the file, is missing "
                            "(was it cut short while being copied or e-mailed?); ask the sender for it again");
        throw ReadError("it is not a valid spreadsheet: the zip container is damaged or not a zip at all");
    case ZIP_ER_INCONS: throw ReadError("the zip container is damaged (truncated or inconsistent); ask the sender to save it again");
    case ZIP_ER_OPEN:
    case ZIP_ER_READ: throw ReadError("the file cannot be opened for reading");
    case ZIP_ER_MEMORY: throw ReadError("the zip directory is too large to read");
    default: throw ReadError("the zip container cannot be read (it may be truncated or damaged)");
    }
}

}  // namespace

ZipArchive::ZipArchive(const std::filesystem::path& file, const ReadLimits& limits)
    : file_(file), zip_(open_zip(file)), limits_(limits) {
    try {
        read_directory();
    } catch (...) {
        zip_discard(zip_);
        zip_ = nullptr;
        throw;
    }
}

void ZipArchive::read_directory() {
    zip_int64_t n = zip_get_num_entries(zip_, 0);
    if (n < 0) throw ReadError("the zip directory is damaged");
    if (std::uint64_t(n) > limits_.max_parts)
        throw ReadError("the zip container holds " + grouped(std::uint64_t(n)) + " parts, more than the limit of " +
                        grouped(limits_.max_parts));
    names_.reserve(std::size_t(n));
    std::uint64_t declared_total = 0;
    for (zip_int64_t i = 0; i < n; ++i) {
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(zip_, zip_uint64_t(i), ZIP_FL_ENC_GUESS, &st) != 0 || !st.name)
            throw ReadError("the zip directory is damaged");
        std::string name = normalised_entry_name(st.name);
        check_entry(st, name);
        if (st.valid & ZIP_STAT_SIZE) declared_total += st.size;
        names_.push_back(std::move(name));
    }
    if (declared_total > limits_.max_total_uncompressed)
        throw ReadError("the parts would inflate to " + mib(declared_total) + " in all, more than the limit of " +
                        mib(limits_.max_total_uncompressed) + " (a zip bomb or a far larger workbook than a return)");
    declared_total_ = declared_total;
}

// What the directory claims about one entry, checked before anything is inflated (and checked
// again while inflating, since the claims may be false).
void ZipArchive::check_entry(const zip_stat_t& st, const std::string& normalised_name) const {
    const std::string name = normalised_name.substr(0, 80);
    if (unsafe_entry_name(normalised_name))
        throw ReadError("the zip container has a part with an unsafe name ('" + name +
                        "'): an absolute path or '..' is never accepted");
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
        throw ReadError("the zip container is encrypted (password-protected); ask the sender for an unprotected copy");
    if (!(st.valid & ZIP_STAT_SIZE)) return;
    if (st.size > limits_.max_part_uncompressed)
        throw ReadError("part '" + name + "' would inflate to " + mib(st.size) + ", more than the limit of " +
                        mib(limits_.max_part_uncompressed) + " (a zip bomb or a far larger workbook than a return)");
    if (!(st.valid & ZIP_STAT_COMP_SIZE) || st.size <= (1u << 20)) return;
    std::uint64_t ratio = st.size / std::max<std::uint64_t>(st.comp_size, 1);
    if (ratio > limits_.max_compression_ratio)
        throw ReadError("part '" + name + "' is compressed " + grouped(ratio) + " to 1, beyond the limit of " +
                        grouped(limits_.max_compression_ratio) + " to 1 (a zip bomb)");
}

ZipArchive::~ZipArchive() {
    if (zip_) zip_discard(zip_);
}

ZipArchive::EntryStat ZipArchive::entry_stat(std::uint64_t index) const {
    zip_stat_t st;
    zip_stat_init(&st);
    EntryStat e;
    if (zip_stat_index(zip_, index, 0, &st) != 0) return e;
    if (st.valid & ZIP_STAT_SIZE) e.size = st.size;
    if (st.valid & ZIP_STAT_COMP_SIZE) e.compressed = st.comp_size;
    if (st.valid & ZIP_STAT_CRC) e.crc = st.crc;
    return e;
}

std::uint64_t ZipArchive::declared_size(std::string_view name) const {
    auto idx = find(name);
    return idx ? entry_stat(*idx).size : 0;
}

std::unique_ptr<ZipArchive> ZipArchive::reopen_for(std::string_view part) const {
    auto again = std::make_unique<ZipArchive>(file_, limits_);
    auto here = find(part), there = again->find(part);
    if (!here || !there || again->names_ != names_ || entry_stat(*here) != again->entry_stat(*there))
        throw ReadError("the file changed while it was being read; read it again once it is saved");
    again->total_inflated_ = total_inflated_;
    return again;
}

std::optional<std::uint64_t> ZipArchive::find(std::string_view name) const {
    if (!name.empty() && name.front() == '/') name.remove_prefix(1);
    for (std::size_t i = 0; i < names_.size(); ++i)
        if (names_[i] == name) return i;
    // Producers differ in case ("xl/SharedStrings.xml"); zip names are case-sensitive, Excel is not.
    for (std::size_t i = 0; i < names_.size(); ++i) {
        const std::string& n = names_[i];
        if (n.size() == name.size() &&
            std::equal(n.begin(), n.end(), name.begin(), [](char a, char b) {
                auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
                return lower(a) == lower(b);
            }))
            return i;
    }
    return std::nullopt;
}

void ZipArchive::account(std::uint64_t bytes, const std::string& name) {
    if (total_inflated_->fetch_add(bytes, std::memory_order_relaxed) + bytes > limits_.max_total_uncompressed)
        throw ReadError("the parts inflate to more than " + mib(limits_.max_total_uncompressed) +
                        " in all (reading '" + name + "'): a zip bomb or a far larger workbook than a return");
}

std::string ZipArchive::read_all(std::string_view name) {
    auto reader = open(name);
    std::string out;
    char buf[65536];
    for (;;) {
        std::size_t got = reader->read(buf, sizeof buf);
        if (got == 0) break;
        out.append(buf, got);
    }
    return out;
}

std::unique_ptr<ZipEntryReader> ZipArchive::open(std::string_view name) {
    auto idx = find(name);
    if (!idx) throw ReadError("the part '" + std::string(name) + "' is missing from the zip container");
    return std::make_unique<ZipEntryReader>(*this, *idx);
}

ZipEntryReader::ZipEntryReader(ZipArchive& archive, std::uint64_t index)
    : archive_(archive), name_(archive.names()[index]) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(archive_.zip_, index, 0, &st) == 0 && (st.valid & ZIP_STAT_COMP_SIZE))
        compressed_ = st.comp_size;
    file_ = zip_fopen_index(archive_.zip_, index, 0);
    if (!file_) {
        zip_error_t* e = zip_get_error(archive_.zip_);
        int code = zip_error_code_zip(e);
        if (code == ZIP_ER_ENCRNOTSUPP || code == ZIP_ER_NOPASSWD || code == ZIP_ER_WRONGPASSWD)
            throw ReadError("the zip container is encrypted (password-protected); ask the sender for an unprotected copy");
        if (code == ZIP_ER_COMPNOTSUPP)
            throw ReadError("part '" + name_ + "' uses a compression method planconv cannot read");
        throw ReadError("part '" + name_ + "' cannot be opened (the zip container is damaged)");
    }
}

ZipEntryReader::~ZipEntryReader() {
    if (file_) zip_fclose(file_);
}

std::size_t ZipEntryReader::read(char* buffer, std::size_t size) {
    zip_int64_t got = zip_fread(file_, buffer, size);
    if (got < 0)
        throw ReadError("part '" + name_ + "' cannot be inflated: the file is truncated or damaged");
    produced_ += std::uint64_t(got);
    const ReadLimits& lim = archive_.limits();
    if (produced_ > lim.max_part_uncompressed)
        throw ReadError("part '" + name_ + "' inflates to more than " + mib(lim.max_part_uncompressed) +
                        " (a zip bomb or a far larger workbook than a return)");
    if (produced_ > (1u << 20) && compressed_ > 0 && produced_ / compressed_ > lim.max_compression_ratio)
        throw ReadError("part '" + name_ + "' is compressed more than " +
                        std::to_string(lim.max_compression_ratio) + " to 1 (a zip bomb)");
    archive_.account(std::uint64_t(got), name_);
    return std::size_t(got);
}

std::string resolve_part_path(std::string_view owner_part, std::string_view target) {
    std::string joined;
    if (!target.empty() && target.front() == '/') {
        joined = std::string(target.substr(1));
    } else {
        auto slash = owner_part.rfind('/');
        joined = slash == std::string_view::npos ? std::string() : std::string(owner_part.substr(0, slash + 1));
        joined += target;
    }
    // Fold "." and ".." segments; ".." never climbs above the root.
    std::vector<std::string> segs;
    std::size_t start = 0;
    while (start <= joined.size()) {
        std::size_t end = joined.find('/', start);
        if (end == std::string::npos) end = joined.size();
        std::string seg = joined.substr(start, end - start);
        if (seg == "..") {
            if (!segs.empty()) segs.pop_back();
        } else if (!seg.empty() && seg != ".") {
            segs.push_back(seg);
        }
        start = end + 1;
    }
    std::string out;
    for (std::size_t i = 0; i < segs.size(); ++i) out += (i ? "/" : "") + segs[i];
    return out;
}

}  // namespace planconv
