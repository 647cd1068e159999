"""Starting and talking to `planconv serve` in the e2e tests (not a test itself)."""
import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
import uuid


def free_port(host="127.0.0.1"):
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class Server:
    """A running `planconv serve`; its stderr goes to a file in the work folder."""

    def __init__(self, planconv, work, out, *extra, host="127.0.0.1", port=None):
        self.host = host
        self.port = port or free_port(host)
        self.log = open(os.path.join(work, f"serve-{self.port}.log"), "w+")
        self.proc = subprocess.Popen([planconv, "serve", "--listen", f"{host}:{self.port}", "-o", out, *extra],
                                     stdout=subprocess.DEVNULL, stderr=self.log)
        self.base = f"http://{host}:{self.port}"

    def wait_ready(self, timeout=15, headers=None):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                with socket.create_connection((self.host, self.port), timeout=0.5):
                    return True
            except OSError:
                time.sleep(0.1)
        return False

    def stop(self):
        self.proc.terminate()
        try:
            return self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return None

    def stderr(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()


def multipart(filename, content, field="file"):
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def request(url, data=None, content_type=None, headers=None, timeout=120):
    """(status, headers, body bytes) of one request; HTTP errors are answers, not exceptions."""
    req = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET")
    if content_type:
        req.add_header("Content-Type", content_type)
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def upload(base, filename, content, headers=None, timeout=120):
    body, ctype = multipart(filename, content)
    status, hdrs, data = request(base + "/api/returns", body, ctype, headers, timeout)
    try:
        answer = json.loads(data) if status == 200 else None
    except ValueError:
        answer = None
    return status, hdrs, data, answer
