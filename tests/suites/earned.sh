#!/bin/sh
# earned: a healthy verdict is earned lane by lane, never the default (issue 24). What goldens cannot
# hold: the exit status at each threshold, rule layers without the shipped rules, logs that are
# FIFOs or device links, and the false-review rate over every healthy bundle we have.
# Environment: B, DARTSCAN. Prints PASS/FAIL lines and "N passed, N failed, N skipped".
set -u
SUITE=earned
. tests/lib.sh

# class FILE: the verdict_class of the only bundle of a JSON report
class() { sed -n 's/.*"verdict_class": "\([a-z-]*\)".*/\1/p' "$1" | head -1; }

# st NAME WANT ARGS...: the exit status of dartscan ARGS is WANT
st() {
	name=$1 want=$2
	shift 2
	"$D" -q "$@" >/dev/null 2>&1
	rc=$?
	[ "$rc" = "$want" ] && ok "$name" || ko "$name" "exit $rc, want $want"
}

# a review is never exit 0 at the default threshold; --fail-on error counts only findings
st review-exits-1 1 -R rules "$F/unknown-trouble.zip"
st review-fail-on-error-0 0 -R rules --fail-on error "$F/unknown-trouble.zip"
st unread-format-exits-1 1 -R rules "$F/foreign-format.zip"
st no-module-exits-1 1 -R rules "$F/no-roaming-module.zip"
st slow-flapping-exits-1 1 -R rules "$F/vpn-flapping-slow.zip"
st healthy-exits-0 0 -R rules "$F/healthy.zip"

# -R naming only a site directory: said once on stderr, naming the shipped rules; every state is
# then unknown, so the verdict is a review, not healthy
mkdir -p "$tmp/site"
printf 'rule: site.x\ntitle: a site rule\nseverity: info\ncomponent: dns\nfiles: cscumbrellaplugin.txt\npattern: zzqq\ntest: zzqq\n' >"$tmp/site/site.rules"
"$D" -q -R "$tmp/site" -f json "$F/healthy.zip" >"$tmp/site.json" 2>"$tmp/site.err"
rc=$?
n=$(grep -c 'shipped rules are not loaded' "$tmp/site.err")
[ "$n" = 1 ] && grep -q "$(pwd -P)/rules" "$tmp/site.err" && ok site-only-warns-once || ko site-only-warns-once "$(cat "$tmp/site.err")"
[ "$rc" = 1 ] && [ "$(class "$tmp/site.json")" = needs-review ] && ok site-only-not-healthy ||
	ko site-only-not-healthy "exit $rc, class $(class "$tmp/site.json")"
"$D" -q -R rules -R "$tmp/site" "$F/healthy.zip" >/dev/null 2>"$tmp/both.err"
grep -q 'shipped rules' "$tmp/both.err" && ko layered-no-warning "$(cat "$tmp/both.err")" || ok layered-no-warning
out=$("$D" rules check rules 2>&1)
case $out in *"loaded rules"*) ok rules-check-names-dirs ;; *) ko rules-check-names-dirs "$out" ;; esac

# an extracted bundle whose logs are FIFOs: nothing read is never healthy, and never exit 0
mkdir -p "$tmp/fifo"
cp -r fixtures/healthy/. "$tmp/fifo/"
for l in cscumbrellaplugin.txt Umbrella.txt; do
	rm "$tmp/fifo/Cisco Secure Client/Umbrella/$l"
	mkfifo "$tmp/fifo/Cisco Secure Client/Umbrella/$l"
done
timeout 20 "$D" -q -f json "$tmp/fifo" -R rules >"$tmp/fifo.json" 2>/dev/null
rc=$?
c=$(class "$tmp/fifo.json")
[ "$rc" != 0 ] && [ "$c" != healthy ] && ok fifo-logs-not-healthy || ko fifo-logs-not-healthy "exit $rc, class $c"

# the false-review rate: every healthy fixture and every healthy bundle of a generated case store
# is healthy (the figure is printed for the issue's note)
sh tests/make-cases.sh "$B" "$tmp/cases" 50 >/dev/null
total=0 false=0
for b in "$F/healthy.zip" "$F/healthy-noise-a.zip" "$F/healthy-noise-b.zip" "$F/healthy-noise-c.zip" \
	"$F/dos-zero.zip" "$F/DARTBundle_0827_0302.zip" $(find "$tmp/cases" -name 'DARTBundle_*.zip' | sort); do
	case $(basename "$b") in
	healthy* | dos-zero.zip | DARTBundle_0827_0302.zip) ;;
	*) cmp -s "$b" "$F/healthy.zip" || continue ;; # a generated case: only the healthy copies
	esac
	"$D" -q -R rules -f json "$b" >"$tmp/one.json" 2>/dev/null
	c=$(class "$tmp/one.json")
	total=$((total + 1))
	[ "$c" = healthy ] || { false=$((false + 1)); echo "false review: $b ($c)"; }
done
echo "false reviews: $false of $total healthy bundles"
[ "$false" = 0 ] && [ "$total" -ge 8 ] && ok no-false-review || ko no-false-review "$false of $total"
finish
