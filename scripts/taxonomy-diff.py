#!/usr/bin/env python3
"""Compare two topic taxonomies on every written held-out headline.

    swift build --product tag-bench
    python3 scripts/taxonomy-diff.py OLD.yaml NEW.yaml [--all]

Tags the headline of every line of Tests/TagTests/Fixtures/heldout-*.jsonl that carries its
text (the written sets; the corpus sets point at ../shared and are scored by BilingualEvalTests)
with `tag-bench --tag-lines` under each taxonomy, scores both against the labels (contract
topics only), and lists every headline whose tags moved away from its label (`--all` also lists
the ones that moved towards it). The headline is tagged as written, before normalization, so a
few figures differ slightly from BilingualEvalTests, which runs `ingest --feed`.
An old taxonomy comes from git: `git show REV:pipelines/topics.yaml > /tmp/old.yaml`.
"""
import glob
import json
import os
import re
import subprocess
import sys

CONTRACT = {"decoupling", "open-source", "ai", "semiconductors", "export-controls", "trade",
            "us-china", "electric-vehicles", "cybersecurity"}
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def tag(binary, taxonomy, titles):
    out = subprocess.run([binary, "--tag-lines", taxonomy], input="\n".join(titles) + "\n",
                         capture_output=True, text=True, check=True).stdout.splitlines()
    assert len(out) == len(titles), (len(out), len(titles))
    return [set(t for t in re.findall(r"([a-z0-9-]+)\[", line.split("\t")[0]) if t in CONTRACT) for line in out]


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 2:
        sys.exit(__doc__)
    binary = os.path.join(ROOT, ".build/debug/tag-bench")
    if not os.path.exists(binary):
        sys.exit("taxonomy-diff: build tag-bench first: swift build --product tag-bench")
    labels = []
    for path in sorted(glob.glob(os.path.join(ROOT, "Tests/TagTests/Fixtures/heldout-*.jsonl"))):
        for line in open(path, encoding="utf-8"):
            if line.strip():
                d = json.loads(line)
                if "title" in d:
                    labels.append((os.path.basename(path), d["title"].replace("\n", " "), set(d.get("topics", [])) & CONTRACT))
    titles = [t for _, t, _ in labels]
    before, after = tag(binary, args[0], titles), tag(binary, args[1], titles)
    for name, tags in (("old", before), ("new", after)):
        tp = sum(len(g & t) for (_, _, g), t in zip(labels, tags))
        fp = sum(len(t - g) for (_, _, g), t in zip(labels, tags))
        fn = sum(len(g - t) for (_, _, g), t in zip(labels, tags))
        p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
        print(f"{name}: {len(labels)} headlines, tp {tp} fp {fp} fn {fn}, micro-F1 {2 * p * r / max(1e-9, p + r):.4f}")
    counts = {"WORSE": 0, "SAME": 0, "BETTER": 0}
    for (name, title, gold), o, n in zip(labels, before, after):
        if o == n:
            continue
        delta = len(gold ^ n) - len(gold ^ o)
        kind = "WORSE" if delta > 0 else "SAME" if delta == 0 else "BETTER"
        counts[kind] += 1
        if kind != "BETTER" or "--all" in sys.argv:
            print(f"{kind:6} {name}: {title}  label {sorted(gold)} old {sorted(o)} new {sorted(n)}")
    print(f"changed tags: {counts['BETTER']} headlines closer to their labels, {counts['WORSE']} further away, "
          f"{counts['SAME']} as far")


if __name__ == "__main__":
    main()
