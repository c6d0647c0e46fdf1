#!/bin/sh
# Golden end-to-end tests: tests/golden/NAME.args holds the arguments (one line, $B expands to
# the build dir); NAME.out the expected stdout, NAME.exit the expected exit status, NAME.err (if
# present) the expected stderr. REGEN=1 rewrites .out/.exit/.err on purpose; VALGRIND=1 runs
# each case under valgrind and fails on any error or leak.
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
pass=0 fail=0
for args_file in "$dir"/*.args; do
	name=$(basename "$args_file" .args)
	args=$(sed "s|\$B|$B|g" "$args_file")
	if [ "${VALGRIND:-0}" = 1 ]; then
		# shellcheck disable=SC2086
		valgrind -q --suppressions=tests/valgrind.supp --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
			$DARTSCAN $args > "$tmp/out" 2> "$tmp/err"
	else
		# shellcheck disable=SC2086
		$DARTSCAN $args > "$tmp/out" 2> "$tmp/err"
	fi
	code=$?
	if [ "${REGEN:-0}" = 1 ]; then
		cp "$tmp/out" "$dir/$name.out"
		echo "$code" > "$dir/$name.exit"
		if [ -s "$tmp/err" ]; then cp "$tmp/err" "$dir/$name.err"; else rm -f "$dir/$name.err"; fi
		echo "regenerated $name"
		continue
	fi
	why=""
	[ "$code" = "$(cat "$dir/$name.exit")" ] || why="exit $code, want $(cat "$dir/$name.exit")"
	cmp -s "$tmp/out" "$dir/$name.out" || why="$why stdout differs: $(diff "$dir/$name.out" "$tmp/out" | head -5 | tr '\n' ' ')"
	if [ -f "$dir/$name.err" ]; then
		cmp -s "$tmp/err" "$dir/$name.err" || why="$why stderr differs: $(head -2 "$tmp/err" | tr '\n' ' ')"
	elif [ -s "$tmp/err" ] && [ "${VALGRIND:-0}" != 1 ]; then
		why="$why unexpected stderr: $(head -2 "$tmp/err" | tr '\n' ' ')"
	fi
	if [ -z "$why" ]; then
		echo "PASS golden/$name"
		pass=$((pass + 1))
	else
		echo "FAIL golden/$name: $why"
		fail=$((fail + 1))
	fi
done
[ "${REGEN:-0}" = 1 ] && exit 0
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
