// Tidy CSV: rows planned per table kind over one return or many, then written atomically.
#include "write/TidyCsvWriter.hpp"

#include "files/AtomicFile.hpp"
#include "mapping/FieldTyper.hpp"
#include "mapping/Mapping.hpp"
#include "mapping/PlanDates.hpp"
#include "parse/Text.hpp"

#include <algorithm>

namespace planconv {

namespace {

struct CsvReturn {
    const Document* doc;
    std::string source;  // "" for a return's own CSV
};

// The record's src= in the XML: its first own cell.
SourceRef record_cell(const Record& r) {
    for (const FieldValue& v : r.values)
        if (v.present && !v.inherited) return {r.sheet, v.cell};
    return r.src();
}

struct Value {
    std::string normal, raw;  // raw: "" when the same as normal
    bool differs = false;
};

Value typed(FieldTyper& typer, const ColumnSpec& column, const FieldValue& v) {
    Value out;
    if (!v.present || trim(v.raw()).empty()) return out;
    TypedValue t = typer.type(column, v);
    if (!t.parsed) {
        out.raw = v.raw();
        out.differs = true;
        return out;
    }
    if (!t.items.empty()) {
        // As in the XML: items have no single text to compare the raw text with, so it is kept.
        for (const TypedItem& item : t.items) out.normal += (out.normal.empty() ? "" : "; ") + item.text;
        out.differs = true;
    } else {
        out.normal = t.text;
        out.differs = v.raw() != t.text;
    }
    if (out.differs) out.raw = v.raw();
    return out;
}

std::string_view kind_name(RecordKind k) {
    switch (k) {
    case RecordKind::Note: return "note";
    case RecordKind::Total: return "total";
    case RecordKind::Group: return "group";
    case RecordKind::Record: break;
    }
    return "record";
}

class CsvTable {
public:
    CsvTable(const TableSpec& spec, bool subrecords, bool with_source) : spec_(spec), subrecords_(subrecords), with_source_(with_source) {
        for (std::size_t ci = 0; ci < spec.columns.size() && id_field_ == SIZE_MAX; ++ci)
            if (spec.columns[ci].type == FieldType::Id) id_field_ = ci;
        raw_used_.assign(spec.columns.size(), false);
    }

    void add(FieldTyper& typer, const std::string& source, const Record& r, const Record* parent) {
        Row row;
        row.source = source;
        row.section = r.section;
        row.kind = std::string(kind_name(r.kind));
        row.group = subrecords_ ? std::string() : r.group;
        row.cell = record_cell(r).a1();
        for (std::size_t ci = 0; ci < spec_.columns.size(); ++ci) {
            Value v = ci < r.values.size() ? typed(typer, spec_.columns[ci], r.values[ci]) : Value{};
            raw_used_[ci] = raw_used_[ci] || v.differs;
            row.values.push_back(std::move(v));
        }
        if (subrecords_) {
            row.id = r.group;  // the marker it was split at
            if (parent && id_field_ < parent->values.size()) row.parent = typed(typer, spec_.columns[id_field_], parent->values[id_field_]).normal;
        } else if (id_field_ < row.values.size()) {
            row.id = row.values[id_field_].normal;
        }
        rows_.push_back(std::move(row));
    }

    bool empty() const { return rows_.empty(); }

    std::string text(bool bom) const {
        std::string out = bom ? "\xEF\xBB\xBF" : "";
        std::vector<std::string> head;
        if (with_source_) head.push_back("source");
        head.insert(head.end(), {"section", "id", "parent_id", "kind", "group"});
        for (std::size_t ci = 0; ci < spec_.columns.size(); ++ci) {
            if (ci == id_field_ && !subrecords_) continue;  // it is the id column
            head.push_back(spec_.columns[ci].element);
            if (raw_used_[ci]) head.push_back(spec_.columns[ci].element + "_raw");
        }
        head.push_back("source_cell");
        line(out, head);
        for (const Row& r : rows_) {
            std::vector<std::string> cells;
            if (with_source_) cells.push_back(r.source);
            cells.insert(cells.end(), {r.section, r.id, r.parent, r.kind, r.group});
            for (std::size_t ci = 0; ci < spec_.columns.size(); ++ci) {
                if (ci == id_field_ && !subrecords_) continue;
                cells.push_back(r.values[ci].normal);
                if (raw_used_[ci]) cells.push_back(r.values[ci].raw);
            }
            cells.push_back(r.cell);
            line(out, cells);
        }
        return out;
    }

private:
    struct Row {
        std::string source, section, id, parent, kind, group, cell;
        std::vector<Value> values;
    };

    static void line(std::string& out, const std::vector<std::string>& cells) {
        for (std::size_t i = 0; i < cells.size(); ++i) {
            if (i) out += ',';
            out += csv_field(cells[i]);
        }
        out += "\r\n";
    }

    const TableSpec& spec_;
    bool subrecords_;
    bool with_source_;
    std::size_t id_field_ = SIZE_MAX;
    std::vector<bool> raw_used_;
    std::vector<Row> rows_;
};

std::map<std::string, std::filesystem::path> write_returns(const Mapping& mapping, const std::vector<CsvReturn>& returns, bool with_source,
                                                           const std::filesystem::path& xml, const TidyCsvOptions& options) {
    std::map<std::string, std::filesystem::path> written;
    for (std::size_t ti = 0; ti < mapping.tables.size(); ++ti) {
        const TableSpec& spec = mapping.tables[ti];
        CsvTable main(spec, false, with_source);
        std::optional<CsvTable> subs;
        if (spec.subrecords) subs.emplace(spec, true, with_source);
        for (const CsvReturn& ret : returns) {
            if (ti >= ret.doc->tables.size()) continue;
            FieldTyper typer(typing_context(plan_dates(*ret.doc)));
            for (const Record& r : ret.doc->tables[ti].records) {
                main.add(typer, ret.source, r, nullptr);
                if (subs)
                    for (const Record& sub : r.subrecords) subs->add(typer, ret.source, sub, &r);
            }
        }
        auto put = [&](const CsvTable& t, const std::string& kind) {
            if (t.empty()) return;
            std::filesystem::path file = tidy_csv_path(xml, kind);
            AtomicFile out(file);
            out.write(t.text(options.bom));
            out.commit();
            written.emplace(kind, file);
        };
        put(main, spec.name);
        if (subs) put(*subs, spec.name + "." + spec.subrecords->element);
    }
    return written;
}

}  // namespace

std::string csv_field(std::string_view text) {
    if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

std::filesystem::path tidy_csv_path(const std::filesystem::path& xml, std::string_view table) {
    std::string name = xml.filename().string();
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".xml") == 0) name.resize(name.size() - 4);
    return xml.parent_path() / (name + "." + std::string(table) + ".csv");
}

std::map<std::string, std::filesystem::path> write_tidy_csv(const Document& doc, const std::filesystem::path& xml,
                                                            const TidyCsvOptions& options) {
    if (!doc.mapping) return {};
    return write_returns(*doc.mapping, {{&doc, ""}}, false, xml, options);
}

std::map<std::string, std::filesystem::path> write_consolidated_tidy_csv(const Consolidation& c, const std::filesystem::path& xml,
                                                                         const TidyCsvOptions& options) {
    if (!c.mapping) return {};
    std::vector<CsvReturn> returns;
    for (const ConsolidatedReturn& r : c.returns)
        if (r.doc) returns.push_back({r.doc, r.source});
    return write_returns(*c.mapping, returns, true, xml, options);
}

}  // namespace planconv
