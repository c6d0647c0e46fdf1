#!/bin/sh
# The man pages: mandoc -Tlint is clean, dartscan.1's SYNOPSIS names exactly the options of
# `dartscan -h`, the example rule file of dartscan-rules.5 loads and passes its own tests, and
# every "$ " command of both pages' EXAMPLES runs with the exit status listed below.
#
# The examples name files as a user would (DARTBundle.zip, cases/); they run in a scratch
# directory where those names are fixture bundles. A literal block right after a ".Pa NAME :"
# line is written to NAME first (tuning.conf, expect.txt), so the pages' own files are used.
# Environment: B, DARTSCAN. Prints PASS/FAIL/SKIP lines and "N passed, N failed, N skipped".
set -u
SUITE=man
. tests/lib.sh
top=$(pwd)
case $D in /*) ;; *) D=$top/$D ;; esac

# Expected exit status of every example command, as written in the pages (after "$ ").
expected_status() {
	case $1 in
	'dartscan DARTBundle.zip') echo 1 ;;
	'dartscan -f json -o report.json --fail-on error DARTBundle.zip') echo 1 ;;
	'dartscan --since 2024-08-27T06:30 --until 2024-08-27T07:30 --timeline DARTBundle.zip') echo 1 ;;
	'dartscan --color=always healthy.zip | less -R') echo 0 ;;
	'dartscan -q -r -j 2 -f ndjson cases/ > cases.ndjson') echo 1 ;;
	'dartscan --explain dns.resolvers-unreachable DARTBundle.zip') echo 1 ;;
	'dartscan --config tuning.conf DARTBundle.zip') echo 1 ;;
	'dartscan --expect expect.txt') echo 0 ;;
	'dartscan rules check' | 'dartscan rules list' | 'dartscan rules test') echo 0 ;;
	'dartscan rules check site.d' | 'dartscan rules test site.d') echo 0 ;;
	'dartscan -R site.d DARTBundle.zip') echo 1 ;;
	'cp site.d/site.rules rules.d/' | 'dartscan rules list rules.d') echo 0 ;;
	*) echo none ;;
	esac
}

# mdoc escapes used in literal blocks
unescape() { sed -e 's/\\e/\\/g' -e 's/\\&//g'; }

# ---- lint ----
if command -v mandoc >/dev/null 2>&1; then
	if out=$(mandoc -Tlint -Wwarning man/dartscan.1 man/dartscan-rules.5 2>&1) && [ -z "$out" ]; then
		ok "mandoc-lint"
	else
		ko "mandoc-lint" "$(echo "$out" | head -3)"
	fi
else
	skip mandoc-lint "mandoc not installed"
fi

# ---- SYNOPSIS of dartscan.1 against dartscan -h ----
# Option names from -h: "-hqr" gives -h -q -r; "--fail-on" stays whole.
opts_from_usage() {
	grep -oE '(^|[[ ])--?[A-Za-z][A-Za-z-]*' | sed 's/^[[ ]//' | while read -r o; do
		case $o in
		--*) echo "$o" ;;
		*) echo "${o#-}" | fold -w1 | sed 's/^/-/' ;;
		esac
	done | sort -u
}
# Option names from the SYNOPSIS: the word after each "Fl".
opts_from_synopsis() {
	sed -n '/^\.Sh SYNOPSIS/,/^\.Sh /p' man/dartscan.1 | grep -oE 'Fl \\?-?[A-Za-z][A-Za-z-]*' |
	    sed -e 's/^Fl //' -e 's/^\\//' | while read -r o; do
		case $o in
		-*) echo "-$o" ;;
		*) echo "$o" | fold -w1 | sed 's/^/-/' ;;
		esac
	done | sort -u
}
$D -h | sed '/^$/q' | opts_from_usage > "$tmp/h.opts"
opts_from_synopsis > "$tmp/syn.opts"
if [ -s "$tmp/h.opts" ] && cmp -s "$tmp/h.opts" "$tmp/syn.opts"; then
	ok "synopsis-matches-usage ($(wc -l < "$tmp/h.opts") options)"
else
	ko "synopsis-matches-usage" "$(diff "$tmp/h.opts" "$tmp/syn.opts" | grep '^[<>]' | tr '\n' ' ')"
fi
# and every option of the SYNOPSIS is described in the option list
missing=""
for o in $(cat "$tmp/syn.opts"); do
	grep -qE "^\.It .*Fl \\\\?${o#-}( |$)" man/dartscan.1 || missing="$missing $o"
done
[ -z "$missing" ] && ok "every-option-described" || ko "every-option-described" "no .It for$missing"
# every format the renderer table has (--help's closing "formats:" line) is described under -f
missing=""
for fmt in $($D -h | sed -n 's/^formats: \([a-z|]*\)\..*/\1/p' | tr '|' ' '); do
	awk '/^\.It Fl f Ar format/ { f = 1 } f && /^\.El/ { exit } f' man/dartscan.1 | grep -qx "\.It Cm $fmt" ||
		missing="$missing $fmt"
