#!/usr/bin/env python3
"""Issue 5's yardstick: `ingest --page` against the best Python article extractors
(trafilatura, readability-lxml, newspaper4k, gne), side by side, on the same pages of
the shared corpus, with the same measures, so that issue 5's targets (the best
extractor's score on each field) come from one run rather than from figures quoted
from elsewhere.

    scripts/compare-extractors.py [--corpus ../shared/corpus] [--ingest .build/release/ingest]
        [--venv bench-data/.venv-extract] [--extractors ingest,trafilatura,...]
        [--json OUT.json] [--verbose] [--decoded] [--no-article-bench]

--json writes every page's scores and outputs; --verbose prints ingest's misses page
by page (standard error). A full run takes about three minutes on two cores.

The venv is created when missing, and trafilatura 2.3.1, readability-lxml 0.9,
newspaper4k 0.9.6 (with its optional tokenizers for the corpus's languages: jieba 0.42.1,
tinysegmenter 0.4, nltk 3.10.4, pythainlp 5.4.0) and gne 0.4.3 are pip-installed into
it one package per pip call (several in one call hit a resolver bug with lxml's
extras). A package that will not install is reported and its extractor skipped. The
script then runs itself again under the venv's Python (for lxml), and runs each Python
extractor in a child process of its own, one at a time. If the ingest binary is missing
it is built (`swift build -c release --product ingest`).

What is scored, per set (the measures of Tests/ParseTests/ArticleCorpusTests.swift,
re-implemented here and applied alike to every extractor, ingest included):
  zh-articles-gne        headline exact (white space collapsed); time to the minute in
                         Asia/Shanghai, to the day where the label gives no time.
  zh-articles-cwced      date to the day (Asia/Shanghai; a year-month label reads as the
                         1st, as NewsDate reads it); body F1 over characters (white space
                         ignored); authors: every name given is in the truth's author
                         string, and names given where the truth has none.
  articles-readability   title exact, and exact once a site name glued on with a separator
                         is forgiven; publication day in UTC; authors: the names joined
                         with ", " are in Readability's byline (or it in them), and every
                         name is in it; body F1 over 4-token shingles against the text of
                         Readability's expected.html (pages under 20 tokens skipped).
  articles-newspaper4k   body F1 over 4-token shingles against txt/X.txt (pages whose
                         truth has under 20 tokens skipped).
Body tokens: each CJK character (U+3400-9FFF, kana, Hangul) is one token; other runs
of letters and digits are lower-cased words. Times printed without a zone are read in
the set's zone (Asia/Shanghai for the Chinese sets, UTC for readability), times with one
are converted. ingest is run with `--timezone` set to that same zone.

How each tool gets the page: ingest reads the file itself (`--page`, many per run,
records matched back by their `url`); trafilatura and readability-lxml take the raw
bytes and detect the charset themselves, as they do on fetched pages (trafilatura,
without cchardet, misreads some GB2312 pages of CWCED: `--decoded` hands both of them
the text below instead, to see their extraction apart from that); newspaper4k and gne
want text, decoded with the page's declared charset, else UTF-8, else GB18030 (all
strict), else the declared charset or UTF-8 with replacement characters. newspaper4k
is told `language="zh"` on pages whose text is mostly Han characters without kana
(without it, it reads an undeclared Chinese page as English and finds no body), and
reads the language from the page's markup elsewhere; where that language's tokenizer
is not installed it is run again as English. trafilatura runs with
`include_comments=False` and asks htmldate for a time of day (`outputformat` with
%H:%M:%S, extensive search, original date); readability-lxml's headline is
`short_title()`, its body `summary()` as text; it gives no date or author ("-").
ingest's headline is the record's `title` (the contract's, CJK punctuation normalized);
where its `title_raw` (the extractor's own, which the Swift test scores) scores
differently, that is printed under the table.

Speed: CPU time (time.process_time) of each Python extractor's calls alone over every
page it scored, after one untimed warm-up page per set (lazy loads such as jieba's
dictionary). For ingest: the CPU and wall time of its CLI runs (process start-up,
decoding, normalization, tagging and JSON included), and the summary line of
`article-bench --rounds 3`, the project's own figure for extraction alone (over every
HTML page of the corpus, goose3's included, so its page count differs).
"""
import argparse
import codecs
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import unicodedata
from datetime import datetime, timedelta, timezone
from urllib.parse import unquote, urlparse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SETS = ["zh-articles-gne", "zh-articles-cwced", "articles-readability", "articles-newspaper4k"]
PYTHON_EXTRACTORS = ["trafilatura", "readability-lxml", "newspaper4k", "gne"]
EXTRACTORS = ["ingest"] + PYTHON_EXTRACTORS
# (pip requirement, module to import, extractor it serves; None: an optional helper)
PACKAGES = [
    ("trafilatura==2.3.1", "trafilatura", "trafilatura"),
    ("readability-lxml==0.9", "readability", "readability-lxml"),
    ("newspaper4k==0.9.6", "newspaper", "newspaper4k"),
    # newspaper4k's tokenizers for the corpus's Chinese, Japanese, Arabic and Thai pages
    # (its optional extras; without one, such a page is read as English).
    ("jieba==0.42.1", "jieba", None),
    ("tinysegmenter==0.4", "tinysegmenter", None),
    ("nltk==3.10.4", "nltk", None),
    ("pythainlp==5.4.0", "pythainlp", None),
    ("gne==0.4.3", "gne", "gne"),
]
# Fields a tool does not extract at all: shown as "-" rather than scored 0.
UNSUPPORTED = {"readability-lxml": {"date", "authors"}}
SET_ZONE = {"zh-articles-gne": "Asia/Shanghai", "zh-articles-cwced": "Asia/Shanghai",
            "articles-readability": "UTC", "articles-newspaper4k": "UTC"}


