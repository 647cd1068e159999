// FieldValue: a field's text, referring to the workbook's string pool or held as its own.
#include "model/Document.hpp"

namespace planconv {

const std::string& FieldValue::empty_text() {
    static const std::string empty;
    return empty;
}

FieldValue::FieldValue(std::string raw, CellRef at, bool is_present, bool is_inherited, CellType type, double value,
                       bool percent)
    : cell(at), present(is_present), inherited(is_inherited), cell_type(type), percent_format(percent), number(value) {
    if (!raw.empty()) own_ = std::make_unique<Own>(Own{std::move(raw), {}});
}

FieldValue FieldValue::from_pool(const std::string& pooled, CellRef at, CellType type, double value, bool percent) {
    FieldValue v({}, at, true, false, type, value, percent);
    v.pooled_ = &pooled;
    return v;
}

FieldValue::FieldValue(const FieldValue& o)
    : cell(o.cell), present(o.present), inherited(o.inherited), cell_type(o.cell_type),
      percent_format(o.percent_format), number(o.number), pooled_(o.pooled_),
      own_(o.own_ ? std::make_unique<Own>(*o.own_) : nullptr) {}

FieldValue& FieldValue::operator=(const FieldValue& o) {
    if (this != &o) *this = FieldValue(o);
    return *this;
}

FieldValue::Own& FieldValue::own() {
    if (!own_) own_ = std::make_unique<Own>(Own{*pooled_, {}});
    return *own_;
}

void FieldValue::set_raw(std::string text) {
    own_ = std::make_unique<Own>(Own{std::move(text), {}});
}

void FieldValue::append(std::string_view text, CellRef at) {
    Own& o = own();
    o.text += '\n';
    o.appended.emplace_back(o.text.size(), at);
    o.text += text;
}

std::span<const FieldValue::Appended> FieldValue::appended() const {
    if (!own_) return {};
    return own_->appended;
}

}  // namespace planconv
