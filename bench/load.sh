#!/usr/bin/env bash
# Load benchmark: starts the release server on loopback and drives /api/answer with wrk
# (Debian package `wrk`) using a mix of 36 real-style questions. Bounded: 2 threads,
# 32 connections, 20 seconds. Usage: bench/load.sh [duration]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd=sudo; $sudo_cmd apt-get install -y -qq wrk; }
cargo build --release --bin tsunagu -q
port=18080
# wrk is one client doing thousands of requests a second: the per-client rate limit
# (issue 14) is off for the measurement.
TSUNAGU_RATE_PER_SEC=0 ./target/release/tsunagu serve --addr 127.0.0.1:$port >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:$port/readyz >/dev/null && break; sleep 0.2; done
wrk -t2 -c32 -d"${1:-20s}" --latency -s bench/load.lua http://127.0.0.1:$port
echo "server RSS after load: $(ps -o rss= -p $pid) KiB"
