/* wire: a scan's reading half (scan_read's result, before diagnosis) as bytes, so that a worker
 * process can hand it to its parent. The decoder treats the bytes as hostile: every length,
 * count, index and enum is checked, and a result that fails a check is refused whole. */
#ifndef DARTSCAN_WIRE_H
#define DARTSCAN_WIRE_H

#include "scan.h"

/* Appends res to out. rs is the rule set its events point into. */
void wire_encode(const struct scan_result *res, const struct ruleset *rs, struct buf *out);
/* Fills res (path set to path) from p; o gives the rule set and the explained rule. Returns -1
 * with err (res reset) when the bytes are not a well-formed result. */
int wire_decode(const void *p, size_t n, const char *path, const struct scan_opts *o, struct scan_result *res,
                struct ds_error *err);
/* What a decoded result says that no worker reading a bundle could have said (a time past the
 * year 9999, an event's component without a state, ...), or NULL when nothing (wire_check.c). */
const char *wire_check(const struct scan_result *res);

#endif
