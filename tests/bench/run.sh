#!/bin/sh
# run.sh: times dartscan against the floor (bsdtar inflating the bundle to /dev/null), ugrep -z and
# unzip | grep -E, on the same files with the whole shipped rule library; then size growth
# (small vs large bundle), a rule set ten times larger, and a directory of small cases.
# Prints ratios: the numbers are for comparing tools on one machine, never pass/fail.
# usage: run.sh BUNDLE SMALL_BUNDLE CASE_DIR   (make bench builds them)
# Environment: RUNS (default 5), DARTSCAN (./dartscan), RULES (rules), B (build),
#   BIG=1 also generates a 2 GiB bundle (about 3 minutes), times the floor and dartscan on it
#   once (peak RSS: streaming keeps it flat) and deletes it.
set -u
BUNDLE=$1
SMALL=$2
CASES=$3
RUNS=${RUNS:-5}
DARTSCAN=${DARTSCAN:-./dartscan}
RULES=${RULES:-rules}
B=${B:-build}
COUNT=$B/bench/count
FLOOR_BIN=$B/bench/floor
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

for t in bsdtar unzip grep ugrep python3; do
	command -v $t >/dev/null || { echo "run.sh: $t not found (apt-get install -y libarchive-tools unzip ugrep)" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "run.sh: /usr/bin/time not found (apt-get install -y time)" >&2; exit 2; }

# ---- patterns for the other tools ----
# ugrep joins -f patterns into one regex and rejects repeated group names: drop the names (the
# patterns stay PCRE). Its own parser (3.11) also refuses a '^' that opens a branch inside a group
# ("(?:^|[>:])", "empty expression"), which PCRE2 takes: there it becomes "(?<!.)", the same place
# in a line. grep -E: also \d -> [0-9], \s/\S -> classes, (?: -> (, no lookaheads and no inline
# (?i)/(?s) (it may then match a little more, or miss a case variant).
$DARTSCAN rules export --patterns "$RULES" >"$TMP/pcre" || exit 2
sed -e 's/(?<[A-Za-z_][A-Za-z0-9_]*>/(/g' "$TMP/pcre" >"$TMP/unnamed"
sed -e 's/(?:^|/(?:(?<!.)|/g' -e 's/|^/|(?<!.)/g' "$TMP/unnamed" >"$TMP/ugrep"
sed -e 's/\\d/[0-9]/g' -e 's/(?[!=][^)]*)//g' -e 's/(?[is])//g' -e 's/(?:/(/g' \
	-e 's/\\s/[[:space:]]/g' -e 's/\\S/[^[:space:]]/g' "$TMP/unnamed" >"$TMP/ere"

# ---- measuring ----
# time_one NAME CMD: one run; appends wall microseconds to $TMP/w.NAME and keeps the largest peak
# RSS (KiB) in $TMP/r.NAME.
time_one() {
	t0=$(date +%s%N)
	/usr/bin/time -f '%M' -o "$TMP/rss" sh -c "$2" >/dev/null 2>&1
	t1=$(date +%s%N)
	echo $(( (t1 - t0) / 1000 )) >>"$TMP/w.$1"
	r=$(tail -n 1 "$TMP/rss")
	old=$(cat "$TMP/r.$1" 2>/dev/null || echo 0)
	[ "$r" -gt "$old" ] 2>/dev/null && echo "$r" >"$TMP/r.$1"
	return 0
}

