#!/usr/bin/env bash
# Builds the Debian package of bescheid and promises, on exit 0, exactly one
# file OUTDIR/bescheid_<version>_<arch>.deb (its path is the last line of
# output). The program is a Release build without tests, compiled with
# Debian's hardening flags (dpkg-buildflags), in its own build directory:
#
#   scripts/make-deb.sh OUTDIR [BUILD_DIR]      (BUILD_DIR default: build-deb/)
#
# BUILD_DIR is kept, so a second run only rebuilds what changed. Needs the
# packages of scripts/install-deps.sh (it runs it; dpkg-dev for
# dpkg-shlibdeps, which names the library dependencies).
set -euo pipefail
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 OUTDIR [BUILD_DIR]" >&2
  exit 2
fi
source_dir="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$1"
out_dir="$(cd "$1" && pwd)"
build_dir="${2:-$source_dir/build-deb}"
mkdir -p "$build_dir"
build_dir="$(cd "$build_dir" && pwd)"

bash "$source_dir/scripts/install-deps.sh" >&2
cd "$source_dir"  # dpkg-buildflags maps this path away (-ffile-prefix-map)

export DEB_BUILD_MAINT_OPTIONS="hardening=+all"
cxxflags="$(dpkg-buildflags --get CPPFLAGS) $(dpkg-buildflags --get CXXFLAGS)"
ldflags="$(dpkg-buildflags --get LDFLAGS)"

cmake -S "$source_dir" -B "$build_dir" \
  -DCMAKE_BUILD_TYPE=Release -DBESCHEID_BUILD_TESTS=OFF \
  -DBESCHEID_SANITIZE= -DBESCHEID_FUZZ=OFF \
  -DCMAKE_INSTALL_PREFIX=/usr \
  -DCMAKE_CXX_FLAGS="$cxxflags" -DCMAKE_EXE_LINKER_FLAGS="$ldflags" >&2
cmake --build "$build_dir" -j"$(nproc)" >&2

# Only the package of this run may end up in OUTDIR.
rm -f "$build_dir"/bescheid_*.deb
(cd "$build_dir" && cpack -G DEB >&2)
debs=("$build_dir"/bescheid_*.deb)
if [ ${#debs[@]} -ne 1 ] || [ ! -f "${debs[0]}" ]; then
  echo "make-deb: expected one bescheid_*.deb in $build_dir, got: ${debs[*]}" >&2
  exit 1
fi
deb_name="$(basename "${debs[0]}")"
rm -f "$out_dir/$deb_name"
mv "${debs[0]}" "$out_dir/$deb_name"
echo "$out_dir/$deb_name"
