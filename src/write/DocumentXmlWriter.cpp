// DocumentXmlWriter: walks a Document in mapping order and writes it with XmlTextOutput.
#include "write/DocumentXmlWriter.hpp"

#include "files/AtomicFile.hpp"
#include "model/DocumentXmlNames.hpp"
#include "write/XmlTextOutput.hpp"
#include "mapping/FieldTyper.hpp"
#include "mapping/Mapping.hpp"
#include "mapping/PlanDates.hpp"
#include "model/Workbook.hpp"
#include "parse/NumberWords.hpp"
#include "parse/Text.hpp"

#include <set>
#include <unordered_map>

namespace planconv {

namespace names = xml_names;

namespace {

// Records of each table, split by the section they belong to (mapping order within each).
struct RecordPlacement {
    // [section index][table index] -> records; the last "section" holds those outside any.
    std::vector<std::vector<std::vector<const Record*>>> by_section;

    explicit RecordPlacement(const Document& doc) : by_section(doc.sections.size() + 1, std::vector<std::vector<const Record*>>(doc.tables.size())) {
        // A section id that repeats keeps its first section: records name sections by id only.
        std::unordered_map<std::string, std::size_t> index;
        for (std::size_t s = 0; s < doc.sections.size(); ++s) index.emplace(doc.sections[s].id, s);
        for (std::size_t t = 0; t < doc.tables.size(); ++t)
            for (const Record& r : doc.tables[t].records) {
                auto it = r.section.empty() ? index.end() : index.find(r.section);
                by_section[it == index.end() ? doc.sections.size() : it->second][t].push_back(&r);
            }
    }
    const std::vector<std::vector<const Record*>>& outside() const { return by_section.back(); }
};

// The cell a record is traced to: its first cell that holds a value on its own row.
SourceRef record_src(const Record& r) {
    for (const FieldValue& v : r.values)
        if (v.present && !v.inherited) return {r.sheet, v.cell};
    return r.src();
}

class Writer {
public:
    Writer(const Document& doc, const XmlWriteOptions& options, XmlTextOutput& out)
        : doc_(doc), mapping_(*doc.mapping), options_(options), out_(out), dates_(plan_dates(doc)),
          typer_(typing_context(dates_)) {}

    void write() {
        out_.start(mapping_.root_element);
        root_attributes();
        facts();
        headers();
        RecordPlacement placement(doc_);
        for (std::size_t s = 0; s < doc_.sections.size(); ++s) section(doc_.sections[s], placement.by_section[s]);
        records(placement.outside());
        out_.end();
    }

private:
    void root_attributes() {
        out_.attribute(names::kMapping, mapping_.name);
        std::string source = options_.source.empty() ? std::filesystem::path(doc_.source).filename().string() : options_.source;
        out_.attribute(names::kSource, source);
        std::optional<Date> as_of = options_.as_of ? options_.as_of : dates_.as_of;
        if (as_of) out_.attribute(names::kAsOf, as_of->iso());
        if (dates_.plan) {
            out_.attribute(names::kPlanStart, dates_.plan->start.iso());
            if (dates_.plan->end) out_.attribute(names::kPlanEnd, dates_.plan->end->iso());
        }
    }

    // In the mapping's order, whatever order the workbook revealed them in.
    void facts() {
        std::vector<std::pair<const FactSpec*, const Fact*>> present;
        std::set<std::string> seen;
        for (const FactSpec& spec : mapping_.facts) {
            if (!seen.insert(spec.name).second) continue;
            if (const Fact* f = doc_.fact(spec.name)) present.emplace_back(&spec, f);
        }
        if (present.empty()) return;
        out_.start(names::kFacts);
        for (const auto& [spec, fact] : present) {
            out_.start(spec->name);
            out_.attribute(names::kSrc, fact->where.a1());
            typed_content(fact->raw, typer_.type(spec->type, fact->raw), spec->type);
            out_.end();
        }
        out_.end();
    }

    // Once per table, not per record: the header texts a reader needs to know what a column
    // reported (PREV-RESTATED compares "Outturn 2011/12" only with "Outturn 2011/12").
    void headers() {
        for (const TableRecords& tr : doc_.tables) {
            if (!tr.spec) continue;
            bool started = false;
            for (std::size_t ci = 0; ci < tr.spec->columns.size(); ++ci) {
                bool has_text = ci < tr.header_texts.size() && !tr.header_texts[ci].empty();
                bool has_cell = ci < tr.header_cells.size() && !tr.header_cells[ci].sheet.empty();
                if (!has_text && !has_cell) continue;  // the column's header was not found
                if (!started) {
                    out_.start(names::kHeaders);
                    out_.attribute(names::kRecord, tr.spec->element);
                    started = true;
                }
                out_.start(names::kHeader);
                out_.attribute(names::kField, tr.spec->columns[ci].element);
                if (has_cell) out_.attribute(names::kSrc, tr.header_cells[ci].a1());
                if (has_text) out_.text(tr.header_texts[ci]);
                out_.end();
            }
            if (started) out_.end();
        }
    }

    void section(const Section& s, const std::vector<std::vector<const Record*>>& tables) {
        out_.start(mapping_.sections.element);
        out_.attribute(names::kId, s.id);
        if (!s.title.empty()) out_.attribute(names::kTitle, s.title);
        out_.attribute(names::kSrc, s.where.a1());
        for (const Claim& c : s.claims) claim(c);
        records(tables);
        out_.end();
    }

