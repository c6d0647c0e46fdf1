#!/bin/sh
# Password-protected uploads (#27): the passphrase is the run's one secret. Every format of the
# report, with and without --redact, the redact map, and stderr are searched for it, for a bundle it
# opens, one it does not and one given none; the file's bounds are usage errors that never quote a
# line of it. The fixtures and the known test passphrase are tests/build-fixtures.sh's.
# Environment: B, DARTSCAN. Prints PASS/FAIL lines and "N passed, N failed, N skipped".
set -u
SUITE=passphrase
. tests/lib.sh
unset DARTSCAN_PASSPHRASE
right='dart 27 test' wrong='not this one'
formats=$("$D" -h | sed -n 's/^formats: \(.*\)\. See .*/\1/p' | tr '|,' '  ')
[ -n "$formats" ] || ko formats "no formats in dartscan -h"

# run NAME ENV_VALUE ARGS...: every format, twice (plain, --redact with a map); none may hold a passphrase
run() {
	name=$1 envv=$2
	shift 2
	leaks="" empty=""
	for fmt in $formats; do
		for red in "" "--redact-map $tmp/map"; do
			rm -f "$tmp/map"
			# shellcheck disable=SC2086
			if [ -n "$envv" ]; then
				DARTSCAN_PASSPHRASE=$envv "$D" -R rules -f "$fmt" $red "$@" >"$tmp/out" 2>"$tmp/err"
			else
				"$D" -R rules -f "$fmt" $red "$@" >"$tmp/out" 2>"$tmp/err"
			fi
			[ -s "$tmp/out" ] || empty="$empty $fmt${red:+ --redact}" # a search of nothing proves nothing
			for f in "$tmp/out" "$tmp/err" "$tmp/map"; do
				[ -f "$f" ] || continue
				if grep -qF -e "$right" -e "$wrong" -e "dart%2027" -e "dart&#32;27" "$f"; then
					leaks="$leaks $fmt${red:+ --redact}:$(basename "$f")"
				fi
			done
		done
	done
	if [ -n "$empty" ]; then
		ko "$name-no-leak" "no report from$empty"
	elif [ -z "$leaks" ]; then
		ok "$name-no-leak"
	else
		ko "$name-no-leak" "passphrase in$leaks"
	fi
}

run right-file "" --passphrase-file "$F/passphrases.txt" "$F/upload-zipcrypt.zip" "$F/upload-aes256.zip"
run right-env "$right" "$F/upload-zipcrypt.zip" "$F/upload-aes256.zip"
run wrong-file "" --passphrase-file "$F/passphrase-wrong.txt" "$F/upload-zipcrypt.zip" "$F/upload-aes256.zip"
run wrong-env "$wrong" "$F/upload-aes256.zip" "$F/seed-dns.zip"
run right-timeline "" --timeline --passphrase-file "$F/passphrases.txt" "$F/upload-aes256.zip"

# opened: the same diagnosis as the plain bundle, whichever way the passphrase came
"$D" -R rules -f json "$F/seed-dns.zip" | sed '/"path"\|"sha256"/d' >"$tmp/plain.json"
for how in file env pipe; do
	case $how in
	file) "$D" -R rules -f json --passphrase-file "$F/passphrases.txt" "$F/upload-aes256.zip" >"$tmp/o.json" 2>"$tmp/err" ;;
	env) DARTSCAN_PASSPHRASE=$right "$D" -R rules -f json "$F/upload-aes256.zip" >"$tmp/o.json" 2>"$tmp/err" ;;
	pipe) "$D" -R rules -f json --passphrase-file /dev/stdin "$F/upload-aes256.zip" <"$F/passphrases.txt" >"$tmp/o.json" 2>"$tmp/err" ;;
	esac
	sed -i '/"path"\|"sha256"/d' "$tmp/o.json"
	if cmp -s "$tmp/plain.json" "$tmp/o.json" && [ ! -s "$tmp/err" ]; then ok "opened-by-$how"; else ko "opened-by-$how" "not seed-dns's diagnosis"; fi
done

# not opened: exit 2 and one line on stderr, naming the bundle and the encrypted entry
"$D" -R rules -q --passphrase-file "$F/passphrase-wrong.txt" "$F/upload-aes256.zip" "$F/seed-dns.zip" >/dev/null 2>"$tmp/err"
code=$?
if [ $code = 2 ] && [ "$(wc -l <"$tmp/err")" = 1 ] &&
	grep -q "^dartscan: $F/upload-aes256.zip: Cisco Secure Client/Umbrella/cscumbrellaplugin.txt: encrypted, and no passphrase given opens it" "$tmp/err"; then
	ok wrong-one-line
else
	ko wrong-one-line "exit $code, stderr: $(head -3 "$tmp/err" | tr '\n' ' ')"
fi

# the file's bounds: usage errors (exit 2, one line) that never quote the file
i=0
while [ $i -lt 65 ]; do echo "secret-line-$i"; i=$((i + 1)); done >"$tmp/65.txt"
head -n 64 "$tmp/65.txt" >"$tmp/64.txt"
awk 'BEGIN { for (i = 0; i < 1100; i++) printf "secret-line-%060d\n", i }' >"$tmp/big.txt"
printf 'secret-line-nul\000x\n' >"$tmp/nul.txt"
printf '\r\n\n' >"$tmp/empty.txt"
for c in 65 big nul empty; do
	"$D" -R rules --passphrase-file "$tmp/$c.txt" "$F/upload-aes256.zip" >"$tmp/out" 2>"$tmp/err"
	code=$?
	if [ $code = 2 ] && [ "$(wc -l <"$tmp/err")" = 1 ] && ! grep -q secret-line "$tmp/err" && [ ! -s "$tmp/out" ]; then
		ok "bound-$c"
	else
		ko "bound-$c" "exit $code: $(head -2 "$tmp/err" | tr '\n' ' ')"
	fi
done
"$D" -R rules -q --passphrase-file "$tmp/64.txt" "$F/upload-aes256.zip" >/dev/null 2>"$tmp/err"
if [ $? = 2 ] && grep -q "encrypted, and no passphrase given opens it" "$tmp/err" && ! grep -q secret-line "$tmp/err"; then
	ok bound-64-lines-taken
else
	ko bound-64-lines-taken "$(head -2 "$tmp/err")"
fi
# the passphrase file is an input: no report replaces it
cp "$F/passphrases.txt" "$tmp/p.txt"
"$D" -R rules --passphrase-file "$tmp/p.txt" -o "$tmp/p.txt" "$F/upload-aes256.zip" >/dev/null 2>"$tmp/err"
if [ $? = 2 ] && cmp -s "$F/passphrases.txt" "$tmp/p.txt"; then ok output-not-passphrase-file; else ko output-not-passphrase-file "replaced"; fi
finish
