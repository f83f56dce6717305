#!/usr/bin/env bash
# Scaling-out benchmark (issue 7): N workers (`ingest run` in a loop, as cron would start
# them) share one PostgreSQL database and fetch FEEDS feeds served by a local HTTP server
# that answers every request after LATENCY_MS. Prints feeds/s per worker count against the
# ideal (workers x concurrency / latency), the database's statements and execution time per
# feed, and the CPU seconds the workers and the server used (to see which saturates the machine).
#
#   eval "$(scripts/postgres-test.sh start)"
#   scripts/pg-bench.sh                    # FEEDS=2000 LATENCY_MS=100 WORKERS="1 2 4"
#
# Not a test: numbers depend on the machine. Needs psql and python3.
set -euo pipefail
cd "$(dirname "$0")/.."

FEEDS="${FEEDS:-2000}"
LATENCY_MS="${LATENCY_MS:-100}"
WORKERS="${WORKERS:-1 2 4}"
CONCURRENCY="${CONCURRENCY:-16}"
CLAIM_BATCH="${CLAIM_BATCH:-200}"
INGEST="$(realpath "${INGEST_BIN:-.build/debug/ingest}")"
BASE_URL="${INGEST_TEST_POSTGRES_URL:?start a server: eval \"\$(scripts/postgres-test.sh start)\"}"
PSQL="$(command -v psql || ls /usr/lib/postgresql/*/bin/psql | sort -V | tail -1)"
[ -x "$INGEST" ] || { echo "pg-bench: build first ($INGEST missing)" >&2; exit 1; }
# The runs happen in a scratch directory: the taxonomy (pipelines/topics.yaml) comes from
# this checkout, wherever the binary lives.
export INGEST_HOME="${INGEST_HOME:-$PWD}"

