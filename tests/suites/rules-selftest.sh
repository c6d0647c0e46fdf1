#!/bin/sh
# The shipped rules compile and pass their own test lines (dartscan rules check / rules test).
DARTSCAN=${DARTSCAN:-./dartscan}
if out=$($DARTSCAN rules check rules 2>&1); then echo "PASS rules check"; else echo "FAIL rules check: $out"; fi
out=$($DARTSCAN rules test rules 2>&1)
case $out in
*" 0 failed"*) echo "PASS rules test: ${out##*
}" ;;
*) echo "FAIL rules test: $out" ;;
esac
