// Shared by the writer tests: a sample return read and mapped, and a scratch folder per test
// binary run for the files they write.
#pragma once

#include "read/WorkbookReader.hpp"
#include "read/XmlStream.hpp"
#include "mapping/Extractor.hpp"
#include "mapping/MappingLoader.hpp"

#include <unistd.h>

#include <filesystem>
#include <string>

namespace planconv::test {

inline const std::filesystem::path kSamples = PLANCONV_SAMPLES_DIR;
inline const std::filesystem::path kMappings = PLANCONV_SOURCE_MAPPINGS;

// A sample read and mapped, kept together (the Document points into both).
struct Sample {
    Mapping mapping;
    Workbook workbook;
    Document doc;

    Sample(const std::string& file, const std::string& mapping_name)
        : mapping(load_mapping_by_name_or_file(mapping_name, kMappings)), workbook(read_workbook(kSamples / file)),
          doc(extract(workbook, mapping)) {
        init_xml_library();
    }
};

// This run's scratch folder, removed when the tests end.
struct ScratchFolder {
    std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("planconv-unit-" + std::to_string(::getpid()));
    ~ScratchFolder() {
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
};
inline const ScratchFolder kScratch;

// A path in the scratch folder (created on first use).
inline std::filesystem::path scratch(const std::string& name) {
    std::filesystem::create_directories(kScratch.dir);
    return kScratch.dir / name;
}

}  // namespace planconv::test
