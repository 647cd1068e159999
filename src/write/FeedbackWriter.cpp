// Feedback for the service that sent a return: the findings in its own words and cells.
#include "write/FeedbackWriter.hpp"

#include "files/AtomicFile.hpp"
#include "validate/Rule.hpp"
#include "write/XmlTextOutput.hpp"

#include <algorithm>
#include <set>

namespace planconv {

namespace {

std::string file_name(const FileResult& f) { return std::filesystem::path(f.input).filename().string(); }

// Errors first, then warnings, then notes; in the report's order within each.
std::vector<const Finding*> in_order(const FileResult& f) {
    std::vector<const Finding*> out;
    for (const Finding& x : f.findings) out.push_back(&x);
    std::stable_sort(out.begin(), out.end(), [](const Finding* a, const Finding* b) { return a->severity > b->severity; });
    return out;
}

std::string where(const Finding& x) {
    if (x.sheet.empty()) return "The workbook as a whole";
    std::string s = "Sheet \u2018" + x.sheet + "\u2019";
    if (!x.cell.empty()) s += ", cell " + x.cell;
    if (!x.record.empty()) s += " (id " + x.record + ")";
    return s;
}

// The finding's message as a sentence.
std::string sentence(const std::string& message) {
    if (message.empty() || message.back() == '.' || message.back() == '?' || message.back() == '!') return message;
    return message + ".";
}

std::string details(const Finding& x) {
    std::string s;
    if (x.expected) s += "Expected: " + *x.expected + ".";
    if (x.actual) s += std::string(s.empty() ? "" : " ") + "Found: " + *x.actual + ".";
    if (x.count > 1) s += std::string(s.empty() ? "" : " ") + "The same in " + std::to_string(x.count) + " places.";
    return s;
}

std::string_view heading_of(Severity s) {
    switch (s) {
    case Severity::Error: return "Please correct";
    case Severity::Warning: return "Please check";
    case Severity::Info: return "For information";
    }
    return "";
}

std::size_t count(const FileResult& f, Severity s) {
    std::size_t n = 0;
    for (const Finding& x : f.findings)
        if (x.severity == s) n += x.count;
    return n;
}

std::string plural(std::size_t n, const char* one, const char* many) { return std::to_string(n) + " " + (n == 1 ? one : many); }

std::string opening(const FileResult& f) {
    if (f.status != FileResult::Status::Converted)
        return "Your return could not be read: " + f.error + " Please send it again as the workbook you were given.";
    if (f.findings.empty()) return "Thank you: every check passed, so nothing needs changing.";
    return "Thank you for your return. Our checks found " + plural(count(f, Severity::Error), "thing", "things") +
           " to correct and " + plural(count(f, Severity::Warning), "thing", "things") +
           " to check. Each is listed below with the sheet and cell of your own workbook; please make the changes there and send "
           "the workbook again.";
}

// Each rule met, once, with the catalogue's one line.
std::vector<std::pair<std::string, std::string>> explanations(const FileResult& f) {
    std::vector<std::pair<std::string, std::string>> out;
    std::set<std::string> seen;
    for (const Finding* x : in_order(f))
        if (seen.insert(x->rule).second)
            if (const RuleInfo* info = find_rule(x->rule)) out.emplace_back(x->rule, std::string(info->fires_when));
    return out;
}

constexpr const char* kCss = R"(
body { font: 15px/1.5 system-ui, Segoe UI, Arial, sans-serif; color: #1d2733; margin: 2rem auto; max-width: 52rem; padding: 0 1rem; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 1.6rem; }
.meta { color: #5b6b7c; }
li { margin: .5rem 0; } .where { font-weight: 600; } .details { color: #4a5a6b; }
.error h2 { color: #9b1c1c; } .warning h2 { color: #8a5300; }
)";

}  // namespace

FeedbackPaths feedback_paths(const std::filesystem::path& out_dir, const std::filesystem::path& xml) {
    std::filesystem::path rel = xml.lexically_relative(out_dir);
    if (rel.empty() || *rel.begin() == "..") rel = xml.filename();
    std::string stem = rel.string();
    if (stem.size() > 4 && stem.compare(stem.size() - 4, 4, ".xml") == 0) stem.resize(stem.size() - 4);
    std::filesystem::path base = out_dir / "feedback" / stem;
    return {std::filesystem::path(base).concat(".html"), std::filesystem::path(base).concat(".txt")};
}

std::string feedback_text(const FileResult& f) {
    std::string t = "Feedback on your return " + file_name(f) + "\n";
    if (!f.as_of.empty()) t += "Reporting date: " + f.as_of + "\n";
    t += "\n" + opening(f) + "\n";
    std::optional<Severity> group;
    std::size_t n = 0;
    for (const Finding* x : in_order(f)) {
        if (group != x->severity) {
            group = x->severity;
            std::string h(heading_of(x->severity));
            t += "\n" + h + "\n" + std::string(h.size(), '-') + "\n";
        }
        t += std::to_string(++n) + ". " + where(*x) + ": " + sentence(x->message);
        if (std::string d = details(*x); !d.empty()) t += " " + d;
        t += " [" + x->rule + "]\n";
    }
    auto rules = explanations(f);
    if (!rules.empty()) {
        t += "\nWhat the checks look for\n------------------------\n";
        for (const auto& [id, line] : rules) t += id + ": " + line + "\n";
    }
    return t;
}

std::string feedback_html(const FileResult& f) {
    std::string html = "<!DOCTYPE html>\n";
    XmlTextOutput w([&html](std::string_view chunk) { html += chunk; }, false);
    w.start("html").attribute("lang", "en-GB").start("head");
    w.start("meta").attribute("charset", "utf-8").end();
    w.element("title", "Feedback on " + file_name(f));
    w.start("style").text(kCss).end();
    w.end().start("body");
    w.element("h1", "Feedback on your return " + file_name(f));
    if (!f.as_of.empty()) w.start("p").attribute("class", "meta").text("Reporting date: " + f.as_of).end();
    w.element("p", opening(f));
    std::optional<Severity> group;
    bool open = false;
    for (const Finding* x : in_order(f)) {
        if (group != x->severity) {
            if (open) w.end().end();
            group = x->severity;
            w.start("section").attribute("class", std::string(to_string(x->severity)));
            w.element("h2", heading_of(x->severity));
            w.start("ol");
            open = true;
        }
        w.start("li").attribute("data-rule", x->rule);
        w.start("span").attribute("class", "where").text(where(*x)).end();
        w.text(": " + sentence(x->message) + " ");
        if (std::string d = details(*x); !d.empty()) w.start("span").attribute("class", "details").text(d + " ").end();
        w.start("code").text(x->rule).end();
        w.end();
    }
    if (open) w.end().end();
    auto rules = explanations(f);
    if (!rules.empty()) {
        w.element("h2", "What the checks look for");
        w.start("dl");
        for (const auto& [id, line] : rules) {
            w.element("dt", id);
            w.element("dd", line);
        }
        w.end();
    }
    w.end().end();
    w.finish();
    return html;
}

void write_feedback(const FileResult& file, const FeedbackPaths& paths) {
    std::filesystem::create_directories(paths.html.parent_path());
    for (const auto& [path, text] : {std::pair{paths.html, feedback_html(file)}, std::pair{paths.text, feedback_text(file)}}) {
        AtomicFile out(path);
        out.write(text);
        out.commit();
    }
}

}  // namespace planconv
