#!/bin/sh
# Runs the unit programs given as arguments and prints their PASS/FAIL lines and a total.
pass=0; fail=0
for t in "$@"; do
	out=$("$t"); echo "$out" | grep '^FAIL'
	pass=$((pass + $(echo "$out" | grep -c '^PASS'))); fail=$((fail + $(echo "$out" | grep -c '^FAIL')))
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
