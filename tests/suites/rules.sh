#!/bin/sh
# The shipped rule library: it loads (rules check) and every rule passes its own test lines.
DARTSCAN=${DARTSCAN:-./dartscan}
if out=$($DARTSCAN rules check rules 2>&1); then echo "PASS rules/check"; else echo "FAIL rules/check: $out"; fi
out=$($DARTSCAN rules test rules 2>&1)
if [ $? -eq 0 ]; then echo "PASS rules/self-test ($(echo "$out" | tail -1))"; else echo "FAIL rules/self-test: $out"; fi
# A broken rule file fails loudly, naming file:line:column, with exit 2.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'rule: x.broken\ntitle: t\nseverity: error\nfiles: a.txt\npattern: ab(c\ntest: abc\n' > "$tmp/x.rules"
err=$($DARTSCAN -R "$tmp" build/fixtures/healthy.zip 2>&1 >/dev/null); code=$?
case "$code:$err" in
2:"dartscan: $tmp/x.rules:5:14: pattern does not compile"*) echo "PASS rules/broken-file-exit-2" ;;
*) echo "FAIL rules/broken-file-exit-2: exit $code: $err" ;;
esac

# A JSON check reads a file as the context does: OrgInfo.json with a duplicate key is listed as
# not valid JSON, and orginfo.missing's check sees the same (it used to find the id anyway).
mkdir -p "$tmp/dup/Cisco Secure Client/Umbrella"
printf '{"organizationId": "1", "organizationId": "2"}\n' >"$tmp/dup/Cisco Secure Client/Umbrella/OrgInfo.json"
out=$($DARTSCAN -R rules -f json "$tmp/dup" 2>&1)
case $out in
*'"id": "orginfo.missing"'*'duplicate object key'*) echo "PASS rules/json-check-reads-as-context" ;;
*) echo "FAIL rules/json-check-reads-as-context: $(printf '%s' "$out" | head -c 300)" ;;
esac
