// The mapping search path: the user's folders, then the shipped mappings.
#include "mapping/MappingLibrary.hpp"

#include "mapping/ClosestName.hpp"
#include "mapping/MappingLoader.hpp"

#include <algorithm>
#include <set>

namespace planconv {

namespace fs = std::filesystem;

std::vector<fs::path> MappingLibrary::search_path() const {
    std::vector<fs::path> out = folders;
    if (shipped) out.push_back(default_mappings_dir());
    return out;
}

std::vector<fs::path> MappingLibrary::files() const {
    std::vector<fs::path> out;
    std::set<std::string> names;
    for (const fs::path& dir : search_path()) {
        std::vector<fs::path> here;
        std::error_code ec;
        for (const auto& entry : fs::directory_iterator(dir, ec))
            if (entry.path().extension() == ".xml") here.push_back(entry.path());
        std::sort(here.begin(), here.end());
        for (const fs::path& f : here)
            if (names.insert(f.stem().string()).second) out.push_back(f);
    }
    return out;
}

Mapping MappingLibrary::load(const std::string& name_or_file) const {
    const fs::path given(name_or_file);
    std::error_code ec;
    // A path (it has a folder or ends in .xml) is a file; a bare name is looked up.
    const bool is_path = given.has_parent_path() || given.extension() == ".xml";
    if (!is_path)
        for (const fs::path& dir : search_path())
            if (fs::is_regular_file(dir / (name_or_file + ".xml"), ec)) return load_mapping(dir / (name_or_file + ".xml"), dir);
    if (is_path || fs::is_regular_file(given, ec)) {
        const fs::path dir = folders.empty() ? default_mappings_dir() : folders.front();
        return load_mapping(given, dir);
    }
    std::string where;
    for (const fs::path& dir : search_path()) where += (where.empty() ? "" : ", ") + dir.string();
    std::vector<std::string> names;
    for (const fs::path& f : files()) names.push_back(f.stem().string());
    std::string hint = did_you_mean(name_or_file, names);
    hint += (hint.empty() ? "" : " ") + std::string("`planconv mappings list` shows the names; or give the path of a mapping file");
    throw MappingError(name_or_file, {{0, "there is no mapping named '" + name_or_file + "' (looked in " + where + ")", hint}});
}

Mapping load_mapping_by_name_or_file(const std::string& name_or_file, const std::filesystem::path& mappings_dir) {
    return MappingLibrary{{mappings_dir}, false}.load(name_or_file);
}

std::vector<Mapping> MappingLibrary::load_all() const {
    std::vector<Mapping> out;
    std::set<std::string> names;
    for (const fs::path& f : files()) {
        Mapping m = load_mapping(f, f.parent_path());
        // The name inside the file counts too: an earlier folder's mapping hides a later one's.
        if (names.insert(m.name).second) out.push_back(std::move(m));
    }
    std::sort(out.begin(), out.end(), [](const Mapping& a, const Mapping& b) { return a.name < b.name; });
    return out;
}

}  // namespace planconv
