#!/usr/bin/env python3
"""Slow-client attack for bench/soak.sh: N connections from 127.0.0.2 that each send one
byte of a request head every few seconds, reopened when the server closes them.
Usage: slowloris.py HOST PORT SECONDS [N] [INTERVAL]. Prints how many connections were
opened, how many the server closed (header timeout) and how many were refused."""
import socket, sys, time

host, port, secs = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
n = int(sys.argv[4]) if len(sys.argv) > 4 else 1000
interval = float(sys.argv[5]) if len(sys.argv) > 5 else 5.0
head = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 10000
opened = closed = refused = 0
conns = []

def connect():
    global opened, refused
    s = socket.socket()
    try:
        s.bind(("127.0.0.2", 0))
        s.settimeout(2)
        s.connect((host, port))
        s.setblocking(False)
        opened += 1
        return [s, 0]
    except OSError:
        refused += 1
        s.close()
        return None

end = time.time() + secs
while time.time() < end:
    while len(conns) < n:
        c = connect()
        if c is None:
            break
        conns.append(c)
    alive = []
    for c in conns:
        s, i = c
        try:
            data = s.recv(4096)  # the server answered (503 busy) or closed
            closed += 1
            s.close()
            continue
        except BlockingIOError:
            pass
        except OSError:
            closed += 1
            s.close()
            continue
        try:
            s.send(head[i:i + 1])
            c[1] = (i + 1) % len(head)
            alive.append(c)
        except OSError:
            closed += 1
            s.close()
    conns = alive
    time.sleep(interval)
print(f"slow clients: {opened} connections opened, {closed} closed by the server, "
      f"{refused} connects failed, {len(conns)} open at the end")
