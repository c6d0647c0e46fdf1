#!/bin/sh
# fleet: what a person triaging many bundles reaches for -- the case note (-f note) and its
# length, the summary that leads, CSV read back by Python's csv module, duplicates and groups.
# Environment: B, DARTSCAN. Prints PASS/FAIL/SKIP lines and "N passed, N failed, N skipped".
set -u
SUITE=fleet
. tests/lib.sh

# ---- -f note: at most 25 lines a bundle; a top finding with a time cites entry:line ----
"$D" -R rules -q -f note "$F"/*.zip > "$tmp/notes" 2>/dev/null
n=$(grep -c '^Bundle: ' "$tmp/notes")
long=$(awk '/^Bundle: /{ if (c > 25) print name; name = $2; c = 0 } { c++ } END { if (c > 25) print name }' "$tmp/notes")
[ "$n" -gt 20 ] && [ -z "$long" ] && ok "note-at-most-25-lines ($n bundles)" || ko "note-at-most-25-lines" "$n bundles; too long: $long"
bad=$(awk '/^Bundle: /{ if (want && !ev) print name; name = $2; want = 0; ev = 0 }
	/^Since: (at least )?[0-9]/ { want = 1 }
	/^  [^ ].*:[0-9]+  / { ev++ }
	END { if (want && !ev) print name }' "$tmp/notes")
[ -z "$bad" ] && ok "note-evidence-entry-line" || ko "note-evidence-entry-line" "no evidence line in: $bad"
# every read bundle's note gives every lane's state (a "States:" line, then one a lane): as many
# lanes as the JSON report has (component.c's table), not a count kept here
nlanes=$("$D" -R rules -q -f json "$F/healthy.zip" 2>/dev/null | python3 -c 'import json, sys
print(len(json.load(sys.stdin)["bundles"][0]["states"]))' 2>/dev/null)
bad=$(awk -v n="${nlanes:-0}" '/^Bundle: /{ if (want && lanes != n) print name; name = $2; want = 0; lanes = 0; st = 0 }
	/^Host: / { want = 1 } /^States:/ { st = 1; next } st && /^  [^ ]/ { lanes++; next } { st = 0 }
	END { if (want && lanes != n) print name }' "$tmp/notes")
[ "${nlanes:-0}" -gt 0 ] && [ -z "$bad" ] && ok "note-every-lane ($nlanes lanes)" || ko "note-every-lane" "not $nlanes lanes in: $bad"
# one complete capture filter: both stacks' resolvers when both fail, every failing proxy address
# the logs name (JSON's swg_failing_addresses); opened by an absolute path, the note names the file
# and no folder of the engineer's
"$D" -R rules -q -f note "$(pwd)/$F/seed-dns.zip" > "$tmp/n-dns" 2>/dev/null
"$D" -R rules -q -f note "$F/swg-addresses.zip" > "$tmp/n-swg" 2>/dev/null
want=$("$D" -R rules -q -f json "$F/swg-addresses.zip" 2>/dev/null | python3 -c 'import json, sys
print(" ".join(json.load(sys.stdin)["bundles"][0]["context"]["swg_failing_addresses"]))' 2>/dev/null)
miss=""
for a in 208.67.222.222 208.67.220.220 2620:119:53::53 2620:119:35::35; do
	grep "^Next step: " "$tmp/n-dns" | grep -q "addr == $a\( \|\$\)" || miss="$miss seed-dns:$a"
done
for a in $want; do grep "^Next step: " "$tmp/n-swg" | grep -q "ip.addr == $a\( \|\$\)" || miss="$miss swg-addresses:$a"; done
[ -n "$want" ] && [ -z "$miss" ] && [ "$(grep -c '^Next step: ' "$tmp/n-dns")" = 1 ] && ok "note-one-complete-filter" ||
	ko "note-one-complete-filter" "missing:$miss (failing addresses: '$want')"
[ "$(sed -n 's/^Bundle: //p' "$tmp/n-dns")" = seed-dns.zip ] && ! grep -q "$(pwd)" "$tmp/n-dns" && ok "note-no-local-path" ||
	ko "note-no-local-path" "$(head -1 "$tmp/n-dns")"

# ---- a case store: natural order, duplicates, a corrupt upload, an empty case folder ----
cs=$tmp/cases
UNPADDED=1 sh tests/make-cases.sh "$B" "$cs" 30
"$D" -R rules -q -r "$cs" -j 1 > "$tmp/j1.txt" 2> "$tmp/j1.err"; c1=$?
"$D" -R rules -q -r "$cs" -j 2 > "$tmp/j2.txt" 2> "$tmp/j2.err"; c2=$?
cmp -s "$tmp/j1.txt" "$tmp/j2.txt" && cmp -s "$tmp/j1.err" "$tmp/j2.err" && [ "$c1" = 2 ] && [ "$c2" = 2 ] &&
	ok "store-j1-j2-identical" || ko "store-j1-j2-identical" "exit $c1/$c2, outputs differ"
order=$(sed -n '/^summary of/,/^$/p' "$tmp/j1.txt" | awk 'NR > 2 && NF { sub("/.*", "", $1); printf "%s ", $1 }')
want="$(i=0; while [ $i -lt 30 ]; do printf 'case-%d ' $i; i=$((i + 1)); done)case-empty " # listed, not skipped
[ "$order" = "$want" ] && ok "store-natural-order" || ko "store-natural-order" "$order"
for f in json csv html; do
	"$D" -R rules -q -r "$cs" -j 1 -f $f > "$tmp/j1.$f" 2>/dev/null
	"$D" -R rules -q -r "$cs" -j 2 -f $f > "$tmp/j2.$f" 2>/dev/null
	cmp -s "$tmp/j1.$f" "$tmp/j2.$f" && ok "store-j1-j2-identical-$f" || ko "store-j1-j2-identical-$f" "outputs differ"
done

# the CSV read back with Python's csv module: one header, one row per bundle, the columns the
# issue names, errors and duplicates among the rows, every row agreeing with the JSON summary
if command -v python3 >/dev/null 2>&1; then
	r=$(python3 - "$tmp/j1.csv" "$tmp/j1.json" <<'PY'
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
doc = json.load(open(sys.argv[2], encoding="utf-8"))
head, body = rows[0], rows[1:]
# every state lane the JSON summary has (the lanes are component.c's table), one column each
lanes = sorted({k for s in doc["summary"] for k in (s.get("states") or {})})
need = "path status verdict top_finding severity since ongoing host organization_id client_version collected_at sha256 duplicate_of error".split() + lanes
if not lanes:
    sys.exit("no state lanes in the JSON summary")
missing = [c for c in need if c not in head]
if missing or len(body) != 31 or any(len(r) != len(head) for r in body):
    sys.exit("columns missing %s, %d rows" % (missing, len(body)))
d = [dict(zip(head, r)) for r in body]
summ = doc["summary"]
for row, s in zip(d, summ):
    for k in ("path", "status", "verdict", "sha256", "duplicate_of", "error", "host", "organization_id"):
        if row[k] != (s[k] or ""):
            sys.exit("%s: %s csv %r json %r" % (row["path"], k, row[k], s[k]))
err = [r for r in d if r["status"] == "error"]
empty = [r for r in d if r["status"] == "empty"]
if [r["path"] for r in empty] != ["case-empty"] or empty[0]["verdict"] != "empty: no bundle in this case folder yet":
    sys.exit("empty case folders: %r" % [(r["path"], r["verdict"]) for r in empty])
dups = [r for r in d if r["duplicate_of"]]
if len(err) != 1 or not err[0]["error"] or not err[0]["path"].startswith("case-19/"):
    sys.exit("errors: %r" % [(r["path"], r["error"]) for r in err])
by = {r["path"]: r for r in d}
for r in dups:
    o = by[r["duplicate_of"]]
    if o["sha256"] != r["sha256"] or o["duplicate_of"] or o["top_finding"] != r["top_finding"]:
        sys.exit("duplicate %s of %s does not repeat it" % (r["path"], o["path"]))
# every other row's bytes differ from the earlier ones'
seen = {}
for r in d:
    if r["sha256"] and not r["duplicate_of"]:
        if r["sha256"] in seen:
            sys.exit("%s has the bytes of %s but no duplicate_of" % (r["path"], seen[r["sha256"]]))
        seen[r["sha256"]] = r["path"]
print(len(dups))
PY
) && [ "$r" -gt 5 ] && ok "csv-read-back ($r duplicates)" || ko "csv-read-back" "$r"
else
	skip csv-read-back "python3 not installed"
fi

# --group-by: JSON groups, largest first, every bundle once but duplicates not at all; the same
# groups with -j 1 and -j 2; text and HTML one line per group
if command -v python3 >/dev/null 2>&1; then
	for by in root-cause org network; do
		"$D" -R rules -q -r "$cs" -j 1 -f json --group-by $by > "$tmp/g1.json" 2>/dev/null
		"$D" -R rules -q -r "$cs" -j 2 -f json --group-by $by > "$tmp/g2.json" 2>/dev/null
		r=$(python3 - "$tmp/g1.json" "$by" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
by = sys.argv[2]
g, summ = d["groups"], d["summary"]
if d["group_by"] != by:
    sys.exit("group_by %r" % d["group_by"])
counts = [x["count"] for x in g]
if counts != sorted(counts, reverse=True) or any(x["count"] != len(x["bundles"]) for x in g):
    sys.exit("not largest first or counts wrong: %r" % counts)
listed = [p for x in g for p in x["bundles"]]
originals = [r["path"] for r in summ if not r["duplicate_of"]]
if sorted(listed) != sorted(originals):
    sys.exit("listed %d, originals %d" % (len(listed), len(originals)))
row = {r["path"]: r for r in summ}
for x in g:
    for p in x["bundles"]:
        r = row[p]
        # a bundle not read is a group of its own; a row's top finding is its root-cause key (at or
        # above warning: a healthy row's cell is empty where its group is "-")
        want = {"root-cause": r["top_finding"], "org": r["organization_id"]}.get(by, x["key"])
        if r["status"] == "error":
            want = "not read"
        elif r["status"] == "empty":
            want = "empty"
        elif r["top_finding"] is not None and r["severity"] not in ("warning", "error", "critical"):
            sys.exit("%s: top finding %r at %r" % (p, r["top_finding"], r["severity"]))
        if want != x["key"]:
            sys.exit("%s in group %r, its key is %r" % (p, x["key"], want))
print(len(g))
PY
)
		[ -n "$r" ] && [ "$r" -gt 0 ] 2>/dev/null && cmp -s "$tmp/g1.json" "$tmp/g2.json" && ok "group-by-$by ($r groups)" || ko "group-by-$by" "$r"
	done
else
	for by in root-cause org network; do skip "group-by-$by" "python3 not installed"; done
fi
"$D" -R rules -q -r "$cs" --group-by root-cause > "$tmp/g.txt" 2>/dev/null
"$D" -R rules -q -r "$cs" --group-by root-cause -f html > "$tmp/g.html" 2>/dev/null
nt=$(sed -n '/^groups by root-cause/,$p' "$tmp/g.txt" | grep -c '^  *[0-9]')
nh=$(grep -c '^<li><span class="num">[0-9]*</span> <code>' "$tmp/g.html")
[ "$nt" -gt 2 ] && [ "$nt" = "$nh" ] && ok "group-by-text-html-lines ($nt)" || ko "group-by-text-html-lines" "text $nt, html $nh"
"$D" -R rules -q --group-by nothing "$F/healthy.zip" > /dev/null 2> "$tmp/gb.err"; c=$?
[ "$c" = 2 ] && grep -q "^dartscan: --group-by: expected root-cause, org or network, not 'nothing'" "$tmp/gb.err" &&
	ok "group-by-unknown-key" || ko "group-by-unknown-key" "exit $c: $(cat "$tmp/gb.err")"

# duplicates are scanned once: the duplicate's file is opened for discovery and its digest, the
# original's also for its scan (strace counts the opens, in every process)
n=$(grep -c '^  same      bytes as .*not scanned again' "$tmp/j1.txt")
u=$(sed -n '/^summary of/,/^$/p' "$tmp/j1.txt" | grep -c 'duplicate of ')
[ "$n" -gt 5 ] && [ "$n" = "$u" ] && ok "duplicates-said ($n)" || ko "duplicates-said" "$n sections, $u rows"
if command -v strace >/dev/null 2>&1; then
	strace -f -qq -e trace=openat,open -o "$tmp/st" "$D" -R rules -q -r "$cs" -j 2 > /dev/null 2>&1
	o=$(grep -c "\"$cs/case-0/DARTBundle_0.zip\"" "$tmp/st"); d=$(grep -c "\"$cs/case-10/DARTBundle_10.zip\"" "$tmp/st")
	[ "$d" -gt 0 ] && [ "$o" -gt "$d" ] && grep -q '^  same      bytes as .*/case-0/DARTBundle_0.zip' "$tmp/j1.txt" &&
		ok "duplicate-scanned-once (opens: original $o, duplicate $d)" || ko "duplicate-scanned-once" "opens: original $o, duplicate $d"
