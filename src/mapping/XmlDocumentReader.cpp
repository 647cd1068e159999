// XmlDocumentReader: a pull parse of planconv's document XML into a Document; see the header.
#include "mapping/XmlDocumentReader.hpp"

#include "model/DocumentXmlNames.hpp"
#include "read/WorkbookReader.hpp"
#include "read/XmlStream.hpp"
#include "read/ZipArchive.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <unordered_map>

namespace planconv {

namespace names = xml_names;

namespace {

// The file's bytes for XmlStream, with a cap on how many.
class FileSource : public ByteSource {
public:
    FileSource(const std::filesystem::path& file, std::uint64_t max_bytes) : in_(file, std::ios::binary), max_(max_bytes) {
        if (!in_) throw ReadError("the XML file cannot be opened");
    }
    std::size_t read(char* buffer, std::size_t size) override {
        in_.read(buffer, std::streamsize(size));
        auto n = std::size_t(in_.gcount());
        total_ += n;
        if (total_ > max_) throw ReadError("the XML file is larger than planconv reads (" + grouped(max_) + " bytes)");
        return n;
    }

private:
    std::ifstream in_;
    std::uint64_t max_;
    std::uint64_t total_ = 0;
};

// "Portfolio Plan 2016-17!A8" -> sheet and cell (the sheet name may itself hold '!').
SourceRef source_ref(std::string_view src) {
    SourceRef ref;
    auto bang = src.rfind('!');
    if (bang == std::string_view::npos) return ref;
    ref.sheet = std::string(src.substr(0, bang));
    if (auto c = CellRef::parse(src.substr(bang + 1))) ref.cell = *c;
    return ref;
}

bool text_like(FieldType t) {
    return t == FieldType::Text || t == FieldType::RichText || t == FieldType::Id || t == FieldType::Enum;
}

bool figure_type(FieldType t) {
    return t == FieldType::Integer || t == FieldType::Number || t == FieldType::Money || t == FieldType::Percent ||
           t == FieldType::Quantity;
}

RecordKind kind_from(std::string_view k) {
    if (k == "note") return RecordKind::Note;
    if (k == "total") return RecordKind::Total;
    if (k == "group") return RecordKind::Group;
    return RecordKind::Record;
}

class Reader {
public:
    Reader(XmlStream& x, const Mapping& m) : x_(x), m_(m) {
        for (std::size_t ti = 0; ti < m_.tables.size(); ++ti) {
            const TableSpec& t = m_.tables[ti];
            table_by_element_.emplace(t.element, ti);
            auto& fields = field_by_element_.emplace_back();
            for (std::size_t ci = 0; ci < t.columns.size(); ++ci) fields.emplace(t.columns[ci].element, ci);
        }
    }

    Document read() {
        Document doc;
        doc.mapping = &m_;
        doc.tables.resize(m_.tables.size());
        for (std::size_t i = 0; i < m_.tables.size(); ++i) doc.tables[i].spec = &m_.tables[i];
        while (x_.next() && x_.node() != XmlStream::Node::Element) {}
        if (x_.node() != XmlStream::Node::Element) throw ReadError("the XML file holds no document");
        std::string written_by = x_.attribute(names::kMapping);
        if (!written_by.empty() && written_by != m_.name)
            throw ReadError("the XML was written with the mapping '" + written_by + "', not '" + m_.name + "'; use -m " + written_by);
        if (x_.local_name() != m_.root_element)
            throw ReadError("the XML's root element is <" + std::string(x_.local_name()) + ">, not the <" + m_.root_element +
                            "> of mapping '" + m_.name + "'");
        doc.source = x_.attribute(names::kSource);
        if (x_.is_empty_element()) return doc;
        int depth = x_.depth();
        while (x_.next()) {
            if (x_.node() == XmlStream::Node::EndElement && x_.depth() == depth) break;
            if (x_.node() != XmlStream::Node::Element) continue;
            std::string name(x_.local_name());
            if (name == names::kFacts)
                facts(doc);
            else if (name == names::kHeaders)
                headers(doc);
            else if (m_.sections.kind != SectionSpec::Kind::None && name == m_.sections.element)
                section(doc);
            else if (auto it = table_by_element_.find(name); it != table_by_element_.end())
                doc.tables[it->second].records.push_back(record(it->second, ""));
            else
                x_.skip();
        }
        return doc;
    }

private:
    void facts(Document& doc) {
        if (x_.is_empty_element()) return;
        int depth = x_.depth();
        while (x_.next()) {
            if (x_.node() == XmlStream::Node::EndElement && x_.depth() == depth) break;
            if (x_.node() != XmlStream::Node::Element) continue;
            Fact f;
            f.name = std::string(x_.local_name());
            f.where = source_ref(x_.attribute(names::kSrc));
            std::string raw = x_.attribute(names::kRaw);
            std::string text = x_.text_content();
            f.raw = raw.empty() ? text : raw;
            doc.facts.push_back(std::move(f));
        }
    }

