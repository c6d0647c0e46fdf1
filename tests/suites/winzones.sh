#!/bin/sh
# winzones: the committed src/winzones.c is what tools/gen-winzones makes of its data, regenerated into
# a temporary file from this machine's CLDR windowsZones.xml (Debian unicode-cldr-core) and compared.
# Skips when that file or python3 is missing: only a maintainer regenerating the table needs them.
# Environment: WINZONES_XML (default the Debian path). Prints PASS/FAIL/SKIP lines and "N passed,
# N failed, N skipped".
set -u
SUITE=winzones
. tests/lib.sh
xml=${WINZONES_XML:-/usr/share/unicode/cldr/common/supplemental/windowsZones.xml}
if [ ! -f "$xml" ]; then
	skip regenerated "no $xml (apt-get install unicode-cldr-core to check src/winzones.c)"
elif ! command -v python3 >/dev/null 2>&1; then
	skip regenerated "no python3"
elif ! python3 tools/gen-winzones -x "$xml" -o "$tmp/winzones.c" 2>"$tmp/err"; then
	ko regenerated "tools/gen-winzones failed: $(head -3 "$tmp/err" | tr '\n' ' ')"
elif out=$(diff -u src/winzones.c "$tmp/winzones.c"); then
	ok regenerated
else
	ko regenerated "src/winzones.c differs from $xml (make winzones): $(echo "$out" | sed -n 3,8p | tr '\n' ' ')"
fi
finish
