// The xlsx reader (Office Open XML SpreadsheetML, transitional and strict).
//
// Follows the package's relationships from `_rels/.rels` to the workbook part, reads the sheet
// list and the date system there, then the styles and shared strings the workbook's own
// relationships name, then each worksheet in workbook order. Each part has its own file:
// XlsxPackage (relationships), XlsxStyles, XlsxSharedStrings, XlsxWorksheet.
#include "read/WorkbookReader.hpp"

#include "read/XlsxPackage.hpp"
#include "read/XlsxSharedStrings.hpp"
#include "read/XlsxStyles.hpp"
#include "read/XlsxWorksheet.hpp"

#include <array>
#include <exception>
#include <future>
#include <iterator>
#include <system_error>

namespace planconv {

namespace {

// A <sheet> of the workbook part.
struct SheetEntry {
    std::string name;
    SheetVisibility visibility = SheetVisibility::Visible;
    std::string relationship;  // r:id
};

struct WorkbookPart {
    bool date1904 = false;
    std::vector<SheetEntry> sheets;
};

// A shared-strings part this large (inflated) is worth a thread of its own.
constexpr std::uint64_t kReadBesideBytes = 1u << 20;

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// The main part of the package, which for a spreadsheet is the workbook.
std::string find_workbook_part(ZipArchive& zip) {
    auto package = read_relationships(zip, "");
    const Relationship* main = find_by_kind(package, "officeDocument");
    if (!main)
        throw ReadError("it is a zip file but not an Excel workbook (it has no " +
                        std::string(package.empty() ? "_rels/.rels part" : "main document in _rels/.rels") + ")");
    if (ends_with(main->target, ".bin"))
        throw ReadError("it is an Excel binary workbook (.xlsb), which planconv cannot read; open it in Excel and save it as .xlsx");
    if (!zip.has(main->target))
        throw ReadError("the workbook part '" + main->target + "' is missing from the zip container (the file is damaged)");
    return main->target;
}

[[noreturn]] void not_a_workbook(std::string_view root, const std::string& part) {
    if (root == "document") throw ReadError("it is a Word document, not a spreadsheet");
    if (root == "presentation") throw ReadError("it is a PowerPoint presentation, not a spreadsheet");
    throw ReadError("its main part '" + part + "' is not an Excel workbook");
}

SheetVisibility visibility(std::string_view state) {
    if (state == "hidden") return SheetVisibility::Hidden;
    if (state == "veryHidden") return SheetVisibility::VeryHidden;
    return SheetVisibility::Visible;
}

WorkbookPart read_workbook_part(ZipArchive& zip, const std::string& part_name) {
    const ReadLimits& limits = zip.limits();
    XmlPart part(zip, part_name, limits.max_string_bytes);
    XmlStream& xml = part.xml();
    std::string_view root = part.root();
    if (root != "workbook" || !part.in_spreadsheet_namespace()) not_a_workbook(root, part_name);

    WorkbookPart wb;
    static constexpr std::array<std::string_view, 3> kSheet{"name", "state", "id"};  // id: r:id
    static constexpr std::array<std::string_view, 1> kPr{"date1904"};
    std::array<std::string_view, 3> v;
    while (xml.next()) {
        if (xml.node() != XmlStream::Node::Element) continue;
        if (xml.depth() == 1 && xml.local_name() == "workbookPr") {
            xml.attributes(kPr, std::span(v).first(1));
            wb.date1904 = xml_true(v[0]);
        } else if (xml.depth() == 2 && xml.local_name() == "sheet") {
            xml.attributes(kSheet, v);
            wb.sheets.push_back({std::string(v[0]), visibility(v[1]), std::string(v[2])});
            if (wb.sheets.size() > limits.max_sheets)
                throw ReadError("the workbook has more than " + grouped(limits.max_sheets) + " sheets, more than the limit");
        }
    }
    return wb;
}

}  // namespace

Workbook read_xlsx(const std::filesystem::path& file, const ReadLimits& limits) {
    ZipArchive zip(file, limits);
    Workbook wb;
    wb.source = file.string();
    wb.format_name = "xlsx";

    const std::string workbook_part = find_workbook_part(zip);
    const WorkbookPart book = read_workbook_part(zip, workbook_part);
    const auto rels = read_relationships(zip, workbook_part);

    XlsxStyles styles;
    if (const Relationship* r = find_by_kind(rels, "styles"); r && zip.has(r->target))
        styles = read_styles(zip, r->target, wb);

    // A large shared-strings table is read on a second core while the sheets are read here;
    // the sheets' string cells are settled once both are done.
    StringPool shared_texts;
    std::unique_ptr<ZipArchive> beside;
    std::future<std::uint32_t> shared_read;
    if (const Relationship* r = find_by_kind(rels, "sharedStrings"); r && zip.has(r->target)) {
        if (zip.declared_size(r->target) >= kReadBesideBytes) {
            beside = zip.reopen_for(r->target);
            try {
                shared_read = std::async(std::launch::async, [&beside, &shared_texts, part = r->target] {
                    return read_shared_strings(*beside, part, shared_texts);
                });
            } catch (const std::system_error&) {
                beside.reset();  // no thread to be had: read it here first
            }
        }
        if (!shared_read.valid()) read_shared_strings(zip, r->target, shared_texts);
    }

    std::vector<SharedStringCells> shared_cells;
    std::exception_ptr sheet_failure;
    try {
        std::uint64_t cells_read = 0;
        WorksheetContext ctx{styles, book.date1904, cells_read};
        for (const SheetEntry& entry : book.sheets) {
            const Relationship* rel = find_by_id(rels, entry.relationship);
            if (!rel)
                throw ReadError("sheet '" + entry.name + "' is listed in the workbook but has no part (the file is damaged)");
            // Chart sheets, dialog sheets and Excel 4 macro sheets hold no cells to read.
            if (rel->kind != "worksheet") continue;
            if (!zip.has(rel->target))
                throw ReadError("sheet '" + entry.name + "': its part '" + rel->target +
                                "' is missing from the zip container (the file is damaged)");
            Sheet& sheet = wb.sheets.emplace_back();
            sheet.name = entry.name;
            sheet.visibility = entry.visibility;
            shared_cells.push_back(read_worksheet(zip, rel->target, sheet, wb, ctx));
        }
    } catch (...) {
        sheet_failure = std::current_exception();
    }
    // The table's own fault first, as when it is read before the sheets.
    if (shared_read.valid()) shared_read.get();
    if (sheet_failure) std::rethrow_exception(sheet_failure);

    StringPool& pool = wb.strings();
    const SharedStrings shared{std::uint32_t(pool.size()), std::uint32_t(shared_texts.size())};
    pool.reserve(pool.size() + shared_texts.size());
    std::move(shared_texts.begin(), shared_texts.end(), std::back_inserter(pool));
    StringPool().swap(shared_texts);
    for (std::size_t i = 0; i < wb.sheets.size(); ++i) finish_worksheet(wb.sheets[i], shared_cells[i], shared, wb);
    return wb;
}

}  // namespace planconv
