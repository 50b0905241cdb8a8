#!/usr/bin/env bash
# The scan benchmark: accuracy and speed of reading scanned applications,
# measured on the corpus generator's output against its truth files, and
# two peers on the same 300-dpi pages. One command:
#
#   bench/scans/run.sh           --quick (default): 4 examples and 3 varied
#                                copies of each, 8 OCR and 8 barcode variants
#                                (~10 min on 2 busy cores)
#   bench/scans/run.sh --full    4 examples, 4 varied copies of each, every
#                                variant, seeds 1 and 2 (about an hour)
#
# Writes bench/scans/RESULTS.md (a Markdown section starting with "## ";
# another harness may include it: bench/run.sh can call this script and
# append the file). Work files go to bench/scans/work/ (ignored by git).
#
# Inputs: the examples that are valid and representable (01, 03, 05, 07)
# and, from bench/scans/vary.py, the same applications with other names
# (umlauts, ß, hyphens), streets, postcodes, IBANs, VZÄ, months and dates.
# Each rendered as every corpus variant (tools/scan-corpus) with the data
# barcode, and OCR only (--no-barcode) in the variants that matter for OCR.
# scan-bench reads each file as the service does (scan::DecodeScan, then
# scan::ReadScan, default thresholds) and scores it against the truth.
#
# Needs: the build (scan-corpus, scan-bench targets), tesseract-ocr-deu
# (scripts/install-deps.sh); installs its peers and GNU time from Debian.
set -euo pipefail
cd "$(dirname "$0")/../.."
# The peers measured on the same pages (Tesseract's command line, OCRmyPDF)
# and GNU time, all Debian packages.
need=()
for p in tesseract-ocr ocrmypdf time; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  bash scripts/install-deps.sh
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
mode=quick
[ "${1:-}" = "--full" ] && mode=full
export OMP_THREAD_LIMIT=1
BUILD=${BUILD:-build}
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
  cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$BUILD" -j2 --target scan-corpus scan-bench >/dev/null
BIN=$PWD/$BUILD/bin
work=bench/scans/work
rm -rf "$work"
mkdir -p "$work"
note() { echo "bench/scans: $*" >&2; }

if [ $mode = quick ]; then
  examples="examples/01-bewilligung-tettnang.xml examples/03-ablehnung-mindestbetrag-todtnau.xml
examples/05-zusammenschluss-bodensee.xml examples/07-ablehnung-fristende-ludwigsburg.xml"
  varied=3; seeds="1"
  ocr_variants=clean-300-png,mild-300-jpeg,scanner-300-pdf,skew5-200-tiff-lzw,bitonal-150-tiff-g4,blurred-150-png,heavy-600-pdf,nocode-300-tiff-lzw
  barcode_variants=clean-300-png,mild-300-jpeg,bitonal-150-tiff-g4,blurred-150-png,corrected-300-png,two-apps-300-tiff-g4,heavy-600-pdf,nocode-300-tiff-lzw
else
  examples="examples/01-bewilligung-tettnang.xml examples/03-ablehnung-mindestbetrag-todtnau.xml
examples/05-zusammenschluss-bodensee.xml examples/07-ablehnung-fristende-ludwigsburg.xml"
  varied=4; seeds="1 2"
  ocr_variants=clean-300-png,mild-300-jpeg,scanner-300-pdf,skew5-200-tiff-lzw,noisy-200-pnm,bitonal-150-tiff-g4,blurred-150-png,heavy-600-pdf,nocode-300-tiff-lzw
  barcode_variants=all
fi
speed_variants=clean-300-png,mild-300-jpeg

note "applications: $(echo $examples | wc -w) examples and $varied varied copies of each"
python3 bench/scans/vary.py --out "$work/apps" --count "$varied" $examples
apps="$examples $(ls "$work"/apps/*.xml)"

note "generating the corpus (seeds: $seeds)"
for s in $seeds; do
  # shellcheck disable=SC2086
  "$BIN/scan-corpus" --out "$work/ocr" --seed "$s" --no-barcode --variants "$ocr_variants" $apps >/dev/null
  # shellcheck disable=SC2086
  "$BIN/scan-corpus" --out "$work/barcode" --seed "$s" --variants "$barcode_variants" $apps >/dev/null
done
# The 300-dpi subsets, for pages per second with 1 and 2 workers.
for set in ocr barcode; do
  mkdir -p "$work/speed-$set"
  for v in ${speed_variants//,/ }; do
    for t in "$work/$set"/*_"${v}"_*.truth.json; do
      base=${t%.truth.json}
      # The truth file and the scan: one file (base.tif) or one per page
      # (base_p1.png ...), not a varied copy's (base-v1...).
      for f in "$base".* "$base"_p*; do
        [ -e "$f" ] && ln -s "$PWD/$f" "$work/speed-$set/"
      done
    done
  done
done

note "reading: OCR only, every variant"
"$BIN/scan-bench" --workers 1 "$work/ocr" >"$work/ocr.tsv" 2>"$work/ocr.log"
note "reading: with barcode, every variant"
"$BIN/scan-bench" --workers 1 "$work/barcode" >"$work/barcode.tsv" 2>"$work/barcode.log"
for set in ocr barcode; do
  for w in 1 2; do
    note "speed: $set, 300 dpi, $w worker(s)"
    "$BIN/scan-bench" --workers "$w" "$work/speed-$set" >"$work/speed-$set-$w.tsv" 2>/dev/null
  done
done

note "peers on the same 300-dpi pages (clean, OCR-only forms)"
pages=$(ls "$work"/ocr/*_clean-300-png_*_p*.png | head -n 6)
: >"$work/peers.tsv"
for p in $pages; do
  /usr/bin/time -f '%e %U %S' -o "$work/time" tesseract "$p" "$work/tess-out" -l deu >/dev/null 2>&1
  echo "tesseract $(cat "$work/time")" >>"$work/peers.tsv"
done
for p in $(echo "$pages" | head -n 3); do
  /usr/bin/time -f '%e %U %S' -o "$work/time" \
    ocrmypdf -q -j 1 -l deu --image-dpi 300 --output-type pdf "$p" "$work/ocrmypdf-out.pdf" >/dev/null 2>&1 || true
  echo "ocrmypdf $(cat "$work/time")" >>"$work/peers.tsv"
done

versions=$(dpkg-query -W -f='${Package} ${Version}\n' libtesseract5 tesseract-ocr-deu \
  liblept5 libzxing2 libpoppler-cpp0v5 ocrmypdf 2>/dev/null | tr '\n' ';')
python3 bench/scans/report.py --work "$work" --mode "$mode" \
  --cpu "$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)" \
  --cores "$(lscpu | sed -n 's/^CPU(s): *//p' | head -n 1)" \
  --inputs "$(for e in $examples; do basename "$e" .xml; done | sed 's/-.*//' | paste -sd, | sed 's/^/examples /')" \
  --versions "$versions" --commit "$(git rev-parse --short HEAD)" \
  >bench/scans/RESULTS.md
note "wrote bench/scans/RESULTS.md"
