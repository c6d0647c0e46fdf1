#!/bin/sh
# The shipped rule library: it loads (rules check) and every rule passes its own test lines.
# Environment: B, DARTSCAN. Prints PASS/FAIL lines and "N passed, N failed, N skipped".
set -u
SUITE=rules
. tests/lib.sh
if out=$($D rules check rules 2>&1); then ok check; else ko check "$out"; fi
out=$($D rules test rules 2>&1)
if [ $? -eq 0 ]; then ok "self-test ($(echo "$out" | tail -1))"; else ko self-test "$out"; fi
# A broken rule file fails loudly, naming file:line:column, with exit 2.
printf 'rule: x.broken\ntitle: t\nseverity: error\nfiles: a.txt\npattern: ab(c\ntest: abc\n' > "$tmp/x.rules"
err=$($D -R "$tmp" "$F/healthy.zip" 2>&1 >/dev/null); code=$?
case "$code:$err" in
2:"dartscan: $tmp/x.rules:5:14: pattern does not compile"*) ok broken-file-exit-2 ;;
*) ko broken-file-exit-2 "exit $code: $err" ;;
esac

# A JSON check reads a file as the context does: OrgInfo.json with a duplicate key is listed as
# not valid JSON, and orginfo.missing's check sees the same (it used to find the id anyway).
mkdir -p "$tmp/dup/Cisco Secure Client/Umbrella"
printf '{"organizationId": "1", "organizationId": "2"}\n' >"$tmp/dup/Cisco Secure Client/Umbrella/OrgInfo.json"
out=$($D -R rules -f json "$tmp/dup" 2>&1)
case $out in
*'"id": "orginfo.missing"'*'duplicate object key'*) ok json-check-reads-as-context ;;
*) ko json-check-reads-as-context "$(printf '%s' "$out" | head -c 300)" ;;
esac
finish
