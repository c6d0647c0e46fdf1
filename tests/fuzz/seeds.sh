#!/bin/sh
# Builds the fuzz seed corpora from the fixtures and rules, at fuzz time (nothing binary in git).
# usage: seeds.sh BUILD_DIR   -> BUILD_DIR/fuzz/corpus/{bundle,text,rules,time,context,capture,prefilter,wire,unexplained,draft,literals,netinfo,zone}/
set -eu
B=${1:-build}
C=$B/fuzz/corpus
mkdir -p "$C/bundle" "$C/text" "$C/rules" "$C/time" "$C/context" "$C/capture" "$C/prefilter" "$C/wire" "$C/unexplained" "$C/draft" "$C/literals" "$C/netinfo" "$C/zone"
# the template stage: real log lines, the first byte choosing which ones "matched"
find fixtures -name cscumbrellaplugin.txt | sort | head -8 | while read -r f; do { printf '\044'; head -c 16384 "$f"; } >"$C/unexplained/$(echo "$f" | tr / _)"; done
# rules draft: single records of both logs, the first byte where the message begins
find fixtures -name cscumbrellaplugin.txt | sort | head -4 | while read -r f; do
	k=0
	grep -E 'WARN|ERROR' "$f" | head -3 | while read -r l; do k=$((k + 1)); { printf '\024'; printf '%s' "$l"; } >"$C/draft/$(echo "$f$k" | tr / _)"; done
done
printf '\000Date : 09/03/2024\nTime : 09:12:30\nType : Error\nDescription : Failed (0x1) at C:\\x "q" [a]{b}|c$^.*+?\n' >"$C/draft/block"
# literal soundness: each shipped pattern with each test line of its rule
awk -v dir="$C/literals" '
	/^rule:/ { np = 0 }
	/^pattern: / { pat[np++] = substr($0, 10) }
	/^test: / { for (i = 0; i < np; i++) { n++; printf "%s\n%s", pat[i], substr($0, 7) > (dir "/seed" n); close(dir "/seed" n) } }
' rules/*.rules
# ipconfig output as the fixture trees keep it (a .utf16le tree is UTF-8 text until mkbundle
# encodes it) and the regress inputs, which are UTF-16 with a BOM
find fixtures -type f -name 'ipconfig*' | sort | while read -r f; do cp "$f" "$C/netinfo/$(echo "$f" | tr '/ ' '__')"; done
cp tests/fuzz/regress/netinfo-* "$C/netinfo/" 2>/dev/null || true
# real results: what a worker sends for every fixture, and the inputs that once crashed the parent
printf 'DSW1' >"$C/wire/magic"
"$B/wiredump" "$C/wire" "$B"/fixtures/*.zip "$B"/fixtures/*.tar.gz
cp tests/fuzz/regress/wire-* "$C/wire/"
cp "$B"/captures/*.pcap "$B"/captures/*.pcapng "$C/capture/" 2>/dev/null || true
for f in "$B"/fixtures/*.zip "$B"/fixtures/*.tar.gz; do
	[ -f "$f" ] && cp "$f" "$C/bundle/"
done
cp tests/fuzz/regress/bundle-* "$C/bundle/" 2>/dev/null || true
# the small hostile cases, when make check has generated them: crafted headers make good seeds
find "$B/hostile" -maxdepth 1 -type f -size -300k \( -name '*.zip' -o -name '*.gz' \) -exec cp {} "$C/bundle/" \; 2>/dev/null || true
i=0
find fixtures -type f \( -name '*.txt' -o -name '*.utf16le' \) | sort | while read -r f; do
	i=$((i + 1))
	# two leading bytes: the record limit and the chunk pattern the target feeds with
	{ printf '\377\007'; head -c 65536 "$f"; } >"$C/text/seed$i"
done
printf '\020\003\377\376D\000a\000t\000e\000 \000:\000 \0003\000/\0001\000\n\000' >"$C/text/utf16"
# the client-log framers (#27): the head of each macOS and Linux export, a journal short-precise
# log, and JSON that does not parse, nests deep or never closes
for f in fixtures/mac-*/syslogs/* fixtures/mac-syslog/Logs/* fixtures/linux-*/Logs/*; do
	{ printf '\377\007'; head -c 16384 "$f"; } >"$C/text/client-$(echo "$f" | tr '/ ' '__')"
done
printf '\377\003Aug 27 03:07:43.123456 host acumbrellaagent[1234]: Dns Protection IPv4 State Machine: rejected all candidate reso\nDec 31 23:59:59 host kernel: x\n' >"$C/text/client-precise"
printf '\377\005[{\n  "eventMessage" : "a\\"b",\n  "x" : [[[[{"y":1}]]]]\n},{\n  "timestamp" : "2024-08-27 03:07:43+0200"\n' >"$C/text/client-json-open"
printf '\377\001{"__REALTIME_TIMESTAMP":"99999999999999999999","MESSAGE":[65,66,300,-1],"_PID":7}\n{"MESSAGE": tru}\n]]]}}}\n' >"$C/text/client-journal-bad"
cp rules/*.rules "$C/rules/"
n=0
for t in '2024-08-27 03:07:43.123' '2024-08-27T03:07:43Z' '2024-08-27T03:07:43+05:30' '2024-08-27' \
	'2024-08-27T03:07' '8/27/2024 3:07:43 AM' '27/08/2024 15:07:43' '13/09/2024 09:15:12 PM'; do
	n=$((n + 1))
	printf '%s' "$t" >"$C/time/t$n"
done
find fixtures \( -name '*.json' -o -name '*.flag' \) -print | sort | while read -r f; do
	n=$((n + 1))
	{ cat "$f"; printf '\000<?xml version="1.0"?><AnyConnectProfile><ClientInitialization><UseStartBeforeLogon>true</UseStartBeforeLogon></ClientInitialization><ServerList><HostEntry><HostName>vpn</HostName></HostEntry></ServerList></AnyConnectProfile>'; } >"$C/context/c$n"
done
# prefilter: three literals (lengths 11, 11, 4: "rejected al", "DEACTIVATED", "IPv4") and a plugin-log line
printf '\002\012\012\003rejected alDEACTIVATEDIPv42024-08-27 03:07:53 State IPv4 Machine: rejected all candidate resolvers' >"$C/prefilter/p1"
printf '\001\002\303\251caf\303\251 cr\303\250me br\303\273l\303\251e \033[31m' >"$C/prefilter/p2"
# time zones: a few system TZif files (fat and slim rules, half-hour and negative DST) and Windows names
for z in Europe/London Europe/Dublin Australia/Lord_Howe America/Nuuk Asia/Kolkata UTC; do
	cp "/usr/share/zoneinfo/$z" "$C/zone/$(echo "$z" | tr / _)" 2>/dev/null || true
done
cp tests/fuzz/regress/zone-* "$C/zone/"
printf 'W(UTC) Dublin, Edinburgh, Lisbon, London' >"$C/zone/windows-display"
