#!/usr/bin/env bash
# Regenerates fonts/DejaVuSans-letters.ttf and fonts/DejaVuSans-Bold-letters.ttf:
# DejaVu Sans and DejaVu Sans Bold (Debian's fonts-dejavu-core) cut with
# HarfBuzz's subsetter (hb-subset, Debian's libharfbuzz-bin) to the letters'
# repertoire: Latin incl. Extended-A/B and Vietnamese, Greek, Cyrillic,
# punctuation and the symbols letters use. The ranges are read from
# src/letters/font_subset.cc (one place); the renderer cuts whatever font is
# configured to the same ranges when it starts, so a full font works too,
# but committed fonts keep letters reproducible whatever Debian ships.
# The outputs are committed, so a build does not need this script.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hb-subset >/dev/null || { echo "apt-get install libharfbuzz-bin" >&2; exit 1; }
src=/usr/share/fonts/truetype/dejavu
ranges=$(sed -n '/BEGIN LETTER REPERTOIRE/,/END LETTER REPERTOIRE/p' \
           src/letters/font_subset.cc |
         grep -o '{0x[0-9A-Fa-f]*, 0x[0-9A-Fa-f]*}' |
         sed -E 's/\{0x([0-9A-Fa-f]+), 0x([0-9A-Fa-f]+)\}/\1-\2/' |
         paste -sd, -)
[ -n "$ranges" ] || { echo "no ranges found in src/letters/font_subset.cc" >&2; exit 1; }
mkdir -p fonts
for face in DejaVuSans DejaVuSans-Bold; do
  # Same choices as font_subset.cc: no hinting, no layout tables (nothing
  # shapes text), a visible .notdef.
  hb-subset "$src/$face.ttf" --unicodes="$ranges" --no-hinting \
    --notdef-outline --drop-tables+=GSUB,GPOS,GDEF,kern,FFTM,DSIG \
    --output-file="fonts/$face-letters.ttf"
done
cp /usr/share/doc/fonts-dejavu-core/copyright fonts/LICENSE-DejaVu.txt
ls -l fonts
