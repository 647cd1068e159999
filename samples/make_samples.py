#!/usr/bin/python3
"""Generate planconv's sample workbooks from the seed layouts (../../shared/seeds).

Run with Debian's python (it has openpyxl and xlsxwriter):

    /usr/bin/python3 samples/make_samples.py            # writes into samples/
    /usr/bin/python3 samples/make_samples.py --out DIR  # writes elsewhere (e.g. to compare runs)

Every output is deterministic: document dates are fixed, zip entries get a fixed timestamp,
and the .xls/.ods copies are made by gnumeric's ssconvert (required: the script fails if it is
missing).  Besides the workbooks the script writes README.md (what each sample is, where it
comes from, every real and planted mistake with its cell) and expected-findings.json (the same
findings for tests).  Both are generated from the data below, so cell references cannot drift
from the workbooks; the script re-reads every workbook at the end and checks that each listed
cell holds the value the finding talks about.
"""

import argparse
import copy
import csv
import datetime as dt
import decimal
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile

import openpyxl
import xlsxwriter
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SEEDS = os.path.normpath(os.path.join(HERE, '..', '..', 'shared', 'seeds'))


# ----------------------------------------------------------------------------------------------
# Expectations: every finding a sample should produce, collected while the sample is written.
# ----------------------------------------------------------------------------------------------

class Expectations:
    """Findings and facts per sample file; rendered into README.md and expected-findings.json."""

    def __init__(self):
        self.files = {}
        self.order = []

    def add_file(self, name, **info):
        info.setdefault('findings', [])
        info.setdefault('conditional', [])
        info.setdefault('must_not', [])
        info.setdefault('clean', [])
        info.setdefault('counts', {})
        info.setdefault('notes', [])
        self.files[name] = info
        self.order.append(name)
        return info

    def finding(self, name, rule, sheet, cell, record, expected, actual, origin, message,
                severity='error', contains=None):
        """A finding the sample must produce.  `contains` is the text the cell must hold."""
        self.files[name]['findings'].append(dict(
            rule=rule, severity=severity, sheet=sheet, cell=cell, record=record,
            expected=expected, actual=actual, origin=origin, message=message,
            contains=contains if contains is not None else actual))

    def conditional(self, name, rule, sheet, cell, record, actual, condition, severity='warning',
                    contains=None):
        self.files[name]['conditional'].append(dict(
            rule=rule, severity=severity, sheet=sheet, cell=cell, record=record, actual=actual,
            condition=condition, contains=contains if contains is not None else actual))


EXP = Expectations()


# ----------------------------------------------------------------------------------------------
# Helpers shared by all samples
# ----------------------------------------------------------------------------------------------

def seed_lines(seeds_dir, prefix):
    """The lines of the seed whose file name starts with `prefix` (e.g. '000_')."""
    names = [n for n in sorted(os.listdir(seeds_dir)) if n.startswith(prefix)]
    if len(names) != 1:
        sys.exit(f'make_samples: expected one seed {prefix}* in {seeds_dir}, found {names}')
    with open(os.path.join(seeds_dir, names[0]), encoding='utf-8') as f:
        return f.read().split('\n')


def line(lines, n, starts):
    """Seed line n (1-based), checked against the text it must start with."""
    text = lines[n - 1]
    if not text.startswith(starts):
        sys.exit(f'make_samples: seed line {n} does not start with {starts!r}: {text[:60]!r}')
    return text


def cells_of(text, width=None):
    """Tab-separated seed line → list of cells, trailing empties trimmed (or padded to width)."""
    c = text.split('\t')
    while c and c[-1].strip() == '':
        c.pop()
    if width is not None:
        c = (c + [''] * width)[:width]
    return c


def typed(text):
    """A value as an officer would have typed it into Excel: (value, number_format).

    Whole numbers, thousands with commas, decimals and percentages become numbers with a format
    that displays exactly the seed text; everything else stays text."""
    t = text.strip()
    if re.fullmatch(r'-?\d+', t):
        return int(t), None
    if re.fullmatch(r'\d{1,3}(,\d{3})+', t):
        return int(t.replace(',', '')), '#,##0'
    m = re.fullmatch(r'\d+\.(\d+)', t)
    if m:
        return float(t), '0.' + '0' * len(m.group(1))
    m = re.fullmatch(r'\d+(?:\.(\d+))?%', t)
    if m:
        decimals = len(m.group(1) or '')
        value = float(decimal.Decimal(t[:-1]) / 100)
        return value, ('0%' if decimals == 0 else '0.' + '0' * decimals + '%')
    return text, None


def a1(row, col):
    """1-based row/col → A1."""
    return f'{get_column_letter(col)}{row}'


def normalise_zip(path, when):
    """Rewrite a zip container (xlsx/ods) with fixed entry timestamps and fixed document dates,
    so the same script gives byte-identical files."""
    stamp = when.strftime('%Y-%m-%dT%H:%M:%SZ')
    with zipfile.ZipFile(path) as z:
        entries = [(i, z.read(i.filename)) for i in z.infolist()]
    tmp = path + '.tmp'
    with zipfile.ZipFile(tmp, 'w') as out:
        for info, data in entries:
            if info.filename == 'docProps/core.xml':
                text = data.decode('utf-8')
                text = re.sub(r'(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)', r'\g<1>' + stamp + r'\2', text)
                data = text.encode('utf-8')
            if info.filename == 'meta.xml':
                text = data.decode('utf-8')
                text = re.sub(r'(<(?:dc:date|meta:creation-date)>)[^<]*(<)', r'\g<1>' + stamp + r'\2', text)
                data = text.encode('utf-8')
            zi = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            zi.compress_type = info.compress_type
            zi.external_attr = 0o600 << 16
            zi.create_system = 3
            out.writestr(zi, data)
    os.replace(tmp, path)


def ssconvert_exe():
    exe = shutil.which('ssconvert')
    if not exe:
        sys.exit('make_samples: ssconvert (gnumeric) is required for the .xls/.ods samples: '
                 'apt-get install gnumeric')
    return exe


def sheet_texts(path):
    """Every sheet of a workbook as displayed text (CSV), read back by ssconvert, one per sheet."""
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        r = subprocess.run([ssconvert_exe(), '-T', 'Gnumeric_stf:stf_assistant', '-O', 'format=preserve',
                            '-S', path, os.path.join(tmp, 'sheet.%n.csv')], capture_output=True, text=True)
        names = sorted(os.listdir(tmp))
        if r.returncode != 0 or not names:
            sys.exit(f'make_samples: {path} does not read back with ssconvert: {r.stderr.strip()}')
        return [open(os.path.join(tmp, n), encoding='utf-8', errors='replace').read() for n in names]


def ssconvert(src, dst, when=None):
    """Convert with gnumeric's ssconvert and check the result reads back with the same cells.

    gnumeric's BIFF (.xls) writer orders its font/XF records differently on every run (its hash
    tables are seeded from getrandom), so the bytes of a fresh .xls differ while its content does
    not; an existing .xls whose cells are unchanged is therefore kept as it is."""
    exe = ssconvert_exe()
    tmp = dst + '.new' + os.path.splitext(dst)[1]
    if os.path.exists(tmp):
        os.remove(tmp)
    r = subprocess.run([exe, src, tmp], capture_output=True, text=True)
    if r.returncode != 0 or not os.path.exists(tmp):
        sys.exit(f'make_samples: ssconvert {src} {dst} failed: {r.stderr.strip()}')
    if dst.endswith('.ods') and when is not None:
        normalise_zip(tmp, when)
    new = sheet_texts(tmp)
    if new != sheet_texts(src):
        sys.exit(f'make_samples: {dst} does not read back with the cells of {src}')
    if os.path.exists(dst) and sheet_texts(dst) == new:
        os.remove(tmp)            # same content: keep the committed bytes
    else:
        os.replace(tmp, dst)


def write_excel_csv(path, rows):
    """A CSV the way Excel's "CSV UTF-8" export writes it: BOM, CRLF, minimal quoting, every row
    padded to the used width."""
    width = max(len(r) for r in rows)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator='\r\n', quoting=csv.QUOTE_MINIMAL)
    for r in rows:
        w.writerow([('' if v is None else v) for v in r] + [''] * (width - len(r)))
    with open(path, 'wb') as f:
        f.write(b'\xef\xbb\xbf' + buf.getvalue().encode('utf-8'))


# openpyxl styles used by the council-looking workbooks
ARIAL = Font(name='Arial', size=10)
ARIAL_B = Font(name='Arial', size=10, bold=True)
TITLE = Font(name='Arial', size=14, bold=True)
SECTION = Font(name='Arial', size=12, bold=True)
WRAP = Alignment(wrap_text=True, vertical='top')
THIN = Side(style='thin', color='808080')
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill('solid', fgColor='D9D9D9')
RAG_FILL = {'Green': PatternFill('solid', fgColor='00B050'),
            'Amber': PatternFill('solid', fgColor='FFC000'),
            'Red': PatternFill('solid', fgColor='FF0000')}


def rag_fill(value):
    v = (value or '').strip()
    for k, f in RAG_FILL.items():
        if v.startswith(k) and v != 'Greenish':
            return f
    return None


def put(ws, row, col, value, font=ARIAL, fill=None, border=True, fmt=None, align=WRAP):
    c = ws.cell(row=row, column=col, value=value)
    c.font = font
    c.alignment = align
    if border:
        c.border = BOX
    if fill is not None:
        c.fill = fill
    if fmt:
        c.number_format = fmt
    return c


def fix_openpyxl_props(wb, when, title, creator='London Borough of Bromley'):
    wb.properties.creator = creator
    wb.properties.lastModifiedBy = creator
    wb.properties.title = title
    wb.properties.created = when
    wb.properties.modified = when


# ----------------------------------------------------------------------------------------------
# 1. portfolio-plan-half-year  (seed 000)
# ----------------------------------------------------------------------------------------------

HY_SHEET = 'Portfolio Plan 2016-17'
HY_WHEN = dt.datetime(2016, 12, 1, 9, 0, 0)
HY_WIDTHS = {1: 9, 2: 32, 3: 16, 4: 45, 5: 70, 6: 50}
NUMBER_WORDS = {'one': 1, 'two': 2, 'three': 3, 'four': 4, 'five': 5, 'six': 6, 'seven': 7,
                'eight': 8, 'nine': 9, 'ten': 10, 'eleven': 11, 'twelve': 12, 'thirteen': 13}


def classify_halfyear(lines):
    """Seed 000 → list of (kind, cells, seed_line_number) from the title line on.

    kinds: title, section, statement, header, action, continuation, ind_header, indicator,
    note, blank.  Row r of the sheet is seed line r + 2 (the seed starts with two blank lines)."""
    out = []
    for n, text in enumerate(lines[2:], start=3):
        if text.strip() == '':
            out.append(('blank', [], n))
        elif n == 3:
            out.append(('title', [text], n))
        elif text.startswith('Priority Outcome'):
            out.append(('section', [text], n))
        elif '\t' not in text:
            out.append(('statement', [text], n))
        else:
            c = text.split('\t')
            if c[0] == 'No':
                out.append(('header', c, n))
            elif c[0].startswith('We will measure'):
                out.append(('ind_header', c, n))
            elif len(c) == 6:
                kind = 'continuation' if not any(x.strip() for x in c[:4]) else 'action'
                out.append((kind, c, n))
            elif re.fullmatch(r'\d+\.', c[0]):
                out.append(('indicator', c, n))
            else:
                out.append(('note', c, n))
    return out


def halfyear_facts(rows):
    """Counts per section, computed from the classified rows with the DOMAIN §1.1 convention."""
    sections = []
    for kind, c, n in rows:
        if kind == 'section':
            sections.append(dict(name=c[0], line=n, actions=0, green=0, more=0, na=0, other=0,
                                 continuations=0, indicators=0, notes=0, aims=[]))
        elif kind == 'statement':
            sections[-1]['statement'] = c[0]
            sections[-1]['statement_line'] = n
        elif kind == 'action':
            s = sections[-1]
            s['actions'] += 1
            rag = c[2].strip()
            if c[0].strip():
                s['aims'].append((c[0].strip(), n))
            if rag == 'Green':
                s['green'] += 1
            elif rag.startswith('Amber') or rag.startswith('Red'):
                s['more'] += 1
            elif rag == 'N/A':
                s['na'] += 1
            else:
                s['other'] += 1
        elif kind == 'continuation':
            sections[-1]['continuations'] += 1
        elif kind == 'indicator':
            sections[-1]['indicators'] += 1
        elif kind == 'note':
            sections[-1]['notes'] += 1
    for s in sections:
        m = re.search(r'As at the end of November, (\w+) (?:out )?of (\w+) actions .*? (?:are|is) on track '
                      r'with (\w+) actions? requiring more work', s['statement'])
        s['claim'] = tuple(NUMBER_WORDS[w] for w in m.groups())
    return sections


def build_halfyear(lines, mistakes):
    """The classified rows, with the planted mistakes applied when `mistakes` is true."""
    rows = [(k, list(c), n) for k, c, n in classify_halfyear(lines)]
    if not mistakes:
        return rows

    def at(n):
        for i, (k, c, m) in enumerate(rows):
            if m == n:
                return i
        raise KeyError(n)

    # (a) outcome 1 summary says six on track (table: five Green)
    i = at(7)
    rows[i][1][0] = rows[i][1][0].replace('five out of eight', 'six out of eight')
    # (b) an unknown RAG value in place of 3.1's N/A
    i = at(68)
    assert rows[i][1][2] == 'N/A'
    rows[i][1][2] = 'Greenish'
    # (c) aim 5.4 numbered 5.3 again
    i = at(158)
    assert rows[i][1][0] == '5.4'
    rows[i][1][0] = '5.3'
    # (d) the Actions text of the third action of aim 6.1 blanked
    i = at(180)
    assert rows[i][1][3].startswith('Strengthen the level of money advice')
    rows[i][1][3] = ''
    # (e) a placeholder left in an outturn
    i = at(168)
    assert rows[i][1][3] == '4 (November)'
    rows[i][1][3] = '4 (insert month)'
    # (f) a percentage target for a count
    i = at(102)
    assert rows[i][1][2] == '22'
    rows[i][1][2] = '50%'
    # (g) a percentage that disagrees with its own numerator/denominator
    i = at(201)
    assert '85.9% (483/562)' in rows[i][1][3]
    rows[i][1][3] = rows[i][1][3].replace('85.9% (483/562)', '58.9% (483/562)')
    return rows


def write_halfyear_xlsx(path, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = HY_SHEET
    fix_openpyxl_props(wb, HY_WHEN, 'Care Services Portfolio Plan Half Year Update 2016/17')
    for col, w in HY_WIDTHS.items():
        ws.column_dimensions[get_column_letter(col)].width = w
    ws.page_setup.orientation = 'landscape'
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    merge_start = None  # (row, ) of the aim whose No/aim cells are being merged down
    merge_end = None

    def close_merge():
        nonlocal merge_start, merge_end
        if merge_start is not None and merge_end > merge_start:
            ws.merge_cells(start_row=merge_start, start_column=1, end_row=merge_end, end_column=1)
            ws.merge_cells(start_row=merge_start, start_column=2, end_row=merge_end, end_column=2)
        merge_start = merge_end = None

    for kind, c, n in rows:
        r = n - 2
        if kind != 'action' or c[0].strip():
            close_merge()
        if kind == 'blank':
            continue
        if kind == 'title':
            put(ws, r, 1, c[0], font=TITLE, border=False, align=Alignment(vertical='top'))
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=6)
        elif kind == 'section':
            put(ws, r, 1, c[0], font=SECTION, border=False, align=Alignment(vertical='top'))
        elif kind == 'statement':
            put(ws, r, 1, c[0], border=False)
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=6)
            ws.row_dimensions[r].height = 42
        elif kind == 'header':
            for j, v in enumerate(c, start=1):
                put(ws, r, j, v, font=ARIAL_B, fill=HEAD_FILL)
            if n > 9 and rows_before_is_page_break(rows, n):
                ws.row_breaks.append(Break(id=r - 1))
        elif kind in ('action', 'continuation'):
            for j, v in enumerate(c, start=1):
                if v.strip() == '':
                    if j <= 4 and kind == 'action':
                        put(ws, r, j, None)  # bordered empty cell, as in the council's grid
                    continue
                put(ws, r, j, v, fill=rag_fill(v) if j == 3 else None)
            if kind == 'action':
                if c[0].strip():
                    merge_start = merge_end = r
                elif merge_start is not None:
                    merge_end = r
        elif kind == 'ind_header':
            for j, v in enumerate(c, start=1):
                put(ws, r, j, v if v else None, font=ARIAL_B, fill=HEAD_FILL)
        elif kind == 'indicator':
            put(ws, r, 1, c[0])
            put(ws, r, 2, c[1])
            for j in (3, 4):
                value, fmt = typed(c[j - 1])
                put(ws, r, j, value, fmt=fmt)
        elif kind == 'note':
            put(ws, r, 1, c[0])
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=4)
    close_merge()
    wb.save(path)
    normalise_zip(path, HY_WHEN)


def rows_before_is_page_break(rows, n):
    """A repeated header (not the first of its section) marks a page break in the seed."""
    for i, (k, c, m) in enumerate(rows):
        if m == n:
            j = i - 1
            while j >= 0 and rows[j][0] == 'blank':
                j -= 1
            return rows[j][0] in ('action', 'continuation')
    return False


