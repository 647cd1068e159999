// csv reader: one sheet named after the file, every non-empty field a String cell.
//
// Encoding: UTF-8 (BOM optional), UTF-16 with a BOM (Excel's "Unicode text"), otherwise
// Windows-1252 when the bytes are not valid UTF-8 (what Excel's plain "CSV" export writes).
// Delimiter: an Excel "sep=X" first line, else the one of comma, semicolon and tab that splits
// the first records most consistently. Values are never typed here: the mapping parses them.
#include "read/TextEncoding.hpp"
#include "read/WorkbookReader.hpp"

#include <array>
#include <fstream>

namespace planconv {

using namespace encoding;

namespace {

// The file's text as UTF-8, whatever it was written in.
std::string decode_text(std::string bytes) {
    auto starts = [&](std::string_view bom) { return bytes.compare(0, bom.size(), bom) == 0; };
    if (starts("\xEF\xBB\xBF")) return bytes.substr(3);
    if (starts("\xFF\xFE")) return utf16_to_utf8(std::string_view(bytes).substr(2), false);
    if (starts("\xFE\xFF")) return utf16_to_utf8(std::string_view(bytes).substr(2), true);
    if (is_valid_utf8(bytes)) return bytes;
    return cp1252_to_utf8(bytes);
}

constexpr std::array<char, 3> kDelimiters = {',', ';', '\t'};

// Counts each candidate outside quotes, record by record, over the first records; the winner is
// the one that most records split into the same number of fields (ties: more fields, then the
// order comma, semicolon, tab).
char detect_delimiter(std::string_view text) {
    constexpr std::size_t kRecords = 50;
    constexpr std::size_t kBytes = 1 << 20;
    std::vector<std::array<std::uint32_t, 3>> counts;
    std::array<std::uint32_t, 3> cur{};
    bool in_quotes = false, any = false;
    std::size_t i = 0;
    for (; i < text.size() && i < kBytes && counts.size() < kRecords; ++i) {
        char c = text[i];
        if (c == '"') {
            in_quotes = !in_quotes;
            any = true;
        } else if (!in_quotes && (c == '\n' || c == '\r')) {
            if (any) counts.push_back(cur);
            cur = {};
            any = false;
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
        } else {
            any = true;
            if (!in_quotes)
                for (std::size_t d = 0; d < kDelimiters.size(); ++d)
                    if (c == kDelimiters[d]) ++cur[d];
        }
    }
    if (any && counts.size() < kRecords) counts.push_back(cur);

    char best = ',';
    std::size_t best_consistent = 0;
    std::uint32_t best_fields = 0;
    for (std::size_t d = 0; d < kDelimiters.size(); ++d) {
        // The most common non-zero count of this delimiter per record.
        std::vector<std::pair<std::uint32_t, std::size_t>> freq;
        for (const auto& rec : counts) {
            if (rec[d] == 0) continue;
            bool found = false;
            for (auto& [n, k] : freq)
                if (n == rec[d]) {
                    ++k;
                    found = true;
                }
            if (!found) freq.emplace_back(rec[d], 1);
        }
        std::uint32_t mode = 0;
        std::size_t consistent = 0;
        for (auto& [n, k] : freq)
            if (k > consistent || (k == consistent && n > mode)) {
                mode = n;
                consistent = k;
            }
        if (consistent > best_consistent || (consistent == best_consistent && consistent > 0 && mode > best_fields)) {
            best = kDelimiters[d];
            best_consistent = consistent;
            best_fields = mode;
        }
    }
    return best;
}

std::string sheet_name_from(const std::filesystem::path& file) {
    std::string stem = file.stem().string();
    if (stem.empty()) stem = "Sheet1";
    // Excel names a csv's sheet after the file, cut to its 31-character sheet-name limit.
    std::size_t chars = 0, i = 0;
    for (; i < stem.size(); ++i) {
        if ((static_cast<unsigned char>(stem[i]) & 0xC0) != 0x80 && chars++ == 31) break;
    }
    return stem.substr(0, i);
}

class CsvParser {
public:
    CsvParser(Workbook& wb, Sheet& sheet, const ReadLimits& limits, char delimiter)
        : wb_(wb), sheet_(sheet), limits_(limits), delim_(delimiter) {}

