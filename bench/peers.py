#!/usr/bin/env python3
"""The same letters in the tools an authority would otherwise use.

  peers.py html  SAMPLE_DIR         writes NAME.html beside each NAME.txt
  peers.py fo    SAMPLE_DIR         writes NAME.fo beside each NAME.txt
  peers.py fo-batch SAMPLE_DIR N OUT.fo
        joins the first N NAME.fo into one FO document, one page-sequence
        per letter (pages numbered from 1 in each, "Seite X von Y" per
        letter): FOP renders them warm, in one JVM.
  peers.py weasyprint SAMPLE_DIR OUT_DIR
        renders every NAME.html to OUT_DIR/NAME.pdf in this one Python
        process (warm: one letter first, not timed) and prints JSON with
        letters, wall and CPU seconds.

SAMPLE_DIR holds, per letter, NAME.txt (the letter markup printed by
`bescheid preview`, see docs/letters.md) and NAME.xml (the application, for
the address). The page frame (letterhead, window address, information
block, footer with "Seite X von Y") mirrors bescheid's, with DejaVu Sans
embedded, so that all three produce comparable A4 letters.
"""
import html
import json
import os
import re
import sys
import time
import xml.etree.ElementTree as ET

NS = {"a": "urn:bescheid:integrationsmanagement:antrag:1"}
AUTHORITY = "Regierungspräsidium Stuttgart"
UNIT = "Referat 15.2 – Dienststelle Wertheim"
RETURN = "Regierungspräsidium Stuttgart · Ruppmannstraße 21 · 70565 Stuttgart"


def address(xml_path):
    root = ET.parse(xml_path).getroot()
    a = root.find("a:Antragsteller/a:Anschrift", NS)
    return [a.find("a:Empfaenger", NS).text, a.find("a:Strasse", NS).text,
            a.find("a:PLZ", NS).text + " " + a.find("a:Ort", NS).text]


def parse(markup):
    """Blocks as (kind, payload), following bescheid's markup rules."""
    blocks, para, table = [], [], None
    for raw in markup.split("\n"):
        line = raw.strip()
        if not line:
            if para:
                blocks.append(("p", " ".join(para)))
                para = []
            table = None
            continue
        if line.startswith("|"):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip("|"))]
            if table is None:
                table = {"header": cells, "rows": [], "align": ["l"] * len(cells)}
                blocks.append(("table", table))
            elif all(set(c) <= set("-:") and "-" in c for c in cells):
                table["align"] = ["r" if c.endswith(":") else "l" for c in cells]
            else:
                table["rows"].append(cells)
            continue
        m = re.match(r"(\d{1,3})\. (.*)", line)
        if line.startswith("Betreff:") and not blocks:
            blocks.append(("subject", line[8:].strip()))
        elif line.startswith("# "):
            blocks.append(("h", line[2:]))
        elif line.startswith("- "):
            blocks.append(("li", line[2:]))
        elif m:
            blocks.append(("ol", (m.group(1), m.group(2))))
        else:
            para.append(line)
    if para:
        blocks.append(("p", " ".join(para)))
    return blocks


def inline_html(text):
    text = html.escape(re.sub(r"\\(.)", r"\1", text))
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)


def inline_fo(text):
    text = html.escape(re.sub(r"\\(.)", r"\1", text), quote=False)
    return re.sub(r"\*\*(.+?)\*\*", r'<fo:inline font-weight="bold">\1</fo:inline>', text)