def halfyear_expectations(name, rows, mistakes, fmt_note):
    sections = halfyear_facts(rows)
    total_actions = sum(s['actions'] for s in sections)
    rated = sum(s['green'] + s['more'] for s in sections)
    na = sum(s['na'] for s in sections)
    other = sum(s['other'] for s in sections)
    conts = sum(s['continuations'] for s in sections)
    inds = sum(s['indicators'] for s in sections)
    notes = sum(s['notes'] for s in sections)
    headers = sum(1 for k, c, n in rows if k == 'header')
    if not mistakes:
        # the brief's numbers, checked against the seed
        assert (len(sections), total_actions, rated, na, conts, inds, notes) == (6, 53, 52, 1, 3, 37, 1), \
            (len(sections), total_actions, rated, na, conts, inds, notes)
        for s in sections:
            assert s['claim'] == (s['green'], s['green'] + s['more'], s['more']), (s['name'], s['claim'])
    info = EXP.add_file(
        name, mapping='portfolio-plan-half-year', sheet=HY_SHEET,
        source='seed 000 (Care Services Portfolio Plan Half Year Update 2016/17, November 2016): '
               'all six Priority Outcomes, every row of the seed in order; seed line N is sheet row N−2',
        counts=dict(sections=len(sections), records=total_actions + inds, actions=total_actions,
                    rag_rated=rated, rag_na=na, rag_unknown=other, continuation_rows=conts,
                    indicators=inds, note_rows=notes, header_rows=headers,
                    as_of='2016-11-30', plan_period='2016-04-01..2017-03-31'),
    )
    info['sections'] = [
        dict(section=s['name'], row=s['line'] - 2, statement_cell=f"A{s['statement_line'] - 2}",
             claim_on_track=s['claim'][0], claim_of=s['claim'][1], claim_more_work=s['claim'][2],
             green=s['green'], amber_or_red=s['more'], na=s['na'], unknown=s['other'],
             actions=s['actions'], continuation_rows=s['continuations'],
             indicators=s['indicators'], note_rows=s['notes'],
             aims=', '.join(f'{a} (row {ln - 2})' for a, ln in s['aims']))
        for s in sections]
    info['notes'].append(fmt_note)
    if not mistakes:
        info['notes'].append(
            'Verified against the seed (the script asserts it): 6 sections; 53 actions = 52 RAG-rated (36 Green, '
            '15 Amber, 1 "Amber (Central Government Delay)" — action 1.3, C22) + 1 "N/A" (3.1, C66); 3 continuation '
            'rows (76, 130, 159) not counted; 37 indicators (5 + 4 + 10 + 5 + 6 + 7); 1 note row (A59); 37 header '
            'rows. Every "X out of Y" summary agrees with its table under the DOMAIN §1.1 convention. Outcome 1 '
            'indicator 4 (D29) is "90.5% (191/211) October". Two real mistakes are carried over: the ratio of outcome 1 '
            'indicator 5 and — already in the seed, not planted — the 50% target of outcome 6 indicator 2 '
            '"Number of homeless acceptances" against counts.')
    assert mistakes or (sum(1 for k, c, n in rows if k == 'action' and c[2] == 'Green'),
                        sum(1 for k, c, n in rows if k == 'action' and c[2] == 'Amber')) == (36, 15)

    def row_of(n):
        return n - 2

    # real mistakes carried over from the seed (both variants)
    EXP.finding(name, 'TOTAL-RATIO', HY_SHEET, f'D{row_of(32)}', '1: indicator 5', '50.8%', '50.5%', 'real',
                'Outcome 1 indicator 5 (ASCOF 2d(1)) outturn "50.5% (92/181) October": 92/181 = 50.83%, '
                'stated 50.5%', contains='50.5% (92/181)')
    EXP.finding(name, 'VALUE-UNIT', HY_SHEET, f'C{row_of(202)}', '6: indicator 2', 'a count (like the outturn)', '50%',
                'real', 'Outcome 6 indicator 2 "Number of homeless acceptances recorded within the quarter": '
                'target 50% (typed as a percentage: 0.5 shown 50%) while the outturn D'
                f'{row_of(202)} "220 (Q1) 246 (Q2)" is a count', severity='warning', contains=0.5)
    if mistakes:
        s1 = sections[0]
        EXP.finding(name, 'TOTAL-COUNT', HY_SHEET, f'A{row_of(7)}', '1', '5', '6', 'planted',
                    'Outcome 1 summary says "six out of eight actions ... on track"; the table has 5 Green '
                    'of 8 (3 more-work matches)', contains='six out of eight')
        EXP.finding(name, 'FIELD-ENUM', HY_SHEET, f'C{row_of(68)}', '3.1', 'Red/Amber/Green/Blue/NA', 'Greenish',
                    'planted', 'RAG status of the first action of aim 3.1 (was N/A) is not a RAG value. '
                    'It counts as neither on track nor more work, so outcome 3 still has 8 Green + 2 Amber '
                    'and its summary ("eight out of ten ... two") still agrees: no TOTAL-COUNT for outcome 3')
        EXP.finding(name, 'ID-DUPLICATE', HY_SHEET, f'A{row_of(158)}', '5.3', '5.4', '5.3', 'planted',
                    'aim "Everyone enjoys physical safety and feels secure" is numbered 5.3, the number of the '
                    f'aim at A{row_of(153)}; no gap results (5.1, 5.2, 5.3, 5.3), so no ID-SEQUENCE')
        EXP.finding(name, 'FIELD-REQUIRED', HY_SHEET, f'D{row_of(180)}', '6.1 (3rd action)', 'Actions text', '',
                    'planted', 'Actions cell of the third action of aim 6.1 (RAG Green, update filled) is empty; '
                    'the row is not a continuation because its RAG is filled', contains='')
        EXP.finding(name, 'VALUE-PLACEHOLDER', HY_SHEET, f'D{row_of(168)}', '5: indicator 5', 'a month',
                    '4 (insert month)', 'planted', 'Outcome 5 indicator 5 outturn has "(insert month)" left in')
        EXP.finding(name, 'VALUE-UNIT', HY_SHEET, f'C{row_of(102)}', '3: indicator 5', 'a count (like the outturn)',
                    '50%', 'planted', 'Outcome 3 indicator 5 "Number of newly approved foster carer households": '
                    f'target typed as 50% (0.5, format 0%) while the outturn D{row_of(102)} is the count 6',
                    severity='warning', contains=0.5)
        EXP.finding(name, 'TOTAL-RATIO', HY_SHEET, f'D{row_of(201)}', '6: indicator 1', '85.9%', '58.9%', 'planted',
                    'Outcome 6 indicator 1 Q2 "58.9% (483/562)": 483/562 = 85.94% (digits transposed)',
                    contains='58.9% (483/562)')
    # what must not be reported
    info['must_not'] += [
        'TOTAL-COUNT on outcomes 2–6 (every summary agrees under the convention: on track = Green; '
        'more work = Amber family and Red; Y = on track + more work; N/A excluded; continuation rows never counted)'
        + ('' if mistakes else ' — nor on outcome 1'),
        f'TOTAL-RATIO on D{row_of(31)} "90.5% (191/211) October" (191/211 = 90.52%) and on the Q1 part of '
        f'D{row_of(201)} "96.2% (481/500)"' + ('' if mistakes else ' or its Q2 part "85.9% (483/562)" (85.94%)'),
        f'TOTAL-RATIO on D{row_of(57)} "234 (60%)" (60% is the share of the 388 target: 60.3%; no numerator/denominator) '
        f'and D{row_of(104)} "16 (13.4%)"',
        f'VALUE-UNIT where a plain-number target has "(%)" in its description (outcome 1 indicators 1–5, '
        f'outcome 4 indicators 1–2, outcome 5 indicators 1–3: e.g. C{row_of(31)} 90 vs "90.5% …"), and on '
        f'D{row_of(201)} (outcome 6 indicator 1: target 65% and the outturn has percentage observations besides the count 964)',
        'FIELD-REQUIRED / FIELD-ENUM on the 3 continuation rows '
        f'(rows {", ".join(str(row_of(n)) for k, c, n in rows if k == "continuation")}): No, aim, RAG and Actions are empty by design',
        'FIELD-REQUIRED on the blank No / We aimed to cells of further actions of an aim (merged or after a repeated header: fill down)',
        f'anything on the note row A{row_of(61)} ("A full dataset is being developed …")',
        f'ID-SEQUENCE on the action rows: `No` holds aim numbers only (1.1, 1.2, 1.3, 2.1 …)'
        + (f'; in this variant 5.1, 5.2, 5.3, 5.3 has no gap' if mistakes else ''),
    ]
    if mistakes:
        info['clean'] += [
            'the "X out of Y" summaries of outcomes 2–6 (TOTAL-COUNT): outcome 3 included, see finding 4',
            'the indicator tables of outcomes 2 and 4 (no finding at all); outcome 3 apart from the planted C100, '
            'outcome 5 apart from the planted D166',
        ]
    else:
        info['clean'] += [
            'all six "X out of Y" summaries against their action tables (no TOTAL-COUNT)',
            'the indicator tables of outcomes 2, 3, 4 and 5 (no finding at all); the action tables (no FIELD-*, '
            'ID-* finding)',
        ]
    return sections


# ----------------------------------------------------------------------------------------------
# 2. portfolio-plan-quarterly  (seed 004)
# ----------------------------------------------------------------------------------------------

Q_SHEET = 'CEF Portfolio Plan Q3'
Q_WHEN = dt.datetime(2021, 1, 29, 9, 0, 0)
Q_TITLE = 'Children, Education and Families Portfolio Plan for 2020/21 Quarter 3 Update'
MONTHS = {m: i for i, m in enumerate(['January', 'February', 'March', 'April', 'May', 'June', 'July',
                                      'August', 'September', 'October', 'November', 'December'], 1)}


def month_end(y, m):
    return (dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1))


def build_quarterly(lines):
    """Seed 004 → list of (kind, cells, seed_line).  Narrative blocks are compacted (one blank
    row between blocks); table regions keep every seed line as one row, including the blank
    page-break rows, the dash separator rows and the UPDATES-only continuation rows."""
    starts = [i for i, t in enumerate(lines) if re.match(r'^Priority \d', t)]
    rows = [('title', [' '.join(lines[i].strip() for i in (2, 4, 6))], 3), ('blank', [], None)]
    for si, s in enumerate(starts):
        e = starts[si + 1] if si + 1 < len(starts) else len(lines)
        rows.append(('section', [lines[s]], s + 1))
        i = s + 1
        if lines[s].strip() in ('Priority 1', 'Priority 3', 'Priority 4', 'Priority 5'):
            while lines[i].strip() == '':
                i += 1
            rows.append(('section_title', [lines[i]], i + 1))
            i += 1
        header = next(k for k in range(i, e) if lines[k].startswith('ACTION\t'))
        for k in range(i, header):
            t = lines[k]
            if t.strip() == '':
                continue
            if t in ('Our Ambitions:', 'Strategic links:', 'What are we going to do?'):
                rows.append(('blank', [], None))
                rows.append(('label', [t], k + 1))
            else:
                rows.append(('text', [t], k + 1))
        rows.append(('header', cells_of(lines[header], 6), header + 1))
        end = e
        while lines[end - 1].strip() == '':
            end -= 1
        for k in range(header + 1, end):
            t = lines[k]
            if t.strip() == '':
                rows.append(('blank', [], k + 1))
            elif re.fullmatch(r'[-\t]+', t):
                rows.append(('separator', t.split('\t'), k + 1))
            else:
                c = cells_of(t, 6)
                kind = 'continuation' if not any(x.strip() for x in c[:5]) else 'row'
                rows.append((kind, c, k + 1))
        rows.append(('blank', [], None))
    while rows[-1][0] == 'blank':
        rows.pop()
    return rows


def write_quarterly_xlsx(path, rows, sheet=Q_SHEET, title=Q_TITLE, when=Q_WHEN):
    wb = xlsxwriter.Workbook(path)
    wb.set_properties({'title': title, 'author': 'Children, Education and Families Department',
                       'company': 'London Borough of Bromley', 'created': when})
    ws = wb.add_worksheet(sheet)
    f_title = wb.add_format({'bold': True, 'font_size': 14, 'font_name': 'Arial'})
    f_sec = wb.add_format({'bold': True, 'font_size': 12, 'font_name': 'Arial', 'font_color': '#1F4E79'})
    f_label = wb.add_format({'bold': True, 'font_name': 'Arial', 'font_size': 10})
    f_text = wb.add_format({'font_name': 'Arial', 'font_size': 10})
    f_head = wb.add_format({'bold': True, 'font_name': 'Arial', 'font_size': 10, 'bg_color': '#BDD7EE',
                            'border': 1, 'text_wrap': True, 'valign': 'top'})
    f_cell = wb.add_format({'font_name': 'Arial', 'font_size': 10, 'border': 1, 'text_wrap': True,
                            'valign': 'top'})
    f_sep = wb.add_format({'font_name': 'Arial', 'font_size': 10, 'font_color': '#808080'})
    for col, w in enumerate([30, 48, 36, 17, 30, 80]):
        ws.set_column(col, col, w)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    row_of = {}
    for r, (kind, c, n) in enumerate(rows):
        if n is not None:
            row_of[n] = r + 1
        if kind == 'blank':
            continue
        if kind == 'title':
            ws.write_string(r, 0, c[0], f_title)
        elif kind in ('section', 'section_title'):
            ws.write_string(r, 0, c[0], f_sec)
        elif kind == 'label':
            ws.write_string(r, 0, c[0], f_label)
        elif kind == 'text':
            ws.write_string(r, 0, c[0], f_text)
        elif kind == 'header':
            for j, v in enumerate(c):
                ws.write_string(r, j, v, f_head)
        elif kind == 'separator':
            for j, v in enumerate(c):
                ws.write_string(r, j, v, f_sep)
        else:
            for j, v in enumerate(c):
                if v.strip():
                    ws.write_string(r, j, v, f_cell)
                else:
                    ws.write_blank(r, j, None, f_cell)
    wb.close()
    normalise_zip(path, when)
    return row_of


def quarterly_expectations(name, rows, row_of, lines, fmt_note):
    sections = [c[0] for k, c, n in rows if k == 'section']
    actions, subs, leafs = [], [], 0
    current = None
    for kind, c, n in rows:
        if kind == 'section':
            sec = re.match(r'Priority (\d+)', c[0]).group(1)
        if kind != 'row':
            continue
        m = re.match(r'^(?:<p>)?(\d+)[.)] ', c[0])
        if m:
            current = (sec, m.group(1), n)
            actions.append(current)
        found = re.findall(r'(?:^|<p>)\s*([A-E])\) ', c[1])
        subs += [(current[0], current[1], x, n) for x in found]
    per_action = {}
    for s, a, x, n in subs:
        per_action.setdefault((s, a), []).append(x)
    leafs = sum(1 for s, a, n in actions if (s, a) not in per_action) + len(subs)
    conts = [n for k, c, n in rows if k == 'continuation']
    seps = [n for k, c, n in rows if k == 'separator']
    assert (len(sections), len(actions), len(subs), len(conts), len(seps)) == (5, 18, 21, 3, 3), \
        (len(sections), len(actions), len(subs), len(conts), len(seps))
    info = EXP.add_file(
        name, mapping='portfolio-plan-quarterly', sheet=Q_SHEET,
        source='seed 004 (Children, Education and Families Portfolio Plan 2020/21 Quarter 3 Update): '
               'all five priorities, every table line of the seed in order (narrative blocks compacted)',
        counts=dict(sections=5, actions=len(actions), sub_actions=len(subs),
                    records_if_sub_actions_are_records=leafs, continuation_rows=len(conts),
                    separator_rows=len(seps), as_of='2020-12-31', plan_period='2020-04-01..2021-03-31'))
    info['notes'].append(fmt_note)
    info['actions'] = ', '.join(f'P{s}.{a} (A{row_of[n]})' for s, a, n in actions)
    info['sub_actions'] = ', '.join(f'P{s}.{a}: {"".join(v)}' for (s, a), v in per_action.items())
    info['continuation_rows'] = ', '.join(f'row {row_of[n]}' for n in conts)
    info['separator_rows'] = ', '.join(f'row {row_of[n]}' for n in seps)

    r106 = row_of[106]
    EXP.finding(name, 'ID-SEQUENCE', Q_SHEET, f'A{r106}', '3.4', '3', '4', 'real',
                'Priority 3 actions are numbered 1, 2, 4, 5, 6, 7: action 3 is missing '
                '("4. Narrow the educational gap" follows "2. Sufficiency for funded childcare")',
                contains='4. Narrow the educational gap')
    r105 = row_of[105]
    EXP.finding(name, 'TIME-OVERDUE', Q_SHEET, f'D{r105}', '3.2.B', 'complete by 2020-09-30 (or a later date)',
                'September 2020', 'real',
                'Priority 3 action 2 sub-action B (digital solution for Early Years funding): target September 2020 '
                '(2nd <p> of the cell) ended before as_of 2020-12-31 and the update says "Parent portal now under '
                'development"', contains='<p>September 2020</p>')
    EXP.finding(name, 'TIME-OVERDUE', Q_SHEET, f'D{r105}', '3.2.C', 'complete by 2020-06-30 (or a later date)',
                'June 2020', 'real',
                'Priority 3 action 2 sub-action C (updated sufficiency report): target June 2020 (3rd <p>) ended '
                'before as_of 2020-12-31; the update says the contract is "due to commence January 2021. Report '
                'due April 2021"', contains='<p>June 2020</p>')
    # a self-check: no other target date ends before as_of
    overdue = []
    for kind, c, n in rows:
        if kind == 'row':
            for mname, y in re.findall(r'(January|February|March|April|May|June|July|August|September|'
                                       r'October|November|December) (\d{4})', c[3]):
                if month_end(int(y), MONTHS[mname]) < dt.date(2020, 12, 31):
                    overdue.append((n, mname, y))
    assert overdue == [(105, 'September', '2020'), (105, 'June', '2020')], overdue
    # targets outside the plan period 2020/21 (warning rule; listed for completeness)
    for kind, c, n in rows:
        if kind != 'row' or not c[3].strip():
            continue
        outside = []
        for mname, y in re.findall(r'(January|February|March|April|May|June|July|August|September|'
                                   r'October|November|December) (\d{4})', c[3]):
            first = dt.date(int(y), MONTHS[mname], 1)
            if first > dt.date(2021, 3, 31) or month_end(int(y), MONTHS[mname]) < dt.date(2020, 4, 1):
                outside.append(f'{mname} {y}')
        if outside:
            EXP.conditional(name, 'TIME-OUTSIDE-PLAN', Q_SHEET, f'D{row_of[n]}', None, c[3],
                            'if TIME-OUTSIDE-PLAN is enabled with plan period 2020/21 (2020-04-01..2021-03-31): '
                            + ', '.join(outside) + ' after the plan period')
    r111 = row_of[111]
    EXP.conditional(name, 'FIELD-REQUIRED', Q_SHEET, f'D{r111}', '3.5.B', '',
                    'TARGET DATE (and LEAD E%d) of sub-action 3.5.B are blank in the seed; a finding only if '
                    'TARGET DATE is required without fill-down from sub-action A ("April 2022 [AP]")' % r111,
                    severity='error', contains='')
    info['must_not'] += [
        'TIME-OVERDUE on "January 2021" (P1 action 3 C, D%d: ends 2021-01-31, after as_of) or on any '
        '"March 2021" / "April 2021" / "April 2022" target' % row_of[40],
        'TIME-UNPARSED on "April 2022 [AP]" / "April 2021 [AP]" ([AP] is a flag to keep) or on "<p>April 2022</p>" cells',
        'anything on the three separator rows of dashes (%s) or the blank page-break rows' % info['separator_rows'],
        'FIELD-REQUIRED on the UPDATES-only continuation rows (%s): they append to the action above '
        '(row %d continues P4 action 2 across a separator row)' % (info['continuation_rows'], row_of[145]),
        'ID-SEQUENCE on priorities 1, 2, 4, 5 (P2 has one action "1." with sub-actions A–E; '
        'P4 action 2 is written "<p>2. Local specialist SEND provision</p>")',
    ]
    info['clean'] += ['priorities 1, 2, 4 and 5 (no definite finding)']
    return info


