#!/usr/bin/env python3
"""Writes bench/RESULTS.md and the growth plot from the harness's measurements.

  report.py RESULTS_JSONL MACHINE_TXT RESULTS_MD GROWTH_PNG [SCANS_MD]

Every number in the sections "measured by this run" comes from
RESULTS_JSONL and the files it names; figures measured earlier stand only in
the dated history section at the end, labelled as such. BENCH_NOTE (an
environment variable) is printed as a caveat of the run.
"""
import datetime
import json
import os
import re
import sys

# The targets of issue 14.
TARGETS = {
    "cpu_ms": 1.0,         # CPU per letter incl. journal, 1 worker
    "rate": 800.0,         # letters/s wall, durable, 2 workers on 2 cores
    "scaling": 1.8,        # 2 workers against 1
    "growth": 1.1,         # per-letter time and peak RSS, largest vs smallest
    "weasyprint": 100.0,   # against WeasyPrint warm
    "fop_warm": 20.0,      # against FOP warm
    "idle_p95_s": 1.0,     # watcher, drop to letter when idle
    "scan_idle_p95_s": 3.0,  # watcher, drop to outcome of a 3-page scan, idle
    "burst_xml_p95_s": 2.0,  # watcher, XML while a burst of scans drains
}

HISTORY = """## History (measured earlier, not by this run)

Kept for the record of what changed; none of these figures was measured by
the run above, and the machines and inputs differed.

- 2026-11 (before the font cut): 1,000 generated applications, `bescheid
  process`, one worker: 13.9 ms CPU per letter with the full DejaVu Sans
  embedded (125 KB letters); 3.4 ms after cutting the fonts to the letters'
  repertoire (25 KB). callgrind on 40 letters then showed 92 % of the
  instructions in libharu's `HPDF_SaveToStream` (re-reading, subsetting and
  deflating the font program per letter).
- 2026-11 (templates): a callgrind profile of 40 letters showed the
  templates parsed per letter (12 % of the instructions); compiling each
  template once took the run from 743.5 M to 679.6 M instructions.
- 2026-11-24 (`bench/RESULTS.md` of commit 6aa9c01, sizes split by xargs):
  3.6 ms CPU per letter at 10,000 letters, 231 letters/s with one worker,
  392 with two.
- 2026-11-26 (instruction counts, callgrind, not by a `bench/run.sh` run):
  `letter_bench 200` against `letter_bench 0`: 12.68 M instructions per
  letter on commit c31639d, 8.67 M after partials were inlined at load,
  page contents compressed at zlib's fastest level, glyph sets rounded up
  to blocks of 16 code points, code points collected as bits and a faster
  printable check for Latin text; `bescheid process` on 200 generated
  applications: 4,268 M instructions on c31639d, 2,333 M after (-45 %).
- 2026-11-26 09:14 (`bench/run.sh`, default mode, commit 270ad55, the two
  cores shared with a CI run): 10,000 letters at 169 letters/s with one
  worker and 254/s with two, 2.67 ms CPU per letter; XML p95 2.33 s while
  a burst of 200 scans drained; an idle scanned application p95 2.27 s;
  scans 0.43 s CPU per page OCR only and 0.31 s with the barcode.
- 2026-11-26 11:48 (`bench/run.sh --full`, commit 92b6135, nothing else
  running): 1 worker 521 / 610 / 561 letters/s at 1,000 / 10,000 /
  100,000 letters (1.93 / 1.75 / 1.87 ms CPU per letter), 2 workers 719 /
  855 / 725 letters/s; peak RSS 74.0 to 81.8 MiB from 1,000 to 100,000
  (the list of paths held in memory); 87× WeasyPrint warm and 18× FOP's
  marginal letter with bescheid's start-up in its figure; XML p95 0.129 s
  during a burst of 200 scans; scans 0.258 s CPU per page OCR only and
  0.126 s with the barcode.
- 2026-11-26 12:28 (`bench/run.sh --full`, commit b1e5415, nothing else
  running): 1 worker 2.05 ms CPU per letter at 100,000 letters (1.72 ms
  at 10,000), 2 workers 843 / 663 letters/s at 10,000 / 100,000 (1.34× /
  1.29× one worker); CPU per letter 1.15× and peak RSS 0.99× from 1,000
  to 100,000; 117× WeasyPrint warm, 21× FOP one JVM, 24× FOP's marginal
  letter; XML p95 0.069 s during a burst of 200 scans; scans (quick): OCR
  only 0.262 s CPU per page, mild 300 dpi 15 of 16 straight through,
  6.5× `ocrmypdf -j 1`; 0.126 s with the barcode.
- 2026-11-26 15:01 (`bench/run.sh --full`, commit 4fb6025, nothing else
  running): 1 worker 565 / 596 / 540 letters/s at 1,000 / 10,000 /
  100,000 letters (1.850 / 1.798 / 1.935 ms CPU per letter), 2 workers
  685 / 745 / 746 letters/s (1.38× one worker at 100,000); CPU per letter
  1.05× and peak RSS 1.00× from 1,000 to 100,000; `letter_bench` 0.663 ms
  per render; 117× WeasyPrint warm (49.0 s for its 200 letters), 20× FOP
  one JVM, 22× FOP's marginal letter; XML p95 0.089 s during a burst of
  200 scans; scans (quick): OCR only 0.246 s CPU per page, mild 300 dpi
  16 of 16 straight through, 3.3× `tesseract`, 7.1× `ocrmypdf -j 1`;
  0.103 s with the barcode. Read outside that run with `scan-bench` on
  the same reader code: the `--full` corpus's clean and mild variants
  (seeds 1 and 2, 20 applications each) 80 of 80 straight through; the
  mild variant on four other corpora (seeds 3, 5, 9, 13; 28 applications
  each, `vary.py --seed 11 --count 6`) 107 of 112, the five to review on
  doubts, none wrong; on commit 7a3eba2, 288 documents of every other
  variant (seed 21): no wrong decision.
- 2026-11-26 17:20 (`bench/run.sh --full`, letters on commit 3a914a3 with
  this session's first changes: reading connection, wake-one slots, no
  per-file writeback, literal text strings; nothing else running, but
  WeasyPrint took 56.1 s for its 200 letters against 49.0 s at 15:01 on
  unchanged code): 1 worker 538 / 555 / 602 letters/s (2.060 / 2.052 /
  1.877 ms CPU per letter), 2 workers 787 / 805 / 741 letters/s (1.23×
  one worker at 100,000); `letter_bench` 0.603 ms per render; 131×
  WeasyPrint warm, 18× FOP one JVM, 22× FOP's marginal letter; scans
  (quick): OCR only 0.230 s CPU per page, 0.098 s with the barcode.
- 2026-11-26 17:34 (`bench/run.sh --full`, commit 8feadb9, nothing else
  running; WeasyPrint 44.3 s for its 200 letters): 1 worker 521 / 623 /
  650 letters/s at 1,000 / 10,000 / 100,000 letters (2.150 / 1.818 /
  1.733 ms CPU per letter; at 100,000 1.20 ms user and 0.54 ms system),
  2 workers 862 / 990 / 880 letters/s (1.35× one worker at 100,000,
  1.59× at 10,000); CPU per letter 0.81× and peak RSS 1.00× from 1,000
  to 100,000; `letter_bench` 0.621 ms and 6.01 M instructions per
  render; `bescheid process` 11.92 M instructions per letter; 114×
  WeasyPrint warm, 23× FOP one JVM, 25× FOP's marginal letter; XML p95
  0.007 s idle and 0.118 s during a burst of 200 scans; an idle scanned
  application p95 1.438 s; scans (quick): OCR only 0.242 s CPU per page
  (3.3× `tesseract`, 6.8× `ocrmypdf -j 1`), 0.099 s with the barcode,
  2 workers 2.01× / 1.92× one.
- 2026-11-26 20:24 (`bench/run.sh --full`, commit b8aa235, nothing else
  running; WeasyPrint 42.5 s for its 200 letters): 1 worker 571 / 687 /
  660 letters/s at 1,000 / 10,000 / 100,000 letters (1.950 / 1.649 /
  1.729 ms CPU per letter; at 100,000 1.175 ms user and 0.553 ms
  system), 2 workers 962 / 1,013 / 963 letters/s (1.46× one worker at
  100,000, 1.47× at 10,000); CPU per letter 0.89× and peak RSS 1.00×
  from 1,000 to 100,000; `letter_bench` 0.585 ms and 5.41 M instructions
  per render; `bescheid process` 11.31 M instructions per letter; 125×
  WeasyPrint warm, 23× FOP one JVM, 26× FOP's marginal letter; XML p95
  0.006 s idle and 0.070 s during a burst of 200 scans (drained in
  69.7 s); an idle scanned application p95 0.824 s; scans (quick): OCR
  only 0.220 s CPU per page (3.5× `tesseract`, 7.5× `ocrmypdf -j 1`),
  0.080 s with the barcode, 2 workers 1.99× / 1.94× one.
- 2026-11-27 00:06 (`bench/run.sh --full`, commit 18ff034 = code of
  bd8f59f, nothing else running, on a markedly slower machine:
  WeasyPrint 63.2 s for its 200 letters): 1 worker 505 / 585 / 548
  letters/s at 1,000 / 10,000 / 100,000 letters (2.070 / 1.943 / 2.030 ms
  CPU per letter; at 100,000 1.334 ms user and 0.695 ms system), 2
  workers 685 / 855 / 815 letters/s (1.49× one worker at 100,000, 1.46×
  at 10,000); CPU per letter 0.98× and peak RSS 1.00× (83 MiB) from 1,000
  to 100,000; `letter_bench` 0.604 ms and 4.39 M instructions per
  render; `bescheid process` 11.10 M instructions per letter; 120×
  WeasyPrint warm, 20× FOP one JVM, 31× FOP's marginal letter; XML p95
  0.013 s idle and 0.070 s during a burst of 200 scans (drained in
  102.1 s); an idle scanned application p95 1.72 s; scans (quick): OCR
  only 0.360 s CPU per page (3.0× `tesseract`, 7.4× `ocrmypdf -j 1`),
  0.130 s with the barcode, 2 workers 2.03× / 2.05× one.
- 2026-11-27 03:09 (`bench/run.sh --full`, commit 7f0d1d2, nothing else
  running; WeasyPrint 38.8 s for its 200 letters; before the detached
  commits): 1 worker 617 / 773 / 696 letters/s at 1,000 / 10,000 /
  100,000 letters (1.730 / 1.470 / 1.635 ms CPU per letter; at 100,000
  0.972 ms user and 0.663 ms system), 2 workers 826 / 1,083 / 965
  letters/s (1.39× one worker at 100,000, 1.40× at 10,000); CPU per
  letter 0.94× and peak RSS 1.03× from 1,000 to 100,000; `letter_bench`
  0.181 ms and 2.68 M instructions per render; `bescheid process` 7.26 M
  instructions per letter; 134× WeasyPrint warm, 25× FOP one JVM, 41×
  FOP's marginal letter; XML p95 0.018 s idle and 0.069 s during a burst
  of 200 scans (drained in 87.8 s); an idle scanned application p95
  1.08 s; scans (quick): OCR only 0.219 s CPU per page (4.7× `tesseract`,
  11.1× `ocrmypdf -j 1`), 0.072 s with the barcode, 2 workers 1.90× /
  1.93× one.
"""


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def cpu_s(r):
    return r.get("cpu_s", r.get("user_s", 0) + r.get("sys_s", 0))


