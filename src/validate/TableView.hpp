// TableView: one table's columns looked up by field name, and where each field of a record sits
// on its sheet — what every rule needs to name a cell and a record in a finding.
#pragma once

#include "mapping/Mapping.hpp"
#include "model/CellRef.hpp"
#include "model/Document.hpp"
#include "validate/Rule.hpp"

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace planconv {

class TableView {
public:
    TableView(const TableSpec& spec, const TableRecords& records);

    const TableSpec& spec() const { return spec_; }
    const std::vector<Record>& records() const { return records_.records; }

    std::optional<std::size_t> index(std::string_view field) const;
    std::vector<std::size_t> columns_of(std::initializer_list<FieldType> types) const;
    std::optional<std::size_t> first_of(FieldType type) const;
    const ColumnSpec& column(std::size_t ci) const { return spec_.columns[ci]; }

    // The value of column `ci` on a record (an empty value when the record has none).
    const FieldValue& value(const Record& r, std::size_t ci) const;
    // The column as the sheet heads it (the header text found), else its field name.
    std::string label(std::size_t ci) const;
    // The cell of column `ci` on the record's first row, whether or not it holds anything.
    CellRef cell(const Record& r, std::size_t ci) const;
    // The id as written in the first id column ("2.", "1.2"), "" when the table has none.
    std::string own_id(const Record& r) const;
    // The id a finding names the record by: the written id, made unique in the document by its
    // section when it is a bare number ("2." in Priority 3 is "3.2"); a table without an id
    // column is named by its identifying text column (a contract's title, a budget line).
    std::string record_id(const Record& r) const;
    // A sub-record's id: a dotted marker as written ("1.1.1"), a bare one under its parent's
    // record id ("A" of action 3.2 is "3.2.A").
    std::string sub_id(const Record& parent, const Record& sub) const;
    // The same, under the parent's id as written ("2.A"), for judging numbering.
    std::string sub_number(const Record& parent, const Record& sub) const;
    // What one record is called ("action"), and many ("actions").
    std::string noun() const;
    std::string plural() const;

private:
    const TableSpec& spec_;
    const TableRecords& records_;
    std::vector<std::uint32_t> sheet_cols_;  // the sheet column of each field
    std::optional<std::size_t> id_col_;
    std::optional<std::size_t> name_col_;  // names records when there is no id column
};

// A problem at column `ci` of a record: the record's sheet, the cell, the record id and the
// message; problems of one column fold together, described by `what`.
Problem problem_at(const TableView& view, const Record& r, std::size_t ci, std::string message, std::string what = {});

// A field's text as a reader sees it: markup removed, entities decoded, spaces collapsed.
std::string plain_text(const FieldValue& v);
// Blank: absent, or nothing but spaces and markup.
bool is_blank(const FieldValue& v);
// Written on this row: present and not filled down from above.
inline bool written(const FieldValue& v) { return v.present && !v.inherited; }

}  // namespace planconv
