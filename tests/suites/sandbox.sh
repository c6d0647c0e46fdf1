#!/bin/sh
# sandbox: a bundle is read in a worker process that can do nothing but read. build/evil.so,
# preloaded, plays a library bug that hostile bytes took over: an entry named EVIL-<act> makes
# the worker run a program, open a socket, write a file, crash, eat memory or hang. Each must end
# in a one-line error naming the bundle and the entry, exit 2, nothing done, and the other
# bundles of the run scanned as if alone. Also: the worker's kernel confinement is really on,
# and the output is the same with and without the sandbox.
# Environment: B, DARTSCAN, HOSTILE_SLOW (an instrumented build). Prints PASS/FAIL/SKIP lines and
# "N passed, N failed, N skipped".
set -u
SUITE=sandbox
. tests/lib.sh

EVIL=$B/evil.so
# an instrumented binary must come first in the library list; the preload is only a test's
# and a crash must reach the parent as the signal it is, not as the sanitizer's report
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0:handle_segv=0"

# run_evil ACT [OPTION...]: scans evil-ACT.zip then seed-dns.zip, JSON in $tmp/out, rc in $rc
run_evil() {
	act=$1
	shift
	rm -f "$tmp/mark"
	EVIL_MARK="$tmp/mark" LD_PRELOAD="$EVIL" "$D" -R rules -f json "$@" "$tmp/evil-$act.zip" "$F/seed-dns.zip" \
	    >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# what the JSON says: the first bundle's status, its one error (entry: message), the second's
# status and finding ids
summary() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["bundles"]
e = d[0]["errors"]
print(d[0]["status"], len(e), (e[0]["entry"] or "-") + ": " + e[0]["message"] if e else "-")
print(d[1]["status"], " ".join(sorted(f["id"] for f in d[1]["findings"])))
' "$tmp/out"
}

# expect NAME PATTERN: exit 2, the evil bundle in error with one message matching PATTERN and
# naming the evil entry, stderr one line, no mark, the second bundle as scanned alone
expect() {
	s=$(summary 2>&1)
	first=$(echo "$s" | sed -n 1p)
	second=$(echo "$s" | sed -n 2p)
	if [ "$rc" = 2 ] && echo "$first" | grep -q "^error 1 .*EVIL-.*: $2" && [ ! -e "$tmp/mark" ] &&
	    [ "$second" = "$alone" ] && [ "$(grep -c . "$tmp/err")" = 1 ]; then
		ok "$1"
	else
		ko "$1" "rc $rc, [$first] [$second] want [$alone], mark: $(cat "$tmp/mark" 2>/dev/null), err: $(head -c 300 "$tmp/err")"
	fi
}

if [ ! -f "$EVIL" ]; then
	ko evil-preload "$EVIL not built (make check builds it)"
	finish
fi
for a in exec socket write crash hog hang sigkill prlimit inject rewind; do evil_bundle $a; done
"$D" -R rules -f json "$F/seed-dns.zip" >"$tmp/alone.json" 2>/dev/null
alone=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["bundles"][0]
print(d["status"], " ".join(sorted(f["id"] for f in d["findings"])))' "$tmp/alone.json")

# the preload does act when nothing stops it: without this the cases below prove nothing
EVIL_MARK="$tmp/mark" LD_PRELOAD="$EVIL" "$D" --no-sandbox -R rules "$tmp/evil-write.zip" >/dev/null 2>&1
[ -e "$tmp/mark" ] && ok evil-acts-unconfined || ko evil-acts-unconfined "the preload wrote no mark"
rm -f "$tmp/mark"
if [ -n "${HOSTILE_SLOW:-}" ]; then
	skip evil-exec-runs-unconfined "instrumented build"
else
	EVIL_MARK="$tmp/mark" LD_PRELOAD="$EVIL" "$D" --no-sandbox -R rules "$tmp/evil-exec.zip" >/dev/null 2>&1
	[ "$(cat "$tmp/mark" 2>/dev/null)" = ran ] && ok evil-exec-runs-unconfined || ko evil-exec-runs-unconfined "no program ran"
