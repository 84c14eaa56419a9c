#!/usr/bin/env bash
# Scale benchmark: the synthetic corpus (src/content/synth.rs) at each size given.
#   bench/scale.sh 1000 10000 100000        in-process table (examples/scale.rs), then
#   LOAD=1 bench/scale.sh 10000 100000      also: server cold start with a prebuilt index,
#                                           RSS after warm-up, and wrk on /api/answer
# One process per size, so each size's peak RSS is its own. Results go to stdout as
# Markdown rows for BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
# The example links the SQLite FTS5 baseline (measured side by side); the server does not.
cargo build --release --example scale --features baseline -q
cargo build --release --bin tsunagu -q
echo "| records | municipalities | index build | index size | engine open | answer p50 (one municipality) | answer p99 | no city: p50 / p99 | staff browse p50 | peak RSS | retrieval only p50 / p99 | FTS5 trigram p50 / p99 (same questions and scopes, retrieval only) |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
for n in "$@"; do ./target/release/examples/scale "$n"; done
[ -n "${LOAD:-}" ] || exit 0
command -v wrk >/dev/null || { echo "wrk missing: apt-get install wrk" >&2; exit 1; }
port=18081
echo
echo "| records | cold start → first answer | RSS after warm-up | wrk req/s (full) | p50 | p99 | wrk req/s (compact) | p50 | p99 | RSS after load |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for n in "$@"; do
  idx="target/scale/http-$n"
  mkdir -p "$idx"
  # First start builds the index (not timed); the second is the cold start measured.
  TSUNAGU_SYNTHETIC=$n ./target/release/tsunagu --index "$idx" index >/dev/null 2>&1
  t0=$(date +%s%N)
  # wrk is one client: the per-client rate limit is off for the measurement.
  # Start-up phases are logged at debug (not the requests: logging them would slow wrk).
  log="target/scale/http-$n.log"
  RUST_LOG="tsunagu=debug,tsunagu::http=info" NO_COLOR=1 TSUNAGU_RATE_PER_SEC=0 TSUNAGU_SYNTHETIC=$n \
    ./target/release/tsunagu --index "$idx" serve --addr 127.0.0.1:$port >"$log" 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/api/answer?q=%E4%BB%8B%E8%AD%B7&city=sagamihara" >/dev/null; do sleep 0.01; done
  cold=$(( ($(date +%s%N) - t0) / 1000000 ))
  # Making the synthetic corpus is the benchmark's own work, not a server's: shown apart.
  synth=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | awk '/synthetic corpus made/ {for (i=1;i<=NF;i++) if ($i ~ /^ms=/) {sub("ms=","",$i); print $i}}')
  for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$port/api/answer?q=%E4%BB%8B%E8%AD%B7&city=tsuruoka" >/dev/null; done
  rss_warm=$(ps -o rss= -p $pid)
  full=$(wrk -t2 -c32 -d15s --latency -s bench/load.lua http://127.0.0.1:$port)
  compact=$(FORM=compact wrk -t2 -c32 -d15s --latency -s bench/load.lua http://127.0.0.1:$port)
  rss_load=$(ps -o rss= -p $pid)
  kill $pid; wait $pid 2>/dev/null || true
  # A non-2xx count would mean the figure measured refusals, not answers: shown if any.
  row() { awk '/Requests\/sec/ {r=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} /Non-2xx/ {bad=" (" $NF " non-2xx!)"} END {printf "%s%s | %s | %s", r, bad, p50, p99}'; }
  echo "| $n | ${cold} ms (${synth:-?} ms of it making the synthetic corpus) | $((rss_warm / 1024)) MB | $(echo "$full" | row) | $(echo "$compact" | row) | $((rss_load / 1024)) MB |"
done
