#!/bin/sh
# Golden end-to-end cases (tests/golden/CASE/): stdout, stderr and exit status per case. Not on
# tests/lib.sh: tests/golden/run.sh is the suite (make golden, make regen and make valgrind run it
# alone), with its own PASS/FAIL lines and closing "N passed, N failed"; it skips nothing.
exec sh tests/golden/run.sh
