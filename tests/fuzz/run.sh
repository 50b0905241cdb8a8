#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan+UBSan, build-fuzz/) and runs each
# for SECONDS (default 60) from its seed corpus in tests/fuzz/corpus/<target>/.
# New inputs go to build-fuzz/corpus/<target>/; a crash, leak, sanitizer
# report or timeout leaves its input in tests/fuzz/crashes/<target>-... and
# makes the script exit non-zero after all targets have run.
#
#   tests/fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(fuzz_application_xml fuzz_letter_render fuzz_config
           fuzz_reference_csv fuzz_scan_intake)
fi

CC=clang CXX=clang++ cmake -S . -B build-fuzz \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBESCHEID_FUZZ=ON \
  -DBESCHEID_SANITIZE=address -DBESCHEID_BUILD_TESTS=OFF
cmake --build build-fuzz -j2 --target "${targets[@]}"

# Longest input worth trying per target: a few times the largest seed.
declare -A max_len=(
  [fuzz_application_xml]=16384
  [fuzz_letter_render]=2048
  [fuzz_config]=8192
  [fuzz_reference_csv]=4096
  [fuzz_scan_intake]=16384
)
export ASAN_OPTIONS="halt_on_error=1:print_stacktrace=1:detect_leaks=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"

mkdir -p tests/fuzz/crashes
failed=()
for t in "${targets[@]}"; do
  mkdir -p "build-fuzz/corpus/$t"
  dict=()
  if [ -f "tests/fuzz/$t.dict" ]; then dict=("-dict=tests/fuzz/$t.dict"); fi
  echo "fuzz/run.sh: $t for ${seconds}s"
  if ! "build-fuzz/bin/$t" "build-fuzz/corpus/$t" "tests/fuzz/corpus/$t" \
      "${dict[@]}" -max_total_time="$seconds" -max_len="${max_len[$t]:-4096}" \
      -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
      -artifact_prefix="tests/fuzz/crashes/$t-" \
      >"build-fuzz/$t.log" 2>&1; then
    failed+=("$t")
    echo "fuzz/run.sh: $t FAILED; see build-fuzz/$t.log and tests/fuzz/crashes/"
    grep -A30 -m1 "ERROR\|runtime error\|deadly signal\|timeout" \
      "build-fuzz/$t.log" || tail -30 "build-fuzz/$t.log"
  else
    grep -E "^stat::(number_of_executed_units|new_units_added)" \
      "build-fuzz/$t.log" || true
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz/run.sh: failures in ${failed[*]}" >&2
  exit 1
fi
echo "fuzz/run.sh: no crashes in ${targets[*]}"
