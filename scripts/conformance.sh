#!/usr/bin/env bash
# Issue 3's local proxy of the peer conformance suite: Python feedparser's own test files
# (well-formed, ill-formed, entities, encodings, and its date-parser table), read through
# `ingest --feed FILE --output - --feed-records` and scored field by field.
# feedparser's tests stay out of this repository: its source package is downloaded once into
# bench-data/conformance/ (pip, needs network once).
#   scripts/conformance.sh [--verbose] [--json OUT]
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=6.0.14
DIR=bench-data/conformance
if [ ! -d "$DIR/feedparser-$VERSION/tests" ]; then
  mkdir -p "$DIR"
  python3 -m pip download --quiet --no-deps --no-binary :all: "feedparser==$VERSION" -d "$DIR"
  tar -xzf "$DIR/feedparser-$VERSION.tar.gz" -C "$DIR"
fi
swift build --product ingest >/dev/null
exec python3 scripts/conformance-feedparser.py --data "$DIR" --ingest .build/debug/ingest "$@"
