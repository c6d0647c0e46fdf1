#!/bin/sh
# make install / make uninstall into a scratch DESTDIR: the staged binary finds its rules without
# -R (through ../share/dartscan/rules beside it: the compiled-in path lacks DESTDIR), the staged
# man pages render, uninstall leaves no file behind, and debian/changelog's version is the
# binary's (CI builds, installs and tests the package: tests/package.sh). Uses the dartscan
# already built: make is told never to remake it (-o dartscan), so the other suites keep their
# binary.
# Environment: B, MAKE. Prints PASS/FAIL/SKIP lines and "N passed, N failed, N skipped".
set -u
SUITE=install
. tests/lib.sh
MAKE=${MAKE:-make}
top=$(pwd)
stage=$tmp/stage
prefix=/opt/dartscan-test
root=$stage$prefix

if [ ! -x ./dartscan ]; then
	ko "make-install" "./dartscan is not built"
	finish
fi
if ! $MAKE -s -o dartscan install PREFIX="$prefix" DESTDIR="$stage" B="$B" > "$tmp/log" 2>&1; then
	ko "make-install" "$(tail -3 "$tmp/log")"
	finish
fi
ok "make-install"

missing=""
for f in bin/dartscan share/man/man1/dartscan.1 share/man/man5/dartscan-rules.5 \
    share/bash-completion/completions/dartscan; do
	[ -f "$root/$f" ] || missing="$missing $f"
done
[ -x "$root/bin/dartscan" ] || missing="$missing bin/dartscan(executable)"
n_src=$(ls rules/*.rules | wc -l)
n_inst=$(ls "$root/share/dartscan/rules/"*.rules 2>/dev/null | wc -l)
[ "$n_src" = "$n_inst" ] || missing="$missing share/dartscan/rules($n_inst of $n_src files)"
[ -z "$missing" ] && ok "installed-files" || ko "installed-files" "missing$missing"
cmp -s dartscan "$root/bin/dartscan" && ok "same-binary" || ko "same-binary" "the installed binary differs from ./dartscan"

# The staged copy, run from a directory with no rules/ in it, without -R or DARTSCAN_RULES.
mkdir -p "$tmp/cwd"
cp "$F/seed-dns.zip" "$tmp/cwd/DARTBundle.zip"
(cd "$tmp/cwd" && env -u DARTSCAN_RULES -u DARTSCAN_CONFIG "$root/bin/dartscan" --color=never DARTBundle.zip) \
    > "$tmp/out" 2> "$tmp/err"
code=$?
if [ "$code" = 1 ] && grep -q 'dns.resolvers-unreachable' "$tmp/out" &&
    grep -q 'DNS protection IPv4 *UNPROTECTED' "$tmp/out" && [ ! -s "$tmp/err" ]; then
	ok "installed-binary-diagnoses"
else
	ko "installed-binary-diagnoses" "exit $code: $(head -c 300 "$tmp/err")"
fi
# ... and the rules it used are the staged ones (unless an installed copy sits at the compiled-in path)
compiled=$(strings -a dartscan 2>/dev/null | grep -m1 '/share/dartscan/rules$')
if [ -n "$compiled" ] && [ -d "$compiled" ]; then
	skip uses-staged-rules "$compiled exists on this machine and comes first"
else
	used=$(cd "$tmp/cwd" && env -u DARTSCAN_RULES -u DARTSCAN_CONFIG "$root/bin/dartscan" \
	    --explain dns.resolvers-unreachable DARTBundle.zip 2>/dev/null | sed -n 's/^  rule *\([^:]*\):.*/\1/p')
	case $used in
	"$root/bin/../share/dartscan/rules/dns.rules" | "$root/share/dartscan/rules/dns.rules") ok "uses-staged-rules" ;;
	*) ko "uses-staged-rules" "rules read from '$used'" ;;
	esac
fi

# The staged man pages render.
for page in man1/dartscan.1 man5/dartscan-rules.5; do
	f=$root/share/man/$page
	title=$(basename "$page" | sed 's/\.\([15]\)$/(\1)/' | tr '[:lower:]' '[:upper:]')
	if command -v mandoc >/dev/null 2>&1; then
		out=$(mandoc -Tascii "$f" 2>&1 | sed 's/.\x08//g')
	elif command -v man >/dev/null 2>&1; then
		out=$(MANPAGER=cat MANWIDTH=80 man -l "$f" 2>&1 | sed 's/.\x08//g')
	else
		skip "renders-$(basename "$page")" "neither mandoc nor man"
		continue
	fi
	echo "$out" | grep -q "^$title" && echo "$out" | grep -q '^EXAMPLES' &&
	    ok "renders-$(basename "$page")" || ko "renders-$(basename "$page")" "$(echo "$out" | head -2)"
done

# The staged completion file loads in bash.
if command -v bash >/dev/null 2>&1; then
	bash -c ". '$root/share/bash-completion/completions/dartscan' && complete -p dartscan" >/dev/null 2>&1 &&
	    ok "completion-loads" || ko "completion-loads" "complete -p dartscan failed"
else
	skip completion-loads "bash not installed"
fi

# The Debian package's version (debian/changelog, native: no revision) is the one the binary prints.
deb=$(sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' debian/changelog)
[ "$("$D" --version)" = "dartscan $deb" ] && ok deb-version-matches ||
    ko deb-version-matches "debian/changelog says $deb, the binary '$("$D" --version)'"

if ! $MAKE -s -o dartscan uninstall PREFIX="$prefix" DESTDIR="$stage" B="$B" > "$tmp/log" 2>&1; then
	ko "make-uninstall" "$(tail -3 "$tmp/log")"
	finish
fi
left=$(find "$stage" ! -type d | head -5)
[ -z "$left" ] && ok "uninstall-leaves-no-file" || ko "uninstall-leaves-no-file" "left: $left"
finish