done
[ -z "$missing" ] && ok "every-format-described" || ko "every-format-described" "no .It Cm under -f for$missing"
# --help: one line per option, named as the option list of dartscan.1 names it, in its order
awk '/^The options are as follows/ { f = 1 } f && /^\.It Fl/ { print } /^\.Sh ENVIRONMENT/ { exit }' man/dartscan.1 |
    sed -e 's/^\.It //' -e 's/Fl \\-/--/g' -e 's/Fl /-/g' -e 's/Ar //g' -e 's/ , /, /g' > "$tmp/man.list"
$D -h | sed -n '/^options:$/,/^$/p' | sed -n 's/^  \(-[^ ]*\( [a-z][a-z]*\)*\(, -[^ ]*\( [a-z][a-z]*\)*\)*\)  .*/\1/p' > "$tmp/help.list"
if [ -s "$tmp/help.list" ] && cmp -s "$tmp/man.list" "$tmp/help.list"; then
	ok "help-line-per-option ($(wc -l < "$tmp/help.list") lines)"
else
	ko "help-line-per-option" "$(diff "$tmp/man.list" "$tmp/help.list" | grep '^[<>]' | tr '\n' ' ')"
fi

# ---- every rule condition of rules/condition.c's table is a key of dartscan-rules.5 ----
# the table's rows read '[COND_X] = {"key", ...': the test reads the table, it keeps no list
keys=$(sed -n 's/^ *\[COND_[A-Z_]*\] = {"\([a-z-]*\)".*/\1/p' src/rules/condition.c)
missing=""
for k in $keys; do
	grep -q "^\.It Cm $k : " man/dartscan-rules.5 || missing="$missing $k"
done
if [ -n "$keys" ] && [ -z "$missing" ]; then
	ok "every-condition-described ($(echo $keys | wc -w) keys)"
else
	ko "every-condition-described" "no .It Cm KEY : in dartscan-rules.5 for:${missing:- (no rows read from src/rules/condition.c)}"
fi

# ---- the example rule file of dartscan-rules.5 ----
mkdir -p "$tmp/run/site.d"
awk '/^\.\\" example-rule-file/ { want = 1; next }
     want && /^\.Bd -literal/ { inb = 1; next }
     inb && /^\.Ed/ { exit }
     inb { print }' man/dartscan-rules.5 | unescape > "$tmp/run/site.d/site.rules"
if [ ! -s "$tmp/run/site.d/site.rules" ]; then
	ko "example-rules-extracted" "no literal block after the example-rule-file marker"
