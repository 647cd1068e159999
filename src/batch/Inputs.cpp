// Input discovery for convert/validate.
#include "batch/Inputs.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <stdexcept>

namespace planconv {

bool is_spreadsheet_name(const std::filesystem::path& p) {
    std::string name = p.filename().string();
    if (name.empty() || name[0] == '.' || name.rfind("~$", 0) == 0) return false;
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return ext == ".xlsx" || ext == ".xlsm" || ext == ".xls" || ext == ".ods" || ext == ".csv";
}

std::vector<InputFile> discover_inputs(const std::vector<std::string>& paths) {
    namespace fs = std::filesystem;
    std::vector<InputFile> out;
    for (const std::string& given : paths) {
        fs::path p(given);
        std::error_code ec;
        auto st = fs::status(p, ec);
        if (ec || !fs::exists(st)) throw std::runtime_error("'" + given + "' does not exist");
        if (fs::is_directory(st)) {
            std::vector<InputFile> found;
            fs::recursive_directory_iterator it(p, fs::directory_options::skip_permission_denied, ec), end;
            for (; !ec && it != end; it.increment(ec)) {
                const fs::path& f = it->path();
                if (it->is_directory(ec) && f.filename().string().rfind('.', 0) == 0) {
                    it.disable_recursion_pending();  // hidden folders (.git, .cache)
                    continue;
                }
                if (it->is_regular_file(ec) && is_spreadsheet_name(f)) found.push_back({f, f.lexically_relative(p), {}});
            }
            std::sort(found.begin(), found.end(), [](const InputFile& a, const InputFile& b) { return a.path < b.path; });
            out.insert(out.end(), found.begin(), found.end());
        } else {
            out.push_back({p, p.filename(), {}});
        }
    }
    assign_output_stems(out);
    return out;
}

void assign_output_stems(std::vector<InputFile>& inputs) {
    std::map<std::filesystem::path, int> uses;
    for (InputFile& in : inputs) {
        in.output_stem = std::filesystem::path(in.relative).replace_extension();
        ++uses[in.output_stem];
    }
    for (InputFile& in : inputs) {
        std::string ext = in.relative.extension().string();
        std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
        if (uses[in.output_stem] > 1 && ext != ".xlsx") in.output_stem = in.relative;
    }
}

std::vector<InputFile> shard_inputs(std::vector<InputFile> inputs, unsigned k, unsigned n) {
    std::vector<InputFile> mine;
    for (InputFile& in : inputs) {
        // FNV-1a over the path's bytes: the same on every machine and every run (std::hash is not).
        std::uint64_t h = 1469598103934665603ull;
        for (unsigned char c : in.path.generic_string()) h = (h ^ c) * 1099511628211ull;
        if (h % n == k - 1) mine.push_back(std::move(in));
    }
    return mine;
}

std::optional<std::pair<unsigned, unsigned>> parse_shard(const std::string& text) {
    if (text.find_first_not_of("0123456789/") != std::string::npos || text.size() > 21) return std::nullopt;
    unsigned k = 0, n = 0;
    char slash = 0, extra = 0;
    if (std::sscanf(text.c_str(), "%u%c%u%c", &k, &slash, &n, &extra) != 3 || slash != '/') return std::nullopt;
    if (n == 0 || k == 0 || k > n) return std::nullopt;
    return std::pair{k, n};
}

}  // namespace planconv
