#!/bin/sh
# fuzz-regress: replays every input a fuzzer once crashed on (tests/fuzz/regress/TARGET-what)
# through that target's entry point, built without libFuzzer ($B/replay/fuzz_TARGET). Under
# make sanitize the replay runs with ASan and UBSan, as the fuzzer did.
# Environment: B. Prints PASS/FAIL lines ("PASS fuzz-regress-NAME") and "N passed, N failed,
# N skipped".
set -u
SUITE=fuzz-regress
. tests/lib.sh
name_prefix=fuzz-regress-
for f in tests/fuzz/regress/*; do
	[ -f "$f" ] || continue
	name=$(basename "$f")
	target=${name%%-*}
	bin=$B/replay/fuzz_$target
	if [ ! -x "$bin" ]; then
		ko "$name" "no replay binary $bin"
		continue
	fi
	if out=$("$bin" "$f" 2>&1); then
		# library stages never print: anything on the terminal came from a library's own messages
		if [ -n "$out" ]; then
			ko "$name" "printed: $(printf '%s' "$out" | head -1 | head -c 200)"
		else
			ok "$name"
		fi
	else
		ko "$name" "exit $?: $(printf '%s' "$out" | grep -m1 -E 'runtime error|ERROR' | head -c 200)"
	fi
done
# the archive target, confined as the worker is, over the fixture bundles: the filter lets every
# call reading a bundle needs through (a call it refused would end the replay with status 121)
if out=$("$B/replay/fuzz_bundle" "$F"/*.zip 2>&1); then
	ok confined-fixtures
else
	ko confined-fixtures "exit $?: $(printf '%s' "$out" | head -c 200)"
fi
finish
