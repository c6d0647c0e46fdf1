#!/bin/sh
# formats: only what a DART bundle needs. Other formats are named ("not a DART bundle format:
# ISO 9660 disc image"), compressors libarchive would run as external programs (lzop, lrzip,
# grzip) never start one, and entry names flagged UTF-8 are read as UTF-8 under LC_ALL=C.
# Environment: B, DARTSCAN. Prints PASS/FAIL/SKIP lines and "N passed, N failed, N skipped".
set -u
SUITE=formats
. tests/lib.sh

# refused NAME FILE WHAT: exit 2 and "not a DART bundle format: WHAT" on stderr
refused() {
	"$D" -R rules -q "$2" >/dev/null 2>"$tmp/err"
	rc=$?
	if [ $rc = 2 ] && grep -q "not a DART bundle format: $3" "$tmp/err"; then ok "$1"; else
		ko "$1" "exit $rc: $(head -c 200 "$tmp/err")"
	fi
}

head -c 65536 /dev/zero >"$tmp/zeros.zip"
refused zero-filled "$tmp/zeros.zip" "zero-filled data"
{ printf '\211LZO\000\r\n\032\n'; head -c 200 /dev/urandom; } >"$tmp/x.tar.lzo"
refused lzop "$tmp/x.tar.lzo" "lzop-compressed data"
{ printf 'LRZI'; head -c 200 /dev/urandom; } >"$tmp/x.tar.lrz"
refused lrzip "$tmp/x.tar.lrz" "lrzip-compressed data"
{ printf 'GRZipII\000\002\004:)'; head -c 200 /dev/urandom; } >"$tmp/x.tar.grz"
refused grzip "$tmp/x.tar.grz" "grzip-compressed data"
{ printf 'Rar!\032\007\000'; head -c 200 /dev/urandom; } >"$tmp/x.rar"
refused rar "$tmp/x.rar" "RAR archive"
if command -v bsdtar >/dev/null 2>&1; then
	mkdir -p "$tmp/iso" && echo hello >"$tmp/iso/readme.txt"
	bsdtar -cf "$tmp/x.iso" --format iso9660 -C "$tmp/iso" readme.txt
	refused iso9660 "$tmp/x.iso" "ISO 9660 disc image"
else
	skip iso9660 "no bsdtar (apt-get install -y libarchive-tools)"
fi

# lzop bytes inside a case zip, named as a tar: the nested reader is not sniffed first, so only
# the reader's own filters keep libarchive from running "lzop -d"
if command -v strace >/dev/null 2>&1; then
	mkdir -p "$tmp/case"
	cp "$tmp/x.tar.lzo" "$tmp/case/upload.tar"
	"$B/mkbundle" zip "$tmp/case.zip" "$tmp/case" >/dev/null
	strace -f -qq -e trace=execve -o "$tmp/strace" "$D" -R rules -q "$tmp/case.zip" >/dev/null 2>&1
	n=$(grep -c 'execve(' "$tmp/strace")
	[ "$n" = 1 ] && ok no-program-for-nested-lzop || ko no-program-for-nested-lzop "$n execve calls: $(grep execve "$tmp/strace" | tail -1 | head -c 150)"
else
	skip no-program-for-nested-lzop "no strace"
fi

# names flagged UTF-8 (fixtures/utf8-names: DART-Müller/...) under the C locale
LC_ALL=C "$D" -R rules -f json "$F/utf8-names.zip" >"$tmp/u.json" 2>"$tmp/u.err"
if python3 - "$tmp/u.json" <<'PY'
import json, sys
b = json.load(open(sys.argv[1]))["bundles"][0]
names = [e["name"] for e in b["entries_read"]]
ids = [f["id"] for f in b["findings"]]
ok = b["status"] == "ok" and all(n.startswith("DART-M\u00fcller/") for n in names) and "swg.proxy-unreachable" in ids
sys.exit(0 if ok else 1)
PY
then ok utf8-names-under-c-locale; else ko utf8-names-under-c-locale "$(head -c 200 "$tmp/u.err")"; fi
# every SARIF rule carries help text (GitHub code scanning refuses a rule without: GH2012), the
# rules without a fix of their own too; and a site rule without one (drafted rules have none)
mkdir -p "$tmp/site"
printf 'rule: site.nofix\ntitle: no fix here\nseverity: warning\ncomponent: dns\nfiles: cscumbrellaplugin.txt\npattern: Plugin started\ntest: Plugin started\n' >"$tmp/site/s.rules"
"$D" -R rules -R "$tmp/site" -f sarif "$F/seed-dns.zip" >"$tmp/h.sarif" 2>/dev/null
if python3 - "$tmp/h.sarif" <<'PY'
import json, sys
rules = json.load(open(sys.argv[1]))["runs"][0]["tool"]["driver"]["rules"]
bad = [r["id"] for r in rules if not r.get("help", {}).get("text")]
sys.exit(1 if bad or not any(r["id"] == "site.nofix" for r in rules) else 0)
PY
then ok sarif-every-rule-has-help; else ko sarif-every-rule-has-help "a rule without help.text"; fi
finish
