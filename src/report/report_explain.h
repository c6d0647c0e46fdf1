/* report_explain: prints what --explain gathered of one rule, with the bundle's diagnosis. */
#ifndef DARTSCAN_REPORT_EXPLAIN_H
#define DARTSCAN_REPORT_EXPLAIN_H

#include <stdio.h>

#include "explain.h"
#include "scan.h"

/* Prints the explanation of x for the scanned bundle res; windowed: --since or --until was given
 * (only then may a window be what stopped the rule). */
void report_explain(const struct explain *x, const struct scan_result *res, int windowed, FILE *out);

#endif
