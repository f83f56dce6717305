#!/usr/bin/env python3
"""Issue 3's memory bound: peak resident size of one `ingest --feed-list` run as the number
of feeds grows (the target: at most 64 MB however many feeds there are).

    scripts/bench-memory.py INGEST DIR [COUNTS...] [--repeat K] [--http] [--run]

DIR holds feed files (bench-data/corpus-real-100 or bench-data/corpus-120); each run reads
the first N of them, sorted, through an OPML list of file:// URLs, writes JSON Lines to a
temporary directory and is measured alone: every count runs in a child of its own, whose
ru_maxrss is the run's peak. The header also gives `ingest --version`'s peak: what any run
pays (the Swift runtime, Foundation and ICU, libcurl, libxml2) before it reads a feed.

`--repeat K` names every file K times, through K folders of symbolic links, so a list can be
longer than the folder (counts then go up to K times its files): what a list of tens of
thousands of feeds holds, with the same records K times over (the run drops the repeats).

`--http` names the files by http:// URLs instead, served from this script's own process by
a threaded HTTP server on 127.0.0.1 (Nagle off), so the peak includes libcurl, its
connections and the bodies in flight: what a real run over the network holds.

`--run` measures a scheduled run instead: each count gets a generated pipeline file naming
the same list, with SQLite state and its output directory in the temporary folder, and the
peak is that of `ingest run FILE` (the first run of a fresh state: every feed is due, every
item new, commits, the state's run record, the feeds dimension and `runs/<run>.json`).
"""
import os
import re
import resource
import subprocess
import sys
import tempfile
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer


class QuietHandler(SimpleHTTPRequestHandler):
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass


def serve(root):
    """Serves `root` on 127.0.0.1 from a daemon thread; returns the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=root))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


def peak_kb(argv):
    """Runs argv in a fresh grandchild and returns (its ru_maxrss in kB, its stderr)."""
    code = ("import resource,subprocess,sys;"
            "p=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.PIPE);"
            "sys.stderr.buffer.write(p.stderr);"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True)
    return int(out.stdout.strip()), out.stderr


def main():
    args = sys.argv[1:]
    repeat = 1
    http = "--http" in args
    if http:
        args.remove("--http")
    scheduled = "--run" in args
    if scheduled:
        args.remove("--run")
    if "--repeat" in args:
        i = args.index("--repeat")
        repeat = int(args[i + 1])
        del args[i:i + 2]
    if len(args) < 2:
        sys.exit(__doc__)
    ingest, folder = args[0], os.path.abspath(args[1])
    names = sorted(f for f in os.listdir(folder) if f.endswith((".xml", ".json")))
    counts = [int(c) for c in args[2:]] or [10, 100, 1000, len(names) * repeat]
    base, _ = peak_kb([ingest, "--version"])
    command = "ingest run PIPELINE" if scheduled else "ingest --feed-list"
    print(f"== peak RSS of `{command}` over {folder} ({len(names)} files"
          + (f", each named {repeat} times" if repeat > 1 else "")
          + (", served over HTTP on 127.0.0.1)" if http else ")"))
    print(f"{'feeds':>7} {'records':>9} {'peak RSS MB':>12}   (ingest --version alone: {base / 1024:.1f} MB)")
    with tempfile.TemporaryDirectory() as tmp:
        files = [os.path.join(folder, f) for f in names]
        if http:
            os.symlink(folder, os.path.join(tmp, "repeat-0"))
            base_url = serve(tmp)
        for k in range(1, repeat):
            links = os.path.join(tmp, f"repeat-{k}")
            os.mkdir(links)
            for f in names:
                os.symlink(os.path.join(folder, f), os.path.join(links, f))
            files += [os.path.join(links, f) for f in names]
        counts = sorted({min(c, len(files)) for c in counts})
        for n in counts:
            opml = os.path.join(tmp, f"feeds-{n}.opml")
            with open(opml, "w") as fh:
                fh.write('<?xml version="1.0"?><opml version="2.0"><head><title>bench</title></head><body>\n')
                for i, path in enumerate(files[:n]):
                    url = f"file://{path}"
                    if http:
                        url = f"{base_url}/repeat-{i // len(names)}/{os.path.basename(path)}"
                    fh.write(f'<outline type="rss" text="{os.path.basename(path)}" xmlUrl="{url}"/>\n')
                fh.write("</body></opml>\n")
            out = os.path.join(tmp, f"out-{n}")
            if scheduled:
                pipeline = os.path.join(tmp, f"run-{n}.yaml")
                with open(pipeline, "w") as fh:
                    fh.write(f"name: bench-run-{n}\nfeed_lists: [{opml}]\noutput: {{directory: {out}}}\n"
                             f"state: {{backend: sqlite, path: {out}/state.sqlite}}\n")
                kb, err = peak_kb([ingest, "run", pipeline])
            else:
                kb, err = peak_kb([ingest, "--feed-list", opml, "--output", out])
            records = re.search(r"(\d+) records", err)
            print(f"{n:>7} {records.group(1) if records else '?':>9} {kb / 1024:>12.1f}")


if __name__ == "__main__":
    main()