else
	n=$(grep -c '^rule:' "$tmp/run/site.d/site.rules")
	out=$($D rules check "$tmp/run/site.d" 2>&1) && ok "example-rules-check ($n rules)" ||
	    ko "example-rules-check" "$out"
	out=$($D rules test "$tmp/run/site.d" 2>&1) && ok "example-rules-test ($(echo "$out" | tail -1))" ||
	    ko "example-rules-test" "$out"
	# it shows every key of the language: rules.c's rule_keys and the conditions' table ($keys),
	# read from the code, not listed here
	langkeys=$(sed -n -e 's/^ *{"\([a-z-]*\)", .*/\1/p' -e 's/^ *TEXT_KEY("\([a-z-]*\)", .*/\1/p' src/rules/rules.c)
	missing=""
	[ -n "$langkeys" ] || missing=" (no keys read from src/rules/rules.c)"
	for k in $langkeys $keys; do
		grep -q "^$k:" "$tmp/run/site.d/site.rules" || missing="$missing $k"
	done
	for form in 'check: file ' 'check: json ' 'check: xml ' '${ctx\.' '?<ctx_' '?<utc_epoch>' '^  '; do
		grep -q -- "$form" "$tmp/run/site.d/site.rules" || missing="$missing '$form'"
	done
	[ -z "$missing" ] && ok "example-rules-complete" || ko "example-rules-complete" "does not show$missing"
fi

# ---- the scratch directory the examples run in ----
run=$tmp/run
cp "$F/seed-both.zip" "$run/DARTBundle.zip"
cp "$F/healthy.zip" "$run/healthy.zip"
mkdir -p "$run/cases/case-1" "$run/cases/case-2" "$run/cases/case-3" "$run/rules.d"
cp "$F/seed-dns.zip" "$run/cases/case-1/DARTBundle_0827_0307.zip"
cp "$F/healthy.zip" "$run/cases/case-2/DARTBundle_0903_0800.zip"
cp -R "fixtures/extracted" "$run/cases/case-3/extracted"
cp rules/*.rules "$run/rules.d/"
mkdir -p "$tmp/bin"
printf '#!/bin/sh\nexec "%s" "$@"\n' "$D" > "$tmp/bin/dartscan"
printf '#!/bin/sh\nexec cat\n' > "$tmp/bin/less"
chmod +x "$tmp/bin/dartscan" "$tmp/bin/less"

# commands ("$ ..." lines of literal blocks and .Dl lines) and named files, per page, in order
for page in man/dartscan.1 man/dartscan-rules.5; do
	awk -v dir="$run" -v list="$tmp/cmds" '
	    /^\.Pa [^ ]+ :$/ { name = $2; next }
	    /^\.Bd -literal/ { inb = 1; file = name; name = ""; if (file != "") printf "" > (dir "/" file); next }
	    /^\.Ed/ { inb = 0; file = ""; next }
	    inb && /^\$ / { print substr($0, 3) >> list; next }
	    inb && file != "" { print >> (dir "/" file); next }
	    /^\.Dl \$ / { print substr($0, 6) >> list; next }
	    !/^\.Pa / { name = "" }' "$page"
done
unescape < "$tmp/cmds" > "$tmp/cmds.txt"
[ -s "$run/tuning.conf" ] && [ -s "$run/expect.txt" ] && ok "example-files-extracted" ||
    ko "example-files-extracted" "tuning.conf or expect.txt not found in dartscan.1"

n=0
while IFS= read -r cmd; do
	n=$((n + 1))
	want=$(expected_status "$cmd")
	if [ "$want" = none ]; then
		ko "example: $cmd" "not in the expected-status table of tests/suites/man.sh"
		continue
	fi
	(cd "$run" && env -u DARTSCAN_CONFIG -u NO_COLOR PATH="$tmp/bin:$PATH" DARTSCAN_RULES="$top/rules" \
	    bash -o pipefail -c "$cmd" > "$tmp/out" 2> "$tmp/err"); got=$?
	if [ "$got" = "$want" ]; then
		ok "example: $cmd"
	else
		ko "example: $cmd" "exit $got, expected $want: $(head -c 300 "$tmp/err")"
	fi
done < "$tmp/cmds.txt"
[ "$n" -ge 10 ] && ok "examples-found ($n)" || ko "examples-found" "only $n example commands"

# what the examples wrote is what they say
[ -s "$run/report.json" ] && grep -q '"bundles"' "$run/report.json" && ok "example-json-report" ||
    ko "example-json-report" "report.json missing or not a report"
nl=$(wc -l < "$run/cases.ndjson" 2>/dev/null || echo 0)
[ "$nl" = 3 ] && ok "example-ndjson-one-line-per-bundle" || ko "example-ndjson-one-line-per-bundle" "$nl lines"

# ---- --group-by: the key the page gives a healthy bundle is the one the output prints ----
cd "$top" || exit 1
if command -v mandoc >/dev/null 2>&1; then
	"$D" -R rules -q --group-by root-cause "$F/healthy.zip" "$F/seed-dns.zip" >"$tmp/g.txt" 2>/dev/null
	tkey=$(sed -n "s|^ *1  \(.*\): $F/healthy.zip\$|\1|p" "$tmp/g.txt")
	"$D" -R rules -q -f json --group-by root-cause "$F/healthy.zip" "$F/seed-dns.zip" >"$tmp/g.json" 2>/dev/null
	jkey=$(awk -v b="\"$F/healthy.zip\"" '/"groups":/ { g = 1 } g && /"key":/ { k = $2; sub(/,$/, "", k) } g && index($0, b) { print k; exit }' "$tmp/g.json")
	para=$(mandoc -Tascii man/dartscan.1 | col -b | awk '/^ +--group-by key/ { on = 1; next } on && /^ +--/ { exit } on' | tr -s ' \t\n' ' ' | tr '`' "'")
	if [ -n "$tkey" ] && [ -n "$jkey" ] && echo "$para" | grep -qF "'$tkey' in text" &&
	    echo "$para" | grep -qF "$jkey in JSON"; then
		ok group-by-healthy-key
	else
		ko group-by-healthy-key "output keys '$tkey' (text), '$jkey' (JSON); the page: $(echo "$para" | tr -s ' \n' ' ' | head -c 400)"
	fi
else
	skip group-by-healthy-key "mandoc not installed"
fi
# ---- the csv paragraph of dartscan.1 names the columns -f csv writes, in its order ----
want=$("$D" -R rules -q -f csv "$F/healthy.zip" 2>/dev/null | head -1 | tr -d '\r"' | tr ',' ' ')
page=$(awk '/^\.It Cm csv$/ { on = 1; next } on && /^\.It / { exit } on' man/dartscan.1 | tr '\n' ' ' |
	sed -n 's/.*every cell quoted): \(.*\)\. \.Li lasted_s.*/\1/p' | sed 's/,//g; s/ and / /g' | tr -s ' ')
