// PreviousPairing: records of this return matched to last quarter's, by id then by text.
#include "validate/PreviousPairing.hpp"

#include "mapping/Mapping.hpp"
#include "validate/TableView.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <tuple>

namespace planconv {

const TablePairing* PreviousReturn::table(const std::string& table_name) const {
    for (const TablePairing& t : tables)
        if (t.table == table_name) return &t;
    return nullptr;
}

std::vector<std::string> identifying_words(const std::string& text) {
    std::vector<std::string> words;
    std::string w;
    bool digit = false;
    auto flush = [&] {
        if (w.size() > 1 && !digit) words.push_back(w);
        w.clear();
        digit = false;
    };
    for (unsigned char c : text) {
        if (c >= 0x80 || std::isalnum(c)) {
            if (std::isdigit(c)) digit = true;
            w += char(c < 0x80 ? std::tolower(c) : c);
        } else {
            flush();
        }
    }
    flush();
    std::sort(words.begin(), words.end());
    words.erase(std::unique(words.begin(), words.end()), words.end());
    return words;
}

double word_likeness(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    if (a.empty() && b.empty()) return 1;
    std::size_t shared = 0;
    for (auto i = a.begin(), j = b.begin(); i != a.end() && j != b.end();) {
        if (*i < *j) ++i;
        else if (*j < *i) ++j;
        else ++shared, ++i, ++j;
    }
    return 2.0 * double(shared) / double(a.size() + b.size());
}

namespace {

// The column whose text says which record it is: the first key text column, else the first text.
std::optional<std::size_t> identifying_column(const TableSpec& spec) {
    auto texty = [](const ColumnSpec& c) { return c.type == FieldType::Text || c.type == FieldType::RichText; };
    for (std::size_t ci = 0; ci < spec.columns.size(); ++ci)
        if (spec.columns[ci].key && texty(spec.columns[ci])) return ci;
    for (std::size_t ci = 0; ci < spec.columns.size(); ++ci)
        if (texty(spec.columns[ci]) && spec.columns[ci].derive_from.empty()) return ci;
    return std::nullopt;
}

struct Side {
    std::vector<std::size_t> index;  // records proper, by position in the table
    std::vector<std::string> ids;
    std::vector<std::vector<std::string>> words;
};

Side side_of(const TableSpec& spec, const TableRecords& tr) {
    Side s;
    TableView view(spec, tr);
    auto ident = identifying_column(spec);
    for (std::size_t i = 0; i < tr.records.size(); ++i) {
        const Record& r = tr.records[i];
        if (r.kind != RecordKind::Record) continue;
        s.index.push_back(i);
        s.ids.push_back(view.own_id(r).empty() ? std::string() : view.record_id(r));
        s.words.push_back(ident ? identifying_words(plain_text(view.value(r, *ident))) : std::vector<std::string>{});
    }
    return s;
}

TablePairing pair_table(const TableSpec& spec, const TableRecords& now, const TableRecords& before) {
    TablePairing p;
    p.table = spec.name;
    p.before = &before;
    p.before_of.assign(now.records.size(), std::nullopt);
    p.now_of.assign(before.records.size(), std::nullopt);
    p.by_text.assign(now.records.size(), false);
    Side a = side_of(spec, now);
    Side b = side_of(*before.spec, before);
    auto pair = [&](std::size_t i, std::size_t j, bool text) {
        p.before_of[a.index[i]] = b.index[j];
        p.now_of[b.index[j]] = a.index[i];
        p.by_text[a.index[i]] = text;
    };
    auto free_now = [&](std::size_t i) { return !p.before_of[a.index[i]]; };
    auto free_before = [&](std::size_t j) { return !p.now_of[b.index[j]]; };

    // 1. The same id, while the texts still look alike. An id several records share (an aim's
    // number filled down over its actions) pairs each with the likest one of that id left.
    std::map<std::string, std::vector<std::size_t>> before_by_id;
    for (std::size_t j = 0; j < b.ids.size(); ++j)
        if (!b.ids[j].empty()) before_by_id[b.ids[j]].push_back(j);
    for (std::size_t i = 0; i < a.ids.size(); ++i) {
        if (a.ids[i].empty()) continue;
        auto it = before_by_id.find(a.ids[i]);
        if (it == before_by_id.end()) continue;
        std::optional<std::size_t> best;
        double best_like = -1;
        for (std::size_t j : it->second) {
            if (!free_before(j)) continue;
            bool one_blank = a.words[i].empty() || b.words[j].empty();
            double like = one_blank ? 1.0 : word_likeness(a.words[i], b.words[j]);
            if (like >= kIdPairing && like > best_like) best = j, best_like = like;
        }
        if (best) pair(i, *best, false);
    }
    // 2. The rest by text, the likest pairs first (bounded: a huge table pairs by id only).
    std::vector<std::tuple<double, std::size_t, std::size_t>> candidates;
    std::size_t left_a = 0, left_b = 0;
    for (std::size_t i = 0; i < a.index.size(); ++i) left_a += free_now(i);
    for (std::size_t j = 0; j < b.index.size(); ++j) left_b += free_before(j);
    if (left_a * left_b > 4'000'000) return p;
    for (std::size_t i = 0; i < a.index.size(); ++i) {
        if (!free_now(i) || a.words[i].empty()) continue;
        for (std::size_t j = 0; j < b.index.size(); ++j) {
            if (!free_before(j) || b.words[j].empty()) continue;
            double like = word_likeness(a.words[i], b.words[j]);
            if (like >= kTextPairing) candidates.emplace_back(-like, i, j);
        }
    }
    std::sort(candidates.begin(), candidates.end());
    for (const auto& [like, i, j] : candidates)
        if (free_now(i) && free_before(j)) pair(i, j, true);
    return p;
}

}  // namespace

PreviousReturn pair_with_previous(const Document& now, const Document& before, std::string name) {
    PreviousReturn out;
    out.doc = &before;
    out.name = std::move(name);
    for (const TableRecords& tr : now.tables) {
        if (!tr.spec) continue;
        const TableRecords* match = nullptr;
        for (const TableRecords& b : before.tables)
            if (b.spec && b.spec->name == tr.spec->name) match = &b;
        if (!match) {
            TablePairing none;
            none.table = tr.spec->name;
            none.before_of.assign(tr.records.size(), std::nullopt);
            none.by_text.assign(tr.records.size(), false);
            out.tables.push_back(std::move(none));
            continue;
        }
        out.tables.push_back(pair_table(*tr.spec, tr, *match));
    }
    return out;
}

std::vector<std::string> text_pairings(const Document& now, const PreviousReturn& previous) {
    std::vector<std::string> out;
    for (const TableRecords& tr : now.tables) {
        if (!tr.spec) continue;
        const TablePairing* p = previous.table(tr.spec->name);
        if (!p || !p->before) continue;
        TableView view(*tr.spec, tr);
        TableView before(*p->before->spec, *p->before);
        for (std::size_t i = 0; i < tr.records.size(); ++i) {
            if (!p->by_text[i]) continue;
            const Record& was = p->before->records[*p->before_of[i]];
            std::string id_now = view.record_id(tr.records[i]), id_was = before.record_id(was);
            out.push_back(view.noun() + " " + id_now + " with the previous " + id_was +
                          (id_now == id_was ? " (text changed)" : " (ids renumbered)"));
        }
    }
    return out;
}

std::string comparable_text(const std::string& plain) {
    std::string out;
    bool gap = false;
    for (unsigned char c : plain) {
        if (c >= 0x80 || std::isalnum(c)) {
            if (gap && !out.empty()) out += ' ';
            out += char(c < 0x80 ? std::tolower(c) : c);
            gap = false;
        } else {
            gap = true;
        }
    }
    return out;
}

std::vector<RecordChange> changes_since(const Document& now, const PreviousReturn& previous) {
    std::vector<RecordChange> out;
    for (const TableRecords& tr : now.tables) {
        if (!tr.spec) continue;
        const TablePairing* p = previous.table(tr.spec->name);
        if (!p || !p->before) continue;
        TableView view(*tr.spec, tr);
        TableView before(*p->before->spec, *p->before);
        for (std::size_t j = 0; j < p->before->records.size(); ++j) {
            const Record& was = p->before->records[j];
            if (was.kind != RecordKind::Record || p->now_of[j]) continue;
            RecordChange c;
            c.kind = RecordChange::Kind::Dropped;
            c.table = tr.spec->name;
            c.record = before.record_id(was);
            c.cell = was.sheet + "!" + CellRef{was.first_row, 0}.a1();
            out.push_back(std::move(c));
        }
        for (std::size_t i = 0; i < tr.records.size(); ++i) {
            const Record& r = tr.records[i];
            if (r.kind != RecordKind::Record) continue;
            if (!p->before_of[i]) {
                RecordChange c;
                c.kind = RecordChange::Kind::Added;
                c.table = tr.spec->name;
                c.record = view.record_id(r);
                c.cell = r.sheet + "!" + CellRef{r.first_row, 0}.a1();
                out.push_back(std::move(c));
                continue;
            }
            const Record& was = p->before->records[*p->before_of[i]];
            for (std::size_t ci = 0; ci < tr.spec->columns.size(); ++ci) {
                if (!tr.spec->columns[ci].derive_from.empty()) continue;
                auto bi = before.index(tr.spec->columns[ci].field);
                if (!bi) continue;
                std::string a = plain_text(view.value(r, ci)), b = plain_text(before.value(was, *bi));
                if (comparable_text(a) == comparable_text(b)) continue;
                RecordChange c;
                c.table = tr.spec->name;
                c.record = view.record_id(r);
                c.field = view.label(ci);
                c.previous = std::move(b);
                c.now = std::move(a);
                c.cell = r.sheet + "!" + view.cell(r, ci).a1();
                c.paired_by_text = p->by_text[i];
                out.push_back(std::move(c));
            }
        }
    }
    return out;
}

}  // namespace planconv
