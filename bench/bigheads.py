#!/usr/bin/env python3
"""Issue 23, holes 1 and 2, reproduced on loopback only (bounded in count and time).

    bench/bigheads.py BIN [CONNS] [ADDRS] [CONTENT]

Starts the server BIN (`tsunagu serve` on 127.0.0.1, rate limit off, 512 connections
at most) and measures its RSS (a) at rest, (b) with CONNS connections from ADDRS
loopback addresses (127.0.0.10, .11, …) each sending ~380 KB of a request head that
never ends, (c) 3 s after they close; then (d) fills the public cap with idle
connections from ADDRS addresses, wave after wave for 10 s, asking /healthz on the
public port (and the probe port, when the server has one) every 200 ms. Prints one line per figure for RELIABILITY.md."""
import os, re, socket, subprocess, sys, tempfile, time, urllib.request

bin_, conns, addrs = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1024, int(sys.argv[3]) if len(sys.argv) > 3 else 4
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
content = sys.argv[4] if len(sys.argv) > 4 else os.path.join(root, "content")  # an older build needs its own
env = dict(os.environ, TSUNAGU_RATE_PER_SEC="0", TSUNAGU_MAX_CONNECTIONS="512",
           TSUNAGU_MAX_CONNECTIONS_PER_CLIENT="512", TSUNAGU_PROBE_ADDR="127.0.0.1:0")
idx = tempfile.mkdtemp()
p = subprocess.Popen([bin_, "--content", content, "--index", idx, "serve", "--addr", "127.0.0.1:0"],
                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
port = probe = None
for line in p.stdout:
    if line.startswith("probes on "):
        probe = int(line.rsplit(":", 1)[1])
    if line.startswith("listening on "):
        port = int(line.rsplit(":", 1)[1]); break

def rss():
    with open(f"/proc/{p.pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1)) // 1024

def healthz(port):
    try:
        return urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).status
    except Exception as e:
        return getattr(e, "code", type(e).__name__)

def open_from(i):
    s = socket.socket(); s.bind((f"127.0.0.{10 + i % addrs}", 0)); s.settimeout(2)
    s.connect(("127.0.0.1", port)); return s

time.sleep(3)  # an allocator may give back the start-up heap lazily
print(f"rss at rest: {rss()} MB")
held, chunk = [], b"a" * 4096
head = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: "
for i in range(conns):
    try:
        s = open_from(i); s.sendall(head); held.append(s)
    except OSError:
        pass
sent = 0
for _ in range(95):  # ~380 KB each, never finished
    for s in held:
        try: s.send(chunk)
        except OSError: pass
    sent += len(chunk)
time.sleep(1)
print(f"rss with {len(held)} half-sent heads of up to {sent // 1024} KB: {rss()} MB")
for s in held: s.close()
time.sleep(3)
print(f"rss 3 s after they closed: {rss()} MB")
# (d) A flood that keeps coming: waves of 350 idle connections from ADDRS addresses every
# second for 10 s (3,500 in all against a cap of 512), /healthz asked every 200 ms.
import threading
idle, stop = [], threading.Event()
def flood():
    i = 0
    while not stop.is_set():
        for _ in range(350):
            try: idle.append(open_from(i))
            except OSError: pass
            i += 1
        stop.wait(1)
t = threading.Thread(target=flood); t.start()
time.sleep(1)
public, probes, worst = [], [], 0.0
for _ in range(50):
    t0 = time.time(); public.append(healthz(port)); worst = max(worst, time.time() - t0)
    if probe: probes.append(healthz(probe))
    time.sleep(0.2)
stop.set(); t.join()
ok = sum(1 for c in public if c == 200)
print(f"flood of {len(idle)} idle connections from {addrs} addresses over 10 s: public /healthz "
      f"200 on {ok}/{len(public)} asks (slowest {worst * 1000:.0f} ms)" +
      (f", probe port 200 on {sum(1 for c in probes if c == 200)}/{len(probes)}" if probe else ", no probe port"))
for s in idle: s.close()
p.terminate(); p.wait(timeout=15)
