#!/usr/bin/env bash
# Packaging test (ctest label "packaging"): builds the .deb with
# scripts/make-deb.sh, unpacks it into a scratch root and checks that
#  - the package has the Debian layout (program, configuration, reference
#    table, templates, schemas, fonts and licence, unit, manual page,
#    completion, state directory; nothing in /srv);
#  - /etc/bescheid/bescheid.properties is config/bescheid.properties with
#    only the path keys changed, each to an absolute path that exists in the
#    package (or is the state directory / watch root);
#  - the unit is config/bescheid.service, pointing at /usr/bin/bescheid and
#    the installed configuration;
#  - conffiles lists every file below /etc, the control fields are set and
#    the maintainer scripts parse;
#  - the manual page and the completion know every subcommand and option the
#    program's --help lists;
#  - the unpacked program validates and decides examples/01 with the
#    installed configuration (path keys moved into the scratch root with
#    --define: the program is not relocatable);
#  - lintian, when installed, reports no error (warnings are printed).
#
#   tests/packaging/deb_test.sh SOURCE_DIR BUILD_DIR
#
# BUILD_DIR is make-deb.sh's Release build directory; it is kept, so later
# runs only rebuild what changed.
set -euo pipefail
source_dir="$(cd "$1" && pwd)"
build_dir="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0
fail() {
  echo "deb_test: FAIL: $*" >&2
  failures=$((failures + 1))
}
step() { echo "deb_test: [$SECONDS s] $*"; }

step "building the package (scripts/make-deb.sh, build dir $build_dir)"
deb="$("$source_dir/scripts/make-deb.sh" "$work/out" "$build_dir" | tail -1)"
step "built $deb"

version="$(sed -n 's/^project(bescheid VERSION \([0-9.]*\).*/\1/p' "$source_dir/CMakeLists.txt")"
arch="$(dpkg --print-architecture)"
[ "$(basename "$deb")" = "bescheid_${version}_${arch}.deb" ] ||
  fail "package name $(basename "$deb"), expected bescheid_${version}_${arch}.deb"

root="$work/root"
dpkg-deb -x "$deb" "$root"
dpkg-deb -e "$deb" "$work/control"
dpkg-deb -c "$deb" >"$work/contents"

# --- Layout
for f in usr/bin/bescheid etc/bescheid/bescheid.properties \
  lib/systemd/system/bescheid.service usr/share/man/man1/bescheid.1.gz \
  usr/share/bash-completion/completions/bescheid \
  usr/share/doc/bescheid/copyright usr/share/doc/bescheid/changelog.gz; do
  [ -f "$root/$f" ] || fail "/$f missing"
done
[ -x "$root/usr/bin/bescheid" ] || fail "/usr/bin/bescheid not executable"
[ -d "$root/var/lib/bescheid" ] || fail "/var/lib/bescheid missing"
[ ! -e "$root/srv" ] || fail "the package ships files in /srv"
diff -r "$source_dir/templates/letters" "$root/usr/share/bescheid/templates/letters" ||
  fail "templates differ from templates/letters"
