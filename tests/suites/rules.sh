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
