#!/bin/sh
# clients: macOS and Linux clients (#27). One incident, seed-dns's DNS failure, rendered as a Windows
# bundle and as macOS unified-log exports in every `log show` style and the Linux journal as text and
# JSON (tests/tools/gen-os-fixtures.py): each must be diagnosed identically -- the findings' ids,
# severities, counts, incidents, ongoing and since/last times (as instants, --utc, to the second: the
# Windows logs write whole seconds), and the end states; paths and evidence lines differ. Then what
# goldens cannot hold: the OS each client log names, hostile exports (a giant line, NULs, bad JSON,
# deep nesting, an unclosed array) read in bounded time with one line per problem, and the journal's
# year-less short-precise form taking its year from the entry's time.
# Environment: B, DARTSCAN. Prints PASS/FAIL lines and "N passed, N failed, N skipped".
set -u
SUITE=clients
. tests/lib.sh

if ! command -v python3 >/dev/null 2>&1; then
	skip same-diagnosis "python3 not installed"
	finish
fi

# the diagnosis of a JSON report, without what names files or lines
digest() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["bundles"][0]
sec = lambda t: t[:19] if t else t
print("status", d["status"], "class", d["verdict_class"], "states", json.dumps(d["states"], sort_keys=True))
for f in d["findings"]:
    print(f["id"], f["severity"], f["component"], f["count"], f["ongoing"], f["incidents"], sec(f["first_seen"]),
          sec(f["last_seen"]), [(sec(i["start"]), sec(i["end"]), i["count"]) for i in f["incident_list"]])
print("context os", d["context"].get("os"), "product", d["context"].get("product"))
' "$1"
}

"$D" -q -R rules --utc -f json "$F/seed-dns.zip" >"$tmp/win.json"
digest "$tmp/win.json" | grep -v '^context' >"$tmp/win.txt"
for b in mac-default.zip mac-syslog.zip mac-compact.zip mac-ndjson.zip mac-json.zip linux-iso.tar.gz linux-json.tar.gz; do
	name=${b%%.*}
	"$D" -q -R rules --utc -f json "$F/$b" >"$tmp/$name.json"
	digest "$tmp/$name.json" >"$tmp/$name.all"
	grep -v '^context' "$tmp/$name.all" >"$tmp/$name.txt"
	if [ -s "$tmp/win.txt" ] && diff -u "$tmp/win.txt" "$tmp/$name.txt" >"$tmp/$name.diff"; then
		ok "same-diagnosis-$name"
	else
		ko "same-diagnosis-$name" "$(cat "$tmp/$name.diff")"
	fi
	case $name in
	mac-*) want=macOS ;;
	*) want=Linux ;;
	esac
	grep -q "^context os $want product Cisco" "$tmp/$name.all" && ok "os-$name" || ko "os-$name" "$(grep '^context' "$tmp/$name.all")"
done
# the Windows one finds what it should, so that equal digests are not two empty ones
grep -q '^dns.resolvers-unreachable error dns 147 ' "$tmp/win.txt" && ok windows-finds-the-failure ||
	ko windows-finds-the-failure "$(cat "$tmp/win.txt")"

