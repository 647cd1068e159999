# ctest-labels: writer
"""report.html in a real browser (headless Chromium driven by Selenium): choosing a rule in the
filter leaves exactly that rule's finding rows visible (as many as report.json has), a severity
and a file filter likewise; returns without findings are folded; clicking a column heading of
the file table sorts it. Without script the same page shows every finding and hides the filter
form (checked on the HTML itself). Nothing is fetched from the network.
"""
import json
import os
import re
import shutil
import tempfile

from harness import Harness

h = Harness(__doc__)
out = os.path.join(h.work, "out")
rc, _, err = h.call("validate", h.samples, "-o", out, "-q", "-j", "2")
h.check(rc in (0, 1), f"validate samples ({rc}): {err.strip()[:300]}")
report = json.load(open(os.path.join(out, "report.json")))
page = open(os.path.join(out, "report.html"), encoding="utf-8").read()
findings = [(i, x) for i, f in enumerate(report["files"]) for x in f["findings"]]

# Without script: every finding row is in the page, the form is hidden, clean returns folded.
h.equal(len(re.findall(r'<tr class="finding"', page)), len(findings), "every finding has its row")
h.check(re.search(r'<form id="filters"[^>]*hidden', page), "the filter form is hidden until the script shows it")
clean = [i for i, f in enumerate(report["files"]) if not f["findings"] and f["status"] == "converted"]
for i in clean:
    m = re.search(rf'<section id="file-{i + 1}"[^>]*>\s*<details( open="open")?>', page)
    h.check(m and not m.group(1), f"file {i + 1} without findings is folded")
h.check(not re.search(r"(src|href)=\"(https?:)?//", page), "nothing from the network")

chromium = shutil.which("chromium") or shutil.which("chromium-browser")
driver_path = shutil.which("chromedriver")
try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select
except ImportError:
    webdriver = None
if h.check(chromium and driver_path and webdriver, "chromium, chromedriver and python3-selenium are installed"):
    profile = tempfile.mkdtemp(dir=h.work, prefix="chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for a in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
              "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", f"--user-data-dir={profile}"):
        options.add_argument(a)
    browser = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        browser.get("file://" + os.path.abspath(os.path.join(out, "report.html")))
        h.check(browser.find_element(By.ID, "filters").is_displayed(), "the script shows the filter form")

        def visible_rows():
            return [r for r in browser.find_elements(By.CSS_SELECTOR, "tr.finding") if r.is_displayed()]

        by_rule = {}
        for _, x in findings:
            by_rule[x["rule"]] = by_rule.get(x["rule"], 0) + 1
        for rule in sorted(by_rule, key=lambda r: -by_rule[r])[:3]:
            Select(browser.find_element(By.ID, "filter-rule")).select_by_value(rule)
            rows = visible_rows()
            h.equal(sorted({r.get_attribute("data-rule") for r in rows}), [rule], f"filtering by {rule} leaves only its rows")
            h.equal(len(rows), by_rule[rule], f"filtering by {rule} shows each of its findings")
        Select(browser.find_element(By.ID, "filter-rule")).select_by_value("")
        Select(browser.find_element(By.ID, "filter-severity")).select_by_value("warning")
        rows = visible_rows()
        h.equal(len(rows), sum(1 for _, x in findings if x["severity"] == "warning"), "filtering by severity: the warnings")
        h.check(all(r.get_attribute("data-severity") == "warning" for r in rows), "only warnings")
        Select(browser.find_element(By.ID, "filter-severity")).select_by_value("")
        target = next(i for i, f in enumerate(report["files"]) if f["findings"])
        Select(browser.find_element(By.ID, "filter-file")).select_by_value(f"file-{target + 1}")
        rows = visible_rows()
        h.equal(len(rows), len(report["files"][target]["findings"]), "filtering by file: that file's findings")
        others = [s for s in browser.find_elements(By.CSS_SELECTOR, "section.file") if s.is_displayed()]
        h.equal([s.get_attribute("id") for s in others], [f"file-{target + 1}"], "and only its section")
        browser.find_element(By.CSS_SELECTOR, "#filters button[type=reset]").click()
        h.equal(len(visible_rows()), len(findings) - sum(len(report["files"][i]["findings"]) for i in clean), "Show all shows every finding again")

        # Sorting the file table by its Errors column (descending on the second click).
        heads = browser.find_elements(By.CSS_SELECTOR, "#files thead th")
        errors_col = [e.text for e in heads].index("Errors")
        heads[errors_col].click()
        heads[errors_col].click()
        values = [int(r.find_elements(By.TAG_NAME, "td")[errors_col].text) for r in browser.find_elements(By.CSS_SELECTOR, "#files tbody tr")]
        h.check(values == sorted(values, reverse=True) and values != sorted(values), f"the file table sorts by Errors ({values})")
    finally:
        browser.quit()
h.finish()
