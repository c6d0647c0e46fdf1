#!/bin/sh
# fuzz-regress: replays every input a fuzzer once crashed on (tests/fuzz/regress/TARGET-what)
# through that target's entry point, built without libFuzzer ($B/replay/fuzz_TARGET). Under
# make sanitize the replay runs with ASan and UBSan, as the fuzzer did.
set -u
B=${B:-build}
for f in tests/fuzz/regress/*; do
	[ -f "$f" ] || continue
	name=$(basename "$f")
	target=${name%%-*}
	bin=$B/replay/fuzz_$target
	if [ ! -x "$bin" ]; then
		echo "FAIL fuzz-regress-$name: no replay binary $bin"
		continue
	fi
	if out=$("$bin" "$f" 2>&1); then
		# library stages never print: anything on the terminal came from a library's own messages
		if [ -n "$out" ]; then
			echo "FAIL fuzz-regress-$name: printed: $(printf '%s' "$out" | head -1 | head -c 200)"
		else
			echo "PASS fuzz-regress-$name"
		fi
	else
		echo "FAIL fuzz-regress-$name: exit $?: $(printf '%s' "$out" | grep -m1 -E 'runtime error|ERROR' | head -c 200)"
	fi
done
# the archive target, confined as the worker is, over the fixture bundles: the filter lets every
# call reading a bundle needs through (a call it refused would end the replay with status 121)
if out=$("$B/replay/fuzz_bundle" "$B"/fixtures/*.zip 2>&1); then
	echo "PASS fuzz-regress-confined-fixtures"
else
	echo "FAIL fuzz-regress-confined-fixtures: exit $?: $(printf '%s' "$out" | head -c 200)"
fi
