// `planconv inspect`: what a workbook holds, as planconv reads it.
#include "cli/Commands.hpp"

#include "io/WorkbookReader.hpp"

#include <boost/program_options.hpp>

#include <iostream>

namespace po = boost::program_options;

namespace planconv::cli {

namespace {

// Tabs, line breaks and backslashes escaped so one cell is one line.
std::string escape_cell_text(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
        case '\t': out += "\\t"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\\': out += "\\\\"; break;
        default: out += c;
        }
    }
    return out;
}

void print_cells(const Workbook& wb, std::ostream& out) {
    std::string line;
    for (const Sheet& sheet : wb.sheets) {
        for (const Cell& c : sheet.cells()) {
            if (c.type == CellType::Empty) continue;
            if (c.type == CellType::String && wb.text(c).empty()) continue;
            line.clear();
            line += sheet.name;
            line += '\t';
            line += c.ref().a1();
            line += '\t';
            line += to_string(c.type);
            line += '\t';
            line += escape_cell_text(display_value(wb, c));
            line += '\n';
            out << line;
        }
    }
}

// A row is header-like when it holds three or more short text cells and no numbers.
bool header_like(const Workbook& wb, std::span<const Cell> row) {
    int texts = 0;
    for (const Cell& c : row) {
        if (c.type == CellType::String) {
            if (wb.text(c).size() <= 80) ++texts;
        } else if (c.type != CellType::Empty) {
            return false;
        }
    }
    return texts >= 3;
}

void print_summary(const Workbook& wb, std::ostream& out) {
    out << "file: " << wb.source << "\nformat: " << wb.format_name << "\nsheets: " << wb.sheets.size() << "\n";
    for (const Sheet& sheet : wb.sheets) {
        auto used = sheet.used_range();
        out << "\nsheet '" << sheet.name << "'";
        if (sheet.visibility != SheetVisibility::Visible) out << " (" << to_string(sheet.visibility) << ")";
        out << "\n  used range: " << (used ? used->a1() : std::string("(empty)")) << "\n  cells: " << sheet.cells().size()
            << "\n";
        if (!sheet.merged.empty()) {
            out << "  merged ranges (" << sheet.merged.size() << "):";
            std::size_t shown = 0;
            for (const CellRange& m : sheet.merged) {
                if (shown++ == 20) {
                    out << " …";
                    break;
                }
                out << " " << m.a1();
            }
            out << "\n";
        }
        int shown_headers = 0;
        for (std::uint32_t r = 0; r < sheet.row_count() && shown_headers < 5; ++r) {
            auto row = sheet.row(r);
            if (!header_like(wb, row)) continue;
            if (shown_headers++ == 0) out << "  header-like rows:\n";
            out << "    row " << r + 1 << ":";
            for (const Cell& c : row) out << " [" << c.ref().a1() << "] " << escape_cell_text(wb.text(c)) << " |";
            out << "\n";
        }
    }
}

}  // namespace

int inspect_command(const std::vector<std::string>& args) {
    po::options_description opts("planconv inspect [--cells] FILE");
    opts.add_options()
        ("help,h", "show this help")
        ("cells", "print every non-empty cell as sheet<TAB>A1<TAB>type<TAB>value");
    po::options_description hidden;
    hidden.add_options()("file", po::value<std::string>(), "the workbook");
    po::options_description all;
    all.add(opts).add(hidden);
    po::positional_options_description pos;
    pos.add("file", 1);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        std::cerr << "planconv inspect: " << e.what() << "\n" << opts;
        return kExitUsage;
    }
    if (vm.count("help")) {
        std::cout << opts;
        return kExitOk;
    }
    if (!vm.count("file")) {
        std::cerr << "planconv inspect: name the workbook to inspect\n" << opts;
        return kExitUsage;
    }
    const std::string file = vm["file"].as<std::string>();
    Workbook wb;
    try {
        wb = read_workbook(file);
    } catch (const ReadError& e) {
        std::cerr << "planconv: " << file << ": " << e.what() << "\n";
        return kExitUnreadable;
    }
    std::ios::sync_with_stdio(false);
    if (vm.count("cells"))
        print_cells(wb, std::cout);
    else
        print_summary(wb, std::cout);
    std::cout.flush();
    return kExitOk;
}

}  // namespace planconv::cli