# ----------------------------------------------------------------------------------------------
# 3. improvement-action-plan  (seed 003)
# ----------------------------------------------------------------------------------------------

IMP_WHEN = dt.datetime(2016, 7, 15, 9, 0, 0)
# The reporting line of the monthly highlight report (seed 003, section 3: "The SIT will
# coordinate a monthly highlight report to update progress against each action"), so that the
# plan states the date its timescales are judged against.
IMP_POSITION = ("Monthly highlight report to the Children's Service Improvement Governance Board: "
                "position at 31 October 2016")
IMP_TITLE = "DRAFT London Borough of Bromley Children's Service Improvement Action Plan June 2016 – October 2017"

# Priority 5 sub-areas 5.1–5.3 are an OCR'd image in the seed (one wrapped line per row);
# these are the same words joined back into cells, OCR slips corrected (Paner→Panel, HUS→HOS).
P5_1_3 = [
    ['5.1', 'Quality assurance and standards (CLA) There is no senior manager with a single line of sight or '
            'overall responsibility for the progress of all children looked after. Para 54 Rec 2',
     '5.1.1 Review current Head of Service work streams to identify one senior manager with strategic oversight '
     'for corporate parenting and CLA. 5.1.2 Update CLA strategy ensuring the needs of CLA and care leavers up to '
     'the age of 25 are included. 5.1.3 A regular six-monthly CLA strategy report to be presented to the Corporate '
     'Parenting Panel and scheduled to begin in July 2017. 5.1.4 Strategic HOS for corporate parenting establishes '
     'CLA practice standards and circulate to all managers. Including: - Risk assessments associated with '
     'offending, substance misuse etc - Strategies for young people being protected and keeping themselves safe.',
     'Apr - Jun 17 Jul 17', 'HOS C&R', 'Task and finish group LBB Health Schools/ Education Virtual School'],
    ['5.2', 'Permanency (CLA) Not all children who become looked after have clear and timely pathways to '
            'permanence. Para 52 Rec 10',
     '5.2.1 Redraft the permanency policy outlining practice standards, practice considerations and timeframes, '
     'and guidance for the completion of child permanency reports and matching reports. 5.2.2 Set up a new Early '
     'Permanency Panel (EPP) to help implement the permanency protocol by reviewing and tracking all permanency '
     'decisions. 5.2.3 Draft terms of reference for the Early Permanency Panel to include frequency, objectives, '
     'membership and outcomes. The permanency policy and terms of reference to include: - all CLA cases will be '
     'considered by the Early Permanency Panel after 6 weeks in the service and will have a permanency plan on '
     'file, with actions tracked ensure adoption is fully considered as a parallel plan or main plan for children '
     'where appropriate, at the earliest time possible. - All children to have individual permanency planning '
     'meetings by the second LAC Review - All Children who are made subject to S.20 and where they are not '
     'rehabilitated safely home within six weeks will be presented to the early permanence panel for scrutiny. '
     'Where appropriate cases will be referred for legal planning meeting to establish whether the threshold for '
     'care proceedings are met. - When the early permanence panel has identified further work could be undertaken '
     'to return the child home monitored by the panel bi-monthly. - For all cases whereby a child or young person '
     'has been looked after for a period of three months under a Section 20 arrangement the IRO will be required '
     'to formally review the Care Plan to prevent drift. - The fostering and adoption panels to quality assure '
     'permanency reports and provide feedback to front-line staff via the panel advisors. 5.2.4 The HoS C&R to '
     "'dip sample' 1 report from each Early Permanency Panel for compliance, quality and timeliness with the "
     'policy 5.2.5 Independent review of the Early Permanency Panel after 3 months to assess quality and impact. '
     '5.2.6 Present the permanency policy as part of the permanency conference. 5.2.7 Develop a (quarterly) '
     'permanency tracker report, overseen by the QI team, to ensure all children have timely permanent care plans. '
     '5.2.8 Set up monthly management meeting with GM QI and Head of Services to review QI permanency tracking and '
     'intervene quickly for any child who is not progressing 5.2.9 Permanency tracker to be sent to SMT and DMT '
     'and Improvement Board quarterly to provide reassurance, oversight and scrutiny from Oct 16.',
     'By Dec 16 Aug 16 Oct 16 By Dec 16 Oct 16', 'DCS HOS QI', 'N/A'],
    ['5.3', 'Reducing Drift (CLA) The majority of placement plans seen do not contain the information that carers '
            'require to understand the arrangements for children\'s care. In a small number of',
     '5.3.1 Mandatory training session for all IROs and GM QI on practice standards and requirements of their '
     'role. 5.3.2 An independent quality assurance review and audit of CLA Reviews, to scrutinise and challenge IRO '
     'practice and ensure CLA reviews meet statutory requirements. Review to include consideration of IRO caseloads '
     "and administrative systems, quality of minutes and children's consultation and mid-way monitoring. Report to "
     'identify key areas for improvement and a SMART IRO improvement action plan to be monitored by the GM QI. '
     '5.3.3 Quarterly report of progress against IRO improvement action plan to the Improvement Board. 5.3.4 DMT '
     'and the Improvement Board to monitor the number of escalations and the timeliness of their resolution.',
     'Sep 16', 'HOS QI', 'N/A'],
]

P4_4 = ['4.4', 'Risk Management (CIN & CP) The majority of CP and CIN plans are not specific enough and in too '
               'many cases risks does not inform the subsequent plan Para 27 Rec 6',
        '<ul> <li>4.4.1 Agree standards of SMART plans for Child in Need and Child Protection cases.</li> '
        '<li>4.4.2 Line Managers to review all open CIN and CP cases and ensure the plans are SMART and of good '
        'quality, and work with social workers to improve these (e.g. take off old actions that have been '
        'completed, make sure the actions are specific and address the risks, and make sure there are clear '
        'timescales for existing actions). The review to also include identifying the contingency plan for each '
        'case and clearly recording this.</li> <li>4.4.3 The revised practice standards document to include a '
        'requirement for all CP and CIN plans to have a contingency plan and that the plan is easily '
        'understandable to the families.</li> <li>4.4.4 Develop a user-friendly risk analysis template for '
        'front-line staff.</li> <li>4.4.5 Supervision policy to be updated to include a requirement that the QI '
        'GM audits 3 CP plans as part of every monthly supervision with CP chairs; to be implemented with '
        'immediate effect. Links to 2.6</li> </ul>',
        'End of Sep16', 'HOS QI', 'N/A']


def strip_md(text):
    return re.sub(r'^#+\s*', '', text).replace('**', '').strip()


def improvement_sheets(L):
    """Seed 003 → {sheet: [(kind, cells, key)]}.  kinds: title, text, blank, header, row, cont,
    mtitle, mheader, mrow, group, note.  key names rows the expectations refer to."""
    def six(n, starts, shift=None):
        c = cells_of(line(L, n, starts))
        if shift is not None:
            c = [shift] + c
        return (c + [''] * 6)[:6]

    def seven(n, starts):
        return cells_of(line(L, n, starts), 7)

    sheets = {}
    key_rows = [('title', [IMP_TITLE], None), ('text', [IMP_POSITION], None),
                ('text', [strip_md(line(L, 39, '### Key to abbreviations'))], None),
                ('kheader', cells_of(line(L, 41, 'Abbrev.')), None)]
    for n in range(43, 69):
        key_rows.append(('krow', cells_of(L[n - 1]), None))
    sheets['Key'] = key_rows

    p1 = [('title', [strip_md(line(L, 70, '# Priority One'))], None),
          ('text', [strip_md(line(L, 99, '**Lead officer:**'))], None), ('blank', [], None),
          ('header', six(102, 'ID\t'), None)]
    for n, s in ((103, '1.1\t'), (104, '1.2\t'), (105, '1.3\t'), (106, '1.4\t'), (107, '1.5\t')):
        p1.append(('row', six(n, s), s.strip()))
    p1.append(('cont', six(109, 'collaboration and governance', shift=''), '1.5+'))
    p1.append(('cont', six(110, '\t<ul> <li>Corporate Parenting Board', shift=''), '1.5++'))
    p1.append(('row', six(111, 'The impact of the scrutiny', shift='1.6'), '1.6'))
    p1.append(('row', six(112, 'Engagement sessions for senior leaders', shift='1.7'), '1.7'))
    p1.append(('blank', [], None))
    p1.append(('header', six(115, 'ID\t'), None))
    p1.append(('cont', six(116, '\t\tinput on key service'), '1.7+'))
    for n, s in ((117, '1.8\t'), (118, '1.9\t'), (119, '1.10\t')):
        p1.append(('row', six(n, s), s.strip()))
    sheets['Priority 1'] = p1

    p2 = [('title', [strip_md(line(L, 121, '# Priority Two'))], None),
          ('text', [strip_md(line(L, 156, 'Lead officer:'))], None), ('blank', [], None),
          ('header', six(159, 'ID\t'), None)]
    for n, s in ((160, '2.1\t'), (161, '2.2\t'), (162, '2.3\t')):
        p2.append(('row', six(n, s), s.strip()))
    p2 += [('blank', [], None), ('header', six(164, 'ID\t'), None), ('header2', six(165, '\t\t\tJun 16'), None)]
    for n, s in ((166, '2.4\t'), (167, '2.5\t'), (168, '2.6\t'), (169, '2.7\t')):
        p2.append(('row', six(n, s), s.strip()))
    p2 += [('blank', [], None), ('header', six(171, 'ID\t'), None)]
    for n, s in ((172, '2.8\t'), (173, '2.9\t'), (174, '2.10\t'), (175, '2.11\t')):
        p2.append(('row', six(n, s), s.strip()))
    p2 += [('blank', [], None), ('mtitle', [strip_md(line(L, 177, '### Priority Two'))], None),
           ('blank', [], None), ('mheader', seven(179, 'No.\t'), None)]
    groups = {180: "DCS, CSC AD and HoS GM's DGM's to undertake X case file audits per month",
              190: 'Thematic audits (3 per quarter)', 193: 'External QA of case file audits',
              195: 'CP Chairs/IRO Monitoring forms (XX due each month)', 198: 'Caseloads'}
    for n in range(180, 207):
        if n in groups:
            p2.append(('group', [groups[n]], f'g{n}'))
        else:
            c = seven(n, '')
            p2.append(('mrow', c, c[0] or f'm{n}'))
    sheets['Priority 2'] = p2

    p4 = [('title', [cells_of(line(L, 303, 'Pr\t'))[1]], None),
          ('text', [strip_md(line(L, 301, '**Lead officer:**'))], None), ('blank', [], None),
          ('header', six(304, 'ID\t'), None)]
    for n, s in ((305, '4.1\t'), (306, '4.2\t'), (307, '4.3\t')):
        p4.append(('row', six(n, s), s.strip()))
    p4 += [('blank', [], None), ('header', six(309, 'ID\tIssue\t'), None),
           ('header2', six(310, '\t(Ofsted Para & Rec)'), None), ('row', list(P4_4), '4.4'),
           ('blank', [], None), ('mtitle', [strip_md(line(L, 342, '### Priority Four'))], None),
           ('blank', [], None), ('mheader', seven(344, 'No.\t'), None)]
    for n in range(345, 361):
        c = seven(n, '4')
        c[0] = {'41': '4l', '40': '4o'}.get(c[0], c[0])   # OCR read the letters l and o as digits
        p4.append(('mrow', c, c[0]))
    p4.append(('mrow', seven(361, '\tSee Audit measures'), 'note'))
    sheets['Priority 4'] = p4

    p5 = [('title', [strip_md(line(L, 363, '# Priority Five'))], None),
          ('text', [strip_md(line(L, 399, 'Lead officer:'))], None), ('blank', [], None),
          ('header', six(443, 'ID\t'), None)]
    for r in P5_1_3:
        p5.append(('row', list(r), r[0]))
    p5 += [('blank', [], None), ('header', six(443, 'ID\t'), None),
           ('cont', six(444, '\tcases, carers have not received'), '5.3+')]
    for n, s in ((445, '5.4\t'), (446, '5.5\t'), (447, '5.6\t')):
        p5.append(('row', six(n, s), s.strip()))
    c450 = six(450, '5.7\t')
    c451 = six(451, '\tOfsted. However')
    issue_56, issue_57 = c450[1].split('  Sufficiency of placements (CLA)  ')
    acts_56, acts_57 = c450[2].split('  5.7.1 ')
    acts_57 = '5.7.1 ' + acts_57.split('  - Creating a dedicated GM post')[0]
    p5 += [('blank', [], None), ('header', six(449, 'ID\t'), None),
           ('cont', ['', issue_56, acts_56, '', '', ''], '5.6+'),
           ('row', ['5.7', 'Sufficiency of placements (CLA)  ' + issue_57 + ' ' + c451[1],
                    acts_57 + ' ' + c451[2], c450[3], c450[4], c450[5]], '5.7'),
           ('row', six(452, '5.8\t'), '5.8'), ('blank', [], None)]
    h454 = six(454, 'IC\t')
    h454[0] = 'ID'                                            # OCR: IC
    p5.append(('header', h454, None))
    for n, fixed in ((455, '5.9'), (456, '5.10')):
        c = six(n, '5.\t')
        c[0] = fixed                                          # OCR dropped the second number
        p5.append(('row', c, fixed))
    sheets['Priority 5'] = p5

    p10 = [('title', [strip_md(line(L, 775, '# Priority Ten'))], None),
           ('text', [strip_md(line(L, 806, 'Lead officer:'))], None), ('blank', [], None),
           ('header', six(809, 'ID\t'), None)]
    for n in range(810, 816):
        c = six(n, '10.')
        p10.append(('row', c, c[0]))
    p10 += [('blank', [], None), ('mtitle', [strip_md(line(L, 817, '# Priority Ten'))], None),
            ('blank', [], None), ('mheader', seven(819, 'No.\t'), None)]
    for n in range(820, 829):
        c = seven(n, '10')
        p10.append(('mrow', c, c[0]))
    sheets['Priority 10'] = p10
    return sheets


