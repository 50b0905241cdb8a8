#!/usr/bin/env bash
# Installs every build, test and run-time dependency of bescheid from Debian's
# packages. Idempotent: packages already present are skipped, so a second run
# costs one dpkg query and no network.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake pkg-config
  # core libraries
  libpoco-dev libxml2-dev libxml2-utils
  # letters
  libhpdf-dev libkainjow-mustache-dev fonts-dejavu-core icc-profiles-free
  libharfbuzz-dev  # HarfBuzz subsetter: fonts cut to the letters' characters
  libdeflate-dev   # the letters' streams compressed (faster than zlib)
  # tcmalloc for bescheid and the benchmarks (cmake/Allocator.cmake)
  libgoogle-perftools-dev
  # letter checks in the tests
  poppler-utils qpdf
  # the paper form and scans: 2D barcodes, PDF rasterising, image processing,
  # OCR with the German model; a handwriting-like font for test forms; zlib
  # compresses the form's barcode payload
  libzxing-dev libpoppler-cpp-dev libleptonica-dev zlib1g-dev
  libtesseract-dev tesseract-ocr-deu fonts-dkg-handwriting
  # scan intake: a PDF's structure and active content checked before
  # rendering
  libqpdf-dev
  # print batches (bescheid print): libcups to talk to the CUPS server
  libcups2-dev
  # print test: the test starts its own cupsd with a cups-pdf queue
  cups printer-driver-cups-pdf
  # tests
  googletest libgtest-dev libgmock-dev
  # the review station: HTTP server (Poco::Net, in libpoco-dev), password
  # hashes and random ids through OpenSSL
  libssl-dev
  # browser test of the review station (tests/e2e/station_e2e.py): Debian's
  # headless Chromium driven by Selenium
  chromium chromium-driver python3-selenium
  # the Debian package (scripts/make-deb.sh): dpkg-shlibdeps names the
  # library dependencies, CPack finds ELF files with file(1); lintian is
  # optional (large): the packaging test runs it when it is installed
  dpkg-dev file
)
# The benchmarks' peers and tools are not needed to build, run or test;
# bench/run.sh and bench/scans/run.sh install them.

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
