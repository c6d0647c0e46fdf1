#!/bin/sh
# The shape of src/ that the README promises: the pipeline flat in src/, the families in folders
# (src/rules, src/correlate, src/capture, src/report); every file under 700 lines, so the next change
# has room under the 800-line cap; each header opening with what its module is for; a folder's private
# header (*_in.h) included by nothing outside it; no two modules calling each other, directly or round
# a longer circle (read from the objects' symbols, not the includes); the README's map naming every
# source file; every log format (frame_*.c) a row of text.c's table, every renderer one of report.c's;
# the README's recipes exact (a scratch framer, renderer or state lane tried in a copy).
# Prints PASS/FAIL lines and "N passed, N failed, N skipped".
set -u
SUITE=layout
. tests/lib.sh
B=${B:-build}

srcs=$(ls src/*.c src/*/*.c)
heads=$(ls src/*.h src/*/*.h)

long=$(wc -l $srcs $heads | awk '$2 != "total" && $1 > 700 { printf "%s (%d) ", $2, $1 }')
[ -z "$long" ] && ok "under-700-lines" || ko "under-700-lines" "$long"

bare=""
for h in $heads; do
	head -1 "$h" | grep -q '^/\* ' || bare="$bare $h"
done
[ -z "$bare" ] && ok "headers-say-why" || ko "headers-say-why" "no opening comment:$bare"

# a folder's private header is for the folder: nothing in src/ or tests/ outside it includes it
leaks=""
for h in src/*/*_in.h; do
	[ -e "$h" ] || continue
	d=$(dirname "$h"); n=$(basename "$h")
	for f in $(grep -rl --include='*.[ch]' "#include \"\(.*/\)\?$n\"" src tests); do
		[ "$(dirname "$f")" = "$d" ] || leaks="$leaks $f:$n"
	done
done
[ -z "$leaks" ] && ok "private-headers-stay-home" || ko "private-headers-stay-home" "$leaks"