def write_improvement_xlsx(path, sheets):
    """openpyxl workbook, one sheet per priority; returns {sheet: {key: row}}."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    fix_openpyxl_props(wb, IMP_WHEN, IMP_TITLE)
    where = {}
    for sname, rows in sheets.items():
        ws = wb.create_sheet(sname)
        where[sname] = {}
        widths = [12, 40] if sname == 'Key' else [8, 42, 70, 18, 16, 24, 14]
        for j, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(j)].width = w
        ws.page_setup.orientation = 'landscape'
        for r, (kind, c, key) in enumerate(rows, start=1):
            if key is not None:
                where[sname][key] = r
            if kind == 'blank':
                continue
            if kind == 'title':
                put(ws, r, 1, c[0], font=TITLE, border=False, align=Alignment(vertical='top'))
            elif kind in ('text', 'mtitle'):
                put(ws, r, 1, c[0], font=ARIAL_B if kind == 'mtitle' else ARIAL, border=False,
                    align=Alignment(vertical='top'))
            elif kind in ('header', 'header2', 'mheader', 'kheader'):
                for j, v in enumerate(c, start=1):
                    put(ws, r, j, v if v else None, font=ARIAL_B, fill=HEAD_FILL)
            elif kind == 'group':
                put(ws, r, 1, c[0], font=ARIAL_B)
                ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=7)
            elif kind == 'mrow':
                for j, v in enumerate(c, start=1):
                    if j >= 5 and v:
                        value, fmt = typed(v)
                        put(ws, r, j, value, fmt=fmt)
                    else:
                        put(ws, r, j, v if v else None)
            else:  # row, cont, krow
                for j, v in enumerate(c, start=1):
                    put(ws, r, j, v if v else None)
    wb.save(path)
    normalise_zip(path, IMP_WHEN)
    return where


ACTION_ID = re.compile(r'(?:^|<li>|\s)(\d+\.\d+\.\d+)(?=\s)')


def action_ids(text):
    """P.S.A numbers that start an action (list item or run of text), not references such as
    "Links to 4.4.5" or "(1.5.1)"."""
    out = []
    for m in ACTION_ID.finditer(text):
        before = text[max(0, m.start(1) - 9):m.start(1)]
        if before.endswith('Links to ') or before.endswith('('):
            continue
        out.append(m.group(1))
    return out


MONTH3 = r'(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*'


def improvement_expectations(name, sheets, where, fmt_note):
    plan_start, plan_end = dt.date(2016, 6, 1), dt.date(2017, 10, 31)
    anomalies = []
    n_actions = 0
    sub_areas = 0
    for sname, rows in sheets.items():
        if not sname.startswith('Priority'):
            continue
        current = None
        ids_by_area = {}
        for kind, c, key in rows:
            if kind == 'row':
                current = c[0]
                sub_areas += 1
            if kind in ('row', 'cont') and current:
                ids_by_area.setdefault(current, []).extend(action_ids(c[2]))
            if kind == 'row':
                for mon, yy in re.findall(MONTH3 + r'\s?(\d{2})\b', c[3]):
                    mm = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov',
                          'Dec'].index(mon[:3]) + 1
                    first = dt.date(2000 + int(yy), mm, 1)
                    if first > plan_end or month_end(2000 + int(yy), mm) < plan_start:
                        anomalies.append(('outside', sname, key, f'{mon} {yy}'))
        for area, ids in ids_by_area.items():
            n_actions += len(ids)
            last = 0
            for i in ids:
                parent = i.rsplit('.', 1)[0]
                num = int(i.rsplit('.', 1)[1])
                if parent != area:
                    anomalies.append(('parent', sname, area, i))
                elif num != last + 1:
                    anomalies.append(('sequence', sname, area, i))
                last = num
    expected_anomalies = [('sequence', 'Priority 2', '2.1', '2.1.4'),
                          ('parent', 'Priority 5', '5.6', '8.6.3'), ('parent', 'Priority 5', '5.6', '8.6.4'),
                          ('outside', 'Priority 10', '10.1', 'May 16')]
    assert sorted(anomalies) == sorted(expected_anomalies), anomalies
    measures = sum(1 for s, rows in sheets.items() for k, c, key in rows
                   if k == 'mrow' and re.fullmatch(r'\d+[a-z]', c[0]))
    info = EXP.add_file(
        name, mapping='improvement-action-plan', sheet=', '.join(sheets),
        source='seed 003 (Ofsted improvement action plan, June 2016 – October 2017): the key to lead '
               'abbreviations, priorities 1, 2, 4 (4.1–4.4), 5 and 10 with their tables, and the performance '
               'measures of priorities 2, 4 and 10',
        counts=dict(sections=5, sub_areas=sub_areas, numbered_actions=n_actions,
                    measures_with_ids=measures, plan_window='2016-06-01..2017-10-31'))
    info['notes'].append(fmt_note)
    w = where
    EXP.finding(name, 'ID-SEQUENCE', 'Priority 2', f"C{w['Priority 2']['2.1']}", '2.1.4', '2.1.3', '2.1.4', 'real',
                'sub-area 2.1 lists 2.1.1, 2.1.2, then an unnumbered bullet ("Include an objective in each '
                'front-line team manager\'s and HOS\'s appraisal …"), then 2.1.4, 2.1.5: 2.1.3 is missing',
                contains='<li>2.1.4 Devise')
    EXP.finding(name, 'TIME-UNPARSED', 'Priority 2', f"D{w['Priority 2']['2.2']}", '2.2', 'a date or period',
                'SeptDec 16', 'real', 'timescale of 2.2 is "SeptDec 16" (no separator between the months)')
    EXP.finding(name, 'VALUE-PLACEHOLDER', 'Priority 2', f"C{w['Priority 2']['2.7']}", '2.7.2', 'a month',
                '(insert month)', 'real', 'action 2.7.2 "… review of cases by Quality Improvement team in '
                '(insert month)." (placeholder left in the Key Actions text)', severity='warning')
    EXP.finding(name, 'ID-PARENT', 'Priority 5', f"C{w['Priority 5']['5.6']}", '8.6.3', '5.6.3', '8.6.3', 'real',
                'action numbered 8.6.3 inside sub-area 5.6 (between 5.6.2 and 5.6.5)', severity='warning')
    EXP.finding(name, 'ID-PARENT', 'Priority 5', f"C{w['Priority 5']['5.6']}", '8.6.4', '5.6.4', '8.6.4', 'real',
                'action numbered 8.6.4 inside sub-area 5.6', severity='warning')
    EXP.finding(name, 'TIME-OUTSIDE-PLAN', 'Priority 10', f"D{w['Priority 10']['10.1']}", '10.1',
                'within Jun 16 – Oct 17', 'May 16', 'real',
                'timescale "Aug 16 Implemented  May 16" of 10.1: May 16 is before the plan window read from the '
                'header (Jun 16 – Oct 17)', severity='warning', contains='May 16')
    EXP.conditional(name, 'FIELD-REQUIRED', 'Priority 2', f"F{w['Priority 2']['2.2']}", '2.2', '',
                    'Agency Involvement of 2.2 is blank in the seed; a finding only if the column is required',
                    severity='error', contains='')
    EXP.finding(name, 'TEXT-DUPLICATE', 'Priority 10', f"C{w['Priority 10']['10.6']}", '10.6.1', 'a text of its own',
                'Review and update the case management system used by Legal Department to ensure it is fit for '
                'purpose.', 'real',
                'action 10.6.1 has the same text as 10.5.3 (C%d): one action under two numbers' % w['Priority 10']['10.5'],
                severity='warning', contains='10.6.1 Review and update the case management system')
    # TBC targets and leads not in the key: depend on mapping policy
    for sname, rows in sheets.items():
        for kind, c, key in rows:
            if kind == 'mrow':
                for j in (5, 6):
                    if c[j].strip() == 'TBC':
                        EXP.conditional(name, 'VALUE-PLACEHOLDER', sname, a1(w[sname][key], j + 1), c[0], 'TBC',
                                        'if the mapping treats TBC in Target 16/17 / Target 17/18 as a placeholder '
                                        'where a value is due (it is also a status word in SPEC §7.3)')
    key_abbrevs = [c[0] for k, c, key in sheets['Key'] if k == 'krow']
    for sname, rows in sheets.items():
        for kind, c, key in rows:
            if kind != 'row' or not c[4].strip():
                continue
            rest = c[4]
            for ab in sorted(key_abbrevs, key=len, reverse=True):
                rest = re.sub(r'(?<![\w&])' + re.escape(ab) + r'(?![\w&])', ' ', rest)
            left = ' '.join(rest.split())
            if left:
                EXP.finding(name, 'FIELD-LOOKUP', sname, f'E{w[sname][key]}', key, 'entries of the key', c[4], 'real',
                            f'lead "{c[4]}" of {key} is not wholly in the key table (left over: "{left}"); '
                            'DOMAIN §1.3: a lead not in the key is worth a warning', severity='warning', contains=c[4])
    info['must_not'] += [
        'ID-PARENT for "Links to 4.4.5" (2.6.2, Priority 2 C%d), "Links to 2.6" (4.4.5, Priority 4 C%d) or '
        '"(1.5.1)" inside 1.5.2 (Priority 1 C%d): references, not action numbers'
        % (w['Priority 2']['2.6'], w['Priority 4']['4.4'], w['Priority 1']['1.5++']),
        'TIME-ORDER on "Sep – Mar 17" (P2 D%d), "Aug – Feb17" (P4 D%d), "Dec – Mar 17" (P2 D%d): the range '
        'crosses the year end' % (w['Priority 2']['2.3'], w['Priority 4']['4.2'], w['Priority 2']['2.11']),
        'TIME-UNPARSED on "By end Sep16 then quarterly prog", "End of Sep16", "From Aug 16", "Jun / Sep 16", '
        '"Jan -Mar 17 Sep - Nov 16", "Oct –Dec 16", "Annually", "Aug 16 Implemented  May 16"',
        'TIME-OUTSIDE-PLAN on "From Aug 16" / "From Jun 16" (open-ended, starting inside the window)',
        'ID-SEQUENCE for unnumbered bullets that follow the last numbered action (2.3 after 2.3.5, 2.10 after 2.10.2, '
        '10.1 after 10.1.2, 10.4 after 10.4.3) or for nested sub-bullets',
        'FIELD-REQUIRED on continuation rows (ID empty: Priority 1 rows %d, %d, %d; Priority 5 rows %d, %d)'
        % (w['Priority 1']['1.5+'], w['Priority 1']['1.5++'], w['Priority 1']['1.7+'],
           w['Priority 5']['5.3+'], w['Priority 5']['5.6+']),
    ]
    info['clean'] += ['Priority 1 (no definite finding)', 'Priority 4 action table (4.1–4.4)',
                      'the Key sheet']
    return info


# ----------------------------------------------------------------------------------------------
# 4. indicator-table  (seed 002, Appendix B of the 2012/13 portfolio plan update)
# ----------------------------------------------------------------------------------------------

IND_SHEET = 'Appendix B'
IND_WHEN = dt.datetime(2013, 5, 28, 9, 0, 0)
IND_HEADER = ['#', 'Type of indicator', 'Reporting frequency', 'Indicator', 'Quarter 4 12/13',
              'Target 2012/13', 'Outturn 2011/12', 'Target 2011/12']


def build_indicator_rows(L, mistakes):
    """Seed 002 lines 1202–1286 → [(kind, cells, key)]; key is the indicator number."""
    rows = [('title', ['Care Services Portfolio Plan Update 2012/13 – March 2013'], None),
            ('title2', ['Appendix B: performance in key indicators as at the end of March 2013'], None)]
    blocks = [  # (outcome, statement line, header line, first row line, last row line)
        (3, 1205, 1207, 1208, 1209), (4, 1214, 1216, 1217, 1226), (5, 1230, 1232, 1233, 1234),
        (6, 1238, 1240, 1241, 1255), (7, 1259, 1261, 1262, 1269), (8, 1273, 1275, 1276, 1277),
        (9, 1282, 1284, 1285, 1286)]
    repairs = {  # extraction artefacts (page footers, OCR) → what the cell held
        12: {5: '-', 6: '64%'},       # "Page" footer in the target; "64% 55" (page number 55)
        26: {5: '10%', 6: '5%'},      # "10% Page", "^{5%}"
        27: {2: 'Annual'},            # "Anniiai"
    }
    for outcome, st, hd, first, last in blocks:
        rows.append(('blank', [], None))
        rows.append(('section', [f'Priority Outcome {outcome}'], f'PO{outcome}'))
        rows.append(('statement', [L[st - 1].strip()], None))
        line(L, hd, '\tType of indicator')
        rows.append(('header', list(IND_HEADER), None))
        for n in range(first, last + 1):
            t = L[n - 1]
            if t.strip() == '':
                continue
            if re.fullmatch(r'[-\t]+', t):
                rows.append(('separator', t.split('\t'), None))
                continue
            c = cells_of(t, 8)
            num = int(c[0])
            for j, v in repairs.get(num, {}).items():
                c[j] = v
            rows.append(('row', c, num))
    if mistakes:
        for i, (k, c, key) in enumerate(rows):
            if key == 33:
                c[3] = 'Number of homeless acceptances'
                c[4] = '220 (Q1)'
                c[5] = '50%'
            elif key == 23:
                assert c[4] == '27.6% (469)'
                c[4] = '27.6% (469/1,870)'
            elif key == 25:
                assert c[4] == '16.11%'
                c[4] = 'X%'
            elif key == 37:
                assert c[3] == 'Percentage of reviews completed'
                c[3] = ''
    return rows


def write_indicator_xlsx(path, rows, when=IND_WHEN):
    wb = xlsxwriter.Workbook(path)
    wb.set_properties({'title': 'Care Services Portfolio Plan Update 2012/13 – Appendix B',
                       'author': 'ECS Performance and Information Team', 'created': IND_WHEN})
    ws = wb.add_worksheet(IND_SHEET)
    base = {'font_name': 'Arial', 'font_size': 10}
    f_title = wb.add_format(dict(base, bold=True, font_size=14))
    f_sec = wb.add_format(dict(base, bold=True, font_size=11))
    f_stmt = wb.add_format(dict(base, italic=True))
    f_head = wb.add_format(dict(base, bold=True, bg_color='#D9D9D9', border=1, text_wrap=True, valign='top'))
    f_cell = wb.add_format(dict(base, border=1, text_wrap=True, valign='top'))
    num_formats = {}

    def f_num(fmt):
        if fmt not in num_formats:
            num_formats[fmt] = wb.add_format(dict(base, border=1, valign='top', num_format=fmt or 'General'))
        return num_formats[fmt]

    for col, w in enumerate([5, 14, 13, 55, 16, 18, 14, 18]):
        ws.set_column(col, col, w)
    where = {}
    for r, (kind, c, key) in enumerate(rows):
        if key is not None:
            where[key] = r + 1
        if kind == 'blank':
            continue
        if kind in ('title', 'title2'):
            ws.write_string(r, 0, c[0], f_title if kind == 'title' else f_sec)
        elif kind == 'section':
            ws.write_string(r, 0, c[0], f_sec)
        elif kind == 'statement':
            ws.write_string(r, 0, c[0], f_stmt)
        elif kind in ('header', 'separator'):
            for j, v in enumerate(c):
                ws.write_string(r, j, v, f_head if kind == 'header' else f_cell)
        else:
            ws.write_number(r, 0, int(c[0]), f_num(None))
            for j in (1, 2, 3):
                if c[j]:
                    ws.write_string(r, j, c[j], f_cell)
                else:
                    ws.write_blank(r, j, None, f_cell)
            for j in (4, 5, 6, 7):
                value, fmt = typed(c[j])
                if isinstance(value, str):
                    ws.write_string(r, j, value, f_cell)
                else:
                    ws.write_number(r, j, value, f_num(fmt))
    ws.freeze_panes(2, 0)
    wb.close()
    normalise_zip(path, when)
    return where


def indicator_csv_rows(rows):
    """The sheet as Excel's CSV export shows it (numbers as displayed = the seed text)."""
    out = []
    for kind, c, key in rows:
        if kind == 'blank':
            out.append([])
        elif kind == 'row':
            out.append(list(c))
        else:
            out.append(list(c))
    return out


def indicator_expectations(name, rows, where, mistakes, fmt_note):
    n_rows = [key for k, c, key in rows if k == 'row']
    assert n_rows == list(range(1, 40)), n_rows
    info = EXP.add_file(
        name, mapping='indicator-table', sheet=IND_SHEET,
        source='seed 002, Appendix B of the Care Services Portfolio Plan update 2012/13 (key indicators at the '
               'end of March 2013): all seven outcome blocks, indicators 1–39',
        counts=dict(sections=7, records=39, header_rows=7, separator_rows=1))
    info['notes'].append(fmt_note)
    info['notes'].append('Repairs of extraction artefacts: indicator 12 target 2012/13 "Page" (page footer) → "-", '
                         'outturn 2011/12 "64% 55" → "64%"; indicator 26 "10% Page" → "10%", "^{5%}" → "5%"; '
                         'indicator 27 frequency "Anniiai" → "Annual"; the label "Priority Outcome 5" (lost in the '
                         'seed) restored from the report text; the header\'s blank first cell is written "#"')
    EXP.conditional(name, 'FIELD-REQUIRED', IND_SHEET, f'C{where[36]}', '36', '',
                    'Reporting frequency of indicator 36 is blank in the seed; a finding if the mapping makes it required',
                    severity='error', contains='')
    EXP.conditional(name, 'VALUE-UNIT', IND_SHEET, f'F{where[1]}', '1', '2% year on year reduction',
                    'indicator 1: the target is a relative change, the outturn "17 (Quarter 3)" a count; a finding '
                    'only if relative-change targets are compared by unit')
    if mistakes:
        EXP.finding(name, 'VALUE-UNIT', IND_SHEET, f'F{where[33]}', '33', 'a count (like the outturn)', '50%',
                    'planted', 'indicator 33 "Number of homeless acceptances": Target 2012/13 typed as 50% '
                    f'(0.5, format 0%) while Quarter 4 12/13 (E{where[33]}) is "220 (Q1)"', severity='warning',
                    contains=0.5)
        EXP.finding(name, 'TOTAL-RATIO', IND_SHEET, f'E{where[23]}', '23', '25.1%', '27.6%', 'planted',
                    'indicator 23 "27.6% (469/1,870)": 469/1870 = 25.08%', contains='27.6% (469/1,870)')
        EXP.finding(name, 'VALUE-PLACEHOLDER', IND_SHEET, f'E{where[25]}', '25', 'a value', 'X%', 'planted',
                    'indicator 25 Quarter 4 12/13 is the placeholder "X%"', severity='warning')
        EXP.finding(name, 'FIELD-REQUIRED', IND_SHEET, f'D{where[37]}', '37', 'indicator description', '',
                    'planted', 'indicator 37 has no description', contains=None)
    info['must_not'] += [
        'TOTAL-RATIO on "79.3%% (3718)" (E%d) or "27.6%% (469)"%s: a count in brackets, no denominator'
        % (where[22], '' if mistakes else f' (E{where[23]})'),
        'FIELD-TYPE / TIME-UNPARSED on status texts: "NEW INDICATOR", "NEW MEASURE", "n/a", "-", '
        '"2012/13 figures available Q2", "70% (revised national target)"',
        'anything on the separator row of dashes (row %d) or on the repeated header rows' % (where[27] + 1),
        'VALUE-UNIT on indicator 38 (a "Number of …" description with 100% values: target and outturn agree) '
        'or 36 ("2215 (32.21% …)" has a percentage observation like the 30% target)',
    ]
    if not mistakes:
        info['clean'] += ['the whole table: no definite finding (only the two conditional ones)']
    return info


# ----------------------------------------------------------------------------------------------
# 5. budget-monitoring  (seed 002, Appendix 1(a) of the 2012/13 final outturn report)
# ----------------------------------------------------------------------------------------------

