// libzip behind the ZipArchive limits: entry names, counts, sizes and compression ratios are
// checked before inflating, and every inflated byte is counted again while reading, because the
// sizes in a zip directory are only claims.
#include "io/ZipArchive.hpp"

#include <zip.h>

#include <algorithm>

namespace planconv {

namespace {

bool unsafe_entry_name(const std::string& n) {
    if (n.empty()) return false;
    if (n[0] == '/' || n[0] == '\\') return true;
    if (n.size() > 1 && n[1] == ':') return true;  // C:\...
    std::size_t start = 0;
    while (start <= n.size()) {
        std::size_t end = n.find_first_of("/\\", start);
        if (end == std::string::npos) end = n.size();
        if (n.compare(start, end - start, "..") == 0 && end - start == 2) return true;
        start = end + 1;
    }
    return false;
}

std::string mib(std::uint64_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

}  // namespace

ZipArchive::ZipArchive(const std::filesystem::path& file, const ReadLimits& limits)
    : limits_(limits) {
    int err = 0;
    zip_ = zip_open(file.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &err);
    if (!zip_) {
        switch (err) {
        case ZIP_ER_NOZIP: throw ReadError("it is not a valid spreadsheet: the zip container is damaged or not a zip at all");
        case ZIP_ER_INCONS: throw ReadError("the zip container is damaged (truncated or inconsistent); ask the sender to save it again");
        case ZIP_ER_OPEN:
        case ZIP_ER_READ: throw ReadError("the file cannot be opened for reading");
        case ZIP_ER_MEMORY: throw ReadError("the zip directory is too large to read");
        default: throw ReadError("the zip container cannot be read (it may be truncated or damaged)");
        }
    }
    zip_int64_t n = zip_get_num_entries(zip_, 0);
    if (n < 0 || std::uint64_t(n) > limits_.max_parts) {
        zip_discard(zip_);
        zip_ = nullptr;
        throw ReadError("the zip container holds " + std::to_string(n) +
                        " parts, more than the limit of " + std::to_string(limits_.max_parts));
    }
    names_.reserve(std::size_t(n));
    std::uint64_t declared_total = 0;
    for (zip_int64_t i = 0; i < n; ++i) {
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(zip_, zip_uint64_t(i), ZIP_FL_ENC_GUESS, &st) != 0 || !st.name) {
            zip_discard(zip_);
            zip_ = nullptr;
            throw ReadError("the zip directory is damaged");
        }
        std::string name = st.name;
        if (unsafe_entry_name(name)) {
            zip_discard(zip_);
            zip_ = nullptr;
            throw ReadError("the zip container has a part with an unsafe name ('" + name.substr(0, 80) +
                            "'): an absolute path or '..' is never accepted");
        }
        if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
            zip_discard(zip_);
            zip_ = nullptr;
            throw ReadError("the zip container is encrypted (password-protected); ask the sender for an unprotected copy");
        }
        if (st.valid & ZIP_STAT_SIZE) {
            if (st.size > limits_.max_part_uncompressed) {
                zip_discard(zip_);
                zip_ = nullptr;
                throw ReadError("part '" + name.substr(0, 80) + "' would inflate to " + mib(st.size) +
                                ", more than the limit of " + mib(limits_.max_part_uncompressed) +
                                " (a zip bomb or a far larger workbook than a return)");
            }
            declared_total += st.size;
            if ((st.valid & ZIP_STAT_COMP_SIZE) && st.size > (1u << 20) &&
                st.size / std::max<std::uint64_t>(st.comp_size, 1) > limits_.max_compression_ratio) {
                zip_discard(zip_);
                zip_ = nullptr;
                throw ReadError("part '" + name.substr(0, 80) + "' is compressed " +
                                std::to_string(st.size / std::max<std::uint64_t>(st.comp_size, 1)) +
                                " to 1, beyond the limit of " + std::to_string(limits_.max_compression_ratio) +
                                " to 1 (a zip bomb)");
            }
        }
        names_.push_back(std::move(name));
    }
    if (declared_total > limits_.max_total_uncompressed) {
        zip_discard(zip_);
        zip_ = nullptr;
        throw ReadError("the parts would inflate to " + mib(declared_total) + " in all, more than the limit of " +
                        mib(limits_.max_total_uncompressed) + " (a zip bomb or a far larger workbook than a return)");
    }
}

ZipArchive::~ZipArchive() {
    if (zip_) zip_discard(zip_);
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
                return (a | 0x20) == (b | 0x20) || a == b;
            }))
            return i;
    }
    return std::nullopt;
}

void ZipArchive::account(std::uint64_t bytes, const std::string& name) {
    total_inflated_ += bytes;
    if (total_inflated_ > limits_.max_total_uncompressed)
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
