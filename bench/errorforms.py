#!/usr/bin/env python3
"""Issue 23, hole 3, reproduced on loopback: starts the server BIN and prints, for each
error a client can provoke, the status and the form of the answer (JSON, an HTML page,
or something else). Every machine route must answer JSON and every page route a page.

    bench/errorforms.py BIN [CONTENT]"""
import os, socket, subprocess, sys, tempfile, urllib.request

bin_ = sys.argv[1]
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
content = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, "content")
env = dict(os.environ, TSUNAGU_RATE_PER_SEC="0", TSUNAGU_ADMIN_TOKEN="t")
p = subprocess.Popen([bin_, "--content", content, "--index", tempfile.mkdtemp(), "serve", "--addr", "127.0.0.1:0"],
                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
port = next(int(l.rsplit(":", 1)[1]) for l in p.stdout if l.startswith("listening on "))

def form(ctype, body):
    if "json" in ctype and body.lstrip().startswith(b"{"): return "JSON"
    if "html" in ctype and b"<html" in body.lower(): return "page"
    return f"other ({ctype or 'no type'}, {len(body)} bytes)"

def ask(method, path, headers=None, body=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body, method=method, headers=headers or {})
    try:
        r = urllib.request.urlopen(req, timeout=10); return r.status, form(r.headers.get("content-type", ""), r.read())
    except urllib.error.HTTPError as e:
        return e.code, form(e.headers.get("content-type", ""), e.read())

def raw(data):
    s = socket.create_connection(("127.0.0.1", port)); s.sendall(data); out = b""
    while chunk := s.recv(65536): out += chunk
    head, _, body = out.partition(b"\r\n\r\n")
    ctype = next((l.split(b":", 1)[1].strip().decode() for l in head.split(b"\r\n") if l.lower().startswith(b"content-type")), "")
    return int(head[9:12]), form(ctype, body)

html = {"Accept": "text/html"}
cases = [
    ("asset path escape (machine)", lambda: ask("GET", "/assets/..%2f..%2fCargo.toml")),
    ("unknown API route (machine)", lambda: ask("GET", "/api/nope")),
    ("unknown path, browser (page)", lambda: ask("GET", "/no/such/page", html)),
    ("bad q on the resident page (page)", lambda: ask("GET", "/?q=" + "%E3%81%82" * 600, html)),
    ("POST /staff with JSON (page, 415)", lambda: ask("POST", "/staff", {"Content-Type": "application/json", **html}, b"{}")),
    ("reload, wrong token (machine)", lambda: ask("POST", "/admin/reload", {"Authorization": "Bearer x"})),
    ("LINE webhook, no signature (machine)", lambda: ask("POST", "/line/sagamihara/webhook", {"Content-Type": "application/json"}, b"{}")),
    ("head over 32 KiB (machine)", lambda: raw(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"a" * 40000 + b"\r\n\r\n")),
    ("unparseable request (machine)", lambda: raw(b"GET /\xff HTTP/1.1\r\nHost: x\r\n\r\n")),
]
for name, f in cases:
    status, shape = f()
    print(f"{name:42} {status} {shape}")
p.terminate(); p.wait(timeout=15)