if [ -n "$want" ] && [ "$page" = "$want" ]; then
	ok csv-columns-described
else
	ko csv-columns-described "the page says '$page'; -f csv writes '$want'"
fi
# ---- and its json paragraph the keys of the summary's objects ----
want=$("$D" -R rules -q -f json "$F/healthy.zip" "$F/seed-dns.zip" 2>/dev/null | python3 -c 'import json, sys
print(" ".join(json.load(sys.stdin)["summary"][0]))' 2>/dev/null)
page=$(awk '/^\.It Cm json$/ { on = 1; next } on && /^\.It / { exit } on' man/dartscan.1 | tr '\n' ' ' |
	sed -n 's/.*array, one object per bundle: \([^.]*\)\..*/\1/p' |
	sed 's/ (an object, a key a lane)//; s/,//g; s/ and / /g' | tr -s ' ')
if [ -n "$want" ] && [ "$page" = "$want" ]; then
	ok json-summary-described
else
	ko json-summary-described "the page says '$page'; -f json writes '$want'"
fi
# ---- every context value of src/ctxkey.h's table has its entry under "Context values" ----
missing=
for name in $(sed -n 's/^[[:space:]]*X([A-Z_]*, "\([^"]*\)".*/\1/p' src/ctxkey.h); do
	grep -qx ".It Li $name" man/dartscan-rules.5 || missing="$missing $name"
done
if [ -z "$missing" ] && [ -n "$(sed -n 's/^[[:space:]]*X([A-Z_]*, "\([^"]*\)".*/\1/p' src/ctxkey.h)" ]; then
	ok context-values-described
else
	ko context-values-described "dartscan-rules.5 lacks:${missing:- (no names read from src/ctxkey.h)}"
fi
finish
