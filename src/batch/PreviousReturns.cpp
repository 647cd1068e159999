// PreviousReturns: --previous PATH read, and each input's previous return found in it.
#include "batch/PreviousReturns.hpp"

#include "batch/Inputs.hpp"
#include "batch/Pipeline.hpp"
#include "mapping/Extractor.hpp"
#include "mapping/XmlDocumentReader.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace fs = std::filesystem;

namespace planconv {

std::string lasting_words(const std::string& text) {
    static const std::set<std::string> passing = {
        "q",       "quarter", "quarterly", "qtr",  "update", "updates", "half",     "year",     "yearly",   "end",
        "month",   "monthly", "position",  "at",   "as",     "of",      "the",      "for",      "and",      "january",
        "february", "march",  "april",     "may",  "june",   "july",    "august",   "september", "october", "november",
        "december", "jan",    "feb",       "mar",  "apr",    "jun",     "jul",      "aug",      "sep",      "sept",
        "oct",     "nov",     "dec",       "first", "second", "third",  "fourth",   "previous", "last",     "current",
        "final",   "draft",   "v",         "version", "copy"};
    std::string out, word;
    bool digit = false;
    auto flush = [&] {
        if (!word.empty() && !digit && !passing.count(word)) out += (out.empty() ? "" : " ") + word;
        word.clear();
        digit = false;
    };
    for (unsigned char c : text) {
        if (c >= 0x80 || std::isalnum(c)) {
            digit = digit || std::isdigit(c);
            word += char(c < 0x80 ? std::tolower(c) : c);
        } else {
            flush();
        }
    }
    flush();
    return out;
}

namespace {

bool is_xml(const fs::path& p) {
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return ext == ".xml";
}

// A file planconv wrote beside the returns, never a return itself.
bool is_planconv_output(const fs::path& p) {
    std::string name = p.filename().string();
    return name.ends_with(".cleaned.xlsx") || name.starts_with("report.") || name.starts_with(".");
}

std::string stem_of(const fs::path& p) {
    std::string name = p.filename().string();
    if (auto dot = name.find('.'); dot != std::string::npos && dot > 0) name.resize(dot);
    return name;
}

std::string title_of(const Document& d) {
    const Fact* f = d.fact("title");
    return f ? lasting_words(f->raw) : std::string();
}

}  // namespace

PreviousReturns::PreviousReturns(fs::path path, const std::vector<Mapping>& candidates, const Mapping* forced, ReadLimits limits)
    : path_(std::move(path)), candidates_(candidates), forced_(forced), limits_(limits) {
    std::error_code ec;
    folder_ = fs::is_directory(path_, ec);
    if (!folder_) return;
    std::vector<fs::path> files;
    for (auto it = fs::recursive_directory_iterator(path_, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->path().filename().string().starts_with(".")) {
            if (it->is_directory(ec)) it.disable_recursion_pending();
            continue;
        }
        if (!it->is_regular_file(ec)) continue;
        if (is_planconv_output(it->path())) continue;
        if (is_xml(it->path()) || is_spreadsheet_name(it->path())) files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) {
        std::string why;
        try {
            if (is_xml(f)) {
                // planconv XML names its mapping; the one that reads it is the one.
                std::vector<const Mapping*> mappings;
                if (forced_) mappings.push_back(forced_);
                for (const Mapping& c : candidates_) mappings.push_back(&c);
                for (const Mapping* m : mappings) {
                    try {
                        Document d = read_document_xml(f, *m, limits_.max_file_bytes);
                        entries_.push_back({f, m->name, title_of(d), lasting_words(stem_of(f))});
                        why.clear();
                        break;
                    } catch (const ReadError& e) {
                        if (why.empty()) why = e.what();
                    }
                }
            } else {
                Workbook wb = read_workbook(f, limits_);
                const Mapping* m = forced_ ? forced_ : &choose_mapping(wb, candidates_);
                entries_.push_back({f, m->name, title_of(extract(wb, *m)), lasting_words(stem_of(f))});
            }
        } catch (const std::exception& e) {
            why = e.what();
        }
        if (!why.empty()) unusable_.push_back({f.string(), "not usable as a previous return (--previous): " + why});
    }
}

namespace {

// XML written before planconv kept the tables' headers (<headers>) has no header texts, but the
// plan facts read from a header keep theirs (the indicator table's as_of from "Quarter 3 12/13"):
// they give back the header of their column, which is what tells PREV-RESTATED the period a
// column of the previous return reports. A table whose headers the XML kept is left as read.
void restore_header_texts(Document& d, const Mapping& mapping) {
    for (TableRecords& tr : d.tables) {
        if (!tr.spec || !tr.header_texts.empty()) continue;
        for (const FactSpec& spec : mapping.facts) {
            if (spec.source != FactSpec::Source::Header || spec.table != tr.spec->name) continue;
            const Fact* fact = d.fact(spec.name);
            if (!fact) continue;
            for (std::size_t ci = 0; ci < tr.spec->columns.size(); ++ci) {
                if (tr.spec->columns[ci].field != spec.field) continue;
                if (tr.header_texts.size() < tr.spec->columns.size()) tr.header_texts.resize(tr.spec->columns.size());
                if (tr.header_texts[ci].empty()) tr.header_texts[ci] = fact->raw;
            }
        }
    }
}

}  // namespace

Document PreviousReturns::load(const fs::path& file, const Mapping& mapping) const {
    if (is_xml(file)) {
        Document d = read_document_xml(file, mapping, limits_.max_file_bytes);
        restore_header_texts(d, mapping);
        return d;
    }
    Workbook wb = read_workbook(file, limits_);
    if (!forced_) {
        const std::string chosen = choose_mapping(wb, candidates_).name;
        if (chosen != mapping.name)
            throw ReadError("it is a return of mapping '" + chosen + "', not '" + mapping.name + "' like the input");
    }
    return extract(wb, mapping);
}

PreviousMatch PreviousReturns::find(const fs::path& input, const Document& now) const {
    PreviousMatch m;
    const Mapping& mapping = *now.mapping;
    auto use = [&](const fs::path& file, std::string how) {
        m.file = file.string();
        m.how = std::move(how);
        try {
            m.doc = load(file, mapping);
        } catch (const std::exception& e) {
            m.problem = "the previous return " + file.string() + " could not be used: " + e.what();
            m.doc.reset();
        }
        return m;
    };
    if (!folder_) return use(path_, "given with --previous");

    std::error_code ec;
    const fs::path self = fs::weakly_canonical(input, ec);
    std::vector<const Entry*> same_mapping;
    for (const Entry& e : entries_)
        if (e.mapping == mapping.name && fs::weakly_canonical(e.file, ec) != self) same_mapping.push_back(&e);
    auto pick = [&](std::vector<const Entry*> fits, const std::string& how) -> std::optional<PreviousMatch> {
        if (fits.empty()) return std::nullopt;
        // The same return in several formats: planconv's XML first, then by path.
        std::stable_sort(fits.begin(), fits.end(), [](const Entry* a, const Entry* b) { return is_xml(a->file) > is_xml(b->file); });
        std::string also;
        for (std::size_t i = 1; i < fits.size(); ++i) also += (i > 1 ? ", " : "") + fits[i]->file.filename().string();
        return use(fits.front()->file, how + (also.empty() ? "" : " (also fitting: " + also + ")"));
    };
    const std::string title = title_of(now);
    const std::string name = lasting_words(stem_of(input));
    std::vector<const Entry*> by_title, by_name;
    for (const Entry* e : same_mapping) {
        if (!title.empty() && e->title_key == title) by_title.push_back(e);
        if (!name.empty() && e->name_key == name) by_name.push_back(e);
    }
    if (by_title.size() > 1) {  // several plans of one title: the file name tells them apart
        std::vector<const Entry*> both;
        for (const Entry* e : by_title)
            if (e->name_key == name) both.push_back(e);
        if (!both.empty()) by_title = both;
    }
    if (auto found = pick(by_title, "by mapping and plan title")) return *found;
    if (auto found = pick(by_name, "by file name")) return *found;
    m.problem = "no return of mapping '" + mapping.name + "' in " + path_.string() + " has its plan title" +
                (title.empty() ? "" : " ('" + title + "')") + " or its file name ('" + name + "'), so it was not compared with last quarter";
    return m;
}

}  // namespace planconv
