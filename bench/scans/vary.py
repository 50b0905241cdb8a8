#!/usr/bin/env python3
"""Varied applications for the scan benchmark: each example's XML with its
names (umlauts and ß included), street, postcode, phone, IBAN (valid check
digits), positions' VZÄ and months and the signing date drawn anew, so that
the reader meets values the eight examples do not show. Deterministic per
seed. Writes DIR/<example>-v<n>.xml; the service's schema still applies.

usage: vary.py --out DIR [--seed N] [--count N] EXAMPLE.xml...
"""
import argparse
import os
import random
import re

FIRST = ["Jürgen", "Özlem", "Käthe", "Björn", "Lütfiye", "Sören", "Ännchen",
         "Mareike", "Hans-Peter", "Luisa", "Jörg", "Ümit", "Grete", "Maximilian"]
LAST = ["Weiß", "Müller-Lüdenscheidt", "Schäfer", "Groß", "Öztürk", "Kuhn",
        "Jäger", "Vogt", "Bäumer", "Straßburger", "Hoffmann", "Zöller"]
STREETS = ["Hauptstraße", "Am Mühlbach", "Bahnhofstraße", "Schloßplatz",
           "Rathausgasse", "Kirchweg", "Lindenallee", "Grüner Weg"]


def iban(rng):
    bban = "".join(rng.choice("0123456789") for _ in range(18))
    check = 98 - int(bban + "131400") % 97  # "DE00" moved to the end
    return "DE%02d%s" % (check, bban)


def person(rng):
    return "%s %s" % (rng.choice(FIRST), rng.choice(LAST))


def vary(xml, rng):
    def sub(tag, fn, text, count=0):
        return re.sub(r"<%s>[^<]*</%s>" % (tag, tag),
                      lambda m: "<%s>%s</%s>" % (tag, fn(), tag), text,
                      count=count)
    xml = re.sub(r"(<Ansprechperson>\s*<Name>)[^<]*", lambda m: m.group(1) +
                 person(rng), xml)
    xml = sub("Person", lambda: person(rng), xml)
    xml = sub("Strasse", lambda: "%s %d" % (rng.choice(STREETS),
                                            rng.randint(1, 120)), xml)
    xml = sub("PLZ", lambda: "%05d" % rng.randint(68000, 89999), xml)
    xml = sub("Telefon", lambda: "0%d %d-%d" % (
        rng.randint(6000, 7999), rng.randint(100, 999), rng.randint(1, 999)),
        xml)
    xml = sub("IBAN", lambda: iban(rng), xml)
    xml = sub("VZAE", lambda: rng.choice(["0.50", "0.75", "0.80", "1.00"]),
              xml)
    xml = sub("Monate", lambda: str(rng.randint(6, 24)), xml)
    xml = re.sub(r"(<Unterzeichnung>.*?<Datum>)2017-\d\d-\d\d",
                 lambda m: m.group(1) + "2017-08-%02d" % rng.randint(1, 12),
                 xml, flags=re.S)
    xml = re.sub(r"(<Unterzeichnung>.*?<Name>)[^<]*",
                 lambda m: m.group(1) + person(rng), xml, flags=re.S)
    return xml


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--count", type=int, default=1)
    p.add_argument("examples", nargs="+")
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    for path in a.examples:
        base = os.path.basename(path)[:-4]
        with open(path, encoding="utf-8") as f:
            xml = f.read()
        for n in range(1, a.count + 1):
            rng = random.Random("%d/%s/%d" % (a.seed, base, n))
            with open(os.path.join(a.out, "%s-v%d.xml" % (base, n)), "w",
                      encoding="utf-8") as f:
                f.write(vary(xml, rng))


if __name__ == "__main__":
    main()
