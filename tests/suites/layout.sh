#!/bin/sh
# The shape of src/ that the README promises: every file under 800 lines, each header opening with
# what its module is for, no two modules including each other, the README's map naming every
# source file, every log format (frame_*.c) a row of text.c's table, every renderer one of report.c's.
# Prints PASS/FAIL lines and "N passed, N failed, N skipped".
set -u
SUITE=layout
. tests/lib.sh

long=$(wc -l src/*.c src/*.h | awk '$2 != "total" && $1 >= 800 { printf "%s (%d) ", $2, $1 }')
[ -z "$long" ] && ok "under-800-lines" || ko "under-800-lines" "$long"

bare=""
for h in src/*.h; do
	head -1 "$h" | grep -q '^/\* ' || bare="$bare $h"
done
[ -z "$bare" ] && ok "headers-say-why" || ko "headers-say-why" "no opening comment:$bare"

# a module is x.c with x.h; x.c including y.h while y.c includes x.h is a circle
for c in src/*.c; do
	m=$(basename "$c" .c)
	sed -n 's/^#include "\([a-z0-9_]*\)\.h"$/\1/p' "$c" | while read -r o; do
		[ "$o" != "$m" ] && [ -f "src/$o.c" ] && grep -q "^#include \"$m\.h\"$" "src/$o.c" && echo "$m<->$o"
	done
done > "$tmp/circles"
[ -s "$tmp/circles" ] && ko "no-include-circle" "$(sort -u "$tmp/circles" | tr '\n' ' ')" || ok "no-include-circle"

# the renderers are one row: `report_{text,json,...}.c`
renderers=$(sed -n 's/.*`report\.c` + `report_{\([a-z,]*\)}\.c`.*/\1/p' README.md | tr ',' ' ')
unmapped=""
for c in src/*.c; do
	f=$(basename "$c")
	for r in $renderers; do [ "$f" = "report_$r.c" ] && continue 2; done
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
for c in src/report_*.c; do
	grep -o 'const struct report_ops report_[a-z]*_ops =' "$c" | sed 's/const struct report_ops \(report_[a-z]*_ops\) =/\1/' |
		while read -r ops; do grep -q "&$ops[,}]" src/report.c || echo "$ops"; done
done > "$tmp/unlisted"
[ -s "$tmp/unlisted" ] && ko "every-renderer-a-row" "$(tr '\n' ' ' < "$tmp/unlisted")" || ok "every-renderer-a-row"
finish
