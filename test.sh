#!/usr/bin/env bash
# Installs dependencies, builds bescheid and runs every test (ctest). The
# build is RelWithDebInfo, which this project compiles without NDEBUG:
# optimised, with assert() on.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$(nproc)"
cd build
ctest --output-on-failure -j"$(nproc)"
