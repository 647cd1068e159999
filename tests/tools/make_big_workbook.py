#!/usr/bin/python3
"""Writes a large action-plan workbook in the `portfolio-plan-half-year` layout.

Used to measure the xlsx reader (and, through scripts/bench, the whole pipeline) on a return far
larger than any real one. The file is written by xlsxwriter with constant_memory off, so the
text goes to a shared-strings table exactly as Excel writes it, and the text repeats the way a
real plan's does: a handful of RAG values and aims, recurring action phrases, long updates that
are mostly unique.

    /usr/bin/python3 tests/tools/make_big_workbook.py --rows 50000 big.xlsx

With --long-texts the cells are as long as the seeds' (seed 000's updates run to a few hundred
words: 4–8 sentences of update, 2–3 of next steps, an aim with one sentence more), which makes
the shared strings table the bulk of the file (about 32 MB for 50,000 rows), as in a real
Excel return.

Deterministic: the same --rows, --seed and --long-texts give the same workbook.
"""
import argparse
import random

import xlsxwriter

HEADER = [
    "No",
    "We aimed to",
    "RAG status",
    "Actions",
    "Half Year Update \u2013 end of November 2016",
    "Between December 2016 and June 2017 we are focusing on...",
]
RAG = ["Green"] * 6 + ["Amber"] * 3 + ["Red", "Amber (Central Government Delay)", "N/A"]
AIM_OPENINGS = [
    "Earlier diagnosis and intervention means that people are less dependent on intensive services",
    "Residents are supported to live independently in their own homes for longer",
    "Children and young people are safe and achieve their potential",
    "Carers are recognised and supported in their caring role",
    "The market for care offers choice, quality and value for money",
    "Vulnerable adults are safeguarded from abuse and neglect",
    "Housing need is met through prevention and a supply of affordable homes",
    "Services are commissioned on the basis of outcomes and evidence",
]
ACTION_VERBS = ["Improve", "Launch", "Review", "Expand", "Commission", "Develop", "Monitor", "Deliver"]
ACTION_OBJECTS = [
    "prevention of cardiovascular disease through the NHS Health Checks programme",
    "the on line self sampling home testing service for sexually transmitted infections",
    "a new 'Dementia Hub' in partnership with Bromley Clinical Commissioning Group",
    "the reablement service to reduce admissions to residential care",
    "the carers' strategy with the voluntary sector",
    "the integrated care network across primary and community services",
    "the Multi-Agency Safeguarding Hub and its referral pathways",
    "the supply of temporary accommodation within the borough",
    "the direct payments offer for working age adults",
    "the extra care housing schemes and their allocation policy",
]
UPDATE_SENTENCES = [
    "Between April and September 2016, {n:,} people were offered a NHS Health Check, with {m:,} ({p}%) uptake.",
    "Monitoring of the programme, through assessment and validation of performance each quarter, is ongoing.",
    "An audit programme is in progress to measure the clinical outcomes of participants identified at increased risk.",
    "Since the start of this initiative in January 2016, {n} individuals have been tested as a preventative measure.",
    "The service is now fully operational and has received {n} referrals ({m} service users and {p} carers).",
    "<p>Data collection from all GP Practices has been completed and is being prepared for analysis.</p>",
    "The tender was evaluated in {month} and the contract was awarded to the preferred provider.",
    "Performance is reported to the Portfolio Holder quarterly; {p}% of reviews were completed on time.",
    "A business case is being prepared for the Executive in {month} 2017.",
    "Recruitment to the remaining {n} posts is under way; agency use has fallen by {p}% since April.",
    "<ul style=\"list-style-type: none\"> - Consultation closed on {d} {month} - {n} responses were received",
    "Savings of \u00a3{n},000 have been achieved against a target of \u00a3{m},000.",
]
FOCUS_SENTENCES = [
    "Supporting areas with low performance, to improve equity of access in the borough.",
    "Continued monitoring and evaluation of outcomes through performance data analysis.",
    "Evaluation will be carried out during the next quarter with findings available in {month} 2017.",
    "The impact of the hub is being measured together with the CCG.",
    "Embedding the new pathway and reporting on its outcomes to the Health and Wellbeing Board.",
    "Completing the procurement and mobilising the new contract by {month} 2017.",
]
MONTHS = ["January", "February", "March", "April", "May", "June",
          "July", "August", "September", "October", "November", "December"]
SUMMARY = ("As at the end of November, {on} out of {total} actions being progressed during the first "
           "half of the year are on track with {more} actions requiring more work in the next half year.")


def fill(template, rng):
    return template.format(n=rng.randint(5, 9999), m=rng.randint(5, 999), p=rng.randint(1, 99),
                           d=rng.randint(1, 28), month=rng.choice(MONTHS))


def paragraph(sentences, count, rng):
    return " ".join(fill(rng.choice(sentences), rng) for _ in range(count))


def write(path, rows, seed, long_texts=False):
    rng = random.Random(seed)
    # (min, max) sentences of update and of next steps per action.
    update_len, focus_len = ((4, 8), (2, 3)) if long_texts else ((1, 4), (1, 2))
    wb = xlsxwriter.Workbook(path, {"constant_memory": False, "strings_to_numbers": False})
    bold = wb.add_format({"bold": True, "text_wrap": True})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    ws = wb.add_worksheet("Portfolio Plan")
    ws.write(0, 0, "Care Services Portfolio Plan Half Year Update 2016/17 (November 2016)", bold)
    r = 2
    written = 0
    outcome = 0
    while written < rows:
        outcome += 1
        ws.write(r, 0, f"Priority Outcome {outcome}", bold)
        ws.write(r + 1, 0, paragraph(FOCUS_SENTENCES, 2, rng), wrap)
        ws.write(r + 2, 0, SUMMARY.format(on="five", total="eight", more="three"), wrap)
        r += 4
        aim_no = 0
        for _ in range(rng.randint(20, 60)):  # aims per outcome
            aim_no += 1
            aim = rng.choice(AIM_OPENINGS)
            if long_texts:
                aim += ": " + paragraph(FOCUS_SENTENCES, 1, rng)
            actions = rng.randint(1, 6)
            if rng.random() < 0.15:  # the header repeated after a page break
                ws.write_row(r, 0, HEADER, bold)
                r += 1
            for k in range(actions):
                action = f"{rng.choice(ACTION_VERBS)} {rng.choice(ACTION_OBJECTS)}"
                ws.write_string(r, 0, f"{outcome}.{aim_no}" if k == 0 else "", wrap)
                ws.write_string(r, 1, aim if k == 0 else "", wrap)
                ws.write_string(r, 2, rng.choice(RAG), wrap)
                ws.write_string(r, 3, action, wrap)
                ws.write_string(r, 4, paragraph(UPDATE_SENTENCES, rng.randint(*update_len), rng), wrap)
                ws.write_string(r, 5, paragraph(FOCUS_SENTENCES, rng.randint(*focus_len), rng), wrap)
                r += 1
                written += 1
                if written >= rows:
                    break
            if written >= rows:
                break
    ws.set_column(0, 0, 8)
    ws.set_column(1, 5, 40)
    wb.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=50000, help="action rows to write (default 50000)")
    ap.add_argument("--seed", type=int, default=2016)
    ap.add_argument("--long-texts", action="store_true", help="cells as long as the seeds' (see above)")
    ap.add_argument("out", help="the .xlsx to write")
    args = ap.parse_args()
    write(args.out, args.rows, args.seed, args.long_texts)


if __name__ == "__main__":
    main()
