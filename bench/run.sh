#!/usr/bin/env bash
# The benchmark harness: bescheid against the tools people would use instead,
# side by side on this machine and the same inputs. One command:
#
#   bench/run.sh            1,000 and 10,000 letters (about 20 min on 2 idle cores)
#   bench/run.sh --full     1,000, 10,000 and 100,000 letters (21-30 min on 2 idle cores, 2026-11-26/27)
#   bench/run.sh --quick    200 and 1,000 letters, for trying the harness
#
# Every size runs as ONE `bescheid process` (the files come from a list
# file, --from-list, never split by xargs), so time and peak memory per
# size are those of one process. Installs its peers and tools from Debian
# (BENCH_PACKAGES below), builds bescheid (in `build`, as configured there;
# Release when it is not configured yet) and writes bench/RESULTS.md and
# bench/growth.png (with bench/analysis.md, the hand-written reasons for
# missed targets, when it exists); BENCH_NOTE (optional) is printed as a caveat of the run
# (e.g. other work on the machine). When bench/scans/run.sh exists, it is run with --quick
# and its bench/scans/RESULTS.md becomes a section of bench/RESULTS.md.
# The watcher with scans (section 5, bench/watch_scans.py: 10 idle scans,
# a burst of 200 with XML every 0.5 s; 5 and 50 with --quick) adds about
# 10 min on 2 cores; it runs alone as
#   bench/watch_scans.py build/bin/bescheid build/bin/scan-corpus DIR
# Work files go to bench/work/ (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=default
case "${1:-}" in
  --quick) mode=quick ;;
  --full) mode=full ;;
  "") ;;
  *) echo "usage: bench/run.sh [--quick|--full]" >&2; exit 2 ;;
esac

# The peers and measuring tools, all Debian packages.
BENCH_PACKAGES="fop weasyprint python3-matplotlib time valgrind strace eatmydata"
need=()
for p in $BENCH_PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  bash scripts/install-deps.sh
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
PY=/usr/bin/python3  # Debian's, where weasyprint and matplotlib are installed
if ! grep -q '^CMAKE_BUILD_TYPE:' build/CMakeCache.txt 2>/dev/null; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' build/CMakeCache.txt)
cmake --build build -j"$(getconf _NPROCESSORS_ONLN)" --target bescheid letter_bench scan-corpus >/dev/null
BIN=$PWD/build/bin/bescheid
BENCH=$(find "$PWD/build" -name letter_bench -type f -perm -u+x | head -1)
# Decide on the demo date, inside the programme's decision period
# (programme.decision-period.*); otherwise every letter would go to review.
export SOURCE_DATE_EPOCH=1516622400
# Set, so that bescheid does not re-execute itself to set it (scan/ocr.h).
export OMP_THREAD_LIMIT=1

work=bench/work
# The previous run's files (100,000 letters and their applications) are
# moved aside and deleted only at the end, with this run's outputs (see
# spend below): deleting them here slowed the first sizes' file creation.
old_work=""
if [ -e "$work" ]; then
  old_work="$work.old.$(date +%s)"
  mv "$work" "$old_work"
fi
mkdir -p "$work"
results="$work/results.jsonl"
: > "$results"
note() { echo "bench: $(date -u +%H:%M:%S) $*" >&2; }
started=$(date -u +%s)
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)

case $mode in
  quick) sizes="200 1000"; sample=40; fop_sample=5; burst=200; profile=50; scan_idle=5; scan_burst=50 ;;
  full) sizes="1000 10000 100000"; sample=200; fop_sample=20; burst=1000; profile=200; scan_idle=10; scan_burst=200 ;;
  *) sizes="1000 10000"; sample=200; fop_sample=20; burst=1000; profile=200; scan_idle=10; scan_burst=200 ;;
