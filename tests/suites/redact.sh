#!/bin/sh
# --redact: none of the private names planted in fixtures/private reaches any output format, the
# public cloud addresses stay, the map goes only to --redact-map, and the analysis is unchanged.
# Environment: B, DARTSCAN. Prints PASS/FAIL lines and "N passed, N failed, N skipped".
set -u
SUITE=redact
. tests/lib.sh
bundle=$F/private.zip
planted="jdoe FINANCE-PC-17 10.20.30.40 192.168.7.9 jane.doe corp.example.com 8844211 30030303 9f8e7d6c5b4a"
for fmt in $($D -f nosuchformat x 2>&1 | sed -n 's/.*(\(.*\)).*/\1/p' | tr '|' ' '); do
	$D -R rules --redact --redact-map "$tmp/map.$fmt" -f "$fmt" --timeline "$bundle" > "$tmp/out.$fmt" 2>&1
	leaked=""
	for p in $planted; do grep -qi -- "$p" "$tmp/out.$fmt" && leaked="$leaked $p"; done
	if [ -z "$leaked" ] && [ -s "$tmp/out.$fmt" ]; then ok "no-private-names-$fmt"
	else ko "no-private-names-$fmt" "leaked:$leaked"; fi
done
# --explain prints rule by rule what it read, matched and checked: redacted too
for rule in $($D rules list rules | awk '{ print $1 }'); do
	$D -R rules --redact --explain "$rule" "$bundle" >> "$tmp/explain" 2>&1
done
leaked=""
for p in $planted; do grep -qi -- "$p" "$tmp/explain" && leaked="$leaked $p"; done
if [ -z "$leaked" ] && grep -q '^explain ' "$tmp/explain"; then ok no-private-names-explain
else ko no-private-names-explain "leaked:$leaked"; fi
grep -q "146.112.9.200" "$tmp/out.text" && grep -q "208.67.222.222" "$tmp/out.text" &&
	ok public-addresses-kept || ko public-addresses-kept "$(grep -c 146.112 "$tmp/out.text")"
missing=""
for p in jdoe FINANCE-PC-17 10.20.30.40 8844211; do grep -q -- "$p" "$tmp/map.text" || missing="$missing $p"; done
[ -z "$missing" ] && ok map-has-values || ko map-has-values "missing$missing"
grep -q "10.x-ip-" "$tmp/out.text" && grep -q "host-1" "$tmp/out.text" && grep -q "user-1" "$tmp/out.text" &&
	ok stable-tokens || ko stable-tokens "$(grep -o '[a-z0-9.]*-[0-9]' "$tmp/out.text" | sort -u | tr '\n' ' ')"
# the analysis runs on the raw text: same findings and states with and without --redact
# (every state lane the report has, not a list of today's: the lanes are component.c's table)
ids() {
	python3 -c 'import json, sys
for b in json.load(sys.stdin)["bundles"]:
    print(sorted(b["states"].items()))
    for f in b["findings"]:
        print(f["id"], f["severity"])'
}
$D -R rules -f json "$bundle" | ids > "$tmp/raw.ids"
$D -R rules -f json --redact "$bundle" | ids > "$tmp/red.ids"
cmp -s "$tmp/raw.ids" "$tmp/red.ids" && [ -s "$tmp/raw.ids" ] && ok analysis-unchanged ||
	ko analysis-unchanged "$(diff "$tmp/raw.ids" "$tmp/red.ids" | head -3)"
# the same value gets the same token in every bundle of one run: two different bundles of one host
# and organisation (the same bundle twice is a duplicate, not scanned again)
$D -R rules --redact -f ndjson "$F/healthy.zip" "$F/seed-dns.zip" > "$tmp/two.nd"
tok() { sed -n "$1p" "$tmp/two.nd" | grep -o '"\(host\|organization_id\)":"[^"]*"' | tr '\n' ' '; }
a=$(tok 1); b=$(tok 2)
case $a in *LAPTOP*|*2598416*) a="raw: $a" ;; esac
[ -n "$a" ] && [ "$a" = "$b" ] && ok tokens-stable-across-bundles || ko tokens-stable-across-bundles "'$a' vs '$b'"
finish
