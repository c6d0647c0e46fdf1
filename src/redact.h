/* redact: replaces customer-private values -- user names, host names, internal and client IPs,
 * org and user ids, e-mail addresses, private domains -- by stable tokens (host-1, 10.x-ip-3,
 * user-2) in a scan result just before it is reported; the analysis ran on the raw text. Public
 * Umbrella / Secure Access addresses are evidence and stay. The redactor owns its map. */
#ifndef DARTSCAN_REDACT_H
#define DARTSCAN_REDACT_H

#include <stdio.h>

#include "scan.h"

struct redactor;

struct redactor *redact_new(void);
void redact_free(struct redactor *r);
/* Rewrites every bundle-derived string of res in place. Tokens stay the same for the same value
 * across all bundles given to one redactor, in the order they are reported. */
void redact_result(struct redactor *r, struct scan_result *res);
/* Writes the private map "token<TAB>kind<TAB>value", one per line. */
int redact_write_map(const struct redactor *r, FILE *out);

#endif