# ---------------------------------------------------------------- venv

def ensure_venv(venv):
    """Creates the venv and installs what is missing, one package per pip call.
    Returns the venv's python and the Python extractors that cannot run."""
    python = os.path.join(venv, "bin", "python")
    if not os.path.exists(python):
        print(f"creating venv {venv}", file=sys.stderr, flush=True)
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    unavailable = set()
    for requirement, module, extractor in PACKAGES:
        if subprocess.run([python, "-c", f"import {module}"], capture_output=True).returncode == 0:
            continue
        print(f"pip install {requirement} into {venv}", file=sys.stderr, flush=True)
        r = subprocess.run([python, "-m", "pip", "install", "-q", requirement])
        if r.returncode != 0 or subprocess.run([python, "-c", f"import {module}"],
                                               capture_output=True).returncode != 0:
            what = f"the {extractor} rows will be missing" if extractor else \
                "newspaper4k will read that language's pages as English"
            print(f"WARNING: pip install {requirement} FAILED (exit {r.returncode}); {what}",
                  file=sys.stderr, flush=True)
            if extractor:
                unavailable.add(extractor)
    if subprocess.run([python, "-c", "import lxml.html"], capture_output=True).returncode != 0:
        subprocess.run([python, "-m", "pip", "install", "-q", "lxml"])
    return python, unavailable


# ---------------------------------------------------------------- text measures

def collapsed(s):
    return None if s is None else " ".join(s.split())


try:  # the `regex` module (a dependency of trafilatura's) knows the Alphabetic property
    import regex as _regex
    _ALPHABETIC = _regex.compile(r"\p{Alphabetic}").match
except ImportError:
    _ALPHABETIC = None


def is_word_char(ch):
    """Swift's `isAlphabetic || numericType != nil`: the Unicode Alphabetic property
    (letters and the vowel signs marked Other_Alphabetic, not tone marks or viramas), or
    a numeric value. Without `regex`, letters and all combining marks."""
    if unicodedata.numeric(ch, None) is not None:
        return True
    if _ALPHABETIC is not None:
        return _ALPHABETIC(ch) is not None
    return ch.isalpha() or unicodedata.category(ch) in ("Mn", "Mc", "Nl")


def body_tokens(text):
    tokens, word = [], []
    for ch in text:
        v = ord(ch)
        if 0x3400 <= v <= 0x9FFF or 0x3040 <= v <= 0x30FF or 0xAC00 <= v <= 0xD7AF:
            if word:
                tokens.append("".join(word).lower())
                word = []
            tokens.append(ch)
        elif is_word_char(ch):
            word.append(ch)
        elif word:
            tokens.append("".join(word).lower())
            word = []
    if word:
        tokens.append("".join(word).lower())
    return tokens


def bag_f1(predicted, truth):
    counts = {}
    for t in truth:
        counts[t] = counts.get(t, 0) + 1
    common = 0
    for t in predicted:
        n = counts.get(t, 0)
        if n > 0:
            counts[t] = n - 1
            common += 1
    if common == 0:
        return 0.0
    p, r = common / len(predicted), common / len(truth)
    return 2 * p * r / (p + r)


def character_f1(predicted, truth):
    return bag_f1([c for c in predicted if not c.isspace()], [c for c in truth if not c.isspace()])


def shingles(text, size=4):
    t = body_tokens(text)
    if len(t) < size:
        return [" ".join(t)] if t else []
    return [" ".join(t[i:i + size]) for i in range(len(t) - size + 1)]