else
	skip duplicate-scanned-once "strace not installed"
fi

# a cell that a spreadsheet reads as a formula is neutralised (OWASP: a leading single quote)
mkdir -p "$tmp/evil"
cp -r fixtures/healthy "$tmp/evil/tree"
sed -i 's/^Host Name: .*/Host Name:                 =HYPERLINK("http:\/\/x.invalid","click")/' "$tmp/evil/tree/Cisco Secure Client/DART/systeminfo.txt"
"$B/mkbundle" zip "$tmp/evil/evil.zip" "$tmp/evil/tree" > /dev/null
"$D" -R rules -q -f csv "$tmp/evil/evil.zip" "$F/seed-dns.zip" > "$tmp/evil.csv" 2>/dev/null
if command -v python3 >/dev/null 2>&1; then
	r=$(python3 -c '
import csv, sys
d = list(csv.DictReader(open(sys.argv[1], newline="")))
bad = [v for r in d for v in r.values() if v and v[0] in "=+-@"]
print(d[0]["host"] if d and not bad else "formula cells: %r" % bad)' "$tmp/evil.csv")
	[ "$r" = "'=HYPERLINK(\"http://x.invalid\",\"click\")" ] && ok "csv-injection-neutralised" || ko "csv-injection-neutralised" "$r"
else
	skip csv-injection-neutralised "python3 not installed"
fi

finish
