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

for d in inbox processing outbox archive rejected duplicates review; do
  rm -rf "watch-dirs/$d"
done
rm -f var/demo.sqlite var/demo.sqlite-wal var/demo.sqlite-shm
mkdir -p watch-dirs/inbox var

# The demo's fixed date, 22.01.2018 12:00 UTC: inside the programme's
# decision period (programme.decision-period.*), after every example's
# receipt; letters and PDF dates are reproducible. Override by exporting
# SOURCE_DATE_EPOCH.
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-1516622400}"
./build-run/bin/bescheid watch --define store.path=var/demo.sqlite &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
sleep 1
cp examples/*.xml watch-dirs/inbox/
echo "run.sh: $(ls examples/*.xml | wc -l) Anträge in watch-dirs/inbox/ abgelegt; warte auf die Bescheide ..."

expected=$(ls examples/*.xml | wc -l)
for _ in $(seq 1 120); do
  letters=$(find watch-dirs/outbox -name '*.pdf' 2>/dev/null | wc -l)
  pending=$(find watch-dirs/inbox watch-dirs/processing -type f 2>/dev/null | wc -l)
  if [ "$letters" -ge "$expected" ] && [ "$pending" -eq 0 ]; then break; fi
  sleep 1
done

if [ "${1:-}" = "--keep-running" ]; then
  echo "run.sh: der Dienst läuft weiter; Dateien in watch-dirs/inbox/ ablegen, Ctrl-C beendet."
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
letters=$(find watch-dirs/outbox -name '*.pdf' | wc -l)
if [ "$letters" -ne "$expected" ]; then
  echo "run.sh: erwartet $expected Bescheide, erstellt $letters" >&2
  exit 1
fi
