// Loading mapping files: schema validation (mappings/mapping.xsd), then the checks of meaning
// that a schema cannot express, each reported with the mapping file's line and a fix hint.
#pragma once

#include "mapping/Mapping.hpp"

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace planconv {

struct MappingDiagnostic {
    int line = 0;
    std::string message;
    std::string hint;  // how to fix it, when there is something useful to say
};

// A mapping that cannot be used; diagnostics() lists every problem found.
class MappingError : public std::runtime_error {
public:
    MappingError(std::string file, std::vector<MappingDiagnostic> diagnostics);
    const std::string& file() const { return file_; }
    const std::vector<MappingDiagnostic>& diagnostics() const { return diagnostics_; }

private:
    std::string file_;
    std::vector<MappingDiagnostic> diagnostics_;
};

// Where named mappings live: an explicit folder, else next to an installed binary
// (../share/planconv/mappings), else the source tree's mappings/ for an uninstalled build.
std::filesystem::path default_mappings_dir();
std::filesystem::path schema_path(const std::filesystem::path& mappings_dir);

// Loads and checks a mapping file. Throws MappingError.
Mapping load_mapping(const std::filesystem::path& file, const std::filesystem::path& mappings_dir);

// NAME (looked up as DIR/NAME.xml) or a path to a file: MappingLibrary with DIR alone.
Mapping load_mapping_by_name_or_file(const std::string& name_or_file, const std::filesystem::path& mappings_dir);

// Every mapping in the folder, sorted by name. Throws MappingError for the first broken one.
std::vector<Mapping> load_all_mappings(const std::filesystem::path& mappings_dir);

// The rule ids planconv implements (SPEC §8 and its additions), for checking mapping files.
const std::vector<std::string>& known_rule_ids();

}  // namespace planconv
