#!/bin/sh
# make valgrind: the golden cases (in the formats tests/golden/run.sh picks under VALGRIND=1), then
# every unit program (the read-ahead's threads among them), under valgrind; any error or definite
# leak fails. usage: valgrind.sh UNIT_PROGRAM...
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
VALGRIND=1 sh tests/golden/run.sh >"$tmp"
grep -v -E '^[0-9]+ passed, [0-9]+ failed' "$tmp"
pass=$(sed -n -E 's/^([0-9]+) passed, ([0-9]+) failed.*/\1/p' "$tmp" | tail -1)
fail=$(sed -n -E 's/^([0-9]+) passed, ([0-9]+) failed.*/\2/p' "$tmp" | tail -1)
pass=${pass:-0} fail=${fail:-1}
for t in "$@"; do
	name=valgrind/unit/$(basename "$t")
	if DS_UNDER_VALGRIND=1 valgrind -q --suppressions=tests/valgrind.supp --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
		"$t" >"$tmp" 2>&1; then
		echo "PASS $name"
		pass=$((pass + 1))
	else
		echo "FAIL $name: $(grep -m1 -E '^==[0-9]+== [A-Z]|^FAIL' "$tmp")"
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
