// MappingLibrary: where a run finds its mappings. The user's folders (`--mappings-dir DIR`,
// repeatable) come first and the shipped mappings after them, so a folder holding only a new
// risk-register mapping adds that layout without losing the six shipped ones; a mapping in a
// user folder with a shipped mapping's name replaces it (the folder's is the one used).
// `--no-shipped-mappings` leaves only the user's folders.
#pragma once

#include "mapping/Mapping.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace planconv {

struct MappingLibrary {
    std::vector<std::filesystem::path> folders;  // the user's, searched in order
    bool shipped = true;                         // then the shipped mappings (default_mappings_dir())

    // Every folder searched, in order.
    std::vector<std::filesystem::path> search_path() const;

    // NAME (the first FOLDER/NAME.xml on the search path) or a path to a mapping file.
    // Throws MappingError, naming the folders searched when NAME is found nowhere.
    Mapping load(const std::string& name_or_file) const;

    // Every mapping on the search path, sorted by name; a name found in an earlier folder hides
    // the same name further on. Throws MappingError for the first broken file.
    std::vector<Mapping> load_all() const;

    // Every mapping file on the search path with the folder it came from, hidden ones left out
    // (for `mappings list`, which names broken files instead of stopping at the first).
    std::vector<std::filesystem::path> files() const;
};

}  // namespace planconv
