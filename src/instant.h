/* instant: the wall clocks a bundle's logs write -> instants on one line of time. The client's zone
 * (systeminfo's Time Zone, its DST rules from the tz database) and the order of each log's records
 * settle the hour that repeats, the hour that never happens and a clock stepped back. */
#ifndef DARTSCAN_INSTANT_H
#define DARTSCAN_INSTANT_H

#include <stddef.h>

#include "text.h"
#include "timefmt.h"

enum clock_source { CS_NONE = 0, CS_ZONE, CS_OFFSETS, CS_COUNT };
/* "time zone in systeminfo", "offsets in the log"; NULL for CS_NONE. */
const char *clock_source_name(int source);

/* The line of time the bundle's stamps are placed on: the client's clock as it reads at the end of
 * the logs. Carried to the parent with the result; the owner frees tz. */
struct clock_frame {
	char *tz;           /* the tz database's name of the client's zone, or NULL when not known */
	int off_known;      /* off_min is the frame's UTC offset */
	long off_min;
	int source;         /* enum clock_source: what gave it */
	unsigned long jumps; /* clock jumps the records' order settled */
};

struct zone;

/* One log's clock jumps, as its reader found them (text_stats). */
struct instant_log {
	const struct clock_jump *jumps;
	unsigned njumps;
	int disordered; /* more jumps than kept: the order settles nothing */
	int offsets;    /* its stamps carry their UTC offset: jumps are in UTC */
	int own[TEXT_JUMPS]; /* the machine's jump (index in instants.jumps) each of its jumps is, or -1 */
	int fallback;   /* the jump (1-based) into the second pass of a repeated hour, or 0 */
};

/* A jump of the machine's clock, seen in one log or more: every log's records written before it
 * move by corr (ms), those after stay. */
struct machine_jump {
	int64_t before_wall, after_wall;
	int64_t corr;
};

struct instants {
	struct zone *zone; /* owned, or NULL */
	struct instant_log *logs;
	size_t nlogs;
	struct machine_jump *jumps;
	size_t njumps, capjumps;
	struct clock_frame frame;
};

/* zone_name: systeminfo's Time Zone (a Windows display name or id), or NULL. The zone's rules are
 * read now (the caller may then lose file access). */
void instants_init(struct instants *in, const char *zone_name, size_t nlogs);
void instants_reset(struct instants *in);
/* Log i's jumps; the array stays the caller's until instants_reset. */
void instants_add_log(struct instants *in, size_t i, const struct clock_jump *j, unsigned n, int disordered,
                      int offsets);
/* Settles each log's corrections, then the frame from the latest of the records ends[i] (of log
 * end_logs[i]): each log's last record by wall clock and its last one written. Call once every log
 * is added. */
void instants_settle(struct instants *in, const struct stamp *ends, const size_t *end_logs, size_t nends);
/* Places a stamp of log i read as written (shift 0) on the line of time: ms becomes its instant in
 * the frame, shift_ms what keeps the wall clock as written. */
void instants_place(const struct instants *in, size_t i, struct stamp *st);

/* The frame moved to a new owner (dst), src left empty. */
void clock_frame_move(struct clock_frame *dst, struct clock_frame *src);
void clock_frame_reset(struct clock_frame *f);

#endif
