"""`planconv serve` under load and at its edges (issue 12 point 2), on loopback only: 50
concurrent uploads (good samples, a non-spreadsheet renamed .xlsx, a truncated zip) all answered,
none lost (50 distinct ids and results), peak memory bounded (VmHWM, printed); an upload's answer
is report.json's shape and equal to `validate` on the same file; downloads only by id; a
non-loopback listen without --token-file refused at start (exit 2); with a token, 401 without it
and 200 with it (header or cookie); a path-traversal file name stored under OUT/uploads only; an
unsupported type 415; an over-limit body 413; the security headers on every answer.
"""
import concurrent.futures
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from harness import Harness  # noqa: E402
from serve_helpers import Server, free_port, request, upload  # noqa: E402

h = Harness(__doc__)
AS_OF = "2016-11-30"
out = os.path.join(h.work, "out")

server = Server(h.planconv, h.work, out, "--as-of", AS_OF, "-j", "2", "--max-upload-mb", "2")
h.check(server.wait_ready(), "serve starts on loopback: " + server.stderr())

# --- the page and its headers ------------------------------------------------------------------
status, headers, body = request(server.base + "/")
h.equal(status, 200, "GET / answers")
csp = headers.get("Content-Security-Policy", "")
h.check("default-src 'self'" in csp and "script-src 'nonce-" in csp and "unsafe-inline" not in csp,
        f"the page's CSP allows only its own nonce'd script: {csp}")
nonce = csp.split("'nonce-")[1].split("'")[0] if "'nonce-" in csp else "?"
h.check(f'<script nonce="{nonce}">' in body.decode(), "the page's script carries the response's nonce")
h.equal(headers.get("X-Content-Type-Options"), "nosniff", "X-Content-Type-Options: nosniff")
h.equal(headers.get("Referrer-Policy"), "no-referrer", "Referrer-Policy: no-referrer")
h.check(b"http://" not in body and b"https://" not in body, "the page loads nothing from elsewhere")

# --- one upload equals validate on the same file -----------------------------------------------
sample = os.path.join(h.samples, "indicator-table-mistakes.xlsx")
status, headers, data, answer = upload(server.base, "indicator-table-mistakes.xlsx", open(sample, "rb").read())
h.equal(status, 200, "an upload is answered 200")
h.equal(headers.get("X-Content-Type-Options"), "nosniff", "the API answer carries nosniff")
val_dir = os.path.join(h.work, "validate")
h.run("validate", sample, "-o", val_dir, "--as-of", AS_OF, "--fail-on", "never", "-q")
want = json.load(open(os.path.join(val_dir, "report.json")))["files"][0]
got = answer["files"][0] if answer else {}
for key in ("mapping", "status", "as_of", "counts", "findings"):
    h.equal(got.get(key), want[key], f"the upload's {key} is validate's")
downloads = answer["upload"]["downloads"] if answer else {}
h.equal(sorted(downloads), ["report.html", "report.json", "workbook", "xml"], "the answer names four downloads")
for kind, url in downloads.items():
    st, hd, content = request(server.base + url)
    h.equal(st, 200, f"the {kind} download answers")
    h.check(len(content) > 0, f"the {kind} download has content")
h.equal(request(server.base + "/api/returns/" + "0" * 24 + "/workbook")[0], 404, "an unknown id is 404")
h.equal(request(server.base + "/api/returns/../../etc/passwd")[0], 404, "a path is never a download")

# --- refusals ----------------------------------------------------------------------------------
status, headers, data, _ = upload(server.base, "notes.txt", b"not a spreadsheet\n")
h.equal(status, 415, "a .txt upload is refused with 415")
h.check(b".xlsx" in data, f"the 415 says which files are taken: {data[:200]!r}")
uploads_root = os.path.realpath(os.path.join(out, "uploads"))
budget = open(os.path.join(h.samples, "budget-monitoring.xlsx"), "rb").read()
# Each hostile name, were it used as a path, would land inside the work folder (checked below),
# never elsewhere on the machine: ../../../../ from OUT/uploads/<id>/upload/ is the work folder.
absolute = os.path.join(h.work, "abs", "evil.xlsx")
for given in ("../../evil.xlsx", "../../../../evil.xlsx", absolute, "..\\..\\evil.xlsx"):
    status, _, _, answer = upload(server.base, given, budget)
    h.equal(status, 200, f"a path-traversal name {given!r} is taken as a plain name")
    if answer:
        h.equal(answer["upload"]["name"], "evil.xlsx", f"the shown name of {given!r} is its last part")
        for path in [answer["files"][0]["input"], *answer["files"][0]["outputs"].values()]:
            h.check(os.path.realpath(path).startswith(uploads_root + os.sep), f"{path} is under OUT/uploads")
h.check(not any(os.path.exists(p) for p in (os.path.join(h.work, "evil.xlsx"), os.path.join(out, "evil.xlsx"),
                                            os.path.join(out, "uploads", "evil.xlsx"), absolute)),
        "nothing is written outside the uploads' own folders")
import re  # noqa: E402
found = [os.path.realpath(os.path.join(r, n)) for r, _, files in os.walk(h.work) for n in files if n.startswith("evil")]
h.check(found and all(re.match(re.escape(uploads_root) + r"/[0-9a-f]{24}/", p) for p in found),
        f"every evil.* file is in an upload's own folder OUT/uploads/<id>/: {found}")
