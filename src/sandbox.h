/* sandbox: bundles are read in a worker process -- under an address-space limit and a per-bundle
 * deadline, confined by a seccomp filter -- and only its result, checked, reaches the parent. */
#ifndef DARTSCAN_SANDBOX_H
#define DARTSCAN_SANDBOX_H

#include "scan.h"

struct sandbox_opts {
	int off;              /* --no-sandbox: bundles are read in this process */
	uint64_t max_memory;  /* the worker's address space (--max-memory) */
	unsigned max_seconds; /* wall-clock time per bundle (--max-seconds) */
};
void sandbox_opts_default(struct sandbox_opts *o);

/* Confines the calling process for good: no execve, no sockets, no new processes, no file opened
 * for writing, writes only to the nw descriptors in wfds. A forbidden call ends the process
 * (status SANDBOX_TRAPPED; the call's number is written to *trapped when it is not NULL).
 * Returns -1 with err when the kernel refuses the filter. */
#define SANDBOX_TRAPPED 121
#define SANDBOX_NOMEM 122
int sandbox_confine(const int *wfds, size_t nw, volatile int *trapped, struct ds_error *err);
/* Does sandbox_confine filter here? Not under valgrind (it would stop valgrind's own writes; the
 * worker, its limits and the checked result stay), not on an architecture it does not know. */
int sandbox_filter_possible(void);
/* The name of a system call the filter knows, else NULL. */
const char *sandbox_call_name(int nr);

/* A cell is one worker process and its pipes, serving one thread's bundles in turn; a worker
 * that failed is replaced for the next bundle. m is the caller's matcher, which the worker
 * inherits. */
struct cell;
struct cell *cell_new(const struct scan_opts *so, const struct sandbox_opts *sb, struct matcher *m);
/* Starts the worker now (else the first cell_scan does): call it while the process has one
 * thread, since a fork copies the locks other threads hold. A failure is left for cell_scan. */
void cell_start(struct cell *c);
/* scan_bundle, with the reading done by the worker. A worker that failed is replaced here, from
 * the calling thread: the rare case that forks with other threads running. */
void cell_scan(struct cell *c, const char *path, struct scan_result *res);
/* The next cell_scan is the cell's last: its request pipe closes behind the path, so the worker
 * ends (its teardown takes about a millisecond) while the parent reads and reports the result. */
void cell_last(struct cell *c);
void cell_free(struct cell *c);

#endif
