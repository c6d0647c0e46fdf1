#!/bin/sh
# Golden end-to-end cases, one directory each: tests/golden/CASE/args holds the arguments without -f
# (one line, $B expands to the build dir); CASE/FORMAT.out the expected stdout with -f FORMAT (CASE/out:
# the args run as they are), CASE/exit the exit status, CASE/err (if present) the expected stderr, and
# FORMAT.exit / FORMAT.err (empty: none) where a format's differ from the first format's. REGEN=1
# rewrites them on purpose; VALGRIND=1 runs each case under valgrind and fails on any error or leak.
set -u
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
all="text json ndjson junit sarif html note csv"
pass=0 fail=0
for args_file in "$dir"/*/args; do
	d=${args_file%/args}
	case=${d##*/}
	args=$(sed "s|\$B|$B|g" "$args_file")
	formats=""
	for f in $all; do [ -f "$d/$f.out" ] && formats="$formats $f"; done
	formats=${formats# }
	[ -f "$d/out" ] && formats=-
	first=${formats%% *}
	run=$formats
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
			# shellcheck disable=SC2086
			valgrind -q --suppressions=tests/valgrind.supp --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
				$DARTSCAN "$@" > "$tmp/out" 2> "$tmp/err"
		else
			# shellcheck disable=SC2086
			$DARTSCAN "$@" > "$tmp/out" 2> "$tmp/err"
		fi
		code=$?
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
