#!/bin/sh
# fleet: what a person triaging many bundles reaches for -- the case note (-f note) and its
# length, the summary that leads, CSV read back by Python's csv module, duplicates and groups.
# Environment: B, DARTSCAN. Prints PASS/FAIL lines and "N passed, N failed".
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

finish