B_SHEET = 'Appendix 1a'
B_WHEN = dt.datetime(2013, 6, 3, 9, 0, 0)
B_HEADER = ['2011/12 Actuals', 'Division Service Areas', '2012/13 Original Budget', '2012/13 Latest Approved',
            '2012/13 Outturn', 'Variation', 'Notes', 'Variation Last Reported', 'Full Year Effect']
# kinds: dept, div, svc, sub, total, line (a named line that is an input, e.g. TOTAL NON CONTROLLABLE),
# memo, memo_head, memo_line, memo_sub.  Values in £'000: actuals, name, original, latest approved,
# outturn, variation, note, variation last reported, full year effect (None = blank cell).
BUDGET = [
    ('dept', None, 'EDUCATION & CARE SERVICES DEPARTMENT'),
    ('div', None, 'Adult Social Care'),
    ('svc', 124, 'AIDS-HIV Service', 120, 45, 36, -9, None, 0, 0),
    ('svc', 32766, 'Assessment and Care Management', 31603, 32092, 31979, -113, 1, 83, 989),
    ('svc', 5617, 'Direct Services', 4627, 4244, 4203, -41, 2, -28, 0),
    ('svc', 2241, 'Learning Disabilities Care Management', 2451, 2551, 2621, 70, 3, 38, 0),
    ('svc', 1981, 'Learning Disabilities Day Services', 2050, 2051, 1853, -198, 4, -150, 0),
    ('svc', 1273, 'Learning Disabilities Housing & Support', 1211, 1259, 1184, -75, 5, -23, 0),
    ('sub', 44002, None, 42062, 42242, 41876, -366, None, -80, 989),
    ('div', None, 'Operational Housing'),
    ('svc', 2519, 'Housing Needs', 2160, 2549, 3773, 1224, 6, 653, 480),
    ('svc', -4, 'Enabling Activities', -4, -4, -1, 3, None, 0, 0),
    ('svc', -954, 'Housing Benefits', -1016, -1814, -1815, -1, None, 0, 0),
    ('sub', 1561, None, 1140, 731, 1957, 1226, None, 653, 480),
    ('div', None, 'Strategic and Business Support Service'),
    ('svc', 1487, 'Performance & Information', 2510, 2533, 2077, -456, None, -310, 0),
    ('svc', 197, 'Quality Assurance', 188, 199, 194, -5, 7, -11, 0),
    ('svc', 0, 'Transforming Social Care', 0, 0, 7, 7, None, 13, 0),
    ('sub', 1684, None, 2698, 2732, 2278, -454, None, -308, 0),
    ('div', None, "Children's Social Care"),
    ('svc', 14174, 'Care and Resources', 13125, 13136, 13571, 435, None, 0, 300),
    ('svc', 2304, 'Safeguarding and Quality Assurance', 1872, 1768, 1813, 45, None, 0, 0),
    ('svc', 2841, 'Safeguarding and Care Planning', 2871, 2897, 2836, -61, 8, 0, 0),
    ('svc', 2954, 'Referral and Assessment', 2991, 3013, 2865, -148, None, 200, 200),
    ('svc', 837, 'Bromley Youth Support Programme', 911, 911, 818, -93, None, 0, 0),
    ('sub', 23110, None, 21770, 21725, 21903, 178, None, 200, 500),
    ('svc', 0, "Children's Social Care - previous years", 0, 0, -317, -317, 8, None, 0),
    ('div', None, 'Education Division'),
    ('svc', 4489, "SEN & Inclusion Children's Disability Services", 4258, 4209, 4209, 0, 9, 0, 200),
    ('svc', 443, 'School Improvement Looked After Children', 560, 560, 393, -167, 10, -37, 0),
    ('sub', 4932, None, 4818, 4769, 4602, -167, None, -37, 200),
    ('div', None, 'Commissioning'),
    ('svc', 2777, 'Commissioning', 3621, 3951, 3819, -132, 11, 8, 0),
    ('svc', 15345, 'Learning Disabilities Incl PCT Transfer Attrition', 17144, 16858, 14485, -2373, 12, -2053, 0),
    ('svc', 4670, 'Mental Health Services', 5193, 5113, 4618, -495, 13, -421, 0),
    ('svc', 3898, 'Supporting People', 4052, 4052, 3096, -956, 14, -900, 0),
    ('svc', 201, 'Drugs and Alcohol', 254, 254, 163, -91, 15, -96, 0),
    ('svc', 0, 'PCT Funding (Social Care & Health)', 0, 0, 0, 0, None, 0, 0),
    ('sub', 26891, None, 30264, 30228, 26181, -4047, None, -3462, 0),
    ('svc', None, 'Learning Disabilities Services - previous years', 0, 0, -429, -429, 12, -300, 0),
    ('total', 102180, 'TOTAL CONTROLLABLE FOR ECS DEPT', 102752, 102427, 98051, -4376, None, -3334, 2169),
    ('blank',),
    ('dept', None, 'ENVIRONMENTAL SERVICES DEPARTMENT'),
    ('div', None, 'Environmental Services - Housing'),
    ('svc', 728, 'Housing Improvement', 476, 402, 180, -222, 16, -232, 0),
    ('svc', 280, 'Housing Enforcement', 254, 254, 242, -12, 17, -6, 0),
    ('total', 1008, 'TOTAL CONTROLLABLE FOR ENV SERV DEPT', 730, 656, 422, -234, None, -238, 0),
    ('blank',),
    ('total', 103188, 'TOTAL CONTROLLABLE BUDGET FOR THE PORTFOLIO', 103482, 103083, 98473, -4610, None, -3572, 2169),
    ('line', 6580, 'TOTAL NON CONTROLLABLE', 3987, 3436, 3436, 0, None, 2, 0),
    ('line', 11582, 'TOTAL EXCLUDED RECHARGES', 9047, 9780, 9780, 0, None, 0, 0),
    ('total', 121350, 'CARE SERVICES PORTFOLIO TOTAL', 116516, 116299, 111689, -4610, None, -3570, 2169),
    ('blank',),
    ('memo', None, 'MEMORANDUM ITEMS'),
    ('memo_head', None, 'Invest to Save projects: Savings'),
    ('memo_line', None, 'Dementia Investment Plan', -100, -100, -50, 50, None, 40, None),
    ('memo_line', None, 'PD Investment Plan', -100, -100, -17, 83, None, 60, None),
    ('memo_line', None, 'LD Investment Plan (re Younger Adults)', -100, -100, 0, 100, None, 100, None),
    ('memo_sub', None, 'Sub Total Invest to Save projects', -300, -300, -67, 233, None, 200, 0),
    ('memo_head', None, 'Trading Accounts'),
    ('memo_line', None, 'Trading Account - Performance & Research', 0, 0, -30, -30, None, -29, 0),
    ('memo_sub', None, 'Sub Total Trading Accounts', 0, 0, -30, -30, None, -29, 0),
]
B_COLS = {0: 'A', 2: 'C', 3: 'D', 4: 'E', 5: 'F', 7: 'H', 8: 'I'}   # value index → column


def budget_values(rec):
    """The 9 cells of a budget record (index 1 = name, 6 = note)."""
    if rec[0] in ('dept', 'div', 'memo', 'memo_head'):
        return [None, rec[2]] + [None] * 7
    if rec[0] == 'blank':
        return [None] * 9
    actuals, name, orig, la, out, var, note, vlr, fye = rec[1:]
    return [actuals, name, orig, la, out, var, note, vlr, fye]


def budget_with_mistakes():
    b = [list(r) for r in BUDGET]
    for r in b:
        if r[0] == 'sub' and r[1] == 44002:
            r[3] += 25                         # subtotal original budget typed 42,087
        if r[0] == 'total' and r[2] in ('TOTAL CONTROLLABLE FOR ECS DEPT', 'TOTAL CONTROLLABLE BUDGET FOR THE PORTFOLIO',
                                         'CARE SERVICES PORTFOLIO TOTAL'):
            r[3] += 25                         # the totals are =SUM() of the subtotals, so they carry it
        if r[0] == 'svc' and r[2] == 'Direct Services':
            r[6] = -14                         # variation typed -14 (Outturn − Latest Approved = -41)
    return [tuple(r) for r in b]


def reconcile(budget, first_row):
    """Check every rule of the budget layout; returns [(rule, col, row, expected, actual)].
    Rows are numbered from first_row (the sheet row of budget[0])."""
    problems = []

    def v(rec, i):
        x = budget_values(rec)[i]
        return 0 if x is None else x

    group, dept_parts, memo_group = [], [], []
    totals = {}
    for k, rec in enumerate(budget):
        row = first_row + k
        kind = rec[0]
        if kind in ('svc', 'sub', 'total', 'line', 'memo_line', 'memo_sub'):
            if v(rec, 4) - v(rec, 3) != v(rec, 5):
                problems.append(('TOTAL-DIFF', 'F', row, v(rec, 4) - v(rec, 3), v(rec, 5)))
        if kind == 'dept':
            dept_parts, group = [], []
        elif kind == 'div':
            group = []
        elif kind == 'svc':
            if budget[k - 1][0] == 'sub':    # a "previous years" line after a subtotal belongs to the department
                dept_parts.append(rec)
            else:
                group.append(rec)
        elif kind == 'sub':
            for i in B_COLS:
                s = sum(v(r, i) for r in group)
                if s != v(rec, i):
                    problems.append(('TOTAL-SUM', B_COLS[i], row, s, v(rec, i)))
            dept_parts.append(rec)
            group = []
        elif kind == 'total':
            name = rec[2]
            if name.startswith('TOTAL CONTROLLABLE FOR'):
                parts = dept_parts + group
            elif name == 'TOTAL CONTROLLABLE BUDGET FOR THE PORTFOLIO':
                parts = [totals['TOTAL CONTROLLABLE FOR ECS DEPT'], totals['TOTAL CONTROLLABLE FOR ENV SERV DEPT']]
            else:
                parts = [totals['TOTAL CONTROLLABLE BUDGET FOR THE PORTFOLIO'], totals['TOTAL NON CONTROLLABLE'],
                         totals['TOTAL EXCLUDED RECHARGES']]
            for i in B_COLS:
                s = sum(v(r, i) for r in parts)
                if s != v(rec, i):
                    problems.append(('TOTAL-SUM', B_COLS[i], row, s, v(rec, i)))
            totals[name] = rec
            group = []
        elif kind == 'line':
            totals[rec[2]] = rec
        elif kind == 'memo_head':
            memo_group = []
        elif kind == 'memo_line':
            memo_group.append(rec)
        elif kind == 'memo_sub':
            for i in B_COLS:
                s = sum(v(r, i) for r in memo_group)
                if s != v(rec, i):
                    problems.append(('TOTAL-SUM', B_COLS[i], row, s, v(rec, i)))
    return problems


B_FIRST = 6   # sheet row of BUDGET[0]: title, title, blank, header, blank


def write_budget_xlsx(path, budget):
    wb = xlsxwriter.Workbook(path)
    wb.set_properties({'title': 'Care Services Portfolio Budget Monitoring 2012/13 Final Outturn',
                       'author': 'ECHS Finance Section', 'created': B_WHEN})
    ws = wb.add_worksheet(B_SHEET)
    base = {'font_name': 'Arial', 'font_size': 9}
    f_title = wb.add_format(dict(base, bold=True, font_size=12))
    f_head = wb.add_format(dict(base, bold=True, text_wrap=True, valign='bottom', align='center',
                                bottom=1, top=1))
    f_num = wb.add_format(dict(base, num_format='#,##0'))
    f_num_b = wb.add_format(dict(base, num_format='#,##0', bold=True, top=1))
    f_num_tot = wb.add_format(dict(base, num_format='#,##0', bold=True, top=1, bottom=6))
    f_text = wb.add_format(dict(base))
    f_text_r = wb.add_format(dict(base, align='right'))
    f_bold = wb.add_format(dict(base, bold=True))
    f_dept = wb.add_format(dict(base, bold=True, underline=1))
    f_note = wb.add_format(dict(base, align='center'))
    for col, w in enumerate([10, 42, 11, 11, 11, 10, 6, 11, 10]):
        ws.set_column(col, col, w)
    ws.write_string(0, 0, 'Care Services Portfolio Budget Monitoring Summary', f_title)
    ws.write_string(1, 0, "2012/13 Final Outturn – all figures £'000", f_bold)
    for j, h in enumerate(B_HEADER):
        ws.write_string(3, j, h, f_head)
    ws.set_row(3, 36)
    for k, rec in enumerate(budget):
        r = B_FIRST - 1 + k
        kind = rec[0]
        vals = budget_values(rec)
        if kind == 'blank':
            continue
        if kind in ('dept', 'memo'):
            ws.write_string(r, 1, vals[1], f_dept)
            continue
        if kind in ('div', 'memo_head'):
            ws.write_string(r, 1, vals[1], f_bold)
            continue
        fnum = f_num_tot if rec[2] == 'CARE SERVICES PORTFOLIO TOTAL' else \
            f_num_b if kind in ('sub', 'total', 'memo_sub') else f_num
        if vals[1]:
            ws.write_string(r, 1, vals[1], f_bold if kind in ('total', 'line', 'memo_sub') else f_text)
        for i in (0, 2, 3, 4, 5, 7, 8):
            x = vals[i]
            if x is None:
                continue
            if kind.startswith('memo') and x < 0:
                ws.write_string(r, i, f'({-x:,})', f_text_r)   # text negatives as in the seed's memorandum
            else:
                ws.write_number(r, i, x, fnum)
        if vals[6] is not None:
            ws.write_number(r, 6, vals[6], f_note)
    ws.freeze_panes(4, 2)
    ws.set_landscape()
    ws.repeat_rows(3)
    wb.close()
    normalise_zip(path, B_WHEN)


def budget_csv_rows(budget):
    """Excel "CSV UTF-8" export of the same sheet, with the finance team's credit format on the
    variation columns (#,##0;"Cr "#,##0) and a two-line header with £ units."""
    def show(x, credit=False):
        if x is None:
            return ''
        if x < 0:
            return f'Cr {-x:,}' if credit else f'-{-x:,}'
        return f'{x:,}'

    header = ['2011/12 Actuals\n£', 'Division Service Areas', '2012/13 Original\nBudget £',
              '2012/13 Latest\nApproved £', '2012/13 Outturn\n£', 'Variation\n£', 'Notes',
              'Variation Last\nReported £', 'Full Year Effect\n£']
    out = [['Care Services Portfolio Budget Monitoring Summary'],
           ["2012/13 Final Outturn – all figures £'000"], [], header, []]
    for rec in budget:
        vals = budget_values(rec)
        if rec[0] == 'blank':
            out.append([])
            continue
        if rec[0] in ('dept', 'div', 'memo', 'memo_head'):
            out.append(['', vals[1]])
            continue
        row = [show(vals[0]), vals[1] or '', show(vals[2]), show(vals[3]), show(vals[4]),
               show(vals[5], credit=True), '' if vals[6] is None else str(vals[6]),
               show(vals[7], credit=True), show(vals[8])]
        if rec[0].startswith('memo'):
            row = [('(' + s[1:] + ')' if s.startswith('-') else s) for s in row]
            row[5] = show(vals[5]).replace('-', '(') + (')' if vals[5] is not None and vals[5] < 0 else '')
            row[7] = show(vals[7]).replace('-', '(') + (')' if vals[7] is not None and vals[7] < 0 else '')
        out.append(row)
    return out