def cpu_ms(r):
    return cpu_s(r) * 1000 / max(r["letters"], 1)


def rate(r):
    return r["letters"] / r["wall_s"] if r["wall_s"] > 0 else 0.0


def cores_rows(kinds):
    """Per `when`: ms per render on each core alone, the walls of two copies
    side by side, and their ceiling: the sum of the two copies' rates over
    the faster core's rate alone."""
    rows = []
    pairs = {r["when"]: r for r in kinds.get("cores-side-by-side", [])}
    for when in ("before", "after"):
        alone = [r for r in kinds.get("core", []) if r.get("when") == when]
        if not alone or when not in pairs:
            continue
        renders = pairs[when]["renders"]
        per_core = {r["cpu"]: r["wall_s"] * 1000 / r["renders"] for r in alone}
        fastest = min(r["wall_s"] * renders / r["renders"] for r in alone)
        pair = pairs[when]["wall_s"]
        rows.append((when, per_core, pair, sum(fastest / x for x in pair if x > 0)))
    return rows


def callgrind_summary(path):
    """Total instructions and the inclusive top functions of an annotate file."""
    total, top = 0, []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = re.match(r"\s*([\d,]+) \(\s*([\d.]+)%\)\s+(.*)", line)
            if not m:
                continue
            n, share, what = int(m.group(1).replace(",", "")), float(m.group(2)), m.group(3)
            if "PROGRAM TOTALS" in what:
                total = n
            else:
                top.append((n, share, what.split(" [")[0]))
    return total, top


