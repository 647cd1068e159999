// Mapping files -> Mapping: libxml2 parses (no DTD, no network), the XSD validates, and then
// every regex, cross-reference and name is checked with the line it came from.
#include "mapping/MappingLoader.hpp"

#include "mapping/ClosestName.hpp"
#include "mapping/Extractor.hpp"
#include "mapping/TemplateText.hpp"
#include "parse/Text.hpp"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <set>
#include <sstream>

namespace planconv {

namespace {

std::string join_diagnostics(const std::string& file, const std::vector<MappingDiagnostic>& ds) {
    std::ostringstream out;
    for (std::size_t i = 0; i < ds.size(); ++i) {
        if (i) out << "\n";
        // A problem of the whole file (or of a name that is no file) has no line to point at.
        out << file << (ds[i].line > 0 ? ":" + std::to_string(ds[i].line) : std::string()) << ": " << ds[i].message;
        if (!ds[i].hint.empty()) out << " (" << ds[i].hint << ")";
    }
    return out.str();
}

struct DocDeleter {
    void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using DocPtr = std::unique_ptr<xmlDoc, DocDeleter>;

std::string attr(xmlNode* n, const char* name, std::string fallback = "") {
    xmlChar* v = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
    if (!v) return fallback;
    std::string s(reinterpret_cast<const char*>(v));
    xmlFree(v);
    return s;
}

bool has_attr(xmlNode* n, const char* name) { return xmlHasProp(n, reinterpret_cast<const xmlChar*>(name)) != nullptr; }
bool attr_bool(xmlNode* n, const char* name) {
    std::string v = attr(n, name, "false");
    return v == "true" || v == "1";
}
bool is(xmlNode* n, const char* name) {
    return n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, reinterpret_cast<const xmlChar*>(name)) == 0;
}
int line_of(xmlNode* n) { return int(xmlGetLineNo(n)); }

std::vector<xmlNode*> children(xmlNode* n, const char* name = nullptr) {
    std::vector<xmlNode*> out;
    for (xmlNode* c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && (!name || is(c, name))) out.push_back(c);
    return out;
}

std::string element_text(xmlNode* n) {
    xmlChar* v = xmlNodeGetContent(n);
    std::string s = v ? reinterpret_cast<const char*>(v) : "";
    if (v) xmlFree(v);
    auto b = s.find_first_not_of(" \t\r\n");
    auto e = s.find_last_not_of(" \t\r\n");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

// Collects diagnostics while building the Mapping.
class Builder {
public:
    std::vector<MappingDiagnostic> diags;

    std::optional<Pattern> pattern(xmlNode* n, const char* attribute, bool caseless = true) {
        if (!has_attr(n, attribute)) return std::nullopt;
        std::string src = attr(n, attribute);
        try {
            return Pattern(src, caseless);
        } catch (const PatternError& e) {
            diags.push_back({line_of(n),
                             std::string("the regular expression in ") + attribute + "=\"" + src + "\" is invalid: " +
                                 e.what() + " at offset " + std::to_string(e.offset()),
                             "regular expressions are PCRE2 syntax; escape literal brackets and dots with \\"});
            return std::nullopt;
        }
    }

    // Whether a regex spells out any letter or digit of its own (\\s, \\d and the like are not).
    static bool names_text(std::string_view src) {
        for (std::size_t i = 0; i < src.size(); ++i) {
            if (src[i] == '\\') {
                ++i;
                continue;
            }
            if (std::isalnum(static_cast<unsigned char>(src[i]))) return true;
        }
        return false;
    }

    // A pattern that finds something: not one every cell matches (header=".*", header=""),
    // nor one only an empty text matches (header="^$"), since empty cells are never matched.
    std::optional<Pattern> selective_pattern(xmlNode* n, const char* attribute, const char* what) {
        auto p = pattern(n, attribute);
        if (!p) return p;
        const std::string src = attr(n, attribute);
        // Texts with nothing in common: a pattern matching every one of them matches anything.
        static const char* const probes[] = {"q", "7", "-", "\xc2\xa3", "Total budget 2016/17"};
        bool matches_all = std::all_of(std::begin(probes), std::end(probes), [&](const char* t) { return p->search(t); });
        bool matches_some = std::any_of(std::begin(probes), std::end(probes), [&](const char* t) { return p->search(t); });
        if (matches_all)
            error(n, std::string(attribute) + "=\"" + src + "\" matches every " + what + ", so it cannot tell one from another",
                  std::string("write what the ") + what + " says, e.g. ^Target\\b");
        else if (!matches_some && p->search("") && !names_text(src))
            error(n, std::string(attribute) + "=\"" + src + "\" matches only an empty text, and an empty cell is never a " + what,
                  std::string("write what the ") + what + " says, e.g. ^Target\\b");
        return p;
    }

    FieldType type(xmlNode* n) {
        auto t = field_type_from(attr(n, "type", "text"));
        return t ? *t : FieldType::Text;
    }

    void error(xmlNode* n, std::string message, std::string hint = "") {
        diags.push_back({line_of(n), std::move(message), std::move(hint)});
    }
};

std::string names_of(const std::vector<ColumnSpec>& cols) {
    std::string s;
    for (const auto& c : cols) s += (s.empty() ? "" : ", ") + c.field;
    return s;
}

// The hint for a field name a table does not have: the near miss if there is one, and the list.
std::string field_hint(const std::string& name, const std::vector<ColumnSpec>& cols) {
    std::vector<std::string> fields;
    for (const auto& c : cols) fields.push_back(c.field);
    std::string near = did_you_mean(name, fields);
    return (near.empty() ? "" : near + " ") + "fields of this table: " + names_of(cols);
}

void parse_table(Builder& b, xmlNode* tn, Mapping& m) {
    TableSpec t;
    t.name = attr(tn, "name");
    t.element = attr(tn, "element");
    t.main = attr(tn, "main", "true") == "true";
    t.min_match = std::stoi(attr(tn, "min-match", "0"));
    t.line = line_of(tn);
    std::set<std::string> fields;
    for (xmlNode* cn : children(tn, "column")) {
        ColumnSpec c;
        c.field = attr(cn, "field");
        c.type = b.type(cn);
        c.line = line_of(cn);
        if (!fields.insert(c.field).second)
            b.error(cn, "the field '" + c.field + "' is declared twice in table '" + t.name + "'",
                    "give each column its own field name");
        if (auto p = b.selective_pattern(cn, "header", "header")) c.headers.push_back(std::move(*p));
        for (xmlNode* an : children(cn, "alias"))
            if (auto p = b.selective_pattern(an, "header", "header")) c.headers.push_back(std::move(*p));
        c.occurrence = std::stoi(attr(cn, "occurrence", "1"));
        c.after = attr(cn, "after");
        c.before = attr(cn, "before");
        if (!c.after.empty() && !c.before.empty())
            b.error(cn, "column '" + c.field + "' has both after= and before=", "an unheaded column sits either right of one column (after=) or left of it (before=)");
        c.derive_from = attr(cn, "derive-from");
        c.extract = b.pattern(cn, "extract");
        if (!c.derive_from.empty() && !has_attr(cn, "extract"))
            b.error(cn, "column '" + c.field + "' has derive-from= but no extract= pattern",
                    "extract=\"^(\\d+)[.)]\" takes the leading number of the other field's text");
        c.required = attr_bool(cn, "required");
        c.key = attr_bool(cn, "key");
        c.fill_down = attr_bool(cn, "fill-down");
        c.append = attr_bool(cn, "append");
        c.id_pattern = b.pattern(cn, "id-pattern");
        c.split = attr(cn, "split");
        c.scale = std::stod(attr(cn, "scale", "1"));
        c.element = attr(cn, "element", c.field);
        c.title = attr(cn, "title");
        {
            std::string role = attr(cn, "template");
            c.template_role = role == "given"     ? TemplateRole::Given
                            : role == "carried"   ? TemplateRole::Carried
                            : role == "input"     ? TemplateRole::Input
                            : (c.key || c.type == FieldType::Id) ? TemplateRole::Given : TemplateRole::Input;
        }
        for (xmlNode* vn : children(cn, "value")) {
            EnumValue v;
            v.value = attr(vn, "name");
            std::string aliases = attr(vn, "aliases");
            std::size_t start = 0;
            while (start <= aliases.size() && !aliases.empty()) {
                auto bar = aliases.find('|', start);
                if (bar == std::string::npos) bar = aliases.size();
                if (bar > start) v.aliases.push_back(aliases.substr(start, bar - start));
                start = bar + 1;
            }
            c.enum_values.push_back(std::move(v));
        }
        if (c.headers.empty() && c.after.empty() && c.before.empty() && c.derive_from.empty() && !has_attr(cn, "header"))
            b.error(cn, "the column '" + c.field + "' has neither header=, after=, before= nor derive-from=",
                    "say how the column is found: a header regex, after=\"FIELD\" for the column to its right, before=\"FIELD\" for the column to its left, or derive-from=\"FIELD\" with extract=");
        // A template writes the title as the header; it must be found again by the header.
        if (!c.title.empty() && !c.headers.empty() && !template_text_has_bare_placeholder(c.title)) {
            std::string header = header_key(template_text_fallback(c.title));
            if (std::none_of(c.headers.begin(), c.headers.end(), [&](const Pattern& p) { return p.search(header); }))
                b.error(cn, "the title \"" + c.title + "\" of column '" + c.field + "' does not match its own header pattern",
                        "a template writes the title as the header, so header= (or an <alias>) must match it");
        }
        if (c.type == FieldType::Enum && c.enum_values.empty())
            b.error(cn, "the enum column '" + c.field + "' lists no <value> elements", "add <value name=\"...\"/> children");
        t.columns.push_back(std::move(c));
    }
    for (const ColumnSpec& c : t.columns) {
        for (const std::string* ref : {&c.after, &c.before, &c.derive_from})
            if (!ref->empty() && !fields.count(*ref))
                b.diags.push_back({c.line, "column '" + c.field + "' refers to '" + *ref + "', which is not a field of table '" + t.name + "'",
                                   field_hint(*ref, t.columns)});
    }
    int with_header = int(std::count_if(t.columns.begin(), t.columns.end(), [](const ColumnSpec& c) { return !c.headers.empty(); }));
    if (t.min_match > with_header)
        b.error(tn, "min-match=" + std::to_string(t.min_match) + " but table '" + t.name + "' has only " +
                        std::to_string(with_header) + " columns with a header pattern");
    if (t.min_match == 0) t.min_match = with_header;
    for (xmlNode* rn : children(tn, "rows")) {
        t.continuation = attr(rn, "continuation", "true") == "true";
        t.skip_repeated_header = attr(rn, "repeated-header", "skip") == "skip";
        t.notes = attr_bool(rn, "notes");
        t.separator = b.selective_pattern(rn, "separator", "row");
        t.total = b.selective_pattern(rn, "total", "row label");
        t.total_field = attr(rn, "total-field");
        t.unlabelled_subtotals = attr_bool(rn, "unlabelled-subtotals");
        t.group = b.selective_pattern(rn, "group", "row label");
        t.group_field = attr(rn, "group-field");
        t.separator_any_cell = attr(rn, "separator-match", "all") == "any";
        t.end = b.pattern(rn, "end");
        {
            // Any count beyond a sheet's height means "never"; stoi would throw on a huge one.
            std::string blank = attr(rn, "end-blank-rows", "0");
            t.end_blank_rows = blank.size() > 7 ? 10000000 : std::stoi(blank);
        }
        t.end_at_section = attr(rn, "sections", "run-on") == "end";
        t.totals_above = attr(rn, "total-position", "below") == "above";
        t.first_row_total = attr_bool(rn, "first-row-total");
        if (t.first_row_total) t.totals_above = true;
        t.group_merged_field = attr(rn, "group-merged");
        if (has_attr(rn, "separator-match") && !t.separator)
            b.error(rn, "separator-match= is given but no separator= pattern", "add separator=\"^-+$\" (the pattern a separator row's cells match)");
        for (const std::string* f : {&t.total_field, &t.group_field, &t.group_merged_field})
            if (!f->empty() && !fields.count(*f))
                b.error(rn, "'" + *f + "' is not a field of table '" + t.name + "'", field_hint(*f, t.columns));
    }
    if (t.continuation && std::none_of(t.columns.begin(), t.columns.end(), [](const ColumnSpec& c) { return c.key; }))
        b.error(tn, "table '" + t.name + "' allows continuation rows but marks no column key=\"true\"",
                "mark the columns that are empty on a continuation row as key=\"true\", or set <rows continuation=\"false\"/>");
    for (xmlNode* sn : children(tn, "subrecords")) {
        auto marker = b.selective_pattern(sn, "marker", "cell");
        if (!marker) continue;
        SubrecordSpec s{attr(sn, "element"), attr(sn, "from"), std::move(*marker), {}, line_of(sn)};
        std::istringstream align(attr(sn, "align"));
        for (std::string f; align >> f;) s.align.push_back(f);
        if (!fields.count(s.from))
            b.error(sn, "subrecords from='" + s.from + "' is not a field of table '" + t.name + "'", field_hint(s.from, t.columns));
        for (const auto& f : s.align)
            if (!fields.count(f))
                b.error(sn, "subrecords align names '" + f + "', which is not a field of table '" + t.name + "'",
                        field_hint(f, t.columns));
        t.subrecords = std::move(s);
    }
    m.tables.push_back(std::move(t));
}

Mapping build(Builder& b, xmlNode* root, const std::string& file) {
    Mapping m;
    m.file = file;
    m.name = attr(root, "name");
    m.root_element = attr(root, "element", "plan");
    for (xmlNode* n : children(root)) {
        if (is(n, "description")) {
            m.description = element_text(n);
        } else if (is(n, "detect")) {
            for (xmlNode* d : children(n)) {
                auto p = b.selective_pattern(d, "pattern", is(d, "text") ? "cell" : "sheet name");
                if (!p) continue;
                (is(d, "text") ? m.detect.texts : m.detect.sheet_names).push_back(std::move(*p));
            }
        } else if (is(n, "facts")) {
            for (xmlNode* fn : children(n, "fact")) {
                FactSpec f;
                f.name = attr(fn, "name");
                f.type = b.type(fn);
                std::string from = attr(fn, "from");
                f.source = from == "cell" ? FactSpec::Source::Cell
                         : from == "header" ? FactSpec::Source::Header
                         : from == "sheet-name" ? FactSpec::Source::SheetName : FactSpec::Source::Row;
                f.cell = attr(fn, "cell");
                f.table = attr(fn, "table");
                f.field = attr(fn, "field");
                f.pattern = b.pattern(fn, "pattern");
                f.line = line_of(fn);
                if (f.source == FactSpec::Source::Cell && f.cell.empty())
                    b.error(fn, "fact '" + f.name + "' is from=\"cell\" but gives no cell=", "e.g. cell=\"B2\" or cell=\"Summary!B2\"");
                if ((f.source == FactSpec::Source::Row || f.source == FactSpec::Source::SheetName) && !has_attr(fn, "pattern"))
                    b.error(fn, "fact '" + f.name + "' needs a pattern= to find it");
                if (f.source == FactSpec::Source::Header && (f.table.empty() || f.field.empty()))
                    b.error(fn, "fact '" + f.name + "' is from=\"header\" but does not name table= and field=");
                m.facts.push_back(std::move(f));
            }
        } else if (is(n, "sections")) {
            SectionSpec& s = m.sections;
            s.element = attr(n, "element", "section");
            s.line = line_of(n);
            s.start = b.selective_pattern(n, "start", "row");
            s.sheet_name = b.pattern(n, "sheet-name");
            s.title_on_next_row = attr(n, "title", "same-row") == "next-row";
            s.template_text = attr(n, "template");
            auto sample_section = [](std::string_view name) -> std::optional<std::string> {
                if (name == "id") return "1";
                if (name == "title") return "Title";
                return std::nullopt;
            };
            if (!s.template_text.empty()) {
                std::string sample = normalise_text(fill_template_text(s.template_text, sample_section));
                if (s.start && !s.start->match(sample))
                    b.error(n, "the section template \"" + s.template_text + "\" does not match start=",
                            "a template writes this text to start a section, so start= must match it (with {id} as 1)");
                if (s.sheet_name && !s.sheet_name->match(sample))
                    b.error(n, "the section template \"" + s.template_text + "\" does not match sheet-name=",
                            "a template names each section's sheet with this text, so sheet-name= must match it (with {id} as 1)");
            }
            if (has_attr(n, "start") && has_attr(n, "sheet-name"))
                b.error(n, "sections have both start= and sheet-name=", "use start= for sections that begin at a row, sheet-name= for one section per sheet");
            else if (has_attr(n, "start"))
                s.kind = SectionSpec::Kind::RowPattern;
            else if (has_attr(n, "sheet-name"))
                s.kind = SectionSpec::Kind::PerSheet;
            else
                b.error(n, "sections say neither start= nor sheet-name=");
            for (xmlNode* cn : children(n, "claim")) {
                auto p = b.selective_pattern(cn, "pattern", "row");
                if (!p) continue;
                auto names = p->group_names();
                if (std::none_of(names.begin(), names.end(), [](const std::string& g) { return !g.empty(); }))
                    b.error(cn, "the claim '" + attr(cn, "name") + "' has no named group, so none of its numbers can be checked",
                            "name each number the claim states, e.g. (?<on_track>\\w+) of (?<total>\\w+) actions; "
                            "TOTAL-COUNT compares each named number with the table");
                s.claims.push_back({attr(cn, "name"), std::move(*p), line_of(cn)});
            }
        } else if (is(n, "table")) {
            parse_table(b, n, m);
        } else if (is(n, "template")) {
            TemplateSpec t;
            t.sheet = attr(n, "sheet");
            t.title = attr(n, "title");
            std::string rows = attr(n, "rows", "10");
            constexpr int kMaxTemplateRows = 1000;
            t.rows = rows.size() > 4 ? kMaxTemplateRows + 1 : std::stoi(rows);
            if (t.rows > kMaxTemplateRows)
                b.error(n, "rows=\"" + rows + "\" asks for more blank rows than a template offers (at most 1000)");
            t.line = line_of(n);
            for (xmlNode* in : children(n, "instruction")) t.instructions.push_back(element_text(in));
            m.template_spec = std::move(t);
        } else if (is(n, "rules")) {
            for (xmlNode* rn : children(n, "rule")) {
                RuleSpec r;
                r.id = attr(rn, "id");
                r.severity = attr(rn, "severity");
                r.table = attr(rn, "table");
                r.line = line_of(rn);
                for (xmlNode* pn : children(rn, "param")) {
                    std::string pname = attr(pn, "name");
                    if (r.params.count(pname))
                        b.error(pn, "rule " + r.id + " is given the parameter '" + pname + "' twice (line " +
                                        std::to_string(r.param_lines[pname]) + " and here)",
                                "keep one; a list of values goes in one value=, separated by spaces");
                    r.params[pname] = attr(pn, "value");
                    r.param_lines[pname] = line_of(pn);
                }
                const auto& known = known_rule_ids();
                if (std::find(known.begin(), known.end(), r.id) == known.end()) {
                    std::string hint = did_you_mean(r.id, known);
                    if (hint.empty()) {
                        hint = "planconv's rules are";
                        for (std::size_t i = 0; i < known.size(); ++i) hint += (i ? ", " : " ") + known[i];
                    }
                    b.error(rn, "unknown rule id '" + r.id + "'",
                            hint + (hint.back() == '?' ? " " : "; ") + "every rule and its parameters are in src/validate/RULES.md");
                }
                m.rules.push_back(std::move(r));
            }
        }
    }
    // Cross-references that need the whole file.
    std::set<std::string> table_names;
    for (const TableSpec& t : m.tables) {
        if (!table_names.insert(t.name).second)
            b.diags.push_back({t.line, "the table name '" + t.name + "' is used twice", "give each table its own name"});
    }
    for (const FactSpec& f : m.facts) {
        if (f.source != FactSpec::Source::Header) continue;
        const TableSpec* t = m.table(f.table);
        if (!t)
            b.diags.push_back({f.line, "fact '" + f.name + "' names table '" + f.table + "', which this mapping does not declare", ""});
        else if (!t->column(f.field))
            b.diags.push_back({f.line, "fact '" + f.name + "' names field '" + f.field + "', which table '" + f.table + "' does not have",
                               field_hint(f.field, t->columns)});
    }
    for (const RuleSpec& r : m.rules) {
        if (!r.table.empty() && !m.table(r.table))
            b.diags.push_back({r.line, "rule " + r.id + " names table '" + r.table + "', which this mapping does not declare", ""});
        const TableSpec* t = r.table.empty() ? nullptr : m.table(r.table);
        for (const auto& [name, value] : r.params) {
            // Parameters that name fields must name real ones.
            if (t && (name == "field" || name == "fields" || name.ends_with("_field"))) {
                std::istringstream words(value);
                for (std::string f; words >> f;)
                    if (!t->column(f))
                        b.diags.push_back({r.param_lines.count(name) ? r.param_lines.at(name) : r.line,
                                           "rule " + r.id + " names field '" + f + "', which table '" + r.table + "' does not have",
                                           field_hint(f, t->columns)});
            }
            const std::string& claim = value;  // clang before 16 cannot capture a structured binding
            if (name == "claim" && std::none_of(m.sections.claims.begin(), m.sections.claims.end(),
                                                [&](const ClaimSpec& c) { return c.name == claim; }))
                b.diags.push_back({r.line, "rule " + r.id + " names claim '" + value + "', which the sections do not capture", ""});
        }
    }
    return m;
}

void collect_structured_error(void* ctx, xmlErrorPtr err) {
    auto* diags = static_cast<std::vector<MappingDiagnostic>*>(ctx);
    if (!err || !err->message) return;
    std::string msg = err->message;
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    // libxml2 says "Element '{urn:planconv:mapping:1}colum': This element is not expected...";
    // the namespace in braces is noise for a reader of the mapping file.
    for (std::size_t p; (p = msg.find("{urn:planconv:mapping:1}")) != std::string::npos;)
        msg.erase(p, std::string("{urn:planconv:mapping:1}").size());
    diags->push_back({err->line, msg, ""});
}

}  // namespace

MappingError::MappingError(std::string file, std::vector<MappingDiagnostic> diagnostics)
    : std::runtime_error(join_diagnostics(file, diagnostics)), file_(std::move(file)), diagnostics_(std::move(diagnostics)) {}

std::filesystem::path default_mappings_dir() {
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        auto installed = exe.parent_path().parent_path() / "share" / "planconv" / "mappings";
        if (std::filesystem::exists(installed / "mapping.xsd", ec)) return installed;
    }
    if (std::filesystem::exists(std::filesystem::path(PLANCONV_INSTALLED_MAPPINGS) / "mapping.xsd", ec))
        return PLANCONV_INSTALLED_MAPPINGS;
    return PLANCONV_SOURCE_MAPPINGS;
}

std::filesystem::path schema_path(const std::filesystem::path& mappings_dir) {
    auto here = mappings_dir / "mapping.xsd";
    std::error_code ec;
    if (std::filesystem::exists(here, ec)) return here;
    return default_mappings_dir() / "mapping.xsd";
}

Mapping load_mapping(const std::filesystem::path& file, const std::filesystem::path& mappings_dir) {
    const std::string name = file.string();
    std::vector<MappingDiagnostic> diags;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) throw MappingError(name, {{0, "the mapping file does not exist", ""}});

