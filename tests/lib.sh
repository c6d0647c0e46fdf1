# tests/lib.sh: the preamble the suites share (sourced, not run). Sets B, D (the dartscan binary), F
# (the fixture bundles) and tmp (removed on exit); ok/ko print "PASS suite/NAME" / "FAIL suite/NAME:
# why" and count; finish prints the closing "N passed, N failed" and exits 1 on any failure.
# The sourcing suite sets SUITE first.
B=${B:-build}
D=${DARTSCAN:-./dartscan}
F=$B/fixtures
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { echo "PASS $SUITE/$1"; pass=$((pass + 1)); }
ko() { echo "FAIL $SUITE/$1: $2"; fail=$((fail + 1)); }
finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit $?
}