fi

run_evil exec
expect stops-execve 'stopped by the sandbox: forbidden system call execve'
run_evil socket
expect stops-socket 'stopped by the sandbox: forbidden system call socket'
run_evil write
expect stops-file-write 'stopped by the sandbox: forbidden system call openat (for writing)'
run_evil crash
expect reports-crash 'worker crashed: signal 11 (Segmentation fault)'
if [ -n "${HOSTILE_SLOW:-}" ]; then
	# the sanitizers reserve terabytes of address space: no address-space limit applies there
	skip reports-out-of-memory "instrumented build"
else
	run_evil hog --max-memory 256M
	expect reports-out-of-memory 'ran out of memory (the --max-memory limit, 256 MiB)'
fi
# calls a reader has some use of, aimed at what is not its own: each stopped by its arguments
sleep 60 &
victim=$!
EVIL_VICTIM=$victim run_evil sigkill
expect stops-fcntl-setown 'stopped by the sandbox: forbidden system call fcntl'
kill -0 $victim 2>/dev/null && ok victim-unsignalled || ko victim-unsignalled "the worker had process $victim killed"
kill $victim 2>/dev/null
wait $victim 2>/dev/null
run_evil prlimit
expect stops-prlimit-on-parent 'stopped by the sandbox: forbidden system call prlimit64'
run_evil inject
expect stops-dup-onto-result-pipe 'stopped by the sandbox: forbidden system call dup3'
run_evil rewind
expect stops-seek-of-parent-stdout 'stopped by the sandbox: forbidden system call lseek'
# a worker holds none of the parent's descriptors: its 0-2 are /dev/null, nothing else but its pipes
LD_PRELOAD="$EVIL" "$D" -R rules --max-seconds 4 "$tmp/evil-hang.zip" >"$tmp/out" 2>&1 &
parent=$!
sleep 1
fds=none
for p in /proc/[0-9]*; do
	[ "$(awk '{print $4}' "$p/stat" 2>/dev/null)" = "$parent" ] || continue
	fds=$(for f in "$p"/fd/*; do printf '%s=%s ' "${f##*/}" "$(readlink "$f" | sed 's/:\[[0-9]*\]//')"; done)
done
wait $parent
# (5 and up: what it opened itself, the bundle)
case "$fds" in
"0=/dev/null 1=/dev/null 2=/dev/null 3=pipe 4=pipe "*)
	rest=$(echo "${fds#*4=pipe }" | tr ' ' '\n' | grep -v "=$tmp/evil-hang.zip\$" | grep .)
	[ -z "$rest" ] && ok worker-holds-no-parent-fd || ko worker-holds-no-parent-fd "$fds" ;;
*) ko worker-holds-no-parent-fd "$fds" ;;
esac

t0=$(date +%s)
run_evil hang --max-seconds 2
expect stops-hang 'stopped after 2 s (the --max-seconds limit)'
[ $(($(date +%s) - t0)) -le 10 ] && ok hang-bounded || ko hang-bounded "took $(($(date +%s) - t0)) s"

# a crash leaves no core file behind, whatever the shell allows
(cd "$tmp" && ulimit -c unlimited 2>/dev/null; LD_PRELOAD="$OLDPWD/$EVIL" "$OLDPWD/$D" -R "$OLDPWD/rules" \
    evil-crash.zip >/dev/null 2>&1)
[ -z "$(find "$tmp" -maxdepth 1 -name 'core*')" ] && ok no-core-file || ko no-core-file "$(ls "$tmp")"

# a batch with every failure among good bundles: each good bundle as alone, every bad one named
cp "$F/seed-dns.zip" "$tmp/a-good.zip"
cp "$F/seed-swg.zip" "$tmp/z-good.zip"
# (the sanitizers' build has no address-space limit: there the hog would eat the machine)
bad="exec socket write crash hog hang"
[ -n "${HOSTILE_SLOW:-}" ] && bad="exec socket write crash hang"
nbad=$(echo $bad | wc -w)
EVIL_MARK="$tmp/mark" LD_PRELOAD="$EVIL" "$D" -R rules -f ndjson -j 2 --max-seconds 3 --max-memory 512M \
    "$tmp/a-good.zip" $(for a in $bad; do echo "$tmp/evil-$a.zip"; done) "$tmp/z-good.zip" >"$tmp/batch" 2>"$tmp/err"
