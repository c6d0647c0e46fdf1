#!/bin/sh
# make check: runs every suite in tests/suites/ (each prints "PASS name", "FAIL name: why" or
# "SKIP name: why" per test) and the unit programs, lists the FAIL and SKIP lines, then one closing
# line "N passed, N failed, N skipped". A skip (a tool this machine lacks) never fails the run.
# Environment: B (build dir, default build), DARTSCAN (binary, default ./dartscan).
set -u
B=${B:-build}
export B
DARTSCAN=${DARTSCAN:-./dartscan}
export DARTSCAN
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
for t in "$B"/unit/*; do
	[ -x "$t" ] || continue
	"$t" >>"$log" 2>&1 || echo "FAIL $(basename "$t"): exited $?" >>"$log"
done
for s in tests/suites/*.sh; do
	sh "$s" >>"$log" 2>&1 || echo "FAIL $(basename "$s"): suite exited $?" >>"$log"
done
grep -E '^(FAIL|SKIP)' "$log" || true
pass=$(grep -c '^PASS' "$log")
fail=$(grep -c '^FAIL' "$log")
skipped=$(grep -c '^SKIP' "$log")
[ "${VERBOSE:-0}" = 1 ] && cat "$log"
echo "$pass passed, $fail failed, $skipped skipped"
[ "$fail" -eq 0 ] || status=1
exit $status