def shingle_f1(predicted, truth):
    return bag_f1(shingles(predicted), shingles(truth))


SEPARATORS = ["|", "-", "–", "—", "_", "·", "::", "»", "«", ":", "/", "[", "(", "（"]


def glued_site_name(expected, headline):
    """`expected` is `headline` with a site name glued on with a separator."""
    e, h = collapsed(expected) or "", collapsed(headline) or ""
    if not h or len(e) <= len(h):
        return False
    if e.startswith(h):
        rest = e[len(h):].strip(" ")
        return any(rest.startswith(s) for s in SEPARATORS)
    if e.endswith(h):
        rest = e[:-len(h)].strip(" ")
        return any(rest.endswith(s) for s in SEPARATORS)
    return False


# The C pass's element classes (Sources/CLibXML/ingest_html_page.c): text of skipped
# elements is dropped, block elements break the text.
BLOCK_TAGS = set("""p div section article main aside header footer nav h1 h2 h3 h4 h5 h6 li ul ol
table tr td th blockquote pre form body figure figcaption dl dd dt center html address tbody thead
tfoot caption fieldset details summary menu hr hgroup legend br""".split())
SKIP_TAGS = set("""script style noscript template iframe svg object embed select textarea button
canvas video audio map head input math""".split())


def html_block_text(html):
    """Text of an HTML document or fragment, one line per block."""
    import lxml.html
    if isinstance(html, bytes):
        html = html.decode("utf-8", "replace")
    if not html.strip():
        return ""
    try:
        root = lxml.html.document_fromstring(html)
    except Exception:
        return ""
    parts = []

    def walk(el):
        tag = el.tag.lower() if isinstance(el.tag, str) else None
        if tag is None or tag in SKIP_TAGS:
            return
        block = tag in BLOCK_TAGS
        if block:
            parts.append("\n")
        if el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append("\n")

    walk(root)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


# ---------------------------------------------------------------- times

_PRINTED = re.compile(r"(\d{4})\D{1,3}(\d{1,2})\D{1,3}(\d{1,2})(?:\D{1,3}(\d{1,2})\D(\d{1,2})(?:\D(\d{1,2}))?)?"
                      r"(?:[.,]\d+)?\s*(Z|[+-]\d{2}:?\d{2}|UTC|GMT)?", re.ASCII)


def read_time(raw, zone):
    """(year, month, day, hour, minute) in `zone` and whether a time of day was given,
    or None. Zone-less times are taken as printed in `zone`."""
    if raw is None:
        return None
    if isinstance(raw, datetime):
        dt, has_time = raw, True
    else:
        s = str(raw).strip()
        if not s:
            return None
        dt = has_time = None
        m = _PRINTED.search(s)
        if m and int(m.group(1)) >= 1900:
            y, mo, d, hh, mm, _, off = m.groups()
            try:
                dt = datetime(int(y), int(mo), int(d), int(hh or 0), int(mm or 0))
            except ValueError:
                dt = None
            has_time = hh is not None
            if dt is not None and off:
                if off in ("Z", "UTC", "GMT"):
                    dt = dt.replace(tzinfo=timezone.utc)
                else:
                    sign = -1 if off[0] == "-" else 1
                    digits = off[1:].replace(":", "")
                    dt = dt.replace(tzinfo=timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))))
        if dt is None:
            numbers = [int(n) for n in re.findall(r"[0-9]+", s)]
            if len(numbers) == 2 and numbers[0] >= 1900 and 1 <= numbers[1] <= 12:
                # NewsDate reads a year and month as the first of the month.
                dt, has_time = datetime(numbers[0], numbers[1], 1), False
        if dt is None:
            try:
                from dateutil import parser as dateparser
                dt = dateparser.parse(s, default=datetime(1900, 1, 1))
                has_time = dt.hour != 0 or dt.minute != 0
                if dt.year == 1900:
                    return None
            except Exception:
                return None
    if dt.tzinfo is not None:
        dt = dt.astimezone(zone).replace(tzinfo=None)
    return (dt.year, dt.month, dt.day, dt.hour, dt.minute), has_time


# ---------------------------------------------------------------- the corpus

