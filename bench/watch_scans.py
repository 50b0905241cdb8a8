#!/usr/bin/env python3
"""Drop-to-outcome latency of a running `bescheid watch` with scans.

  watch_scans.py BESCHEID SCAN_CORPUS WORK [--idle N] [--burst N]
                 [--xml-idle N] [--xml-every S] [--xml-cap N]

Makes distinct applications (bench/generate.py: every one from its own
municipality, so that no application waits for another one's review or
grant), renders the first ones with three form pages as OCR-only scans
(scan-corpus --no-barcode, variant clean-300-png) and joins each scan's
page images into one multi-page TIFF (LZW, 300 dpi): one file, one
application. Then starts one `bescheid watch` (its defaults: one worker
per core, stability window 5 s, OCR engines loaded at start) on
WORK/root with the generated reference table and measures, from the
rename into inbox/ to the log line of the file's outcome (written after
letter and record are durable and the input archived, or after the
review folder is written):

  idle-scan   N scans, one at a time: each dropped 0.5 s after the
              previous one's outcome
  idle-xml    N XML applications, one every S seconds
  burst-scan  N scans dropped at once; drain: from that drop to the last
              scan's outcome
  burst-xml   while the burst drains, one XML application every S seconds
              (at most --xml-cap), the same kind of file as idle-xml

Prints one JSON line per measurement (kind "scan-latency"), with the
outcomes counted: decided (with the decision kinds), review, rejected,
duplicate; deferred or failed lines are not outcomes (the file is tried
again) and are counted separately. Needs /usr/bin/python3 with PIL
(python3-pil, which python3-matplotlib depends on).
"""
import argparse
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import time

from PIL import Image

FINAL = {"decided", "review", "rejected", "duplicate"}
LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) \S+ file=(\S+) "
                  r"outcome=(\S+)(?:.* decision=(\S+))?")


def percentile(values, p):
    if not values:
        return 0.0
    values = sorted(values)
    k = max(0, min(len(values) - 1, int(round(p / 100.0 * len(values) + 0.5)) - 1))
    return values[k]


class Log:
    """Reads the daemon's log as it grows: the first final outcome of each
    file, and how often a file was deferred or failed on the way."""

    def __init__(self, path):
        self.path, self.offset, self.done, self.transient = path, 0, {}, {}

    def poll(self):
        with open(self.path, encoding="utf-8", errors="replace") as f:
            f.seek(self.offset)
            text = f.read()
        cut = text.rfind("\n") + 1  # whole lines only
        self.offset += len(text[:cut].encode("utf-8"))
        for line in text[:cut].splitlines():
            m = LINE.match(line)
            if not m:
                continue
            name, outcome = m.group(2), m.group(3)
            if outcome in FINAL and name not in self.done:
                t = datetime.datetime.strptime(
                    m.group(1), "%Y-%m-%d %H:%M:%S.%f").timestamp()
                self.done[name] = (t, outcome, m.group(4))
            elif outcome not in FINAL:
                self.transient[outcome] = self.transient.get(outcome, 0) + 1

    def wait(self, names, limit):
        end = time.time() + limit
        while time.time() < end:
            self.poll()
            if all(n in self.done for n in names):
                return True
            time.sleep(0.05)
        return False


def summary(mode, names, dropped, log, **extra):
    lat = [log.done[n][0] - dropped[n] for n in names if n in log.done]
    outcomes = {}
    for n in names:
        if n in log.done:
            _, outcome, decision = log.done[n]
            key = "decided " + decision if outcome == "decided" and decision else outcome
            outcomes[key] = outcomes.get(key, 0) + 1
    r = {"kind": "scan-latency", "mode": mode, "files": len(names),
         "finished": len(lat), "outcomes": outcomes,
         "p50_s": round(percentile(lat, 50), 3),
         "p95_s": round(percentile(lat, 95), 3),
         "max_s": round(max(lat), 3) if lat else 0.0}
    r.update(extra)
    return r