# Calls, not includes: module A uses a symbol module B defines. Any circle (a strongly connected
# set of two or more modules) fails; a helper two modules share moves down into its own file.
objs=""
for c in $srcs; do m=${c#src/}; objs="$objs $B/${m%.c}.o"; done
if ls $objs >/dev/null 2>&1 && command -v nm >/dev/null; then
	for o in $objs; do
		m=${o#"$B"/}; m=${m%.o}
		nm "$o" | awk -v m="$m" 'NF == 3 && $2 ~ /^[TDBR]$/ { print "D", m, $3 } NF == 2 && $1 == "U" { print "U", m, $2 }'
	done > "$tmp/syms"
	python3 - "$tmp/syms" > "$tmp/circles" <<'PY'
import sys
defs, uses = {}, {}
for line in open(sys.argv[1]):
    k, m, s = line.split()
    uses.setdefault(m, set())
    if k == "D": defs[s] = m
    else: uses[m].add(s)
g = {m: {defs[s] for s in u if s in defs and defs[s] != m} for m, u in uses.items()}
index, low, stack, on, n = {}, {}, [], set(), [0]
sys.setrecursionlimit(10000)
def visit(v):
    index[v] = low[v] = n[0]; n[0] += 1; stack.append(v); on.add(v)
    for w in sorted(g[v]):
        if w not in index: visit(w); low[v] = min(low[v], low[w])
        elif w in on: low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop(); on.discard(w); comp.append(w)
            if w == v: break
        if len(comp) > 1:
            comp = set(comp)
            print("{" + " ".join(f"{a}->{b}" for a in sorted(comp) for b in sorted(g[a] & comp)) + "}")
for v in sorted(g):
    if v not in index: visit(v)
PY
	[ -s "$tmp/circles" ] && ko "no-call-circle" "$(tr '\n' ' ' < "$tmp/circles")" || ok "no-call-circle"
else
	skip "no-call-circle" "no objects in $B (make dartscan first) or no nm"
fi

# the map names each file by its path below src/; the renderers are one row: `report/report_{text,json,...}.c`
renderers=$(sed -n 's/.*`report\/report\.c` + `report\/report_{\([a-z,]*\)}\.c`.*/\1/p' README.md | tr ',' ' ')
unmapped=""
for c in $srcs; do
	f=${c#src/}
	for r in $renderers; do [ "$f" = "report/report_$r.c" ] && continue 2; done
	grep -q "\`$f\`" README.md || unmapped="$unmapped $f"
done
[ -z "$unmapped" ] && ok "readme-maps-every-file" || ko "readme-maps-every-file" "not in README's map of src/:$unmapped"

rowless=""
for c in src/frame_*.c; do
	grep -o 'const struct framer frame_[a-z_]* =' "$c" | sed 's/const struct framer \(frame_[a-z_]*\) =/\1/' | while read -r fr; do
		[ "$fr" = frame_lines ] || grep -q "&$fr[,}]" src/text.c || echo "$fr"
	done
done > "$tmp/rowless"
[ -s "$tmp/rowless" ] && ko "every-framer-a-row" "$(tr '\n' ' ' < "$tmp/rowless")" || ok "every-framer-a-row"
for c in src/report/report_*.c; do
	grep -o 'const struct report_ops report_[a-z]*_ops =' "$c" | sed 's/const struct report_ops \(report_[a-z]*_ops\) =/\1/' |
		while read -r ops; do grep -q "&$ops[,}]" src/report/report.c || echo "$ops"; done
done > "$tmp/unlisted"
[ -s "$tmp/unlisted" ] && ko "every-renderer-a-row" "$(tr '\n' ' ' < "$tmp/unlisted")" || ok "every-renderer-a-row"

# The README's recipes hold: each file a recipe row names exists at that path from the top (a
# bare base name would leave a newcomer searching the folders), and a scratch log format or
# renderer added to a copy of the tree makes this suite name every place the recipe names that the
# scratch file still lacks (LAYOUT_SCRATCH: the copy's run skips this part).
if [ -z "${LAYOUT_SCRATCH:-}" ]; then
	sed -n '/^| change | files |$/,/^$/p' README.md | grep -o '`[a-z][a-z0-9_./-]*\.[a-z0-9]*`' | tr -d '`' | sort -u > "$tmp/named"
	gone=""
	for f in $(cat "$tmp/named"); do
		case $f in *NAME*|*.rules) continue ;; esac
		[ -e "$f" ] || gone="$gone $f"
	done
	[ -s "$tmp/named" ] && [ -z "$gone" ] && ok "recipes-name-real-files ($(wc -l < "$tmp/named") names)" ||
	    ko "recipes-name-real-files" "not found:$gone"

	# the checks the copy fails, with what each names
	failing() {
		(cd "$tmp/copy" && LAYOUT_SCRATCH=1 B=none sh tests/suites/layout.sh) | sed -n 's/^FAIL layout\/\([a-z0-9-]*\).*/\1/p' | sort
	}
	# scratch KIND FILE TEXT EXPECTED...: FILE (below the copy) gets TEXT; the copy's layout run must
	# newly fail exactly the checks EXPECTED
	scratch() {
		kind=$1 file=$2 text=$3; shift 3
		rm -rf "$tmp/copy" && mkdir -p "$tmp/copy/tests/suites"
		cp -r src man README.md "$tmp/copy/" && cp tests/lib.sh "$tmp/copy/tests/" && cp tests/suites/layout.sh "$tmp/copy/tests/suites/"
		failing > "$tmp/before"
		printf '%s\n' "$text" > "$tmp/copy/$file"
		failing | comm -13 "$tmp/before" - > "$tmp/failed"
		printf '%s\n' "$@" | sort > "$tmp/want"
		if cmp -s "$tmp/failed" "$tmp/want"; then
			ok "recipe-$kind-named ($(tr '\n' ' ' < "$tmp/want"))"
		else
			ko "recipe-$kind-named" "wanted: $(tr '\n' ' ' < "$tmp/want")got: $(tr '\n' ' ' < "$tmp/failed")"
		fi
	}
	scratch log-format src/frame_scratch.c '/* frame_scratch: a scratch framer. */
const struct framer frame_scratch = {.name = "scratch"};' every-framer-a-row readme-maps-every-file
	scratch output-format src/report/report_scratch.c '/* report_scratch: a scratch renderer. */
const struct report_ops report_scratch_ops = {0};' every-renderer-a-row readme-maps-every-file

	# A state lane is one row of component.c and a rule that writes it: a dartscan built from this
	# build's objects with a scratch row (component.c alone recompiled) shows the lane, from a rule
	# in a copy of rules/, in every output that lists lanes (in whatever state: a lone failure with
	# nothing after it is rightly "unknown").
	pkgs=$(sed -n 's/^PKGS = //p' Makefile)
	lane=$tmp/lane
	if [ -e "$B/component.o" ] && [ -e "$B/main.o" ]; then
		rm -rf "$lane" && mkdir -p "$lane/src" && cp -r rules "$lane/"
		awk '/^};$/ && !done { print "    {\"scratch\", \"Scratch lane\", {\"up\"}, {\"down\"}, \"cscumbrellaplugin.txt\"},"; done = 1 }
			{ print }' src/component.c > "$lane/src/component.c"
		cat > "$lane/rules/scratch.rules" <<'RULE'
rule: scratch.down
title: Scratch lane down
severity: warning
component: scratch
files: cscumbrellaplugin.txt
pattern: Plugin started
state: scratch=down
test: 2024-09-03 08:00:00 [5120] [INFO] < 10> Plugin started
RULE
		others=$(for o in $objs; do [ "$o" = "$B/component.o" ] || [ "$o" = "$B/main.o" ] || echo "$o"; done)
		# CC and CFLAGS as make check was given them (make sanitize's clang and flags)
		if ${CC:-cc} -std=c11 -D_GNU_SOURCE -Isrc ${CFLAGS:-} -c -o "$lane/component.o" "$lane/src/component.c" &&
		   ${CC:-cc} ${CFLAGS:-} -o "$lane/dartscan" "$B/main.o" "$lane/component.o" $others \
			$(pkg-config --libs $pkgs) -pthread; then
			missing=""
			for fmt in text csv json html junit; do
				"$lane/dartscan" -R "$lane/rules" -f $fmt "$B/fixtures/healthy.zip" > "$lane/out.$fmt" 2>&1
			done
			grep -q '^  Scratch lane  ' "$lane/out.text" || missing="$missing text"
			head -1 "$lane/out.csv" | grep -q ',scratch,' || missing="$missing csv"
			python3 -c 'import json, sys; sys.exit("scratch" not in json.load(open(sys.argv[1]))["bundles"][0]["states"])' \
				"$lane/out.json" || missing="$missing json"
			grep -q 'Scratch lane' "$lane/out.html" || missing="$missing html"
			grep -q '<property name="scratch" value=' "$lane/out.junit" || missing="$missing junit"
			[ -z "$missing" ] && ok "recipe-state-lane-one-row" || ko "recipe-state-lane-one-row" "no scratch lane in:$missing"
		else
			ko "recipe-state-lane-one-row" "the copy with a scratch lane did not build"
		fi
	else
		skip "recipe-state-lane-one-row" "no objects in $B (make dartscan first)"
	fi
fi
finish
