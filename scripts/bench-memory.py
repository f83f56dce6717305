#!/usr/bin/env python3
"""Issue 3's memory bound: peak resident size of one `ingest --feed-list` run as the number
of feeds grows (the target: at most 64 MB however many feeds there are).

    scripts/bench-memory.py INGEST DIR [COUNTS...]

DIR holds feed files (bench-data/corpus-real-100 or bench-data/corpus-120); each run reads
the first N of them, sorted, through an OPML list of file:// URLs, writes JSON Lines to a
temporary directory and is measured alone: every count runs in a child of its own, whose
ru_maxrss is the run's peak. The header also gives `ingest --version`'s peak: what any run
pays (the Swift runtime, Foundation and ICU, libcurl, libxml2) before it reads a feed.
"""
import os
import re
import resource
import subprocess
import sys
import tempfile


def peak_kb(argv):
    """Runs argv in a fresh grandchild and returns (its ru_maxrss in kB, its stderr)."""
    code = ("import resource,subprocess,sys;"
            "p=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.PIPE);"
            "sys.stderr.buffer.write(p.stderr);"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True)
    return int(out.stdout.strip()), out.stderr


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    ingest, folder = sys.argv[1], os.path.abspath(sys.argv[2])
    files = sorted(f for f in os.listdir(folder) if f.endswith((".xml", ".json")))
    counts = [int(c) for c in sys.argv[3:]] or [10, 100, 1000, len(files)]
    counts = sorted({min(c, len(files)) for c in counts})
    base, _ = peak_kb([ingest, "--version"])
    print(f"== peak RSS of `ingest --feed-list` over {folder} ({len(files)} files)")
    print(f"{'feeds':>7} {'records':>9} {'peak RSS MB':>12}   (ingest --version alone: {base / 1024:.1f} MB)")
    with tempfile.TemporaryDirectory() as tmp:
        for n in counts:
            opml = os.path.join(tmp, f"feeds-{n}.opml")
            with open(opml, "w") as fh:
                fh.write('<?xml version="1.0"?><opml version="2.0"><head><title>bench</title></head><body>\n')
                for name in files[:n]:
                    fh.write(f'<outline type="rss" text="{name}" xmlUrl="file://{os.path.join(folder, name)}"/>\n')
                fh.write("</body></opml>\n")
            out = os.path.join(tmp, f"out-{n}")
            kb, err = peak_kb([ingest, "--feed-list", opml, "--output", out])
            records = re.search(r"(\d+) records", err)
            print(f"{n:>7} {records.group(1) if records else '?':>9} {kb / 1024:>12.1f}")


if __name__ == "__main__":
    main()