# time_many NAME CMD [NAME CMD]...: RUNS rounds, the commands taking turns in each round, so a
# busy moment on a shared machine falls on every tool alike.
time_many() {
	i=0
	while [ $i -lt "$RUNS" ]; do
		j=0
		while [ $j -lt $# ]; do
			eval "n=\${$((j + 1))}; c=\${$((j + 2))}"
			[ $i -eq 0 ] && rm -f "$TMP/w.$n" "$TMP/r.$n"
			time_one "$n" "$c"
			j=$((j + 2))
		done
		i=$((i + 1))
	done
}

# stats NAME: sets MED (median wall seconds), BEST (fastest run: what a quiet machine gives) and
# RSS (largest peak RSS, KiB) of NAME's runs.
stats() {
	MED=$(sort -n "$TMP/w.$1" | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3f", m / 1e6 }')
	BEST=$(sort -n "$TMP/w.$1" | awk 'NR == 1 { printf "%.3f", $1 / 1e6 }')
	RSS=$(cat "$TMP/r.$1" 2>/dev/null || echo 0)
}

# pair_ratio A B: the median over the rounds of B's time over A's in the same round. Two runs of one
# round share the machine's state of that moment, so a drift between rounds (this machine's speed
# moves by 20% within minutes) cancels out, where a ratio of two medians keeps it.
pair_ratio() {
	paste "$TMP/w.$1" "$TMP/w.$2" | awk '{ print $2 / $1 }' | sort -n |
		awk '{ v[NR] = $1 } END { printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# time_cmd NAME CMD: RUNS runs of one command, then its stats.
time_cmd() {
	time_many "$1" "$2"
	stats "$1"
}

# mib FILE: uncompressed MiB of a zip's entries
mib() {
	unzip -l "$1" | tail -n 1 | awk '{ printf "%.1f\n", $1 / 1048576 }'
}

row() { # NAME MATCHES: one table row from MED/BEST/RSS against the floor's and the bundle's MIBS
	awk -v n="$1" -v t="$MED" -v b="$BEST" -v f="$FLOOR" -v fb="$FLOOR_BEST" -v mb="$MIBS" -v rss="$RSS" -v m="$2" 'BEGIN {
		printf "%-34s %8.3f %9.0f %8.2f %7.3f %7.2f %8.1f  %s\n", n, t, mb / t, t / f, b, b / fb, rss / 1024, m }'
}

header() {
	printf '%-34s %8s %9s %8s %7s %7s %8s  %s\n' "$1" "median_s" "MiB/s" "x_floor" "best_s" "x_best" "rss_MiB" "matches"
}

# ---- one bundle, every tool ----
bundle_table() { # BUNDLE RULES_DIR
	MIBS=$(mib "$1")
	echo
	echo "== $1: $MIBS MiB of logs, rules $2 ($($DARTSCAN rules export --patterns "$2" | wc -l) patterns), median of $RUNS runs =="
	header tool
	time_many floor "bsdtar -xOf '$1' >/dev/null" \
	    ugrep "ugrep -z -P -f '$TMP/ugrep' '$1' >/dev/null" \
	    grep "unzip -p '$1' | grep -E -f '$TMP/ere' >/dev/null" \
	    text "$DARTSCAN -R '$2' '$1' >/dev/null" \
	    json "$DARTSCAN -R '$2' -f json '$1' >/dev/null" \
	    one "$DARTSCAN -R '$2' -j 1 '$1' >/dev/null"
	stats floor
	FLOOR=$MED
	FLOOR_BEST=$BEST
	row "floor: bsdtar -xOf" "-"
	stats ugrep
	UG=$MED
	row "ugrep -z -P -f" "$(ugrep -c -z -P -f "$TMP/ugrep" "$1" | awk -F: '{ s += $NF } END { print s }')"
	stats grep
	row "unzip -p | grep -E -f" "$(unzip -p "$1" | grep -c -E -f "$TMP/ere") (UTF-16 lines not seen)"
	stats text
	DS=$MED
	row "dartscan (text)" "$($COUNT "$2" "$1")"
	stats json
	row "dartscan -f json" "same"
	stats one
	row "dartscan -j 1 (no read-ahead)" "same"
	awk -v u="$UG" -v d="$DS" 'BEGIN { printf "ugrep -z / dartscan: %.2f\n", u / d }'
}

# ---- the floors on exactly the entries dartscan reads (#28) ----
# zlib: bsdtar inflating those entries; ISA-L: tests/bench/floor inflating them as dartscan does,
# one core, nothing decoded or matched. dartscan's ratio to each is the goal (at most 0.60x the
# zlib floor and 1.5x the ISA-L floor, both cores).
floor_table() { # BUNDLE RULES_DIR
	$FLOOR_BIN list "$2" "$1" >"$TMP/names"
	MIBS=$($FLOOR_BIN isal "$2" "$1" 2>&1 >/dev/null)
	echo
	echo "== floors on the $(wc -l <"$TMP/names") entries dartscan reads ($MIBS MiB of log text), median of $RUNS runs =="
	header tool
	time_many zfloor "bsdtar -xOf '$1' -T '$TMP/names' >/dev/null" \
	    ifloor "$FLOOR_BIN isal '$2' '$1'" \
	    text "$DARTSCAN -R '$2' '$1' >/dev/null" \
	    one "$DARTSCAN -R '$2' -j 1 '$1' >/dev/null"
	stats zfloor
	FLOOR=$MED
	FLOOR_BEST=$BEST
	row "zlib floor: bsdtar -xOf, entries read" "-"
	stats ifloor
	I_MED=$MED
	I_BEST=$BEST
	row "ISA-L floor: entries read, one core" "-"
	stats text
	T_MED=$MED
	T_BEST=$BEST
	row "dartscan (text)" "-"
	stats one
	O_MED=$MED
	row "dartscan -j 1" "-"
	awk -v t="$T_MED" -v tb="$T_BEST" -v z="$FLOOR" -v zb="$FLOOR_BEST" -v i="$I_MED" -v ib="$I_BEST" -v o="$O_MED" -v mb="$MIBS" 'BEGIN {
		printf "dartscan / zlib floor: %.2f median, %.2f best (goal <= 0.60)\n", t / z, tb / zb
		printf "dartscan / ISA-L floor: %.2f median, %.2f best (goal <= 1.5)\n", t / i, tb / ib
		printf "ISA-L floor / zlib floor: %.2f; dartscan -j 1 / ISA-L floor: %.2f\n", i / z, o / i
		printf "log text: dartscan %.0f MiB/s, ISA-L floor %.0f MiB/s, zlib floor %.0f MiB/s\n", mb / t, mb / i, mb / z }'
}

NCPU=$(nproc)
echo "dartscan bench: $NCPU cores, $(uname -m), $(date -u +%Y-%m-%d), load average $(cut -d' ' -f1-3 /proc/loadavg)"
bundle_table "$BUNDLE" "$RULES"
D_BIG=$DS
floor_table "$BUNDLE" "$RULES"

# ---- growth with size, and ten times the rules (taking turns, as above) ----
python3 tests/bench/gen.py rules "$RULES" "$TMP/rules10" 10
if ! $DARTSCAN rules check "$TMP/rules10" >/dev/null || ! $DARTSCAN rules test "$TMP/rules10" >/dev/null; then
	echo "run.sh: the generated 10x rule set does not pass dartscan rules check/test" >&2
	exit 1
fi
time_many big "$DARTSCAN -R '$RULES' '$BUNDLE' >/dev/null" \
    small "$DARTSCAN -R '$RULES' '$SMALL' >/dev/null" \
    rules10 "$DARTSCAN -R '$TMP/rules10' '$BUNDLE' >/dev/null" \
    nounx "$DARTSCAN -R '$RULES' --unexplained 0 '$BUNDLE' >/dev/null"
stats nounx
D_NOUNX=$MED
B_NOUNX=$BEST
stats big
D_BIG=$MED
B_BIG=$BEST
stats small
D_SMALL=$MED
B_SMALL=$BEST
stats rules10
D_R10=$MED
B_R10=$BEST
M_SMALL=$(mib "$SMALL")
M_BIG=$(mib "$BUNDLE")
echo
echo "== growth: dartscan, $SMALL vs $BUNDLE =="
awk -v a="$D_SMALL" -v b="$D_BIG" -v ma="$M_SMALL" -v mb="$M_BIG" 'BEGIN {
	printf "%.1f MiB: %.3f s   %.1f MiB: %.3f s   size x%.2f -> time x%.2f (time ratio / size ratio: %.2f; 1.00 is linear)\n",
	    ma, a, mb, b, mb / ma, b / a, (b / a) / (mb / ma) }'
