#!/bin/sh
# verdict: what issue 12's fixtures say stays true in every format, not only text and JSON (their
# goldens): a stopped failure is never called ongoing, a cut log says "as of the cut", a rule
# over IPv4 and IPv6 is one HTML article, the root cause leads SARIF and the batch summary.
# Environment: B, DARTSCAN. Prints PASS/FAIL lines and "N passed, N failed, N skipped".
set -u
SUITE=verdict
. tests/lib.sh

# t NAME FILE EREGEX [!]: FILE matches EREGEX (or, with !, does not)
t() {
	if grep -Eq -- "$3" "$2"; then found=1; else found=0; fi
	if { [ "${4:-}" = "!" ] && [ $found = 0 ]; } || { [ "${4:-}" != "!" ] && [ $found = 1 ]; }; then
		ok "$1"
	else
		ko "$1" "$2 ${4:+does not }want /$3/"
	fi
}

for fmt in sarif junit html ndjson; do
	"$D" -R rules -f $fmt "$F/stopped.zip" >"$tmp/stopped.$fmt" 2>/dev/null
	"$D" -R rules -f $fmt "$F/cut.zip" >"$tmp/cut.$fmt" 2>/dev/null
	case $fmt in
	sarif | ndjson) claim='"ongoing": ?true' ;;
	html) claim='class="ongoing"|ongoing<' ;;
	*) claim='ongoing' ;;
	esac
	t "stopped-not-ongoing-$fmt" "$tmp/stopped.$fmt" "$claim" !
	t "stopped-says-until-$fmt" "$tmp/stopped.$fmt" 'failing until 2024-08-27.02:29:56|"stopped_at":"2024-08-27T02:29:56"'
	t "cut-says-cut-$fmt" "$tmp/cut.$fmt" 'ongoing as of the cut|"log_cut":true'
done
"$D" -R rules -f ndjson "$F/stopped-plugin-only.zip" >"$tmp/plugin-only.nd" 2>/dev/null
a=$(sed 's/.*"verdict":"\([^"]*\)".*/\1/' "$tmp/stopped.ndjson")
b=$(sed 's/.*"verdict":"\([^"]*\)".*/\1/' "$tmp/plugin-only.nd")
if [ -n "$a" ] && [ "$a" = "$b" ]; then
	ok plugin-log-alone-same-verdict
else
	ko plugin-log-alone-same-verdict "'$a' vs '$b'"
fi

"$D" -R rules -f html "$F/seed-dns.zip" >"$tmp/seed-dns.html" 2>/dev/null
n=$(grep -c '<article class="finding' "$tmp/seed-dns.html")
if [ "$n" = 2 ]; then
	ok html-one-article-per-rule
else
	ko html-one-article-per-rule "$n articles, want 2 (resolvers over both stacks, fail-open)"
fi
"$D" -R rules -f html --timeline "$F/stopped.zip" >"$tmp/stopped-tl.html" 2>/dev/null
t html-timeline-says-stop "$tmp/stopped-tl.html" 'failures stop \(no recovery line\)'
t html-timeline-no-recovery "$tmp/stopped-tl.html" 'dns.resolvers-unreachable</code> .{0,40}recovered' !
t html-badge-read-in-full "$tmp/seed-dns.html" '>read in full<'
t html-no-ok-badge "$tmp/seed-dns.html" '>ok<' !

"$D" -R rules -f sarif "$F/seed-both.zip" >"$tmp/seed-both.sarif" 2>/dev/null
first=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["runs"][0]["results"][0]["ruleId"])' "$tmp/seed-both.sarif" 2>/dev/null)
if [ "$first" = network.cloud-blocked ]; then
	ok sarif-root-cause-first
else
	ko sarif-root-cause-first "first result is '$first'"
fi
"$D" -R rules "$F/seed-both.zip" "$F/healthy.zip" >"$tmp/batch.txt" 2>/dev/null
t summary-top-is-root-cause "$tmp/batch.txt" 'seed-both.zip .*network.cloud-blocked'
t summary-has-verdict "$tmp/batch.txt" 'healthy.zip .*healthy: dns_ipv4 protected'
# the product folder found whatever its case (an upper-case AnyConnect folder, a lower-case one)
mkdir -p "$tmp/lc/cisco secure client/umbrella" "$tmp/uc/CISCO ANYCONNECT SECURE MOBILITY CLIENT/UMBRELLA"
cp "fixtures/seed-swg/Cisco Secure Client/Umbrella/Umbrella.txt" "$tmp/lc/cisco secure client/umbrella/"
cp "fixtures/seed-swg/Cisco Secure Client/Umbrella/Umbrella.txt" "$tmp/uc/CISCO ANYCONNECT SECURE MOBILITY CLIENT/UMBRELLA/"
"$D" -R rules -f json "$tmp/lc" "$tmp/uc" >"$tmp/case.json" 2>/dev/null
products=$(python3 -c 'import json,sys; print("|".join(str(b["context"]["product"]) for b in json.load(open(sys.argv[1]))["bundles"]))' "$tmp/case.json" 2>/dev/null)
[ "$products" = "Cisco Secure Client|Cisco AnyConnect Secure Mobility Client" ] && ok product-any-case || ko product-any-case "$products"
finish