    void claim(const Claim& c) {
        out_.start(names::kClaim);
        out_.attribute(names::kName, c.name);
        out_.attribute(names::kSrc, c.where.a1());
        out_.element(names::kClaimText, c.text);
        for (const auto& [name, text] : c.parts) {
            out_.start(names::kClaimPart);
            out_.attribute(names::kName, name);
            if (auto n = number_from_words(text)) out_.attribute(names::kValue, format_number(*n));
            out_.text(text);
            out_.end();
        }
        out_.end();
    }

    void records(const std::vector<std::vector<const Record*>>& tables) {
        for (std::size_t t = 0; t < tables.size(); ++t)
            for (const Record* r : tables[t]) record(*doc_.tables[t].spec, *r);
    }

    void record(const TableSpec& table, const Record& r) {
        out_.start(table.element);
        out_.attribute(names::kSrc, record_src(r).a1());
        if (r.kind != RecordKind::Record) out_.attribute(names::kKind, to_string(r.kind));
        if (!r.section.empty()) out_.attribute(names::kSection, r.section);
        if (!r.group.empty()) out_.attribute(names::kGroup, r.group);
        fields(table, r);
        if (table.subrecords)
            for (const Record& sub : r.subrecords) subrecord(table, sub);
        out_.end();
    }

    void subrecord(const TableSpec& table, const Record& sub) {
        out_.start(table.subrecords->element);
        out_.attribute(names::kId, sub.group);
        out_.attribute(names::kSrc, record_src(sub).a1());
        fields(table, sub);
        out_.end();
    }

    void fields(const TableSpec& table, const Record& r) {
        for (std::size_t ci = 0; ci < table.columns.size() && ci < r.values.size(); ++ci) {
            const FieldValue& v = r.values[ci];
            // A sub-record split at a marker with nothing after it has an empty text: not a value.
            if (!v.present || trim(v.raw()).empty()) continue;
            const ColumnSpec& column = table.columns[ci];
            out_.start(column.element);
            out_.attribute(names::kSrc, SourceRef{r.sheet, v.cell}.a1());
            if (v.inherited) out_.attribute(names::kInherited, "true");
            typed_content(v.raw(), typer_.type(column, v), column.type);
            out_.end();
        }
    }

    // Attributes and content of a fact or field element (its start and src already written).
    void typed_content(const std::string& raw, const TypedValue& value, FieldType type) {
        if (!value.parsed) {
            out_.attribute(names::kParsed, "false");
            out_.attribute(names::kRaw, raw);
            return;
        }
        const TypedShape& shape = typed_shape(type);
        // With items there is no single text to compare the raw text with: keep it always.
        if (!value.items.empty() || raw != value.text) out_.attribute(names::kRaw, raw);
        for (const auto& [name, text] : value.attributes) out_.attribute(name, text);
        if (value.items.empty()) {
            out_.text(value.text);
            return;
        }
        for (const TypedItem& item : value.items) {
            out_.start(shape.item_element);
            for (const auto& [name, text] : item.attributes) out_.attribute(name, text);
            out_.text(item.text);
            out_.end();
        }
    }

    const Document& doc_;
    const Mapping& mapping_;
    const XmlWriteOptions& options_;
    XmlTextOutput& out_;
    PlanDates dates_;
    FieldTyper typer_;
};

}  // namespace

void write_document_xml(const Document& doc, const std::function<void(std::string_view)>& sink, const XmlWriteOptions& options) {
    if (!doc.mapping) throw XmlWriteError("the document has no mapping to name its XML elements");
    XmlTextOutput out(sink);
    Writer(doc, options, out).write();
    out.finish();
}

void write_consolidated_xml(const Consolidation& c, const std::function<void(std::string_view)>& sink) {
    if (!c.mapping) throw XmlWriteError("the consolidation has no mapping to name its XML elements");
    for (const ConsolidatedReturn& r : c.returns)
        if (!r.doc || !r.doc->mapping || r.doc->mapping->name != c.mapping->name)
            throw XmlWriteError("the return " + r.source + " was not mapped with " + c.mapping->name +
                                ", the mapping of the consolidation " + c.name);
    XmlTextOutput out(sink);
    out.start(names::kConsolidation);
    out.attribute(names::kName, c.name);
    out.attribute(names::kMapping, c.mapping->name);
    for (const ConsolidatedReturn& r : c.returns) {
        XmlWriteOptions options;
        options.as_of = r.as_of;
        options.source = r.source;
        Writer(*r.doc, options, out).write();
    }
    out.end();
    out.finish();
}

namespace {

using Sink = std::function<void(std::string_view)>;
using Producer = std::function<void(const Sink&)>;  // streams a whole XML to a sink

// Writes `file` atomically from what `write` streams.
void write_atomically(const std::filesystem::path& file, const Producer& write) {
    AtomicFile target(file);
    // The output is destroyed (and so flushed) before the file is committed or discarded.
    write([&target](std::string_view bytes) { target.write(bytes); });
    target.commit();
}

std::string collected(const Producer& write) {
    std::string xml;
    write([&xml](std::string_view bytes) { xml.append(bytes); });
    return xml;
}

}  // namespace

void write_document_xml(const Document& doc, const std::filesystem::path& file, const XmlWriteOptions& options) {
    write_atomically(file, [&](const Sink& sink) { write_document_xml(doc, sink, options); });
}

std::string document_xml(const Document& doc, const XmlWriteOptions& options) {
    return collected([&](const Sink& sink) { write_document_xml(doc, sink, options); });
}

void write_consolidated_xml(const Consolidation& c, const std::filesystem::path& file) {
    write_atomically(file, [&](const Sink& sink) { write_consolidated_xml(c, sink); });
}

std::string consolidated_xml(const Consolidation& c) {
    return collected([&](const Sink& sink) { write_consolidated_xml(c, sink); });
}

}  // namespace planconv