awk -v a="$B_SMALL" -v b="$B_BIG" -v ma="$M_SMALL" -v mb="$M_BIG" 'BEGIN {
	printf "best runs: %.3f s vs %.3f s: time x%.2f (per size ratio %.2f)\n", a, b, b / a, (b / a) / (mb / ma) }'
echo
echo "== rules: $($DARTSCAN rules export --patterns "$RULES" | wc -l) vs $($DARTSCAN rules export --patterns "$TMP/rules10" | wc -l) patterns on $BUNDLE =="
awk -v a="$D_BIG" -v b="$D_R10" 'BEGIN { printf "median: shipped %.3f s   10x %.3f s   ratio %.2f\n", a, b, b / a }'
awk -v a="$B_BIG" -v b="$B_R10" 'BEGIN { printf "best:   shipped %.3f s   10x %.3f s   ratio %.2f\n", a, b, b / a }'
echo "matches with 10x rules: $($COUNT "$TMP/rules10" "$BUNDLE") (the variants are one letter off: they find nothing more)"

echo
echo "== the unexplained stage on $BUNDLE: on (--unexplained 5) vs --unexplained 0 =="
awk -v a="$D_NOUNX" -v b="$D_BIG" 'BEGIN { printf "median: off %.3f s   on %.3f s   ratio %.2f\n", a, b, b / a }'
awk -v a="$B_NOUNX" -v b="$B_BIG" 'BEGIN { printf "best:   off %.3f s   on %.3f s   ratio %.2f\n", a, b, b / a }'
echo "per round: on / off $(pair_ratio nounx big) (the median of each round's ratio; goal <= 1.05)"

