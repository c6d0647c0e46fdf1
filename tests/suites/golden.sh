#!/bin/sh
# Golden end-to-end cases (tests/golden/*.args): stdout, stderr and exit status per case.
exec sh tests/golden/run.sh
