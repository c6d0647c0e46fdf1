#!/bin/sh
# Runs the unit programs given as arguments and prints their PASS/FAIL lines and a total.
pass=0; fail=0
for t in "$@"; do
	# a program that crashes or is missing after some PASS lines is a failure of its own
	out=$("$t" 2>&1) || out="$out
FAIL $(basename "$t"): exited $?"
	echo "$out" | grep '^FAIL'
	pass=$((pass + $(echo "$out" | grep -c '^PASS'))); fail=$((fail + $(echo "$out" | grep -c '^FAIL')))
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