def budget_expectations(name, budget, mistakes, fmt_note):
    rows = {}
    for k, rec in enumerate(budget):
        if rec[0] not in ('blank',) and len(rec) > 2 and rec[2]:
            rows.setdefault(rec[2], B_FIRST + k)
        if rec[0] == 'sub':
            rows.setdefault(('sub', rec[1]), B_FIRST + k)
    problems = reconcile(budget, B_FIRST)
    svc = sum(1 for r in budget if r[0] == 'svc')
    subs = sum(1 for r in budget if r[0] == 'sub')
    info = EXP.add_file(
        name, mapping='budget-monitoring', sheet=B_SHEET,
        source="seed 002, Appendix 1(a) of the Care Services Portfolio 2012/13 final outturn report (£'000): "
               'every row of the main table and the memorandum block',
        counts=dict(service_lines=svc, subtotals=subs, named_totals=4, named_input_lines=2,
                    memorandum_lines=4, memorandum_subtotals=2, divisions=sum(1 for r in budget if r[0] == 'div'),
                    lines_with_numbers=sum(1 for r in budget if r[0] in ('svc', 'sub', 'total', 'line', 'memo_line',
                                                                          'memo_sub'))))
    info['notes'].append(fmt_note)
    info['structure'] = (
        'service lines sit under a division header; the unlabelled row after them is the division subtotal '
        '(= sum of those service lines, every numeric column A, C, D, E, F, H, I). The two "… - previous years" '
        'lines come after a subtotal and belong to the department only. TOTAL CONTROLLABLE FOR ECS DEPT = the six '
        'subtotals + the two previous-years lines; TOTAL CONTROLLABLE FOR ENV SERV DEPT = its two service lines '
        '(no subtotal row); TOTAL CONTROLLABLE BUDGET FOR THE PORTFOLIO = ECS + ENV totals; CARE SERVICES '
        'PORTFOLIO TOTAL = controllable + TOTAL NON CONTROLLABLE + TOTAL EXCLUDED RECHARGES (these two are input '
        'lines, not sums of anything shown). Variation (F) = Outturn (E) − Latest Approved (D) on every row with '
        'numbers. Memorandum: each "Sub Total …" = the lines above it in its group; negatives there are text '
        '"(100)". A blank numeric cell counts as 0.')
    info['notes'].append(
        'Reconstruction of cells lost in the seed\'s extraction (each value is forced by the seed\'s own '
        'subtotals/totals and Variation = Outturn − Latest Approved): Performance & Information latest approved '
        '2,533; Quality Assurance latest approved 199, outturn 194; Transforming Social Care outturn 7; the first '
        'Education Division line named from note 9 ("SEN & Inclusion Children\'s Disability Services"); School '
        'Improvement LAC outturn 393; the Commissioning line with note 14 named "Supporting People" (note 14) with '
        'latest approved 4,052, outturn 3,096, variation -956; Drugs and Alcohol variation -91; PCT Funding outturn '
        '0; LD previous years latest approved 0, outturn -429; Housing Improvement latest approved 402, outturn 180; '
        'Housing Enforcement variation -12; ENV total actuals 1,008, latest approved 656, outturn 422; ECS total '
        'actuals 102,180 (both blank in the seed). Division names printed on the same line as the first service '
        '("Adult Social Care AIDS-HIV Service", "Operational Housing Housing Needs", "Children\'s Social Care Care and '
        'Resources", "Commissioning Commissioning") are written as division header rows; OCR junk in Notes '
        '("Ì", "J", "> 7", "> 8") dropped, keeping notes 7 and 8 where the seed prints them.')
    info['notes'].append(
        'SEED DISCREPANCY (reported to the lead): the seed text prints 200 in the Full Year Effect of "School '
        'Improvement Looked After Children" (note 10). With it the Education Division subtotal (200) and the '
        'department total (2,169) would not add up (200 + 200 = 400). Note 10 of the seed\'s "Reasons for variations" '
        'has no full-year effect, only note 9 does ("Full Year Effects - Children with Disabilities Placements - Dr '
        '£200k"), and 2,169 = 989 + 480 + 500 + 200 only with 0 there, so the 200 is an extraction slip and this '
        'sample uses 0. With that, the seed reconciles exactly everywhere (script-checked).')
    if not mistakes:
        assert problems == [], problems
        info['clean'] += ['the whole table and the memorandum block: no TOTAL-SUM, no TOTAL-DIFF (checked by the '
                          'script with tolerance 0; the rule\'s default tolerance is ±1)']
    else:
        sub = rows[('sub', 44002)]
        ds = rows['Direct Services']
        expected = [('TOTAL-DIFF', 'F', ds, -41, -14), ('TOTAL-SUM', 'F', sub, -339, -366),
                    ('TOTAL-SUM', 'C', sub, 42062, 42087)]
        assert sorted(problems) == sorted(expected), problems
        EXP.finding(name, 'TOTAL-SUM', B_SHEET, f'C{sub}', 'Adult Social Care subtotal', '42062', '42087', 'planted',
                    'Adult Social Care subtotal of 2012/13 Original Budget is 42,087; its six service lines add up '
                    'to 42,062 (off by 25). The department and portfolio totals above are consistent with the '
                    'wrong subtotal (they were summed from it): C%d 102,777, C%d 103,507, C%d 116,541, so no '
                    'finding there' % (rows['TOTAL CONTROLLABLE FOR ECS DEPT'],
                                       rows['TOTAL CONTROLLABLE BUDGET FOR THE PORTFOLIO'],
                                       rows['CARE SERVICES PORTFOLIO TOTAL']), contains=42087)
        EXP.finding(name, 'TOTAL-DIFF', B_SHEET, f'F{ds}', 'Direct Services', '-41', '-14', 'planted',
                    'Direct Services Variation is -14; Outturn 4,203 − Latest Approved 4,244 = -41', contains=-14)
        info['clean'] += ['every other row: the other five divisions, the four named totals and the memorandum '
                          'block give no TOTAL-SUM / TOTAL-DIFF']
        EXP.finding(name, 'TOTAL-SUM', B_SHEET, f'F{sub}', 'Adult Social Care subtotal', '-339', '-366', 'planted',
                    'consequence of the Direct Services slip: the subtotal Variation -366 (correct, = its Outturn − '
                    'Latest Approved) no longer equals the sum of the service variations as written (-339)',
                    contains=-366)
    info['must_not'] += [
        'TOTAL-SUM on TOTAL NON CONTROLLABLE (row %d) or TOTAL EXCLUDED RECHARGES (row %d): input lines with no '
        'parts shown' % (rows['TOTAL NON CONTROLLABLE'], rows['TOTAL EXCLUDED RECHARGES']),
        'TOTAL-SUM on a division subtotal for the "… - previous years" lines (rows %d, %d), which are outside the '
        'subtotals' % (rows["Children's Social Care - previous years"], rows['Learning Disabilities Services - previous years']),
        'FIELD-TYPE on the memorandum text negatives "(100)", "(300)", "(67)", "(50)", "(17)", "(30)", "(29)"',
        'FIELD-REQUIRED on blank cells that the seed leaves blank (Notes; actuals of the LD previous-years line; '
        'Variation Last Reported of the CSC previous-years line; Full Year Effect of the invest-to-save lines)',
    ]
    return info


# ----------------------------------------------------------------------------------------------
# 6. contracts-register  (seed 001, Contracts Register for Contracts Sub Committee 2 November 2016)
# ----------------------------------------------------------------------------------------------

C_SHEET = 'Contracts Register'
C_WHEN = dt.datetime(2016, 10, 25, 9, 0, 0)
C_HEADER = ['Contract Manager', 'Head of Service/ AD/ Director Responsible', 'RAG Status', 'Title',
            'Supplier Name', 'Total Contract Value', 'Original Annual Value', '2016/17 Budget',
            '2016/17 Projected', 'Start Date', 'End Date (including any extensions taken)',
            'Duration Months (core term + any extensions taken)', 'Variation/ Extension/ Waiver Option Taken?',
            'Variation/ Extension/ Waiver Information', 'PREVIOUS UPDATE TO CONTRACTS SUB COMMITTEE 24 AUGUST 2016',
            'UPDATE ON RAG CONTRACTS FOR CONTRACTS SUB COMMITTEE 2 NOVEMBER 2016']
C_LINES = [1276, 1277, 1278, 1279, 1280, 1281, 1282, 1283, None, 1286, 1287, 1292, 1293, 1294, 1295, 1296, 1298,
           1305, 1313, None, 1315, 1316, 1320, 1325, 1328, 1329, 1336, 1337, 1338, 1339, 1345, 1349, 1355, 1368,
           1369, 1372]                         # None = the header repeated at a page break
C_WORDS = {'Associatio n': 'Association', 'Healthcar e': 'Healthcare', 'Communit y': 'Community',
           'Appropriat e': 'Appropriate', 'VoiceAbilit y': 'VoiceAbility', 'Technolog y': 'Technology',
           'Developm ents': 'Developments', 'Experienc e': 'Experience', 'Framewor k': 'Framework',
           'Hughes- Young': 'Hughes-Young', 'Morris- Cotterill': 'Morris-Cotterill', 'МССН': 'MCCH',
           'мссн': 'MCCH'}
C_PEOPLE = {1282: (0, 'Colin Lusted'), 1339: (0, 'Jenny Beasley'), 1336: (1, 'Anne Watts')}  # OCR'd names


def contract_cells(L, n):
    c = L[n - 1].split('\t')
    for k in range(len(c) - 1):                 # "£\t2,432,980": the £ sign split off by the extraction
        if c[k].strip() == '£':
            c[k] = '£' + c[k + 1]
            del c[k + 1]
            break
    if len(c) > 6 and c[5] == '' and c[6].startswith('£'):
        del c[5]
    c = (c + [''] * 16)[:16]
    c = [x.strip() for x in c]
    for k, x in enumerate(c):
        for a, b in C_WORDS.items():
            x = x.replace(a, b)
        c[k] = x
    if n in C_PEOPLE:
        k, v = C_PEOPLE[n]
        c[k] = v
    if n == 1305:                               # money columns split mid-number by the extraction
        c = [c[0], c[1], c[2], c[3], c[4], '£372,000', '£124,000', '£164,920', '£164,920', '01-Apr-14',
             '31-Mar-17', '36', 'Extension', '31/03/2017',
             'Contracts ecm_3298 and ecm_3297 relate to GUM services. A report will be giving an update to '
             'the Commissioning Board on 5 September 2016.', '']
    return c


def money(text):
    t = text.replace('£', '').replace(',', '').strip()
    return int(t) if re.fullmatch(r'\d+', t) else None


def parse_dmy(text):
    return dt.datetime.strptime(text, '%d-%b-%y').date() if text else None


def add_months(d, m):
    y, mo = divmod(d.month - 1 + m, 12)
    y += d.year
    mo += 1
    import calendar
    return dt.date(y, mo, min(d.day, calendar.monthrange(y, mo)[1]))


def duration_months(start, end):
    """Months from start to the day after end: whole months plus the remaining days as a fraction
    of the following month (01-Apr-16 → 31-Mar-17 = 12; 20-Apr-15 → 31-Mar-17 = 23.39)."""
    e1 = end + dt.timedelta(days=1)
    m = (e1.year - start.year) * 12 + (e1.month - start.month)
    while add_months(start, m) > e1:
        m -= 1
    anchor, nxt = add_months(start, m), add_months(start, m + 1)
    return m + (e1 - anchor).days / (nxt - anchor).days


def build_contracts(L, mistakes):
    rows = []
    for n in C_LINES:
        if n is None:
            rows.append(('header', list(C_HEADER), None))
            continue
        c = contract_cells(L, n)
        if mistakes:
            if n == 1325:
                assert c[11] == '12'
                c[11] = '18'
            if n == 1328:
                assert c[10] == '31-Mar-17'
                c[10] = '31-Mar-07'
            if n == 1329:
                assert c[7] == '£33,850'
                c[7] = '£83,850'
        rows.append(('row', c, n))
    return rows


def write_contracts_xlsx(path, rows):
    """xlsxwriter: money and dates as real numbers/dates, #N/A as a formula error with cached value."""
    wb = xlsxwriter.Workbook(path)
    wb.set_properties({'title': 'Contracts Register for Contracts Sub Committee 2 November 2016',
                       'author': 'ECHS Commissioning', 'created': C_WHEN})
    ws = wb.add_worksheet(C_SHEET)
    base = {'font_name': 'Arial', 'font_size': 8, 'valign': 'top', 'border': 1}
    f_title = wb.add_format({'font_name': 'Arial', 'bold': True, 'font_size': 12})
    f_sub = wb.add_format({'font_name': 'Arial', 'italic': True, 'font_size': 10})
    f_head = wb.add_format(dict(base, bold=True, text_wrap=True, bg_color='#FFF2CC'))
    f_text = wb.add_format(dict(base, text_wrap=True))
    f_money = wb.add_format(dict(base, num_format='"£"#,##0'))
    f_date = wb.add_format(dict(base, num_format='dd-mmm-yy'))
    f_num = wb.add_format(dict(base, num_format='General'))
    f_rag = {'RED': wb.add_format(dict(base, bg_color='#FF0000', bold=True)),
             'AMBER': wb.add_format(dict(base, bg_color='#FFC000', bold=True))}
    for col, w in enumerate([14, 14, 8, 34, 22, 14, 12, 12, 16, 10, 12, 10, 11, 34, 40, 40]):
        ws.set_column(col, col, w)
    ws.write_string(0, 0, 'Contracts Register for Contracts Sub Committee 2 November 2016', f_title)
    ws.write_string(1, 0, '(For Contracts Activity Report to go to Care Services PDS 10 January 2017)', f_sub)
    for j, h in enumerate(C_HEADER):
        ws.write_string(3, j, h, f_head)
    where = {}
    breaks = []
    for k, (kind, c, n) in enumerate(rows):
        r = 4 + k
        if n is not None:
            where[n] = r + 1
        if kind == 'header':
            for j, h in enumerate(c):
                ws.write_string(r, j, h, f_head)
            breaks.append(r)
            continue
        for j, v in enumerate(c):
            if v == '':
                ws.write_blank(r, j, None, f_text)
            elif j == 2 and v in f_rag:
                ws.write_string(r, j, v, f_rag[v])
            elif j in (5, 6, 7, 8) and money(v) is not None:
                ws.write_number(r, j, money(v), f_money)
            elif j in (9, 10) and re.fullmatch(r'\d\d-[A-Z][a-z]{2}-\d\d', v):
                ws.write_datetime(r, j, dt.datetime.combine(parse_dmy(v), dt.time()), f_date)
            elif j == 11 and v == '#N/A':
                ws.write_formula(r, j, '=NA()', f_num, '#N/A')
            elif j == 11:
                ws.write_number(r, j, float(v) if '.' in v else int(v), f_num)
            else:
                ws.write_string(r, j, v, f_text)
    ws.set_h_pagebreaks(breaks)
    ws.freeze_panes(4, 4)
    ws.autofilter(3, 0, 3 + len(rows), 15)
    ws.set_landscape()
    ws.repeat_rows(3)
    wb.close()
    normalise_zip(path, C_WHEN)
    return where


