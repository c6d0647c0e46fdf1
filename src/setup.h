/* setup: the process made ready before any stage runs (descriptors, signals, libxml, UTF-8 names)
 * and the inputs a run loads from its options: rule layers, --baseline, passphrases, the guard. */
#ifndef DARTSCAN_SETUP_H
#define DARTSCAN_SETUP_H

#include <stdio.h>

#include "baseline.h"
#include "batch.h"
#include "cli.h"
#include "expect.h"
#include "rules/rules.h"

/* Standard descriptors held, SIGPIPE ignored, libxml2 quiet, entry names read as UTF-8. Once, first. */
void setup_process(void);
/* The rule layers (-R, $DARTSCAN_RULES, the shipped rules) and --config loaded: the caller owns the
 * set. scanning: warned when the layers leave out the shipped rules; dirs_to (rules check and list):
 * each layer said there, or NULL. NULL with err when no layer is found or one does not load. */
struct ruleset *setup_rules(const struct options *op, int scanning, FILE *dirs_to, struct ds_error *err);
/* --baseline FILE, else $DARTSCAN_BASELINE (op->baseline then names it), into *out, the caller's
 * (NULL when neither is given). -1 with err when the file cannot be read. */
int setup_baseline(struct options *op, struct baseline **out, struct ds_error *err);
/* --passphrase-file and $DARTSCAN_PASSPHRASE into op's bundle limits, read once before any worker
 * is forked (passphrase.c owns and wipes them). -1 with err. */
int setup_passphrases(struct options *op, struct ds_error *err);
/* The bundles of a scan into l: the arguments (directories searched with -r), else those es lists
 * (NULL: no --expect). -1 with err when a directory cannot be searched. */
int setup_bundles(const struct options *op, char **args, int nargs, const struct expect_set *es,
                  struct bundle_list *l, struct ds_error *err);
/* Before any bundle is read: no output is an input of the run, another output, or a device. */
int setup_guard_outputs(const struct options *op, const char *const *bundles, size_t nb, struct ds_error *err);
/* -j's default: the processors online, 1..256. */
int setup_default_jobs(void);

#endif
