#!/bin/sh
# CI's package step (.ci/run): builds the Debian package with `make deb`, holds it to lintian (no
# error, no warning), installs it with apt-get, runs the installed-package test (debian/tests/
# diagnose, autopkgtest's layout) against the installed binary, removes the package and checks
# that nothing of it is left. Needs root (apt-get); otherwise one SKIP line. Skipped too when a
# dartscan package is already installed: the step would replace it.
# Prints PASS/FAIL/SKIP lines and closes with "N passed, N failed, N skipped".
set -u
MAKE=${MAKE:-make}
B=${B:-build}
pass=0 fail=0 skipped=0
ok() { echo "PASS package/$1"; pass=$((pass + 1)); }
ko() { echo "FAIL package/$1: $2"; fail=$((fail + 1)); }
finish() {
	echo "$pass passed, $fail failed, $skipped skipped"
	[ "$fail" = 0 ]
	exit $?
}
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
	echo "SKIP package: needs root and apt-get (it installs the .deb it builds)"
	skipped=1
	finish
fi
if dpkg-query -W -f '${Status}' dartscan 2>/dev/null | grep -q 'ok installed'; then
	echo "SKIP package: a dartscan package is installed on this machine; not replacing it"
	skipped=1
	finish
fi
tools=""
command -v dh >/dev/null || tools="$tools debhelper"
command -v dpkg-buildpackage >/dev/null || tools="$tools dpkg-dev"
command -v lintian >/dev/null || tools="$tools lintian"
if [ -n "$tools" ]; then
	(apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $tools >/dev/null ||
	    { ko tools "apt-get install$tools failed"; finish; }
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
if $MAKE -s deb B="$B" >"$log" 2>&1 && deb=$(tail -1 "$log") && [ -f "$deb" ]; then
	ok "make-deb ($deb)"
else
	ko make-deb "$(tail -5 "$log")"
	finish
fi
# lintian refuses nothing as root, but says so on stderr: that line is not a finding
if lintian --fail-on error,warning "${deb%_*}_$(dpkg --print-architecture).changes" >"$log" 2>&1; then
	grep -v 'running with root privileges' "$log"
	ok lintian
else
	ko lintian "$(grep -v 'running with root privileges' "$log" | head -5)"
fi
case $deb in /*) ;; *) deb=./$deb ;; esac
if DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb" >"$log" 2>&1; then
	ok apt-get-install
else
	ko apt-get-install "$(tail -3 "$log")"
	finish
fi
# the installed-package test's own lines (and its count) join this step's
if sh debian/tests/diagnose >"$log" 2>&1; then ok installed-test; else ko installed-test "see the deb/ lines above"; fi
grep -E '^(PASS|FAIL) ' "$log"
n=$(grep -c '^PASS ' "$log")
pass=$((pass + n))
n=$(grep -c '^FAIL ' "$log")
fail=$((fail + n))
if DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq dartscan >"$log" 2>&1; then
	ok apt-get-remove
else
	ko apt-get-remove "$(tail -3 "$log")"
fi
left=""
for f in /usr/bin/dartscan /usr/share/dartscan /usr/share/man/man1/dartscan.1.gz \
    /usr/share/bash-completion/completions/dartscan /usr/share/doc/dartscan/examples; do
	[ -e "$f" ] && left="$left $f"
done
[ -z "$left" ] && ok removed-cleanly || ko removed-cleanly "left:$left"
finish
