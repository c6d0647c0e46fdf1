#!/bin/sh
# output: a report is never lost or clobbered. A write that fails (a full disk, a closed pipe) is
# one error line and exit 2; a command line that is wrong, or a run that made no report, leaves
# an existing -o FILE as it was; a report that is made replaces FILE whole, leaving no temporary.
# Environment: B, DARTSCAN. Prints PASS/FAIL/SKIP lines and "N passed, N failed, N skipped".
set -u
SUITE=output
. tests/lib.sh

# check NAME RC WANT_RC ERRFILE PATTERN: the exit status and one stderr line matching PATTERN
check() {
	lines=$(grep -c . "$4")
	if [ "$2" = "$3" ] && grep -q -- "$5" "$4" && [ "$lines" = 1 ]; then ok "$1"; else
		ko "$1" "exit $2 (want $3), stderr: $(head -c 300 "$4")"
	fi
}

if [ -w /dev/full ]; then
	"$D" -R rules "$F/seed-dns.zip" >/dev/full 2>"$tmp/err"
	check dev-full-text $? 2 "$tmp/err" 'standard output: write error: No space left on device'
	"$D" -R rules -f json "$F/seed-dns.zip" "$F/healthy.zip" >/dev/full 2>"$tmp/err"
	check dev-full-json $? 2 "$tmp/err" 'write error'
	"$D" rules list rules >/dev/full 2>"$tmp/err"
	check dev-full-rules-list $? 2 "$tmp/err" 'write error'
else
	for t in dev-full-text dev-full-json dev-full-rules-list; do skip $t "no writable /dev/full"; done
fi

# a reader that closes the pipe at once: every write gets EPIPE (SIGPIPE is ignored)
{ "$D" -R rules -f ndjson "$F/seed-dns.zip" "$F/seed-swg.zip" 2>"$tmp/err"; echo $? >"$tmp/rc"; } | { exec 0<&-; true; }
check closed-pipe "$(cat "$tmp/rc")" 2 "$tmp/err" 'write error: Broken pipe'

printf 'the report of yesterday\n' >"$tmp/report.txt"
"$D" -R rules -f bogus -o "$tmp/report.txt" "$F/seed-dns.zip" 2>"$tmp/err"
check bad-format-keeps-file $? 2 "$tmp/err" "unknown format 'bogus'"
[ "$(cat "$tmp/report.txt")" = "the report of yesterday" ] && ok bad-format-file-untouched || ko bad-format-file-untouched "$(head -c 100 "$tmp/report.txt")"
"$D" -R "$tmp/no-such-rules" -o "$tmp/report.txt" "$F/seed-dns.zip" 2>"$tmp/err"
check no-rules-keeps-file $? 2 "$tmp/err" 'no-such-rules'
"$D" -R rules --explain no.such-rule -o "$tmp/report.txt" "$F/seed-dns.zip" 2>"$tmp/err"
check bad-explain-keeps-file $? 2 "$tmp/err" "no rule 'no.such-rule'"
[ "$(cat "$tmp/report.txt")" = "the report of yesterday" ] && ok no-report-file-untouched || ko no-report-file-untouched "$(head -c 100 "$tmp/report.txt")"

chmod 640 "$tmp/report.txt"
"$D" -R rules -o "$tmp/report.txt" "$F/seed-dns.zip" 2>"$tmp/err"
rc=$?
"$D" -R rules "$F/seed-dns.zip" >"$tmp/stdout.txt" 2>/dev/null
if [ $rc = 1 ] && cmp -s "$tmp/report.txt" "$tmp/stdout.txt"; then ok o-file-is-the-report; else ko o-file-is-the-report "exit $rc"; fi
[ "$(ls "$tmp" | grep -c 'report.txt.tmp')" = 0 ] && ok no-temporary-left || ko no-temporary-left "$(ls "$tmp")"
[ "$(stat -c %a "$tmp/report.txt")" = 640 ] && ok o-file-keeps-mode || ko o-file-keeps-mode "$(stat -c %a "$tmp/report.txt")"
"$D" -R rules -o "$tmp/no-such-dir/report.txt" "$F/seed-dns.zip" 2>"$tmp/err"
check o-dir-missing $? 2 "$tmp/err" 'cannot write the report'
# started with stderr closed: the report must not take its number (messages landed in it, and
# the worker could write it)
"$D" -R rules -q -j1 -f json -o "$tmp/closed2.json" "$tmp/no-such.zip" "$F/healthy.zip" 2>&-
rc=$?
if [ $rc = 2 ] && python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$tmp/closed2.json" 2>/dev/null; then
	ok stderr-closed-report-clean
else
	ko stderr-closed-report-clean "exit $rc, report: $(head -c 80 "$tmp/closed2.json")"
fi

# one list of dangerous characters in every sink: bidi controls (U+202E, U+2067), ESC, BEL, DEL, C1
for fmt in text json ndjson junit sarif html; do
	"$D" -R rules -f $fmt --timeline "$F/bidi.zip" >"$tmp/bidi.$fmt" 2>/dev/null
	if LC_ALL=C grep -q "$(printf '\342\200\256')\|$(printf '\342\201\247')\|$(printf '\033')\|$(printf '\007')\|$(printf '\177')\|$(printf '\302\205')" "$tmp/bidi.$fmt"; then
		ko "no-raw-controls-$fmt" "a dangerous character reached the $fmt output"
	else
		ok "no-raw-controls-$fmt"
	fi
done
finish
