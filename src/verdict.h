/* verdict: a diagnosed bundle's class -- healthy, problem, needs-review, unreadable -- and the reasons
 * that stand between it and healthy. Healthy is earned lane by lane, never the default. */
#ifndef DARTSCAN_VERDICT_H
#define DARTSCAN_VERDICT_H

#include "scan.h"

enum verdict_class {
	VERDICT_HEALTHY = 0, /* every lane the product has proven good at the end, read in full, nothing to review */
	VERDICT_PROBLEM,     /* a finding at or above warning */
	VERDICT_REVIEW,      /* no finding says what is wrong, but something keeps it from healthy */
	VERDICT_UNREADABLE,  /* not read, or none of the logs that carry the lanes */
	VERDICT_DUPLICATE,   /* the same bytes as an earlier bundle of the run: that one's verdict holds */
	VERDICT_EMPTY        /* a case folder holding no bundle yet: nothing to judge, nothing wrong */
};

/* Why a bundle is not healthy; the names are the JSON contract's (verdict_reason_name). */
enum verdict_reason {
	REASON_NOT_READ = 0,  /* the bundle, or every log carrying a lane, could not be read */
	REASON_LANE_UNKNOWN,  /* no line of a log read says the lane's state */
	REASON_LANE_UNPROVEN, /* the lane ends in a state that is not good and no finding explains it */
	REASON_READ_IN_PART,  /* an entry or the bundle was damaged, cut or left unread */
	REASON_UNREAD_FORMAT, /* a log carries the module's lines in a format dartscan does not read */
	REASON_ERROR_BURST,   /* a burst of error records of a shape no rule knows */
	REASON_N
};

const char *verdict_class_name(int cls);
const char *verdict_reason_name(int code);

/* Settles res->verdict and res->reasons from what was read and diagnosed. baseline: --baseline was
 * given, so an unexplained shape it knows raises no review. Call it before --min-severity drops findings;
 * again after redaction and --utc, so that the reasons' text says what the report says. */
void verdict_settle(struct scan_result *res, int baseline);
/* An unreadable bundle's encrypted entry that no passphrase given opened, when that is why it was not
 * read: a log that carries a lane, else the first such entry; NULL otherwise. The one thing to say of
 * a password-protected upload without the right passphrase. */
const struct problem *verdict_locked(const struct scan_result *res);
/* The level a bundle counts at for --fail-on and the exit status: its worst finding, and at least
 * warning when it needs review (the default threshold never reads a review as clean). */
int verdict_severity(const struct scan_result *res);

#endif
