#!/bin/sh
# output: a report is never lost or clobbered, nor an input. A write that fails (a full disk) is
# one error line and exit 2, a reader gone (EPIPE) a quiet 141; an output that is an input, another
# output, a device or FIFO is refused before scanning; a command line that is wrong, or a run that made no report, leaves
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
	"$D" rules list rules >/dev/full 2>"$tmp/err.all"
	rc=$?
	grep -v '^dartscan: rules: loaded ' "$tmp/err.all" >"$tmp/err" # the directories, then the one error
	check dev-full-rules-list $rc 2 "$tmp/err" 'write error'
else
	for t in dev-full-text dev-full-json dev-full-rules-list; do skip $t "no writable /dev/full"; done
fi

# a reader that closes the pipe at once: the run ends as SIGPIPE ends a filter, silently, 141
{ "$D" -R rules -f ndjson "$F/seed-dns.zip" "$F/seed-swg.zip" 2>"$tmp/err"; echo $? >"$tmp/rc"; } | { exec 0<&-; true; }
[ "$(cat "$tmp/rc")" = 141 ] && [ ! -s "$tmp/err" ] && ok closed-pipe ||
    ko closed-pipe "exit $(cat "$tmp/rc"), stderr: $(head -c 200 "$tmp/err")"
# ... in every format (the list -h gives: JUnit's libxml2 writer said "I/O error : Broken pipe"),
# and after -h or --version; a full disk is still one line in each
formats=$("$D" -h | sed -n 's/^formats: \(.*\)\. See.*/\1/p' | tr '|' ' ')
[ -n "$formats" ] || ko formats-from-help "no 'formats:' line in dartscan -h"
closed() { # NAME ARGS...: run with standard output a pipe its reader closed at once
	name=$1
	shift
	{ "$D" "$@" 2>"$tmp/err"; echo $? >"$tmp/rc"; } | { exec 0<&-; true; }
	[ "$(cat "$tmp/rc")" = 141 ] && [ ! -s "$tmp/err" ] && ok "$name" ||
	    ko "$name" "exit $(cat "$tmp/rc") (want 141), stderr: $(head -c 200 "$tmp/err")"
}
for fmt in $formats; do
	closed "closed-pipe-$fmt" -R rules -q -f "$fmt" "$F/seed-both.zip"
	if [ -w /dev/full ]; then
		"$D" -R rules -q -f "$fmt" "$F/seed-both.zip" >/dev/full 2>"$tmp/err"
		check "dev-full-one-line-$fmt" $? 2 "$tmp/err" 'standard output: write error: No space left on device'
	fi
