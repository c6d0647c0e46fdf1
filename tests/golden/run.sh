#!/bin/sh
# Golden end-to-end cases, one directory each: tests/golden/CASE/args holds the arguments without -f
# (one line, $B expands to the build dir). Every case is rendered in every format, as lowdown's tests
# do, so a renderer's change shows in every case it touches, not only where someone thought to keep
# a golden. CASE/formats (optional, one line) narrows that for a command with fewer formats (diff:
# "text json"); "-" there runs the args as they are, with no -f (rules draft, --explain: no report).
# Expected: CASE/FORMAT.out (CASE/out for "-"), CASE/exit, CASE/err (stderr, absent when empty); a
# format whose status or stderr differ from the first format's has its own FORMAT.exit / FORMAT.err
# (an empty FORMAT.err: none), so the common case stays one file. CASE/env (optional) is sh
# assignments exported for the run only (a passphrase in DARTSCAN_PASSPHRASE); the caller's own
# DARTSCAN_PASSPHRASE never reaches a case.
# A new case: mkdir tests/golden/NEW && echo 'ARGS' > tests/golden/NEW/args && make regen (read the
# diff). REGEN=1 rewrites every case's files, dropping any no format writes now (a stale err, the
# outputs of a format no longer listed). VALGRIND=1 runs each case under valgrind and fails on any
# error or leak, in its first format or those CASE/valgrind lists (the formats it had goldens in
# before, and all eight for seed-both): every format of every case would make CI's valgrind step
# five times as long, for renderers that run the same code whatever the case.
set -u
unset DARTSCAN_PASSPHRASE
B=${B:-build}
DARTSCAN=${DARTSCAN:-./dartscan}
dir=tests/golden
bad=$B/bad
mkdir -p "$bad"
# Bad inputs are made here, not kept in git.
head -c 3000 "$B/fixtures/seed-dns.zip" > "$bad/truncated.zip"
printf 'PK\005\006\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000' > "$bad/empty.zip"
echo "hello, this is not a zip" > "$bad/not-an-archive.zip"
: > "$bad/zero-bytes.zip"
# case folders holding no bundle yet (a mistyped -r path in a cron job)
mkdir -p "$bad/no-bundles/case-1/attachments"
echo "customer notes" > "$bad/no-bundles/case-1/notes.txt"
# a case store (tests/make-cases.sh): duplicates, a truncated and a corrupt upload, an empty case
# folder, names in natural order (case-2 before case-10)
UNPADDED=1 sh tests/make-cases.sh "$B" "$B/golden-cases" 30
# a second laptop behind the same failing proxies as swg-addresses (not the same bytes: a note more)
rm -rf "$bad/site-b" && cp -r fixtures/swg-addresses "$bad/site-b" && echo "second laptop" > "$bad/site-b/notes.txt"
"$B/mkbundle" zip "$bad/swg-addresses-b.zip" "$bad/site-b" > /dev/null
# stopped with a time zone (healthy's systeminfo): --utc must move the time its state note quotes
rm -rf "$bad/stopped-tz" && cp -r fixtures/stopped "$bad/stopped-tz" && mkdir -p "$bad/stopped-tz/Cisco Secure Client/DART" &&
	cp "fixtures/healthy/Cisco Secure Client/DART/systeminfo.txt" "$bad/stopped-tz/Cisco Secure Client/DART/"
