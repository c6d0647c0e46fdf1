#!/bin/sh
# schemas: validates --format junit against the Jenkins JUnit XSD (xmllint --schema) and
# --format sarif against the SARIF 2.1.0 JSON schema (python3 jsonschema, the Draft 7 validator
# and the draft the schema names), over the same kinds of input as tests/suites/reports.sh.
# Not part of make check: users do not have the schema files. CI runs it as
#   sh tests/schemas.sh ../shared/schemas
# The directory must hold jenkins-junit.xsd and sarif-schema-2.1.0.json; when it is missing the
# script says so and exits 0. Prints PASS/FAIL per report and "N passed, N failed".
# Environment: B (build dir, default build), DARTSCAN (binary, default ./dartscan); run from the
# top of the tree after `make dartscan fixtures`.
set -u
dir=${1:-}
if [ -z "$dir" ] || [ ! -d "$dir" ]; then
	echo "schemas: no schema directory '${dir}': skipped"
	exit 0
fi
B=${B:-build}
DARTSCAN=${DARTSCAN:-./dartscan}
F=$B/fixtures
XSD=$dir/jenkins-junit.xsd
SARIF=$dir/sarif-schema-2.1.0.json
tmp=$(mktemp -d)
log=$tmp/log
trap 'rm -rf "$tmp"' EXIT
: >"$log"

say() { echo "$@" | tee -a "$log"; }

# A python3 that has jsonschema: the pyenv one or Debian's python3-jsonschema.
PY=
for p in python3 /usr/bin/python3; do
	if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import jsonschema' 2>/dev/null; then
		PY=$p
		break
	fi
done

mkdir -p "$tmp/ctrl/Cisco Secure Client/Umbrella"
printf '%s\001\033[31m \377\376 x \357\277\277 y\r\n%s\b\f\v <&"> ]]>\n' \
	'2024-08-27 03:07:53 [8880] [DEBUG] < 12> Dns Protection IPv4 State Machine: rejected all candidate reso' \
	'2024-08-27 03:07:58 [8880] [DEBUG] < 12> Dns Protection IPv4 State Machine: rejected all candidate reso' \
	>"$tmp/ctrl/Cisco Secure Client/Umbrella/cscumbrellaplugin.txt"
printf 'disable dns.resolvers-unreachable\n' >"$tmp/quiet.conf"

junit() {
	n=$1
	if [ ! -f "$XSD" ]; then
		say "FAIL $n-junit-xsd: $XSD not found"
	elif ! command -v xmllint >/dev/null 2>&1; then
		say "FAIL $n-junit-xsd: xmllint not found (apt-get install libxml2-utils)"
	elif xmllint --noout --schema "$XSD" "$tmp/$n.junit" 2>"$tmp/err"; then
		say "PASS $n-junit-xsd"
	else
		say "FAIL $n-junit-xsd: $(grep -v 'fails to validate' "$tmp/err" | head -n 1)"
	fi
}

sarif() {
	n=$1
	if [ ! -f "$SARIF" ]; then
		say "FAIL $n-sarif-schema: $SARIF not found"
	elif [ -z "$PY" ]; then
		say "FAIL $n-sarif-schema: no python3 with jsonschema (apt-get install python3-jsonschema)"
	else
		"$PY" - "$SARIF" "$tmp/$n.sarif" "$n-sarif-schema" >"$tmp/$n.verdict" 2>&1 <<'EOF'
import json, re, sys
import jsonschema

# jsonschema checks "uri" and "uri-reference" only when rfc3987 is installed: without it, a
# URI with a space would pass. These are RFC 3986's character set and, for "uri", a scheme.
URI_CHARS = re.compile(r"^([A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$")


def checker_for(v):
    c = getattr(v, "FORMAT_CHECKER", None) or jsonschema.FormatChecker()
    if "uri-reference" not in c.checkers:
        c.checks("uri-reference")(lambda s: not isinstance(s, str) or bool(URI_CHARS.match(s)))
    if "uri" not in c.checkers:
        c.checks("uri")(lambda s: not isinstance(s, str) or
                        bool(URI_CHARS.match(s) and re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", s)))
    return c


schema = json.load(open(sys.argv[1], encoding="utf-8"))
doc = json.load(open(sys.argv[2], encoding="utf-8"))
errors = []
for v in (jsonschema.Draft7Validator, jsonschema.validators.validator_for(schema)):
    for e in v(schema, format_checker=checker_for(v)).iter_errors(doc):
        errors.append("%s: /%s: %s" % (v.__name__, "/".join(map(str, e.absolute_path)), e.message[:200]))
if errors:
    print("FAIL %s: %s (%d errors)" % (sys.argv[3], errors[0], len(errors)))
else:
    print("PASS %s" % sys.argv[3])
EOF
		rc=$?
		# a validator that died (the SARIF is not JSON, say) gave no verdict: that is a failure
		if [ $rc -eq 0 ] && grep -q -E '^(PASS|FAIL) ' "$tmp/$n.verdict"; then
			say "$(cat "$tmp/$n.verdict")"
		else
			say "FAIL $n-sarif-schema: validator exited $rc: $(tail -n 1 "$tmp/$n.verdict")"
		fi
	fi
}

# scenario NAME ARGS...: both formats of one command line, each validated.
scenario() {
	n=$1
	shift
	"$DARTSCAN" -R rules -f junit "$@" >"$tmp/$n.junit" 2>/dev/null
	"$DARTSCAN" -R rules -f sarif "$@" >"$tmp/$n.sarif" 2>/dev/null
	junit "$n"
	sarif "$n"
}

if [ ! -x "$DARTSCAN" ] || [ ! -d "$F" ]; then
	say "FAIL schemas: $DARTSCAN or $F missing (make dartscan fixtures)"
else
	scenario mixed "$F/seed-both.zip" "$F/healthy.zip" "$F/no-orginfo.zip" "$F/seed-dns.zip" \
		"$F/recovered.zip" "$F/foreign-format.zip" "$F/rotated-midfailure.zip" "$tmp/missing.zip" "$tmp/ctrl"
	scenario info --fail-on info "$F/healthy.zip" "$F/ipv6-only.zip" "$F/utf16-umbrella.zip"
	scenario quiet --config "$tmp/quiet.conf" "$F/healthy.zip"
	scenario error "$tmp/missing.zip"
fi
# four scenarios, two formats each: a check that printed nothing (a validator that died) is missing
[ "$(grep -c -E '^(PASS|FAIL)' "$log")" -eq 8 ] || say "FAIL schemas: $(grep -c -E '^(PASS|FAIL)' "$log") verdicts, not 8"
pass=$(grep -c '^PASS' "$log")
fail=$(grep -c '^FAIL' "$log")
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
