/* times: a scan result's clocks -- every stamp read placed on one line of time (instant.c), the
 * time DART wrote the bundle, and --utc's move. They change the result in place; it owns it all. */
#ifndef DARTSCAN_TIMES_H
#define DARTSCAN_TIMES_H

#include "scan.h"

/* Widens the bundle's span (res->start, res->end) to take first and last. */
void times_widen(struct scan_result *res, const struct stamp *first, const struct stamp *last);
/* Settles every stamp of res (entries, events and their evidence, the unexplained records) by its
 * entry's date order and places it by the zone systeminfo names and each log's order; the bundle's span and frame follow. Before the
 * unexplained records are mined. */
void times_place(struct scan_result *res);
/* Sets res->collected (and, for the reports, context.collected_at and its source) from the
 * entries' times or the bundle's name. */
void times_collect(struct scan_result *res);

#endif
