#!/bin/sh
# Bash completion (contrib/bash-completion/dartscan): sourced in bash, COMPREPLY checked for
# options, -f formats, --fail-on levels, --color values, --explain rule ids and rules subcommands.
# Environment: DARTSCAN. Prints PASS/FAIL/SKIP lines and "N passed, N failed, N skipped".
set -u
SUITE=completion
. tests/lib.sh
top=$(pwd)
case $D in /*) ;; *) D=$top/$D ;; esac
mkdir -p "$tmp/bin"
printf '#!/bin/sh\nexec "%s" "$@"\n' "$D" > "$tmp/bin/dartscan"
chmod +x "$tmp/bin/dartscan"

# complete NAME WORD...: the line typed so far (the last word is the one being completed);
# prints the sorted candidates on one line. Runs in an empty directory: no file names to offer.
cat > "$tmp/run.bash" <<'EOS'
source "$TOP/contrib/bash-completion/dartscan" || exit 3
c() {
	name=$1; shift
	COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_dartscan dartscan "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	printf '%s\t%s\n' "$name" "$(printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//')"
}
c fail-on-option dartscan --fa
c min-severity-levels dartscan --min-severity ''
c group-by-keys dartscan --group-by ''
c format-values dartscan -f ''
c format-long dartscan --format j
c fail-on-levels dartscan --fail-on ''
c color-values dartscan --color ''
c color-split dartscan --color = al
c explain-ids dartscan --explain dns.
c explain-with-R dartscan -R "$TOP/rules" --explain orginfo.
c rules-sub dartscan rules ''
c rules-export dartscan rules export --p
c first-word dartscan ru
c max-options dartscan --max-e
EOS
if ! command -v bash >/dev/null 2>&1; then
	for name in $(sed -n 's/^c \([^ ]*\) .*/\1/p' "$tmp/run.bash"); do skip "$name" "bash not installed"; done
	finish
fi
mkdir -p "$tmp/empty"
(cd "$tmp/empty" && TOP=$top PATH="$tmp/bin:$PATH" bash "$tmp/run.bash") > "$tmp/out" 2> "$tmp/err"
if [ $? -ne 0 ] || [ -s "$tmp/err" ]; then
	ko source "$(head -c 300 "$tmp/err")"
fi
check() {
	got=$(grep "^$1	" "$tmp/out" | cut -f2)
	if [ "$got" = "$2" ]; then ok "$1"; else ko "$1" "got '$got', want '$2'"; fi
}
check fail-on-option "--fail-on"
# the formats the binary has (its --help line from the formats table), sorted as the completion lists them
check format-values "$($D --help | sed -n 's/^formats: \(.*\)\. See .*/\1/p' | tr '|' '\n' | sort | tr '\n' ' ' | sed 's/ $//')"
check format-long "json junit"
check fail-on-levels "critical error info warning"
check min-severity-levels "critical error info warning"
check group-by-keys "network org root-cause"
check color-values "always auto never"
check color-split "always"
ids=$("$D" rules list rules | cut -f1 | grep '^dns\.' | sort | tr '\n' ' ' | sed 's/ $//')
# the ids come from the same `rules list` the completion runs: they must at least be there
case " $ids " in
*" dns.resolvers-unreachable "*) check explain-ids "$ids" ;;
*) ko explain-ids "rules list gave no dns ids ('$ids')" ;;
esac
check explain-with-R "orginfo.missing"
check rules-sub "check draft export list test try"
check rules-export "--patterns"
check first-word "rules"
check max-options "--max-entries --max-entry"
finish
