#!/usr/bin/env bash
# Regenerates examples/letters/ (one letter of each kind) and the README
# pictures (a letter, the paper form) from the real program output. Run after changing templates or
# layout; needs a build (./test.sh or cmake --build build).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The demo date 22.01.2018 12:00 UTC (as in run.sh): inside the decision
# period; letter and PDF dates are reproducible.
SOURCE_DATE_EPOCH=1516622400 ./build/bin/bescheid process --out "$work" \
  --define store.path="$work/journal.sqlite" examples/*.xml >/dev/null 2>&1 || true
mkdir -p examples/letters docs/images
cp "$work/RPS15-IM-2017-00001.pdf" examples/letters/zuwendungsbescheid.pdf
cp "$work/RPS15-IM-2017-00002.pdf" examples/letters/teilbewilligung.pdf
cp "$work/RPS15-IM-2017-00003.pdf" examples/letters/ablehnungsbescheid.pdf
cp "$work/RPS15-IM-2017-00004.pdf" examples/letters/nachforderung.pdf
cp "$work/RPS15-IM-2017-00005.pdf" examples/letters/zusammenschluss.pdf
pdftoppm -r 80 -f 1 -l 1 -png -singlefile examples/letters/zuwendungsbescheid.pdf \
  docs/images/zuwendungsbescheid-seite1
SOURCE_DATE_EPOCH=1516622400 ./build/bin/bescheid form \
  --prefill examples/05-zusammenschluss-bodensee.xml --sample-signature \
  --out "$work/formular.pdf" >/dev/null
pdftoppm -r 60 -f 1 -l 1 -png -singlefile "$work/formular.pdf" \
  docs/images/formular-seite1
ls -l examples/letters docs/images
