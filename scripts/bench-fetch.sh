#!/usr/bin/env bash
# Issue 4's fetch benchmark: N feeds served locally with fixed latency, fetched by
# `ingest run` at C connections, against the ideal (N x latency / C) and against
# `curl --parallel --parallel-max C` over the same URLs in the same session; then an
# immediate second run where every feed answers 304. Wall time, CPU and peak RSS from
# /usr/bin/time -v; "run" is the run itself (started_at..finished_at of runs/<run>.json),
# the rest of the wall time is start-up and exit.
#   scripts/bench-fetch.sh [FEEDS=2000] [LATENCY_MS=100] [CONNECTIONS=64] [--keep DIR] [--compare BIN]...
#     --keep DIR     leave the work directory (pipeline, feed list, output, state) in DIR,
#                    e.g. to profile `ingest run bench --all --quiet` there by hand
#     --compare BIN  also measure another ingest binary (e.g. a baseline copy) against the
#                    same server in the same session, each in a fresh output directory
set -euo pipefail
cd "$(dirname "$0")/.."
positional=(); keep=""; compare=()
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) keep=$2; shift 2;;
    --compare) compare+=("$2"); shift 2;;
    *) positional+=("$1"); shift;;
  esac
done
FEEDS=${positional[0]:-2000}; LATENCY=${positional[1]:-100}; CONN=${positional[2]:-64}
swift build -c release --product ingest >/dev/null
swift build -c release --product bench-server >/dev/null
BIN=$(swift build -c release --show-bin-path)
if [ -n "$keep" ]; then mkdir -p "$keep"; work=$(cd "$keep" && pwd); else work=$(mktemp -d); fi
cleanup() { kill $srv 2>/dev/null || true; [ -n "$keep" ] || rm -rf "$work"; }
trap cleanup EXIT
"$BIN/bench-server" --feeds "$FEEDS" --latency-ms "$LATENCY" > "$work/server.out" &
srv=$!
for _ in $(seq 100); do grep -q PORT "$work/server.out" 2>/dev/null && break; sleep 0.1; done
port=$(awk '/PORT/{print $2}' "$work/server.out")
setup() { # dir: a pipeline over the bench feeds, no state yet
  local dir=$1
  rm -rf "$dir"; mkdir -p "$dir/pipelines" "$dir/feeds"
  { echo "feeds:"; for i in $(seq 0 $((FEEDS-1))); do echo "  - {id: b$i, url: 'http://127.0.0.1:$port/feed/$i.xml'}"; done; } > "$dir/feeds/bench.yaml"
  cat > "$dir/pipelines/bench.yaml" <<YAML
name: bench
feed_lists: [feeds/bench.yaml]
fetch: {concurrency: $CONN, per_host: $CONN, timeout: 60s, retries: 0}
buffers: {fetched: 64, parsed: 1024}
output: {directory: output/bench}
state: {path: output/bench/state.sqlite}
YAML
}
for i in $(seq 0 $((FEEDS-1))); do echo "url = \"http://127.0.0.1:$port/feed/$i.xml\""; echo "output = \"/dev/null\""; done > "$work/curl.cfg"

ideal=$(python3 -c "print($FEEDS*$LATENCY/1000/$CONN)")
measure() { # label, run-dir (or ""), command...
  local label=$1 rundir=$2; shift 2
  /usr/bin/time -v "$@" 2> "$work/time.txt" >/dev/null || { cat "$work/time.txt"; exit 1; }
  local summary=""
  if [ -n "$rundir" ]; then summary=$(ls -t "$rundir"/output/bench/runs/*.json | head -1); fi
  python3 - "$label" "$ideal" "$work/time.txt" "$summary" <<'PY'
import sys, re, json, datetime
label, ideal, path, summary = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4]
t = open(path).read()
def get(k):
    return re.search(re.escape(k) + r":\s*(.+)", t).group(1).strip()
w = get("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")
wall = sum(float(x) * 60 ** i for i, x in enumerate(reversed(w)))
cpu = float(get("User time (seconds)")) + float(get("System time (seconds)"))
rss = int(get("Maximum resident set size (kbytes)")) / 1024
run = ""
if summary:
    s = json.load(open(summary))
    p = lambda v: datetime.datetime.fromisoformat(v.replace("Z", "+00:00"))
    secs = (p(s["finished_at"]) - p(s["started_at"])).total_seconds()
    run = f"  run {secs:5.2f} s ({secs/ideal:5.3f}x)"
print(f"{label:<40} wall {wall:6.2f} s  {wall/ideal:5.3f}x ideal  cpu {cpu:5.2f} s  peak RSS {rss:6.1f} MB{run}")
PY
}
echo "feeds=$FEEDS latency=${LATENCY}ms connections=$CONN ideal=${ideal}s"
measure "curl --parallel-max $CONN" "" curl -s --parallel --parallel-max "$CONN" --parallel-immediate -K "$work/curl.cfg"
n=0
for bin in "$BIN/ingest" "${compare[@]}"; do
  dir="$work/run$n"; n=$((n+1)); setup "$dir"
  tag=""; [ ${#compare[@]} -gt 0 ] && tag=" [$bin]"
  (cd "$dir" && measure "ingest run (first, all 200)$tag" "$dir" "$bin" run bench --all --quiet)
  (cd "$dir" && measure "ingest run (second, all 304)$tag" "$dir" "$bin" run bench --all --quiet)
  (cd "$dir" && measure "ingest run (nothing due)$tag" "$dir" "$bin" run bench --quiet)
  echo "records: $(cat "$dir"/output/bench/date=*/part-*.jsonl | wc -l)"
done
