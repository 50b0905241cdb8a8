#!/usr/bin/env python3
"""Generates N distinct applications and a matching reference table.

Usage: generate.py N OUT_DIR

Writes OUT_DIR/applications/antrag-00001.xml ... and OUT_DIR/gemeinden.csv.
Every application comes from its own municipality (no double funding), with
1 to 6 positions; about one in five exceeds its planning budget (partial
grant), so the letters are a realistic mix of Zuwendungsbescheide with
tables of different length. Deterministic for a given N.
"""
import os
import random
import sys

NS = "urn:bescheid:integrationsmanagement:antrag:1"
FIRST = ["Jana", "Thomas", "Ayşe", "Lukas", "Sophie", "Mehmet", "Anna", "Jonas",
         "Fatima", "Peter", "Lena", "Ali", "Marie", "Paul", "Elif", "Felix"]
LAST = ["Müller", "Schmid", "Demir", "Weiß", "Bäuerle", "Kaya", "Fischer",
        "Wagner", "Öztürk", "Schäfer", "Hägele", "Becker", "Haddad", "Groß"]
TRAEGER = ["Caritasverband e.V.", "Diakonisches Werk", "Arbeiterwohlfahrt e.V.",
           "Deutsches Rotes Kreuz, Kreisverband"]


def iban(blz, konto):
    bban = blz + str(konto).zfill(10)
    num = int("".join(str(int(c, 36)) for c in bban + "DE00"))
    return "DE%02d%s" % (98 - num % 97, bban)


def application(i, rng):
    ags = "08%06d" % (100000 + i)
    name = "Gemeinde Benchhausen %d" % i
    positions = []
    for k in range(rng.randint(1, 6)):
        traeger = ("\n      <Traeger>%s</Traeger>" % rng.choice(TRAEGER)
                   if rng.random() < 0.3 else "")
        positions.append("""    <Stelle>
      <Person>%s %s</Person>
      <Qualifikation>%s</Qualifikation>
      <VZAE>%s</VZAE>
      <Beginn>2017-%02d</Beginn>
      <Monate>%d</Monate>%s
      <NachweisBeigefuegt>true</NachweisBeigefuegt>
    </Stelle>""" % (rng.choice(FIRST), rng.choice(LAST), rng.choice("ABC"),
                    rng.choice(["0.25", "0.50", "0.75", "1.00"]),
                    rng.randint(1, 12), rng.choice([12, 18, 24]), traeger))
    doc = """<?xml version="1.0" encoding="UTF-8"?>
<Foerderantrag xmlns="%s" version="1.0">
  <Programm>IM-2017</Programm>
  <Eingangsdatum>2017-08-%02d</Eingangsdatum>
  <Antragsteller>
    <Art>Gemeinde</Art>
    <Name>%s</Name>
    <AGS>%s</AGS>
    <Anschrift>
      <Empfaenger>%s – Bürgermeisteramt</Empfaenger>
      <Strasse>Rathausplatz %d</Strasse>
      <PLZ>7%04d</PLZ>
      <Ort>Benchhausen</Ort>
    </Anschrift>
    <Ansprechperson>
      <Name>Erika Mustermann</Name>
      <Telefon>07000 %d</Telefon>
      <EMail>rathaus%d@benchhausen.example</EMail>
    </Ansprechperson>
  </Antragsteller>
  <Bankverbindung>
    <Kontoinhaber>%s</Kontoinhaber>
    <IBAN>%s</IBAN>
  </Bankverbindung>
  <Stellen>
%s
  </Stellen>
  <Erklaerungen>
    <AngabenVollstaendigRichtig>true</AngabenVollstaendigRichtig>
    <KeineDoppelfoerderung>true</KeineDoppelfoerderung>
    <ANBestKAnerkannt>true</ANBestKAnerkannt>
  </Erklaerungen>
  <Unterzeichnung>
    <Ort>Benchhausen</Ort>
    <Datum>2017-08-01</Datum>
    <Name>Max Mustermann</Name>
    <Funktion>Bürgermeister</Funktion>
  </Unterzeichnung>
</Foerderantrag>
""" % (NS, rng.randint(1, 28), name, ags, name, i % 200 + 1, i % 10000, i, i,
       name, iban("60050101", 7400000000 + i), "\n".join(positions))
    # Persons: most budgets cover the positions, about one in five is capped.
    persons = rng.randint(70, 200) if rng.random() < 0.2 else rng.randint(300, 900)
    return ags, name, persons, doc


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(20170724)
    os.makedirs(os.path.join(out, "applications"), exist_ok=True)
    with open(os.path.join(out, "gemeinden.csv"), "w", encoding="utf-8") as table:
        table.write("AGS;Name;Art;PersonenAU\n")
        for i in range(1, n + 1):
            ags, name, persons, doc = application(i, rng)
            table.write("%s;%s;Gemeinde;%d\n" % (ags, name, persons))
            with open(os.path.join(out, "applications", "antrag-%05d.xml" % i),
                      "w", encoding="utf-8") as f:
                f.write(doc)


if __name__ == "__main__":
    main()