    xmlParserCtxtPtr pctx = xmlNewParserCtxt();
    xmlSetStructuredErrorFunc(&diags, collect_structured_error);
    DocPtr doc(xmlCtxtReadFile(pctx, file.c_str(), nullptr, XML_PARSE_NONET | XML_PARSE_NOWARNING));
    xmlFreeParserCtxt(pctx);
    if (!doc) {
        xmlSetStructuredErrorFunc(nullptr, nullptr);
        if (diags.empty()) diags.push_back({0, "the mapping file is not well-formed XML", ""});
        throw MappingError(name, diags);
    }
    if (doc->intSubset) {
        xmlSetStructuredErrorFunc(nullptr, nullptr);
        throw MappingError(name, {{int(xmlGetLineNo(reinterpret_cast<xmlNode*>(doc->intSubset))),
                                   "the mapping file has a <!DOCTYPE>, which is refused", "remove the DOCTYPE line"}});
    }

    auto xsd = schema_path(mappings_dir);
    xmlSchemaParserCtxtPtr sp = xmlSchemaNewParserCtxt(xsd.c_str());
    xmlSchemaPtr schema = sp ? xmlSchemaParse(sp) : nullptr;
    if (sp) xmlSchemaFreeParserCtxt(sp);
    if (!schema) {
        xmlSetStructuredErrorFunc(nullptr, nullptr);
        throw MappingError(name, {{0, "the mapping schema " + xsd.string() + " cannot be read", "reinstall planconv"}});
    }
    diags.clear();
    xmlSchemaValidCtxtPtr vctx = xmlSchemaNewValidCtxt(schema);
    xmlSchemaSetValidStructuredErrors(vctx, collect_structured_error, &diags);
    int rc = xmlSchemaValidateDoc(vctx, doc.get());
    xmlSchemaFreeValidCtxt(vctx);
    xmlSchemaFree(schema);
    xmlSetStructuredErrorFunc(nullptr, nullptr);
    if (rc != 0) {
        if (diags.empty()) diags.push_back({0, "the mapping file does not follow mapping.xsd", ""});
        for (auto& d : diags)
            if (d.hint.empty()) d.hint = "see mappings/mapping.xsd for what may appear here";
        throw MappingError(name, diags);
    }

