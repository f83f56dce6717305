#!/usr/bin/env bash
# Issue 3's parse benchmark: generates (once) a deterministic mixed bilingual corpus of
# at least MB megabytes under bench-data/, measures the libxml2 floor, the Parse stage
# and parse+normalize+tag+JSON in one ingest-bench process, then Python feedparser and
# fastfeedparser over the same files, and prints every ratio against that floor.
#   scripts/bench-parse.sh [MB=120] [ROUNDS=5]
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${1:-120}; ROUNDS=${2:-5}
DIR=bench-data/corpus-$MB
swift build -c release --product ingest-bench >/dev/null
BIN=$(swift build -c release --show-bin-path)
if [ ! -f "$DIR/.complete" ]; then
  "$BIN/ingest-bench" generate "$DIR" --mb "$MB"
  touch "$DIR/.complete"
fi
mkdir -p bench-data
echo "== ingest-bench parse $DIR --rounds $ROUNDS"
"$BIN/ingest-bench" parse "$DIR" --rounds "$ROUNDS" --json bench-data/parse-results.json
echo
echo "== Python parsers over the same files"
python3 scripts/bench-python.py "$DIR" bench-data/parse-results.json --venv bench-data/.venv --rounds 3 \
  || echo "WARNING: the Python comparison failed (see above); the ingest figures stand on their own"
