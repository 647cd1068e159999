// A small document built in code for rule tests: a mapping with tables and rules, sections with
// claims, and rows of raw cell text, as the extractor would have produced them.
#pragma once

#include "mapping/Mapping.hpp"
#include "model/Date.hpp"
#include "model/Document.hpp"
#include "model/Finding.hpp"
#include "validate/Checker.hpp"

#include <algorithm>
#include <initializer_list>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace planconv::test {

inline ColumnSpec column(std::string field, FieldType type, bool required = false) {
    ColumnSpec c;
    c.field = std::move(field);
    c.type = type;
    c.required = required;
    return c;
}

// A cell written as a number (the display text is what the sheet shows).
struct Num {
    double value;
};

class RulesDoc {
public:
    RulesDoc() { mapping_.name = "test"; }

    // A table; its columns sit in sheet columns A, B, C, ... in the order given.
    template <class... Columns>
    RulesDoc& table(std::string name, std::string element, Columns&&... columns) {
        TableSpec t;
        t.name = std::move(name);
        t.element = std::move(element);
        (t.columns.push_back(std::forward<Columns>(columns)), ...);
        mapping_.tables.push_back(std::move(t));
        doc_.tables.emplace_back();
        return *this;
    }
    TableSpec& spec(std::string_view table) { return mapping_.tables[index(table)]; }

    RulesDoc& section(std::string id, std::string sheet = "Sheet1") {
        Section s;
        s.id = std::move(id);
        s.where = {std::move(sheet), CellRef{next_row_++, 0}};
        doc_.sections.push_back(std::move(s));
        section_ = doc_.sections.back().id;
        sheet_ = doc_.sections.back().where.sheet;
        return *this;
    }

    // A claim the sections capture with this regex (named groups are its parts).
    RulesDoc& claim_pattern(std::string name, std::string regex) {
        mapping_.sections.claims.push_back({std::move(name), Pattern(std::move(regex)), 0});
        return *this;
    }

    // A claim of the current section, its parts captured by the claim's pattern as the
    // extractor does.
    RulesDoc& claim(std::string name, std::string text) {
        std::map<std::string, std::string> parts;
        for (const ClaimSpec& c : mapping_.sections.claims)
            if (c.name == name)
                if (auto m = c.pattern.match(text))
                    for (std::size_t g = 0; g < m->groups.size(); ++g)
                        if (!m->names[g].empty() && m->groups[g]) parts[m->names[g]] = *m->groups[g];
        return claim(std::move(name), std::move(text), std::move(parts));
    }

    // A claim of the current section with its named parts given.
    RulesDoc& claim(std::string name, std::string text, std::map<std::string, std::string> parts) {
        Claim c{std::move(name), std::move(text), {sheet_, CellRef{next_row_++, 0}}, std::move(parts)};
        doc_.sections.back().claims.push_back(std::move(c));
        return *this;
    }

    RulesDoc& sheet(std::string name) {
        sheet_ = std::move(name);
        return *this;
    }

    // A row of the table: one raw text per column ("" = empty cell).
    RulesDoc& row(std::string_view table, std::vector<std::string> cells, RecordKind kind = RecordKind::Record) {
        const TableSpec& t = mapping_.tables[index(table)];
        Record r;
        r.kind = kind;
        r.sheet = sheet_;
        r.first_row = r.last_row = next_row_++;
        r.section = section_;
        r.values.resize(t.columns.size());
        for (std::size_t ci = 0; ci < cells.size() && ci < t.columns.size(); ++ci) {
            FieldValue& v = r.values[ci];
            v.cell = CellRef{r.first_row, std::uint32_t(ci)};
            v.set_raw(cells[ci]);
            v.present = !cells[ci].empty();
        }
        doc_.tables[index(table)].records.push_back(std::move(r));
        return *this;
    }