def write_contracts_text_xlsx(path, rows):
    """openpyxl: the register as typed by another officer — dates and money as text, #N/A an error value."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = C_SHEET
    fix_openpyxl_props(wb, C_WHEN, 'Contracts Register for Contracts Sub Committee 2 November 2016')
    small = Font(name='Arial', size=8)
    for j, w in enumerate([14, 14, 8, 34, 22, 14, 12, 12, 16, 10, 12, 10, 11, 34, 40, 40], start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    put(ws, 1, 1, 'Contracts Register for Contracts Sub Committee 2 November 2016', font=TITLE, border=False,
        align=Alignment(vertical='top'))
    put(ws, 2, 1, '(For Contracts Activity Report to go to Care Services PDS 10 January 2017)', border=False,
        align=Alignment(vertical='top'))
    for j, h in enumerate(C_HEADER, start=1):
        put(ws, 4, j, h, font=Font(name='Arial', size=8, bold=True), fill=PatternFill('solid', fgColor='FFF2CC'))
    where = {}
    for k, (kind, c, n) in enumerate(rows):
        r = 5 + k
        if n is not None:
            where[n] = r
        for j, v in enumerate(c, start=1):
            if kind == 'header':
                put(ws, r, j, v, font=Font(name='Arial', size=8, bold=True), fill=PatternFill('solid', fgColor='FFF2CC'))
            elif j == 12 and re.fullmatch(r'\d+(\.\d+)?', v):
                put(ws, r, j, float(v) if '.' in v else int(v), font=small)
            else:
                put(ws, r, j, v if v else None, font=small)   # '#N/A' becomes an error cell in openpyxl
    ws.freeze_panes = 'E5'
    wb.save(path)
    normalise_zip(path, C_WHEN)
    return where


def contracts_expectations(name, rows, where, mistakes, fmt_note):
    as_of = dt.date(2016, 11, 2)
    contracts = [(c, n) for k, c, n in rows if k == 'row']
    info = EXP.add_file(
        name, mapping='contracts-register', sheet=C_SHEET,
        source='seed 001, Contracts Register for Contracts Sub Committee 2 November 2016: %d of its contracts '
               '(seed lines %s), the 16-column header repeated at two page breaks'
               % (len(contracts), ', '.join(str(n) for n in C_LINES if n)),
        counts=dict(records=len(contracts), header_rows=3, as_of='2016-11-02'))
    info['notes'].append(fmt_note)
    info['notes'].append('Duration rule used for the lists below: computed = whole months from Start to the day after '
                         'End plus the remaining days as a fraction of the next month (01-Apr-16 → 31-Mar-17 = 12). '
                         'TIME-DURATION when |stated − computed| ≥ 1; every other contract here is within 0.5, so '
                         'rounding semantics do not matter.')
    info['notes'].append('Extraction repairs: words split by the PDF ("Associatio n", "Healthcar e", "Communit y", '
                         '"Framewor k" …) joined; Cyrillic "МССН" → MCCH; OCR\'d names "Pallin Lusted" → Colin '
                         'Lusted, "Jethy Beasley age 102" → Jenny Beasley, "e Anne Watts" → Anne Watts; money split '
                         'over cells on seed lines 1305, 1368 and 1372 rejoined.')
    durations = []
    for c, n in contracts:
        s, e = parse_dmy(c[9]), parse_dmy(c[10]) if c[10] else None
        stated = c[11]
        r = where[n]
        if s and e and e < s:
            EXP.finding(name, 'TIME-ORDER', C_SHEET, f'K{r}', c[3], 'after start ' + c[9], c[10], 'planted',
                        f'"{c[3]}": end date {c[10]} (two-digit year 07 → 2007) is before the start {c[9]}; a '
                        f'TIME-DURATION on L{r} for the same row is acceptable but not required, and the TIME-OVERDUE '
                        f'listed below (conditional) follows from the same slip', contains=c[10])
        elif s and e and re.fullmatch(r'\d+(\.\d+)?', stated):
            comp = duration_months(s, e)
            diff = abs(float(stated) - comp)
            if diff >= 1:
                durations.append(n)
                origin = 'planted' if (mistakes and n == 1325) else 'real'
                EXP.finding(name, 'TIME-DURATION', C_SHEET, f'L{r}', c[3], f'{comp:g}', stated, origin,
                            f'"{c[3]}" ({c[4]}): {c[9]} → {c[10]} is {comp:g} months, stated {stated}',
                            severity='warning', contains=float(stated) if '.' in stated else int(stated))
            else:
                assert diff < 0.5, (n, stated, comp)
        if stated == '#N/A':
            EXP.finding(name, 'FIELD-TYPE', C_SHEET, f'L{r}', c[3], 'a number of months', '#N/A', 'real',
                        f'"{c[3]}": the duration is the error value #N/A '
                        + ('(a formula =NA() with cached #N/A)' if not mistakes else '(an error cell)'),
                        contains='#N/A')
        if not s:
            EXP.conditional(name, 'FIELD-REQUIRED', C_SHEET, f'J{r}', c[3], '',
                            f'"{c[3]}" has no start date in the seed (its 2016/17 Projected cell holds a sentence); '
                            'a finding if Start Date is required. No TIME-DURATION can be checked on this row',
                            severity='error', contains='')
        if e and e < as_of:
            EXP.conditional(name, 'TIME-OVERDUE', C_SHEET, f'K{r}', c[3], c[10],
                            f'end date {c[10]} is before the register date 2 November 2016 while the contract is '
                            'still listed; a finding if the mapping applies TIME-OVERDUE to End Date with as_of '
                            '2016-11-02 (from the title or --as-of)',
                            contains=dt.datetime.combine(e, dt.time()) if not mistakes else c[10])
        if not c[4]:
            EXP.conditional(name, 'FIELD-REQUIRED', C_SHEET, f'E{r}', c[3], '',
                            f'"{c[3]}" has no Supplier Name in the seed; a finding if Supplier Name is required',
                            severity='error', contains='')
        tot, bud = money(c[5]), money(c[7])
        if tot is not None and bud is not None and bud > tot:
            EXP.finding(name, 'TOTAL-PART', C_SHEET, f'H{r}', c[3], f'at most {c[5]}', c[7], 'planted',
                        f'"{c[3]}": 2016/17 Budget {c[7]} is larger than the Total Contract Value {c[5]}',
                        contains=c[7] if mistakes else bud)
    if not mistakes:
        info['clean'] += ['TOTAL-PART on every contract (no 2016/17 Budget exceeds its Total Contract Value)',
                          'TIME-ORDER on every contract (every end date is after its start date)']
    real = [1292, 1293, 1294, 1316, 1320, 1336, 1345]
    assert sorted(durations) == sorted(real + ([1325] if mistakes else [])), durations
    info['must_not'] += [
        'TIME-DURATION on "Adults - Direct Payments Support Services" (01-Aug-12 → 31-Mar-17 = 56) and the other '
        'rows not listed (all within 0.5 month)',
        'FIELD-TYPE on money written with words: "£139,984 between 817 and 824, …", "£335,000 Variable, cost on a '
        'client by client basis", "743,800 Variable, …", "£36,000 Lower usage", "Greater than budget dependent on '
        'usage", "£3,500,000 estimated (part of Bromley Healthcare Block Contract)", "Not allocated by contractor" '
        '(keep the raw text; the number is read where there is one)',
        'TIME-UNPARSED on the dates in Variation/ Extension/ Waiver Information ("31-Mar-17", "31/03/2017")',
        'TOTAL-PART where Budget equals the Total Contract Value (Strategic Partnership Core Funding - Bromley CAB '
        '£145,000; Barnardo\'s £55,000)',
    ]
    return info


# ----------------------------------------------------------------------------------------------
# Derived formats, README / JSON, verification, main
# ----------------------------------------------------------------------------------------------

# ----------------------------------------------------------------------------------------------
# 7. previous returns (`--previous`): last quarter's return of a sample, with planted changes
# ----------------------------------------------------------------------------------------------

# Per current sample: the previous return (path below samples/), what was planted, and the PREV-*
# findings `planconv validate SAMPLE --previous PREVIOUS` must give (none on the other records).
PREVIOUS = {}

QP_SHEET = 'CEF Portfolio Plan Q2'
QP_WHEN = dt.datetime(2020, 10, 30, 9, 0, 0)
QP_TITLE = 'Children, Education and Families Portfolio Plan for 2020/21 Quarter 2 Update'


def quarterly_previous(q_rows):
    """Seed 004's Q3 rolled back to a Q2 return: the title says Quarter 2, every update is last
    quarter's own (prefixed `Q2 position:`), and five changes between Q2 and Q3 are planted."""
    rows = copy.deepcopy(q_rows)
    kind, c, n = rows[0]
    assert 'Quarter 3 Update' in c[0]
    rows[0] = (kind, [c[0].replace('Quarter 3 Update', 'Quarter 2 Update')], n)
    section = None
    out, planted = [], []
    for kind, c, n in rows:
        if kind == 'section':
            section = re.match(r'Priority (\d+)', c[0]).group(1)
        if kind == 'row' and c[0].strip():
            action = re.sub(r'<[^>]+>', '', c[0]).strip()
            if section == '3' and action.startswith('6. Reduce permanent exclusions'):
                planted.append('P3 action 6 is not in Q2: new in Q3 (PREV-ADDED)')
                continue
            if section == '4' and action.startswith('1. Integrated services'):
                assert c[3] == 'April 2021', c[3]
                c[3] = 'January 2021'
                planted.append('P4 action 1 target date January 2021 in Q2, April 2021 in Q3 with no word why (PREV-SLIPPED)')
            if section == '5' and action.startswith('3. Effective use of IT'):
                c[5] = 'The new Social Care Information System went live in September 2020 (completed)'
                planted.append('P5 action 3 was complete in Q2 and is open again in Q3 (PREV-STATUS)')
            elif section == '3' and action.startswith('7. Improve life chances'):
                planted.append('P3 action 7 has the same update in Q2 and Q3 (PREV-STALE)')
            elif c[5].strip():
                c[5] = 'Q2 position: ' + c[5]
        elif kind == 'row' and c[5].strip():
            c[5] = 'Q2 position: ' + c[5]
        if kind == 'separator' and section == '2':
            out.append(('row', ['2. Supported lodgings for care leavers', 'Commission a supported lodgings scheme',
                                'Scheme in place', 'March 2021', 'Director Housing',
                                'Closed: merged into action 1 C) above'], None))
            planted.append('P2 action 2 is in Q2 only, closed there with a note (no PREV-DROPPED)')
        out.append((kind, c, n))
    # An action of Priority 5 that Q3 dropped without a word.
    last = max(i for i, (k, c, n) in enumerate(out) if k == 'row')
    out.insert(last + 1, ('row', ['5. Review the use of agency social workers',
                                  'Reduce reliance on agency staff across the service',
                                  'Fewer agency social workers', 'March 2021',
                                  "Director Children's Social Care",
                                  'Review under way; report to the Director due in November 2020'], None))
    planted.append('P5 action 5 is in Q2 and missing from Q3, neither complete nor closed (PREV-DROPPED)')
    return out, planted


def halfyear_previous(rows):
    """Seed 000's half-year update rolled back to the same plan's update at the end of September
    2016: every update and next step is September's own (prefixed), and four changes between
    September and November are planted."""
    rows = copy.deepcopy(rows)
    planted = []
    sep = 'Position at the end of September 2016: '
    out = []
    for kind, c, n in rows:
        if kind == 'header':
            assert c[4] == 'Half Year Update – end of November 2016', c[4]
            c[4] = 'Half Year Update – end of September 2016'
        elif kind == 'action' and n == 25:
            assert c[2] == 'Green' and c[3].startswith('Review the market position statement'), c[:4]
            c[2] = 'Red'
            c[4], c[5] = sep + c[4], sep + c[5]
            planted.append('action 1.3 (Review the market position statement) Red in September, Green in November (PREV-STATUS)')
        elif kind == 'action' and n == 23:
            assert c[2] == 'Amber' and c[3].startswith('Evaluate operation of the Transfer'), c[:4]
            c[2] = 'Green'
            c[5] = sep + c[5]
            planted.append('action 1.2 (Evaluate operation of the Transfer of Care Bureau) Green in September, Amber in '
                           'November with the update word for word the same (PREV-STATUS, PREV-STALE)')
        elif kind in ('action', 'continuation'):
            if c[4].strip():
                c[4] = sep + c[4]
            if c[5].strip():
                c[5] = sep + c[5]
        elif kind == 'blank' and n == 15:
            kind, c = 'action', ['', '', 'Amber', 'Pilot social prescribing with two GP practices',
                                 'The pilot started in July with two GP practices.',
                                 'An evaluation of the pilot will be reported in December 2016.']
            planted.append('an action of aim 1.1 (Pilot social prescribing) in September only, neither complete nor '
                           'closed (PREV-DROPPED)')
        out.append((kind, c, n))
    return out, planted


def indicator_previous(rows):
    """Seed 002's Appendix B as the Quarter 3 return of the same year: the latest column is
    Quarter 3 12/13 (other figures, another period: never compared), and two figures of periods
    both returns report differ from Q4's."""
    rows = copy.deepcopy(rows)
    planted = []
    out = []
    for kind, c, key in rows:
        if kind == 'title':
            c = [c[0].replace('March 2013', 'December 2012')]
        elif kind == 'title2':
            c = [c[0].replace('end of March 2013', 'end of December 2012')]
        elif kind == 'header':
            c = list(c)
            c[4] = 'Quarter 3 12/13'
        elif kind == 'row' and key == 5:
            assert c[6] == '17', c[6]
            c[6] = '15'
            planted.append('indicator 5 Outturn 2011/12: 15 in Q3, 17 in Q4 (PREV-RESTATED)')
        elif kind == 'row' and key == 7:
            assert c[5] == '75%', c[5]
            c[5] = '70%'
            planted.append('indicator 7 Target 2012/13: 70% in Q3, 75% in Q4 (PREV-RESTATED)')
        elif kind == 'row' and key == 6:
            c[4] = '94%'
            planted.append('indicator 6 Quarter 3 12/13 94%, Quarter 4 12/13 95.5%: another period, not compared')
        out.append((kind, c, key))
    return out, planted


def derive(new_name, from_name, producer, note, sheet=None):
    """Expectations of a file converted from another sample: same findings, same cells."""
    import copy
    info = copy.deepcopy(EXP.files[from_name])
    info['producer'] = producer
    info['derived_from'] = from_name
    info['notes'] = [note] + info['notes']
    if sheet is not None:
        info['sheet'] = sheet
        for f in info['findings'] + info['conditional']:
            f['sheet'] = sheet
    EXP.files[new_name] = info
    EXP.order.append(new_name)


def md_escape(v):
    return str(v).replace('|', '\\|').replace('\n', ' ')


def render_readme(path):
    o = []
    w = o.append
    w('# Sample workbooks\n')
    w('Generated by `make_samples.py` (run `/usr/bin/python3 samples/make_samples.py`; needs openpyxl, '
      'xlsxwriter and gnumeric\'s `ssconvert`). **Do not edit this file or the workbooks by hand**: change the '
      'script. The same findings are in `expected-findings.json` for tests. After writing, the script re-reads '
      'every workbook and checks that each cell listed below holds the value the finding talks about, and that '
      'each .xls/.ods shows the same cells as the xlsx it was converted from.\n')
    w('Determinism: .xlsx, .ods, .csv, README.md and expected-findings.json are byte-identical on every run (fixed '
      'document dates, fixed zip entry timestamps). gnumeric\'s BIFF writer orders its font/XF records differently '
      'on every run (its hash tables are seeded from `getrandom`), so a *fresh* .xls differs in bytes but not in '
      'content; the script therefore keeps an existing .xls whose cells are unchanged, and re-running it in place '
      'leaves every committed file byte-identical.\n')
    w('Seeds are read from `../../shared/seeds/` (override with `--seeds`). Quoted seed line numbers refer to '
      'those files.\n')
    w('## Conventions\n')
    w('- **Findings** (tables "Expected findings") must be reported: rule id (SPEC §8), sheet, cell (A1), '
      'record, expected and actual. *origin* says whether the mistake is **real** (carried over from the seed) or '
      '**planted**. The severity column is the suggested default; tests should assert rule, sheet and cell.')
    w('- **Conditional findings** depend on a mapping decision (is the field required? is the rule enabled? '
      'is `TBC` a placeholder?). The condition is stated; tests should assert them only once the shipped mapping '
      'settles the decision.')
    w('- **Must not be reported**: traps for false positives.')
    w('- **Validates clean**: tables that must give no finding of the named kind.')
    w('- Cells typed as numbers keep the seed text as their *display*: `typed()` stores `72` as 72, `36,000` as '
      '36000 with format `#,##0`, `81%` as 0.81 with `0%`, `67.5%` as 0.675 with `0.0%`, `632.7` as 632.7 with '
      '`0.0`; everything else (e.g. `90.5% (191/211) October`, `<5.0`, `New`) is text. Ids (`1.1`, `1.10`) '
      'are always text.')
    w('- All text (markup `<p>`/`<ul>`/`<li>`, curly quotes, `£`, en dashes, `✓`) is the seed\'s, unchanged unless '
      'a repair is listed.\n')
    w('## Files\n')
    w('| file | mapping | producer | content |')
    w('|---|---|---|---|')
    for name in EXP.order:
        f = EXP.files[name]
        w(f"| `{name}` | `{f['mapping']}` | {f['producer']} | {md_escape(f['summary'])} |")
    w('')
    for name in EXP.order:
        f = EXP.files[name]
        w(f'## `{name}`\n')
        w(f"- **mapping**: `{f['mapping']}`")
        w(f"- **producer**: {f['producer']}")
        if f.get('derived_from'):
            w(f"- **converted from**: `{f['derived_from']}` — same sheet layout, cells, counts and findings; "
              f"see that entry for the source, layout, repairs, must-not list and clean tables.")
            w(f"- **sheet(s)**: {', '.join('`%s`' % s.strip() for s in f['sheet'].split(','))}")
            w(f"- {f['notes'][0]}")
            w('- **counts**: ' + ', '.join(f'{k} = {v}' for k, v in f['counts'].items()))
            w('')
            render_findings(w, f)
            continue
        w(f"- **sheet(s)**: {', '.join('`%s`' % s.strip() for s in f['sheet'].split(','))}")
        w(f"- **source**: {f['source']}")
        for note in f['notes']:
            w(f'- {note}')
        if f.get('structure'):
            w(f"- **structure**: {f['structure']}")
        w('- **counts**: ' + ', '.join(f'{k} = {v}' for k, v in f['counts'].items()))
        for k in ('actions', 'sub_actions', 'continuation_rows', 'separator_rows'):
            if f.get(k):
                w(f'- **{k.replace("_", " ")}**: {f[k]}')
        w('')
        if f.get('sections'):
            w('Per section (counting convention of DOMAIN §1.1):\n')
            w('| section | summary cell | claim on track / of / more work | Green | Amber+Red | N/A | unknown | '
              'actions | continuation rows | indicators | note rows | aims (row) |')
            w('|---|---|---|---|---|---|---|---|---|---|---|---|')
            for s in f['sections']:
                w(f"| {s['section']} (row {s['row']}) | {s['statement_cell']} | {s['claim_on_track']} / "
                  f"{s['claim_of']} / {s['claim_more_work']} | {s['green']} | {s['amber_or_red']} | {s['na']} | "
                  f"{s['unknown']} | {s['actions']} | {s['continuation_rows']} | {s['indicators']} | "
                  f"{s['note_rows']} | {s['aims']} |")
            w('')
        render_findings(w, f)
        if f['must_not']:
            w('### Must not be reported\n')
            for x in f['must_not']:
                w(f'- {x}')
            w('')
        if f['clean']:
            w('### Validates clean\n')
            for x in f['clean']:
                w(f'- {x}')
            w('')
    if PREVIOUS:
        w('## Previous returns (`--previous`)\n')
        w('`previous/` holds the previous return of three samples, with planted changes; '
          '`planconv validate SAMPLE --previous previous/…` must give exactly these PREV-* findings, '
          'with the previous return given as the workbook or as planconv\'s XML of it (also listed under '
          '`previous` in expected-findings.json).\n')
        for name, p in PREVIOUS.items():
            w(f"### {name} against `{p['previous']}`\n")
            for x in p['planted']:
                w(f'- {x}')
            w('')
            w('| rule | severity | cell | record | expected | actual |')
            w('|---|---|---|---|---|---|')
            for x in p['findings']:
                w(f"| {x['rule']} | {x['severity']} | {x['cell']} | {x['record']} | {x.get('expected') or ''} | "
                  f"{x.get('actual') or ''} |")
            w('')
    with open(path, 'w', encoding='utf-8') as fh:
        fh.write('\n'.join(o))


def render_findings(w, f):
    """The findings and conditional findings tables of one file."""
    w('### Expected findings\n')
    if f['findings']:
        w('| # | rule | severity | sheet | cell | record | expected | actual | origin | what |')
        w('|---|---|---|---|---|---|---|---|---|---|')
        for i, x in enumerate(f['findings'], 1):
            w(f"| {i} | `{x['rule']}` | {x['severity']} | `{x['sheet']}` | **{x['cell']}** | "
              f"{md_escape(x['record'])} | {md_escape(x['expected'])} | `{md_escape(x['actual'])}` | "
              f"{x['origin']} | {md_escape(x['message'])} |")
    else:
        w('None: this file must validate with no definite finding.')
    w('')
    if f['conditional']:
        w('### Conditional findings\n')
        w('| rule | severity | sheet | cell | record | value | condition |')
        w('|---|---|---|---|---|---|---|')
        for x in f['conditional']:
            w(f"| `{x['rule']}` | {x['severity']} | `{x['sheet']}` | {x['cell']} | "
              f"{md_escape(x['record'] if x['record'] is not None else '')} | "
              f"`{md_escape(x['actual'])}` | {md_escape(x['condition'])} |")
        w('')


def render_json(path):
    out = {'generated_by': 'samples/make_samples.py', 'files': {}}
    for name in EXP.order:
        f = dict(EXP.files[name])
        f['findings'] = [{k: v for k, v in x.items() if k != 'contains'} for x in f['findings']]
        f['conditional'] = [{k: v for k, v in x.items() if k != 'contains'} for x in f['conditional']]
        out['files'][name] = f
    if PREVIOUS:
        out['previous'] = PREVIOUS
    with open(path, 'w', encoding='utf-8') as fh:
        json.dump(out, fh, ensure_ascii=False, indent=1, sort_keys=False)
        fh.write('\n')


def cell_matches(value, want):
    if isinstance(want, str):
        if want == '':
            return value is None or value == ''
        return value is not None and want in str(value)
    if isinstance(want, dt.datetime):
        return value == want
    return isinstance(value, (int, float)) and abs(value - want) < 1e-9