# ---- a directory of small cases ----
N=$(ls "$CASES"/*.zip | wc -l)
MIBS=$(for f in "$CASES"/*.zip; do mib "$f"; done | awk '{ s += $1 } END { printf "%.1f", s }')
echo
echo "== $N case bundles in $CASES ($MIBS MiB of logs) =="
header tool
if $DARTSCAN -h 2>&1 | grep -q -- '-j'; then
	DS_CASES="$DARTSCAN -R '$RULES' -r '$CASES' -j $NCPU"
	DS_NAME="dartscan -r DIR -j $NCPU"
	DS_ONE="$DARTSCAN -R '$RULES' -r '$CASES' -j 1"
else
	DS_CASES="$DARTSCAN -R '$RULES' '$CASES'/*.zip"
	DS_NAME="dartscan FILE... (one process)"
	echo "(dartscan has no batch mode -r DIR -j N yet: all $N files passed as arguments to one process)"
fi
set -- floor "for f in '$CASES'/*.zip; do bsdtar -xOf \"\$f\"; done >/dev/null" cases "$DS_CASES >/dev/null"
[ -n "${DS_ONE:-}" ] && set -- "$@" cases1 "$DS_ONE >/dev/null"
# what the machine itself gives -j N: one ISA-L floor alone, and one on each core at once (a virtual
# machine's cores may share one physical core, or its caches), in the same rounds as dartscan
# on_each_core CMD: the command line that runs CMD once on each core, all at once
on_each_core() {
	echo "i=1; while [ \$i -lt $NCPU ]; do $1 & i=\$((i + 1)); done; $1; wait"
}
ONE_FLOOR="$FLOOR_BIN isal '$RULES' '$BUNDLE' 2>/dev/null"
[ "$NCPU" -gt 1 ] && set -- "$@" ione "$ONE_FLOOR" imany "$(on_each_core "$ONE_FLOOR")"
# and what it gives dartscan's own work: -j 1 once on each core at once, N processes that share
# nothing (no start-up, no hand-off): -j N can do no better than they do
[ "$NCPU" -gt 1 ] && [ -n "${DS_ONE:-}" ] && set -- "$@" jmany "$(on_each_core "$DS_ONE >/dev/null")"
time_many "$@"
stats floor
FLOOR=$MED
FLOOR_BEST=$BEST
row "floor: bsdtar -xOf loop, one core" "-"
stats cases
CASES_MED=$MED
CASES_BEST=$BEST
row "$DS_NAME" "$($COUNT "$RULES" "$CASES"/*.zip)"
if [ -n "${DS_ONE:-}" ]; then
	stats cases1
	row "dartscan -r DIR -j 1" "same"
	ONE_JOB_MED=$MED
	# the goal of #28: -j 2 at most 0.55 of -j 1 (both cores on a case store)
	awk -v a="$CASES_MED" -v b="$MED" -v c="$CASES_BEST" -v d="$BEST" -v n="$NCPU" 'BEGIN {
		printf "dartscan -r DIR -j %s / -j 1: %.2f median, %.2f best (goal <= 0.55 with 2 cores)\n", n, a / b, c / d }'
	echo "per round: -j $NCPU / -j 1 $(pair_ratio cases1 cases) (the median of each round's ratio)"
fi
if [ "$NCPU" -gt 1 ]; then
	stats ione
	ONE_MED=$MED
	stats imany
	awk -v one="$ONE_MED" -v many="$MED" -v n="$NCPU" -v a="$CASES_MED" -v b="${ONE_JOB_MED:-0}" 'BEGIN {
		s = many / (n * one)
		j = b > 0 ? a / b : 0
		printf "machine: %d ISA-L floors at once take %.3f s, one alone %.3f s: %.2f per floor (%.2f is perfect scaling: the best -j %d / -j 1 here)\n", n, many, one, s, 1 / n, n
		if (j > 0)
			printf "dartscan -r DIR -j %d / -j 1 over the machine'"'"'s own: %.2f (1.00: dartscan loses nothing the machine does not)\n", n, j / s }'
fi
if [ "$NCPU" -gt 1 ] && [ -n "${DS_ONE:-}" ]; then
	stats jmany
	awk -v one="$ONE_JOB_MED" -v many="$MED" -v n="$NCPU" -v a="$CASES_MED" 'BEGIN {
		s = many / (n * one)
		printf "dartscan: %d runs of -j 1 at once take %.3f s, one alone %.3f s: %.2f per run (the best -j %d / -j 1 on this machine and work)\n", n, many, one, s, n
		printf "dartscan -r DIR -j %d over %d runs of -j 1 at once: %.2f of their time per case store (1.00: one process with %d workers loses nothing to %d that share nothing)\n", n, n, a / (many / n), n, n }'
	awk -v r="$(pair_ratio jmany cases)" -v n="$NCPU" 'BEGIN { printf "per round: -j %d over %d runs of -j 1 at once %.2f\n", n, n, r * n }'
fi

# ---- 2 GiB, once ----
if [ "${BIG:-0}" = 1 ]; then
	RUNS=1
	BIGZIP=$B/bench/bundle-2000.zip
	[ -f "$BIGZIP" ] || python3 tests/bench/gen.py bundle "$BIGZIP" 2000 >/dev/null
	MIBS=$(mib "$BIGZIP")
	time_many floor "bsdtar -xOf '$BIGZIP' >/dev/null" huge "$DARTSCAN -R '$RULES' '$BIGZIP' >/dev/null"
	stats floor
	FLOOR=$MED
	FLOOR_BEST=$BEST
	echo
	echo "== 2 GiB bundle: $MIBS MiB of logs, one run (the file is deleted afterwards) =="
	header tool
	row "floor: bsdtar -xOf" "-"
	stats huge
	row "dartscan (text)" "$($COUNT "$RULES" "$BIGZIP")"
	rm -f "$BIGZIP"
fi
