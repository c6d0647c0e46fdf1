#!/bin/sh
# unexplained: the stage's switches. It never changes the exit status; --unexplained 0 removes it
# from every format; N bounds what text and ndjson show while the JSON document keeps every
# template; the planted trouble of unknown-trouble/ is listed whatever the format.
# Environment: B, DARTSCAN. Prints "N passed, N failed".
set -u
SUITE=unexplained
. tests/lib.sh

U=$F/unknown-trouble.zip
"$D" -R rules "$U" >"$tmp/on.txt" 2>/dev/null
on=$?
"$D" -R rules --unexplained 0 "$U" >"$tmp/off.txt" 2>/dev/null
off=$?
[ "$on" = 0 ] && [ "$off" = 0 ] && ok exit-status-unchanged || ko exit-status-unchanged "on $on, off $off"
grep -q 'UNEXPLAINED  4 of 4' "$tmp/on.txt" && ok text-lists-planted || ko text-lists-planted "$(grep UNEXPLAINED "$tmp/on.txt")"
grep -q UNEXPLAINED "$tmp/off.txt" && ko off-text "section still there" || ok off-text
"$D" -R rules -f json --unexplained 0 "$U" | python3 -c 'import json,sys; b=json.load(sys.stdin)["bundles"][0]; sys.exit("unexplained" in b)' &&
    ok off-json || ko off-json "key still there"
"$D" -R rules --unexplained 2 "$U" 2>/dev/null | grep -q 'UNEXPLAINED  2 of 4' && ok text-first-n || ko text-first-n "not 2 of 4"
"$D" -R rules -f json --unexplained 2 "$U" >"$tmp/u.json"
"$D" -R rules -f ndjson --unexplained 2 "$U" >"$tmp/u.ndjson"
n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["bundles"][0]["unexplained"]), len(json.loads(open(sys.argv[2]).readline())["unexplained"]))' "$tmp/u.json" "$tmp/u.ndjson")
[ "$n" = "4 2" ] && ok json-all-ndjson-first-n || ko json-all-ndjson-first-n "json/ndjson: $n"
"$D" -R rules -f html "$U" 2>/dev/null | grep -q 'Unexplained (4 of 4)' && ok html-section || ko html-section "no section"
finish
