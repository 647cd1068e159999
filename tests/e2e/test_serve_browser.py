"""`planconv serve`'s page in a real browser (issue 12 point 2): Debian's chromium, driven by
python3-selenium through chromium-driver, opens the page, uploads two samples through the file
input, waits for their findings, checks the rule ids and cells shown against `planconv validate`'s
report.json for the same files, downloads the cleaned workbook through the page's link and opens
it with openpyxl; with --inbox, the drop folder's returns appear in the page's list by themselves.
"""
import json
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from harness import Harness  # noqa: E402
from serve_helpers import Server, request  # noqa: E402

h = Harness(__doc__)
AS_OF = "2016-11-30"

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

samples = [os.path.abspath(os.path.join(h.samples, n)) for n in ("indicator-table-mistakes.xlsx", "budget-monitoring-mistakes.xlsx")]
want = {}
for s in samples:
    d = os.path.join(h.work, "validate-" + os.path.basename(s))
    h.run("validate", s, "-o", d, "--as-of", AS_OF, "--fail-on", "never", "-q")
    f = json.load(open(os.path.join(d, "report.json")))["files"][0]
    want[os.path.basename(s)] = sorted((x["rule"], x["sheet"], x["cell"]) for x in f["findings"])
h.check(all(want.values()), "the samples have findings to show")

inbox = os.path.join(h.work, "inbox")
os.makedirs(inbox)
out = os.path.join(h.work, "out")
server = Server(h.planconv, h.work, out, "--as-of", AS_OF, "--inbox", inbox, "-j", "2")
h.check(server.wait_ready(), "serve starts: " + server.stderr())

profile = tempfile.mkdtemp(prefix="chromium-", dir=h.work)
options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            f"--user-data-dir={profile}", "--window-size=1280,2000"):
    options.add_argument(arg)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
try:
    driver.get(server.base + "/")
    h.equal(driver.title, "planconv: check a return", "the page opens")
    file_input = driver.find_element(By.CSS_SELECTOR, "input[type=file][multiple]")
    file_input.send_keys("\n".join(samples))
    WebDriverWait(driver, 60).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, "section.result[data-status='converted']")) == 2)
    for box in driver.find_elements(By.CSS_SELECTOR, "section.result"):
        name = box.find_element(By.TAG_NAME, "h2").text
        rows = box.find_elements(By.CSS_SELECTOR, "tr.finding")
        shown = sorted((r.get_attribute("data-rule"), r.get_attribute("data-sheet"), r.get_attribute("data-cell")) for r in rows)
        h.equal(shown, want.get(name), f"the page shows validate's findings (rule, sheet, cell) for {name}")
        visible = sorted((r.find_element(By.CSS_SELECTOR, "td.rule").text, r.find_element(By.CSS_SELECTOR, "td.cell").text)
                         for r in rows)
        h.equal(visible, sorted((w[0], w[2]) for w in want.get(name, [])), f"the rule ids and cells are shown as text for {name}")
        kinds = sorted(a.get_attribute("data-kind") for a in box.find_elements(By.CSS_SELECTOR, "a.button"))
        h.equal(kinds, ["report.html", "report.json", "workbook", "xml"], f"{name} has the four download buttons")
    link = driver.find_element(By.CSS_SELECTOR, "section.result a[data-kind='workbook']").get_attribute("href")
    status, headers, content = request(link)
    h.equal(status, 200, "the cleaned workbook downloads")
    path = os.path.join(h.work, "downloaded.xlsx")
    with open(path, "wb") as f:
        f.write(content)
    import openpyxl
    wb = openpyxl.load_workbook(path)
    h.check(len(wb.sheetnames) >= 1 and any(ws.max_row > 1 for ws in wb.worksheets),
            f"the downloaded workbook opens with openpyxl and has rows ({wb.sheetnames})")

    # A return dropped into the inbox appears in the page's list without a reload.
    shutil.copy(samples[1], os.path.join(inbox, "dropped.xlsx"))
    WebDriverWait(driver, 30).until(
        lambda d: any("dropped.xlsx" in r.text for r in d.find_elements(By.CSS_SELECTOR, "tr.inbox-return")))
    row = [r for r in driver.find_elements(By.CSS_SELECTOR, "tr.inbox-return") if "dropped.xlsx" in r.text][0]
    h.equal(row.get_attribute("data-status"), "converted", "the dropped return is listed as converted")
    h.check(not [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"],
            f"no browser errors (CSP or script): {driver.get_log('browser')}")
    driver.save_screenshot(os.path.join(h.work, "page.png"))
finally:
    driver.quit()
    server.stop()
    shutil.rmtree(profile, ignore_errors=True)

h.finish()
