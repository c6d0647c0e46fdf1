#!/bin/sh
# unexplained: the stage's switches. It never changes the exit status; --unexplained 0 removes it
# from every format; N bounds what text and ndjson show while the JSON document keeps every
# template; the planted trouble of unknown-trouble/ is listed whatever the format.
# Environment: B, DARTSCAN. Prints "N passed, N failed, N skipped".
set -u
SUITE=unexplained
. tests/lib.sh

U=$F/unknown-trouble.zip
"$D" -R rules "$U" >"$tmp/on.txt" 2>/dev/null
on=$?
"$D" -R rules --unexplained 0 "$U" >"$tmp/off.txt" 2>/dev/null
off=$?
# the planted error burst raises a review (exit 1) only where the stage runs: off, the lanes alone
# decide, and they are proven protected
[ "$on" = 1 ] && [ "$off" = 0 ] && ok exit-status-review-only-with-stage || ko exit-status-review-only-with-stage "on $on, off $off"
grep -q 'UNEXPLAINED  message shapes no rule matched: 4 at warning or error; the first 4' "$tmp/on.txt" && ok text-lists-planted || ko text-lists-planted "$(grep UNEXPLAINED "$tmp/on.txt")"
grep -q UNEXPLAINED "$tmp/off.txt" && ko off-text "section still there" || ok off-text
"$D" -R rules -f json --unexplained 0 "$U" | python3 -c 'import json,sys; b=json.load(sys.stdin)["bundles"][0]; sys.exit("unexplained" in b)' &&
    ok off-json || ko off-json "key still there"
"$D" -R rules --unexplained 2 "$U" 2>/dev/null | grep -q 'UNEXPLAINED  message shapes no rule matched: 4 at warning or error; the first 2' && ok text-first-n || ko text-first-n "not 2 of 4"
"$D" -R rules -f json --unexplained 2 "$U" >"$tmp/u.json"
"$D" -R rules -f ndjson --unexplained 2 "$U" >"$tmp/u.ndjson"
n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["bundles"][0]["unexplained"]), len(json.loads(open(sys.argv[2]).readline())["unexplained"]))' "$tmp/u.json" "$tmp/u.ndjson")
[ "$n" = "4 2" ] && ok json-all-ndjson-first-n || ko json-all-ndjson-first-n "json/ndjson: $n"
"$D" -R rules -f html "$U" 2>/dev/null | grep -q 'Messages no rule explains, for the engineer.s review (first 4; 4 at warning or error, 0 near the failures)' && ok html-section || ko html-section "no section"

# ---- a baseline of healthy bundles ----
# built from the two healthy-with-noise bundles (seed-dns, with findings, is scanned and left out);
# the file is plain, sorted text, and it is the checked-in one the golden case baseline-new uses
"$D" baseline -R rules -o "$tmp/bl" "$F/healthy-noise-a.zip" "$F/seed-dns.zip" "$F/healthy-noise-b.zip" 2>"$tmp/err"
rc=$?
[ "$rc" = 0 ] && grep -q 'baseline: 2 healthy bundles of 3 scanned' "$tmp/err" && ok baseline-built ||
    ko baseline-built "rc $rc: $(cat "$tmp/err")"
cmp -s "$tmp/bl" tests/golden/inputs/baseline-healthy-noise.out && ok baseline-file-golden ||
    ko baseline-file-golden "$(diff "$tmp/bl" tests/golden/inputs/baseline-healthy-noise.out | head -5)"
