#!/bin/sh
# Runs each fuzz target in turn for FUZZ_SECONDS (one at a time, in one process: the machine is
# shared) on its seed corpus; a crash leaves its input in BUILD_DIR/fuzz/artifacts/.
# usage: run.sh BUILD_DIR SECONDS [target...]
set -u
B=$1
secs=$2
shift 2
targets=${*:-bundle text rules time context capture prefilter wire unexplained draft literals netinfo}
status=0 pass=0 fail=0
mkdir -p "$B/fuzz/artifacts"
for t in $targets; do
	mkdir -p "$B/fuzz/work/$t"
	echo "fuzz: $t for ${secs}s"
	"$B/fuzz/fuzz_$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	    -max_len=262144 -print_final_stats=1 -artifact_prefix="$B/fuzz/artifacts/$t-" \
	    "$B/fuzz/work/$t" "$B/fuzz/corpus/$t" >"$B/fuzz/$t.log" 2>&1
	if [ $? -eq 0 ]; then
		pass=$((pass + 1))
		echo "PASS fuzz/$t"
	else
		fail=$((fail + 1))
		status=1
		echo "FAIL fuzz/$t: see $B/fuzz/$t.log and $B/fuzz/artifacts/"
	fi
	grep -E '^stat::number_of_executed_units|^stat::peak_rss|ERROR|SUMMARY' "$B/fuzz/$t.log" | sed "s/^/fuzz: $t: /"
done
echo "$pass passed, $fail failed"
exit $status
