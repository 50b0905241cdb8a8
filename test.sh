#!/usr/bin/env bash
# Installs dependencies, builds bescheid and runs every test (ctest).
#
#   ./test.sh             RelWithDebInfo build in build/ (optimised, assert()
#                         kept), whole ctest suite
#   ./test.sh --sanitize  whole suite under ASan+UBSan (build-asan/), then the
#                         daemon tests under TSan (build-tsan/)
#
# Integration tests start the built bescheid binary, so under --sanitize the
# binary is instrumented too and inherits the options below.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/install-deps.sh
jobs="$(nproc)"
# Tesseract's OpenMP: one thread per engine (scan/ocr.h); set before the
# runtime loads, so that tests and the binaries they start need no re-exec.
export OMP_THREAD_LIMIT=1

# configure_and_build DIR [CMAKE_ARGS...] [-- BUILD_ARGS...]: configures DIR
# as RelWithDebInfo (asserts on) and builds it.
configure_and_build() {
  local dir="$1" cmake_args=() build_args=()
  shift
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do cmake_args+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  build_args=("$@")
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "${cmake_args[@]}"
  cmake --build "$dir" -j"$jobs" "${build_args[@]}"
}

if [ "${1:-}" != "--sanitize" ]; then
  configure_and_build build
  cd build
  ctest --output-on-failure -j"$jobs"
  exit 0
fi

suppressions="$PWD/tests/sanitizers"
# Any report ends the process with a stack trace; leaks count as errors.
# Reports go to files under <build dir>/sanitizer-reports/ as well as being
# counted by ctest: the watch tests run `bescheid watch` as a child whose
# stderr lands in a temporary directory and which they may SIGKILL, so a
# report there would otherwise vanish. Any report file fails the run.
sanitizer_options() {  # sanitizer_options REPORT_DIR
  local log="log_path=$1/report"
  export ASAN_OPTIONS="halt_on_error=1:print_stacktrace=1:detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1:$log"
  export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:$log"
  export LSAN_OPTIONS="suppressions=$suppressions/lsan.supp:print_suppressions=0"
  export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$suppressions/tsan.supp:$log"
}

# run_ctest DIR CTEST_ARGS...: runs ctest in DIR with reports collected in
# DIR/sanitizer-reports; fails if ctest fails or any report was written.
run_ctest() {
  local dir="$1" status=0
  shift
  rm -rf "$dir/sanitizer-reports"
  mkdir -p "$dir/sanitizer-reports"
  sanitizer_options "$PWD/$dir/sanitizer-reports"
  (cd "$dir" && ctest --output-on-failure -j"$jobs" "$@") || status=$?
  if [ -n "$(ls -A "$dir/sanitizer-reports")" ]; then
    for r in "$dir"/sanitizer-reports/*; do
      echo "test.sh: sanitizer report $r:"
      head -60 "$r"
    done
    status=1
  fi
  return "$status"
}

echo "test.sh: ASan+UBSan build in build-asan/, whole suite"
start=$SECONDS
configure_and_build build-asan -DBESCHEID_SANITIZE=address
run_ctest build-asan
echo "test.sh: ASan+UBSan stage took $((SECONDS - start)) s"

echo "test.sh: TSan build in build-tsan/, daemon tests"
start=$SECONDS
configure_and_build build-tsan -DBESCHEID_SANITIZE=thread -- \
  --target daemon_test bescheid
run_ctest build-tsan -L '^daemon_test$'
echo "test.sh: TSan stage took $((SECONDS - start)) s"