# with it the four planted shapes lead, new; the ordinary noise is known; a third healthy bundle
# like the others has nothing new
"$D" -R rules -f json --baseline "$tmp/bl" "$F/unknown-trouble-noise.zip" "$F/healthy-noise-c.zip" >"$tmp/b.json"
r=$(python3 -c '
import json, sys
b = json.load(open(sys.argv[1]))["bundles"]
u = b[0]["unexplained"]
top = sorted(t["template"].split()[0] for t in u[:4])
print(all(t["new"] for t in u[:4]), not any(t["new"] for t in u[4:]), top, any(t["new"] for t in b[1]["unexplained"]))' "$tmp/b.json")
[ "$r" = "True True ['ERROR', 'Failed', 'KDF', 'Trusted'] False" ] && ok baseline-ranks-new-first || ko baseline-ranks-new-first "$r"
# without it the warning no rule knows is not in the top 5: the noise crowds it out
"$D" -R rules "$F/unknown-trouble-noise.zip" 2>/dev/null | grep -q 'Trusted network probe' && ko no-baseline-crowded "in the top 5" ||
    ok no-baseline-crowded
DARTSCAN_BASELINE="$tmp/bl" "$D" -R rules "$F/unknown-trouble-noise.zip" 2>/dev/null | grep -q 'NEW (not in the baseline)' &&
    ok baseline-from-environment || ko baseline-from-environment "no NEW mark"
# a file that is not one: a clear error naming it (and the line), exit 2
"$D" -R rules --baseline rules/dns.rules "$F/healthy.zip" >/dev/null 2>"$tmp/err"
rc=$?
[ "$rc" = 2 ] && grep -q 'rules/dns.rules:1: not a dartscan baseline' "$tmp/err" && ok baseline-foreign ||
    ko baseline-foreign "rc $rc: $(cat "$tmp/err")"
{ head -3 "$tmp/bl"; printf '2\tsevere\tSomething\n'; } >"$tmp/badbl"
"$D" -R rules --baseline "$tmp/badbl" "$F/healthy.zip" >/dev/null 2>"$tmp/err"
rc=$?
[ "$rc" = 2 ] && grep -q 'badbl:4: the level is not info, warning or error' "$tmp/err" && ok baseline-bad-line ||
    ko baseline-bad-line "rc $rc: $(cat "$tmp/err")"
"$D" baseline -R rules "$F/healthy.zip" >/dev/null 2>"$tmp/err"
[ $? = 2 ] && grep -q 'baseline: -o FILE is needed' "$tmp/err" && ok baseline-needs-output || ko baseline-needs-output "$(cat "$tmp/err")"

# ---- rules try: a pattern over bundles, as a rule would read them ----
"$D" rules try 'KDF channel to resolver (?<ip>\S+) failed' "$F/unknown-trouble.zip" "$F/healthy.zip" >"$tmp/try" 2>&1
rc=$?
[ "$rc" = 1 ] && grep -q 'cscumbrellaplugin.txt: 6 records' "$tmp/try" && grep -q 'cscumbrellaplugin.txt:78  2024-09-03T09:10:00' "$tmp/try" &&
    grep -q '6 records matched in 1 bundle of 2 read; .* ms per MiB read' "$tmp/try" && ok try-counts-and-shows || ko try-counts-and-shows "rc $rc: $(head -c 400 "$tmp/try")"
# a shown record's captures on the line below it, in the pattern's order; none for a pattern that names none
"$D" rules try 'KDF channel to resolver (?<ip>\S+) failed: certificate pin mismatch \((?<code>\S+)\)' "$F/unknown-trouble.zip" >"$tmp/try" 2>&1
[ "$(grep -c '^      ip=208\.67\.222\.22[02] code=0x800B0109$' "$tmp/try")" = 3 ] && ok try-shows-captures ||
    ko try-shows-captures "$(head -c 600 "$tmp/try")"
"$D" rules try 'KDF channel' "$F/unknown-trouble.zip" >"$tmp/try" 2>&1
grep -q '^      ' "$tmp/try" && ko try-no-names-no-captures "$(head -c 600 "$tmp/try")" || ok try-no-names-no-captures
"$D" rules try 'no such words anywhere' "$F/healthy.zip" >/dev/null 2>&1
[ $? = 0 ] && ok try-no-match-exit-0 || ko try-no-match-exit-0 "exit not 0"
"$D" rules try '(unclosed' "$F/healthy.zip" >/dev/null 2>"$tmp/err"
[ $? = 2 ] && grep -q 'pattern does not compile' "$tmp/err" && ok try-bad-pattern || ko try-bad-pattern "$(cat "$tmp/err")"

# ---- rule layers: a team's directory over the shipped one closes the loop ----
mkdir -p "$tmp/site"
cat >"$tmp/site/site.rules" <<'RULES'
rule: site.kdf-pin-mismatch
title: Encrypted DNS refused: certificate pin mismatch on the resolver channel
severity: error
component: dns
files: cscumbrellaplugin.txt
pattern: KDF channel to resolver (?<ip>\S+) failed: certificate pin mismatch
test: 2024-09-03 09:10:00 [5120] [ERROR] < 31> KDF channel to resolver 208.67.222.222 failed: certificate pin mismatch (0x800B0109)
expect: ip=208.67.222.222
test-not: 2024-09-03 09:10:00 [5120] [ERROR] < 31> KDF channel to resolver 208.67.222.222 established

rule: swg.fail-open-config
title: SWG set to fail open (this site's policy: accepted)
severity: none
component: web
check: json SWGConfig.json orgConfig.failOpen = 1
RULES
"$D" -R rules -R "$tmp/site" -f json "$U" >"$tmp/l.json" 2>"$tmp/err"
rc=$?
r=$(python3 -c '
import json, sys
b = json.load(open(sys.argv[1]))["bundles"][0]
ids = sorted(f["id"] for f in b["findings"])
print(ids, any("KDF" in t["template"] for t in b["unexplained"]))' "$tmp/l.json")
[ "$rc" = 1 ] && [ "$r" = "['dns.resolvers-unreachable', 'site.kdf-pin-mismatch'] False" ] && ok layers-site-rule-fires ||
    ko layers-site-rule-fires "rc $rc: $r"
grep -q 'site.rules:11: rule swg.fail-open-config replaces the one at rules/swg.rules:' "$tmp/err" &&
    [ "$(grep -c . "$tmp/err")" = 1 ] && ok layers-replacement-noted || ko layers-replacement-noted "$(cat "$tmp/err")"
DARTSCAN_RULES="rules:$tmp/site" "$D" -f json "$U" 2>/dev/null | grep -q site.kdf-pin-mismatch && ok layers-from-environment ||
    ko layers-from-environment "no site rule"
"$D" -R "$tmp/site" "$U" >/dev/null 2>"$tmp/err"
rc=$?; [ "$rc" -le 1 ] && ok layers-site-alone-loads || ko layers-site-alone-loads "$(cat "$tmp/err")"
# ---- rules draft: from a line to a tested rule, round trip ----
# Each planted shape of unknown-trouble/ (both logs, an event block given by an inner line): the
# stanza saved as it is passes rules check and rules test, and with it the shape is a finding
# and no longer unexplained.
for where in cscumbrellaplugin.txt:78 cscumbrellaplugin.txt:33 Umbrella.txt:124 Umbrella.txt:136; do
	name=$(echo "$where" | tr ':.' '--')
	mkdir -p "$tmp/d-$name"
	"$D" rules draft "$U" "$where" >"$tmp/d-$name/draft.rules" 2>"$tmp/err"
	rc=$?
	id=$(sed -n 's/^rule: //p' "$tmp/d-$name/draft.rules")
	chk=$("$D" rules check "$tmp/d-$name" 2>&1) && tst=$("$D" rules test "$tmp/d-$name" 2>&1)
	crc=$?
	n=$(grep -c '^test:' "$tmp/d-$name/draft.rules")
	"$D" -R rules -R "$tmp/d-$name" -f json "$U" >"$tmp/d.json" 2>/dev/null
	fired=$(python3 -c '
import json, sys
b = json.load(open(sys.argv[1]))["bundles"][0]
f = [x for x in b["findings"] if x["id"] == sys.argv[2]]
left = [t for t in b["unexplained"] if t["example"]["line"] == int(sys.argv[3].split(":")[1])]
print(f[0]["count"] if f else 0, len(left))' "$tmp/d.json" "$id" "$where")
	if [ "$rc" = 0 ] && [ "$crc" = 0 ] && echo "$tst" | grep -q ' 0 failed' && [ "$n" -ge 2 ] &&
	    grep -q '^test-not:' "$tmp/d-$name/draft.rules" && [ "${fired% *}" -ge 2 ] && [ "${fired#* }" = 0 ]; then
		ok "draft-round-trip-$name"
	else
		ko "draft-round-trip-$name" "rc $rc/$crc, $n tests, fired/left '$fired': $chk $tst $(cat "$tmp/err")"
	fi
done
# its complaints are one line each, exit 2
"$D" rules draft "$U" nope.txt:3 >/dev/null 2>"$tmp/err"
[ $? = 2 ] && grep -q 'no log entry named nope.txt' "$tmp/err" && [ "$(wc -l <"$tmp/err")" = 1 ] &&
    ok draft-no-entry || ko draft-no-entry "$(cat "$tmp/err")"
"$D" rules draft "$U" Umbrella.txt:99999 >/dev/null 2>"$tmp/err"
[ $? = 2 ] && grep -q 'has no record at line 99999' "$tmp/err" && ok draft-no-line || ko draft-no-line "$(cat "$tmp/err")"
"$D" rules draft "$U" Umbrella.txt >/dev/null 2>"$tmp/err"
[ $? = 2 ] && grep -q 'is not ENTRY:LINE' "$tmp/err" && ok draft-bad-where || ko draft-bad-where "$(cat "$tmp/err")"
"$D" rules draft "$B/nope.zip" Umbrella.txt:3 >/dev/null 2>"$tmp/err"
[ $? = 2 ] && [ "$(wc -l <"$tmp/err")" = 1 ] && ok draft-no-bundle || ko draft-no-bundle "$(cat "$tmp/err")"
finish
