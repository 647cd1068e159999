#!/usr/bin/python3
"""Prints openpyxl's view of a workbook in exactly the format of `planconv inspect --cells`.

    /usr/bin/python3 tests/tools/openpyxl_cells.py FILE.xlsx

One line per non-empty cell, sheets in workbook order, cells in row then column order:

    sheet<TAB>A1<TAB>type<TAB>value

with type one of string, number, bool, date, datetime, time, error, and the value as planconv
prints it: ISO dates ("2016-11-30", "2016-11-30T13:05:00", "13:05:00", ".250" added for
milliseconds), numbers in shortest round-trip form as C++ std::to_chars writes them, TRUE/FALSE,
text with tab, line feed, carriage return and backslash escaped as \\t \\n \\r \\\\ and other
control characters as \\xHH. Empty strings are not cells.

Choices, made to match what planconv's reader promises rather than to hide differences:
- the workbook is loaded with data_only=True, so a formula cell shows its cached value, which is
  what planconv reads (planconv keeps the formula text separately);
- only worksheets are listed (openpyxl's wb.worksheets): chart sheets hold no cells, and planconv
  does not list them either;
- a date-formatted number is a `date` when openpyxl gives midnight, a `datetime` otherwise, and a
  `time` when openpyxl gives a time of day (its rule: serials in [0, 1)); planconv decides the same
  way, from the value;
- a duration ([h]:mm format) comes out of openpyxl as a timedelta and is printed as its number of
  days, which is how planconv keeps it (a `number`);
- cells hidden under a merged range are not listed: openpyxl drops them, and so does planconv.
"""
import datetime
import decimal
import sys
import warnings

import openpyxl


def shortest_number(value):
    """The text planconv shows for a number: the fewest digits that read back as the same double,
    in fixed notation from 1e-5 up to 1e15 (200000, not 2e+05), elsewhere the fewest characters
    of fixed or scientific notation (fixed on a tie), as C++ std::to_chars writes them."""
    v = float(value)
    if v == 0:
        return "0"
    sign = "-" if v < 0 else ""
    # repr() gives the shortest round-trip digits; Decimal splits them from the exponent
    # (value = digits x 10^exponent). Trailing zeros ("100.0") are not significant.
    _, digit_tuple, exponent = decimal.Decimal(repr(abs(v))).as_tuple()
    digits = "".join(map(str, digit_tuple))
    stripped = digits.rstrip("0")
    exponent += len(digits) - len(stripped)
    digits = stripped
    n = len(digits)
    sci_exp = exponent + n - 1
    sci = digits[0] + ("." + digits[1:] if n > 1 else "") + "e" + ("-" if sci_exp < 0 else "+") + f"{abs(sci_exp):02d}"
    if exponent >= 0:
        # A whole number in fixed notation is written out exactly (as long as the padded
        # shortest digits, and nearer the value): 1.2345678901234568e+20 is 123456789012345683968.
        fixed = str(int(abs(v)))
    else:
        point = n + exponent
        fixed = digits[:point] + "." + digits[point:] if point > 0 else "0." + "0" * (-point) + digits
    if 1e-5 <= abs(v) < 1e15:
        return sign + fixed
    return sign + (fixed if len(fixed) <= len(sci) else sci)


def clock(t):
    """13:05:00, or 13:05:00.250 with milliseconds."""
    text = f"{t.hour:02d}:{t.minute:02d}:{t.second:02d}"
    ms = t.microsecond // 1000
    return text + (f".{ms:03d}" if ms else "")


def typed_value(cell):
    """(type, value text) of a cell as planconv prints it, or None for an empty cell."""
    v = cell.value
    if v is None or (isinstance(v, str) and v == ""):
        return None
    if isinstance(v, bool):
        return "bool", "TRUE" if v else "FALSE"
    if isinstance(v, (int, float)):
        return "number", shortest_number(v)
    if isinstance(v, datetime.datetime):
        if (v.hour, v.minute, v.second, v.microsecond // 1000) == (0, 0, 0, 0):
            return "date", v.date().isoformat()
        return "datetime", v.date().isoformat() + "T" + clock(v)
    if isinstance(v, datetime.date):
        return "date", v.isoformat()
    if isinstance(v, datetime.time):
        return "time", clock(v)
    if isinstance(v, datetime.timedelta):
        return "number", shortest_number(v / datetime.timedelta(days=1))
    if cell.data_type == "e":
        return "error", str(v)
    return "string", str(v)


def escape(text):
    out = []
    for ch in text:
        if ch == "\t":
            out.append("\\t")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\\":
            out.append("\\\\")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    return "".join(out)


def cell_lines(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about features it drops; not our concern
        wb = openpyxl.load_workbook(path, data_only=True)
    for ws in wb.worksheets:
        sheet = escape(ws.title)
        # ws._cells holds only the cells in the file; iter_rows() would make up the empty ones.
        for (row, col) in sorted(ws._cells):
            typed = typed_value(ws._cells[(row, col)])
            if typed is None:
                continue
            kind, text = typed
            ref = openpyxl.utils.get_column_letter(col) + str(row)
            yield f"{sheet}\t{ref}\t{kind}\t{escape(text)}\n"


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: openpyxl_cells.py FILE.xlsx")
    out = sys.stdout.buffer
    for line in cell_lines(sys.argv[1]):
        out.write(line.encode("utf-8", "surrogateescape"))


if __name__ == "__main__":
    main()
