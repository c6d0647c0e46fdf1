#!/bin/sh
# Builds every fixture bundle from its text tree: zip by default, targz/ as .tar.gz, plus a case
# upload (a zip holding a DART zip). Deterministic: same trees, same bytes.
set -eu
B=${1:-build}
out=$B/fixtures
mk=$B/mkbundle
mkdir -p "$out"
for d in fixtures/*/; do
	name=$(basename "$d")
	case $name in
	targz) "$mk" tar.gz "$out/$name.tar.gz" "$d" ;;
	*) "$mk" zip "$out/$name.zip" "$d" ;;
	esac
done
rm -rf "$out/case-nested" && mkdir -p "$out/case-nested"
cp "$out/seed-swg.zip" "$out/case-nested/DARTBundle_0827_0641.zip"
printf 'Customer upload for case 694512345\n' > "$out/case-nested/notes.txt"
"$mk" zip "$out/case-nested.zip" "$out/case-nested"
rm -rf "$out/case-nested"