for xsd in "$source_dir"/schemas/*.xsd; do
  cmp -s "$xsd" "$root/usr/share/bescheid/schemas/$(basename "$xsd")" ||
    fail "schema $(basename "$xsd") missing or different"
done
ls "$root"/usr/share/bescheid/fonts/LICENSE* >/dev/null 2>&1 || fail "font licence missing"
gzip -t "$root/usr/share/man/man1/bescheid.1.gz" || fail "manual page is no gzip file"
bash -n "$root/usr/share/bash-completion/completions/bescheid" || fail "completion does not parse"

# --- Installed configuration
config="$root/etc/bescheid/bescheid.properties"
value() {  # value KEY: the value of KEY in the installed configuration
  sed -n "s/^[[:space:]]*${1//./\\.}[[:space:]]*[=:][[:space:]]*//p" "$config" | tail -1
}
path_keys="reference.gemeinden letters.templates letters.font.regular letters.font.bold forms.layout store.path watch.root log.file"
for key in reference.gemeinden letters.templates letters.font.regular letters.font.bold \
  forms.layout; do
  v="$(value "$key")"
  case "$v" in
    /*) [ -e "$root$v" ] || fail "$key = $v: not in the package" ;;
    *) fail "$key = '$v' is not absolute" ;;
  esac
done
[ "$(value reference.gemeinden)" = /etc/bescheid/reference/gemeinden.csv ] ||
  fail "reference.gemeinden = $(value reference.gemeinden)"
[ "$(value letters.templates)" = /usr/share/bescheid/templates/letters ] ||
  fail "letters.templates = $(value letters.templates)"
cmp -s "$source_dir/templates/forms/antrag-1.0.form" "$root$(value forms.layout)" ||
  fail "forms.layout = $(value forms.layout): not the source's form layout"
for key in letters.font.regular letters.font.bold; do
  src="$(sed -n "s/^[[:space:]]*${key//./\\.}[[:space:]]*=[[:space:]]*//p" "$source_dir/config/bescheid.properties" | tail -1)"
  [ "$(value "$key")" = "/usr/share/bescheid/fonts/$(basename "$src")" ] ||
    fail "$key = $(value "$key"), source names $src"
done
[ "$(value store.path)" = /var/lib/bescheid/bescheid.sqlite ] || fail "store.path = $(value store.path)"
[ "$(value watch.root)" = /srv/bescheid/watch-dirs ] || fail "watch.root = $(value watch.root)"
[ -z "$(value log.file)" ] || fail "log.file = $(value log.file), expected empty (journald)"
[ "$(value release.mode)" = manual ] || fail "release.mode = $(value release.mode), expected manual"
# Everything but the path keys, release.mode and the generated header is the
# source file.
strip_paths() {
  local re
  re="^[[:space:]]*($(echo "$path_keys release.mode" | sed 's/\./\\./g; s/ /|/g'))[[:space:]]*[=:]"
  grep -Ev "$re" "$1"
}
diff <(strip_paths "$source_dir/config/bescheid.properties") \
  <(strip_paths "$config" | sed '1,/^$/d') ||
  fail "installed configuration differs from config/bescheid.properties beyond the path keys"

# --- Unit
unit="$root/lib/systemd/system/bescheid.service"
grep -qx 'ExecStart=/usr/bin/bescheid watch --config /etc/bescheid/bescheid.properties --define release.mode=manual' "$unit" ||
  fail "unit: ExecStart is $(grep ExecStart= "$unit")"
cmp -s "$source_dir/config/bescheid.service" "$unit" ||
  fail "unit differs from config/bescheid.service"
if command -v systemd-analyze >/dev/null; then
  # Syntax only: diagnostics naming a line of the unit (unknown keys, bad
  # values). That /usr/bin/bescheid is not installed here is expected.
  cp "$unit" "$work/bescheid.service"
  unit_errors="$(systemd-analyze verify --man=no "$work/bescheid.service" 2>&1 |
    grep -E '\.service:[0-9]+:' || true)"
  [ -z "$unit_errors" ] || fail "systemd-analyze: $unit_errors"
fi

# --- Control
conffiles_expected="$(cd "$root" && find etc -type f | sed 's|^|/|' | sort)"
[ "$(sort "$work/control/conffiles")" = "$conffiles_expected" ] ||
  fail "conffiles: $(tr '\n' ' ' <"$work/control/conffiles"), expected: $(echo $conffiles_expected)"
depends="$(dpkg-deb -f "$deb" Depends)"
for dep in libpoco libxml2 libhpdf libzxing icc-profiles-free fonts-dkg-handwriting adduser; do
  [[ "$depends" == *"$dep"* ]] || fail "Depends lacks $dep: $depends"
done
[ "$(dpkg-deb -f "$deb" Section)" = admin ] || fail "Section is not admin"
changelog_version="$(zcat "$root/usr/share/doc/bescheid/changelog.gz" | sed -n '1s/^bescheid (\([^)]*\)).*/\1/p')"
[ "$changelog_version" = "$version" ] ||
  fail "packaging/changelog's newest entry is $changelog_version, the project is $version"
