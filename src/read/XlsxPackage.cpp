// Relationship parts and streaming XML parts of an OPC package.
#include "read/XlsxPackage.hpp"

#include <array>

namespace planconv {

namespace {

constexpr std::string_view kSpreadsheetMainTransitional = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
constexpr std::string_view kSpreadsheetMainStrict = "http://purl.oclc.org/ooxml/spreadsheetml/main";

// Relationship targets are URIs: "sheet%201.xml" names the part "sheet 1.xml".
std::string percent_decode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
            out += char(hex(s[i + 1]) * 16 + hex(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::string_view last_segment(std::string_view uri) {
    auto slash = uri.rfind('/');
    return slash == std::string_view::npos ? uri : uri.substr(slash + 1);
}

}  // namespace

bool xml_true(std::string_view v) { return v == "1" || v == "true"; }

std::string relationships_part_for(std::string_view part) {
    auto slash = part.rfind('/');
    if (slash == std::string_view::npos) return "_rels/" + std::string(part) + ".rels";
    return std::string(part.substr(0, slash + 1)) + "_rels/" + std::string(part.substr(slash + 1)) + ".rels";
}

std::vector<Relationship> read_relationships(ZipArchive& zip, std::string_view source_part) {
    std::vector<Relationship> rels;
    std::string rels_part = relationships_part_for(source_part);
    if (!zip.has(rels_part)) return rels;
    XmlPart part(zip, rels_part, zip.limits().max_string_bytes);
    XmlStream& xml = part.xml();
    part.root();
    static constexpr std::array<std::string_view, 4> kNames{"Id", "Type", "Target", "TargetMode"};
    std::array<std::string_view, 4> v;
    while (xml.next()) {
        if (!xml.is_element("Relationship")) continue;
        xml.attributes(kNames, v);
        if (v[3] == "External" || v[2].empty()) continue;
        std::string owner = source_part.empty() ? std::string() : std::string(source_part);
        rels.push_back({std::string(v[0]), std::string(last_segment(v[1])),
                        resolve_part_path(owner, percent_decode(v[2]))});
        if (rels.size() > zip.limits().max_parts)
            xml.fail("part '" + rels_part + "' lists more relationships than the package can hold parts");
    }
    return rels;
}

const Relationship* find_by_kind(const std::vector<Relationship>& rels, std::string_view kind) {
    for (const Relationship& r : rels)
        if (r.kind == kind) return &r;
    return nullptr;
}

const Relationship* find_by_id(const std::vector<Relationship>& rels, std::string_view id) {
    for (const Relationship& r : rels)
        if (r.id == id) return &r;
    return nullptr;
}

XmlPart::XmlPart(ZipArchive& zip, const std::string& part, std::uint64_t max_text_bytes)
    : entry_(zip.open(part)), xml_(*entry_, part, max_text_bytes) {}

std::string_view XmlPart::root() {
    while (xml_.next())
        if (xml_.node() == XmlStream::Node::Element) return xml_.local_name();
    xml_.fail("part '" + xml_.part() + "' is empty (it has no XML element)");
}

bool XmlPart::in_spreadsheet_namespace() const {
    std::string_view ns = xml_.namespace_uri();
    return ns == kSpreadsheetMainTransitional || ns == kSpreadsheetMainStrict;
}

}  // namespace planconv
