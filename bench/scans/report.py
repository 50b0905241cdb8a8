#!/usr/bin/env python3
"""Sums the lines of bench/scans/run.sh's scan-bench runs into the Markdown
section bench/scans/RESULTS.md (printed on stdout). Every number comes from
the files in --work; nothing is typed in."""
import argparse
import collections
import csv
import datetime
import os

# The targets (issue 12).
STRAIGHT_TARGET = 0.95
FIELD_TARGET = 0.995
CPU_OCR_TARGET = 0.5
CPU_BARCODE_TARGET = 0.15
SPEEDUP_TARGET = 1.8


def read(path):
    rows, total = [], None
    with open(path, encoding="utf-8") as f:
        for row in csv.reader(f, delimiter="\t"):
            if not row or row[0] == "name":
                continue
            if row[0] == "total":
                total = {"workers": int(row[1]), "wall": float(row[2]),
                         "pages": int(row[3]), "cpu": float(row[4])}
                continue
            rows.append(row)
    return rows, total


def by_variant(rows):
    out = collections.OrderedDict()
    for r in rows:
        v = out.setdefault(r[1], collections.Counter())
        v["files"] += 1
        v["errors"] += 1 if r[13] else 0
        for i, k in [(4, "pages"), (5, "documents"), (6, "fields"),
                     (7, "correct"), (8, "confident_wrong"), (9, "straight"),
                     (10, "review"), (11, "wrong")]:
            v[k] += int(r[i])
        v["cpu"] += float(r[12])
    return out


def pct(a, b):
    return "%.1f %%" % (100.0 * a / b) if b else "-"


def table(title, variants):
    lines = ["### " + title, "",
             "| variant | documents | field accuracy | straight through "
             "| to review | wrong | confident and wrong fields | CPU per page |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name, v in variants.items():
        lines.append("| %s | %d | %s (%d/%d) | %d (%s) | %d | %d | %d | %s |" % (
            name, v["documents"], pct(v["correct"], v["fields"]), v["correct"],
            v["fields"], v["straight"], pct(v["straight"], v["documents"]),
            v["review"], v["wrong"], v["confident_wrong"],
            "%.3f s" % (v["cpu"] / v["pages"]) if v["pages"] else "-"))
    return lines


def speed(work, name):
    one = read(os.path.join(work, "speed-%s-1.tsv" % name))[1]
    two = read(os.path.join(work, "speed-%s-2.tsv" % name))[1]
    return one, two


def load_average():
    """The system's load averages, as /proc/loadavg gives them."""
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main():
    p = argparse.ArgumentParser()
    for k in ["work", "mode", "cpu", "cores", "versions", "commit", "inputs"]:
        p.add_argument("--" + k, required=True)
    a = p.parse_args()
    ocr = by_variant(read(os.path.join(a.work, "ocr.tsv"))[0])
    bar = by_variant(read(os.path.join(a.work, "barcode.tsv"))[0])
    out = ["## Reading scans (bench/scans/run.sh)", "",
           "Made by `bench/scans/run.sh --%s` on %s (commit %s). Every number "
           "below was measured in that one run." % (
               a.mode, datetime.date.today().isoformat(), a.commit), "",
           "- machine: %s, %s cores; load average (1/5/15 min) when this "
           "report was written: %s" % (a.cpu, a.cores, load_average()),
           "- packages: " + "; ".join(x for x in a.versions.split(";") if x),
           "",
           "Documents: the corpus generator's files (`tools/scan-corpus`) of "
           "%s and varied copies of them " % a.inputs +
           "(`bench/scans/vary.py`: names with umlauts, ß and hyphens, other "
           "streets, postcodes, IBANs, VZÄ, months, dates). Read as the "
           "service reads an inbox file (`scan-bench`: DecodeScan, ReadScan, "
           "default thresholds) and compared with the truth. *Wrong* is a "
           "document that would go straight through although its "
           "application, signature or a hand correction differs from the "
           "truth: a wrong letter. *Confident and wrong fields* are fields "
           "read wrong with confidence >= 0.80 and no doubt on them (the "
           "document may still go to review for another field). CPU per page "
           "is decoding and reading, per worker thread.", ""]
    out += table("OCR only (forms without the data barcode)", ocr) + [""]
    out += table("With the data barcode", bar) + [""]
    out += targets(a.work, ocr, bar)
    out += peers(a.work)
    print("\n".join(out))


def targets(work, ocr, bar):
    out = ["### Targets", ""]
    mild = collections.Counter()
    for v in ("clean-300-png", "mild-300-jpeg"):
        mild.update(ocr.get(v, {}))
    wrong = sum(v["wrong"] for v in list(ocr.values()) + list(bar.values()))
    out.append("- OCR only, 300 dpi clean and mild: %s straight through "
               "(target 95 %%: %s), field accuracy %s (target 99.5 %%: %s)." % (
                   pct(mild["straight"], mild["documents"]),
                   "met" if mild["documents"] and mild["straight"] >=
                   STRAIGHT_TARGET * mild["documents"] else "missed",
                   pct(mild["correct"], mild["fields"]),
                   "met" if mild["fields"] and mild["correct"] >=
                   FIELD_TARGET * mild["fields"] else "missed"))
    out.append("- Wrong decisions over every variant: %d (target 0: %s)." % (
        wrong, "met" if wrong == 0 else "missed"))
    for name, target in (("ocr", CPU_OCR_TARGET), ("barcode", CPU_BARCODE_TARGET)):
        one, two = speed(work, name)
        cpu = one["cpu"] / one["pages"]
        rate1, rate2 = one["pages"] / one["wall"], two["pages"] / two["wall"]
        out.append(
            "- %s, 300 dpi (clean and mild, %d pages): %.3f s CPU per page "
            "(target %.2f s: %s); %.2f pages/s with 1 worker, %.2f with 2 "
            "(%.2fx; target %.1fx: %s)." % (
                "OCR only" if name == "ocr" else "With barcode", one["pages"],
                cpu, target, "met" if cpu <= target else "missed", rate1,
                rate2, rate2 / rate1, SPEEDUP_TARGET,
                "met" if rate2 >= SPEEDUP_TARGET * rate1 else "missed"))
    return out + [""]


def peers(work):
    times = collections.defaultdict(list)
    with open(os.path.join(work, "peers.tsv"), encoding="utf-8") as f:
        for line in f:
            tool, wall, user, system = line.split()
            times[tool].append((float(wall), float(user) + float(system)))
    out = ["### Peers on the same 300-dpi pages", "",
           "| tool | pages | CPU per page | wall per page | what the time is |",
           "|---|---:|---:|---:|---|"]
    what = {
        "tesseract": "`tesseract PAGE.png OUT -l deu`, OMP_THREAD_LIMIT=1: "
                     "model load, layout analysis and recognition of the "
                     "whole page (text only; no fields, no checks)",
        "ocrmypdf": "`ocrmypdf -j 1 -l deu --image-dpi 300 --output-type pdf`: "
                    "Python start, image to PDF, Tesseract on the whole page, "
                    "text layer grafted (no PDF/A); searchable PDF, no fields",
    }
    for tool, t in times.items():
        out.append("| %s | %d | %.2f s | %.2f s | %s |" % (
            tool, len(t), sum(x[1] for x in t) / len(t),
            sum(x[0] for x in t) / len(t), what.get(tool, "")))
    out.append("")
    out.append("bescheid's figures above include decoding the file and "
               "reading every field zone, the checkboxes, the signature, the "
               "page code and registration, with its engine loaded once per "
               "worker (not per page).")
    return out + [""]


if __name__ == "__main__":
    main()