# Two uploads of the same name never overwrite each other.
ids = set()
for _ in range(2):
    st, _, _, a = upload(server.base, "same.xlsx", open(os.path.join(h.samples, "budget-monitoring.xlsx"), "rb").read())
    if a:
        ids.add(a["upload"]["id"])
        h.check(os.path.exists(a["files"][0]["input"]), "each upload keeps its own stored copy")
h.equal(len(ids), 2, "two uploads of the same name get two ids")
big = b"x" * (3 * 1024 * 1024)
status, _, _, _ = upload(server.base, "big.xlsx", big)
h.equal(status, 413, "an upload over --max-upload-mb is refused with 413")

# --- 50 at once --------------------------------------------------------------------------------
goods = ["portfolio-plan-quarterly.xlsx", "indicator-table.csv", "budget-monitoring.xlsx", "contracts-register.ods",
         "portfolio-plan-half-year.xls", "improvement-action-plan.xlsx"]
truncated = open(os.path.join(h.samples, "contracts-register.xlsx"), "rb").read()
loads = []
for i in range(50):
    if i % 10 == 3:
        loads.append((f"bad-{i}.xlsx", b"this is a letter, not a workbook\n" * 20))
    elif i % 10 == 7:
        loads.append((f"hostile-{i}.xlsx", truncated[: len(truncated) // 2]))
    else:
        name = goods[i % len(goods)]
        loads.append((f"{i}-{name}", open(os.path.join(h.samples, name), "rb").read()))
start = time.time()
with concurrent.futures.ThreadPoolExecutor(max_workers=50) as pool:
    answers = list(pool.map(lambda nc: upload(server.base, nc[0], nc[1], timeout=120), loads))
took = time.time() - start
h.equal([a[0] for a in answers], [200] * 50, "all 50 concurrent uploads are answered 200")
ids = {a[3]["upload"]["id"] for a in answers if a[3]}
h.equal(len(ids), 50, "50 distinct upload ids")
for (name, _), a in zip(loads, answers):
    if not a[3]:
        continue
    f = a[3]["files"][0]
    h.equal(a[3]["upload"]["name"], name, f"the answer is for {name}")
    want_status = "failed" if name.startswith(("bad-", "hostile-")) else "converted"
    h.equal(f["status"], want_status, f"{name} is {want_status}")
    if want_status == "failed":
        h.check(f["error"], f"{name} says why it failed")
hwm = 0
for line in open(f"/proc/{server.proc.pid}/status"):
    if line.startswith("VmHWM:"):
        hwm = int(line.split()[1]) // 1024
print(f"50 concurrent uploads answered in {took:.1f} s; server peak memory (VmHWM) {hwm} MB")
h.check(0 < hwm < 600, f"the server's peak memory stays bounded ({hwm} MB)")
rc = server.stop()
h.equal(rc, 143, "serve exits 143 on SIGTERM")

# --- non-loopback needs a token ----------------------------------------------------------------
def bindable(host):
    try:
        with socket.socket() as s:
            s.bind((host, 0))
        return True
    except OSError:
        return False


outside = "127.0.0.2" if bindable("127.0.0.2") else "0.0.0.0"
p = h.run("serve", "--listen", f"{outside}:{free_port()}", "-o", out, timeout=20)
h.equal(p.returncode, 2, f"a listen on {outside} without --token-file is refused with exit 2")
h.check("--token-file" in p.stderr, f"the refusal names --token-file: {p.stderr}")

token_file = os.path.join(h.work, "token")
with open(token_file, "w") as f:
    f.write("s3cret-token-for-the-test-0123456789\n")
token = "s3cret-token-for-the-test-0123456789"
server = Server(h.planconv, h.work, out, "--token-file", token_file, "--as-of", AS_OF, host=outside, port=free_port())
if outside == "0.0.0.0":  # reached through loopback only
    server.host, server.base = "127.0.0.1", f"http://127.0.0.1:{server.port}"
h.check(server.wait_ready(), "serve with --token-file starts on a non-loopback listen: " + server.stderr())
h.equal(request(server.base + "/")[0], 401, "without the token the page is 401")
h.equal(upload(server.base, "a.xlsx", b"x")[0], 401, "without the token an upload is 401")
h.equal(request(server.base + "/", headers={"Authorization": "Bearer wrong-token-wrong-token-wrong"})[0], 401,
        "a wrong token is 401")
h.equal(request(server.base + "/", headers={"Authorization": "Bearer " + token})[0], 200, "with the token the page is 200")
status, _, _, a = upload(server.base, "plan.xlsx", open(os.path.join(h.samples, "portfolio-plan-quarterly.xlsx"), "rb").read(),
                         headers={"Authorization": "Bearer " + token})
h.equal(status, 200, "with the token an upload is 200")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


opener = urllib.request.build_opener(NoRedirect)
try:
    r = opener.open(server.base + "/?token=" + token, timeout=10)
    code, cookie = r.status, r.headers.get("Set-Cookie", "")
except urllib.error.HTTPError as e:
    code, cookie = e.code, e.headers.get("Set-Cookie", "")
h.equal(code, 303, "/?token=... redirects to /")
h.check("planconv_token=" in cookie and "HttpOnly" in cookie, f"/?token=... sets an HttpOnly cookie: {cookie}")
h.equal(request(server.base + "/", headers={"Cookie": cookie.split(";")[0]})[0], 200, "the cookie lets the page in")
server.stop()

h.finish()
