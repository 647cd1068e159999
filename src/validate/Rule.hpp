// Rule: what every validation rule is — an id, a default severity, its documented parameters,
// the tables it can apply to, and one function that turns a table's records into problems.
// The catalogue (rule_catalogue) lists every rule planconv implements; the rule families live in
// TotalRules.cpp, TimeRules.cpp, FieldRules.cpp, IdRules.cpp, ValueRules.cpp, MappingRules.cpp and
// PreviousRules.cpp.
#pragma once

#include "mapping/Mapping.hpp"
#include "model/Document.hpp"
#include "model/Finding.hpp"
#include "validate/Checker.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace planconv {

struct MappingDiagnostic;  // mapping/MappingLoader.hpp

// One application of one rule: the document, the table it runs on, and its declaration.
struct RuleScope {
    const Document& doc;
    const CheckContext& ctx;
    const TableSpec& table;
    const TableRecords& records;
    const RuleSpec& spec;
};

// A problem a rule found. The Checker fills in the rule id and severity.
struct Problem {
    Finding finding;
    // Folding: problems of one rule, table and `field` fold together when there are too many.
    // "" = never folded (each one is a different statement, e.g. a summary count).
    std::string field;
    // The problem without its place, for the folded message ("the required field 'Actions' is
    // empty"); the Checker adds how many and where the first is.
    std::string what;
    // The return itself explains it (a moved date whose update says why): reported as info.
    bool explained = false;
};
using Problems = std::vector<Problem>;

// What a parameter's value is, so that a mapping's declaration can be checked: column names
// must be columns of the rule's table, numbers numbers, RAG lists RAG values.
enum class ParamKind {
    Column,           // one field of the table
    Columns,          // space-separated fields of the table
    ColumnOrSection,  // "section", or one field of the table
    Number,
    RagValues,  // space-separated RAG values ("Amber Red")
    Claim,      // the name of a claim the sections capture
    Words,      // free words (complete_words, polarity)
    TableColumn,  // "table.field": a column of another table of the mapping (a lookup list)
};

struct RuleParam {
    constexpr RuleParam(std::string_view name_, ParamKind kind_, std::string_view meaning_, bool required_ = false,
                        std::string_view with_ = {})
        : name(name_), kind(kind_), meaning(meaning_), required(required_), with(with_) {}

    std::string_view name;
    ParamKind kind;
    std::string_view meaning;  // one line, including the default
    bool required;             // the rule does nothing without it
    std::string_view with;     // a parameter it only works together with
};

struct RuleInfo {
    std::string_view id;
    Severity severity;            // the default; a mapping may override it or say "off"
    std::string_view fires_when;  // one line for RULES.md and `mappings check`
    std::vector<RuleParam> params;
    // Whether a rule declared without table= runs on this table.
    bool (*applies)(const TableSpec& table, const RuleSpec& spec);
    void (*check)(const RuleScope& scope, Problems& out);
    // Other parameter names are accepted as RagValues (TOTAL-COUNT's categories, named by the
    // claim's parts).
    bool open_params = false;
    // A statement about the whole return, not a table: runs on the first table it applies to only.
    bool once_per_document = false;
};

// Every rule, in catalogue order (SPEC §8).
const std::vector<RuleInfo>& rule_catalogue();
const RuleInfo* find_rule(std::string_view id);

// Problems with a rule declaration, one sentence each, for the mapping loader to report with the
// rule's line: unknown parameter names, fields the table does not have (whatever the parameter
// is called), numbers that are not numbers, RAG lists with unknown colours, claims the sections
// do not capture, polarity other than higher/lower, missing required parameters.
std::vector<std::string> rule_declaration_problems(const RuleSpec& spec, const Mapping& mapping);

// What `mappings check` says of a rule declaration: the problems above, each at the line of its
// <param> (else the <rule>) with a hint (the parameter or field probably meant), and, for a
// declaration otherwise right, whether its columns can hold what it checks: a column of a type
// the rule cannot read (TOTAL-SUM over a text column), a table with nothing for it to check
// (TIME-OVERDUE where there is no timescale column, TOTAL-SUM without total rows), a rule that
// fits no table, TOTAL-COUNT with no claim to compare.
std::vector<MappingDiagnostic> rule_declaration_diagnostics(const RuleSpec& spec, const Mapping& mapping);

// The kind of a rule's parameter (nullopt: the rule has no such parameter).
std::optional<ParamKind> param_kind(std::string_view rule_id, std::string_view param);

// The families, concatenated by rule_catalogue().
std::vector<RuleInfo> total_rules();
std::vector<RuleInfo> time_rules();
std::vector<RuleInfo> field_rules();
std::vector<RuleInfo> id_rules();
std::vector<RuleInfo> value_rules();
std::vector<RuleInfo> mapping_rules();  // MAP-UNREAD, which applies to every mapping by default
std::vector<RuleInfo> previous_rules();  // PREV-*, which apply to every mapping when --previous is given

}  // namespace planconv
