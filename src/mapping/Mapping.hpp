// Mapping: the in-memory form of a mapping file (mappings/*.xml, schema mappings/mapping.xsd).
//
// A mapping is the only place a layout is described: how to recognise it, where the plan-level
// facts are, how sections start, which narrative claims to capture, each table's columns and
// row kinds, the XML names, and the rules to apply. The engine (Extractor) knows none of it.
#pragma once

#include "mapping/Pattern.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace planconv {

enum class FieldType { Text, RichText, Id, Integer, Number, Money, Percent, Quantity, Date, Timescale, Rag, Enum, List, Bool };
std::string_view to_string(FieldType t);
std::optional<FieldType> field_type_from(std::string_view name);

// Where a plan-level fact is read from.
struct FactSpec {
    enum class Source { Cell, Row, Header, SheetName };
    std::string name;                 // title, plan_period, as_of, ...
    FieldType type = FieldType::Text;
    Source source = Source::Row;
    std::string cell;                 // Source::Cell: "A1" or "Sheet!A1"
    std::string table, field;         // Source::Header: the header text of this column
    std::optional<Pattern> pattern;   // the value is group 1 (or the whole match)
    int line = 0;                     // in the mapping file, for messages
};

struct ClaimSpec {
    std::string name;                 // "summary"
    Pattern pattern;                  // named groups are the claim's numbers
    int line = 0;
};

struct SectionSpec {
    enum class Kind { None, RowPattern, PerSheet };
    Kind kind = Kind::None;
    std::string element = "section";
    std::optional<Pattern> start;     // RowPattern: group 1 (or "id") is the section id
    bool title_on_next_row = false;   // "Priority 1" then the title on the following row
    std::optional<Pattern> sheet_name;  // PerSheet: which sheets are sections; group 1 = id
    std::vector<ClaimSpec> claims;
    // What a return template writes to start a section: the row text (RowPattern) or the sheet
    // name (PerSheet), with {id} and {title} filled in ("Priority Outcome {id}").
    std::string template_text;
    int line = 0;
};

struct EnumValue {
    std::string value;
    std::vector<std::string> aliases;
};

// How a return template treats a column: `Given` values are written from the previous return
// and locked (ids, action texts); `Input` cells are left blank and unlocked for this return's
// answers (RAG, updates); `Carried` values are written from the previous return and left
// unlocked for the service to revise (leads, target dates).
enum class TemplateRole { Given, Input, Carried };

struct ColumnSpec {
    std::string field;
    FieldType type = FieldType::Text;
    std::vector<Pattern> headers;     // the header regex and its aliases; any may match
    int occurrence = 1;               // the Nth column whose header matches
    std::string after;                // or: the column right after this field's column
    std::string before;               // or: the column right before this field's column
    std::string derive_from;          // or: no column of its own; read out of this field's text
    std::optional<Pattern> extract;   // with derive_from: group 1 is the value ("1) Raise…" -> "1")
    bool required = false;
    bool key = false;                 // a row with every key cell empty is a continuation
    bool fill_down = false;           // blank or merged-away cells inherit from above
    bool append = false;              // continuation rows append this field's text
    std::optional<Pattern> id_pattern;  // id-like fields: what a real id looks like
    std::string split;                // list: separators, '|' between alternatives
    std::vector<EnumValue> enum_values;
    double scale = 1;                 // money: 1000 for £'000 tables
    std::string element;              // XML element name; defaults to field
    // The literal header a return template writes and the cleaned workbook's column heading;
    // may hold {fact} or {fact|fallback} placeholders and [hints] for the service to complete.
    std::string title;
    TemplateRole template_role = TemplateRole::Input;  // default: Given for key and id columns
    int line = 0;
};

struct SubrecordSpec {
    std::string element;              // sub_action, key_action
    std::string from;                 // the field whose text is split
    Pattern marker;                   // where each sub-record starts; group 1 = its id
    std::vector<std::string> align;   // fields split by paragraph and shared by position
    int line = 0;
};

struct TableSpec {
    std::string name;                 // actions, indicators, lines, contracts
    std::string element;              // XML element of one record
    bool main = true;                 // counts toward counts.records
    int min_match = 0;                // header cells that must match (0 = every column with a header)
    std::vector<ColumnSpec> columns;
    bool continuation = true;
    bool skip_repeated_header = true;
    bool notes = false;               // single-cell rows whose text is not an id become notes
    std::optional<Pattern> separator; // rows of this (e.g. dashes) are skipped
    bool separator_any_cell = false;  // one matching cell makes a separator (default: every cell)
    // How the table ends besides another table's header: a row matching `end`, or this many
    // blank rows in a row (0 = blank rows never end it).
    std::optional<Pattern> end;
    int end_blank_rows = 0;
    bool end_at_section = false;      // a section start ends the table (default: it runs on)
    std::optional<Pattern> total;     // a row whose label matches is a total/subtotal
    std::string total_field;          // where the total label sits
    bool unlabelled_subtotals = false;  // numeric rows with no label close a group
    bool totals_above = false;        // a total row sits above its parts (they follow it)
    bool first_row_total = false;     // the first row of each block is its total
    std::string group_merged_field;   // a cell of this column merged down groups the rows beside it
    std::optional<Pattern> group;     // a row whose label matches opens a group (division)
    std::string group_field;
    std::optional<SubrecordSpec> subrecords;
    int line = 0;

    const ColumnSpec* column(std::string_view field) const;
    // Whether any row of the table can be a total (what TOTAL-SUM checks).
    bool has_total_rows() const { return total || unlabelled_subtotals || first_row_total; }
};

struct RuleSpec {
    std::string id;                   // TOTAL-COUNT, TIME-OVERDUE, ...
    std::string severity;             // error | warning | info ("" = the rule's default)
    std::string table;                // the table it applies to ("" = all that fit)
    std::map<std::string, std::string> params;
    std::map<std::string, int> param_lines;  // the line of each <param>, for messages
    int line = 0;
};

// The return template of a layout (`planconv template`); a mapping without one has none.
struct TemplateSpec {
    std::string sheet;                // the sheet of the title row and of records outside sections
    std::string title;                // the title row, with {fact|fallback} placeholders
    int rows = 10;                    // blank rows per table in a template made without --from
    std::vector<std::string> instructions;  // paragraphs for the Instructions sheet
    int line = 0;
};

struct DetectSpec {
    std::vector<Pattern> texts;       // any cell text that must appear
    std::vector<Pattern> sheet_names;
};

struct Mapping {
    std::string name;
    std::string description;
    std::string file;                 // path it was loaded from
    std::string root_element = "plan";
    DetectSpec detect;
    std::vector<FactSpec> facts;
    SectionSpec sections;
    std::vector<TableSpec> tables;
    std::vector<RuleSpec> rules;
    std::optional<TemplateSpec> template_spec;

    const TableSpec* table(std::string_view name) const;
};

}  // namespace planconv
