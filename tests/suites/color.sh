#!/bin/sh
# Colour: --color=always writes ESC[ sequences; --color=never, and --color=auto with NO_COLOR set
# or off a terminal, write none. Text from the bundle is escaped for the terminal whatever the
# colour: a log line holding ESC, BEL or a C1 CSI cannot reach the reader's terminal raw.
# Environment: B, DARTSCAN. Prints PASS/FAIL lines and "N passed, N failed, N skipped".
set -u
SUITE=color
. tests/lib.sh
esc=$(printf '\033')
has_esc() { grep -q "$esc" "$1"; }

$D -R rules --color=always "$F/seed-both.zip" > "$tmp/always" 2>&1
grep -q "$esc\[" "$tmp/always" && ok "always-has-esc" || ko "always-has-esc" "no ESC[ in the output"
$D -R rules --color=never "$F/seed-both.zip" > "$tmp/never" 2>&1
has_esc "$tmp/never" && ko "never-has-none" "ESC in the output" || ok "never-has-none"
NO_COLOR=1 $D -R rules --color=auto "$F/seed-both.zip" > "$tmp/nocolor" 2>&1
has_esc "$tmp/nocolor" && ko "no-color-auto-has-none" "ESC in the output" || ok "no-color-auto-has-none"
env -u NO_COLOR $D -R rules "$F/seed-both.zip" > "$tmp/auto" 2>&1
has_esc "$tmp/auto" && ko "auto-not-a-tty-has-none" "ESC in the output" || ok "auto-not-a-tty-has-none"
NO_COLOR=1 $D -R rules --color=always "$F/seed-both.zip" > "$tmp/forced" 2>&1
grep -q "$esc\[" "$tmp/forced" && ok "always-beats-no-color" || ko "always-beats-no-color" "no ESC[ in the output"
# -o FILE is not a terminal either
env -u NO_COLOR $D -R rules -o "$tmp/o.txt" "$F/seed-both.zip" 2>/dev/null
has_esc "$tmp/o.txt" && ko "auto-output-file-has-none" "ESC in the file" || ok "auto-output-file-has-none"

# A hostile log line: clear-screen and title-setting sequences, BEL, and a C1 CSI (U+009B).
u="$tmp/evil/Cisco Secure Client/Umbrella"
mkdir -p "$u"
printf '2024-08-27 03:07:53 [8880] [DEBUG] < 12> Dns Protection IPv4 State Machine: rejected all candidate reso \033[2J\033]0;pwned\007 \302\2331m\n' \
    > "$u/cscumbrellaplugin.txt"
for mode in always never; do
	$D -R rules --color=$mode "$tmp/evil" > "$tmp/evil.$mode" 2>&1
	if ! grep -q 'rejected all candidate reso' "$tmp/evil.$mode"; then
		ko "log-line-escaped-$mode" "the hostile line is not in the evidence"
	elif grep -q "$esc\[2J\|$esc\]0\|$(printf '\007')\|$(printf '\302\233')" "$tmp/evil.$mode"; then
		ko "log-line-escaped-$mode" "a raw control sequence from the log reached the output"
	elif ! grep -qF '\x1b[2J' "$tmp/evil.$mode" || ! grep -qF '\x07' "$tmp/evil.$mode" ||
	    ! grep -qF '\u009b' "$tmp/evil.$mode"; then
		ko "log-line-escaped-$mode" "escapes \\x1b, \\x07, \\u009b not shown"
	else
		ok "log-line-escaped-$mode"
	fi
done
finish
