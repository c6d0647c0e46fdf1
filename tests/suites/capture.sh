#!/bin/sh
# --pcap: each generated capture paired with its bundle gives the right verdict, evidence and
# alignment in text and JSON; hostile captures give clear errors, never a crash.
# Environment: B, DARTSCAN. Prints PASS/FAIL lines and "N passed, N failed, N skipped".
set -u
SUITE=capture
. tests/lib.sh
c=$B/captures
t() { # name, expected exit, grep pattern, dartscan args...
	n=$1 want=$2 pat=$3
	shift 3
	$D -R rules "$@" > "$tmp/out" 2> "$tmp/err"; code=$?
	if [ "$code" = "$want" ] && grep -qE -- "$pat" "$tmp/out" "$tmp/err"; then ok "$n"
	else ko "$n" "exit $code (want $want), pattern '$pat' $(grep -cE -- "$pat" "$tmp/out" "$tmp/err" | tr '\n' ' ')"; fi
}
t dns-dropped-on-ipv4-finding 1 'capture   capture.dns-dropped: 33 DNS queries to the resolvers \(16 on port 53, 17 on 443\), 0 retransmitted, no answer$' \
	--pcap "$c/dns-drop.pcap" "$F/seed-dns.zip"
t dns-aligned-by-timezone 1 'aligned to the logs at UTC\+120 min \(time zone in systeminfo\)' --pcap "$c/dns-drop.pcap" "$F/seed-dns.zip"
t dns-frame-evidence 1 'dns-drop.pcap:1  2024-08-27 03:06:36  frame 1  192.168.0.204:[0-9]+ -> 208.67.222.222:53  UDP DNS query 0xf7fb TXT debug.opendns.com' \
	--pcap "$c/dns-drop.pcap" "$F/seed-dns.zip"
t proxy-rst-pcapng 1 'capture   capture.proxy-rejected: 6 SYNs to 146.112.9.200 answered by 6 RSTs, no handshake$' \
	--pcap "$c/syn-rst.pcapng" "$F/seed-swg.zip"
t proxy-aligned-by-anchor 1 'aligned to the logs at UTC-420 min \(EPOC anchor\)' --pcap "$c/syn-rst.pcapng" "$F/seed-swg.zip"
t proxy-silent-unaligned 1 'capture.proxy-dropped: 6 SYNs to 146.112.9.200 \(3 retransmitted\), no answer at all \(capture times are UTC' \
	--pcap "$c/syn-silent.pcap" fixtures/extracted
t unaligned-says-so 1 'NOT aligned: the bundle gives no UTC offset' --pcap "$c/syn-silent.pcap" fixtures/extracted
t healthy-handshake 1 'WARNING capture.proxy-handshake-ok .*problem is above TCP' --pcap "$c/healthy.pcap" "$F/seed-swg.zip"
t healthy-dns-answered 1 'INFO +capture.dns-answered .*answered 33 of 33' --pcap "$c/healthy.pcap" "$F/seed-swg.zip"
t json-verdict 1 '"verdict": "proxy-rejected"|"verdict": "proxy-rst"' -f json --pcap "$c/syn-rst.pcapng" "$F/seed-swg.zip"
t json-finding-capture 1 '"capture": "capture.proxy-rejected: 6 SYNs' -f json --pcap "$c/syn-rst.pcapng" "$F/seed-swg.zip"
t json-frame-line 1 '"line": 2,' -f json --pcap "$c/syn-rst.pcapng" "$F/seed-swg.zip"
t filter-from-bundle-ip 1 'display filter: ip.addr == 146.112.9.200 or ip.addr == 146.112.255.50$' "$F/seed-swg.zip"
t filter-from-anycast 1 'display filter: ip.addr == 146.112.255.50$' "$F/seed-both.zip"
t not-a-capture 2 'seed-swg.zip: /etc/hostname: not a readable capture' --pcap /etc/hostname "$F/seed-swg.zip"
t not-a-capture-says-why 2 'README.md: not a readable capture: neither pcap nor pcapng \(it starts 23 20 64 61\)' --pcap README.md "$F/seed-swg.zip"
# classic pcap is read by dartscan's own reader too: big-endian with nanoseconds reads as the little-endian one
t pcap-big-endian-nanoseconds 1 'dns-drop-ns-be.pcap:1  2024-08-27 03:06:36  frame 1  192.168.0.204:[0-9]+ -> 208.67.222.222:53  UDP DNS query 0xf7fb TXT debug.opendns.com' \
	--pcap "$c/dns-drop-ns-be.pcap" "$F/seed-dns.zip"