def verify(out_dir):
    """Re-read every xlsx/csv and check the listed cells; fail loudly on any mismatch."""
    problems = []
    for name in EXP.order:
        f = EXP.files[name]
        path = os.path.join(out_dir, name)
        entries = [x for x in f['findings'] + f['conditional'] if x.get('contains') is not None]
        if name.endswith('.xlsx'):
            wb = openpyxl.load_workbook(path, data_only=True)
            for x in entries:
                v = wb[x['sheet']][x['cell']].value
                if not cell_matches(v, x['contains']):
                    problems.append(f"{name} {x['sheet']}!{x['cell']} {x['rule']}: holds {v!r}, expected {x['contains']!r}")
        elif name.endswith('.csv'):
            with open(path, encoding='utf-8-sig', newline='') as fh:
                grid = list(csv.reader(fh))
            for x in entries:
                m = re.fullmatch(r'([A-Z]+)(\d+)', x['cell'])
                col = openpyxl.utils.column_index_from_string(m.group(1))
                row = int(m.group(2))
                v = grid[row - 1][col - 1] if row <= len(grid) and col <= len(grid[row - 1]) else None
                want = x['contains'] if isinstance(x['contains'], str) else None
                if want is not None and not cell_matches(v, want):
                    problems.append(f"{name} {x['cell']} {x['rule']}: holds {v!r}, expected {want!r}")
        if os.path.getsize(path) > 1024 * 1024:
            problems.append(f'{name} is larger than 1 MB')
    if problems:
        sys.exit('make_samples: verification failed:\n  ' + '\n  '.join(problems))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', default=HERE, help='output folder (default: the samples/ folder)')
    ap.add_argument('--seeds', default=DEFAULT_SEEDS, help='folder with the seed texts')
    args = ap.parse_args()
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    P = lambda n: os.path.join(out, n)

    s000 = seed_lines(args.seeds, '000_')
    s001 = seed_lines(args.seeds, '001_')
    s002 = seed_lines(args.seeds, '002_')
    s003 = seed_lines(args.seeds, '003_')
    s004 = seed_lines(args.seeds, '004_')

    # 1. half-year plan
    hy_note = ('Layout: title row 1 (merged A1:F1); per outcome a `Priority Outcome N` row, the statement + '
               'summary row (merged A:F), the 6-column action header repeated exactly where the seed repeats '
               'it (37 header rows, a manual page break before each repeat), action rows, continuation rows '
               '(only E/F filled), the indicator header `We will measure this achievement by: | (blank) | '
               'Target 2016/17 | Outturn…` and rows `1.`, `2.` … in A–D, one note row (merged A:D). `No` and '
               '`We aimed to` are merged vertically over the further actions of the same aim up to the next '
               'repeated header (e.g. A22:A23 / B22:B23 for aim 1.3); after a repeated header the further actions '
               'of an aim have them blank (fill down). RAG cells are filled green/amber.')
    for mistakes, name in ((False, 'portfolio-plan-half-year.xlsx'), (True, 'portfolio-plan-half-year-mistakes.xlsx')):
        rows = build_halfyear(s000, mistakes)
        write_halfyear_xlsx(P(name), rows)
        halfyear_expectations(name, rows, mistakes, hy_note)
        EXP.files[name]['producer'] = 'openpyxl'
        EXP.files[name]['summary'] = ('all six Priority Outcomes of seed 000 in one sheet, '
                                      + ('with 7 planted mistakes + the 2 real ones' if mistakes else
                                         'as the seed (2 real mistakes)'))
    os.makedirs(P('previous'), exist_ok=True)
    hp_rows, hp_planted = halfyear_previous(build_halfyear(s000, False))
    write_halfyear_xlsx(P('previous/portfolio-plan-half-year-september.xlsx'), hp_rows)
    PREVIOUS['portfolio-plan-half-year.xlsx'] = dict(
        previous='previous/portfolio-plan-half-year-september.xlsx', planted=hp_planted,
        findings=[  # seed line N is sheet row N-2
            dict(rule='PREV-DROPPED', severity='warning', sheet=HY_SHEET, cell='A15', record='1.1', actual='missing'),
            dict(rule='PREV-STATUS', severity='warning', sheet=HY_SHEET, cell='C21', record='1.2',
                 expected='Green', actual='Amber'),
            dict(rule='PREV-STALE', severity='warning', sheet=HY_SHEET, cell='E21', record='1.2'),
            dict(rule='PREV-STATUS', severity='warning', sheet=HY_SHEET, cell='C23', record='1.3',
                 expected='Red', actual='Green'),
        ])
    ssconvert(P('portfolio-plan-half-year.xlsx'), P('portfolio-plan-half-year.xls'))
    derive('portfolio-plan-half-year.xls', 'portfolio-plan-half-year.xlsx', 'gnumeric ssconvert (BIFF8) from the xlsx',
           'Legacy .xls made by `ssconvert portfolio-plan-half-year.xlsx portfolio-plan-half-year.xls`: same cells, '
           'merges, number formats and findings as the xlsx.')
    EXP.files['portfolio-plan-half-year.xls']['summary'] = 'the clean half-year plan as legacy BIFF8 .xls'

    # 2. quarterly plan
    q_rows = build_quarterly(s004)
    name = 'portfolio-plan-quarterly.xlsx'
    q_where = write_quarterly_xlsx(P(name), q_rows)
    quarterly_expectations(name, q_rows, q_where, s004,
                           'Layout: title row A1; per priority `Priority N` (+ title on the next row, or `Priority 2 '
                           'Affordable, decent and secure homes` on one row), `Our Ambitions:` and `Strategic links:` '
                           'lists (`- ✓ …`), `What are we going to do?`, the header `ACTION | DETAIL | MEASURES OF '
                           'SUCCESS | TARGET DATE | LEAD | UPDATES`, then every table line of the seed as one row: '
                           'blank page-break rows, dash separator rows, UPDATES-only continuation rows and the '
                           'sub-action rows whose DETAIL spills into the next row (P2 action 1 D/E, P3 action 4) kept '
                           'as in the seed.')
    EXP.files[name]['producer'] = 'xlsxwriter'
    EXP.files[name]['summary'] = 'seed 004, all five priorities, as the seed (real numbering gap, two overdue targets)'
    ssconvert(P(name), P('portfolio-plan-quarterly.ods'), Q_WHEN)
    derive('portfolio-plan-quarterly.ods', name, 'gnumeric ssconvert (ODF) from the xlsx',
           'OpenDocument copy made by `ssconvert portfolio-plan-quarterly.xlsx portfolio-plan-quarterly.ods` '
           '(zip timestamps normalised).')
    EXP.files['portfolio-plan-quarterly.ods']['summary'] = 'the quarterly plan as .ods'
    os.makedirs(P('previous'), exist_ok=True)
    qp_rows, qp_planted = quarterly_previous(q_rows)
    write_quarterly_xlsx(P('previous/portfolio-plan-quarterly-q2.xlsx'), qp_rows, QP_SHEET, QP_TITLE, QP_WHEN)
    row_of_action = {}
    section = None
    for kind, c, n in q_rows:
        if kind == 'section':
            section = re.match(r'Priority (\d+)', c[0]).group(1)
        if kind == 'row' and c[0].strip():
            m = re.match(r'^(?:<p>)?(\d+)[.)] ', c[0])
            row_of_action[section + '.' + m.group(1)] = q_where[n]
    last_row = max(q_where.values())
    PREVIOUS[name] = dict(
        previous='previous/portfolio-plan-quarterly-q2.xlsx', planted=qp_planted,
        findings=[
            dict(rule='PREV-ADDED', severity='info', sheet=Q_SHEET, cell='A%d' % row_of_action['3.6'], record='3.6'),
            dict(rule='PREV-STALE', severity='warning', sheet=Q_SHEET, cell='F%d' % row_of_action['3.7'], record='3.7'),
            dict(rule='PREV-SLIPPED', severity='warning', sheet=Q_SHEET, cell='D%d' % row_of_action['4.1'], record='4.1',
                 expected='January 2021', actual='April 2021'),
            dict(rule='PREV-STATUS', severity='warning', sheet=Q_SHEET, cell='F%d' % row_of_action['5.3'], record='5.3',
                 expected='complete', actual='not complete'),
            dict(rule='PREV-DROPPED', severity='warning', sheet=Q_SHEET, cell='A%d' % (last_row + 1), record='5.5',
                 actual='missing'),
        ])

    # 3. improvement action plan
    sheets = improvement_sheets(s003)
    name = 'improvement-action-plan.xlsx'
    where = write_improvement_xlsx(P(name), sheets)
    improvement_expectations(name, sheets, where,
                             'Layout: sheet `Key` (title, the reporting line `… position at 31 October 2016` '
                             'in A2, key to lead abbreviations `Abbrev. | Full Title`); one '
                             'sheet per priority: title, `Lead officer:` row, the 6-column action table and (P2, '
                             'P4, P10) the measures table `No. | Indicator | Type of Indicator | Source | Bromley '
                             '2015/16 | Target 16/17 | Target 17/18`. Header variants: P1 `Timescale between Jun 16 '
                             '– Oct 17` (repeated once); P2 the same, then a header split over two rows (`Timescale '
                             'between` / `Jun 16 – Oct 17`), then the same again; P4 standard then split over two '
                             'rows (`ID | Issue | Key Actions | Timescale | Lead | Agency` / `(Ofsted Para & Rec)`, '
                             '`between Jun 16 – Oct 17`, `Involvement`); P5 `Timescale between Jun 16-Oct 17` (three '
                             'times) and `Timescale between Jun 16–Oct 17`; P10 `Timescale between June 16 – Oct 17`. '
                             'Measures group rows (e.g. `Thematic audits (3 per quarter)`) are merged A:G; sub-rows '
                             'have an empty `No.`.')
    EXP.files[name]['producer'] = 'openpyxl'
    EXP.files[name]['summary'] = 'seed 003: key table + priorities 1, 2, 4, 5, 10 (one sheet each) with measures; real numbering faults'
    EXP.files[name]['notes'].append(
        'Repairs of extraction artefacts: P1 rows 1.6 and 1.7 had lost their ID cell (text shifted left) — IDs '
        'restored; a garbled OCR duplicate of 1.6/1.7 (seed line 113) dropped; 1.5 and 5.6 continue on the next '
        'page as continuation rows (ID blank) as in the seed; P5 5.1–5.3 rebuilt from the OCR\'d lines 403–441 '
        '(duplicated OCR fragments removed); 4.4 rebuilt from lines 311–316 (the OCR repeats 4.4.4); header `IC` '
        '→ `ID`, ids `5.` → 5.9 / 5.10, measures `41`/`40` → `4l`/`4o`; split measures group labels joined '
        '(`Them|atic` → `Thematic`, `CP C|nairs` → `CP Chairs`, `Case|oads` → `Caseloads`).')

    # 4. indicator table
    ind_note = ('Layout: two title rows; per outcome `Priority Outcome N`, its statement, the header `# | Type of '
                'indicator | Reporting frequency | Indicator | Quarter 4 12/13 | Target 2012/13 | Outturn 2011/12 | '
                'Target 2011/12` (repeated per outcome), rows numbered 1–39 (numbers in A), a separator row of dashes '
                'after indicator 27 as in the seed. Values through `typed()`.')
    for mistakes, name in ((False, 'indicator-table.xlsx'), (True, 'indicator-table-mistakes.xlsx')):
        rows = build_indicator_rows(s002, mistakes)
        where = write_indicator_xlsx(P(name), rows)
        indicator_expectations(name, rows, where, mistakes, ind_note)
        EXP.files[name]['producer'] = 'xlsxwriter'
        EXP.files[name]['summary'] = ('seed 002 Appendix B, indicators 1–39' +
                                      (', 4 planted mistakes' if mistakes else ', as the seed (validates clean)'))
        if not mistakes:
            ip_rows, ip_planted = indicator_previous(rows)
            outcome_of, outcome = {}, None
            for kind, c, key in rows:
                if kind == 'section':
                    outcome = re.match(r'Priority Outcome (\d+)', c[0]).group(1)
                elif kind == 'row':
                    outcome_of[key] = outcome
            write_indicator_xlsx(P('previous/indicator-table-q3.xlsx'), ip_rows, dt.datetime(2013, 2, 26, 9, 0, 0))
            PREVIOUS[name] = dict(
                previous='previous/indicator-table-q3.xlsx', planted=ip_planted,
                findings=[
                    dict(rule='PREV-RESTATED', severity='warning', sheet=IND_SHEET, cell='G%d' % where[5],
                         record='%s.5' % outcome_of[5], expected='15', actual='17'),
                    dict(rule='PREV-RESTATED', severity='warning', sheet=IND_SHEET, cell='F%d' % where[7],
                         record='%s.7' % outcome_of[7], expected='70%', actual='75%'),
                ])
            write_excel_csv(P('indicator-table.csv'), indicator_csv_rows(rows))
            derive('indicator-table.csv', name, 'Python csv (Excel "CSV UTF-8" style)',
                   'CSV as Excel\'s "CSV UTF-8" export writes it: UTF-8 with BOM, CRLF, fields with commas or '
                   'quotes quoted, every row padded to 8 fields, numbers as displayed (= the seed text). A CSV has '
                   'no sheet name: the sheet is reported as the file stem `indicator-table`.', sheet='indicator-table')
            EXP.files['indicator-table.csv']['summary'] = 'the clean indicator table as CSV'

    # 5. budget
    b_note = ("Layout: title rows (\"Care Services Portfolio Budget Monitoring Summary\", \"2012/13 Final Outturn – all "
              "figures £'000\"), the 9-column header in row 4, then from row 6: department rows, division header "
              "rows, service rows, unlabelled subtotal rows, named totals, the memorandum block. Numbers are numeric "
              "cells (format `#,##0`) except the memorandum's negatives, which are text `(100)` as in the seed. "
              "Notes are numbers 1–17.")
    for mistakes, name in ((False, 'budget-monitoring.xlsx'), (True, 'budget-monitoring-mistakes.xlsx')):
        budget = budget_with_mistakes() if mistakes else BUDGET
        write_budget_xlsx(P(name), budget)
        budget_expectations(name, budget, mistakes, b_note)
        EXP.files[name]['producer'] = 'xlsxwriter'
        EXP.files[name]['summary'] = ("seed 002 budget appendix (£'000)" +
                                      (': a subtotal off by 25 and a wrong Variation' if mistakes else
                                       ', reconciles row by row (validates clean)'))
    write_excel_csv(P('budget-monitoring.csv'), budget_csv_rows(BUDGET))
    derive('budget-monitoring.csv', 'budget-monitoring.xlsx', 'Python csv (Excel "CSV UTF-8" style)',
           'CSV as Excel exports it from a copy of the clean sheet whose Variation and Variation Last Reported '
           'columns use the finance format `#,##0;"Cr "#,##0`: negatives there read `Cr 113`, `Cr 4,376`; other '
           'negatives `-1,016`; memorandum `(100)`; thousands separators everywhere (fields quoted). The header '
           'cells hold line breaks and the unit (`2012/13 Original\\nBudget £`), as in the seed\'s two-line header '
           '(values are £\'000 although the header says £). UTF-8 with BOM, CRLF. Sheet = file stem '
           '`budget-monitoring`.', sheet='budget-monitoring')
    EXP.files['budget-monitoring.csv']['summary'] = 'the clean budget as CSV with `Cr` negatives and multi-line header'
    ssconvert(P('budget-monitoring.xlsx'), P('budget-monitoring.xls'))
    derive('budget-monitoring.xls', 'budget-monitoring.xlsx', 'gnumeric ssconvert (BIFF8) from the xlsx',
           'Legacy .xls made by `ssconvert budget-monitoring.xlsx budget-monitoring.xls`.')
    EXP.files['budget-monitoring.xls']['summary'] = 'the clean budget as legacy .xls'

    # 6. contracts
    for mistakes, name in ((False, 'contracts-register.xlsx'), (True, 'contracts-register-mistakes.xlsx')):
        rows = build_contracts(s001, mistakes)
        if mistakes:
            where = write_contracts_text_xlsx(P(name), rows)
            note = ('Layout as the clean register, typed differently: every date and money value is TEXT as in the '
                    'seed (`01-Sep-11`, `£ 476,276`, `£95,255`), durations are numbers, `#N/A` is an error cell. '
                    'Planted: CAB duration 12 → 18, Appropriate Adult end date 31-Mar-17 → 31-Mar-07, Group Based '
                    'Short Break budget £33,850 → £83,850.')
        else:
            where = write_contracts_xlsx(P(name), rows)
            note = ('Layout: title row, subtitle row, header in row 4 (16 columns, DOMAIN §4), contracts from row 5 '
                    'with the header repeated at two page breaks (rows %d and %d). Dates are real date cells (format '
                    '`dd-mmm-yy`), plain money values numbers (format `"£"#,##0`), money with words text, durations '
                    'numbers, the `#N/A` duration a formula `=NA()` with cached error value, RAG cells filled.'
                    % tuple(5 + i for i, n in enumerate(C_LINES) if n is None))
        contracts_expectations(name, rows, where, mistakes, note)
        EXP.files[name]['producer'] = 'openpyxl' if mistakes else 'xlsxwriter'
        EXP.files[name]['summary'] = ('seed 001 register, %d contracts, ' % sum(1 for n in C_LINES if n)
                                      + ('dates as text, 3 planted mistakes' if mistakes else
                                         'dates as date cells, as the seed (real duration mistakes)'))
    ssconvert(P('contracts-register.xlsx'), P('contracts-register.ods'), C_WHEN)
    derive('contracts-register.ods', 'contracts-register.xlsx', 'gnumeric ssconvert (ODF) from the xlsx',
           'OpenDocument copy made by `ssconvert contracts-register.xlsx contracts-register.ods` (dates stay '
           'date cells, #N/A an error value; zip timestamps normalised).')
    EXP.files['contracts-register.ods']['summary'] = 'the clean register as .ods'

    render_readme(P('README.md'))
    render_json(P('expected-findings.json'))
    verify(out)
    for name in EXP.order:
        f = EXP.files[name]
        print(f"{name:42s} {os.path.getsize(P(name)):8d} bytes  {len(f['findings']):2d} findings  "
              f"{len(f['conditional']):2d} conditional")


if __name__ == '__main__':
    main()
