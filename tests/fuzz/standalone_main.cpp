// A main() for the fuzz targets when libFuzzer is not there (gcc, the ASan build): runs
// LLVMFuzzerTestOneInput once over every file named on the command line or found (recursively)
// in a named folder, so ctest replays the seed corpus and every saved reproducer.
// Usage: fuzz_<target>_replay PATH... ; exit 0 when every input ran, 1 on a missing path or
// an empty corpus. A crash, a leak or a sanitizer report ends the process as it would in
// libFuzzer.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> inputs_under(const fs::path& path) {
    std::vector<fs::path> files;
    if (fs::is_directory(path)) {
        for (const auto& entry : fs::recursive_directory_iterator(path))
            if (entry.is_regular_file()) files.push_back(entry.path());
        std::sort(files.begin(), files.end());  // the same order on every run
    } else if (fs::is_regular_file(path)) {
        files.push_back(path);
    }
    return files;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<fs::path> files;
    for (int i = 1; i < argc; ++i) {
        const auto found = inputs_under(argv[i]);
        if (found.empty() && !fs::is_directory(argv[i])) {
            std::fprintf(stderr, "fuzz replay: no such file or folder: %s\n", argv[i]);
            return 1;
        }
        files.insert(files.end(), found.begin(), found.end());
    }
    if (files.empty()) {
        std::fprintf(stderr, "fuzz replay: no inputs (give corpus folders or files)\n");
        return 1;
    }

    const auto start = std::chrono::steady_clock::now();
    for (const fs::path& file : files) {
        std::ifstream in(file, std::ios::binary);
        const std::vector<char> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        // A copy exactly the input's size, so ASan sees any read past its end.
        std::vector<std::uint8_t> data(bytes.begin(), bytes.end());
        std::uint8_t* p = data.empty() ? nullptr : data.data();
        LLVMFuzzerTestOneInput(p, data.size());
    }
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    std::printf("fuzz replay: %zu inputs, %lld ms\n", files.size(), static_cast<long long>(ms.count()));
    return 0;
}
