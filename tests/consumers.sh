#!/bin/sh
# consumers: the SARIF and JUnit outputs as real consumers read them, beside the schemas. Microsoft's
# reference SARIF validator (the npm @microsoft/sarif-multitool, pinned) with --rule-kind Sarif and
# --rule-kind Gh (GitHub code scanning's rules) on every fixture's SARIF and on one batch over the
# fixtures and the hostile corpus: any error fails. junit2json (npm, pinned) reads the JUnit of the
# same batch; its suites and cases must add up. Needs npm and the registry: CI runs it, not
# make check. Environment: B, DARTSCAN, CONSUMERS_DIR (where the tools are installed).
# Prints PASS/FAIL lines and "N passed, N failed".
set -u
B=${B:-build}
D=${DARTSCAN:-./dartscan}
F=$B/fixtures
NPMDIR=${CONSUMERS_DIR:-$B/consumers}
SARIF_MULTITOOL=@microsoft/sarif-multitool@5.7.0
JUNIT2JSON=junit2json@4.0.0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { echo "PASS consumers/$1"; pass=$((pass + 1)); }
ko() { echo "FAIL consumers/$1: $2"; fail=$((fail + 1)); }

if ! command -v npm >/dev/null 2>&1; then
	ko npm "npm not installed (apt-get install -y npm)"
	echo "$pass passed, $fail failed"
	exit 1
fi
mkdir -p "$NPMDIR"
if [ ! -x "$NPMDIR/node_modules/.bin/sarif-multitool" ] || [ ! -x "$NPMDIR/node_modules/.bin/junit2json" ]; then
	npm install --prefix "$NPMDIR" --no-audit --no-fund --loglevel=error "$SARIF_MULTITOOL" "$JUNIT2JSON" \
		>"$tmp/npm.log" 2>&1 || { ko npm-install "$(tail -3 "$tmp/npm.log")"; echo "$pass passed, $fail failed"; exit 1; }
fi
# npm may refuse the package's postinstall (chmod u+x of the native binary): do it here
chmod u+x "$NPMDIR"/node_modules/@microsoft/sarif-multitool-linux*/Sarif.Multitool 2>/dev/null
MT=$NPMDIR/node_modules/.bin/sarif-multitool
J2J=$NPMDIR/node_modules/.bin/junit2json

# the inputs: every fixture alone, and one batch with the hostile corpus (tests/hostile/gen.sh)
[ -d "$B/hostile" ] || sh tests/hostile/gen.sh "$B" >/dev/null 2>&1
set -- "$F"/*.zip "$F"/*.tar.gz fixtures/extracted
n=0
for b in "$@"; do
	n=$((n + 1))
	"$D" -R rules -f sarif "$b" >"$tmp/one-$n.sarif" 2>/dev/null
done
"$D" -R rules -f sarif "$@" "$B"/hostile/*.zip "$B"/hostile/*.tar.gz >"$tmp/batch.sarif" 2>/dev/null
"$D" -R rules -f junit "$@" "$B"/hostile/*.zip "$B"/hostile/*.tar.gz >"$tmp/batch.xml" 2>/dev/null
"$D" -R rules -f json "$@" "$B"/hostile/*.zip "$B"/hostile/*.tar.gz >"$tmp/batch.json" 2>/dev/null

# validate KIND: one run over every file; its own SARIF log lists what it found
for kind in Sarif Gh; do
	rm -f "$tmp/v-$kind.sarif"
	"$MT" validate --rule-kind "$kind" --output "$tmp/v-$kind.sarif" "$tmp"/one-*.sarif "$tmp/batch.sarif" \
		>"$tmp/v-$kind.log" 2>&1
	errs=$(python3 - "$tmp/v-$kind.sarif" <<'PY'
import json, sys
try:
    log = json.load(open(sys.argv[1], encoding="utf-8-sig"))
except Exception as e:
    print("no validator log: %s" % e)
    sys.exit()
out = []
for run in log.get("runs", []):
    for r in run.get("results", []):
        if r.get("level", "warning") == "error":
            loc = r.get("locations", [{}])[0].get("physicalLocation", {}).get("artifactLocation", {}).get("uri", "")
            out.append("%s %s %s" % (r.get("ruleId"), loc.rsplit("/", 1)[-1], r.get("message", {}).get("arguments", "")))
print("; ".join(out[:5]) + (" (+%d more)" % (len(out) - 5) if len(out) > 5 else ""))
PY
)
	if [ -z "$errs" ] && [ -s "$tmp/v-$kind.sarif" ]; then ok "sarif-multitool-$kind"; else ko "sarif-multitool-$kind" "${errs:-$(tail -3 "$tmp/v-$kind.log")}"; fi
done

"$J2J" "$tmp/batch.xml" >"$tmp/batch.junit.json" 2>"$tmp/j2j.err"
res=$(python3 - "$tmp/batch.junit.json" "$tmp/batch.json" <<'PY'
import json, sys
try:
    j = json.load(open(sys.argv[1]))
except Exception as e:
    print("junit2json gave no JSON: %s" % e)
    sys.exit()
want = json.load(open(sys.argv[2]))["bundles"]
suites = j.get("testsuite", [])
bad = []
if len(suites) != len(want):
    bad.append("%d suites for %d bundles" % (len(suites), len(want)))
for s, b in zip(suites, want):
    cases = s.get("testcase", [])
    failed = sum(1 for c in cases if c.get("failure") or c.get("error"))
    if s.get("tests") != len(cases):
        bad.append("%s: tests=%s, %d testcases" % (s.get("name"), s.get("tests"), len(cases)))
    if (s.get("failures", 0) + s.get("errors", 0)) != failed:
        bad.append("%s: failures+errors=%s, %d failed testcases" % (s.get("name"), s.get("failures"), failed))
    if s.get("name") != b["path"]:
        bad.append("suite %r for bundle %r" % (s.get("name"), b["path"]))
print("; ".join(bad[:5]))
PY
)
if [ -z "$res" ]; then ok junit2json-reads-the-batch; else ko junit2json-reads-the-batch "$res $(head -c 200 "$tmp/j2j.err")"; fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