t pcap-big-endian-finding 1 'capture   capture.dns-dropped: 33 DNS queries to the resolvers \(16 on port 53, 17 on 443\), 0 retransmitted, no answer$' \
	--pcap "$c/dns-drop-ns-be.pcap" "$F/seed-dns.zip"
t empty-capture 2 'empty.pcap: not a readable capture' --pcap "$c/empty.pcap" "$F/seed-swg.zip"
t truncated-capture 1 'problem   .*truncated.pcap: capture damaged after frame 7' --pcap "$c/truncated.pcap" "$F/seed-swg.zip"
t odd-link-type 1 'no IP packet could be decoded \(link type 147\)' --pcap "$c/garbage-link.pcap" "$F/seed-swg.zip"
t one-bundle-only 2 'pcap goes with exactly one bundle' --pcap "$c/healthy.pcap" "$F/seed-swg.zip" "$F/seed-dns.zip"
# pcapng is read by dartscan's own block reader: interfaces of different link types, and damage
t pcapng-mixed-links 1 'capture   capture.dns-dropped: 6 DNS queries' --pcap "$c/interfaces.pcapng" "$F/seed-swg.zip"
t pcapng-big-endian-section 1 'frame 6  192.168.0.204:50206 -> 208.67.222.222:53  UDP DNS query 0x0006 TXT be.ng.test' \
	--pcap "$c/interfaces.pcapng" "$F/seed-swg.zip"
head -c 400 "$c/interfaces.pcapng" > "$tmp/cut.pcapng"
t pcapng-cut 1 'capture damaged after frame 2: the file ends inside a block \(type 0x6\)' --pcap "$tmp/cut.pcapng" "$F/seed-swg.zip"
cp "$c/interfaces.pcapng" "$tmp/badlen.pcapng"
printf '\015' | dd of="$tmp/badlen.pcapng" bs=1 seek=128 conv=notrunc 2>/dev/null
t pcapng-bad-length 1 'capture damaged after frame 0: a block \(type 0x6\) of 13 bytes' --pcap "$tmp/badlen.pcapng" "$F/seed-swg.zip"
head -c 28 "$c/interfaces.pcapng" > "$tmp/noif.pcapng"
t pcapng-no-interface 2 'noif.pcapng: not a readable capture: no interface is described' --pcap "$tmp/noif.pcapng" "$F/seed-swg.zip"
for i in 1 2 3 4 5; do
	{ head -c 124 "$c/interfaces.pcapng"; head -c $((i * 997)) /dev/urandom; } > "$tmp/rand.pcapng"
	timeout 10 $D -R rules --pcap "$tmp/rand.pcapng" "$F/seed-swg.zip" > /dev/null 2>&1; code=$?
	[ "$code" -le 2 ] && ok "random-pcapng-$i" || ko "random-pcapng-$i" "exit $code"
done
# link types: NFLOG through the pcap reader as through the pcapng reader (golden capture-links)
t nflog-pcap 1 'frame 1  192.168.0.204:50207 -> 208.67.222.222:53  UDP DNS query 0x0007 TXT nflog.pcap.test' \
	--pcap "$c/nflog.pcap" "$F/seed-swg.zip"
# times: pcap seconds are unsigned 32-bit; pcapng's 64-bit times go past 2106, not past 9999
t pcap-after-2038 1 '"last_utc": "2106-02-07T06:28:15Z"' -f json --pcap "$c/times.pcap" fixtures/extracted
t pcapng-after-2106 1 '"last_utc": "2106-02-07T06:28:16Z"' -f json --pcap "$c/times.pcapng" fixtures/extracted
t pcapng-year-10000 1 '1 frame carries no usable time' --pcap "$c/times.pcapng" fixtures/extracted
# random bytes with a pcap magic: bounded and clear, whatever they hold
for i in 1 2 3 4 5; do
	{ printf '\324\303\262\241\002\000\004\000\000\000\000\000\000\000\000\000\377\377\000\000\001\000\000\000'
	  head -c $((i * 997)) /dev/urandom; } > "$tmp/rand.pcap"
	timeout 10 $D -R rules --pcap "$tmp/rand.pcap" "$F/seed-swg.zip" > /dev/null 2>&1; code=$?
	[ "$code" -le 2 ] && ok "random-$i" || ko "random-$i" "exit $code"
done
finish
