#!/usr/bin/env python3
"""Connection flood for RELIABILITY.md: opens N idle connections from 127.0.0.2 to the
server, then times /healthz from 127.0.0.1 while they are held, and prints the server's
RSS/threads/fds. Usage: flood.py PORT PID [N]"""
import resource, socket, sys, time, urllib.request

port, pid = int(sys.argv[1]), int(sys.argv[2])
n = int(sys.argv[3]) if len(sys.argv) > 3 else 20000
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, n + 1000), hard))

def stats():
    rss = [l for l in open(f"/proc/{pid}/status") if l.startswith("VmRSS")][0].split()[1]
    import os
    return f"RSS {int(rss)//1024} MB, threads {len(os.listdir(f'/proc/{pid}/task'))}, fds {len(os.listdir(f'/proc/{pid}/fd'))}"

def healthz():
    t = time.time()
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=30).read()
        return f"{(time.time()-t)*1000:.1f} ms"
    except Exception as e:
        return f"failed after {time.time()-t:.1f} s ({e})"

print("before:", stats())
held, failed = [], 0
t = time.time()
for i in range(n):
    s = socket.socket()
    try:
        s.bind(("127.0.0.2", 0)); s.settimeout(1); s.connect(("127.0.0.1", port)); held.append(s)
    except OSError:
        failed += 1; s.close()
print(f"opened {len(held)} connections ({failed} failed) in {time.time()-t:.1f} s")
print("healthz during flood:", healthz(), "|", stats())
time.sleep(12)
print("healthz 12 s later:", healthz(), "|", stats())
for s in held: s.close()
time.sleep(3)
print("after closing:", stats(), "| healthz", healthz())