# hostile exports, each under a macOS layout: read in seconds, status partial or ok, one line a problem
mk() { # mk NAME: $tmp/NAME.zip from $tmp/t-NAME
	"$B/mkbundle" zip "$tmp/$1.zip" "$tmp/t-$1" >/dev/null
}
hostile() { # hostile NAME GREP: the report names the problem once
	start=$(date +%s)
	"$D" -q -R rules -f json "$tmp/$1.zip" >"$tmp/$1.out" 2>"$tmp/$1.err"
	rc=$?
	took=$(($(date +%s) - start))
	n=$(grep -c "$2" "$tmp/$1.out")
	if [ "$rc" -le 1 ] && [ "$took" -le 20 ] && [ "$n" -ge 1 ]; then
		ok "hostile-$1"
	else
		ko "hostile-$1" "exit $rc, ${took} s, $n lines matching '$2'; $(head -c 400 "$tmp/$1.err")"
	fi
}
mkdir -p "$tmp/t-badjson/syslogs" "$tmp/t-deep/syslogs" "$tmp/t-open/syslogs" "$tmp/t-giant/syslogs"
good='{"timestamp":"2024-08-27 03:07:43.000000+0200","eventMessage":"Dns Protection IPv4 State Machine: rejected all candidate resolvers for port 53","processImagePath":"/opt/cisco/secureclient/bin/acumbrellaagent","processID":1234}'
{
	echo "$good"
	echo '{"timestamp":"2024-08-27 03:07:48.000000+0200","eventMessage":"truncated here'
	printf '{"timestamp":"2024-08-27 03:07:49","eventMessage":"a\000b"}\n'
	echo '{"eventMessage": tru}'
	echo "$good"
} >"$tmp/t-badjson/syslogs/umbrella.ndjson"
mk badjson
hostile badjson 'JSON record(s) bad'
grep -q '"dns.resolvers-unreachable"' "$tmp/badjson.out" && ok hostile-badjson-still-reads ||
	ko hostile-badjson-still-reads "the good records were lost"
python3 -c '
import sys
good = sys.argv[1]
d = 200000
sys.stdout.write(good + "\n" + "{\"eventMessage\":" + "[" * d + "]" * d + "}\n" + good + "\n")
' "$good" >"$tmp/t-deep/syslogs/umbrella.ndjson"
mk deep
hostile deep 'JSON record(s) bad, too deep'
{
	echo '[{'
	echo '  "timestamp" : "2024-08-27 03:07:43.000000+0200",'
	echo '  "eventMessage" : "Dns Protection IPv4 State Machine: rejected all candidate resolvers for port 53",'
	echo '  "processImagePath" : "/opt/cisco/secureclient/bin/acumbrellaagent"'
	echo '},{'
	echo '  "timestamp" : "2024-08-27 03:07:48.000000+0200",'
	echo '  "eventMessage" : "cut off'
} >"$tmp/t-open/syslogs/umbrella.json"
mk open
hostile open 'JSON record(s) bad'
python3 -c '
import sys
print("Timestamp                       Thread     Type        Activity             PID    TTL  ")
print("2024-08-27 03:07:43.000000+0200 0x1a2b     Error       0x0                  1234   0    acumbrellaagent: Dns Protection IPv4 State Machine: rejected all candidate resolvers for port 53")
print("2024-08-27 03:07:44.000000+0200 0x1a2b     Error       0x0                  1234   0    acumbrellaagent: " + "x" * (3 << 20))
' >"$tmp/t-giant/syslogs/umbrella.log"
mk giant
hostile giant 'longer than'

# short-precise has no year: the entry's time gives it (a log of late December packed in January
# belongs to the year before)
mkdir -p "$tmp/t-precise/Logs"
printf 'Dec 31 23:59:55.250000 client-7 acumbrellaagent[1234]: Dns Protection IPv4 State Machine: rejected all candidate resolvers for port 53\nJan  1 00:00:00.250000 client-7 acumbrellaagent[1234]: Dns Protection IPv4 State Machine: rejected all candidate resolvers for port 53\n' \
	>"$tmp/t-precise/Logs/journal.txt"
echo '2025-01-02 09:00:00' >"$tmp/t-precise/.mtime"
mk precise
"$D" -q -R rules -f json "$tmp/precise.zip" >"$tmp/precise.out" 2>/dev/null
grep -q '"first_seen": "2024-12-31T23:59:55.250"' "$tmp/precise.out" && grep -q '"last_seen": "2025-01-01T00:00:00.250"' "$tmp/precise.out" &&
	ok precise-year-from-entry || ko precise-year-from-entry "$(grep -m2 '_seen' "$tmp/precise.out")"
finish