    void parse(std::string_view text) {
        const std::size_t n = text.size();
        std::size_t i = 0;
        while (i < n) {
            char c = text[i];
            if (c == '"' && field_.empty() && !quoted_field_) {
                // A quoted field: doubled quotes are one quote; delimiters and line breaks are text.
                quoted_field_ = true;
                std::size_t start_line = line_;
                ++i;
                for (;;) {
                    if (i >= n)
                        throw ReadError("a quoted field that starts on line " + std::to_string(start_line) +
                                        " is never closed (the file may be truncated)");
                    std::size_t q = text.find('"', i);
                    if (q == std::string_view::npos) q = n;
                    // A line break inside a cell is "\n", as in a workbook, whatever the file's line ends.
                    std::size_t k = i;
                    while (k < q) {
                        std::size_t br = text.find('\r', k);
                        if (br >= q) br = q;
                        append(text.substr(k, br - k));
                        if (br == q) break;
                        append("\n");
                        k = br + ((br + 1 < q && text[br + 1] == '\n') ? 2 : 1);
                    }
                    for (std::size_t j = i; j < q; ++j)
                        if (text[j] == '\n' || (text[j] == '\r' && (j + 1 >= n || text[j + 1] != '\n'))) ++line_;
                    i = q;
                    if (i >= n) continue;
                    if (i + 1 < n && text[i + 1] == '"') {
                        append("\"");
                        i += 2;
                        continue;
                    }
                    ++i;  // the closing quote; anything up to the delimiter is kept as written
                    break;
                }
                continue;
            }
            if (c == delim_) {
                end_field();
                ++i;
            } else if (c == '\n' || c == '\r') {
                end_field();
                end_record();
                ++line_;
                i += (c == '\r' && i + 1 < n && text[i + 1] == '\n') ? 2 : 1;
            } else {
                std::size_t j = i;
                while (j < n && text[j] != delim_ && text[j] != '\n' && text[j] != '\r' && text[j] != '"') ++j;
                if (j == i) j = i + 1;  // a quote inside an unquoted field is literal
                append(text.substr(i, j - i));
                i = j;
            }
        }
        if (!field_.empty() || quoted_field_ || col_ > 0) {
            end_field();
            end_record();
        }
    }

private:
    void append(std::string_view s) {
        field_.append(s);
        if (field_.size() > limits_.max_string_bytes)
            throw ReadError("line " + std::to_string(line_) + " has a field of more than " +
                            std::to_string(limits_.max_string_bytes) +
                            " bytes (a wrong delimiter, an unclosed quote, or not a csv file)");
    }

    void end_field() {
        if (col_ >= limits_.max_cols)
            throw ReadError("line " + std::to_string(line_) + " has more than " + std::to_string(limits_.max_cols) +
                            " fields, the most a sheet can hold");
        if (!field_.empty()) {
            if (row_ >= limits_.max_rows)
                throw ReadError("the file has more than " + std::to_string(limits_.max_rows) +
                                " records, the most a sheet can hold");
            if (++cells_ > limits_.max_cells)
                throw ReadError("the file has more than " + std::to_string(limits_.max_cells) + " fields in all");
            sheet_.add(Cell{row_, col_, CellType::String, wb_.intern(std::move(field_)), 0, 0});
            field_.clear();
        }
        ++col_;
        quoted_field_ = false;
    }

    void end_record() {
        ++row_;
        col_ = 0;
    }

    Workbook& wb_;
    Sheet& sheet_;
    const ReadLimits& limits_;
    char delim_;
    std::string field_;
    bool quoted_field_ = false;
    std::uint32_t row_ = 0, col_ = 0;
    std::uint64_t cells_ = 0;
    std::size_t line_ = 1;
};

}  // namespace

Workbook read_csv(const std::filesystem::path& file, const ReadLimits& limits) {
    std::string text = decode_text(read_file_bytes(file, limits));
    std::string_view body = text;

    char delimiter = 0;
    // Excel writes (and honours) "sep=;" as a first line naming the delimiter.
    if (body.size() >= 5 && body.substr(0, 4) == "sep=" &&
        (body.size() == 5 || body[5] == '\n' || body[5] == '\r')) {
        delimiter = body[4];
        body.remove_prefix(5);
        if (!body.empty() && body[0] == '\r') body.remove_prefix(1);
        if (!body.empty() && body[0] == '\n') body.remove_prefix(1);
    }
    if (!delimiter) delimiter = detect_delimiter(body);

    Workbook wb;
    wb.source = file.string();
    wb.format_name = "csv";
    wb.sheets.emplace_back();
    Sheet& sheet = wb.sheets.back();
    sheet.name = sheet_name_from(file);
    CsvParser(wb, sheet, limits, delimiter).parse(body);
    sheet.finish();
    return wb;
}

}  // namespace planconv
