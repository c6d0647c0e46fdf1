#!/bin/sh
# Batch scanning and CI regression: discovery, -j determinism, summary vs NDJSON, a corrupt case
# not stopping the others, --expect drift and --update-expect, and the GNU parallel shard recipe.
# Environment: B, DARTSCAN. Prints PASS/FAIL/SKIP lines and "N passed, N failed, N skipped".
set -u
SUITE=batch
. tests/lib.sh
cases=$B/cases

sh tests/make-cases.sh "$B" "$cases" 200
$D -R rules -q -r "$cases" -j 1 > "$tmp/j1.txt" 2> "$tmp/j1.err"; c1=$?
$D -R rules -q -r "$cases" -j 2 > "$tmp/j2.txt" 2> "$tmp/j2.err"; c2=$?
if cmp -s "$tmp/j1.txt" "$tmp/j2.txt" && cmp -s "$tmp/j1.err" "$tmp/j2.err"; then ok "j1-j2-identical-text"; else ko "j1-j2-identical-text" "outputs differ"; fi
[ "$c1" = 2 ] && [ "$c2" = 2 ] && ok "exit-2-with-corrupt-case" || ko "exit-2-with-corrupt-case" "exit $c1/$c2"
$D -R rules -q -r "$cases" -j 1 -f ndjson > "$tmp/j1.nd" 2>/dev/null
$D -R rules -q -r "$cases" -j 2 -f ndjson > "$tmp/j2.nd" 2>/dev/null
cmp -s "$tmp/j1.nd" "$tmp/j2.nd" && ok "j1-j2-identical-ndjson" || ko "j1-j2-identical-ndjson" "outputs differ"
n=$(wc -l < "$tmp/j1.nd")
# 200 bundles and case-empty, the folder the upload has not reached: listed, status empty
[ "$n" = 201 ] && [ "$(grep -c '"status":"empty"' "$tmp/j1.nd")" = 1 ] && ok "discovered-200" ||
	ko "discovered-200" "found $n bundles and empty folders"