    // <headers record>: a table's header texts and cells. A table given twice keeps its first
    // (as the Extractor keeps a table's first header); unknown records and fields are skipped.
    void headers(Document& doc) {
        auto it = table_by_element_.find(x_.attribute(names::kRecord));
        if (it == table_by_element_.end() || !doc.tables[it->second].header_texts.empty()) {
            x_.skip();
            return;
        }
        const std::size_t ti = it->second;
        TableRecords& tr = doc.tables[ti];
        tr.header_texts.assign(m_.tables[ti].columns.size(), std::string());
        tr.header_cells.assign(m_.tables[ti].columns.size(), SourceRef{});
        if (x_.is_empty_element()) return;
        int depth = x_.depth();
        while (x_.next()) {
            if (x_.node() == XmlStream::Node::EndElement && x_.depth() == depth) break;
            if (x_.node() != XmlStream::Node::Element) continue;
            auto field = field_by_element_[ti].find(x_.attribute(names::kField));
            if (x_.local_name() != names::kHeader || field == field_by_element_[ti].end()) {
                x_.skip();
                continue;
            }
            // A src that names no cell leaves the header's cell unknown rather than at A1.
            std::string src = x_.attribute(names::kSrc);
            auto bang = src.rfind('!');
            if (bang != std::string::npos && bang > 0 && CellRef::parse(std::string_view(src).substr(bang + 1)))
                tr.header_cells[field->second] = source_ref(src);
            tr.header_texts[field->second] = x_.text_content();
        }
    }

    void section(Document& doc) {
        Section s;
        s.id = x_.attribute(names::kId);
        s.title = x_.attribute(names::kTitle);
        s.where = source_ref(x_.attribute(names::kSrc));
        doc.sections.push_back(s);
        std::size_t index = doc.sections.size() - 1;
        if (x_.is_empty_element()) return;
        int depth = x_.depth();
        while (x_.next()) {
            if (x_.node() == XmlStream::Node::EndElement && x_.depth() == depth) break;
            if (x_.node() != XmlStream::Node::Element) continue;
            std::string name(x_.local_name());
            if (name == names::kClaim)
                doc.sections[index].claims.push_back(claim());
            else if (auto it = table_by_element_.find(name); it != table_by_element_.end())
                doc.tables[it->second].records.push_back(record(it->second, doc.sections[index].id));
            else
                x_.skip();
        }
    }

    Claim claim() {
        Claim c;
        c.name = x_.attribute(names::kName);
        c.where = source_ref(x_.attribute(names::kSrc));
        if (x_.is_empty_element()) return c;
        int depth = x_.depth();
        while (x_.next()) {
            if (x_.node() == XmlStream::Node::EndElement && x_.depth() == depth) break;
            if (x_.node() != XmlStream::Node::Element) continue;
            if (x_.local_name() == names::kClaimText) {
                c.text = x_.text_content();
            } else if (x_.local_name() == names::kClaimPart) {
                std::string part = x_.attribute(names::kName);
                c.parts[part] = x_.text_content();
            } else {
                x_.skip();
            }
        }
        return c;
    }