done
closed closed-pipe-help -h
closed closed-pipe-version --version

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
# ---- outputs never replace an input: refused before scanning, exit 2, one line, the input intact ----
# refuse NAME PATTERN VICTIM ARG...: run from $tmp/in (relative names as a user types them)
mkdir -p "$tmp/in/sub" "$tmp/in/dir" "$tmp/in/rules"
cp rules/*.rules "$tmp/in/rules/"
refuse() {
	name=$1 pat=$2 victim=$3
	shift 3
	cp "$victim" "$tmp/victim.before" 2>/dev/null || : >"$tmp/victim.before"
	(cd "$tmp/in" && "$OLDPWD/$D" -q "$@" >/dev/null 2>"$tmp/err")
	rc=$?
	if [ $rc = 2 ] && [ "$(grep -c . "$tmp/err")" = 1 ] && grep -q -- "$pat" "$tmp/err" &&
	    cmp -s "$victim" "$tmp/victim.before"; then
		ok "$name"
	else
		ko "$name" "exit $rc, stderr: $(head -c 300 "$tmp/err")"
	fi
}
cp "$F/seed-both.zip" "$tmp/in/in.zip"
cp "$F/seed-dns.zip" "$tmp/in/dir/b.zip"
ln -sf in.zip "$tmp/in/link.zip"
cp "$B/captures/dns-drop.pcap" "$tmp/in/c.pcap"
R="-R $PWD/rules"
refuse o-same-path 'refusing to replace an input' "$tmp/in/in.zip" $R -o in.zip in.zip
refuse o-dot-slash 'refusing to replace an input' "$tmp/in/in.zip" $R -o ./in.zip in.zip
refuse o-absolute 'refusing to replace an input' "$tmp/in/in.zip" $R -o "$tmp/in/in.zip" in.zip
refuse o-dot-dot 'refusing to replace an input' "$tmp/in/in.zip" $R -o sub/../in.zip in.zip
refuse o-through-symlink 'refusing to replace an input' "$tmp/in/in.zip" $R -o in.zip link.zip
refuse o-symlink-to-input 'refusing to replace an input' "$tmp/in/in.zip" $R -o link.zip in.zip
refuse o-in-r-dir 'refusing to replace an input' "$tmp/in/dir/b.zip" $R -r -o dir/b.zip dir
refuse o-pcap 'the --pcap capture' "$tmp/in/c.pcap" $R --pcap c.pcap -o c.pcap in.zip
refuse o-rules-file 'the rules' "$tmp/in/rules/dns.rules" -R rules -o rules/dns.rules in.zip
refuse redact-map-input 'refusing to replace an input with the redact map' "$tmp/in/in.zip" $R --redact-map in.zip in.zip
printf 'bundle: in.zip\n' >"$tmp/in/expect.txt"
refuse o-expect 'the --expect file' "$tmp/in/expect.txt" $R --expect expect.txt -o expect.txt
echo 'the map of yesterday' >"$tmp/in/same.txt"
refuse o-is-redact-map 'is both the report and the redact map' "$tmp/in/same.txt" $R -o same.txt --redact-map same.txt in.zip
mkfifo "$tmp/in/fifo"
refuse o-fifo 'not a regular file' /dev/null $R -o fifo in.zip
[ -p "$tmp/in/fifo" ] && ok o-fifo-kept || ko o-fifo-kept "$(ls -l "$tmp/in/fifo")"
refuse o-device 'not a regular file' /dev/null $R -o /dev/zero in.zip
refuse o-empty 'an empty file name for the report' /dev/null $R -o '' in.zip
# standard output named as a file is standard output
"$D" -R rules -o /dev/stdout "$F/seed-dns.zip" >"$tmp/via-name.txt" 2>/dev/null
"$D" -R rules -o - "$F/seed-dns.zip" >"$tmp/via-dash.txt" 2>/dev/null
cmp -s "$tmp/via-name.txt" "$tmp/stdout.txt" && cmp -s "$tmp/via-dash.txt" "$tmp/stdout.txt" && ok o-stdout-names ||
    ko o-stdout-names "$(head -c 100 "$tmp/via-name.txt")"
# modes: the private map 0600 whatever the umask, a replaced report without setuid/setgid
(umask 022; "$D" -q -R rules --redact-map "$tmp/map.txt" "$F/seed-both.zip" >/dev/null 2>&1)
[ "$(stat -c %a "$tmp/map.txt")" = 600 ] && ok redact-map-private || ko redact-map-private "$(stat -c %a "$tmp/map.txt")"
: >"$tmp/suid"
chmod 6755 "$tmp/suid"
"$D" -q -R rules -o "$tmp/suid" "$F/healthy.zip" 2>/dev/null
[ "$(stat -c %a "$tmp/suid")" = 755 ] && ok no-setuid-copied || ko no-setuid-copied "$(stat -c %a "$tmp/suid")"

# --update-expect: a random temporary name, never a planted FILE.tmp link followed
mkdir -p "$tmp/ex"
cp "$F/healthy.zip" "$tmp/ex/h.zip"
printf 'bundle: h.zip\n' >"$tmp/ex/expect.txt"
echo 'IMPORTANT DATA' >"$tmp/victim"
ln -s "$tmp/victim" "$tmp/ex/expect.txt.tmp"
(cd "$tmp/ex" && "$OLDPWD/$D" -q -R "$OLDPWD/rules" --expect expect.txt --update-expect >/dev/null 2>&1)
if [ "$(cat "$tmp/victim")" = 'IMPORTANT DATA' ] && [ ! -L "$tmp/ex/expect.txt" ] && grep -q '^bundle: h.zip' "$tmp/ex/expect.txt"; then
	ok update-expect-no-predictable-tmp
else
	ko update-expect-no-predictable-tmp "victim: $(head -c 50 "$tmp/victim"), $(ls -l "$tmp/ex")"
fi

# a signal while the report is written: the old file intact, no temporary, exit 128+signal. The
# run is kept busy by a worker that hangs (evil.so); python starts it with every signal default.
if [ -f "$B/evil.so" ]; then
	evil_bundle hang
	for sig in TERM:15 INT:2 HUP:1 QUIT:3; do
		want=$((128 + ${sig#*:}))
		sig=${sig%:*}
		echo 'the report of yesterday' >"$tmp/sig.txt"
		got=$(python3 - "$D" "$tmp/sig.txt" "$F/healthy.zip" "$tmp/evil-hang.zip" "$B/evil.so" "$sig" <<'PY'
import os, signal, subprocess, sys, time
d, out, a, b, evil, sig = sys.argv[1:]
def default():
    for s in (signal.SIGINT, signal.SIGQUIT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, signal.SIG_DFL)
p = subprocess.Popen([d, "-q", "-R", "rules", "-j1", "--max-seconds", "20", "-o", out, a, b],
                     env=dict(os.environ, LD_PRELOAD=evil), preexec_fn=default, stderr=subprocess.DEVNULL)
time.sleep(1.5)
p.send_signal(getattr(signal, "SIG" + sig))
print(p.wait())
PY
)
		left=$(ls "$tmp" | grep -c 'sig.txt.tmp')
		if [ "$got" = "$want" ] && [ "$left" = 0 ] && [ "$(cat "$tmp/sig.txt")" = 'the report of yesterday' ]; then
			ok "sig$sig-cleans-up"
		else
			ko "sig$sig-cleans-up" "exit $got (want $want), $left temporaries, file: $(head -c 40 "$tmp/sig.txt")"
		fi
	done
else
	ko signals-clean-up "$B/evil.so not built (make check builds it)"
fi

# a reader that went away (the pipe's read end closed before the first line, as `| head -1` leaves
# it once it has its line): no message, no more scanning, the status of a filter killed by SIGPIPE
# (128+13). The missing bundles after the good ones would each say so if read. The end is closed
# first so that the run does not depend on how soon a reader process exits (a loaded machine's
# head -1 can leave after four small reports fit in the pipe).
rc=$(python3 - "$tmp/err" "$D" -R rules -j1 "$F/seed-both.zip" "$F/healthy.zip" "$F/seed-dns.zip" "$F/seed-swg.zip" \
    "$tmp/gone1.zip" "$tmp/gone2.zip" <<'PY'
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
with open(sys.argv[1], "w") as err:
    rc = subprocess.call(sys.argv[2:], stdout=w, stderr=err)  # SIGPIPE is the default again in the child
print(128 - rc if rc < 0 else rc)
PY
)
if [ "$rc" = 141 ] && [ ! -s "$tmp/err" ]; then ok epipe-quiet; else
	ko epipe-quiet "exit $rc, stderr: $(head -c 200 "$tmp/err")"
fi

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
# (every format dartscan has: its --help line comes from the formats table)
for fmt in $("$D" --help | sed -n 's/^formats: \(.*\)\. See .*/\1/p' | tr '|' ' '); do
	"$D" -R rules -f $fmt --timeline "$F/bidi.zip" >"$tmp/bidi.$fmt" 2>/dev/null
	if LC_ALL=C grep -q "$(printf '\342\200\256')\|$(printf '\342\201\247')\|$(printf '\033')\|$(printf '\007')\|$(printf '\177')\|$(printf '\302\205')" "$tmp/bidi.$fmt"; then
		ko "no-raw-controls-$fmt" "a dangerous character reached the $fmt output"
	else
		ok "no-raw-controls-$fmt"
	fi
done
finish
