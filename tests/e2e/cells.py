"""Cells as `planconv inspect --cells` prints them, and how two readings of one workbook are
compared: shared by the tests that read one workbook saved by several producers or in several
formats (test_format_equivalence.py, test_cross_producer.py).

A reading is {(sheet, A1): (kind, value)} with kind string/number/dateish/time/bool/error (and
any other kind planconv prints, kept as its text). Dates and date-times are both "dateish", as
Excel serials: whether midnight is a date or a date-time is a matter of number format, which
not every format or reader keeps.
"""
import datetime
import math

EXCEL_EPOCH = datetime.datetime(1899, 12, 30)


def serial(v):
    """A datetime, date or time as an Excel serial (1900 system)."""
    if isinstance(v, datetime.datetime):
        return (v - EXCEL_EPOCH).total_seconds() / 86400
    if isinstance(v, datetime.date):
        return float((v - EXCEL_EPOCH.date()).days)
    if isinstance(v, datetime.time):
        return (v.hour * 3600 + v.minute * 60 + v.second + v.microsecond / 1e6) / 86400
    raise TypeError(v)


def iso_serial(text):
    """planconv's display of a date ("2016-11-30"), date-time ("...T09:30:00") or time."""
    if "T" in text:
        return serial(datetime.datetime.fromisoformat(text))
    if len(text) == 8 and text[2] == ":":
        return serial(datetime.time.fromisoformat(text))
    return serial(datetime.date.fromisoformat(text))


def unescape(s):
    """Undoes inspect --cells' escapes (\\n, \\t, \\r, \\\\, \\xHH for other control characters)."""
    out, i = [], 0
    while i < len(s):
        if s.startswith("\\x", i) and len(s) >= i + 4 and all(c in "0123456789abcdefABCDEF" for c in s[i + 2:i + 4]):
            out.append(chr(int(s[i + 2:i + 4], 16)))
            i += 4
        elif s[i] == "\\" and i + 1 < len(s):
            out.append({"n": "\n", "t": "\t", "r": "\r", "\\": "\\"}.get(s[i + 1], s[i + 1]))
            i += 2
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


def parse_inspect_cells(stdout):
    """`planconv inspect --cells` output (SHEET<TAB>A1<TAB>TYPE<TAB>VALUE lines) as a reading."""
    cells = {}
    for line in stdout.splitlines():
        sheet, a1, kind, value = line.split("\t", 3)
        value = unescape(value)
        if kind in ("date", "datetime"):
            cells[(sheet, a1)] = ("dateish", iso_serial(value))
        elif kind == "time":
            cells[(sheet, a1)] = ("time", iso_serial(value))
        elif kind == "number":
            cells[(sheet, a1)] = ("number", float(value))
        elif kind == "bool":
            cells[(sheet, a1)] = ("bool", value == "TRUE")
        else:
            cells[(sheet, a1)] = (kind, value)
    return cells


def same(ref, got):
    """Whether two (kind, value) readings of a cell agree: numbers to 1e-12 relative (a format
    that stores decimal text reads back to the same double or its neighbour), dates and times to
    the second (FreeXL gives xls dates as text to the second)."""
    kind_r, vr = ref
    kind_g, vg = got
    if kind_r != kind_g:
        return False
    if kind_r == "number":
        return vr == vg or math.isclose(vr, vg, rel_tol=1e-12, abs_tol=1e-300)
    if kind_r in ("dateish", "time"):
        return abs(vr - vg) <= 1.01 / 86400
    return vr == vg


def differences(ref, got):
    """[(sheet, A1, reference or None, reading or None)] for every cell on which they disagree."""
    out = []
    for key in sorted(set(ref) | set(got)):
        r, g = ref.get(key), got.get(key)
        if r is None or g is None or not same(r, g):
            out.append((key[0], key[1], r, g))
    return out
