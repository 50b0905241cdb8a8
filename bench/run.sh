#!/usr/bin/env bash
# The benchmark harness: bescheid against the tools people would use instead,
# side by side on this machine and the same inputs. One command:
#
#   bench/run.sh            full run (1,000 and 10,000 letters; ~10 min)
#   bench/run.sh --quick    smaller sizes, for trying the harness
#
# Installs its peers from Debian (fop, weasyprint, gnuplot, time), builds
# bescheid in Release, and writes bench/RESULTS.md and bench/growth.png.
# Work files go to bench/work/ (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
[ "${1:-}" = "--quick" ] && quick=1

bash scripts/install-deps.sh
need=()
for p in fop weasyprint gnuplot-nox time python3; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
PY=/usr/bin/python3  # Debian's, where weasyprint is installed
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
BIN=$PWD/build/bin/bescheid
# Decide on the demo date, inside the programme's decision period
# (programme.decision-period.*); otherwise every letter would go to review.
export SOURCE_DATE_EPOCH=1516622400

work=bench/work
rm -rf "$work"
mkdir -p "$work"
results="$work/results.jsonl"
: > "$results"
note() { echo "bench: $*" >&2; }

if [ $quick -eq 1 ]; then sizes="200 1000"; sample=40; fop_sample=5; burst=200
else sizes="1000 2500 5000 10000"; sample=200; fop_sample=20; burst=1000; fi
largest=${sizes##* }

note "generating $largest applications"
$PY bench/generate.py "$largest" "$work/gen"

# 1. bescheid process end to end (parse, validate, decide, render, durable
#    write, journal), 1 and 2 workers, for each size.
for n in $sizes; do
  mkdir -p "$work/in-$n"
  ls "$work/gen/applications" | sed -n "1,${n}p" | sed "s|^|$PWD/$work/gen/applications/|" > "$work/in-$n.list"
  for w in 1 2; do
    note "bescheid process: $n letters, $w worker(s)"
    out="$work/out-$n-$w"
    rm -rf "$out"
    sync
    /usr/bin/time -f '%e %U %S %M' -o "$work/time" \
      xargs -a "$work/in-$n.list" "$BIN" process --workers "$w" --out "$out" \
        --define store.path="$out/journal.sqlite" \
        --define reference.gemeinden="$work/gen/gemeinden.csv" >/dev/null 2>"$work/log-$n-$w" || true
    read -r wall user sys rss < "$work/time"
    letters=$(find "$out" -name '*.pdf' | wc -l)
    echo "{\"kind\":\"process\",\"n\":$n,\"workers\":$w,\"letters\":$letters,\"wall_s\":$wall,\"user_s\":$user,\"sys_s\":$sys,\"maxrss_kb\":$rss}" >> "$results"
  done
done

# 2. The same letters in the peers: markup from `bescheid preview`, turned
#    into HTML (WeasyPrint, warm in one process) and XSL-FO (FOP, one CLI
#    call per letter as batch scripts use it).
note "peers: $sample letters"
mkdir -p "$work/sample"
for f in $(head -n "$sample" "$work/in-$largest.list"); do
  name=$(basename "$f" .xml)
  cp "$f" "$work/sample/$name.xml"
  "$BIN" preview --define reference.gemeinden="$work/gen/gemeinden.csv" "$f" > "$work/sample/$name.txt"
done
$PY bench/peers.py html "$work/sample"
$PY bench/peers.py fo "$work/sample"
# bescheid on exactly these inputs, end to end
out="$work/out-sample"
/usr/bin/time -f '%e %U %S %M' -o "$work/time" "$BIN" process --out "$out" \
  --define store.path="$out/journal.sqlite" --define reference.gemeinden="$work/gen/gemeinden.csv" \
  "$work"/sample/*.xml >/dev/null 2>&1 || true
read -r wall user sys rss < "$work/time"
echo "{\"kind\":\"sample-bescheid\",\"letters\":$sample,\"wall_s\":$wall,\"user_s\":$user,\"sys_s\":$sys}" >> "$results"
wp=$($PY bench/peers.py weasyprint "$work/sample" "$work/weasyprint")
echo "{\"kind\":\"sample-weasyprint\",${wp#\{}" >> "$results"
mkdir -p "$work/fop"
fos=$(ls "$work"/sample/*.fo | sed -n "1,${fop_sample}p" | tr "\n" " ")
/usr/bin/time -f '%e %U %S %M' -o "$work/time" bash -c \
  "for f in $fos; do fop -c bench/fop.xconf -q -fo \$f -pdf $work/fop/\$(basename \$f .fo).pdf >/dev/null 2>&1; done"
read -r wall user sys rss < "$work/time"
echo "{\"kind\":\"sample-fop\",\"letters\":$fop_sample,\"wall_s\":$wall,\"user_s\":$user,\"sys_s\":$sys}" >> "$results"

# 3. Watcher latency from drop to letter: idle, and under a burst.
for mode in idle burst; do
  count=$([ $mode = idle ] && echo 30 || echo $burst)
  note "watcher latency: $mode, $count files"
  root="$work/watch-$mode"
  mkdir -p "$root/inbox" "$root/staging"
  sed -n "1,${count}p" "$work/in-$largest.list" | xargs -I{} cp {} "$root/staging/"
  "$BIN" watch --define watch.root="$root" --define store.path="$root/journal.sqlite" \
    --define reference.gemeinden="$work/gen/gemeinden.csv" > "$root/log" 2>&1 &
  pid=$!
  for _ in $(seq 50); do grep -q watching "$root/log" 2>/dev/null && break; sleep 0.1; done
  lat=$($PY bench/latency.py "$root" "$root/log" "$root/staging" $mode "$count")
  kill -TERM $pid; wait $pid || true
  echo "{\"kind\":\"latency\",${lat#\{}" >> "$results"
done

# 4. Report and growth plot.
{
  echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo "os: $(. /etc/os-release; echo "$PRETTY_NAME"), kernel $(uname -r)"
  echo "bescheid: $("$BIN" --version) ($(git rev-parse --short HEAD 2>/dev/null || echo unknown))"
  echo "compiler: $(g++ --version | head -1)"
  echo "libharu: $(dpkg-query -W -f='${Version}' libhpdf-dev)"
  echo "weasyprint: $(dpkg-query -W -f='${Version}' weasyprint)"
  echo "fop: $(dpkg-query -W -f='${Version}' fop), java $(java -version 2>&1 | sed -n '1s/.*"\(.*\)".*/\1/p')"
  echo "disk: $(df -h "$work" | awk 'NR==2{print $1", "$2}')"
} > "$work/machine.txt"
$PY bench/report.py "$results" "$work/machine.txt" bench/RESULTS.md "$work/growth.dat"
gnuplot -e "set terminal pngcairo size 800,450; set output 'bench/growth.png';
  set title 'bescheid process, 1 worker: time and peak memory by batch size';
  set xlabel 'applications'; set ylabel 'wall time (s)'; set y2label 'peak RSS (MiB)';
  set ytics nomirror; set y2tics; set key left top; set grid;
  set yrange [0:*]; set y2range [0:*];
  plot '$work/growth.dat' using 1:2 with linespoints title 'wall time',
       '' using 1:3 axes x1y2 with linespoints title 'peak RSS'"
note "wrote bench/RESULTS.md and bench/growth.png"