def function_name(what):
    """The function of a callgrind_annotate entry, without its source file
    and arguments: "/x/letter.cc:ns::F(int) const" -> "ns::F"."""
    if ":" in what.split("(")[0]:
        head, _, rest = what.partition(":")
        if "/" in head or "." in head or head == "???":
            what = rest
    what = what.replace("(anonymous namespace)", "{anonymous}")
    depth, out = 0, []
    for ch in what:  # drop the argument list, keep template arguments
        if ch == "(" and depth == 0 and out and out[-1] not in " <":
            break
        depth += ch == "<"
        depth -= ch == ">"
        out.append(ch)
    return "".join(out).replace("[abi:cxx11]", "").strip()


def strace_counts(path):
    counts = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 5 and parts[-1].isidentifier() and parts[3].isdigit():
                counts[parts[-1]] = int(parts[3])
    return counts


def outcome_text(r):
    """"decided BEWILLIGUNG": 6, "review": 4 -> "6 letters (6 BEWILLIGUNG), 4 review"."""
    o = r.get("outcomes", {})
    decided = {k.split(" ", 1)[1]: v for k, v in o.items() if k.startswith("decided ")}
    parts = []
    if decided:
        parts.append("%d letters (%s)" % (sum(decided.values()), ", ".join(
            "%d %s" % (v, k) for k, v in sorted(decided.items()))))
    for k in ("review", "rejected", "duplicate", "decided"):
        if o.get(k):
            parts.append("%d %s" % (o[k], k))
    return "; ".join(parts) or "-"


