/* result: every member of struct scan_result in one table -- which side of the worker pipe it lives
 * on, whether --utc moves it, whether --redact rewrites it -- that the tests walk against the struct. */
#ifndef DARTSCAN_RESULT_H
#define DARTSCAN_RESULT_H

#include <stddef.h>

#include "scan.h"

/* Where a member is set. RF_WIRE: in the worker, and it crosses the pipe (wire.c); RF_WORKER: in the
 * worker while reading, never sent; RF_PARENT: in the parent, after the pipe; RF_BOTH: each side
 * sets it itself (the bundle's path, which the parent never takes from the worker). */
enum result_side { RF_WIRE, RF_WORKER, RF_PARENT, RF_BOTH };

/* X(member, side, moved by --utc, rewritten by --redact). A member of struct scan_result without a
 * row fails test_sandbox (every byte of the struct is some row's or padding). */
#define SCAN_RESULT_FIELDS(X)                   \
	X(path, RF_BOTH, 0, 0)                  \
	X(rel_path, RF_PARENT, 0, 0)            \
	X(sha256, RF_PARENT, 0, 0)              \
	X(duplicate_of, RF_PARENT, 0, 0)        \
	X(status, RF_WIRE, 0, 0)                \
	X(problems, RF_WIRE, 0, 1)              \
	X(nproblems, RF_WIRE, 0, 0)             \
	X(capproblems, RF_WIRE, 0, 0)           \
	X(entries, RF_WIRE, 1, 1)               \
	X(nentries, RF_WIRE, 0, 0)              \
	X(capentries, RF_WIRE, 0, 0)            \
	X(entries_seen, RF_WIRE, 0, 0)          \
	X(bytes, RF_WIRE, 0, 0)                 \
	X(events, RF_WIRE, 1, 1)                \
	X(ctx, RF_WIRE, 0, 1)                   \
	X(diag, RF_PARENT, 1, 1)                \
	X(unx, RF_WIRE, 1, 1)                   \
	X(start, RF_WIRE, 1, 0)                 \
	X(end, RF_WIRE, 1, 0)                   \
	X(explain, RF_WIRE, 0, 1)               \
	X(capture, RF_WIRE, 0, 0)               \
	X(capture_failed, RF_WIRE, 0, 0)        \
	X(ahead_taken, RF_WIRE, 0, 0)           \
	X(probe, RF_WIRE, 0, 0)                 \
	X(utc, RF_PARENT, 0, 0)                 \
	X(frame, RF_WIRE, 0, 0)                 \
	X(since, RF_PARENT, 0, 0)               \
	X(until, RF_PARENT, 0, 0)               \
	X(newest_mtime, RF_WORKER, 0, 0)        \
	X(newest_kind, RF_WORKER, 0, 0)         \
	X(newest_depth, RF_WORKER, 0, 0)        \
	X(named, RF_WORKER, 0, 0)               \
	X(collected, RF_WIRE, 0, 0)             \
	X(verdict, RF_PARENT, 0, 0)             \
	X(reasons, RF_PARENT, 0, 0)             \
	X(nreasons, RF_PARENT, 0, 0)            \
	X(capreasons, RF_PARENT, 0, 0)

struct result_field {
	const char *name;
	size_t offset, size, align;
	int side; /* enum result_side */
	int utc, redact;
};

/* The table, in the struct's order; *n gets its length. */
const struct result_field *result_fields(size_t *n);

#endif
