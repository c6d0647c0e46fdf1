#!/bin/sh
# Builds every fixture bundle from its text tree: zip by default, targz/ as .tar.gz, plus a case
# upload (a zip holding a DART zip). Deterministic: same trees, same bytes.
set -eu
B=${1:-build}
out=$B/fixtures
mk=$B/mkbundle
mkdir -p "$out"
for d in fixtures/*/; do
	name=$(basename "$d")
	case $name in
	targz | linux-*) "$mk" tar.gz "$out/$name.tar.gz" "$d" ;;
	utf8-names) "$mk" zip-utf8 "$out/$name.zip" "$d" ;;
	warn-flood | error-flood) ;; # below: their log grows first
	*) "$mk" zip "$out/$name.zip" "$d" ;;
	esac
done
# cut/: the upload broke off inside its last entry, the plugin log (two thirds of the zip kept)
size=$(wc -c <"$out/cut.zip")
head -c $((size * 2 / 3)) "$out/cut.zip" >"$out/cut.zip.part" && mv "$out/cut.zip.part" "$out/cut.zip"
# unread/: the upload broke off in the local header of OrgInfo.json, after the logs
off=$(python3 -c 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).getinfo(sys.argv[2]).header_offset + 20)' \
	"$out/unread.zip" "Cisco Secure Client/Umbrella/OrgInfo.json")
head -c "$off" "$out/unread.zip" >"$out/unread.zip.part" && mv "$out/unread.zip.part" "$out/unread.zip"
# warn-flood, error-flood: their plugin log after 20 500 lines of one warning or one error, 3 s apart
# from the afternoon before -- more than an entry keeps of anything -- written here rather than kept in git
flood() {
	rm -rf "$out/$1" && cp -r "fixtures/$1" "$out/$1"
	plugin="$out/$1/Cisco Secure Client/Umbrella/cscumbrellaplugin.txt"
	python3 -c 'import sys, datetime
t = datetime.datetime(2024, 9, 2, 14, 0, 0)
for i in range(20500):
    s = (t + datetime.timedelta(seconds=3 * i)).strftime("%Y-%m-%d %H:%M:%S")
    sys.stdout.write("%s [5120] %s\n" % (s, sys.argv[1] % (100 + i % 97)))' "$2" >"$plugin.flood"
	cat "$plugin" >>"$plugin.flood" && mv "$plugin.flood" "$plugin"
	"$mk" zip "$out/$1.zip" "$out/$1"
	rm -rf "$out/$1"
}
flood warn-flood '[WARN] < 12> Cache refresh slow, took %d ms'
flood error-flood '[ERROR] < 12> Telemetry upload failed, took %d ms'
# dos-zero: healthy/ from a zip writer that leaves every time at the DOS zero date (1980-01-01)
echo '1980-01-01 00:00:00' > "$out/dos-zero.mtime"
MKBUNDLE_MTIME="$out/dos-zero.mtime" "$mk" zip "$out/dos-zero.zip" fixtures/healthy
rm -f "$out/dos-zero.mtime"
rm -rf "$out/case-nested" && mkdir -p "$out/case-nested"
cp "$out/seed-swg.zip" "$out/case-nested/DARTBundle_0827_0641.zip"
printf 'Customer upload for case 694512345\n' > "$out/case-nested/notes.txt"
# uploaded six days after DART wrote the bundle: the outer entries' times are not the collection's
echo '2024-09-02 10:00:00' > "$out/case-nested/.mtime"
"$mk" zip "$out/case-nested.zip" "$out/case-nested"
rm -rf "$out/case-nested"

# Uploads as customers make them (#27), each seed-dns's tree inside: read, they must diagnose as
# seed-dns does. Password-protected with the known test passphrase (ZipCrypto, as 7-Zip and Windows
# write by default, and WinZip's AES-256); passphrases.txt holds a wrong one first and the right one
# second, with CRLF line ends, as a file saved on Windows would; passphrase-wrong.txt only a wrong one.
pass='dart 27 test'
MKBUNDLE_PASSPHRASE=$pass "$mk" zip-zipcrypt "$out/upload-zipcrypt.zip" fixtures/seed-dns
MKBUNDLE_PASSPHRASE=$pass "$mk" zip-aes256 "$out/upload-aes256.zip" fixtures/seed-dns
printf 'not this one\r\n%s\r\n' "$pass" >"$out/passphrases.txt"
printf 'not this one\n' >"$out/passphrase-wrong.txt"
# zip64 records, names in code page 437 under a folder "\x9abersicht" (Übersicht) with no UTF-8 flag,
# backslashes between folders
"$mk" zip64 "$out/upload-zip64.zip" fixtures/seed-dns
"$mk" zip-cp437 "$out/upload-cp437.zip" fixtures/seed-dns "Übersicht/"
"$mk" zip-backslash "$out/upload-backslash.zip" fixtures/seed-dns
# re-zipped on macOS: the DART zip in a case folder, each level with __MACOSX/ AppleDouble twins
# (the outer one's twin of the DART zip is named like an archive)
rm -rf "$out/upload-macos" && mkdir -p "$out/upload-macos/case 694512345"
"$mk" zip-macos "$out/upload-macos/case 694512345/DARTBundle_0827_0641.zip" fixtures/seed-dns
"$mk" zip-macos "$out/upload-macos.zip" "$out/upload-macos"
rm -rf "$out/upload-macos"
# a self-extractor: a 64 KiB Windows program, then the zip with its offsets counted from the start
# of the file (as WinZip's self-extractors and "zip -A" write them)
python3 tests/tools/sfx.py "$out/seed-dns.zip" "$out/upload-sfx.exe"

# Packet captures for --pcap, written record by record (no traffic is ever sent). Times match the
# fixtures: seed-dns's DNS failure at 03:07 local (Berlin in August, UTC+02:00: its systeminfo names the zone,
# the tz database gives the summer offset; 01:06:36 UTC) and seed-swg's proxy failure at 06:41 local (UTC-07:00 from
# its EPOC anchor).
c=$B/captures
mkdir -p "$c"
"$B/mkpcap" dns-drop "$c/dns-drop.pcap" pcap 146.112.9.200 1724720796
"$B/mkpcap" dns-drop "$c/dns-drop-ns-be.pcap" pcap-ns-be 146.112.9.200 1724720796
"$B/mkpcap" syn-rst "$c/syn-rst.pcapng" pcapng 146.112.9.200 1724766079
"$B/mkpcap" syn-silent "$c/syn-silent.pcap" pcap 146.112.9.200 1724766079
"$B/mkpcap" healthy "$c/healthy.pcap" pcap 146.112.9.200 1724766079
"$B/mkpcap" garbage-link "$c/garbage-link.pcap"
head -c 700 "$c/healthy.pcap" > "$c/truncated.pcap"
: > "$c/empty.pcap"
"$B/mkpcap" snaplen "$c/snaplen.pcap" pcap 146.112.9.200 1724766079
"$B/mkpcap" synack-retrans "$c/synack-retrans.pcap" pcap 146.112.9.200 1724766079
"$B/mkpcap" dns-questions "$c/dns-questions.pcap" pcap 146.112.9.200 1724766079
"$B/mkpcap" esp "$c/esp.pcap" pcap 146.112.9.200 1724766079
"$B/mkpcap" interfaces "$c/interfaces.pcapng" pcapng 146.112.9.200 1724766079
"$B/mkpcap" times "$c/times.pcap" pcap
"$B/mkpcap" times "$c/times.pcapng" pcapng
"$B/mkpcap" links "$c/links.pcapng" pcapng 146.112.9.200 1724766079
"$B/mkpcap" nflog "$c/nflog.pcap" pcap 146.112.9.200 1724766079
"$B/mkpcap" encap "$c/encap.pcap" pcap 146.112.9.200 1724766079
"$B/mkpcap" encap6 "$c/encap6.pcap" pcap 146.112.9.200 1724766079
