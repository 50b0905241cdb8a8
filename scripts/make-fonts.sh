#!/usr/bin/env bash
# Regenerates fonts/: DejaVu Sans and DejaVu Sans Bold cut down to the
# characters of Windows-1252, the letters' font encoding. libharu re-reads
# and subsets the whole font program for every letter it saves; with ~250
# glyphs instead of ~6,000 a letter costs a fraction of the CPU and bytes
# (measured in bench/RESULTS.md). Needs Debian's fonts-dejavu-core and
# fonttools; the outputs are committed, so a build does not need this.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v pyftsubset >/dev/null || { echo "apt-get install fonttools" >&2; exit 1; }
unicodes=$(python3 - <<'PY'
cps = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100)) | {
    0x20AC, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030,
    0x0160, 0x2039, 0x0152, 0x017D, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x017E, 0x0178}
print(",".join("U+%04X" % c for c in sorted(cps)))
PY
)
mkdir -p fonts
for face in DejaVuSans DejaVuSans-Bold; do
  pyftsubset "/usr/share/fonts/truetype/dejavu/$face.ttf" \
    --unicodes="$unicodes" --output-file="fonts/$face-cp1252.ttf" \
    --layout-features='' --no-hinting --name-IDs='*' --name-languages='*' \
    --notdef-outline 2>&1 | grep -v "FFTM NOT subset" || true
done
cp /usr/share/doc/fonts-dejavu-core/copyright fonts/LICENSE-DejaVu.txt
ls -l fonts