rows=$(sed -n '/^summary of/,/^findings by id/p' "$tmp/j1.txt" | grep -c '^  [^ ]')
[ "$rows" = 202 ] && ok "summary-rows" || ko "summary-rows" "$rows rows (with header)"
errs_nd=$(grep -c '"status":"error"' "$tmp/j1.nd")
errs_txt=$(sed -n '/^summary of/,/^findings by id/p' "$tmp/j1.txt" | grep -cE '^  [^ ]+ +- +- +- +error ')
[ "$errs_nd" = 8 ] && [ "$errs_txt" = "$errs_nd" ] && ok "summary-agrees-ndjson-errors" || ko "summary-agrees-ndjson-errors" "ndjson $errs_nd, table $errs_txt"
ok_nd=$(grep -c '"status":"ok"' "$tmp/j1.nd"); ok_txt=$(sed -n '/^summary of/,/^findings by id/p' "$tmp/j1.txt" | grep -c '  ok  ')
[ "$ok_nd" = "$ok_txt" ] && [ "$ok_nd" -gt 150 ] && ok "others-still-scanned" || ko "others-still-scanned" "ok: ndjson $ok_nd, table $ok_txt"
grep -q '"path":"'"$cases"'/case-0007/upload.zip".*swg.proxy-unreachable' "$tmp/j1.nd" && ok "nested-case-zip" || ko "nested-case-zip" "no finding from the zip inside the case zip"
grep -q "^dartscan: $cases/case-0019/DARTBundle.zip: not a readable archive" "$tmp/j1.err" && ok "corrupt-case-named-on-stderr" || ko "corrupt-case-named-on-stderr" "$(head -2 "$tmp/j1.err")"
# a root given with its trailing slash: paths keep one slash ("cases/case-0001/...", not "cases//")
$D -R rules -q -r "$cases/" -j 2 -f ndjson > "$tmp/slash.nd" 2>/dev/null
if grep -q "$cases//" "$tmp/slash.nd" || ! grep -q "\"path\":\"$cases/case-0001/" "$tmp/slash.nd"; then
	ko "no-doubled-slash" "$(grep -o '"path":"[^"]*"' "$tmp/slash.nd" | head -1)"
else
	ok "no-doubled-slash"
fi

# --expect: holds, then a planted drift is caught, then --update-expect rewrites it.
cat > "$tmp/expect" <<EOT
bundle: $PWD/$B/fixtures/seed-dns.zip
expect: dns.resolvers-unreachable
expect-not: swg.proxy-unreachable
state: dns_ipv4=unprotected

bundle: $PWD/$B/fixtures/healthy.zip
expect-not: swg.proxy-unreachable
state: web=protected
EOT
$D -R rules --expect "$tmp/expect" -f json > /dev/null 2> "$tmp/e.err"; c=$?
[ "$c" = 0 ] && ok "expect-holds" || ko "expect-holds" "exit $c: $(cat "$tmp/e.err")"
sed 's/state: web=protected/state: web=unavailable/; s/^expect-not: swg.proxy-unreachable$/expect: swg.proxy-unreachable/' "$tmp/expect" > "$tmp/drift"
$D -R rules --expect "$tmp/drift" > /dev/null 2> "$tmp/d.err"; c=$?
if [ "$c" = 1 ] && grep -q "seed-dns.zip: finding swg.proxy-unreachable expected but not produced" "$tmp/d.err" &&
	grep -q "healthy.zip: state web is protected, expected unavailable" "$tmp/d.err"; then ok "expect-catches-drift"
else ko "expect-catches-drift" "exit $c: $(cat "$tmp/d.err")"; fi
$D -R rules --expect "$tmp/drift" --update-expect > /dev/null 2>&1
$D -R rules --expect "$tmp/drift" > /dev/null 2>&1; c=$?
[ "$c" = 0 ] && grep -q '^state: web=protected' "$tmp/drift" && ok "update-expect" || ko "update-expect" "exit $c after update"

# GNU parallel across two "hosts" (both this machine, through tests/fake-ssh): merged NDJSON
# equals a single-machine run.
if command -v parallel >/dev/null 2>&1; then
	printf '1/host-a\n1/host-b\n' > "$tmp/hosts"
	find "$cases" -mindepth 1 -maxdepth 1 -type d | sort |
		parallel --will-cite --ssh "$PWD/tests/fake-ssh" --sshloginfile "$tmp/hosts" --workdir "$PWD" \
			-j 1 -N 50 "$D -R rules -q -r -f ndjson {} || true" > "$tmp/shards.nd" 2> "$tmp/shards.err"
	# a duplicate is one within a run: where a shard holds the first copy, the single run names
	# it duplicate_of, so each duplicate is read as the bundle it repeats, under its own path
	undup() {
		python3 -c '
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
by = {b["path"]: b for b in lines}
for b in lines:
    o = by[b["duplicate_of"]] if b.get("duplicate_of") else b
    o = dict(o, path=b["path"], duplicate_of=None)
    print(json.dumps(o, sort_keys=True))' "$1" | sort
	}
	undup "$tmp/shards.nd" > "$tmp/merged.nd"
	# a shard given an empty case folder as its root says "no bundle found below" (stderr): a
	# root is never an empty case of itself
	grep -v '"status":"empty"' "$tmp/j1.nd" > "$tmp/j1-read.nd"
	undup "$tmp/j1-read.nd" > "$tmp/single.nd"
	if cmp -s "$tmp/merged.nd" "$tmp/single.nd"; then ok "gnu-parallel-shards-merge"
	else ko "gnu-parallel-shards-merge" "$(wc -l < "$tmp/merged.nd") merged lines vs $(wc -l < "$tmp/single.nd"); $(head -c 300 "$tmp/shards.err")"; fi
else
	skip gnu-parallel-shards-merge "GNU parallel not installed (apt-get install parallel)"
fi

# JUnit with --expect: one testcase per expectation, failures exactly the drifts.
$D -R rules --expect "$tmp/expect" -f junit > "$tmp/e.xml" 2>/dev/null
sed 's/^expect-not: swg.proxy-unreachable$/expect: swg.proxy-unreachable/' "$tmp/expect" > "$tmp/drift2"
$D -R rules --expect "$tmp/drift2" -f junit > "$tmp/d.xml" 2>/dev/null
cases=$(grep -c '<testcase classname="dartscan.expect"' "$tmp/e.xml"); fails=$(grep -c '<failure ' "$tmp/d.xml")
[ "$cases" = 5 ] && [ "$(grep -c '<failure ' "$tmp/e.xml")" = 0 ] && [ "$fails" = 2 ] &&
	ok junit-testcase-per-expectation || ko junit-testcase-per-expectation "$cases cases, $fails failures"
finish
