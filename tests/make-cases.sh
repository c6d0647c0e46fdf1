#!/bin/sh
# Builds a case store like a support queue: N case folders, each with one upload -- a DART zip, a
# tar.gz, a case zip holding the DART zip (nested), an extracted directory, or a corrupt zip.
# Plain copies repeat every ten cases, byte for byte (duplicates); one case folder, case-empty, holds
# no upload yet. UNPADDED=1 names the folders case-0, case-1, ... (natural order differs from byte
# order there).
# usage: make-cases.sh BUILD_DIR OUT_DIR N
set -eu
B=$1 out=$2 n=$3
f=$B/fixtures
rm -rf "$out" && mkdir -p "$out"
set -- seed-dns.zip seed-swg.zip seed-both.zip healthy.zip anyconnect4.zip utf16-umbrella.zip recovered.zip \
	ipv6-only.zip no-orginfo.zip daymonth.zip
i=0
while [ "$i" -lt "$n" ]; do
	if [ "${UNPADDED:-0}" = 1 ]; then c=$out/case-$i; else c=$(printf '%s/case-%04d' "$out" "$i"); fi
	mkdir -p "$c"
	k=$((i % 10 + 1))
	eval "src=\${$k}"
	case $((i % 25)) in
	7) cp "$f/case-nested.zip" "$c/upload.zip" ;;
	13) head -c 1500 "$f/$src" > "$c/DARTBundle.zip" ;;             # truncated: partial
	19) printf "PK\003\004garbage, not a zip" > "$c/DARTBundle.zip" ;;   # corrupt: error
	21) cp "$f/targz.tar.gz" "$c/DARTBundle.tgz" ;;
	23) cp -r fixtures/extracted "$c/DART" ;;
	*) cp "$f/$src" "$c/DARTBundle_$i.zip" ;;
	esac
	echo "customer notes" > "$c/notes.txt"
	i=$((i + 1))
done
mkdir -p "$out/case-empty"
echo "customer notes: the upload link was sent" > "$out/case-empty/notes.txt"