def scan_latency_section(rows):
    """Section 5's part on scans (bench/watch_scans.py), as Markdown lines."""
    sl = {r["mode"]: r for r in rows}
    out = []
    w = out.append
    burst = sl.get("burst-scan")
    w("### Scans and XML in one watcher (`bench/watch_scans.py`)")
    w("")
    w("One `bescheid watch` with its defaults (one worker per core, stability"
      " window 5 s, one OCR engine per worker loaded at start). Scans: distinct"
      " generated applications (`bench/generate.py`, each from its own"
      " municipality, so none waits for another's review or grant) with three"
      " form pages, rendered OCR-only (`scan-corpus --no-barcode`, variant"
      " `clean-300-png`) and joined into one multi-page TIFF (LZW, 300 dpi)"
      " each: one file, one application. Latency: from the rename into"
      " `inbox/` to the log line of the file's outcome - for a scan (renamed"
      " in, so taken without the stability window) decoding, OCR of three"
      " pages, the checks, then either"
      " the letter and record written durably, the journal committed and the"
      " input archived, or the review folder written (`review`); for XML"
      " reading, validating, deciding, the letter, the commit and archiving.")
    w("")
    w("| measurement | files | finished | outcomes | p50 | p95 | max |")
    w("|---|---:|---:|---|---:|---:|---:|")
    labels = (
        ("idle-scan", "scans, idle: one at a time, each 0.5 s after the previous outcome"),
        ("idle-xml", "XML, idle: one every 0.5 s"),
        ("burst-scan", "scans, burst: %d at once" % (burst["files"] if burst else 0)),
        ("burst-xml", "XML during the burst: one every 0.5 s while the scans drain"),
    )
    for mode, label in labels:
        r = sl.get(mode)
        if r:
            w("| %s | %d | %d | %s | %.3f s | %.3f s | %.3f s |" % (
                label, r["files"], r["finished"], outcome_text(r), r["p50_s"],
                r["p95_s"], r["max_s"]))
    w("")
    if burst:
        w("The burst drained in %.1f s (%.1f scans per minute, drop to the last"
          " scan's outcome); %d XML applications were dropped meanwhile." % (
              burst["drain_s"], burst["files"] * 60.0 / max(burst["drain_s"], 1e-9),
              burst.get("xml_dropped", 0)))
        w("")
    bx, ix = sl.get("burst-xml"), sl.get("idle-xml")
    if bx and ix:
        w("Not starving, the criterion: XML p95 during the burst within %.0f s"
          " (idle: %.3f s, during the burst: %.3f s; %s)." % (
              TARGETS["burst_xml_p95_s"], ix["p95_s"], bx["p95_s"],
              "met" if bx["p95_s"] <= TARGETS["burst_xml_p95_s"] else "**not met**"))
        w("")
    return out


def plot(sizes, by, png):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 4))
    for w, style in ((1, "o-"), (2, "s--")):
        ns = [n for n in sizes if (n, w) in by]
        a.plot(ns, [cpu_s(by[(n, w)]) for n in ns], style, label="CPU, %d worker(s)" % w)
        a.plot(ns, [by[(n, w)]["wall_s"] for n in ns], style, alpha=0.5,
               label="wall, %d worker(s)" % w)
        b.plot(ns, [by[(n, w)]["maxrss_kb"] / 1024 for n in ns], style,
               label="%d worker(s)" % w)
    for ax in (a, b):
        ax.set_xscale("log")
        ax.set_xlabel("letters in one process")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    a.set_yscale("log")
    a.set_ylabel("seconds")
    a.set_title("time by batch size (one process)")
    b.set_ylabel("peak RSS (MiB)")
    b.set_ylim(bottom=0)
    b.set_title("peak memory by batch size")
    fig.tight_layout()
    fig.savefig(png, dpi=100)


