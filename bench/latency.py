#!/usr/bin/env python3
"""Drop-to-letter latency of a running `bescheid watch`.

  latency.py ROOT LOG SOURCE_DIR MODE N

Moves N applications from SOURCE_DIR (same file system as ROOT) into
ROOT/inbox/ - one every 0.5 s (MODE idle) or all at once (MODE burst) -
noting when each was dropped, waits until the watcher's log (LOG) reports
an outcome for every one, and prints JSON with p50, p95 and max of the time
from drop to the log line, which is written after the letter and record
are durable and the input archived.
"""
import datetime
import json
import os
import re
import sys
import time


def percentile(values, p):
    values = sorted(values)
    k = max(0, min(len(values) - 1, int(round(p / 100.0 * len(values) + 0.5)) - 1))
    return values[k]


def main():
    root, log, source, mode, n = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
    names = sorted(os.listdir(source))[:n]
    dropped = {}
    for name in names:
        dropped[name] = time.time()
        os.rename(os.path.join(source, name), os.path.join(root, "inbox", name))
        if mode == "idle":
            time.sleep(0.5)
    line = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) \S+ file=(\S+) outcome=(\S+)")
    done = {}
    deadline = time.time() + 600
    while len(done) < len(names) and time.time() < deadline:
        with open(log, encoding="utf-8", errors="replace") as f:
            for text in f:
                m = line.match(text)
                if m and m.group(2) in dropped and m.group(2) not in done:
                    t = datetime.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S.%f").timestamp()
                    done[m.group(2)] = (t, m.group(3))
        time.sleep(0.2)
    lat = [done[k][0] - dropped[k] for k in done]
    print(json.dumps({"mode": mode, "files": len(names), "finished": len(done),
                      "decided": sum(1 for v in done.values() if v[1] == "decided"),
                      "p50_s": percentile(lat, 50), "p95_s": percentile(lat, 95),
                      "max_s": max(lat)}))


if __name__ == "__main__":
    main()
