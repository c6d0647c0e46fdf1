/* result: every member of struct scan_result in one table -- which side of the worker pipe sets it,
 * whether it owns memory, --utc moves it, --redact rewrites it -- from which that code is made. */
#ifndef DARTSCAN_RESULT_H
#define DARTSCAN_RESULT_H

#include <stddef.h>

#include "scan.h"

/* Where a member is set. RF_WIRE: in the worker, and it crosses the pipe; RF_WORKER: in the worker
 * while reading, never sent; RF_PARENT: in the parent, after the pipe; RF_BOTH: each side sets it
 * itself (the bundle's path, which the parent never takes from the worker); RF_WITH: the count or
 * capacity of the array in a row above it, which travels, is freed and is moved with that array. */
enum result_side { RF_WIRE, RF_WORKER, RF_PARENT, RF_BOTH, RF_WITH };

/* X(member, side, owns, utc, redact), in the struct's order. The code is made from the rows, so a
 * flag without its function, or a function without its flag, does not build (-Werror in CI):
 *   side RF_WIRE: wire.c's put_<member> and wire_decode.c's get_<member>, in this order on the wire;
 *   owns 1: scan_result_reset frees it with result.c's drop_<member>;
 *   utc 1: --utc moves its times with times.c's move_<member>;
 *   redact 1: --redact rewrites its strings with redact.c's redact_<member>, in this order.
 * A member of struct scan_result without a row fails test_sandbox (every byte of the struct is some
 * row's or padding). */
#define SCAN_RESULT_FIELDS(X)                           \
	X(path, RF_BOTH, 1, 0, 0)                       \
	X(rel_path, RF_PARENT, 1, 0, 0)                 \
	X(sha256, RF_PARENT, 1, 0, 0)                   \
	X(duplicate_of, RF_PARENT, 1, 0, 0)             \
	X(status, RF_WIRE, 0, 0, 0)                     \
	X(problems, RF_WIRE, 1, 0, 1)                   \
	X(nproblems, RF_WITH, 0, 0, 0)                  \
	X(capproblems, RF_WITH, 0, 0, 0)                \
	X(entries, RF_WIRE, 1, 1, 1)                    \
	X(nentries, RF_WITH, 0, 0, 0)                   \
	X(capentries, RF_WITH, 0, 0, 0)                 \
	X(entries_seen, RF_WIRE, 0, 0, 0)               \
	X(bytes, RF_WIRE, 0, 0, 0)                      \
	X(events, RF_WIRE, 1, 1, 1)                     \
	X(ctx, RF_WIRE, 1, 0, 1)                        \
	X(diag, RF_PARENT, 1, 1, 1)                     \
	X(unx, RF_WIRE, 1, 1, 1)                        \
	X(start, RF_WIRE, 0, 1, 0)                      \
	X(end, RF_WIRE, 0, 1, 0)                        \
	X(explain, RF_WIRE, 1, 0, 1)                    \
	X(capture, RF_WIRE, 1, 0, 0)                    \
	X(capture_failed, RF_WIRE, 0, 0, 0)             \
	X(ahead_taken, RF_WIRE, 0, 0, 0)                \
	X(ahead_stolen, RF_WORKER, 0, 0, 0)             \
	X(probe, RF_WIRE, 1, 0, 0)                      \
	X(utc, RF_PARENT, 0, 0, 0)                      \
	X(frame, RF_WIRE, 1, 0, 0)                      \
	X(since, RF_PARENT, 0, 0, 0)                    \
	X(until, RF_PARENT, 0, 0, 0)                    \
	X(newest_mtime, RF_WORKER, 0, 0, 0)             \
	X(newest_kind, RF_WORKER, 0, 0, 0)              \
	X(newest_depth, RF_WORKER, 0, 0, 0)             \
	X(named, RF_WORKER, 1, 0, 0)                    \
	X(collected, RF_WIRE, 0, 0, 0)                  \
	X(verdict, RF_PARENT, 0, 0, 0)                  \
	X(reasons, RF_PARENT, 1, 0, 0)                  \
	X(nreasons, RF_WITH, 0, 0, 0)                   \
	X(capreasons, RF_WITH, 0, 0, 0)

/* RESULT_IF(flag, code...) is the code on a row whose flag is 1; RESULT_IF_WIRE(side, code...) on an
 * RF_WIRE row. */
#define RESULT_IF(flag, ...) RESULT_IF_##flag(__VA_ARGS__)
#define RESULT_IF_0(...)
#define RESULT_IF_1(...) __VA_ARGS__
#define RESULT_IF_WIRE(side, ...) RESULT_WIRE_##side(__VA_ARGS__)
#define RESULT_WIRE_RF_WIRE(...) __VA_ARGS__
#define RESULT_WIRE_RF_WORKER(...)
#define RESULT_WIRE_RF_PARENT(...)
#define RESULT_WIRE_RF_BOTH(...)
#define RESULT_WIRE_RF_WITH(...)

struct result_field {
	const char *name;
	size_t offset, size, align;
	int side; /* enum result_side */
	int owns, utc, redact;
};

/* The table, in the struct's order; *n gets its length. */
const struct result_field *result_fields(size_t *n);

#endif
