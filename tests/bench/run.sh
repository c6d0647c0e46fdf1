#!/bin/sh
# run.sh: times dartscan against the floor (bsdtar inflating the bundle to /dev/null), ugrep -z and
# unzip | grep -E, on the same files with the whole shipped rule library; then size growth
# (small vs large bundle), a rule set ten times larger, and a directory of small cases.
# Prints ratios: the numbers are for comparing tools on one machine, never pass/fail.
# usage: run.sh BUNDLE SMALL_BUNDLE CASE_DIR   (make bench builds them)
# Environment: RUNS (default 5), DARTSCAN (./dartscan), RULES (rules), B (build),
#   BIG=1 also generates a 2 GiB bundle, measures dartscan's time and peak RSS on it once, and
#   deletes it.
set -u
BUNDLE=$1
SMALL=$2
CASES=$3
RUNS=${RUNS:-5}
DARTSCAN=${DARTSCAN:-./dartscan}
RULES=${RULES:-rules}
B=${B:-build}
COUNT=$B/bench/count
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

for t in bsdtar unzip grep ugrep python3; do
	command -v $t >/dev/null || { echo "run.sh: $t not found (apt-get install -y libarchive-tools unzip ugrep)" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "run.sh: /usr/bin/time not found (apt-get install -y time)" >&2; exit 2; }

# ---- patterns for the other tools ----
# ugrep joins -f patterns into one regex and rejects repeated group names: drop the names (the
# patterns stay PCRE). grep -E: also \d -> [0-9] and no lookaheads (it may then match a little more).
$DARTSCAN rules export --patterns "$RULES" >"$TMP/pcre" || exit 2
sed -e 's/(?<[A-Za-z_][A-Za-z0-9_]*>/(/g' "$TMP/pcre" >"$TMP/ugrep"
sed -e 's/\\d/[0-9]/g' -e 's/(?[!=][^)]*)//g' "$TMP/ugrep" >"$TMP/ere"

# ---- measuring ----
# time_cmd NAME CMD: RUNS runs; sets MED (median wall seconds) and RSS (largest peak RSS, KiB).
time_cmd() {
	: >"$TMP/walls"
	RSS=0
	i=0
	while [ $i -lt "$RUNS" ]; do
		t0=$(date +%s%N)
		/usr/bin/time -f '%M' -o "$TMP/rss" sh -c "$2" >/dev/null 2>&1
		t1=$(date +%s%N)
		echo $(( (t1 - t0) / 1000 )) >>"$TMP/walls"
		r=$(tail -n 1 "$TMP/rss")
		[ "$r" -gt "$RSS" ] 2>/dev/null && RSS=$r
		i=$((i + 1))
	done
	MED=$(sort -n "$TMP/walls" | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3f", m / 1e6 }')
}

# mib FILE: uncompressed MiB of a zip's entries
mib() {
	unzip -l "$1" | tail -n 1 | awk '{ printf "%.1f", $1 / 1048576 }'
}

row() { # NAME MATCHES: one table row from MED/RSS against FLOOR and the bundle's MIB
	awk -v n="$1" -v t="$MED" -v f="$FLOOR" -v mb="$MIBS" -v rss="$RSS" -v m="$2" 'BEGIN {
		printf "%-34s %8.3f %9.0f %8.2f %9.1f  %s\n", n, t, mb / t, t / f, rss / 1024, m }'
}

header() {
	printf '%-34s %8s %9s %8s %9s  %s\n' "$1" "median_s" "MiB/s" "x_floor" "rss_MiB" "matches"
}

# ---- one bundle, every tool ----
bundle_table() { # BUNDLE RULES_DIR
	MIBS=$(mib "$1")
	echo
	echo "== $1: $MIBS MiB of logs, rules $2 ($($DARTSCAN rules export --patterns "$2" | wc -l) patterns), median of $RUNS runs =="
	header tool
	time_cmd floor "bsdtar -xOf '$1' >/dev/null"
	FLOOR=$MED
	row "floor: bsdtar -xOf" "-"
	time_cmd ugrep "ugrep -z -P -f '$TMP/ugrep' '$1' >/dev/null"
	UG=$MED
	row "ugrep -z -P -f" "$(ugrep -c -z -P -f "$TMP/ugrep" "$1" | awk -F: '{ s += $NF } END { print s }')"
	time_cmd grep "unzip -p '$1' | grep -E -f '$TMP/ere' >/dev/null"
	row "unzip -p | grep -E -f" "$(unzip -p "$1" | grep -c -E -f "$TMP/ere") (UTF-16 lines not seen)"
	time_cmd dartscan "$DARTSCAN -R '$2' '$1' >/dev/null"
	DS=$MED
	row "dartscan (text)" "$($COUNT "$2" "$1")"
	time_cmd dartscan "$DARTSCAN -R '$2' -f json '$1' >/dev/null"
	row "dartscan -f json" "same"
	awk -v u="$UG" -v d="$DS" 'BEGIN { printf "ugrep -z / dartscan: %.2f\n", u / d }'
}

