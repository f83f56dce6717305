#!/usr/bin/env bash
# Issue 4's fetch benchmark: N feeds served locally with fixed latency, fetched by
# `ingest run` at C connections, against the ideal (N x latency / C) and against
# `curl --parallel --parallel-max C` over the same URLs in the same session; then an
# immediate second run where every feed answers 304. Wall time, CPU and peak RSS from
# /usr/bin/time -v.
#   scripts/bench-fetch.sh [FEEDS=2000] [LATENCY_MS=100] [CONNECTIONS=64]
set -euo pipefail
cd "$(dirname "$0")/.."
FEEDS=${1:-2000}; LATENCY=${2:-100}; CONN=${3:-64}
swift build -c release --product ingest >/dev/null
swift build -c release --product bench-server >/dev/null
BIN=$(swift build -c release --show-bin-path)
work=$(mktemp -d); trap 'kill $srv 2>/dev/null || true; rm -rf "$work"' EXIT
"$BIN/bench-server" --feeds "$FEEDS" --latency-ms "$LATENCY" > "$work/server.out" &
srv=$!
for _ in $(seq 100); do grep -q PORT "$work/server.out" 2>/dev/null && break; sleep 0.1; done
port=$(awk '/PORT/{print $2}' "$work/server.out")
mkdir -p "$work/pipelines" "$work/feeds"
{ echo "feeds:"; for i in $(seq 0 $((FEEDS-1))); do echo "  - {id: b$i, url: 'http://127.0.0.1:$port/feed/$i.xml'}"; done; } > "$work/feeds/bench.yaml"
cat > "$work/pipelines/bench.yaml" <<YAML
name: bench
feed_lists: [feeds/bench.yaml]
fetch: {concurrency: $CONN, per_host: $CONN, timeout: 60s, retries: 0}
buffers: {fetched: 64, parsed: 1024}
output: {directory: output/bench}
state: {path: output/bench/state.sqlite}
YAML
for i in $(seq 0 $((FEEDS-1))); do echo "url = \"http://127.0.0.1:$port/feed/$i.xml\""; echo "output = \"/dev/null\""; done > "$work/curl.cfg"

ideal=$(python3 -c "print($FEEDS*$LATENCY/1000/$CONN)")
measure() { # label, command...
  local label=$1; shift
  /usr/bin/time -v "$@" 2> "$work/time.txt" >/dev/null || { cat "$work/time.txt"; exit 1; }
  python3 - "$label" "$ideal" "$work/time.txt" <<'PY'
import sys, re
label, ideal, path = sys.argv[1], float(sys.argv[2]), sys.argv[3]
t = open(path).read()
def get(k):
    return re.search(re.escape(k) + r":\s*(.+)", t).group(1).strip()
w = get("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")
wall = sum(float(x) * 60 ** i for i, x in enumerate(reversed(w)))
cpu = float(get("User time (seconds)")) + float(get("System time (seconds)"))
rss = int(get("Maximum resident set size (kbytes)")) / 1024
print(f"{label:<34} wall {wall:7.2f} s  {wall/ideal:5.3f}x ideal  cpu {cpu:6.2f} s  peak RSS {rss:6.1f} MB")
PY
}
echo "feeds=$FEEDS latency=${LATENCY}ms connections=$CONN ideal=${ideal}s"
measure "curl --parallel-max $CONN" curl -s --parallel --parallel-max "$CONN" --parallel-immediate -K "$work/curl.cfg"
(cd "$work" && measure "ingest run (first, all 200)" "$BIN/ingest" run bench --all --quiet)
(cd "$work" && measure "ingest run (second, all 304)" "$BIN/ingest" run bench --all --quiet)
echo "records: $(cat "$work"/output/bench/date=*/part-*.jsonl | wc -l)"