    Builder b;
    Mapping m = build(b, xmlDocGetRootElement(doc.get()), name);
    if (!b.diags.empty()) throw MappingError(name, b.diags);
    return m;
}

std::vector<Mapping> load_all_mappings(const std::filesystem::path& mappings_dir) {
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(mappings_dir, ec))
        if (entry.path().extension() == ".xml") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    std::vector<Mapping> out;
    for (const auto& f : files) out.push_back(load_mapping(f, mappings_dir));
    return out;
}

const std::vector<std::string>& known_rule_ids() {
    static const std::vector<std::string> ids = {
        "TOTAL-SUM", "TOTAL-COUNT", "TOTAL-RATIO", "TOTAL-DIFF", "TOTAL-PART",
        "TIME-UNPARSED", "TIME-OUTSIDE-PLAN", "TIME-OVERDUE", "TIME-ORDER", "TIME-DURATION",
        "FIELD-REQUIRED", "FIELD-ENUM", "FIELD-LOOKUP", "FIELD-TYPE",
        "ID-DUPLICATE", "ID-SEQUENCE", "ID-PARENT",
        "VALUE-UNIT", "VALUE-PLACEHOLDER", "STATUS-MISMATCH", "TEXT-DUPLICATE", "MAP-UNREAD", "TIME-ASOF",
        "PREV-DROPPED", "PREV-ADDED", "PREV-SLIPPED", "PREV-STATUS", "PREV-STALE", "PREV-RESTATED",
    };
    return ids;
}

}  // namespace planconv