WORK="$(mktemp -d /tmp/ingest-pg-bench.XXXXXX)"
cleanup() { [ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

# A feed server with fixed latency: 3 items per feed, keep-alive, one thread per connection.
cat >"$WORK/server.py" <<'PY'
import http.server, socketserver, sys, time
latency = float(sys.argv[1]) / 1000
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        n = self.path.strip("/").split(".")[0].lstrip("f")
        items = "".join(
            f"<item><title>Feed {n} story {i}</title><link>https://example.com/{n}/{i}</link>"
            f"<guid>feed-{n}-item-{i}</guid><pubDate>Fri, 07 Nov 2025 02:25:00 GMT</pubDate></item>" for i in range(3))
        body = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {n}</title>'
                f"<link>https://example.com/{n}/</link><description>bench</description>{items}</channel></rss>").encode()
        time.sleep(latency)
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a): pass
class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    request_queue_size = 256
s = S(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
PY
python3 "$WORK/server.py" "$LATENCY_MS" >"$WORK/port" &
SERVER_PID=$!
for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
PORT="$(cat "$WORK/port")"

mkdir -p "$WORK/feeds" "$WORK/pipelines"
{
    echo "feeds:"
    for i in $(seq 0 $((FEEDS - 1))); do
        printf '  - id: f%d\n    url: http://127.0.0.1:%s/f%d.xml\n    interval: 1h\n' "$i" "$PORT" "$i"
    done
} >"$WORK/feeds/list.yaml"

# CPU seconds (user+system) of the PostgreSQL server, given the postmaster's pid: the
# postmaster, its reaped children (backends of finished `ingest run`s) and its live ones.
server_cpu() {
    python3 - "$1" <<'PY2'
import os, sys
post = int(sys.argv[1])
def stat(pid):
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()
tick = os.sysconf("SC_CLK_TCK")
s = stat(post)
total = sum(int(x) for x in s[11:15])
for pid in os.listdir("/proc"):
    if pid.isdigit():
        try:
            t = stat(int(pid))
        except OSError:
            continue
        if int(t[1]) == post:
            total += int(t[11]) + int(t[12])
print(total / tick)
PY2
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; ingest: $INGEST"
printf '%-8s %-10s %-12s %-12s %-10s %-14s %-12s %-14s %-14s\n' workers seconds feeds/s ideal/s "% ideal" statements/feed db-ms/feed worker-cpu-s server-cpu-s
for W in $WORKERS; do
    DB="bench_${W}_$$"
    "$PSQL" "$BASE_URL" -q -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
    URL="${BASE_URL%/*}/$DB"
    cat >"$WORK/pipelines/bench.yaml" <<EOF
name: bench
feed_lists:
  - feeds/list.yaml
fetch:
  concurrency: $CONCURRENCY
  per_host: $((CONCURRENCY * 8))
  timeout: 10s
  retries: 0
output:
  directory: output/bench-$W
state:
  backend: postgres
  url: $URL
EOF
    (cd "$WORK" && "$INGEST" state migrate pipelines/bench.yaml >/dev/null)
    "$PSQL" "$URL" -q -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" -c "SELECT pg_stat_statements_reset()" >/dev/null 2>&1 || true
    # The postmaster: its pid heads postmaster.pid in the data directory (local server).
    backend="$(head -1 "$("$PSQL" "$URL" -tA -c "SHOW data_directory")/postmaster.pid" 2>/dev/null || echo 0)"
    cpu0="$(server_cpu "$backend" 2>/dev/null || echo 0)"
    start=$(date +%s.%N)
    pids=()
    for w in $(seq 1 "$W"); do
        (
            cd "$WORK"
            while [ ! -f "$WORK/done-$W" ]; do
                # A failing run (bad binary, unreachable database, missing taxonomy) stops the
                # benchmark instead of looping for ever; its message is shown. 75 (lock held) is benign.
                rc=0
                "$INGEST" run pipelines/bench.yaml --worker-id "w$w" --claim-batch "$CLAIM_BATCH" --quiet 2>"$WORK/err-$W-$w" || rc=$?
                if [ "$rc" != 0 ] && [ "$rc" != 75 ]; then cp "$WORK/err-$W-$w" "$WORK/failed-$W"; break; fi
            done
            # CPU of the `ingest run` processes this loop started (second line: children).
            times >"$WORK/times-$W-$w"
        ) &
        pids+=($!)
    done
    while :; do
        if [ -f "$WORK/failed-$W" ]; then
            touch "$WORK/done-$W"; wait "${pids[@]}"
            echo "pg-bench: a worker's 'ingest run' failed:" >&2; cat "$WORK/failed-$W" >&2; exit 1
        fi
        n="$("$PSQL" "$URL" -tA -c "SELECT count(*) FROM feeds WHERE last_attempt_at IS NOT NULL")"
        [ "$n" -ge "$FEEDS" ] && break
        sleep 0.2
    done
    end=$(date +%s.%N)
    cpu1="$(server_cpu "$backend" 2>/dev/null || echo 0)"
    touch "$WORK/done-$W"
    wait "${pids[@]}"
    # `times` prints e.g. "0m12.340s 0m1.020s"; the last run of each loop may end after `end`.
    wcpu="$(cat "$WORK"/times-"$W"-* | python3 -c '
import re, sys
total = 0.0
for m, s in re.findall(r"(\d+)m([\d.]+)s", sys.stdin.read()):
    total += int(m) * 60 + float(s)
print(f"{total:.1f}")')"
    scpu="$(python3 -c "print(f'{$cpu1 - $cpu0:.1f}')")"
    stats="$("$PSQL" "$URL" -tA -F' ' -c "SELECT coalesce(sum(calls),0), coalesce(sum(total_exec_time),0) FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT ILIKE '%pg_stat_statements%' AND query NOT ILIKE '%last_attempt_at IS NOT NULL%'" 2>/dev/null || echo "0 0")"
    read -r calls ms <<<"$stats"
    python3 - "$W" "$start" "$end" "$FEEDS" "$CONCURRENCY" "$LATENCY_MS" "$calls" "$ms" "$wcpu" "$scpu" <<'PY'
import sys
w, start, end, feeds, conc, lat, calls, ms, wcpu, scpu = sys.argv[1:]
w, feeds, conc = int(w), int(feeds), int(conc)
secs = float(end) - float(start)
rate = feeds / secs
ideal = w * conc / (float(lat) / 1000)
print(f"{w:<8} {secs:<10.1f} {rate:<12.1f} {ideal:<12.0f} {100*rate/ideal:<10.0f} {float(calls)/feeds:<14.1f} {float(ms)/feeds:<12.3f} {wcpu:<14} {scpu:<14}")
PY
    "$PSQL" "$BASE_URL" -q -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
done