rc=$?
"$D" -R rules -f ndjson "$tmp/a-good.zip" "$tmp/z-good.zip" >"$tmp/good" 2>/dev/null
if [ "$rc" = 2 ] && [ "$(grep -c '"status": *"error"' "$tmp/batch")" = "$nbad" ] &&
    [ "$(grep good.zip "$tmp/batch")" = "$(cat "$tmp/good")" ] && [ "$(grep -c . "$tmp/err")" = "$nbad" ]; then
	ok batch-goes-on
else
	ko batch-goes-on "rc $rc, $(grep -c '"status": *"error"' "$tmp/batch") errors, stderr: $(head -c 400 "$tmp/err")"
fi

# a worker that sends forged bytes (an event with a component and no state: the parent once
# compared the NULL and died, the whole batch's report lost) makes its bundle an error, no more
if [ -f "$B/lying.so" ]; then
	LIE_FILE=tests/fuzz/regress/wire-event-state-null LD_PRELOAD="$B/lying.so" "$D" -R rules -f json -j 1 \
	    "$F/seed-both.zip" >"$tmp/lie.json" 2>"$tmp/err"
	rc=$?
	lie=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["bundles"]
print(len(d), d[0]["status"], d[0]["errors"][0]["message"].split(" (")[0])' "$tmp/lie.json" 2>&1)
	if [ "$rc" = 2 ] && [ "$lie" = "1 error worker sent invalid results" ] && [ "$(grep -c . "$tmp/err")" = 1 ]; then
		ok forged-result-refused
	else
		ko forged-result-refused "rc $rc, [$lie], err: $(head -c 300 "$tmp/err")"
	fi
else
	ko forged-result-refused "$B/lying.so not built (make check builds it)"
fi

# the worker really runs under the filter (Seccomp: 2 in its /proc status) and the limit
LD_PRELOAD="$EVIL" "$D" -R rules --max-seconds 4 "$tmp/evil-hang.zip" >/dev/null 2>&1 &
parent=$!
sleep 1
seccomp=none
for p in /proc/[0-9]*; do
	[ "$(awk '{print $4}' "$p/stat" 2>/dev/null)" = "$parent" ] || continue
	seccomp=$(awk '/^Seccomp:/ {print $2}' "$p/status")
	aslimit=$(awk '/^Max address space/ {print $5}' "$p/limits")
done
wait $parent
[ "$seccomp" = 2 ] && ok worker-filtered || ko worker-filtered "Seccomp: $seccomp"
if [ -n "${HOSTILE_SLOW:-}" ]; then
	skip worker-memory-limited "instrumented build"
else
	[ "${aslimit:-}" = $((2 << 30)) ] && ok worker-memory-limited || ko worker-memory-limited "limit ${aslimit:-none}"
fi

# --no-sandbox says so; the output is byte-identical either way, for every fixture
"$D" --no-sandbox -R rules "$F/seed-dns.zip" >/dev/null 2>"$tmp/err"
grep -q 'no-sandbox: bundles are read in this process' "$tmp/err" && ok no-sandbox-says-so || ko no-sandbox-says-so "$(cat "$tmp/err")"
for fmt in text json; do
	"$D" -R rules -f $fmt -j 1 "$F"/* >"$tmp/on" 2>"$tmp/on.err"
	"$D" -R rules -f $fmt -j 1 --no-sandbox "$F"/* >"$tmp/off" 2>"$tmp/off.err"
	grep -v no-sandbox "$tmp/off.err" >"$tmp/off.err2"
	cmp -s "$tmp/on" "$tmp/off" && cmp -s "$tmp/on.err" "$tmp/off.err2" && ok "same-output-$fmt" ||
	    ko "same-output-$fmt" "$(diff "$tmp/on" "$tmp/off" | head -5)"
done
finish