def main():
    rows, machine_path, out_path, png = sys.argv[1:5]
    scans_md = sys.argv[5] if len(sys.argv) > 5 else ""
    data = load(rows)
    with open(machine_path) as f:
        machine = f.read().strip().splitlines()
    kinds = {}
    for r in data:
        kinds.setdefault(r["kind"], []).append(r)
    by = {(r["n"], r["workers"]): r for r in kinds.get("process", [])}
    sizes = sorted({n for n, _ in by})
    one = lambda kind: kinds[kind][0]
    ours, ours_nosync = one("sample-bescheid"), one("sample-bescheid-nosync")
    # bescheid's marginal letter: (the sample - its first letter alone) /
    # (letters - 1), as FOP's; None for a run without the one-letter row.
    ours_one = kinds.get("sample-bescheid-1", [None])[0]
    ours_marginal = None
    if ours_one and ours["letters"] > 1:
        ours_marginal = (cpu_s(ours) - cpu_s(ours_one)) / (ours["letters"] - 1) * 1000
    wp, fop = one("sample-weasyprint"), one("sample-fop")
    warm = {r["letters"]: r for r in kinds.get("fop-warm", [])}
    fop_warm = warm[max(warm)]
    fop_one = warm[min(warm)]
    lat = {r["mode"]: r for r in kinds.get("latency", [])}
    nosync = one("nosync")

    out = []
    w = out.append
    w("# Benchmark results")
    w("")
    run_stamp = datetime.datetime.utcfromtimestamp(
        os.path.getmtime(rows)).strftime("%Y-%m-%d %H:%M")
    w("Made by `bench/run.sh` on %s (UTC). Every number in sections 1-6 was"
      " measured by that one run, side by side on this machine; the history at"
      " the end was not." % run_stamp)
    w("")
    for line in machine:
        w("- " + line)
    note = os.environ.get("BENCH_NOTE", "").strip()
    if note:
        w("")
        w("**Caveat of this run:** " + note)
    w("")

    # 1. process
    w("## 1. `bescheid process` end to end, each size in one process")
    w("")
    w("Parse, validate, decide, render, durable write (fsync of every file and"
      " directory), journal commit (SQLite WAL, synchronous FULL). Each row is"
      " ONE process given all its files through `--from-list`; time and peak"
      " RSS by `/usr/bin/time`. CPU is user + system time of the process (all"
      " its threads). Generated applications from distinct municipalities, 1-6"
      " positions each, about one in five capped (`bench/generate.py`).")
    w("")
    w("| letters | workers | decided | wall | letters/s (wall) | CPU | CPU per letter | peak RSS |")
    w("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        for workers in (1, 2):
            r = by.get((n, workers))
            if r is None:
                continue
            w("| %d | %d | %d | %.2f s | %.0f | %.2f s | %.3f ms | %.1f MiB |" % (
                n, workers, r["letters"], r["wall_s"], rate(r), cpu_s(r),
                cpu_ms(r), r["maxrss_kb"] / 1024.0))
    w("")
    cores = cores_rows(kinds)
    if cores:
        w("### This machine's cores")
        w("")
        w("The same CPU-bound work (`letter_bench 2000`, rendering only, no"
          " disk) pinned to each core alone (wall per render, start-up"
          " included), and two copies side by side (unpinned, the wall of"
          " each), before and after the runs above. The ceiling is the"
          " work two such copies do together against one alone on the faster"
          " core (the sum of their rates): two workers of `bescheid process`"
          " can scale no further.")
        w("")
        w("| when | %s | two side by side | ceiling for 2 against 1 |" % " | ".join(
            "core %d alone, per render" % c for c in sorted(cores[0][1])))
        w("|---|%s---:|---:|" % ("---:|" * len(cores[0][1])))
        for when, per_core, pair, ceiling in cores:
            w("| %s | %s | %s | %.2f× |" % (
                when,
                " | ".join("%.3f ms" % per_core[c] for c in sorted(per_core)),
                " / ".join("%.2f s" % x for x in pair), ceiling))
        w("")

    # 2. durable writes
    d1 = by.get((nosync["n"], 1))
    w("## 2. Durable writes, separately")
    w("")
    w("The same %d letters, one worker, once as above and once under"
      " `eatmydata` (fsync, fdatasync and sync made no-ops): the difference is"
      " what making letters and journal durable costs." % nosync["n"])
    w("")
    w("| run | wall | CPU | CPU per letter | letters/s (wall) |")
    w("|---|---:|---:|---:|---:|")
    for label, r in (("durable", d1), ("without syncs (eatmydata)", nosync)):
        if r:
            w("| %s | %.2f s | %.2f s | %.3f ms | %.0f |" % (
                label, r["wall_s"], cpu_s(r), cpu_ms(r), rate(r)))
    st = kinds.get("strace")
    if st and os.path.exists(st[0]["file"]):
        c = strace_counts(st[0]["file"])
        n = st[0]["letters"]
        names = ["fsync", "fdatasync", "openat", "read", "write", "pwrite64",
                 "lseek", "rename", "renameat", "renameat2"]
        w("")
        w("System calls per letter (`strace -f -c`, %d letters, one worker,"
          " including start-up):" % n)
        w("")
        w("| " + " | ".join(x for x in names if x in c) + " |")
        w("|" + "---:|" * len([x for x in names if x in c]))
        w("| " + " | ".join("%.1f" % (c[x] / n) for x in names if x in c) + " |")
    w("")

    # 3. rendering alone and its profile
    w("## 3. Rendering alone, and where its instructions go")
    w("")
    rb = kinds.get("render")
    if rb and os.path.exists(rb[0]["file"]):
        with open(rb[0]["file"]) as f:
            text = f.read().strip()
        w("`letter_bench` (one renderer, the same Zuwendungsbescheid rendered"
          " again and again, CPU by `getrusage`): " + text)
        w("")
    cg = kinds.get("callgrind")
    if cg:
        base, _ = callgrind_summary(cg[0]["base"])
        total, top = callgrind_summary(cg[0]["run"])
        n = cg[0]["renders"]
        per = (total - base) / n if n else 0
        w("callgrind, `letter_bench %d` against `letter_bench 0` (renderer"
          " creation only): %.1f M instructions in all, %.1f M for creating"
          " the renderer, **%.2f M instructions per letter**. The functions"
          " with the largest inclusive share of the %d-letter run:" % (
              n, total / 1e6, base / 1e6, per / 1e6, n))
        w("")
        w("| inclusive instructions | share | function |")
        w("|---:|---:|---|")
        shown, seen = 0, set()
        for count, share, what in top:
            name = function_name(what)
            if name in seen or name in ("main", "(below main)") or name.startswith("0x") \
                    or "libc_start" in name or name.startswith("_dl_"):
                continue
            seen.add(name)
            w("| %.1f M | %.1f %% | `%s` |" % (count / 1e6, share, name[:100]))
            shown += 1
            if shown == 16:
                break
    cp = kinds.get("callgrind-process")
    if cp and os.path.exists(cp[0]["run"]):
        total, top = callgrind_summary(cp[0]["run"])
        n = cp[0]["letters"]
        w("")
        w("callgrind, `bescheid process` end to end on %d letters (one"
          " worker, start-up included): %.1f M instructions, %.2f M per letter."
          " The parts, by inclusive instructions:" % (n, total / 1e6, total / 1e6 / n))
        w("")
        w("| part | function | instructions per letter | share |")
        w("|---|---|---:|---:|")
        parts = [
            ("whole file, as the pipeline runs it", "pipeline::Pipeline::Process("),
            ("reading and validating the XML", "xml::ApplicationReader::Read"),
            ("deciding", "core::Decide("),
            ("laying out the letter", "letters::FlowBlocks("),
            ("checking every character is printable", "letters::CheckPrintable("),
            ("rendering the letter", "letters::LetterRenderer::Render("),
            ("writing the PDF (libharu)", "letters::PdfWriter::Write"),
            ("the decision record", "xml::WriteDecisionRecord"),
            ("journal (SQLite)", "sqlite3_step"),
            ("SHA-256 of the input", "Sha256"),
        ]
        for label, needle in parts:
            hit = next(((c, sh, f) for c, sh, f in top if needle in f), None)
            if hit and hit[1] >= 0.1:
                w("| %s | `%s` | %.2f M | %.1f %% |" % (
                    label, needle.rstrip("("), hit[0] / 1e6 / n, hit[1]))
    w("")

    # 4. peers
    w("## 4. Against the tools people would use instead")
    w("")
    w("The same %d Zuwendungsbescheide (content from `bescheid preview`: tenor,"
      " table of positions, payment, conditions, reasons, legal remedy; page"
      " frame with window address and `Seite X von Y`; DejaVu Sans embedded"
      " in all) - `bench/peers.py`. Wall and CPU are measured separately; CPU"
      " is user + system of all threads (a JVM's compiler and collector"
      " threads included)." % ours["letters"])
    w("")
    w("| tool | what its time consists of | letters | wall | letters/s (wall) | CPU per letter |")
    w("|---|---|---:|---:|---:|---:|")
    w("| bescheid | `process` end to end: read, validate, decide, render, durable write, journal; one process, one worker | %d | %.2f s | %.0f | %.3f ms |" % (
        ours["letters"], ours["wall_s"], rate(ours), cpu_ms(ours)))
    w("| bescheid | the same without syncs (`eatmydata`) | %d | %.2f s | %.0f | %.3f ms |" % (
        ours_nosync["letters"], ours_nosync["wall_s"], rate(ours_nosync), cpu_ms(ours_nosync)))
    if ours_marginal is not None:
        w("| bescheid, per additional letter | (%d letters - 1 letter) / %d: a letter in a process already running (start-up, here with the generated reference table, left out) | %d | - | - | %.3f ms |" % (
            ours["letters"], ours["letters"] - 1, ours["letters"] - 1, ours_marginal))
    w("| WeasyPrint warm | HTML → PDF in one Python process after one letter not timed; no parsing of applications, no durable write | %d | %.2f s | %.1f | %.1f ms |" % (
        wp["letters"], wp["wall_s"], rate(wp), cpu_ms(wp)))
    w("| Apache FOP warm | one `fop` call (one JVM: start-up, JIT warm-up, then rendering) for one FO document with a page-sequence per letter; no durable write | %d | %.2f s | %.1f | %.1f ms |" % (
        fop_warm["letters"], fop_warm["wall_s"], rate(fop_warm), cpu_ms(fop_warm)))
    marginal_wall = marginal_cpu = None
    if fop_warm["letters"] > fop_one["letters"]:
        k = fop_warm["letters"] - fop_one["letters"]
        marginal_wall = (fop_warm["wall_s"] - fop_one["wall_s"]) / k
        marginal_cpu = (cpu_s(fop_warm) - cpu_s(fop_one)) / k
        w("| Apache FOP warm, per additional letter | (%d letters - 1 letter) / %d: rendering in a JVM already running | %d | - | %.1f | %.1f ms |" % (
            fop_warm["letters"], k, k, 1 / marginal_wall if marginal_wall > 0 else 0,
            marginal_cpu * 1000))
    w("| Apache FOP per letter | `fop` CLI per letter as batch scripts call it: mostly JVM start-up | %d | %.2f s | %.2f | %.0f ms |" % (
        fop["letters"], fop["wall_s"], rate(fop), cpu_ms(fop)))
    w("")
    w("FOP's warm document had %d pages for %d letters." % (fop_warm.get("pages", 0), fop_warm["letters"]))
    w("")

    # 5. watcher
    w("## 5. Watcher latency, drop to letter")
    w("")
    w("`bescheid watch` with its defaults (2 workers, stability window 5 s;"
      " complete XML that inotify reports written is taken at once). Latency:"
      " from the rename into `inbox/` to the log line written after letter"
      " and record are durable and the input archived (`bench/latency.py`).")
    w("")
    w("| load | files | finished | p50 | p95 | max |")
    w("|---|---:|---:|---:|---:|---:|")
    for mode, label in (("idle", "idle: one file every 0.5 s"),
                        ("burst", "burst: all at once")):
        r = lat.get(mode)
        if r:
            w("| %s | %d | %d | %.3f s | %.3f s | %.3f s |" % (
                label, r["files"], r["finished"], r["p50_s"], r["p95_s"], r["max_s"]))
    w("")
    if kinds.get("scan-latency"):
        out.extend(scan_latency_section(kinds["scan-latency"]))

    # 6. growth
    w("## 6. Growth in one process")
    w("")
    w("![time and memory by batch size](growth.png)")
    w("")
    w("| letters | workers | CPU per letter | wall per letter | peak RSS |")
    w("|---:|---:|---:|---:|---:|")
    for n in sizes:
        for workers in (1, 2):
            r = by.get((n, workers))
            if r:
                w("| %d | %d | %.3f ms | %.3f ms | %.1f MiB |" % (
                    n, workers, cpu_ms(r), r["wall_s"] * 1000 / n, r["maxrss_kb"] / 1024.0))
    plot(sizes, by, png)
    small, large = by[(sizes[0], 1)], by[(sizes[-1], 1)]
    cpu_growth = cpu_ms(large) / cpu_ms(small)
    rss_growth = large["maxrss_kb"] / small["maxrss_kb"]
    w("")
    w("From %d to %d letters (one worker): CPU per letter × %.2f, peak RSS × %.2f." % (
        sizes[0], sizes[-1], cpu_growth, rss_growth))
    w("")

    if scans_md and os.path.exists(scans_md):
        w("## 7. Scans (`bench/scans/run.sh --quick`, run by this harness)")
        w("")
        with open(scans_md, encoding="utf-8") as f:
            for line in f.read().splitlines():
                # Its headings one level down, under this section.
                w("#" + line if line.startswith("#") else line)
        w("")

    # Targets
    w("## Targets (issue 14)")
    w("")
    big1, big2 = by[(sizes[-1], 1)], by.get((sizes[-1], 2))
    scaling = rate(big2) / rate(big1) if big2 else 0
    # WeasyPrint leaves out its first letter, so it is set against
    # bescheid's marginal letter where the run measured it.
    ours_like_wp = ours_marginal if ours_marginal else cpu_ms(ours)
    vs_wp = cpu_ms(wp) / ours_like_wp
    vs_wp_wall = rate(ours) / rate(wp)
    vs_fop = cpu_ms(fop_warm) / cpu_ms(ours)
    vs_fop_wall = rate(ours) / rate(fop_warm)
    checks = [
        ("≤ %.1f ms CPU per letter incl. durable write and journal (%d letters, 1 worker)" % (
            TARGETS["cpu_ms"], sizes[-1]), "%.3f ms" % cpu_ms(big1), cpu_ms(big1) <= TARGETS["cpu_ms"]),
        ("≥ %.0f letters/s wall, durable, 2 workers (%d letters)" % (TARGETS["rate"], sizes[-1]),
         "%.0f/s" % (rate(big2) if big2 else 0), big2 is not None and rate(big2) >= TARGETS["rate"]),
        ("2 workers ≥ %.1f× one (wall, %d letters)%s" % (
            TARGETS["scaling"], sizes[-1],
            "; this machine's ceiling for two CPU-bound copies: %s (section 1)" % " / ".join(
                "%.2f×" % c[3] for c in cores) if cores else ""),
         "%.2f×" % scaling, scaling >= TARGETS["scaling"]),
        ("CPU per letter within %.1f× from %d to %d letters in one process" % (
            TARGETS["growth"], sizes[0], sizes[-1]), "%.2f×" % cpu_growth, cpu_growth <= TARGETS["growth"]),
        ("peak RSS within %.1f× from %d to %d letters in one process" % (
            TARGETS["growth"], sizes[0], sizes[-1]), "%.2f×" % rss_growth, rss_growth <= TARGETS["growth"]),
        ("≥ %.0f× WeasyPrint warm (CPU per letter, %s; wall of the whole sample: %.0f×)" % (
            TARGETS["weasyprint"],
            "each without its first letter and start-up" if ours_marginal else "bescheid's start-up included",
            vs_wp_wall),
         "%.0f×" % vs_wp, vs_wp >= TARGETS["weasyprint"]),
        ("≥ %.0f× FOP warm, one JVM for all letters (CPU per letter; wall: %.0f×)" % (
            TARGETS["fop_warm"], vs_fop_wall), "%.0f×" % vs_fop, vs_fop >= TARGETS["fop_warm"]),
    ]
    if marginal_cpu:
        ours_like_fop = ours_marginal if ours_marginal else cpu_ms(ours)
        checks.append(("≥ %.0f× FOP's marginal letter in a running JVM (CPU; %s)" % (
            TARGETS["fop_warm"],
            "against bescheid's marginal letter" if ours_marginal else "bescheid's start-up included"),
                       "%.0f×" % (marginal_cpu * 1000 / ours_like_fop),
                       marginal_cpu * 1000 / ours_like_fop >= TARGETS["fop_warm"]))
    if "idle" in lat:
        checks.append(("watcher p95 < %.0f s from drop to letter when idle" % TARGETS["idle_p95_s"],
                       "%.3f s" % lat["idle"]["p95_s"], lat["idle"]["p95_s"] < TARGETS["idle_p95_s"]))
    sl = {r["mode"]: r for r in kinds.get("scan-latency", [])}
    if "idle-scan" in sl:
        checks.append(("watcher p95 < %.0f s from drop to outcome for a scanned 3-page"
                       " application when idle (renamed in: taken without the stability window)" %
                       TARGETS["scan_idle_p95_s"], "%.3f s" % sl["idle-scan"]["p95_s"],
                       sl["idle-scan"]["p95_s"] < TARGETS["scan_idle_p95_s"]))
    if "burst-xml" in sl and "burst-scan" in sl:
        checks.append(("XML not starved by a burst of %d scans: XML p95 ≤ %.0f s while"
                       " they drain" % (sl["burst-scan"]["files"], TARGETS["burst_xml_p95_s"]),
                       "%.3f s" % sl["burst-xml"]["p95_s"],
                       sl["burst-xml"]["p95_s"] <= TARGETS["burst_xml_p95_s"]))
    w("| target | measured | met |")
    w("|---|---:|---|")
    for name, value, ok in checks:
        w("| %s | %s | %s |" % (name, value, "yes" if ok else "**no**"))
    w("")
    # bench/analysis.md is written by hand for one run, named on its first
    # line ("Run: YYYY-MM-DD HH:MM"); another run's report says so instead
    # of presenting that text as reasons for its own figures.
    analysis = os.path.join(os.path.dirname(os.path.abspath(__file__)), "analysis.md")
    if os.path.exists(analysis):
        with open(analysis, encoding="utf-8") as f:
            first, _, text = f.read().partition("\n")
        if first.strip() == "Run: " + run_stamp:
            w("## Targets met and missed, and why (written by hand after reading this run)")
            w("")
            w(text.strip())
        else:
            w("## Targets met and missed, and why")
            w("")
            w("`bench/analysis.md` was written for another run (%s); update it"
              " for this one." % first.strip())
        w("")
    w(HISTORY)
    with open(out_path, "w", encoding="utf-8") as f:
        f.write("\n".join(out))


if __name__ == "__main__":
    main()
