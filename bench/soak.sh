#!/usr/bin/env bash
# Soak: the release server under answer load (wrk, 2 threads, 32 connections) for a
# duration (default 600 s), with an admin reload every 60 s and a slow-client attack
# alongside (bench/slowloris.py from 127.0.0.2: 1,000 connections each sending a
# header byte every 5 s, reopened when closed). Prints RSS and threads every 30 s, then
# wrk's totals (errors and non-2xx expected 0) and the attack's counts.
# Usage: bench/soak.sh [seconds]   (RATE limit off: wrk is one client doing 2,000+ req/s)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-600}
bin=${TSUNAGU_BIN:-${CARGO_TARGET_DIR:-target}/release/tsunagu}
[ -x "$bin" ] || cargo build --release --bin tsunagu -q
port=18090
# Share the checkout's compiled dictionary instead of building one into the temporary index.
export TSUNAGU_DICT_DIR="${TSUNAGU_DICT_DIR:-$PWD/index/dictionary}"
index=$(mktemp -d)
log=$(mktemp)
TSUNAGU_ADMIN_TOKEN=soak TSUNAGU_RATE_PER_SEC=0 TSUNAGU_INDEX="$index" \
  "$bin" serve --addr 127.0.0.1:$port >/dev/null 2>"$log" &
pid=$!
cleanup() { kill "$pid" 2>/dev/null || true; [ -n "${slow:-}" ] && kill "$slow" 2>/dev/null || true; rm -rf "$index"; }
trap cleanup EXIT
for _ in $(seq 1 300); do curl -sf http://127.0.0.1:$port/readyz >/dev/null && break; sleep 0.2; done
sample() { echo "$1 s: RSS $(($(ps -o rss= -p "$pid") / 1024)) MB, threads $(ls /proc/"$pid"/task | wc -l), open fds $(ls /proc/"$pid"/fd | wc -l)"; }
sample 0
python3 bench/slowloris.py 127.0.0.1 $port "$secs" > /tmp/soak-slow.$$ 2>&1 &
slow=$!
wrk -t2 -c32 -d"${secs}s" --timeout 10s -s bench/load.lua http://127.0.0.1:$port > /tmp/soak-wrk.$$ 2>&1 &
wrkpid=$!
reloads=0; reload_fail=0
for ((t = 30; t <= secs; t += 30)); do
  sleep 30
  if (( t % 60 == 0 )); then
    code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'authorization: Bearer soak' http://127.0.0.1:$port/admin/reload)
    reloads=$((reloads + 1)); [ "$code" = 200 ] || reload_fail=$((reload_fail + 1))
  fi
  sample "$t"
done
wait "$wrkpid" || true
wait "$slow" || true
echo "--- wrk"; cat /tmp/soak-wrk.$$
echo "--- slow clients"; cat /tmp/soak-slow.$$
echo "--- reloads: $reloads, failed: $reload_fail"
echo "--- healthz after: $(curl -s -m 5 http://127.0.0.1:$port/healthz)"
sleep 15; sample "idle+15"
curl -s http://127.0.0.1:$port/metrics | grep -E 'connections_|status="(5..|429)"' || true
rm -f /tmp/soak-wrk.$$ /tmp/soak-slow.$$