[ -n "$(dpkg-deb -f "$deb" Maintainer)" ] || fail "no Maintainer"
for s in postinst prerm postrm; do
  [ -x "$work/control/$s" ] || fail "control/$s missing or not executable"
  sh -n "$work/control/$s" || fail "control/$s does not parse"
done

# --- Manual page and completion know what --help lists
help="$("$root/usr/bin/bescheid" --help)"
man_text="$(zcat "$root/usr/share/man/man1/bescheid.1.gz")"
completion="$(cat "$root/usr/share/bash-completion/completions/bescheid")"
for opt in $(grep -o -- '--[a-z][a-z-]*' <<<"$help" | sort -u); do
  grep -qF -- "\\-\\-${opt#--}" <<<"$man_text" || fail "manual page lacks $opt"
  grep -qF -- "$opt" <<<"$completion" || fail "completion lacks $opt"
done
for cmd in $(sed -n '/^Befehle:/,/^$/s/^  \([a-z]*\) .*/\1/p' <<<"$help"); do
  grep -q "^\.B[IR]* $cmd\b" <<<"$man_text" || fail "manual page lacks command $cmd"
  grep -qw -- "$cmd" <<<"$completion" || fail "completion lacks command $cmd"
done
if command -v groff >/dev/null; then
  warnings="$(groff -man -Tutf8 -ww -z <<<"$man_text" 2>&1)"
  [ -z "$warnings" ] || fail "groff: $warnings"
fi

# --- The unpacked program with the installed configuration
mkdir -p "$work/cwd"
cd "$work/cwd"  # no config/bescheid.properties below: only the installed one
defines=()
for key in reference.gemeinden letters.templates letters.font.regular letters.font.bold \
  forms.layout; do
  defines+=(-D "$key=$root$(value "$key")")
done
defines+=(-D "store.path=$work/journal.sqlite")
example="$source_dir/examples/01-bewilligung-tettnang.xml"
step "bescheid validate"
status=0
"$root/usr/bin/bescheid" validate --config "$config" "${defines[@]}" "$example" \
  >"$work/validate.out" 2>"$work/validate.err" || status=$?
cat "$work/validate.out" "$work/validate.err"
[ "$status" -eq 0 ] || fail "validate exited $status"
grep -q "gültig" "$work/validate.out" || fail "validate did not say gültig"
step "bescheid process"
status=0
# Decided on the demo date, inside the configured decision period.
SOURCE_DATE_EPOCH=1516622400 \
"$root/usr/bin/bescheid" process --config "$config" "${defines[@]}" --out "$work/letters" "$example" \
  >"$work/process.out" 2>"$work/process.err" || status=$?
cat "$work/process.out" "$work/process.err"
[ "$status" -eq 0 ] || fail "process exited $status"
pdfs=("$work"/letters/*.pdf)
if [ -f "${pdfs[0]}" ] && [ "$(head -c 5 "${pdfs[0]}")" = "%PDF-" ]; then
  echo "deb_test: letter $(basename "${pdfs[0]}") ($(stat -c %s "${pdfs[0]}") bytes)"
else
  fail "process wrote no PDF"
fi
step "bescheid form"
status=0
"$root/usr/bin/bescheid" form --config "$config" "${defines[@]}" --prefill "$example" \
  --out "$work/form.pdf" >"$work/form.out" 2>"$work/form.err" || status=$?
cat "$work/form.out" "$work/form.err"
[ "$status" -eq 0 ] || fail "form exited $status"
[ "$(head -c 5 "$work/form.pdf" 2>/dev/null)" = "%PDF-" ] || fail "form wrote no PDF"
if grep -q "unknown configuration key" "$work/validate.err" "$work/process.err" "$work/process.out"; then
  fail "the installed configuration has keys the program does not know"
fi
cd "$source_dir"

# --- lintian
if command -v lintian >/dev/null; then
  step "lintian"
  status=0
  lintian --fail-on error --display-level '>=warning' "$deb" || status=$?
  [ "$status" -eq 0 ] || fail "lintian reported errors (exit $status)"
else
  step "lintian not installed; skipped (apt-get install lintian)"
fi

step "done, $failures failure(s)"
[ "$failures" -eq 0 ]