def prepare(args, gen, corpus, scans_dir, xml_dir):
    """Distinct applications; the first 3-page ones as scans (TIFF)."""
    need_scans = args.idle + args.burst
    need_xml = args.xml_idle + args.xml_cap
    here = os.path.dirname(os.path.abspath(__file__))
    # About half of the generated applications have at most three positions
    # (three form pages); generate enough for both sets with room to spare.
    total = 3 * need_scans + need_xml
    subprocess.run([sys.executable, os.path.join(here, "generate.py"),
                    str(total), gen], check=True)
    apps = sorted(os.listdir(os.path.join(gen, "applications")))
    short, rest = [], []
    for a in apps:
        with open(os.path.join(gen, "applications", a), encoding="utf-8") as f:
            (short if f.read().count("<Stelle>") <= 3 else rest).append(a)
    # A few spare scans: a form may still need a fourth page.
    chosen = short[:need_scans + 10]
    xml_pool = rest + short[need_scans + 10:]
    os.makedirs(xml_dir)
    for a in xml_pool[:need_xml]:
        shutil.copy(os.path.join(gen, "applications", a), xml_dir)
    half = len(chosen) // 2
    procs = [subprocess.Popen(
        [args.scan_corpus, "--out", corpus, "--no-barcode", "--variants",
         "clean-300-png"] + [os.path.join(gen, "applications", a) for a in part],
        stdout=subprocess.DEVNULL) for part in (chosen[:half], chosen[half:])]
    for p in procs:
        if p.wait() != 0:
            sys.exit("scan-corpus failed")
    os.makedirs(scans_dir)
    made = 0
    for t in sorted(f for f in os.listdir(corpus) if f.endswith(".truth.json")):
        with open(os.path.join(corpus, t), encoding="utf-8") as f:
            truth = json.load(f)
        if truth["applications"][0]["form_pages"] != 3 or made == need_scans:
            continue
        pages = [Image.open(os.path.join(corpus, p)) for p in truth["files"]]
        # The receipt date stays the name's prefix (scan::ScanReceiptDate).
        name = t[:-len(".truth.json")].replace("clean-300-png", "clean-300-tiff") + ".tif"
        pages[0].save(os.path.join(scans_dir, name), save_all=True,
                      append_images=pages[1:], compression="tiff_lzw",
                      dpi=(300, 300))
        made += 1
    if made < need_scans:
        sys.exit("only %d three-page scans, %d needed" % (made, need_scans))
    return sorted(os.listdir(scans_dir)), sorted(os.listdir(xml_dir))


def drop(src_dir, name, inbox, dropped):
    dropped[name] = time.time()
    os.rename(os.path.join(src_dir, name), os.path.join(inbox, name))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("bescheid")
    p.add_argument("scan_corpus")
    p.add_argument("work")
    p.add_argument("--idle", type=int, default=10)
    p.add_argument("--burst", type=int, default=200)
    p.add_argument("--xml-idle", type=int, default=20)
    p.add_argument("--xml-every", type=float, default=0.5)
    p.add_argument("--xml-cap", type=int, default=600)
    args = p.parse_args()

    work = args.work
    shutil.rmtree(work, ignore_errors=True)
    gen, root = os.path.join(work, "gen"), os.path.join(work, "root")
    scans_dir, xml_dir = os.path.join(work, "scans"), os.path.join(work, "xml")
    scans, xmls = prepare(args, gen, os.path.join(work, "corpus"), scans_dir, xml_dir)
    inbox = os.path.join(root, "inbox")
    os.makedirs(inbox)
    log_path = os.path.join(work, "watch.log")
    with open(log_path, "w") as out:
        daemon = subprocess.Popen(
            [args.bescheid, "watch", "--define", "watch.root=" + root,
             "--define", "store.path=" + os.path.join(work, "journal.sqlite"),
             "--define", "reference.gemeinden=" + os.path.join(gen, "gemeinden.csv"),
             "--define", "http.enabled=false"],
            stdout=out, stderr=subprocess.STDOUT)
    try:
        log = Log(log_path)
        end = time.time() + 120
        while time.time() < end:
            with open(log_path, encoding="utf-8", errors="replace") as f:
                if " watching " in f.read():
                    break
            time.sleep(0.1)
        dropped = {}
        # Idle scans: one at a time.
        idle_scans = scans[:args.idle]
        for name in idle_scans:
            drop(scans_dir, name, inbox, dropped)
            log.wait([name], 300)
            time.sleep(0.5)
        print(json.dumps(summary("idle-scan", idle_scans, dropped, log)), flush=True)
        # Idle XML, as section 5 drops it.
        idle_xml = xmls[:args.xml_idle]
        for name in idle_xml:
            drop(xml_dir, name, inbox, dropped)
            time.sleep(args.xml_every)
        log.wait(idle_xml, 120)
        print(json.dumps(summary("idle-xml", idle_xml, dropped, log)), flush=True)
        # The burst, and XML while it drains.
        burst = scans[args.idle:args.idle + args.burst]
        start = time.time()
        for name in burst:
            drop(scans_dir, name, inbox, dropped)
        burst_xml = []
        pool = iter(xmls[args.xml_idle:])
        while len(burst_xml) < args.xml_cap:
            log.poll()
            if all(n in log.done for n in burst):
                break
            name = next(pool, None)
            if name is None:
                break
            drop(xml_dir, name, inbox, dropped)
            burst_xml.append(name)
            time.sleep(args.xml_every)
        log.wait(burst + burst_xml, 1800)
        ends = [log.done[n][0] for n in burst if n in log.done]
        drain = (max(ends) - start) if ends else 0.0
        print(json.dumps(summary("burst-scan", burst, dropped, log,
                                 drain_s=round(drain, 1),
                                 xml_dropped=len(burst_xml))), flush=True)
        print(json.dumps(summary("burst-xml", burst_xml, dropped, log,
                                 retried=log.transient)), flush=True)
    finally:
        daemon.terminate()
        daemon.wait(60)


if __name__ == "__main__":
    main()
