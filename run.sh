#!/usr/bin/env bash
# Installs dependencies, builds bescheid and decides the bundled example
# applications into out/ (a fresh journal each run).
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$(nproc)"
rm -rf out
./build/bin/bescheid process --out out --define store.path=out/bescheid.sqlite examples/*.xml
echo
echo "Ergebnisse in out/:"
ls -1 out
