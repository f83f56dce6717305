#!/usr/bin/env bash
# `make bench`: the feed-parsing benchmark (issue 3), the article-extraction benchmark
# (issue 5), then the fetch benchmark (issue 4).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bench-parse.sh "$@"
echo
if [ -d ../shared/corpus ]; then
  echo "== article extraction: pages per second on one core over ../shared/corpus pages"
  swift build -c release --product article-bench >/dev/null
  "$(swift build -c release --show-bin-path)/article-bench" --rounds 5
else
  echo "article-bench: ../shared/corpus is absent; the article-extraction benchmark is skipped"
fi
echo
echo "== memory: peak RSS as the number of feeds grows (issue 3: at most 64 MB)"
swift build -c release --product ingest >/dev/null
if [ -d ../shared/corpus ]; then
  python3 scripts/real-corpus.py ../shared/corpus bench-data/corpus-real-100 100 >/dev/null
  python3 scripts/bench-memory.py "$(swift build -c release --show-bin-path)/ingest" bench-data/corpus-real-100
else
  python3 scripts/bench-memory.py "$(swift build -c release --show-bin-path)/ingest" bench-data/corpus-120
fi
echo
scripts/bench-fetch.sh
