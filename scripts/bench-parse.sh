#!/usr/bin/env bash
# Issue 3's parse benchmark: generates (once) a deterministic mixed bilingual corpus of
# at least MB megabytes under bench-data/, measures the libxml2 floor, the Parse stage
# and parse+normalize+tag+JSON in one ingest-bench process, then Python feedparser and
# fastfeedparser over the same files, and prints every ratio against that floor.
#   scripts/bench-parse.sh [MB=120] [ROUNDS=5]
#   scripts/bench-parse.sh --real [MB=100] [ROUNDS=5]
# --real measures real feeds instead: every feed of ../shared/corpus, linked (never
# copied) as often as it takes to reach MB (scripts/real-corpus.py); it skips with a
# message when ../shared/corpus is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
REAL=0
if [ "${1:-}" = "--real" ]; then REAL=1; shift; fi
if [ $REAL = 1 ]; then MB=${1:-100}; else MB=${1:-120}; fi
ROUNDS=${2:-5}
mkdir -p bench-data
if [ $REAL = 1 ]; then
  DIR=bench-data/corpus-real-$MB
  if [ ! -d ../shared/corpus ]; then
    echo "bench-parse: ../shared/corpus is absent; the real-feed benchmark is skipped"
    exit 0
  fi
  python3 scripts/real-corpus.py ../shared/corpus "$DIR" "$MB"
  RESULTS=bench-data/parse-results-real.json
else
  DIR=bench-data/corpus-$MB
  RESULTS=bench-data/parse-results.json
fi
swift build -c release --product ingest-bench >/dev/null
BIN=$(swift build -c release --show-bin-path)
if [ $REAL = 0 ] && [ ! -f "$DIR/.complete" ]; then
  "$BIN/ingest-bench" generate "$DIR" --mb "$MB"
  touch "$DIR/.complete"
fi
echo "== ingest-bench parse $DIR --rounds $ROUNDS"
"$BIN/ingest-bench" parse "$DIR" --rounds "$ROUNDS" --json "$RESULTS"
echo
echo "== Python parsers over the same files"
python3 scripts/bench-python.py "$DIR" "$RESULTS" --venv bench-data/.venv --rounds 3 \
  || echo "WARNING: the Python comparison failed (see above); the ingest figures stand on their own"
