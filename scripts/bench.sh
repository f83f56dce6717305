#!/usr/bin/env bash
# `make bench`: the feed-parsing benchmark (issue 3), then the fetch benchmark (issue 4).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bench-parse.sh "$@"
echo
scripts/bench-fetch.sh