echo "dartscan bench: $(nproc) cores, $(uname -m), $(date -u +%Y-%m-%d)"
bundle_table "$BUNDLE" "$RULES"
D_BIG=$DS

# ---- growth with size ----
RUNS_SAVE=$RUNS
MIBS=$(mib "$SMALL")
time_cmd small "$DARTSCAN -R '$RULES' '$SMALL' >/dev/null"
D_SMALL=$MED
M_SMALL=$MIBS
M_BIG=$(mib "$BUNDLE")
echo
echo "== growth: dartscan time per MiB, $SMALL vs $BUNDLE =="
awk -v a="$D_SMALL" -v b="$D_BIG" -v ma="$M_SMALL" -v mb="$M_BIG" 'BEGIN {
	printf "%.1f MiB: %.3f s   %.1f MiB: %.3f s   size x%.2f -> time x%.2f (linear: 1.00 per size ratio: %.2f)\n",
	    ma, a, mb, b, mb / ma, b / a, (b / a) / (mb / ma) }'

# ---- ten times the rules ----
python3 tests/bench/gen.py rules "$RULES" "$TMP/rules10" 10
if $DARTSCAN rules check "$TMP/rules10" >/dev/null && $DARTSCAN rules test "$TMP/rules10" >/dev/null; then
	time_cmd rules10 "$DARTSCAN -R '$TMP/rules10' '$BUNDLE' >/dev/null"
	D_R10=$MED
	echo
	echo "== rules: $($DARTSCAN rules export --patterns "$RULES" | wc -l) vs $($DARTSCAN rules export --patterns "$TMP/rules10" | wc -l) patterns on $BUNDLE =="
	awk -v a="$D_BIG" -v b="$D_R10" 'BEGIN { printf "shipped: %.3f s   10x: %.3f s   ratio %.2f\n", a, b, b / a }'
	echo "matches with 10x rules: $($COUNT "$TMP/rules10" "$BUNDLE") (variants are one letter off: they find nothing new)"
else
	echo "run.sh: the generated 10x rule set does not pass dartscan rules check/test" >&2
fi

# ---- a directory of small cases ----
N=$(ls "$CASES"/*.zip | wc -l)
MIBS=$(for f in "$CASES"/*.zip; do mib "$f"; done | awk '{ s += $1 } END { printf "%.1f", s }')
echo
echo "== $N case bundles in $CASES ($MIBS MiB of logs) =="
header tool
time_cmd floor "for f in '$CASES'/*.zip; do bsdtar -xOf \"\$f\"; done >/dev/null"
FLOOR=$MED
row "floor: bsdtar -xOf, one core" "-"
if $DARTSCAN -h 2>&1 | grep -q -- '-j'; then
	time_cmd batch "$DARTSCAN -R '$RULES' -r '$CASES' -j $(nproc) >/dev/null"
	row "dartscan -r DIR -j $(nproc)" "$($COUNT "$RULES" "$CASES"/*.zip)"
else
	echo "(dartscan has no batch mode -r DIR -j N yet: all files passed as arguments, one process)"
fi
time_cmd args "$DARTSCAN -R '$RULES' '$CASES'/*.zip >/dev/null"
row "dartscan FILE... (one process)" "$($COUNT "$RULES" "$CASES"/*.zip)"

# ---- 2 GiB, once ----
if [ "${BIG:-0}" = 1 ]; then
	RUNS=1
	python3 tests/bench/gen.py bundle "$B/bench/bundle-2000.zip" 2000 >/dev/null
	MIBS=$(mib "$B/bench/bundle-2000.zip")
	time_cmd big "$DARTSCAN -R '$RULES' '$B/bench/bundle-2000.zip' >/dev/null"
	echo
	echo "== 2 GiB bundle ($MIBS MiB of logs), one run =="
	awk -v t="$MED" -v mb="$MIBS" -v rss="$RSS" 'BEGIN { printf "dartscan: %.3f s, %.0f MiB/s, peak RSS %.1f MiB\n", t, mb / t, rss / 1024 }'
	rm -f "$B/bench/bundle-2000.zip"
	RUNS=$RUNS_SAVE
fi
