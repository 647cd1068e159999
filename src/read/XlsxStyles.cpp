// Number formats of the cell formats in xl/styles.xml.
#include "read/XlsxStyles.hpp"

#include "read/XlsxPackage.hpp"

#include <array>
#include <charconv>
#include <string_view>
#include <unordered_map>

namespace planconv {

namespace {

std::uint32_t parse_id(std::string_view s) {
    std::uint32_t id = 0;
    std::from_chars(s.data(), s.data() + s.size(), id);
    return id;
}

// Workbook::formats entries and their kinds, each code classified and stored once.
class FormatTable {
public:
    explicit FormatTable(Workbook& wb) : wb_(wb) {
        for (std::uint32_t i = 0; i < wb_.formats.size(); ++i) known_.emplace(wb_.formats[i], i);
    }
    XlsxCellFormat style_for(const std::string& code) {
        auto [it, added] = known_.emplace(code, std::uint32_t(wb_.formats.size()));
        if (added) wb_.formats.push_back(code);
        return {it->second, classify_number_format(code)};
    }

private:
    Workbook& wb_;
    std::unordered_map<std::string, std::uint32_t> known_;
};

}  // namespace

XlsxStyles read_styles(ZipArchive& zip, const std::string& part_name, Workbook& wb) {
    const ReadLimits& limits = zip.limits();
    XmlPart part(zip, part_name, limits.max_string_bytes);
    XmlStream& xml = part.xml();
    if (part.root() != "styleSheet") xml.fail("part '" + part_name + "' is not a styles part");

    std::unordered_map<std::uint32_t, std::string> custom;  // numFmtId -> formatCode
    std::vector<std::uint32_t> xf_format_ids;
    static constexpr std::array<std::string_view, 2> kNumFmt{"numFmtId", "formatCode"};
    std::array<std::string_view, 2> v;
    // Only numFmts and cellXfs directly under styleSheet: <dxfs> and <cellStyleXfs> hold
    // elements of the same names that do not apply to cells.
    enum class Section { Other, NumFmts, CellXfs } section = Section::Other;
    while (xml.next()) {
        if (xml.node() != XmlStream::Node::Element) continue;
        const int depth = xml.depth();
        if (depth == 1) {
            std::string_view name = xml.local_name();
            section = name == "numFmts" ? Section::NumFmts : name == "cellXfs" ? Section::CellXfs : Section::Other;
            if (section == Section::Other) xml.skip();
            continue;
        }
        if (depth != 2) continue;
        if (section == Section::NumFmts && xml.local_name() == "numFmt") {
            xml.attributes(kNumFmt, v);
            custom[parse_id(v[0])] = std::string(v[1]);
        } else if (section == Section::CellXfs && xml.local_name() == "xf") {
            xml.attributes(std::span(kNumFmt).first(1), std::span(v).first(1));
            xf_format_ids.push_back(parse_id(v[0]));
            if (xf_format_ids.size() > limits.max_cell_styles)
                xml.fail("part '" + part_name + "' defines more than " + std::to_string(limits.max_cell_styles) +
                         " cell formats, more than the limit");
        }
        if (custom.size() > limits.max_cell_styles)
            xml.fail("part '" + part_name + "' defines more than " + std::to_string(limits.max_cell_styles) +
                     " number formats, more than the limit");
    }

    XlsxStyles styles;
    FormatTable formats(wb);
    styles.general_ = formats.style_for("General");
    std::unordered_map<std::uint32_t, XlsxCellFormat> by_id;
    styles.styles_.reserve(xf_format_ids.size());
    for (std::uint32_t id : xf_format_ids) {
        auto known = by_id.find(id);
        if (known == by_id.end()) {
            // A custom code may redefine a built-in id; an unknown built-in id shows as General.
            auto c = custom.find(id);
            std::string code = c != custom.end() ? c->second : std::string(builtin_number_format(id));
            known = by_id.emplace(id, formats.style_for(code.empty() ? "General" : code)).first;
        }
        styles.styles_.push_back(known->second);
    }
    return styles;
}

}  // namespace planconv