def to_html(markup, addr, az):
    body = []
    for kind, x in parse(markup):
        if kind == "subject":
            body.append('<p class="subject">%s</p>' % inline_html(x))
        elif kind == "h":
            body.append("<h2>%s</h2>" % inline_html(x))
        elif kind == "p":
            body.append("<p>%s</p>" % inline_html(x))
        elif kind == "li":
            body.append('<p class="li">– %s</p>' % inline_html(x))
        elif kind == "ol":
            body.append('<p class="li">%s. %s</p>' % (x[0], inline_html(x[1])))
        else:
            rows = ["<tr>%s</tr>" % "".join(
                '<th class="%s">%s</th>' % (al, inline_html(c))
                for c, al in zip(x["header"], x["align"]))]
            for r in x["rows"]:
                rows.append("<tr>%s</tr>" % "".join(
                    '<td class="%s">%s</td>' % (al, inline_html(c))
                    for c, al in zip(r, x["align"])))
            body.append("<table>%s</table>" % "".join(rows))
    return """<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">
<title>Bescheid %(az)s</title><style>
@page { size: A4; margin: 26mm 20mm 30mm 25mm;
  @bottom-right { content: "Seite " counter(page) " von " counter(pages);
                  font: 8pt "DejaVu Sans"; }
  @bottom-left { content: "%(auth)s · %(ret)s"; font: 7pt "DejaVu Sans"; } }
@page :first { margin-top: 98.5mm; }
body { font: 10pt/13.5pt "DejaVu Sans"; }
.head { position: absolute; top: -80.5mm; left: 0; }
.head b { font-size: 13pt; }
.window { position: absolute; top: -36mm; left: -5mm; width: 85mm; font-size: 10pt; }
.window small { font-size: 7pt; display: block; margin-bottom: 2mm; }
.info { position: absolute; top: -48.5mm; left: 100mm; font-size: 8.5pt; }
.subject { font-weight: bold; }
h2 { font-size: 10pt; margin: 8pt 0 3pt; page-break-after: avoid; }
p { margin: 0 0 6pt; } .li { margin-left: 6mm; text-indent: -6mm; }
table { border-collapse: collapse; width: 100%%; font-size: 9pt; }
th { border-bottom: 0.8pt solid black; text-align: left; }
tr { page-break-inside: avoid; } thead { display: table-header-group; }
td.r, th.r { text-align: right; }
</style></head><body>
<div class="head"><b>%(auth)s</b><br>%(unit)s</div>
<div class="window"><small>%(ret)s</small>%(addr)s</div>
<div class="info">Aktenzeichen %(az)s</div>
%(body)s</body></html>""" % {
        "az": az, "auth": AUTHORITY, "unit": UNIT, "ret": RETURN,
        "addr": "<br>".join(html.escape(a) for a in addr), "body": "\n".join(body)}


def to_fo(markup, addr, az):
    out = []
    for kind, x in parse(markup):
        if kind == "subject":
            out.append('<fo:block font-weight="bold" space-after="13pt">%s</fo:block>' % inline_fo(x))
        elif kind == "h":
            out.append('<fo:block font-weight="bold" space-before="7pt" keep-with-next="always">%s</fo:block>' % inline_fo(x))
        elif kind == "p":
            out.append('<fo:block space-after="6pt">%s</fo:block>' % inline_fo(x))
        elif kind in ("li", "ol"):
            label, text = ("–", x) if kind == "li" else (x[0] + ".", x[1])
            out.append('<fo:list-block provisional-distance-between-starts="6mm"><fo:list-item>'
                       '<fo:list-item-label end-indent="label-end()"><fo:block>%s</fo:block></fo:list-item-label>'
                       '<fo:list-item-body start-indent="body-start()"><fo:block>%s</fo:block></fo:list-item-body>'
                       '</fo:list-item></fo:list-block>' % (label, inline_fo(text)))
        else:
            cols = len(x["header"])
            cell = lambda c, al, bold: (
                '<fo:table-cell padding="2pt"><fo:block text-align="%s"%s>%s</fo:block></fo:table-cell>'
                % ("end" if al == "r" else "start", ' font-weight="bold"' if bold else "", inline_fo(c)))
            head = "".join(cell(c, al, True) for c, al in zip(x["header"], x["align"]))
            rows = "".join('<fo:table-row keep-together.within-page="always">%s</fo:table-row>'
                           % "".join(cell(c, al, False) for c, al in zip(r, x["align"]))
                           for r in x["rows"])
            out.append('<fo:table table-layout="fixed" width="100%%" font-size="9pt" space-after="8pt">%s'
                       '<fo:table-header border-bottom="0.8pt solid black"><fo:table-row>%s</fo:table-row></fo:table-header>'
                       '<fo:table-body>%s</fo:table-body></fo:table>'
                       % ("".join('<fo:table-column column-width="proportional-column-width(1)"/>' for _ in range(cols)),
                          head, rows))
    return """<?xml version="1.0" encoding="UTF-8"?>
<fo:root xmlns:fo="http://www.w3.org/1999/XSL/Format" font-family="DejaVu Sans" font-size="10pt" line-height="13.5pt">
<fo:layout-master-set>
 <fo:simple-page-master master-name="first" page-height="297mm" page-width="210mm" margin="0">
  <fo:region-body margin="98.5mm 20mm 30mm 25mm"/><fo:region-before region-name="head" extent="95mm"/>
  <fo:region-after region-name="foot" extent="25mm"/></fo:simple-page-master>
 <fo:simple-page-master master-name="next" page-height="297mm" page-width="210mm" margin="0">
  <fo:region-body margin="26mm 20mm 30mm 25mm"/><fo:region-after region-name="foot" extent="25mm"/></fo:simple-page-master>
 <fo:page-sequence-master master-name="letter"><fo:repeatable-page-master-alternatives>
  <fo:conditional-page-master-reference master-reference="first" page-position="first"/>
  <fo:conditional-page-master-reference master-reference="next" page-position="rest"/>
 </fo:repeatable-page-master-alternatives></fo:page-sequence-master>
</fo:layout-master-set>
<fo:page-sequence master-reference="letter">
 <fo:static-content flow-name="head">
  <fo:block-container absolute-position="absolute" top="13mm" left="25mm"><fo:block font-size="13pt" font-weight="bold">%(auth)s</fo:block><fo:block font-size="9pt">%(unit)s</fo:block></fo:block-container>
  <fo:block-container absolute-position="absolute" top="57mm" left="25mm" width="80mm"><fo:block font-size="7pt" space-after="2mm">%(ret)s</fo:block>%(addr)s</fo:block-container>
  <fo:block-container absolute-position="absolute" top="50mm" left="125mm"><fo:block font-size="8.5pt">Aktenzeichen %(az)s</fo:block></fo:block-container>
 </fo:static-content>
 <fo:static-content flow-name="foot"><fo:block margin-left="25mm" margin-right="20mm" font-size="8pt" text-align="end">Seite <fo:page-number/> von <fo:page-number-citation ref-id="end"/></fo:block>
  <fo:block margin-left="25mm" font-size="7pt">%(auth)s · %(ret)s</fo:block></fo:static-content>
 <fo:flow flow-name="xsl-region-body">%(body)s<fo:block id="end"/></fo:flow>
</fo:page-sequence></fo:root>""" % {
        "auth": AUTHORITY, "unit": UNIT, "ret": html.escape(RETURN), "az": az,
        "addr": "".join("<fo:block>%s</fo:block>" % html.escape(a) for a in addr),
        "body": "\n".join(out)}


