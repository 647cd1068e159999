// ValueReaders: a record's field read as its column's type for checking — from the cell's own
// number when the cell held one, else from its text through the value parsers (parse/*) — and
// the two text tests several rules share: placeholders left in, and "this is complete".
#pragma once

#include "mapping/Mapping.hpp"
#include "model/Document.hpp"
#include "parse/Money.hpp"
#include "parse/Quantity.hpp"
#include "parse/Rag.hpp"
#include "parse/Timescale.hpp"
#include "validate/Checker.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace planconv {

// A plain number (number, integer and percent columns).
struct NumberReading {
    enum class Kind { Blank, Value, NoValue, Unreadable };
    Kind kind = Kind::Blank;
    double value = 0;
    int decimals = 0;
};
// "1,234", "-5", "(113)", "81%"; a percent-formatted cell gives its percentage (0.81 -> 81).
// "N/A", "-", "nil" are NoValue: written on purpose, not a number and not a mistake.
NumberReading read_number(const FieldValue& v);

MoneyAmount read_money(const FieldValue& v, double scale);
Quantity read_quantity(const FieldValue& v);
Timescale read_timescale(const FieldValue& v, const TimescaleOptions& options);

// The single figure a field holds, whatever its numeric type: money in the column's unit, the
// first figure of a quantity, a number. nullopt when blank or not a figure.
std::optional<double> read_amount(const ColumnSpec& column, const FieldValue& v);

// Timescale reading resolves yearless months and quarters against the plan.
TimescaleOptions timescale_options(const CheckContext& ctx);

// The default RAG vocabulary plus the aliases the mapping gives the column (<value name="Green"
// aliases="On schedule|Fine"/>).
RagVocabulary rag_vocabulary(const ColumnSpec& column);
RagResult read_rag(const RagVocabulary& vocabulary, const FieldValue& v);

// Placeholder text left where a value is due: a whole cell "TBC"/"TBA"/"TBD"; anywhere in the
// text "XX", "X%", "X.X%", "£X", "??", "(insert month)", "[insert date]", "<enter name>".
// Returns the placeholder as written, nullopt when there is none. "N/A" is not a placeholder.
std::optional<std::string> find_placeholder(std::string_view text);

// Whether a status or update text states the work is done: a completion word ("complete",
// "completed", "achieved", "implemented", or the caller's `words`) that is not negated or
// deferred ("not complete", "to be completed", "nearly complete") and stands as a statement of
// its own — in brackets "(completed)", or opening or closing a paragraph. A narrative that only
// mentions completed steps in passing does not count.
bool says_complete(std::string_view text, const std::vector<std::string>& words = {});

}  // namespace planconv
