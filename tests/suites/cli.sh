#!/bin/sh
# cli: usage errors as the rest of the system gives them. The first line names the program
# "dartscan", however it was started (a path, a link, a subcommand), and says what was wrong; an
# unknown long option near one of the table's says which ("did you mean --format?"). The option
# names come from `dartscan -h` (the option table), never from a copy here.
# Environment: B, DARTSCAN. Prints PASS/FAIL/SKIP lines and "N passed, N failed, N skipped".
set -u
SUITE=cli
. tests/lib.sh
case $D in /*) abs=$D ;; *) abs=$(pwd)/$D ;; esac

# first NAME WANT ARGS...: exit 2 and stderr's first line is WANT exactly
first() {
	name=$1 want=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	got=$(head -1 "$tmp/err")
	if [ "$rc" = 2 ] && [ "$got" = "$want" ] && [ ! -s "$tmp/out" ]; then ok "$name"; else
		ko "$name" "exit $rc, first line '$got' (want '$want')"
	fi
}

# the program's name, not the path or link it was started by
mkdir -p "$tmp/x"
ln -s "$abs" "$tmp/x/ds-link"
first name-relative "dartscan: unknown option '--bogus'" "$D" --bogus
first name-absolute "dartscan: unknown option '--bogus'" "$abs" --bogus
first name-link "dartscan: unknown option '--bogus'" "$tmp/x/ds-link" --bogus
first name-baseline "dartscan: unknown option '--bogus'" "$abs" baseline --bogus
first name-diff "dartscan: unknown option '-Z'" "$abs" diff -Z a b
first usage-follows "dartscan: unknown option '--fromat'; did you mean --format?" "$abs" --fromat json x.zip
sed -n 2p "$tmp/err" | grep -q '^usage: dartscan ' && ok synopsis-second || ko synopsis-second "$(sed -n 2p "$tmp/err")"

# the other refusals getopt_long makes
first prefix-typo "dartscan: unknown option '--formats'; did you mean --format?" "$D" --formats json x.zip
first with-value "dartscan: unknown option '--fromat'; did you mean --format?" "$D" --fromat=json x.zip
first longer-word "dartscan: unknown option '--no-sandboxing'; did you mean --no-sandbox?" "$D" --no-sandboxing x.zip
first far-from-all "dartscan: unknown option '--colour-scheme'" "$D" --colour-scheme x.zip
first short-name-one-edit "dartscan: unknown option '--utx'; did you mean --utc?" "$D" --utx x.zip
first short-name-not-two "dartscan: unknown option '--abc'" "$D" --abc x.zip
first unknown-short "dartscan: unknown option '-Z'" "$D" -qZ x.zip
first missing-long "dartscan: option '--format' needs an argument" "$D" x.zip --format
first missing-short "dartscan: option '-j' needs an argument" "$D" x.zip -j
first unwanted-value "dartscan: option '--quiet' takes no argument" "$D" --quiet=yes x.zip
amb=$("$D" -h | grep -oE -- '--max-[a-z]+' | sort -u | wc -l)
"$D" --max x.zip 2>"$tmp/err" >/dev/null
n=$(head -1 "$tmp/err" | grep -oE -- '--max-[a-z]+' | wc -l)
head -1 "$tmp/err" | grep -q "^dartscan: option '--max' is ambiguous: --max-" && [ "$n" = "$amb" ] && ok ambiguous ||
    ko ambiguous "$(head -1 "$tmp/err") ($n of $amb --max- options)"

# every long option of the table, mistyped two ways (two letters swapped, an s added), is
# suggested back: the suggestions read the same table -h prints
longs=$("$D" -h | sed -n '/^options:/,/^$/p' | grep -oE -- '--[a-z][a-z-]+' | sort -u)
[ -n "$longs" ] || ko table-from-help "no long options in dartscan -h"
missed=""
for o in $longs; do
	n=${o#--}
	[ ${#n} -ge 5 ] || continue
	swapped=$(echo "$n" | sed 's/^\(.\)\(.\)\(.\)/\1\3\2/')
	for typo in "$swapped" "${n}s"; do
		[ "$typo" = "$n" ] && continue
		"$D" "--$typo" x.zip 2>"$tmp/err" >/dev/null
		line=$(head -1 "$tmp/err")
		case $line in
		"dartscan: unknown option '--$typo'; did you mean "*"$o"[?\ ]*) ;;
		*) missed="$missed --$typo($line)" ;;
		esac
	done
done
[ -z "$missed" ] && ok near-misses-from-table || ko near-misses-from-table "$missed"
finish
