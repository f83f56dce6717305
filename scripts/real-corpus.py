#!/usr/bin/env python3
"""Builds a benchmark corpus of real feeds for issue 3's parse benchmark without copying
them: DIR gets symlinks named feed-RR-NNNN.xml / .json to every RSS, Atom, RDF and JSON
Feed document of ../shared/corpus, repeated until the links point at MB megabytes.

    scripts/real-corpus.py SHARED_CORPUS DIR MB

Why: the generated corpus draws a quarter of its words from topic terms (about 195 term
hits per item), so it overstates what Normalize and Tag cost on real news (about 43 hits
per item). Real feeds also bring what the generator does not: legacy GB2312/Big5 bytes,
broken markup, long HTML bodies. Documents are chosen by sniffing their bytes, never
their names: the folders also hold expected outputs and HTML pages.
Exits 3 (and prints why) when the corpus folder is absent.
"""
import json
import os
import re
import sys

FOLDERS = ["feeds-parser-fixtures-en-multi", "zh-feeds-legacy-gb-big5",
           "zh-feeds-wechat-feeds-2021", "encoding-fixtures-feedparser"]
ROOT = re.compile(rb"<(?:[A-Za-z0-9_.-]+:)?(rss|feed|RDF|channel)[\s>/]", re.I)


def kind(path):
    with open(path, "rb") as fh:
        body = fh.read()
    head = body[:8192]
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{"):
        try:
            doc = json.loads(body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return None, 0
        if isinstance(doc, dict) and str(doc.get("version", "")).startswith("https://jsonfeed.org/"):
            return "json", len(body)
        return None, 0
    # UTF-16 feeds: look at the bytes with the zero bytes dropped.
    probe = head.replace(b"\x00", b"") if head[:2] in (b"\xff\xfe", b"\xfe\xff") else head
    if b"<html" in probe.lower()[:2048] and not ROOT.search(probe):
        return None, 0
    return ("xml", len(body)) if ROOT.search(probe) else (None, 0)


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    corpus, directory, megabytes = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if not os.path.isdir(corpus):
        print(f"real-corpus: {corpus} is absent; nothing to build", file=sys.stderr)
        sys.exit(3)
    documents = []
    for folder in FOLDERS:
        base = os.path.join(corpus, folder)
        for dirpath, _, names in os.walk(base):
            for name in sorted(names):
                path = os.path.abspath(os.path.join(dirpath, name))
                k, size = kind(path)
                if k:
                    documents.append((path, k, size))
    documents.sort()
    once = sum(size for _, _, size in documents)
    if not documents or once == 0:
        sys.exit(f"real-corpus: no feeds found under {corpus}")
    os.makedirs(directory, exist_ok=True)
    for old in os.listdir(directory):
        if old.startswith("feed-"):
            os.remove(os.path.join(directory, old))
    total, rounds = 0, 0
    while total < megabytes * 1_000_000:
        for n, (path, k, size) in enumerate(documents):
            os.symlink(path, os.path.join(directory, f"feed-{rounds:02d}-{n:04d}.{k}"))
            total += size
        rounds += 1
    xml = sum(1 for _, k, _ in documents if k == "xml")
    print(f"real-corpus: {len(documents)} documents ({xml} XML, {len(documents) - xml} JSON Feed), "
          f"{once / 1e6:.1f} MB once, linked {rounds} times = {total / 1e6:.1f} MB in {directory}")


if __name__ == "__main__":
    main()