    // The last row of a table, to adjust (inherited values, number cells, sub-records).
    Record& last(std::string_view table) { return doc_.tables[index(table)].records.back(); }
    // The i-th row (0-based) of a table, and one of its values, to plant a mistake.
    Record& record(std::string_view table, std::size_t i) { return doc_.tables[index(table)].records.at(i); }
    FieldValue& value(std::string_view table, std::size_t i, std::string_view field) {
        return record(table, i).values[column_index(table, field)];
    }

    RulesDoc& number(std::string_view table, std::string_view field, double value, std::string shown) {
        Record& r = last(table);
        FieldValue& v = r.values[column_index(table, field)];
        v.present = true;
        v.set_raw(std::move(shown));
        v.cell_type = CellType::Number;
        v.number = value;
        return *this;
    }

    // The header text found for each column of a table, in column order (what the sheet heads them).
    RulesDoc& header_texts(std::string_view table, std::vector<std::string> texts) {
        doc_.tables[index(table)].header_texts = std::move(texts);
        return *this;
    }

    RulesDoc& inherited(std::string_view table, std::string_view field) {
        last(table).values[column_index(table, field)].inherited = true;
        return *this;
    }

    // A sub-record split out of the last row's `field` text ("8.6.3 Review ...").
    RulesDoc& subrecord(std::string_view table, std::string id, std::map<std::string, std::string> cells) {
        Record& parent = last(table);
        Record sub;
        sub.kind = RecordKind::Record;
        sub.sheet = parent.sheet;
        sub.first_row = parent.first_row;
        sub.last_row = parent.last_row;
        sub.section = parent.section;
        sub.group = std::move(id);
        sub.values.resize(parent.values.size());
        for (auto& [field, text] : cells) {
            std::size_t ci = column_index(table, field);
            sub.values[ci] = FieldValue{text, CellRef{parent.first_row, std::uint32_t(ci)}, true, false};
        }
        parent.subrecords.push_back(std::move(sub));
        return *this;
    }

    RulesDoc& rule(std::string id, std::string table = "", std::map<std::string, std::string> params = {},
                   std::string severity = "") {
        RuleSpec r;
        r.id = std::move(id);
        r.table = std::move(table);
        r.params = std::move(params);
        r.severity = std::move(severity);
        mapping_.rules.push_back(std::move(r));
        return *this;
    }

    std::vector<Finding> check(Date as_of = *Date::from_ymd(2016, 11, 30), std::optional<Period> plan = std::nullopt,
                               std::size_t fold_threshold = 20) {
        finish();
        return check_document(doc_, CheckContext{as_of, plan, fold_threshold});
    }

    const Document& document() {
        finish();
        return doc_;
    }
    Mapping& mapping() { return mapping_; }

private:
    std::size_t index(std::string_view table) const {
        for (std::size_t i = 0; i < mapping_.tables.size(); ++i)
            if (mapping_.tables[i].name == table) return i;
        throw std::runtime_error("no table " + std::string(table));
    }
    std::size_t column_index(std::string_view table, std::string_view field) const {
        const TableSpec& t = mapping_.tables[index(table)];
        for (std::size_t ci = 0; ci < t.columns.size(); ++ci)
            if (t.columns[ci].field == field) return ci;
        throw std::runtime_error("no field " + std::string(field));
    }
    void finish() {
        doc_.mapping = &mapping_;
        for (std::size_t i = 0; i < mapping_.tables.size(); ++i) doc_.tables[i].spec = &mapping_.tables[i];
    }

    Mapping mapping_;
    Document doc_;
    std::string section_;
    std::string sheet_ = "Sheet1";
    std::uint32_t next_row_ = 2;
};

inline std::vector<Finding> of_rule(const std::vector<Finding>& all, std::string_view rule) {
    std::vector<Finding> out;
    std::copy_if(all.begin(), all.end(), std::back_inserter(out), [&](const Finding& f) { return f.rule == rule; });
    return out;
}

inline Date ymd(int y, int m, int d) { return *Date::from_ymd(y, m, d); }
inline Period financial_year(int start_year) { return Period{ymd(start_year, 4, 1), ymd(start_year + 1, 3, 31)}; }

}  // namespace planconv::test
