#!/usr/bin/env bash
# The main job on the bundled examples: installs dependencies, builds (in
# build-run/, Release, without the tests), starts the watcher on watch-dirs/
# with the embedded SQLite store, drops the example applications into
# watch-dirs/inbox/ and shows where the letters appear. Each run starts from
# empty folders and a fresh demo journal (var/demo.sqlite). With
# --keep-running the watcher stays in the foreground afterwards (Ctrl-C
# stops it).
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/install-deps.sh
# Its own build directory without the tests, so it never reconfigures
# ./test.sh's build/ (RelWithDebInfo with tests) back and forth.
cmake -S . -B build-run -DCMAKE_BUILD_TYPE=Release -DBESCHEID_BUILD_TESTS=OFF
cmake --build build-run -j"$(nproc)"

for d in inbox processing outbox archive rejected duplicates review entwurf; do
  rm -rf "watch-dirs/$d"
done
rm -f var/demo.sqlite var/demo.sqlite-wal var/demo.sqlite-shm
mkdir -p watch-dirs/inbox var

# The demo's fixed date, 22.01.2018 12:00 UTC: inside the programme's
# decision period (programme.decision-period.*), after every example's
# receipt; letters and PDF dates are reproducible. Override by exporting
# SOURCE_DATE_EPOCH.
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-1516622400}"
export OMP_THREAD_LIMIT=1  # Tesseract: one thread per OCR engine
# release.mode=auto: letters go straight to outbox/<date>/; a production
# service (the installed configuration and unit) keeps them in entwurf/ for
# a second person's release (docs/release.md).
echo "run.sh: release.mode=auto - die Bescheide gehen ohne Schlusszeichnung direkt in watch-dirs/outbox/ (im Betrieb: manual, siehe docs/release.md)."
# The review station listens on 127.0.0.1:${BESCHEID_HTTP_PORT:-8080}
# (http.port); its users are in var/users (bescheid user add).
port="${BESCHEID_HTTP_PORT:-8080}"
./build-run/bin/bescheid watch --define store.path=var/demo.sqlite --define release.mode=auto --define http.port="$port" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
sleep 1
cp examples/*.xml watch-dirs/inbox/
echo "run.sh: $(ls examples/*.xml | wc -l) Anträge in watch-dirs/inbox/ abgelegt; warte auf die Bescheide ..."
# The scanned forms after them (examples/scans/README.md): two get a
# letter, the hand-corrected one goes to review/<id>/.
sleep 2
cp examples/scans/*.tif watch-dirs/inbox/
echo "run.sh: $(ls examples/scans/*.tif | wc -l) gescannte Anträge abgelegt."

scan_letters=2
expected=$(( $(ls examples/*.xml | wc -l) + scan_letters ))
for _ in $(seq 1 180); do
  letters=$(find watch-dirs/outbox -name '*.pdf' ! -name '*_nachrichtlich_*' 2>/dev/null | wc -l)
  pending=$(find watch-dirs/inbox watch-dirs/processing -type f 2>/dev/null | wc -l)
  if [ "$letters" -ge "$expected" ] && [ "$pending" -eq 0 ]; then break; fi
  sleep 1
done

if [ "${1:-}" = "--keep-running" ]; then
  echo "run.sh: der Dienst läuft weiter; Dateien in watch-dirs/inbox/ ablegen, Ctrl-C beendet."
  echo "run.sh: Prüf- und Freigabestelle: http://127.0.0.1:$port/ (Benutzer anlegen: ./build-run/bin/bescheid user add NAME --role sachbearbeitung -D store.path=var/demo.sqlite)"
  trap - EXIT
  wait "$pid"
  exit $?
fi
kill -TERM "$pid"
wait "$pid"
trap - EXIT
echo
echo "Ergebnisse:"
find watch-dirs -type f ! -name README.md | sort
echo
echo "Gescannte Anträge:"
for scan in examples/scans/*.tif; do
  name=$(basename "$scan")
  record=$(grep -l "<Datei>$name</Datei>" watch-dirs/outbox/*/*.decision.xml 2>/dev/null | head -n 1 || true)
  review=$(grep -l "\"datei\": \"$name\"" watch-dirs/review/*/felder.json 2>/dev/null | head -n 1 || true)
  if [ -n "$record" ]; then
    echo "  $name: $(sed -n 's|.*<Art>\(.*\)</Art>.*|\1|p' "$record"), Bescheid ${record%.decision.xml}.pdf"
  elif [ -n "$review" ]; then
    echo "  $name: zur Prüfung in $(dirname "$review")/ ($(sed -n 2p "$(dirname "$review")/grund.txt"))"
  else
    echo "  $name: kein Ergebnis (siehe watch-dirs/rejected/)"
  fi
done
letters=$(find watch-dirs/outbox -name '*.pdf' ! -name '*_nachrichtlich_*' | wc -l)
if [ "$letters" -ne "$expected" ]; then
  echo "run.sh: erwartet $expected Bescheide, erstellt $letters" >&2
  exit 1
fi
