// Fuzz target for the xlsx reader: the bytes are an .xlsx file e-mailed in by a service.
//
// read_workbook() takes a path, so each input is written to one temporary file per process
// (in /dev/shm when there is one) and read from there, through the same format detection and
// limits as `planconv convert`. A ReadError is the reader refusing a bad file, which is fine;
// anything else escaping, a crash, a hang, a leak or a sanitizer report is a bug. The limits
// are tighter than the defaults so that no input may legitimately use more than a few hundred
// MB, and libFuzzer's -rss_limit_mb catches the reader exceeding them.
//
// In the libFuzzer build (PLANCONV_LIBFUZZER) a custom mutator makes most mutations inside the
// zip: it opens the input with libzip, mutates one part (a worksheet, the shared strings, the
// workbook, styles or a .rels) and zips it again, so the XML readers see mutated XML instead
// of a deflate stream that no longer inflates. The rest of the time it mutates the raw bytes,
// which keeps the zip layer itself under test.
#include "read/WorkbookReader.hpp"
#include "model/Workbook.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

#include <unistd.h>

namespace {

namespace fs = std::filesystem;

planconv::ReadLimits fuzz_limits() {
    planconv::ReadLimits limits;
    limits.max_file_bytes = 4u << 20;
    limits.max_total_uncompressed = 64u << 20;
    limits.max_part_uncompressed = 32u << 20;
    limits.max_parts = 1000;
    limits.max_sheets = 100;
    limits.max_cells = 1'000'000;
    limits.max_string_bytes = 64u << 10;
    limits.max_merged_area = 1'000'000;
    limits.max_strings = 200'000;
    limits.max_cell_styles = 10'000;
    return limits;
}

// The per-process file the reader is given; removed when the process ends normally.
class ScratchFile {
public:
    ScratchFile() {
        std::error_code ec;
        const fs::path dir = fs::is_directory("/dev/shm", ec) && access("/dev/shm", W_OK) == 0
                                 ? fs::path("/dev/shm")
                                 : fs::temp_directory_path();
        path_ = dir / ("planconv-fuzz-" + std::to_string(getpid()) + ".xlsx");
    }
    ~ScratchFile() {
        std::error_code ec;
        fs::remove(path_, ec);
    }
    ScratchFile(const ScratchFile&) = delete;
    ScratchFile& operator=(const ScratchFile&) = delete;