def load_pages(corpus):
    """Every scored page: dicts with set, id, path and the truth fields of that set."""
    pages = []
    base = os.path.join(corpus, "zh-articles-gne")
    with open(os.path.join(base, "labels.silver.jsonl"), encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                label = json.loads(line)
                site, n = label["id"].split("_", 1)
                pages.append({"set": "zh-articles-gne", "id": label["id"],
                              "path": os.path.join(base, "tests", site, n + ".html"),
                              "title": label.get("title"), "published_at": label.get("published_at")})
    base = os.path.join(corpus, "zh-articles-cwced")
    with open(os.path.join(base, "ground_truth.jsonl"), encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                record = json.loads(line)
                pages.append({"set": "zh-articles-cwced", "id": os.path.basename(record["file"]),
                              "path": os.path.join(base, record["file"]), "content": record.get("content") or "",
                              "date": record.get("date"), "author": record.get("author")})
    base = os.path.join(corpus, "articles-readability", "test-pages")
    for name in sorted(os.listdir(base)):
        folder = os.path.join(base, name)
        source = os.path.join(folder, "source.html")
        if not os.path.exists(source):
            continue
        page = {"set": "articles-readability", "id": name, "path": source}
        try:
            with open(os.path.join(folder, "expected-metadata.json"), encoding="utf-8") as fh:
                meta = json.load(fh)
            page.update(title=meta.get("title") or None, publishedTime=meta.get("publishedTime") or None,
                        byline=meta.get("byline") or None)
        except (OSError, ValueError):
            pass
        try:
            with open(os.path.join(folder, "expected.html"), "rb") as fh:
                truth = " ".join(body_tokens(html_block_text(fh.read())))
            if len(truth.split()) >= 20:
                page["content"] = truth
        except OSError:
            pass
        if any(page.get(k) for k in ("title", "publishedTime", "byline", "content")):
            pages.append(page)
    base = os.path.join(corpus, "articles-newspaper4k")
    for name in sorted(os.listdir(os.path.join(base, "txt"))):
        if not name.endswith(".txt"):
            continue
        html = os.path.join(base, "html", name[:-4] + ".html")
        if not os.path.exists(html):
            continue
        with open(os.path.join(base, "txt", name), encoding="utf-8") as fh:
            truth = fh.read()
        if len(body_tokens(truth)) >= 20:
            pages.append({"set": "articles-newspaper4k", "id": name[:-4], "path": html, "content": truth})
    return pages


# ---------------------------------------------------------------- the extractors

def decode_page(body):
    """Text for the tools that want text: declared charset, UTF-8, GB18030 (strict),
    then the declared charset or UTF-8 with replacement characters."""
    if body.startswith(codecs.BOM_UTF8):
        return body[3:].decode("utf-8", "replace")
    declared = None
    m = re.search(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", body[:16384], re.I)
    if m:
        declared = m.group(1).decode("ascii").lower()
        if declared in ("gb2312", "gbk", "x-gbk", "gb_2312-80", "cp936"):
            declared = "gb18030"
        try:
            codecs.lookup(declared)
        except LookupError:
            declared = None
    for encoding in ([declared] if declared else []) + ["utf-8", "gb18030"]:
        try:
            return body.decode(encoding)
        except UnicodeDecodeError:
            pass
    return body.decode(declared or "utf-8", "replace")


_TAGS = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]*>", re.S | re.I)


def chinese_page(text):
    """Whether a page's text is mostly Han characters without kana: newspaper4k must be
    told `language="zh"` for such a page unless it declares its language."""
    text = _TAGS.sub(" ", text)
    han = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    kana = sum(1 for ch in text if "\u3040" <= ch <= "\u30ff")
    return han >= 100 and kana < han / 20


def make_extractor(name):
    """run(page data, file URL, language hint) for the timed call; fields(its result) ->
    dict of title, date, authors, content, note (untimed); whether it wants text."""
    if name == "trafilatura":
        import trafilatura
        params = {"extensive_search": True, "original_date": True, "outputformat": "%Y-%m-%d %H:%M:%S"}

        def run(body, url, hint):
            return trafilatura.bare_extraction(body, url=url, with_metadata=True, include_comments=False,
                                               date_extraction_params=params)

        def fields(doc):
            if doc is None:
                return {}
            get = (lambda k: doc.get(k)) if isinstance(doc, dict) else (lambda k: getattr(doc, k, None))
            author = get("author") or ""
            return {"title": get("title"), "date": get("date"),
                    "authors": [a.strip() for a in author.split(";") if a.strip()], "content": get("text") or ""}
        return run, fields, False

    if name == "readability-lxml":
        from readability import Document

        def run(body, url, hint):
            doc = Document(body)
            return doc.short_title(), doc.summary()

        def fields(result):
            return {"title": result[0], "content": html_block_text(result[1])}
        return run, fields, False

    if name == "newspaper4k":
        import newspaper

        def parse(html, url, language):
            article = newspaper.Article(url, language=language, fetch_images=False, follow_meta_refresh=False)
            article.download(input_html=html)
            article.parse()
            return article

        def run(html, url, hint):
            try:
                return parse(html, url, hint), None
            except ImportError as e:  # a language whose tokenizer is not installed
                why = str(e).splitlines()[0][:60]
                return parse(html, url, "en"), f"read as English ({e.__class__.__name__}: {why})"

        def fields(result):
            article, note = result
            published = article.publish_date
            return {"title": article.title, "date": published.isoformat() if published else None,
                    "authors": list(article.authors or []), "content": article.text or "", "note": note}
        return run, fields, True

    if name == "gne":
        from gne import GeneralNewsExtractor

        def run(html, url, hint):
            return GeneralNewsExtractor().extract(html)

        def fields(result):
            author = (result.get("author") or "").strip()
            return {"title": result.get("title"), "date": result.get("publish_time") or None,
                    "authors": [author] if author else [], "content": result.get("content") or ""}
        return run, fields, True
    raise ValueError(name)


def worker(name, pages_path, out_path, decoded="0"):
    """Runs one Python extractor over the pages listed in pages_path (JSON)."""
    import logging
    import warnings
    warnings.simplefilter("ignore")
    logging.disable(logging.CRITICAL)
    with open(pages_path) as fh:
        pages = json.load(fh)
    run, fields, wants_text = make_extractor(name)
    wants_text = wants_text or decoded == "1"
    url_of = lambda p: "file://" + os.path.abspath(p["path"])  # noqa: E731

    def load(page):
        """The page as this tool takes it, and newspaper4k's language hint (untimed)."""
        with open(page["path"], "rb") as fh:
            body = fh.read()
        text = decode_page(body) if wants_text or name == "newspaper4k" else None
        hint = "zh" if name == "newspaper4k" and chinese_page(text) else None
        return (text if wants_text else body), hint

    seen = set()
    for page in pages:  # warm-up, untimed: one page per set
        if page["set"] not in seen:
            seen.add(page["set"])
            data, hint = load(page)
            try:
                run(data, url_of(page), hint)
            except Exception:
                pass
    results, cpu = {}, {}
    for page in pages:
        data, hint = load(page)
        start = time.process_time()
        try:
            raw, error = run(data, url_of(page), hint), None
        except Exception as e:
            raw, error = None, f"{e.__class__.__name__}: {str(e)[:160]}"
        elapsed = time.process_time() - start
        cpu[page["set"]] = cpu.get(page["set"], 0.0) + elapsed
        out = {}
        if error is None:
            try:
                out = fields(raw)
            except Exception as e:
                error = f"{e.__class__.__name__}: {str(e)[:160]}"
        out["error"] = error
        results[page["set"] + "/" + page["id"]] = out
    versions = {"trafilatura": "trafilatura", "readability-lxml": "readability-lxml",
                "newspaper4k": "newspaper4k", "gne": "gne"}
    try:
        from importlib.metadata import version
        ver = version(versions[name])
    except Exception:
        ver = "?"
    with open(out_path, "w") as fh:
        json.dump({"results": results, "cpu": cpu, "version": ver}, fh)


def run_python_extractor(name, pages, python, decoded):
    with tempfile.TemporaryDirectory() as tmp:
        pages_path, out_path = os.path.join(tmp, "pages.json"), os.path.join(tmp, "out.json")
        with open(pages_path, "w") as fh:
            json.dump([{"set": p["set"], "id": p["id"], "path": p["path"]} for p in pages], fh)
        print(f"running {name} over {len(pages)} pages ...", file=sys.stderr, flush=True)
        r = subprocess.run([python, os.path.abspath(__file__), "--worker", name, pages_path, out_path,
                            "1" if decoded else "0"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if r.returncode != 0 or not os.path.exists(out_path):
            print(f"WARNING: {name} could not run (exit {r.returncode}): {r.stderr.strip()[-600:]}",
                  file=sys.stderr, flush=True)
            return None
        with open(out_path) as fh:
            return json.load(fh)


def ingest_version(binary):
    r = subprocess.run([binary, "--version"], capture_output=True, text=True)
    return (r.stdout.strip() or "?").splitlines()[0]


def ingest_record(record):
    return {"title": record.get("title"), "title_raw": record.get("title_raw"), "date": record.get("published_at"),
            "authors": record.get("authors") or [], "content": record.get("content") or "", "error": None}


def run_ingest(binary, pages):
    """One timed `ingest --page A --page B ...` run per set, its records matched back by
    `url`. A record whose url is the page's canonical link rather than the file's (most
    of them on some sets) cannot be matched, and the order of records is not promised,
    so those pages are run again one per process (untimed) for their records."""
    results, cpu, wall = {}, {}, 0.0
    key = lambda p: p["set"] + "/" + p["id"]  # noqa: E731

    def run(batch, set_name):
        args = [binary, "adhoc", "--output", "-", "--timezone", SET_ZONE[set_name]]
        for p in batch:
            args += ["--page", p["path"]]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        r = subprocess.run(args, capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        records = []
        for line in r.stdout.splitlines():
            try:
                records.append(json.loads(line))
            except ValueError:
                pass
        used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return records, r, elapsed, used

    singles = 0
    for set_name in SETS:
        todo = [p for p in pages if p["set"] == set_name]
        if not todo:
            continue
        print(f"running ingest over {len(todo)} {set_name} pages ...", file=sys.stderr, flush=True)
        by_path = {os.path.realpath(p["path"]): p for p in todo}
        records, r, elapsed, used = run(todo, set_name)
        wall += elapsed
        cpu[set_name] = used
        for record in records:
            p = by_path.get(os.path.realpath(unquote(urlparse(record.get("url") or "").path)))
            if p is not None:
                results[key(p)] = ingest_record(record)
        for p in todo:
            if key(p) in results:
                continue
            singles += 1
            records, r, _, _ = run([p], set_name)
            if records:
                results[key(p)] = ingest_record(records[0])
            else:
                results[key(p)] = {"error": f"no record (exit {r.returncode}): {r.stderr.strip()[-160:]}"}
    return {"results": results, "cpu": cpu, "wall": wall, "runs": len(cpu), "singles": singles,
            "version": ingest_version(binary)}


def run_article_bench(binary, corpus):
    if not os.path.exists(binary):
        return None
    print("running article-bench --rounds 3 ...", file=sys.stderr, flush=True)
    r = subprocess.run([binary, "--rounds", "3", corpus], capture_output=True, text=True)
    lines = (r.stdout + r.stderr).strip().splitlines()
    best = [line for line in lines if line.startswith("best:")]
    return best[-1] if best else (lines[-1] if lines else f"exit {r.returncode}")


# ---------------------------------------------------------------- scoring

def names_of(out):
    return [collapsed(n) for n in (out.get("authors") or []) if collapsed(n)]


def score_page(page, out):
    """Per-page scores: booleans (hit or miss) and floats (F1); None where the page
    has no truth for the field."""
    s = {}
    zone_name = SET_ZONE[page["set"]]
    from zoneinfo import ZoneInfo
    zone = ZoneInfo(zone_name)
    got_time = read_time(out.get("date"), zone)
    if page["set"] == "zh-articles-gne":
        s["title"] = collapsed(out.get("title")) == collapsed(page["title"])
        if page.get("published_at"):
            want = read_time(page["published_at"], zone)
            width = 5 if want and want[1] else 3
            s["time"] = bool(want and got_time and want[0][:width] == got_time[0][:width])
    elif page["set"] == "zh-articles-cwced":
        s["body"] = character_f1(out.get("content") or "", page["content"])
        if page.get("date") and page["date"] != "UNKNOWN":
            want = read_time(page["date"], zone)
            s["date"] = bool(want and got_time and want[0][:3] == got_time[0][:3])
        names = names_of(out)
        if page.get("author") and page["author"] != "UNKNOWN":
            s["authors"] = bool(names) and all(n in page["author"] for n in names)
        else:
            s["false_names"] = bool(names)
    elif page["set"] == "articles-readability":
        if page.get("title"):
            exact = collapsed(out.get("title")) == collapsed(page["title"])
            s["title"] = exact
            s["title_tolerant"] = exact or (bool(out.get("title")) and glued_site_name(page["title"], out["title"]))
        if page.get("publishedTime"):
            want = read_time(page["publishedTime"], zone)
            if want:
                s["date"] = bool(got_time and want[0][:3] == got_time[0][:3])
        if page.get("byline"):
            byline = collapsed(page["byline"])
            names = names_of(out)
            joined = collapsed(", ".join(names)) or ""
            s["authors"] = bool(joined) and (joined in byline or byline in joined)
            s["each_name"] = bool(names) and all(n in byline for n in names)
        if page.get("content"):
            s["body"] = shingle_f1(out.get("content") or "", page["content"])
    else:
        s["body"] = shingle_f1(out.get("content") or "", page["content"])
    return s


# (set, [(score key, column header)])
COLUMNS = {
    "zh-articles-gne": [("title", "headline exact"), ("time", "time to the minute")],
    "zh-articles-cwced": [("date", "date to the day"), ("body", "body F1 (chars)"),
                          ("authors", "authors"), ("false_names", "names where none")],
    "articles-readability": [("title", "title exact"), ("title_tolerant", "title, site name forgiven"),
                             ("date", "day (UTC)"), ("authors", "authors in byline"),
                             ("each_name", "every name in byline"), ("body", "body F1 (shingles)")],
    "articles-newspaper4k": [("body", "body F1 (shingles)")],
}
FIELD_OF = {"title": "title", "title_tolerant": "title", "time": "date", "date": "date", "authors": "authors",
            "each_name": "authors", "false_names": "authors", "body": "content"}


def summarize(scored, key):
    values = [s[key] for s in scored if key in s]
    if not values:
        return None
    if isinstance(values[0], bool):
        return {"hits": sum(values), "n": len(values), "score": sum(values) / len(values)}
    return {"mean": sum(values) / len(values), "n": len(values)}


def cell(summary, unsupported):
    if unsupported:
        return "-"
    if summary is None:
        return "n/a"
    if "hits" in summary:
        return f"{summary['hits']}/{summary['n']} {summary['score']:.3f}"
    return f"{summary['mean']:.3f} ({summary['n']})"


def verbose_misses(page, out, s):
    key = page["set"] + "/" + page["id"]
    lines = []
    if s.get("title") is False:
        lines.append(f"title miss {key}: got {out.get('title')!r} | want {page.get('title')!r}")
    for k, want in (("time", page.get("published_at")), ("date", page.get("date") or page.get("publishedTime"))):
        if s.get(k) is False:
            lines.append(f"{k} miss {key}: got {out.get('date')!r} | want {want!r}")
    if s.get("authors") is False:
        lines.append(f"author miss {key}: got {out.get('authors')} | want {page.get('author') or page.get('byline')!r}")
    if s.get("false_names"):
        lines.append(f"names where the truth has none {key}: got {out.get('authors')}")
    if "body" in s and s["body"] < 0.85:
        lines.append(f"body F1 {s['body']:.3f} {key}")
    if out.get("error"):
        lines.append(f"error {key}: {out['error']}")
    return lines


# ---------------------------------------------------------------- main

def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(*sys.argv[2:6])
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpus"))
    ap.add_argument("--ingest", default=os.path.join(ROOT, ".build", "release", "ingest"))
    ap.add_argument("--venv", default=os.path.join(ROOT, "bench-data", ".venv-extract"))
    ap.add_argument("--extractors", default=",".join(EXTRACTORS),
                    help="comma-separated subset of " + ",".join(EXTRACTORS))
    ap.add_argument("--json", metavar="OUT", help="write every per-page score and output summary here")
    ap.add_argument("--verbose", action="store_true", help="print ingest's per-page misses")
    ap.add_argument("--no-article-bench", action="store_true", help="skip article-bench --rounds 3")
    ap.add_argument("--decoded", action="store_true",
                    help="hand trafilatura and readability-lxml text decoded by this script instead of bytes "
                         "(their extraction apart from their charset detection)")
    ap.add_argument("--in-venv", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--unavailable", default="", help=argparse.SUPPRESS)
    args = ap.parse_args()
    wanted = [e.strip() for e in args.extractors.split(",") if e.strip()]
    for e in wanted:
        if e not in EXTRACTORS:
            ap.error(f"unknown extractor {e}")
    venv = os.path.abspath(args.venv)
    corpus = os.path.abspath(args.corpus)
    binary = os.path.abspath(args.ingest)

    if not args.in_venv:
        python, unavailable = ensure_venv(venv)
        # Again under the venv's Python: the scorer needs lxml, the workers their packages.
        argv = [python, os.path.abspath(__file__), *sys.argv[1:], "--in-venv",
                "--unavailable", ",".join(sorted(unavailable))]
        os.execv(python, argv)
    unavailable = {u for u in args.unavailable.split(",") if u}
    python = sys.executable

    if not os.path.isdir(corpus):
        sys.exit(f"no corpus at {corpus} (--corpus DIR)")
    if "ingest" in wanted and not os.path.exists(binary):
        print(f"{binary} missing: building it (swift build -c release --product ingest)", file=sys.stderr, flush=True)
        env = dict(os.environ, PATH="/opt/swift/usr/bin:" + os.environ.get("PATH", ""))
        subprocess.run(["swift", "build", "-c", "release", "--product", "ingest"], cwd=ROOT, env=env, check=True)

    pages = load_pages(corpus)
    runs = {}
    if "ingest" in wanted:
        runs["ingest"] = run_ingest(binary, pages)
    for name in PYTHON_EXTRACTORS:
        if name not in wanted:
            continue
        if name in unavailable:
            print(f"WARNING: {name} skipped: its package did not install", file=sys.stderr)
            continue
        result = run_python_extractor(name, pages, python, args.decoded)
        if result is not None:
            runs[name] = result
    bench = None
    if "ingest" in wanted and not args.no_article_bench:
        bench = run_article_bench(os.path.join(os.path.dirname(binary), "article-bench"), corpus)

    report = {"corpus": corpus, "sets": {}, "speed": {}, "article_bench": bench,
              "versions": {n: r.get("version") for n, r in runs.items()}}
    names = [n for n in EXTRACTORS if n in runs]
    print()
    print(f"Corpus {corpus}; " + ", ".join(f"{n} {runs[n].get('version')}" for n in names))
    for set_name in SETS:
        set_pages = [p for p in pages if p["set"] == set_name]
        columns = COLUMNS[set_name]
        table = {}
        for name in names:
            scored, per_page, errors, notes = [], [], 0, 0
            for p in set_pages:
                out = runs[name]["results"].get(p["set"] + "/" + p["id"], {"error": "not run"})
                s = score_page(p, out)
                scored.append(s)
                errors += bool(out.get("error"))
                notes += bool(out.get("note"))
                per_page.append({"id": p["id"], "scores": s, "error": out.get("error"), "note": out.get("note"),
                                 "title": out.get("title"), "date": out.get("date"), "authors": out.get("authors")})
                if args.verbose and name == "ingest":
                    for line in verbose_misses(p, out, s):
                        print(f"  ingest {line}", file=sys.stderr)
            table[name] = {"summary": {k: summarize(scored, k) for k, _ in columns}, "pages": per_page,
                           "errors": errors, "notes": notes, "n": len(set_pages)}
        report["sets"][set_name] = table
        print()
        print(f"{set_name} ({len(set_pages)} pages)")
        widths = [max(len(h), 13) for _, h in columns]
        print(f"  {'extractor':<18}" + "".join(f"{h:>{w + 2}}" for (_, h), w in zip(columns, widths))
              + f"{'n pages':>9}{'crashed':>9}")
        for name in names:
            t = table[name]
            cells = [cell(t["summary"][k], FIELD_OF[k] in UNSUPPORTED.get(name, set())) for k, _ in columns]
            print(f"  {name:<18}" + "".join(f"{c:>{w + 2}}" for c, w in zip(cells, widths))
                  + f"{t['n']:>9}{t['errors']:>9}")
        if "ingest" in runs and columns[0][0] == "title":
            # The contract's `title` is normalized (CJK punctuation full-width, ...); the
            # Swift test scores the extractor's own title, which the record keeps as title_raw.
            outs = [runs["ingest"]["results"].get(p["set"] + "/" + p["id"], {}) for p in set_pages]
            raw = [score_page(p, dict(out, title=out.get("title_raw"))) for p, out in zip(set_pages, outs)]
            alt = summarize(raw, "title")
            table["ingest"]["summary_title_raw"] = alt
            if alt and alt["hits"] != table["ingest"]["summary"]["title"]["hits"]:
                print(f"  (ingest's title_raw, before the contract's normalization: {cell(alt, False)})")

    print()
    print("Speed (CPU of the extraction calls alone for the Python tools; pages of all four sets)")
    print(f"  {'extractor':<34}{'pages':>7}{'CPU s':>9}{'pages/s':>9}")
    for name in names:
        r = runs[name]
        n = sum(1 for p in pages if p["set"] in r["cpu"])
        cpu = sum(r["cpu"].values())
        label = "ingest CLI (whole runs, CPU)" if name == "ingest" else name
        report["speed"][name] = {"pages": n, "cpu": cpu, "per_set_cpu": r["cpu"]}
        print(f"  {label:<34}{n:>7}{cpu:>9.2f}{(n / cpu if cpu else 0):>9.1f}")
        if name == "ingest":
            report["speed"][name]["wall"] = r["wall"]
            rate = n / r["wall"] if r["wall"] else 0
            print(f"  {'ingest CLI (whole runs, wall)':<34}{n:>7}{r['wall']:>9.2f}{rate:>9.1f}"
                  f"   ({r['runs']} runs, one per set)")
    if bench:
        print(f"  article-bench --rounds 3 (extraction alone, every corpus HTML page): {bench}")
    for name in names:
        for set_name in SETS:
            t = report["sets"][set_name][name]
            bad = [pp for pp in t["pages"] if pp["error"]]
            if bad:
                print(f"note: {name} failed on {len(bad)} {set_name} page(s), scored as empty; first: "
                      f"{bad[0]['id']}: {bad[0]['error']}")
            noted = [pp for pp in t["pages"] if pp["note"]]
            if noted:
                print(f"note: {name} on {len(noted)} {set_name} page(s): {noted[0]['note']} "
                      f"({', '.join(pp['id'] for pp in noted[:6])}{'...' if len(noted) > 6 else ''})")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(report, fh, ensure_ascii=False, indent=1)
        print(f"per-page scores written to {args.json}")


if __name__ == "__main__":
    main()
