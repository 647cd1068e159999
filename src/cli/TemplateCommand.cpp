// `planconv template -m MAPPING [--from FILE] -o OUT.xlsx`: a return workbook in a mapping's
// layout, blank or pre-filled from last quarter's XML (or last quarter's workbook).
#include "cli/CommandLine.hpp"
#include "cli/Commands.hpp"
#include "cli/Help.hpp"
#include "cli/MappingOptions.hpp"

#include "write/TemplateWriter.hpp"
#include "read/WorkbookReader.hpp"
#include "write/XlsxBook.hpp"
#include "mapping/XmlDocumentReader.hpp"
#include "mapping/Extractor.hpp"
#include "mapping/MappingLoader.hpp"

#include <boost/program_options.hpp>

#include <iostream>

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace planconv::cli {

int template_command(const std::vector<std::string>& args) {
    po::options_description opts("planconv template -m MAPPING [--from FILE.xml] -o OUT.xlsx");
    opts.add_options()
        ("help,h", "show this help")
        ("mapping,m", po::value<std::string>(), "mapping NAME or FILE whose return layout to write (required)")
        ("from", po::value<std::string>(), "the XML planconv wrote for the last return (or that return's workbook): "
                                           "ids, actions and plan details are filled in from it")
        ("out,o", po::value<std::string>(), "the template to write (.xlsx, required)")
        ("sections", po::value<int>()->default_value(1), "without --from: how many sections to lay out")
        ("rows", po::value<int>()->default_value(0), "without --from: blank rows per table (default: the mapping's)")
        ("spare-rows", po::value<int>()->default_value(2), "with --from: blank rows after each table's records");
    add_mapping_library_options(opts);
    po::variables_map vm;
    if (auto done = parse_command_line("template", args, opts, vm)) return *done;
    if (!vm.count("mapping") || !vm.count("out")) {
        std::cerr << "planconv template: name the mapping with -m and the workbook to write with -o\n";
        return kExitUsage;
    }
    int sections = vm["sections"].as<int>(), rows = vm["rows"].as<int>(), spare = vm["spare-rows"].as<int>();
    if (sections < 1 || sections > 100 || rows < 0 || rows > 1000 || spare < 0 || spare > 100) {
        std::cerr << "planconv template: --sections takes 1 to 100, --rows 0 to 1000, --spare-rows 0 to 100\n";
        return kExitUsage;
    }
    fs::path out = vm["out"].as<std::string>();
    if (out.extension() != ".xlsx") {
        std::cerr << "planconv template: the template is an .xlsx workbook; name it OUT.xlsx, not '" << out.string() << "'\n";
        return kExitUsage;
    }

    Mapping mapping;
    try {
        mapping = mapping_library(vm).load(vm["mapping"].as<std::string>());
    } catch (const MappingError& e) {
        std::cerr << "planconv: mapping error:\n" << e.what() << "\n";
        return kExitUsage;
    }
    if (!mapping.template_spec) {
        std::cerr << "planconv template: mapping '" << mapping.name
                  << "' describes no return template (it has no <template> element): it is read from registers or "
                     "ledgers rather than returned by services\n";
        return kExitUsage;
    }

    std::optional<Document> from;
    std::optional<Workbook> workbook;  // the Document of a workbook refers to it
    TemplateOptions options;
    options.sections = sections;
    options.rows = rows;
    options.spare_rows = spare;
    if (vm.count("from")) {
        fs::path file = vm["from"].as<std::string>();
        std::error_code ec;
        if (fs::exists(out, ec) && fs::equivalent(out, file, ec)) {
            std::cerr << "planconv template: writing " << out.string() << " would overwrite --from " << file.string() << "\n";
            return kExitUsage;
        }
        try {
            std::string ext = file.extension().string();
            for (char& c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
            if (ext == ".xml") {
                from = read_document_xml(file, mapping);
            } else {
                workbook = read_workbook(file);
                from = extract(*workbook, mapping);
            }
        } catch (const ReadError& e) {
            std::cerr << "planconv template: " << file.string() << ": " << e.what() << "\n";
            return kExitUnreadable;
        } catch (const MappingMismatch& e) {
            std::cerr << "planconv template: " << file.string() << ": " << e.what() << "\n";
            return kExitUnreadable;
        }
        options.made_from = file.filename().string();
    }

    try {
        if (out.has_parent_path()) fs::create_directories(out.parent_path());
        write_template(mapping, from ? &*from : nullptr, out, options);
    } catch (const TemplateError& e) {
        std::cerr << "planconv template: " << e.what() << "\n";
        return kExitUsage;
    } catch (const std::exception& e) {
        std::cerr << "planconv template: cannot write " << out.string() << ": " << e.what() << "\n";
        return kExitUsage;
    }
    return kExitOk;
}

}  // namespace planconv::cli
