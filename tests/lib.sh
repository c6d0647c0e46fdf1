# tests/lib.sh: the preamble the suites share (sourced, not run). Sets B, D (the dartscan binary), F
# (the fixture bundles) and tmp (removed on exit); ok/ko/skip print "PASS suite/NAME", "FAIL
# suite/NAME: why" and "SKIP suite/NAME: why" and count; finish prints the closing "N passed,
# N failed, N skipped" and exits 1 on any failure (a skip is none). The sourcing suite sets SUITE
# first; one whose tests were named before this file (hostile's "bomb") sets name_prefix after it.
# evil_bundle ACT makes $tmp/evil-ACT.zip for build/evil.so (tests/tools/evil.c).
B=${B:-build}
D=${DARTSCAN:-./dartscan}
F=$B/fixtures
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
name_prefix=$SUITE/
pass=0 fail=0 skipped=0
ok() { printf 'PASS %s%s\n' "$name_prefix" "$1"; pass=$((pass + 1)); }
ko() { printf 'FAIL %s%s: %s\n' "$name_prefix" "$1" "$2"; fail=$((fail + 1)); }
skip() { printf 'SKIP %s%s: %s\n' "$name_prefix" "$1" "$2"; skipped=$((skipped + 1)); }
finish() {
	echo "$pass passed, $fail failed, $skipped skipped"
	[ "$fail" -eq 0 ]
	exit $?
}

# evil_bundle ACT: $tmp/evil-ACT.zip, the seed-dns bundle plus a plugin log whose reading does ACT
# when build/evil.so is preloaded
evil_bundle() {
	rm -rf "$tmp/tree-$1"
	cp -r fixtures/seed-dns "$tmp/tree-$1"
	mkdir -p "$tmp/tree-$1/Cisco Secure Client/Umbrella/EVIL-$1"
	printf '2024-08-27 06:35:00 [7216] [DEBUG] Dns Protection IPv4 State Machine: hello\n' \
	    >"$tmp/tree-$1/Cisco Secure Client/Umbrella/EVIL-$1/cscumbrellaplugin.txt"
	"$B/mkbundle" zip "$tmp/evil-$1.zip" "$tmp/tree-$1" >/dev/null
}