"$B/mkbundle" zip "$bad/stopped-tz.zip" "$bad/stopped-tz" > /dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# every format dartscan has, from its formats table (--help prints it), never a list kept here
all=$("$DARTSCAN" --help | sed -n 's/^formats: \(.*\)\. See .*/\1/p' | tr '|' ' ')
[ -n "$all" ] || { echo "golden: no formats: line in $DARTSCAN --help"; exit 1; }
# SARIF's base URIs are absolute (file:// and the bundle's real path): in a golden the checkout's path
# reads $PWD, so it holds in any clone
top=$(pwd -P)
unroot() {
	grep -qF "$top" "$1" || return 0
	awk -v top="$top" '{ while ((i = index($0, top)) > 0) $0 = substr($0, 1, i - 1) "$PWD" substr($0, i + length(top)); print }' \
		"$1" > "$1.u" && mv "$1.u" "$1"
}
pass=0 fail=0
for args_file in "$dir"/*/args; do
	d=${args_file%/args}
	case=${d##*/}
	args=$(sed "s|\$B|$B|g" "$args_file")
	formats=$all
	[ -f "$d/formats" ] && formats=$(cat "$d/formats")
	first=${formats%% *}
	run=$formats
	if [ "${VALGRIND:-0}" = 1 ]; then
		run=$first
		[ -f "$d/valgrind" ] && run=$(cat "$d/valgrind")
	fi
	[ "${REGEN:-0}" = 1 ] && rm -f "$d"/*.out "$d"/*.exit "$d"/*.err "$d/out" "$d/exit" "$d/err"
	for fmt in $run; do
		# shellcheck disable=SC2086
		set -- $args
		if [ "$fmt" = - ]; then
			out=$d/out name=golden/$case
		else
			out=$d/$fmt.out name=golden/$case/$fmt
			# -f goes after a command word (diff), before the options of a scan
			if [ "$1" = diff ]; then shift && set -- diff -f "$fmt" "$@"; else set -- -f "$fmt" "$@"; fi
		fi
		if [ "${VALGRIND:-0}" = 1 ]; then
			# shellcheck disable=SC2086,SC1091
			(if [ -f "$d/env" ]; then set -a && . "./$d/env" && set +a; fi
			 exec valgrind -q --suppressions=tests/valgrind.supp --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
				$DARTSCAN "$@") > "$tmp/out" 2> "$tmp/err"
		elif [ -f "$d/env" ]; then
			# shellcheck disable=SC2086,SC1091
			(set -a && . "./$d/env" && set +a && exec $DARTSCAN "$@") > "$tmp/out" 2> "$tmp/err"
		else
			# shellcheck disable=SC2086
			$DARTSCAN "$@" > "$tmp/out" 2> "$tmp/err"
		fi
		code=$?
		unroot "$tmp/out" && unroot "$tmp/err"
		if [ "${REGEN:-0}" = 1 ]; then
			cp "$tmp/out" "$out"
			if [ "$fmt" = "$first" ]; then
				echo "$code" > "$d/exit"
				[ -s "$tmp/err" ] && cp "$tmp/err" "$d/err"
				code0=$code && cp "$tmp/err" "$tmp/err0"
			else
				[ "$code" = "$code0" ] || echo "$code" > "$d/$fmt.exit"
				cmp -s "$tmp/err" "$tmp/err0" || cp "$tmp/err" "$d/$fmt.err"
			fi
			echo "regenerated $name"
			continue
		fi
		exit_file=$d/exit err_file=$d/err
		[ -f "$d/$fmt.exit" ] && exit_file=$d/$fmt.exit
		[ -f "$d/$fmt.err" ] && err_file=$d/$fmt.err
		why=""
		[ "$code" = "$(cat "$exit_file")" ] || why="exit $code, want $(cat "$exit_file")"
		cmp -s "$tmp/out" "$out" || why="$why stdout differs: $(diff "$out" "$tmp/out" | head -5 | tr '\n' ' ')"
		if [ -f "$err_file" ]; then
			cmp -s "$tmp/err" "$err_file" || why="$why stderr differs: $(head -2 "$tmp/err" | tr '\n' ' ')"
		elif [ -s "$tmp/err" ] && [ "${VALGRIND:-0}" != 1 ]; then
			why="$why unexpected stderr: $(head -2 "$tmp/err" | tr '\n' ' ')"
		fi
		if [ -z "$why" ]; then
			echo "PASS $name"
			pass=$((pass + 1))
		else
			echo "FAIL $name: $why"
			fail=$((fail + 1))
		fi
	done
done
[ "${REGEN:-0}" = 1 ] && exit 0
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
