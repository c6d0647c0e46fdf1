#!/bin/sh
# hostile: damaged, crafted and enormous bundles (tests/hostile/gen.sh builds them). For each case
# dartscan must exit as promised, say what was wrong and where, still report what the readable part
# shows, stay within a time and memory bound, keep escape sequences off the terminal, and write
# nothing but the -o file. Prints "PASS name" / "FAIL name: why" / "SKIP name: why" (names without
# "hostile/") and "N passed, N failed, N skipped".
# Environment: B, DARTSCAN; HOSTILE_SLOW=1 widens the bounds (sanitizer and valgrind builds).
set -u
SUITE=hostile
. tests/lib.sh
name_prefix=
TOP=$(pwd)
H=$TOP/$B/hostile
RU=$TOP/$B/rusage
case $D in /*) DS=$D ;; *) DS=$TOP/$D ;; esac
MAX_S=30
MAX_KIB=262144 # 256 MiB
FAST_S=10      # bombs and the 200 MB line must be stopped in seconds
if [ "${HOSTILE_SLOW:-0}" = 1 ]; then
	MAX_S=300 MAX_KIB=2097152 FAST_S=120
fi

if ! sh tests/hostile/gen.sh "$B" >/dev/null 2>"$B/hostile-gen.err"; then
	ko hostile-gen "gen.sh failed: $(tail -1 "$B/hostile-gen.err")"
	finish
fi
ok hostile-gen
TIMES=$TOP/$B/hostile/times.txt # seconds and peak RSS per run, for the record
: >"$TIMES"
ESC=$(printf '\033')
BEL=$(printf '\007')

# fail NAME WHY: one FAIL line of the case (a case can have several); it does not pass
fail() {
	ko "$1" "$2"
	failed=1
}

# run NAME RC LIMIT_S ARGS...: dartscan twice in an empty directory -- text on stdout, then JSON
# to -o out.json -- and checks the exit status, time, memory, escapes and stray files of both.
# Leaves $tmp/out.txt, $tmp/err.txt, $tmp/out.json, $tmp/err.json for the case's own checks.
run() {
	name=$1 want=$2 lim=$3
	shift 3
	failed=0
	rm -f "$tmp/expects" "$tmp/out.json"
	for fmt in text json; do
		rm -rf "$tmp/cwd"
		mkdir "$tmp/cwd"
		if [ $fmt = text ]; then
			(cd "$tmp/cwd" && "$RU" "$tmp/ru" "$DS" --color always -R "$TOP/rules" "$@" >"$tmp/out.txt" 2>"$tmp/err.text")
			cp "$tmp/err.text" "$tmp/err.txt"
		else
			(cd "$tmp/cwd" && "$RU" "$tmp/ru" "$DS" -f json -o out.json -R "$TOP/rules" "$@" 2>"$tmp/err.json")
			[ -f "$tmp/cwd/out.json" ] && mv "$tmp/cwd/out.json" "$tmp/out.json"
		fi
		read -r secs kib rc <"$tmp/ru"
		echo "$name $fmt ${secs}s ${kib}KiB exit $rc" >>"$TIMES"
		[ "$rc" = "$want" ] || fail "$name" "$fmt: exit $rc, want $want ($(head -c 300 "$tmp/err.$fmt" 2>/dev/null))"
		awk -v s="$secs" -v m="$lim" 'BEGIN { exit !(s < m) }' || fail "$name" "$fmt: took ${secs}s (limit ${lim}s)"
		[ "$kib" -lt "$MAX_KIB" ] || fail "$name" "$fmt: peak RSS ${kib} KiB (limit $MAX_KIB)"
		[ -z "$(ls -A "$tmp/cwd")" ] || fail "$name" "$fmt: wrote into its working directory: $(ls -A "$tmp/cwd" | head -3)"
	done
	# --color always: the only escapes allowed are dartscan's own SGR colours
	if tr -d '\n' <"$tmp/out.txt" | sed 's/\x1b\[[0-9;]*m//g' | grep -q "$ESC"; then
		fail "$name" "text output holds a raw ESC from the bundle"
	fi
	if grep -q "[$ESC$BEL]" "$tmp/err.txt" "$tmp/err.json"; then
		fail "$name" "stderr holds a raw ESC or BEL"
	fi
}

# expect NAME PYEXPR WHAT: the Python expression over the first bundle of out.json must be true
# (b: the bundle, errs: its errors, ids: its finding ids). Checked in one batch by done_case:
# starting Python is the slow part of this suite.
expect() {
	printf '%s\t%s\n' "$2" "$3" >>"$tmp/expects"
}

check_expects() {
	[ -s "$tmp/expects" ] || return 0
	out=$(python3 -S -c 'import json, sys
try:
    d = json.load(open(sys.argv[1]))
except Exception as e:
    print("JSON output unreadable: %s" % e)
    sys.exit(0)
b = d["bundles"][0]
errs = b["errors"]
ids = [f["id"] for f in b["findings"]]
for line in open(sys.argv[2]):
    expr, what = line.rstrip("\n").split("\t", 1)
    try:
        ok = eval(expr)
    except Exception as e:
        ok = False
    if not ok:
        print("%s (errors: %s; findings: %s)" % (what, json.dumps(errs)[:300], ids))' "$tmp/out.json" "$tmp/expects")
	# a checker that died (no bundle in the output, a bad line) checked nothing: a failure
	rc=$?
	if [ $rc -ne 0 ]; then
		out=$(printf '%s\n%s' "$out" "expectation checker exited $rc" | sed '/^$/d')
	fi
	rm -f "$tmp/expects"
	[ -z "$out" ] && return 0
	# from a file, not a pipe: ko counts in this shell, not in a subshell
	printf '%s\n' "$out" >"$tmp/expects.failed"
	while IFS= read -r line; do ko "$1" "$line"; done <"$tmp/expects.failed"
	failed=1
}

# one-error NAME WORDS: an error run prints one line on stderr naming the bundle, with WORDS.
one_error() {
	lines=$(wc -l <"$tmp/err.txt")
	[ "$lines" -eq 1 ] || fail "$1" "stderr has $lines lines, want 1"
	grep -q "^dartscan: .*$2" "$tmp/err.txt" || fail "$1" "stderr does not say '$2': $(head -c 200 "$tmp/err.txt")"
}

# Each (entry, message) once: a problem is reported once per entry.
once() {
	expect "$1" 'len(set((e["entry"], e["message"]) for e in errs)) == len(errs)' "a problem reported twice"
}

done_case() {
	check_expects "$1"
	[ "$failed" = 0 ] && ok "$1"
}

PLUG='Cisco Secure Client/Umbrella/cscumbrellaplugin.txt'
UMB='Cisco Secure Client/Umbrella/Umbrella.txt'

n=truncated-zip
run $n 1 $MAX_S "$H/truncated-seed-both.zip"
expect $n 'b["status"] == "partial"' "status not partial"
expect $n 'any("damaged" in e["message"] for e in errs)' "damage not reported"
expect $n '"swg.proxy-unreachable" in ids and "dns.resolvers-unreachable" in ids' "findings before the cut lost"
once $n
done_case $n

n=truncated-targz
run $n 1 $MAX_S "$H/truncated-seed-both.tar.gz"
expect $n 'b["status"] == "partial"' "status not partial"
expect $n 'any("damaged" in e["message"] and "zz-noise.txt" in e["message"] for e in errs)' "damage or last entry not named"
expect $n '"swg.proxy-unreachable" in ids and "dns.resolvers-unreachable" in ids' "findings before the cut lost"
done_case $n

n=truncated-targz-unreadable
run $n 2 $MAX_S "$H/truncated-targz.tar.gz"
expect $n 'b["status"] == "error"' "status not error"
one_error $n "truncated-targz.tar.gz: not a readable archive: truncated gzip input"
done_case $n

n=random-bytes
run $n 2 $MAX_S "$H/random.zip"
one_error $n "random.zip: not a readable archive"
expect $n 'b["status"] == "error" and b["findings"] == []' "status not error"
done_case $n

n=escape-in-bundle-name
run $n 2 $MAX_S "$H/$(printf 'evil\033]0;pwned\007\033[2J.zip')"
one_error $n 'evil\\x1b\]0;pwned\\x07\\x1b\[2J.zip: not a readable archive'
done_case $n

n=empty-file
run $n 2 $MAX_S "$H/empty.zip"
one_error $n "empty.zip: empty file, not a bundle"
done_case $n

n=missing-file
run $n 2 $MAX_S "$H/no-such-bundle.zip"
one_error $n "no-such-bundle.zip: No such file or directory"
done_case $n

n=bad-crc
run $n 1 $MAX_S "$H/bad-crc.zip"
expect $n 'b["status"] == "partial"' "status not partial"
expect $n "[e['entry'] for e in errs if 'CRC' in e['message']] == ['$PLUG']" "bad CRC not reported on the plugin log"
expect $n '"swg.proxy-unreachable" in ids' "intact entries' findings lost"
done_case $n

n=lying-sizes
run $n 1 $MAX_S "$H/lying-sizes.zip"
expect $n 'b["status"] == "partial"' "status not partial"
expect $n "any(e['entry'].endswith('OrgInfo.json') and 'runcated' in e['message'] for e in errs)" "short entry not reported"
expect $n '"swg.proxy-unreachable" in ids' "findings lost"
expect $n 'all(e["message"] == e["message"].rstrip() for e in errs)' "a message ends in a newline or blank"
grep -q 'x0a' "$tmp/out.txt" && fail $n "a problem line shows an escaped newline: $(grep -m1 'x0a' "$tmp/out.txt")"
once $n
done_case $n

n=encrypted
run $n 1 $MAX_S "$H/encrypted.zip"
expect $n 'b["status"] == "partial"' "status not partial"
expect $n "[e['entry'] for e in errs if 'encrypted' in e['message']] == ['$PLUG']" "encrypted entry not reported"
expect $n '"swg.proxy-unreachable" in ids' "findings lost"
done_case $n

n=all-encrypted
# said as encrypted, the bundle unreadable (exit 2), and nothing on stderr calls it not a DART bundle
run $n 2 $MAX_S "$H/all-encrypted.zip"
expect $n 'b["verdict_class"] == "unreadable" and "encrypted" in b["verdict"]' "not said unreadable for encryption"
cat "$tmp/err.text" "$tmp/err.json" | grep -q "not a DART bundle" && fail $n "stderr calls it not a DART bundle"
done_case $n

n=bad-method
run $n 1 $MAX_S "$H/bad-method.zip"
expect $n 'b["status"] == "partial"' "status not partial"
expect $n "sum('compression method' in e['message'] for e in errs) == 2" "unsupported methods not both reported"
expect $n '"swg.proxy-unreachable" in ids' "findings lost"
done_case $n

n=duplicate-names
run $n 1 $MAX_S "$H/duplicate-names.zip"
expect $n "sorted(e['entry'].split('/')[-1] for e in errs if 'duplicate' in e['message']) == ['OrgInfo.json', 'Umbrella.txt']" "duplicates not reported"
expect $n 'b["context"]["organization_id"] == "2598416"' "the second copy replaced the first"
expect $n '"swg.proxy-unreachable" in ids' "findings lost"
done_case $n

n=bad-names
run $n 1 $MAX_S "$H/bad-names.zip"
[ -e /tmp/dartscan-escape ] && fail $n "an entry name with ../ created a file"
grep -q 'Umbrella\\x1b\]0;pwned\\x07\\x1b\[2J/cscumbrellaplugin.txt:' "$tmp/out.txt" || fail $n "escaped entry name missing from evidence"
grep -q 'problem   Cisco Secure Client/\\x1b\[31mred\\x9b2J/secret.txt: encrypted' "$tmp/out.txt" || fail $n "escaped name missing from problems"
expect $n '"dns.resolvers-unreachable" in ids and "swg.proxy-unreachable" in ids' "findings lost"
done_case $n

# Names that lead outside the bundle are read and each listed once, naming it; "a..b" is harmless.
SUS='suspicious entry name (leads outside the bundle): '
n=outside-names-zip
run $n 1 $MAX_S "$H/outside-names.zip"
expect $n "[e['message'] for e in errs if 'suspicious' in e['message']] == ['$SUS' + e['entry'] for e in errs if 'suspicious' in e['message']]" "message does not name the entry"
expect $n "set(e['entry'] for e in errs if 'suspicious' in e['message']) >= {'../../$PLUG', '/abs/$UMB', 'Cisco Secure Client/Umbrella/../../../evil.txt'}" "parent or absolute names not listed"
expect $n "len([e for e in errs if 'suspicious' in e['message']]) == 5 and not any('a..b' in e['entry'] for e in errs)" "not exactly the five outside names listed"
expect $n '"dns.resolvers-unreachable" in ids and "swg.proxy-unreachable" in ids' "entries under outside names not read"
once $n
done_case $n

n=outside-names-targz
run $n 1 $MAX_S "$H/outside-names.tar.gz"
expect $n "sorted(e['entry'] for e in errs if e['message'] == '$SUS' + e['entry']) == sorted(['..' + chr(92) + '..' + chr(92) + 'evil.txt', 'C:' + chr(92) + 'evil.txt', chr(92).join(['Cisco Secure Client', 'DART', '..', '..', 'evil.txt']), '../up/'])" "backslash, drive or directory names not listed"
expect $n '"dns.resolvers-unreachable" in ids' "findings lost"
once $n
done_case $n

# Damage in plain words: what it means first, libarchive's words after; one entry is "1 entry".
n=truncated-one-entry
run $n 1 $MAX_S "$H/truncated-one.zip"
expect $n "[e['entry'] for e in errs if e['message'].startswith('damaged or truncated data (')] == ['$PLUG']" "damaged entry not said in plain words"
expect $n "any(e['entry'] is None and 'after 1 entry (the last: $PLUG)' in e['message'] for e in errs)" "archive damage does not say 'after 1 entry' and name it"
expect $n 'not any("1 entries" in e["message"] for e in errs)' "'1 entries'"
done_case $n

# Names libarchive cannot decode are never "(unnamed)" (and so never each other's duplicates); a
# byte that is not UTF-8 is kept as \xNN.
n=names-undecodable
run $n 1 $MAX_S "$H/names-undecodable.zip"
expect $n 'not any("unnamed" in (e["entry"] or "") for e in errs)' "an entry called (unnamed)"
expect $n 'not any("duplicate" in e["message"] for e in errs)' "different names reported as duplicates"
expect $n "len(set(e['entry'] for e in errs if 'encrypted' in e['message'])) == 4" "four encrypted entries not listed apart"
expect $n "'Cisco Secure Client/DART/raw' + chr(92) + 'xe9.txt' in [e['entry'] for e in errs]" "a byte that is not UTF-8 not kept escaped"
expect $n '"swg.proxy-unreachable" in ids' "findings lost"
done_case $n

n=many-entries
run $n 1 $MAX_S "$H/many-entries.zip"
expect $n 'b["status"] == "ok" and "swg.proxy-unreachable" in ids' "100,000 entries not read through"
done_case $n

n=limit-max-entries
# files past the limit are unread, not missing: nothing is raised from their absence; the bundle
# was not read in full, so it needs review (exit 1), never passes as healthy
run $n 1 $MAX_S --max-entries 1000 "$H/many-entries.zip"
expect $n 'b["status"] == "partial"' "status not partial"
expect $n 'all(f["status"] != "missing" for f in b["context"]["files"])' "a file past the limit called missing"
expect $n "[e['message'] for e in errs] == ['more than 1000 entries (--max-entries); the rest was not read']" "entry limit not reported once"
done_case $n

n=bomb
run $n 1 $FAST_S "$H/bomb.zip"
expect $n 'b["status"] == "partial"' "status not partial"
expect $n "[e['entry'] for e in errs if '--max-ratio' in e['message']] == ['$PLUG']" "bomb not cut once by the ratio limit"
expect $n 'b["context"]["files"][0]["bytes"] < 256 << 20' "bomb read too far"
done_case $n

for n in overlap-full overlap-quoted sfx-overlap sfx-overlap-adjusted; do
	# entries that share bytes: refused from the central directory before anything inflates, behind
	# a self-extractor's program too
	f=$H/$n.zip
	[ -f "$f" ] || f=$H/$n.exe
	run $n 2 $FAST_S "$f"
	expect $n 'b["status"] == "error"' "status not error"
	expect $n "[e['message'] for e in errs] == ['overlapping entries: a zip bomb (29 of 30 entries share their bytes with the next), not read']" "overlap not reported once"
	expect $n 'b["entries_seen"] == 0' "entries were read"
	done_case $n
done

n=dict-bomb
# the decoder's own allocation meets the worker's address-space limit: said in those words (the
# sanitizers' build has no such limit: their shadow memory is terabytes of reservations)
if [ "${HOSTILE_SLOW:-0}" = 1 ]; then
	skip $n "instrumented build"
else
	run $n 2 $FAST_S --max-memory 256M "$H/dict-bomb.tar.xz"
	expect $n 'b["status"] == "error"' "status not error"
	expect $n "len(errs) == 1 and 'out of memory: the bundle needs more than --max-memory' in errs[0]['message']" "the memory limit is not named"
	done_case $n
fi

n=nested-bomb
run $n 1 $FAST_S "$H/nested-bomb.zip"
expect $n 'b["status"] == "partial"' "status not partial"
expect $n "[e['entry'] for e in errs if '--max-ratio' in e['message']] == ['DARTBundle_bomb.zip/$PLUG']" "nested bomb not cut once"
expect $n '"swg.proxy-unreachable" in ids' "the good bundle beside the bomb was not read"
done_case $n

n=limit-max-entry-nested
run $n 1 $FAST_S --max-entry 100K "$H/nested-bomb.zip"
expect $n "[e['entry'] for e in errs if '--max-entry' in e['message']] == ['DARTBundle_bomb.zip']" "entry limit not reported on the nested zip"
expect $n '"swg.proxy-unreachable" in ids' "the good bundle beside the bomb was not read"
done_case $n

n=limit-max-ratio
run $n 1 $FAST_S --max-ratio 100 "$H/bomb.zip"
expect $n "[int(e['message'].split()[-2]) < 40 << 20 for e in errs if 'ratio above 100:1' in e['message']] == [True]" "a lower --max-ratio did not cut sooner"
done_case $n

n=depth3
# the DART zip lies past the depth limit: what could be read holds nothing of a bundle (exit 2)
run $n 2 $MAX_S "$H/depth3.zip"
expect $n "[e['entry'] for e in errs if '--max-depth' in e['message']] == ['case/upload.zip/DARTBundle.zip']" "depth limit not reported"
expect $n 'b["status"] == "error"' "a bundle with nothing of DART read is not an error"
done_case $n

n=limit-max-depth
run $n 1 $MAX_S --max-depth 3 "$H/depth3.zip"
expect $n 'b["status"] == "ok" and "swg.proxy-unreachable" in ids' "three levels not read with --max-depth 3"
done_case $n

n=long-line
run $n 1 $FAST_S "$H/long-line.zip"
expect $n 'b["status"] == "partial"' "status not partial"
expect $n "[e['entry'] for e in errs if '--max-record' in e['message']] == ['$PLUG']" "cut line not reported once"
expect $n '"dns.resolvers-unreachable" in ids and "swg.proxy-unreachable" in ids' "findings lost"
done_case $n

n=nul-filled
run $n 1 $MAX_S "$H/nul-filled.zip"
expect $n "any(e['entry'] == '$PLUG' and 'NUL' in e['message'] for e in errs)" "NULs not reported"
expect $n '"dns.resolvers-unreachable" in ids and "swg.proxy-unreachable" in ids' "findings after the NULs lost"
done_case $n

n=utf16-broken
run $n 1 $MAX_S "$H/utf16-broken.zip"
expect $n "[e['entry'] for e in errs if 'U+FFFD' in e['message']] == ['$UMB']" "bad UTF-16 not reported"
expect $n '"swg.proxy-unreachable" in ids' "the damaged line no longer matches"
done_case $n

n=ansi-in-log
run $n 1 $MAX_S "$H/ansi.zip"
expect $n 'b["status"] == "ok" and "swg.proxy-unreachable" in ids' "finding lost"
grep -q 'successful \\x1b\]0;pwned\\x07\\x1b\[2J\\u009b31m\.' "$tmp/out.txt" || fail $n "escape sequence not shown escaped"
done_case $n

n=symlink-dir
run $n 1 $MAX_S "$H/symlink-dir"
expect $n "[e['message'] for e in errs if e['entry'] == '$PLUG'] == ['symbolic link not followed']" "symlink not reported"
expect $n "[e['message'] for e in errs if e['entry'].endswith('/pipe.txt')] == ['not a regular file, not read']" "FIFO not reported"
grep -q 'root:' "$tmp/out.txt" "$tmp/out.json" && fail $n "the symlink's target was read"
expect $n '"swg.proxy-unreachable" in ids' "findings lost"
done_case $n

n=backtracking-rule
run $n 1 $MAX_S -R "$H/rules-backtrack" "$H/backtrack.zip"
expect $n "[e['entry'] for e in errs] == ['$PLUG']" "no warning on the plugin log"
expect $n "'line 26: rule hostile.backtrack gave up' in errs[0]['message'] and 'limit' in errs[0]['message']" "warning does not name rule and line"
expect $n '"dns.resolvers-unreachable" in ids' "other rules stopped matching"
done_case $n

n=many-runs
run $n 1 $MAX_S "$H/many-runs.zip"
expect $n "[e['entry'] for e in errs if 'separate runs' in e['message']] == ['$PLUG']" "run limit not reported once"
expect $n "[f['count'] for f in b['findings'] if f['id'] == 'dns.resolvers-unreachable'] == [200000]" "matches lost"
done_case $n

S="$TOP/$B/fixtures/seed-both.zip"
n=limit-max-total
run $n 1 $MAX_S --max-total 10K "$S"
expect $n "[e['message'] for e in errs] == ['bundle decompresses to more than 10240 bytes (--max-total); reading stopped']" "total limit not reported once"
expect $n 'all(f["status"] != "missing" for f in b["context"]["files"])' "a file after the stop called missing"
done_case $n

n=limit-max-entry
# both logs past the limit: not one of their records read, the bundle is unreadable (exit 2)
run $n 2 $MAX_S --max-entry 1K "$S"
expect $n "sorted(e['entry'].split('/')[-1] for e in errs if '--max-entry' in e['message']) == ['Umbrella.txt', 'cscumbrellaplugin.txt']" "entry limit not reported once per entry"
done_case $n

n=limit-max-record
# records cut: read in part, a review (exit 1)
run $n 1 $MAX_S --max-record 64 "$S"
expect $n "sorted(e['entry'].split('/')[-1] for e in errs if '--max-record' in e['message']) == ['Umbrella.txt', 'cscumbrellaplugin.txt']" "record limit not reported once per entry"
done_case $n

# Every numeric option says the range it takes when given a value outside it (or no number).
n=option-ranges
failed=0
for spec in "-j|0|1 to 256" "--jobs|257|1 to 256" "--evidence|0|1 to 1000" "--transient|86401|0 to 86400" \
	"--max-depth|10|1 to 8" "--max-depth|0|1 to 8" "--max-entries|0|1 to 10000000" "--max-ratio|-1|0 to 1000000" \
	"--max-ratio|99999999999|0 to 1000000" "--max-total|0|1 to 1024G" "--max-entry|2000G|1 to 1024G" \
	"--max-entry|99999999999G|1 to 1024G" "--max-record|63|64 to 1G" "--max-record|x|64 to 1G"; do
	opt=${spec%%|*} rest=${spec#*|}
	val=${rest%%|*} range=${rest#*|}
	shown=$opt
	[ "$opt" = --jobs ] && shown=-j
	"$DS" -R "$TOP/rules" "$opt" "$val" "$S" >/dev/null 2>"$tmp/err.txt"
	rc=$?
	[ $rc = 2 ] || fail $n "$opt $val: exit $rc, want 2"
	grep -qxF "dartscan: $shown: expected $range, not '$val'" "$tmp/err.txt" ||
		fail $n "$opt $val: stderr does not say 'expected $range': $(head -c 200 "$tmp/err.txt")"
done
"$DS" -q -R "$TOP/rules" --max-depth 8 --max-ratio 1000000 --max-total 1024G "$S" >/dev/null 2>"$tmp/err.txt"
[ $? = 1 ] || fail $n "the ends of the ranges are not accepted: $(head -c 200 "$tmp/err.txt")"
[ "$failed" = 0 ] && ok $n

# Two bundles in one run: an unreadable one must not hide the good one's findings.
n=error-beside-good
run $n 2 $MAX_S "$H/random.zip" "$S"
one_error $n "random.zip: not a readable archive"
grep -q 'swg.proxy-unreachable' "$tmp/out.txt" || fail $n "the good bundle's findings are missing"
done_case $n
finish