esac
largest=${sizes##* }
gen="$work/gen"
ref="--define reference.gemeinden=$gen/gemeinden.csv"

note "generating $largest applications"
$PY bench/generate.py "$largest" "$gen"
ls "$gen/applications" | sed "s|^|$PWD/$gen/applications/|" > "$work/all.list"

# Runs `bescheid process` on the first N files of the list as one process
# under /usr/bin/time and appends a JSON line of kind $1.
#   run_process KIND N WORKERS OUT [wrapper...]
run_process() {
  local kind=$1 n=$2 w=$3 out=$4
  shift 4
  head -n "$n" "$work/all.list" > "$work/in-$n.list"
  spend "$out"
  sync
  /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$@" \
    "$BIN" process --workers "$w" --out "$out" --from-list "$work/in-$n.list" \
      --define store.path="$out/journal.sqlite" $ref >/dev/null 2>"$out.log" || true
  local wall user sys rss letters
  read -r wall user sys rss < "$work/time"
  letters=$(find "$out" -maxdepth 1 -name '*.pdf' | wc -l)
  echo "{\"kind\":\"$kind\",\"n\":$n,\"workers\":$w,\"letters\":$letters,\"wall_s\":$wall,\"user_s\":$user,\"sys_s\":$sys,\"maxrss_kb\":$rss}" >> "$results"
  spend "$out"
}

# Outputs are deleted only at the end (100,000 letters are 2.5 GB): ext4
# without a journal (this machine's disk) passes over inodes deleted less
# than 5-10 minutes before when it allocates one, so a run right after
# deleting the previous run's letters paid for it in system time (measured:
# 2000 letters, one worker, 1.5 s system time; 2.6 s after deleting 2000
# letters, 3.9 s after deleting 4000).
mkdir -p "$work/spent"
spend() { [ -e "$1" ] && mv "$1" "$work/spent/$(basename "$1").$(date +%s%N)"; true; }

# 0. This machine's cores: the same CPU-bound work (letter_bench, no disk)
#    pinned to each core alone, then two copies side by side; before and
#    after section 1, as the cores' speeds move. Two workers can scale no
#    further than two such copies do.
#   measure_cores WHEN
measure_cores() {
  local c wall user sys
  for c in $(seq 0 $(($(getconf _NPROCESSORS_ONLN) - 1))); do
    note "letter_bench 2000 renders, pinned to core $c ($1)"
    /usr/bin/time -f '%e %U %S' -o "$work/time" taskset -c "$c" "$BENCH" 2000 >/dev/null
    read -r wall user sys < "$work/time"
    echo "{\"kind\":\"core\",\"when\":\"$1\",\"cpu\":$c,\"renders\":2000,\"wall_s\":$wall,\"user_s\":$user,\"sys_s\":$sys}" >> "$results"
  done
  note "letter_bench 2000 renders, two copies side by side ($1)"
  /usr/bin/time -f '%e' -o "$work/time.a" "$BENCH" 2000 >/dev/null &
  /usr/bin/time -f '%e' -o "$work/time.b" "$BENCH" 2000 >/dev/null
  wait
  echo "{\"kind\":\"cores-side-by-side\",\"when\":\"$1\",\"renders\":2000,\"wall_s\":[$(cat "$work/time.a"),$(cat "$work/time.b")]}" >> "$results"
}
measure_cores before

# 1. bescheid process end to end (parse, validate, decide, render, durable
#    write, journal), 1 and 2 workers, each size in one process.
for n in $sizes; do
  for w in 1 2; do
    note "bescheid process: $n letters, $w worker(s), one process"
    run_process process "$n" "$w" "$work/out-$n-$w"
  done
done

measure_cores after

# 2. What the durable writes cost: the smallest size again with fsync and
#    fdatasync made no-ops (eatmydata), and the system calls per letter.
small=${sizes%% *}
note "bescheid process: $small letters without durable writes (eatmydata)"
run_process nosync "$small" 1 "$work/out-nosync" eatmydata
note "system calls per letter: strace -c, $profile letters"
out="$work/out-strace"
head -n "$profile" "$work/all.list" > "$work/strace.list"
strace -f -c -o "$work/strace.txt" "$BIN" process --out "$out" --from-list "$work/strace.list" \
  --define store.path="$out/journal.sqlite" $ref >/dev/null 2>&1 || true
echo "{\"kind\":\"strace\",\"letters\":$profile,\"file\":\"$work/strace.txt\"}" >> "$results"

# 3. Rendering alone and its profile: letter_bench renders one letter N
#    times (CPU by getrusage), and callgrind counts the instructions of 0
#    and $profile renders, so the difference is the letters' own.
note "letter_bench: 2000 renders"
"$BENCH" 2000 > "$work/letter_bench.txt"
echo "{\"kind\":\"render\",\"file\":\"$work/letter_bench.txt\"}" >> "$results"
note "callgrind: letter_bench 0 and $profile renders"
for r in 0 "$profile"; do
  valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.$r" "$BENCH" "$r" \
    >/dev/null 2>"$work/callgrind.$r.log"
  callgrind_annotate --inclusive=yes "$work/callgrind.$r" > "$work/callgrind.$r.txt" 2>/dev/null
done
echo "{\"kind\":\"callgrind\",\"renders\":$profile,\"base\":\"$work/callgrind.0.txt\",\"run\":\"$work/callgrind.$profile.txt\"}" >> "$results"
note "callgrind: bescheid process, $profile letters"
out="$work/out-callgrind"
valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.process" \
  "$BIN" process --out "$out" --from-list "$work/strace.list" \
  --define store.path="$out/journal.sqlite" $ref >/dev/null 2>"$work/callgrind.process.log" || true
callgrind_annotate --inclusive=yes "$work/callgrind.process" > "$work/callgrind.process.txt" 2>/dev/null
echo "{\"kind\":\"callgrind-process\",\"letters\":$profile,\"run\":\"$work/callgrind.process.txt\"}" >> "$results"

# 4. The same letters in the peers: markup from `bescheid preview`, turned
#    into HTML (WeasyPrint, warm in one process) and XSL-FO (FOP: one CLI
#    call per letter as batch scripts use it, and warm: one JVM rendering
#    one FO document with a page-sequence per letter).
note "peers: $sample letters"
mkdir -p "$work/sample"
head -n "$sample" "$work/all.list" > "$work/sample.list"
while read -r f; do
  name=$(basename "$f" .xml)
  cp "$f" "$work/sample/$name.xml"
  "$BIN" preview $ref "$f" > "$work/sample/$name.txt"
done < "$work/sample.list"
$PY bench/peers.py html "$work/sample"
$PY bench/peers.py fo "$work/sample"
for wrap in "" eatmydata; do
  out="$work/out-sample"
  spend "$out"
  /usr/bin/time -f '%e %U %S %M' -o "$work/time" $wrap "$BIN" process --out "$out" \
    --from-list "$work/sample.list" --define store.path="$out/journal.sqlite" $ref \
    >/dev/null 2>&1 || true
  read -r wall user sys rss < "$work/time"
  kind=sample-bescheid${wrap:+-nosync}
  echo "{\"kind\":\"$kind\",\"letters\":$sample,\"wall_s\":$wall,\"user_s\":$user,\"sys_s\":$sys}" >> "$results"
done
# The first of those letters alone: start-up and one letter, so that
# bescheid's marginal letter is measured as FOP's is (and WeasyPrint's,
# which leaves out its first letter).
out="$work/out-sample-1"
spend "$out"
head -n 1 "$work/sample.list" > "$work/sample-1.list"
/usr/bin/time -f '%e %U %S %M' -o "$work/time" "$BIN" process --out "$out" \
  --from-list "$work/sample-1.list" --define store.path="$out/journal.sqlite" $ref \
  >/dev/null 2>&1 || true
read -r wall user sys rss < "$work/time"
echo "{\"kind\":\"sample-bescheid-1\",\"letters\":1,\"wall_s\":$wall,\"user_s\":$user,\"sys_s\":$sys}" >> "$results"
note "peers: WeasyPrint warm, $sample letters"
wp=$($PY bench/peers.py weasyprint "$work/sample" "$work/weasyprint")
echo "{\"kind\":\"sample-weasyprint\",${wp#\{}" >> "$results"
note "peers: FOP started per letter, $fop_sample letters"
mkdir -p "$work/fop"
fos=$(ls "$work"/sample/*.fo | head -n "$fop_sample" | tr "\n" " ")
/usr/bin/time -f '%e %U %S %M' -o "$work/time" bash -c \
  "for f in $fos; do fop -c bench/fop.xconf -q -fo \$f -pdf $work/fop/\$(basename \$f .fo).pdf >/dev/null 2>&1; done"
read -r wall user sys rss < "$work/time"
echo "{\"kind\":\"sample-fop\",\"letters\":$fop_sample,\"wall_s\":$wall,\"user_s\":$user,\"sys_s\":$sys}" >> "$results"
for n in 1 "$sample"; do
  note "peers: FOP warm, $n letter(s) in one JVM"
  $PY bench/peers.py fo-batch "$work/sample" "$n" "$work/batch-$n.fo"
  /usr/bin/time -f '%e %U %S %M' -o "$work/time" \
    fop -c bench/fop.xconf -q -fo "$work/batch-$n.fo" -pdf "$work/fop/batch-$n.pdf" >/dev/null 2>&1
  read -r wall user sys rss < "$work/time"
  pages=$(pdfinfo "$work/fop/batch-$n.pdf" 2>/dev/null | awk '/^Pages:/{print $2}')
  echo "{\"kind\":\"fop-warm\",\"letters\":$n,\"pages\":${pages:-0},\"wall_s\":$wall,\"user_s\":$user,\"sys_s\":$sys}" >> "$results"
done

# 5. Watcher latency from drop to letter: idle, and under a burst.
for wmode in idle burst; do
  count=$([ $wmode = idle ] && echo 30 || echo $burst)
  note "watcher latency: $wmode, $count files"
  root="$work/watch-$wmode"
  mkdir -p "$root/inbox" "$root/staging"
  head -n "$count" "$work/all.list" | xargs -I{} cp {} "$root/staging/"
  "$BIN" watch --define watch.root="$root" --define store.path="$root/journal.sqlite" \
    $ref > "$root/log" 2>&1 &
  pid=$!
  for _ in $(seq 50); do grep -q watching "$root/log" 2>/dev/null && break; sleep 0.1; done
  lat=$($PY bench/latency.py "$root" "$root/log" "$root/staging" $wmode "$count")
  kill -TERM $pid; wait $pid || true
  echo "{\"kind\":\"latency\",${lat#\{}" >> "$results"
done

# 5b. The watcher with scans: 3-page OCR-only scans one at a time, then a
#     burst of them with XML dropped every 0.5 s while it drains, so that the
#     report shows whether XML starves behind scans (bench/watch_scans.py,
#     which can also be run alone).
note "watcher with scans: $scan_idle idle, a burst of $scan_burst with XML every 0.5 s"
$PY bench/watch_scans.py "$BIN" "$PWD/build/bin/scan-corpus" "$work/watch-scans" \
  --idle "$scan_idle" --burst "$scan_burst" >> "$results" \
  || note "watcher with scans failed; its part of section 5 is left out"

# 6. Scans, measured by their own harness when it exists.
scans_md=""
if [ -x bench/scans/run.sh ] || [ -f bench/scans/run.sh ]; then
  note "scans: bench/scans/run.sh --quick"
  if bash bench/scans/run.sh --quick; then
    scans_md=bench/scans/RESULTS.md
  else
    note "scans: bench/scans/run.sh failed; its section is left out"
  fi
fi

# 7. Report and growth plot.
{
  echo "machine: $(getconf _NPROCESSORS_ONLN) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo "load average (1/5/15 min) at the start: $load_at_start; at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "os: $(. /etc/os-release; echo "$PRETTY_NAME"), kernel $(uname -r)"
  echo "bescheid: $("$BIN" --version) ($(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- . ':(exclude)bench/RESULTS.md' ':(exclude)bench/growth.png' ':(exclude)bench/scans/RESULTS.md' 2>/dev/null || echo ', with uncommitted changes')), build type $build_type"
  echo "compiler: $(g++ --version | head -1)"
  echo "libharu: $(dpkg-query -W -f='${Version}' libhpdf-dev), SQLite $(dpkg-query -W -f='${Version}' libsqlite3-0), libdeflate $(dpkg-query -W -f='${Version}' libdeflate0)"
  if readelf -d "$BIN" | grep -q tcmalloc; then
    echo "allocator: tcmalloc $(dpkg-query -W -f='${Version}' libtcmalloc-minimal4)"
  else
    echo "allocator: glibc's malloc"
  fi
  echo "weasyprint: $(dpkg-query -W -f='${Version}' weasyprint)"
  echo "fop: $(dpkg-query -W -f='${Version}' fop), java $(java -version 2>&1 | sed -n '1s/.*"\(.*\)".*/\1/p')"
  echo "valgrind: $(valgrind --version), strace $(strace -V | head -1 | awk '{print $NF}')"
  echo "disk: $(df -h "$work" | awk 'NR==2{print $1", "$2}')"
  echo "mode: $mode (sizes $sizes), run time $(( ($(date -u +%s) - started) / 60 )) min"
} > "$work/machine.txt"
$PY bench/report.py "$results" "$work/machine.txt" bench/RESULTS.md bench/growth.png "$scans_md"
note "wrote bench/RESULTS.md and bench/growth.png"
rm -rf "$work/spent" ${old_work:+"$old_work"}
