#!/usr/bin/env python3
"""Issue 3's comparison: Python feedparser and fastfeedparser over the same corpus files
that `ingest-bench parse` measured, with every ratio taken against the same libxml2
floor that run measured.

    scripts/bench-python.py DIR RESULTS.json [--venv bench-data/.venv] [--rounds 3]

RESULTS.json is what `ingest-bench parse DIR --json RESULTS.json` wrote. The venv is
created (and feedparser/fastfeedparser pip-installed) when missing. Each parser runs in
its own child process so its peak RSS is its own. CPU time is time.process_time()
around the parse call only; files are read one at a time, outside the timed region,
exactly as ingest-bench does.
"""
import json
import os
import resource
import subprocess
import sys
import time

PARSERS = ["fastfeedparser", "feedparser"]


def worker(name, directory, rounds):
    module = __import__(name)
    files = sorted(f for f in os.listdir(directory)
                   if f.startswith("feed-") and (f.endswith(".xml") or f.endswith(".json")))
    per_round = []
    first_error = None
    for _ in range(rounds):
        tally = {s: {"cpu": 0.0, "bytes": 0, "items": 0, "feeds": 0, "failures": 0} for s in ("xml", "json")}
        for f in files:
            subset = "json" if f.endswith(".json") else "xml"
            with open(os.path.join(directory, f), "rb") as fh:
                body = fh.read()
            t = tally[subset]
            start = time.process_time()
            try:
                parsed = module.parse(body)
                n = len(parsed.entries) if hasattr(parsed, "entries") else len(parsed["entries"])
            except Exception as e:  # a parser that refuses a document: count it, go on
                n = 0
                t["failures"] += 1
                if first_error is None:
                    first_error = f"{f}: {type(e).__name__}: {e}"[:200]
            t["cpu"] += time.process_time() - start
            t["bytes"] += len(body)
            t["items"] += n
            t["feeds"] += 1
            del body
        per_round.append(tally)
    result = {}
    for subset in ("xml", "json"):
        rows = sorted((r[subset] for r in per_round), key=lambda r: r["cpu"])
        result[subset] = dict(rows[len(rows) // 2], best_cpu=rows[0]["cpu"])
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["version"] = getattr(module, "__version__", "?")
    result["rounds"] = rounds
    result["first_error"] = first_error
    print(json.dumps(result))


def ensure_venv(venv):
    python = os.path.join(venv, "bin", "python")
    if not os.path.exists(python):
        print(f"creating venv {venv}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    missing = [p for p in PARSERS
               if subprocess.run([python, "-c", f"import {p}"], capture_output=True).returncode != 0]
    if missing:
        print(f"pip install {' '.join(missing)} into {venv}", file=sys.stderr)
        r = subprocess.run([python, "-m", "pip", "install", "-q", *missing])
        if r.returncode != 0:
            print(f"WARNING: pip install {' '.join(missing)} FAILED (exit {r.returncode}); "
                  "the rows for those parsers are missing below", file=sys.stderr)
    return python


def main():
    args = sys.argv[1:]
    if args and args[0] == "--worker":
        worker(args[1], args[2], int(args[3]))
        return
    if len(args) < 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    directory, results_path = args[0], args[1]
    venv = args[args.index("--venv") + 1] if "--venv" in args else "bench-data/.venv"
    rounds = int(args[args.index("--rounds") + 1]) if "--rounds" in args else 3
    with open(results_path) as fh:
        ours = json.load(fh)
    rows = {(r["stage"], r["subset"]): r for r in ours["rows"]}
    floor = rows[("floor", "xml")]

    python = ensure_venv(venv)
    theirs = {}
    for name in PARSERS:
        # feedparser is ~75x the floor: one round is minutes already.
        n = 1 if name == "feedparser" else rounds
        print(f"timing {name} ({n} round(s)) ...", file=sys.stderr, flush=True)
        r = subprocess.run([python, os.path.abspath(__file__), "--worker", name, directory, str(n)],
                           capture_output=True, text=True)
        if r.returncode != 0:
            print(f"WARNING: {name} could not run: {r.stderr.strip()[-400:]}", file=sys.stderr)
            continue
        theirs[name] = json.loads(r.stdout.strip().splitlines()[-1])

    mb = floor["bytes"] / 1e6
    print()
    print(f"All ratios against the same libxml2 xmlReader floor: {floor['cpu']:.3f} s CPU over the "
          f"{floor['feeds']} XML feeds ({mb:.1f} MB) of {directory}")
    print("CPU time: median round (ingest-bench: %d rounds; fastfeedparser: %d; feedparser: 1)" % (ours["rounds"], rounds))
    print()
    print(f"{'parser (XML feeds)':<42}{'CPU s':>9}{'MB/s':>8}{'items/s':>10}{'x floor':>9}{'peak RSS':>10}")

    def line(label, cpu, nbytes, items, rss):
        items_s = f"{items / cpu:.0f}" if items else "-"
        rss_s = f"{rss:.0f} MB" if rss is not None else ""
        print(f"{label:<42}{cpu:>9.3f}{nbytes / 1e6 / cpu:>8.1f}{items_s:>10}{cpu / floor['cpu']:>9.2f}{rss_s:>10}")

    our_rss = ours["peak_rss_mb"]
    line("libxml2 xmlReader pass (floor)", floor["cpu"], floor["bytes"], 0, None)
    p = rows[("parse", "xml")]
    line("ingest Parse stage", p["cpu"], p["bytes"], p["items"], our_rss)
    w = rows[("pipeline", "xml")]
    line("ingest parse+normalize+tag+JSON", w["cpu"], w["bytes"], w["items"], our_rss)
    for name in PARSERS:
        if name in theirs:
            t = theirs[name]["xml"]
            line(f"{name} {theirs[name]['version']}", t["cpu"], t["bytes"], t["items"], theirs[name]["peak_rss_mb"])
        else:
            print(f"{name:<42}  not measured (install or run failed, see above)")
    print()
    print("JSON Feed files (no XML floor; MB/s only):")
    for label, r in (("ingest Parse stage", rows.get(("parse", "json"))),
                     ("ingest parse+normalize+tag+JSON", rows.get(("pipeline", "json")))):
        if r:
            print(f"  {label:<40}{r['cpu']:>9.3f} s {r['bytes'] / 1e6 / r['cpu']:>7.1f} MB/s  {r['items']} items")
    for name in PARSERS:
        if name in theirs:
            t = theirs[name]["json"]
            note = f"  ({t['failures']} refused)" if t["failures"] else ""
            print(f"  {name:<40}{t['cpu']:>9.3f} s {t['bytes'] / 1e6 / t['cpu']:>7.1f} MB/s  {t['items']} items{note}")
    print()
    print("Targets (issue 3):")
    checks = [("Parse <= 1.3x floor", p["cpu"] / floor["cpu"] <= 1.3),
              ("parse+normalize+tag+JSON <= 1.5x floor", w["cpu"] / floor["cpu"] <= 1.5),
              (f"peak RSS <= 64 MB ({our_rss:.1f} MB)", our_rss <= 64)]
    if "fastfeedparser" in theirs:
        f = theirs["fastfeedparser"]["xml"]["cpu"]
        checks.append((f"Parse faster than fastfeedparser ({f / floor['cpu']:.2f}x floor)", p["cpu"] < f))
        checks.append(("parse+normalize+tag+JSON faster than fastfeedparser", w["cpu"] < f))
    if "feedparser" in theirs:
        f = theirs["feedparser"]["xml"]["cpu"]
        checks.append((f"Parse > 50x faster than feedparser ({f / p['cpu']:.0f}x)", f / p["cpu"] > 50))
        checks.append((f"parse+normalize+tag+JSON > 50x faster than feedparser ({f / w['cpu']:.0f}x)", f / w["cpu"] > 50))
    for label, ok in checks:
        print(f"  [{'met' if ok else 'MISSED'}] {label}")
    for name in PARSERS:
        if name in theirs and theirs[name]["xml"]["items"] != p["items"]:
            print(f"note: {name} returned {theirs[name]['xml']['items']} items from the XML feeds, ingest {p['items']}")
    for name in PARSERS:
        if name in theirs:
            for subset in ("xml", "json"):
                t = theirs[name][subset]
                if t["failures"]:
                    print(f"note: {name} raised on {t['failures']} {subset} file(s); first: {theirs[name]['first_error']}")


if __name__ == "__main__":
    main()
