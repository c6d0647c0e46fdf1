#!/bin/sh
# reports: --format junit and --format sarif against the JSON report of the same bundles (the
# contract), over several fixtures at once, an unreadable path, a bundle without findings and a
# log full of control bytes and invalid UTF-8. Also: well-formed XML, the same exit status as
# the JSON run, and byte-identical output from two runs. Validation against the real JUnit XSD
# and SARIF schema is tests/schemas.sh, which needs the schema files.
# Environment: B (build dir), DARTSCAN (binary). Prints PASS/FAIL/SKIP lines (names without
# "reports/") and "N passed, N failed, N skipped".
set -u
SUITE=reports
. tests/lib.sh
name_prefix=
CHECK=tests/tools/reportcheck.py

have() { command -v "$1" >/dev/null 2>&1; }

# relay FILE: reportcheck's "PASS name" / "FAIL name: why" lines through ok/ko, so they count
relay() {
	while IFS= read -r line; do
		case $line in
		"PASS "*) ok "${line#PASS }" ;;
		"FAIL "*": "*) line=${line#FAIL }; ko "${line%%: *}" "${line#*: }" ;;
		"FAIL "*) ko "${line#FAIL }" "(no reason given)" ;;
		*) printf '%s\n' "$line" ;;
		esac
	done <"$1"
}

# A bundle as an extracted directory whose plugin log carries C0 controls, an escape sequence,
# invalid UTF-8 and U+FFFF in the evidence lines: none of them may reach the XML.
mkdir -p "$tmp/ctrl/Cisco Secure Client/Umbrella"
printf '%s\001\033[31m \377\376 x \357\277\277 y\r\n%s\b\f\v <&"> ]]>\n' \
	'2024-08-27 03:07:53 [8880] [DEBUG] < 12> Dns Protection IPv4 State Machine: rejected all candidate reso' \
	'2024-08-27 03:07:58 [8880] [DEBUG] < 12> Dns Protection IPv4 State Machine: rejected all candidate reso' \
	>"$tmp/ctrl/Cisco Secure Client/Umbrella/cscumbrellaplugin.txt"
# Tuning that silences healthy.zip's findings, for the no-findings testcase.
printf 'disable dns.resolvers-unreachable\ndisable swg.fail-open-config\n' >"$tmp/quiet.conf"

# The finding rules SARIF's driver must list; a disabled rule is not one.
"$D" rules list rules >"$tmp/rules.list"
grep -v -e '^dns.resolvers-unreachable' -e '^swg.fail-open-config' "$tmp/rules.list" >"$tmp/quiet.rules"

# run NAME FORMAT ARGS...: writes $tmp/NAME.FORMAT and $tmp/NAME.FORMAT.rc
run() {
	n=$1 fmt=$2
	shift 2
	"$D" -R rules -f "$fmt" "$@" >"$tmp/$n.$fmt" 2>/dev/null
	echo $? >"$tmp/$n.$fmt.rc"
}

# scenario NAME FAIL_ON ARGS...: every check of both formats for one command line.
scenario() {
	n=$1 failon=$2
	shift 2
	run "$n" json --fail-on "$failon" "$@"
	for fmt in junit sarif; do
		run "$n" $fmt --fail-on "$failon" "$@"
		if [ "$(cat "$tmp/$n.$fmt.rc")" = "$(cat "$tmp/$n.json.rc")" ]; then
			ok "$n-$fmt-exit"
		else
			ko "$n-$fmt-exit" "$fmt exited $(cat "$tmp/$n.$fmt.rc"), json $(cat "$tmp/$n.json.rc")"
		fi
		mv "$tmp/$n.$fmt" "$tmp/$n.$fmt.1"
		run "$n" $fmt --fail-on "$failon" "$@"
		if cmp -s "$tmp/$n.$fmt" "$tmp/$n.$fmt.1"; then
			ok "$n-$fmt-deterministic"
		else
			ko "$n-$fmt-deterministic" "two runs differ"
		fi
	done
	if ! have xmllint; then
		skip "$n-junit-xmllint" "xmllint not found"
	elif xmllint --noout "$tmp/$n.junit" 2>"$tmp/xmllint.err"; then
		ok "$n-junit-xmllint"
	else
		ko "$n-junit-xmllint" "$(head -n 1 "$tmp/xmllint.err")"
	fi
	rules=$tmp/rules.list
	[ -f "$tmp/$n.rules" ] && rules=$tmp/$n.rules
	if have python3; then
		# A check that crashes must not pass by printing nothing.
		python3 "$CHECK" junit "$tmp/$n.junit" "$tmp/$n.json" "$failon" "$n-junit" >"$tmp/check.out"
		rc=$?
		relay "$tmp/check.out"
		[ $rc = 0 ] || ko "$n-junit-structure" "reportcheck exited $rc"
		python3 "$CHECK" sarif "$tmp/$n.sarif" "$tmp/$n.json" "$n-sarif" "$rules" >"$tmp/check.out"
		rc=$?
		relay "$tmp/check.out"
		[ $rc = 0 ] || ko "$n-sarif-structure" "reportcheck exited $rc"
	else
		skip "$n-structure" "python3 not found"
	fi
}

scenario mixed warning "$F/seed-both.zip" "$F/healthy.zip" "$F/no-orginfo.zip" "$F/seed-dns.zip" \
	"$tmp/missing.zip" "$tmp/ctrl"
scenario mixed-info info "$F/seed-both.zip" "$F/healthy.zip" "$F/recovered.zip"
scenario mixed-critical critical "$F/seed-both.zip" "$F/ipv6-only.zip"
scenario quiet warning --config "$tmp/quiet.conf" "$F/healthy.zip"
scenario error warning "$tmp/missing.zip"

# What the structure checks cannot see: the exact testcases of the simple cases.
if grep -q '<testcase classname="dartscan" name="dartscan.no-findings"/>' "$tmp/quiet.junit"; then
	ok junit-no-findings-case
else
	ko junit-no-findings-case "no passing dartscan.no-findings testcase"
fi
if grep -q '<error message="[^"]*" type="bundle-error">' "$tmp/error.junit"; then
	ok junit-error-case
else
	ko junit-error-case "no <error> testcase for an unreadable bundle"
fi
# The control bytes are shown as control pictures (U+2401, U+241B), never written raw.
if grep -q "$(printf 'reso\342\220\201\342\220\233\\[31m')" "$tmp/mixed.junit" &&
	! LC_ALL=C grep -q "$(printf '[\001-\010\013\014\016-\037]')" "$tmp/mixed.junit"; then
	ok junit-control-characters
else
	ko junit-control-characters "control bytes not replaced"
fi
finish