    Record record(std::size_t ti, const std::string& section) {
        const TableSpec& t = m_.tables[ti];
        Record r;
        r.values.resize(t.columns.size());
        SourceRef src = source_ref(x_.attribute(names::kSrc));
        r.sheet = src.sheet;
        r.first_row = r.last_row = src.cell.row;
        r.kind = kind_from(x_.attribute(names::kKind));
        std::string own_section = x_.attribute(names::kSection);
        r.section = own_section.empty() ? section : own_section;
        r.group = x_.attribute(names::kGroup);
        if (x_.is_empty_element()) return r;
        int depth = x_.depth();
        while (x_.next()) {
            if (x_.node() == XmlStream::Node::EndElement && x_.depth() == depth) break;
            if (x_.node() != XmlStream::Node::Element) continue;
            std::string name(x_.local_name());
            if (t.subrecords && name == t.subrecords->element) {
                r.subrecords.push_back(subrecord(ti, r));
            } else if (auto it = field_by_element_[ti].find(name); it != field_by_element_[ti].end()) {
                r.values[it->second] = field(t.columns[it->second]);
            } else {
                x_.skip();
            }
        }
        return r;
    }

    Record subrecord(std::size_t ti, const Record& parent) {
        const TableSpec& t = m_.tables[ti];
        Record sub;
        sub.values.resize(t.columns.size());
        sub.group = x_.attribute(names::kId);
        SourceRef src = source_ref(x_.attribute(names::kSrc));
        sub.sheet = src.sheet.empty() ? parent.sheet : src.sheet;
        sub.first_row = sub.last_row = src.cell.row;
        sub.section = parent.section;
        if (x_.is_empty_element()) return sub;
        int depth = x_.depth();
        while (x_.next()) {
            if (x_.node() == XmlStream::Node::EndElement && x_.depth() == depth) break;
            if (x_.node() != XmlStream::Node::Element) continue;
            if (auto it = field_by_element_[ti].find(std::string(x_.local_name())); it != field_by_element_[ti].end())
                sub.values[it->second] = field(t.columns[it->second]);
            else
                x_.skip();
        }
        return sub;
    }

    FieldValue field(const ColumnSpec& column) {
        FieldValue v;
        v.present = true;
        v.cell = source_ref(x_.attribute(names::kSrc)).cell;
        v.inherited = x_.attribute(names::kInherited) == "true";
        bool parsed = x_.attribute(names::kParsed) != "false";
        std::string raw = x_.attribute(names::kRaw);
        std::string text = x_.text_content();
        v.set_raw((text_like(column.type) && parsed) || raw.empty() ? text : raw);
        // A number cell comes back as the number the workbook held, so that rules comparing
        // figures (PREV-RESTATED) read it as they read the workbook. A percentage cell keeps its
        // number as raw= (0.75) and its percentage as the text ("75%"); a figure column's other
        // numbers keep their display text (XML of planconv before 2026-12 may show 200000 as
        // "2e+05", which is a plain number only as a number, not as text).
        const std::string& shown_raw = v.raw();
        if (!text_like(column.type) && !shown_raw.empty()) {
            std::string_view shown = text;
            while (!shown.empty() && std::isspace(static_cast<unsigned char>(shown.back()))) shown.remove_suffix(1);
            double number = 0;
            auto [end, error] = std::from_chars(shown_raw.data(), shown_raw.data() + shown_raw.size(), number);
            bool whole = error == std::errc() && end == shown_raw.data() + shown_raw.size() && std::isfinite(number);
            if (whole && (shown.ends_with('%') || figure_type(column.type))) {
                v.cell_type = CellType::Number;
                v.number = number;
                v.percent_format = shown.ends_with('%');
            }
        }
        return v;
    }

    XmlStream& x_;
    const Mapping& m_;
    std::unordered_map<std::string, std::size_t> table_by_element_;
    std::vector<std::unordered_map<std::string, std::size_t>> field_by_element_;
};

}  // namespace

Document read_document_xml(const std::filesystem::path& file, const Mapping& mapping, std::uint64_t max_bytes) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) throw ReadError("the XML file does not exist");
    FileSource source(file, max_bytes);
    XmlStream x(source, file.filename().string(), 1u << 20);
    return Reader(x, mapping).read();
}

}  // namespace planconv