    const fs::path& write(const std::uint8_t* data, std::size_t size) {
        std::ofstream out(path_, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
        out.close();
        if (!out) std::abort();  // the harness cannot work without its scratch file
        return path_;
    }

private:
    fs::path path_;
};

// What every reader promises about the workbook it returns.
void check_workbook(const planconv::Workbook& wb, const planconv::ReadLimits& limits) {
    std::uint64_t cells = 0;
    for (const planconv::Sheet& sheet : wb.sheets) {
        const planconv::Cell* previous = nullptr;
        for (const planconv::Cell& c : sheet.cells()) {
            if (c.row >= limits.max_rows || c.col >= limits.max_cols) std::abort();
            if (c.text >= wb.strings().size() || c.format >= wb.formats.size()) std::abort();
            if (previous && !(previous->row < c.row || (previous->row == c.row && previous->col < c.col)))
                std::abort();  // sorted and without duplicates
            previous = &c;
            (void)planconv::display_value(wb, c);
            ++cells;
        }
        for (const planconv::CellRange& m : sheet.merged)
            if (m.first.row > m.last.row || m.first.col > m.last.col) std::abort();
    }
    if (cells > limits.max_cells) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static ScratchFile scratch;
    static const planconv::ReadLimits limits = fuzz_limits();
    const fs::path& file = scratch.write(data, size);
    try {
        const planconv::Workbook wb = planconv::read_workbook(file, limits);
        check_workbook(wb, limits);
    } catch (const planconv::ReadError&) {
        // The reader refused the file with a reason: the expected outcome for most inputs.
    }
    return 0;
}

#ifdef PLANCONV_LIBFUZZER

#include <zip.h>

#include <cstring>
#include <random>
#include <string_view>
#include <vector>

extern "C" std::size_t LLVMFuzzerMutate(std::uint8_t* data, std::size_t size, std::size_t max_size);

namespace {

struct Part {
    std::string name;
    std::string bytes;
};

// The parts of a zip held in memory; false when it is not a zip libzip opens, or too big.
bool unzip(const std::uint8_t* data, std::size_t size, std::vector<Part>& parts) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(data, size, 0, &error);
    if (!source) return false;
    zip_t* z = zip_open_from_source(source, ZIP_RDONLY, &error);
    zip_error_fini(&error);
    if (!z) {
        zip_source_free(source);
        return false;
    }
    bool ok = true;
    const zip_int64_t n = zip_get_num_entries(z, 0);
    for (zip_int64_t i = 0; ok && i < n && i < 64; ++i) {
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(z, zip_uint64_t(i), 0, &st) != 0 || !st.name || !(st.valid & ZIP_STAT_SIZE) ||
            st.size > (8u << 20)) {
            ok = false;
            break;
        }
        Part part{st.name, std::string(st.size, '\0')};
        zip_file_t* f = zip_fopen_index(z, zip_uint64_t(i), 0);
        ok = f && zip_fread(f, part.bytes.data(), st.size) == zip_int64_t(st.size);
        if (f) zip_fclose(f);
        parts.push_back(std::move(part));
    }
    zip_discard(z);  // also frees the source
    return ok && !parts.empty();
}

// The parts zipped again (deflated, fast); empty when libzip refuses.
std::string rezip(const std::vector<Part>& parts) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
    zip_error_fini(&error);
    if (!buffer) return {};
    zip_t* z = zip_open_from_source(buffer, ZIP_TRUNCATE, nullptr);
    if (!z) {
        zip_source_free(buffer);
        return {};
    }
    zip_source_keep(buffer);  // the archive's reference goes at zip_close; this one is ours
    bool ok = true;
    for (std::size_t i = 0; ok && i < parts.size(); ++i) {
        zip_source_t* s = zip_source_buffer(z, parts[i].bytes.data(), parts[i].bytes.size(), 0);
        const zip_int64_t index = s ? zip_file_add(z, parts[i].name.c_str(), s, ZIP_FL_ENC_UTF_8) : -1;
        if (index < 0) {
            if (s) zip_source_free(s);
            ok = false;
        } else {
            zip_set_file_compression(z, zip_uint64_t(index), ZIP_CM_DEFLATE, 1);
        }
    }
    std::string out;
    if (!ok || zip_close(z) != 0) {
        zip_discard(z);
        ok = false;
    }
    if (ok && zip_source_open(buffer) == 0) {
        zip_source_seek(buffer, 0, SEEK_END);
        const zip_int64_t size = zip_source_tell(buffer);
        zip_source_seek(buffer, 0, SEEK_SET);
        if (size > 0) {
            out.resize(std::size_t(size));
            if (zip_source_read(buffer, out.data(), zip_uint64_t(size)) != size) out.clear();
        }
        zip_source_close(buffer);
    }
    zip_source_free(buffer);
    return out;
}

// Parts the reader reads: mutating docProps or the theme would be wasted work.
bool read_by_the_reader(std::string_view name) {
    return name.find("theme") == std::string_view::npos && name.rfind("docProps/", 0) != 0;
}

}  // namespace

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size, std::size_t max_size,
                                               unsigned int seed) {
    std::minstd_rand rng(seed);
    std::vector<Part> parts;
    if (rng() % 4 == 0 || !unzip(data, size, parts)) return LLVMFuzzerMutate(data, size, max_size);

    std::vector<std::size_t> candidates;
    for (std::size_t i = 0; i < parts.size(); ++i)
        if (read_by_the_reader(parts[i].name)) candidates.push_back(i);
    if (candidates.empty()) return LLVMFuzzerMutate(data, size, max_size);
    Part& part = parts[candidates[rng() % candidates.size()]];

    std::string& bytes = part.bytes;
    const std::size_t grown = bytes.size() + 256;
    const std::size_t old_size = bytes.size();
    bytes.resize(grown);
    bytes.resize(LLVMFuzzerMutate(reinterpret_cast<std::uint8_t*>(bytes.data()), old_size, grown));

    const std::string zipped = rezip(parts);
    if (zipped.empty() || zipped.size() > max_size) return LLVMFuzzerMutate(data, size, max_size);
    std::memcpy(data, zipped.data(), zipped.size());
    return zipped.size();
}

#endif  // PLANCONV_LIBFUZZER