def letters(sample):
    return sorted(f[:-4] for f in os.listdir(sample) if f.endswith(".txt"))


def main():
    mode, sample = sys.argv[1], sys.argv[2]
    if mode in ("html", "fo"):
        for name in letters(sample):
            with open(os.path.join(sample, name + ".txt"), encoding="utf-8") as f:
                markup = f.read()
            addr = address(os.path.join(sample, name + ".xml"))
            convert = to_html if mode == "html" else to_fo
            with open(os.path.join(sample, name + "." + mode), "w", encoding="utf-8") as f:
                f.write(convert(markup, addr, name))
    elif mode == "fo-batch":
        count, out = int(sys.argv[3]), sys.argv[4]
        head, sequences, tail = None, [], None
        for i, name in enumerate(letters(sample)[:count]):
            with open(os.path.join(sample, name + ".fo"), encoding="utf-8") as f:
                doc = f.read()
            start = doc.index("<fo:page-sequence ")
            end = doc.index("</fo:page-sequence>") + len("</fo:page-sequence>")
            if head is None:
                head, tail = doc[:start], doc[end:]
            seq = doc[start:end].replace(
                '<fo:page-sequence master-reference="letter">',
                '<fo:page-sequence master-reference="letter" initial-page-number="1">', 1)
            seq = seq.replace('ref-id="end"', 'ref-id="end-%d"' % i)
            seq = seq.replace('<fo:block id="end"/>', '<fo:block id="end-%d"/>' % i)
            sequences.append(seq)
        with open(out, "w", encoding="utf-8") as f:
            f.write(head + "\n".join(sequences) + tail)
    elif mode == "weasyprint":
        import weasyprint
        out = sys.argv[3]
        os.makedirs(out, exist_ok=True)
        names = letters(sample)
        docs = []
        for name in names:
            with open(os.path.join(sample, name + ".html"), encoding="utf-8") as f:
                docs.append(f.read())
        weasyprint.HTML(string=docs[0]).write_pdf(os.path.join(out, "warmup.pdf"))
        wall, cpu = time.perf_counter(), time.process_time()
        for name, doc in zip(names, docs):
            weasyprint.HTML(string=doc).write_pdf(os.path.join(out, name + ".pdf"))
        print(json.dumps({"letters": len(names),
                          "wall_s": time.perf_counter() - wall,
                          "cpu_s": time.process_time() - cpu}))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
