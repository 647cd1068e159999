// Input discovery for convert/validate: a walk of each folder given that says why it leaves
// anything out, and the output naming rule.
#include "batch/Inputs.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <unordered_map>

namespace planconv {

namespace fs = std::filesystem;

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

// Absolute and without "." / ".." or a trailing separator; symbolic links are not resolved, so
// the folders under --out are the ones the user typed.
fs::path clean_absolute(const fs::path& p) {
    std::error_code ec;
    fs::path a = fs::absolute(p, ec);
    if (ec) a = p;
    a = a.lexically_normal();
    if (a.filename().empty() && a.has_parent_path() && a != a.root_path()) a = a.parent_path();
    return a;
}

// The deepest folder holding both.
fs::path common_folder(const fs::path& a, const fs::path& b) {
    fs::path out;
    for (auto i = a.begin(), j = b.begin(); i != a.end() && j != b.end() && *i == *j; ++i, ++j) out /= *i;
    return out;
}

std::string canonical_key(const fs::path& p) {
    std::error_code ec;
    fs::path c = fs::canonical(p, ec);
    return ec ? clean_absolute(p).string() : c.string();
}

// Why a path whose status could not be read cannot be used, in words.
std::string status_problem(const std::error_code& ec, bool link) {
    if (ec.value() == ELOOP) return "it is a symbolic link loop (the link leads back to itself)";
    if (ec.value() == ENOENT || ec.value() == ENOTDIR)
        return link ? "it is a symbolic link to something that does not exist" : "it does not exist";
    if (ec.value() == EACCES || ec.value() == EPERM) return "permission denied";
    return ec.message();
}

std::string kind_of(fs::file_type t) {
    switch (t) {
        case fs::file_type::fifo: return "a FIFO (named pipe)";
        case fs::file_type::socket: return "a socket";
        case fs::file_type::block: return "a block device";
        case fs::file_type::character: return "a character device";
        default: return "not a regular file";
    }
}

class Scanner {
public:
    Scanner(fs::path root, std::string out_key, std::vector<InputFile>& found, std::vector<SkippedPath>& skipped)
        : root_(std::move(root)), out_key_(std::move(out_key)), found_(found), skipped_(skipped) {}

    // `dir` exists and is a folder; `shown` is how the user would name it.
    void walk(const fs::path& dir, const std::string& key) {
        if (!open_.insert(key).second) return;
        std::error_code ec;
        fs::directory_iterator it(dir, ec), end;
        if (ec) {
            skip(dir, "cannot open this folder: " + status_problem(ec, false));
            open_.erase(key);
            return;
        }
        std::vector<fs::path> entries;
        for (; !ec && it != end; it.increment(ec)) entries.push_back(it->path());
        if (ec) skip(dir, "could not list all of this folder: " + status_problem(ec, false));
        std::sort(entries.begin(), entries.end());
        for (const fs::path& p : entries) visit(p);
        open_.erase(key);
    }

private:
    void skip(const fs::path& p, std::string why) { skipped_.push_back({p.string(), std::move(why)}); }

    void visit(const fs::path& p) {
        std::string name = p.filename().string();
        std::error_code ec;
        fs::file_status own = fs::symlink_status(p, ec);
        const bool link = !ec && fs::is_symlink(own);
        fs::file_status st = fs::status(p, ec);
        if (ec) {
            skip(p, status_problem(ec, link));
            return;
        }
        if (fs::is_directory(st)) {
            std::string key = canonical_key(p);
            if (!out_key_.empty() && key == out_key_) return skip(p, "the output folder of this run (never read as input)");
            if (name.rfind('.', 0) == 0) return skip(p, "hidden folder");
            if (open_.count(key)) return skip(p, "a symbolic link back to a folder it is in (a loop)");
            walk(p, key);
            return;
        }
        if (!fs::is_regular_file(st)) return skip(p, kind_of(st.type()));
        if (name.rfind("~$", 0) == 0) return skip(p, "an Office lock file (the workbook was open when it was copied)");
        if (name.rfind('.', 0) == 0) return skip(p, "hidden file");
        if (!is_spreadsheet_name(p)) {
            std::string ext = p.extension().string();
            return skip(p, ext.empty() ? "not a spreadsheet (no extension)" : "not a spreadsheet (" + ext + ")");
        }
        found_.push_back({p, clean_absolute(p).lexically_relative(root_), {}, {}});
    }

