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
scripts/bench-fetch.sh