    fs::path root_;
    std::string out_key_;
    std::vector<InputFile>& found_;
    std::vector<SkippedPath>& skipped_;
    std::set<std::string> open_;  // canonical folders being walked: a link to one of them is a loop
};

}  // namespace

bool is_spreadsheet_name(const fs::path& p) {
    std::string name = p.filename().string();
    if (name.empty() || name[0] == '.' || name.rfind("~$", 0) == 0) return false;
    std::string ext = lower(p.extension().string());
    return ext == ".xlsx" || ext == ".xlsm" || ext == ".xls" || ext == ".ods" || ext == ".csv";
}

fs::path output_name(const fs::path& relative) {
    if (relative.extension() == ".xlsx") return fs::path(relative).replace_extension();
    return relative;
}

DiscoveredInputs discover_inputs(const std::vector<std::string>& paths, const fs::path& out_dir) {
    struct Given {
        fs::path path;
        fs::file_status status;
        std::string problem;
    };
    std::vector<Given> given;
    std::optional<fs::path> root;
    for (const std::string& g : paths) {
        fs::path p(g);
        std::error_code ec;
        fs::file_status own = fs::symlink_status(p, ec);
        const bool link = !ec && fs::is_symlink(own);
        fs::file_status st = fs::status(p, ec);
        std::string problem;
        if (ec || !fs::exists(st))
            problem = status_problem(ec ? ec : std::make_error_code(std::errc::no_such_file_or_directory), link);
        else if (!fs::is_directory(st) && !fs::is_regular_file(st))
            problem = "it is " + kind_of(st.type()) + ", not a spreadsheet file";
        given.push_back({p, st, problem});
        if (!problem.empty()) continue;
        fs::path base = fs::is_directory(st) ? clean_absolute(p) : clean_absolute(p).parent_path();
        root = root ? common_folder(*root, base) : base;
    }
    if (!root) root = clean_absolute(".");

    DiscoveredInputs out;
    std::string out_key = out_dir.empty() ? std::string() : canonical_key(out_dir);
    for (const Given& g : given) {
        if (!g.problem.empty()) {
            out.files.push_back({g.path, g.path.filename(), {}, g.problem});
            continue;
        }
        if (fs::is_directory(g.status)) {
            std::vector<InputFile> found;
            Scanner scanner(*root, out_key, found, out.skipped);
            // The output folder given as an input folder is read (its outputs may not land on
            // an input: that is refused later); met inside an input folder, it is skipped.
            scanner.walk(g.path, canonical_key(g.path));
            std::sort(found.begin(), found.end(), [](const InputFile& a, const InputFile& b) { return a.path < b.path; });
            out.files.insert(out.files.end(), found.begin(), found.end());
        } else {
            out.files.push_back({g.path, clean_absolute(g.path).lexically_relative(*root), {}, {}});
        }
    }
    // The same file twice is processed once: the first time it is met.
    std::unordered_map<std::string, std::string> seen;
    std::vector<InputFile> kept;
    for (InputFile& in : out.files) {
        if (in.problem.empty()) {
            auto [it, fresh] = seen.emplace(canonical_key(in.path), in.path.string());
            if (!fresh) {
                out.skipped.push_back({in.path.string(), "the same file as " + it->second + ", already among the inputs"});
                continue;
            }
            in.output_stem = output_name(in.relative);
        }
        kept.push_back(std::move(in));
    }
    out.files = std::move(kept);
    return out;
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
