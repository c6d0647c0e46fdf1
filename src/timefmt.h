/* timefmt: every timestamp form found in a bundle -> one sortable time with its provenance.
 * Pure functions on memory; callers own every buffer. */
#ifndef DARTSCAN_TIMEFMT_H
#define DARTSCAN_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

enum tprov {
	TP_NONE = 0,  /* no time known */
	TP_LOCAL,     /* client's local wall clock, zone unknown */
	TP_OFFSET,    /* local wall clock with its UTC offset */
	TP_UTC        /* UTC */
};

enum {
	TF_DM_AMBIG = 1,  /* a/b/yyyy read as month/day, both fields <= 12: may need a swap */
	TF_DAY_FIRST = 2, /* a/b/yyyy read as day/month */
	TF_MD_PROVEN = 4, /* a/b/yyyy read as month/day, b above 12: the file writes month first */
	TF_OTHER_OFFSET = 8 /* local time written under another UTC offset than the logs end in (before a
	                       DST change): off_min is that offset, and the time is shown with it */
};

/* One moment. As read, ms is the wall clock as written, counted like UTC from 1970. Once instant.c
 * has placed it, ms is its instant on the bundle's one line of time (the client's clock as it
 * reads at the end of the logs) and ms + shift_ms is still the wall clock as written: evidence
 * shows that, arithmetic uses ms. */
struct stamp {
	int64_t ms;
	int32_t shift_ms; /* wall clock as written minus ms: non-zero where the clock jumped */
	uint16_t seg;     /* while reading: how many clock jumps its log made before it */
	int16_t off_min;  /* meaningful with TP_OFFSET: the offset written with it */
	uint8_t prov;
	uint8_t flags;
};

#define TIMEFMT_DAY_MS 86400000LL /* a day of a stamp's ms */

/* The wall clock as written, counted like UTC from 1970. */
static inline int64_t timefmt_wall(const struct stamp *st)
{
	return st->ms + st->shift_ms;
}

/* "YYYY-MM-DD[ T]HH:MM:SS[.frac][Z|+HHMM|+HH:MM]" at s; returns bytes used, 0 when not one. */
size_t timefmt_parse_iso(const char *s, size_t n, struct stamp *out);
/* "a/b/yyyy" (or a-b-yyyy) plus "HH:MM:SS[ AM|PM]" from an event-log export; day_first forces
 * d/m/y. The locales' unambiguous forms are read as they are: "dd.mm.yyyy", "yyyy-mm-dd",
 * "yyyy/mm/dd". Returns 0, or -1 when either is not a date/time. Sets TF_DM_AMBIG when both
 * readings of a/b hold, TF_DAY_FIRST when a/b is read as d/m (forced, or a first field above 12
 * proves it), TF_MD_PROVEN when a second field above 12 proves m/d. */
int timefmt_parse_export(const char *date, size_t dn, const char *tm, size_t tn, int day_first,
                         struct stamp *out);
/* The time of day of an export's "HH:MM:SS[.fff][ AM|PM]" in ms, as timefmt_parse_export reads it
 * (its stamp is the date's midnight plus this), or -1 when it is not a time. */
int64_t timefmt_export_time_of_day(const char *tm, size_t tn);
/* Re-reads an ambiguous month/day stamp as day/month. */
void timefmt_swap_day_month(struct stamp *st);

/* How an event export's a/b dates were read. Month first, unless a first field above 12 shows the
 * file writes the day first; when no date proves either order (every one reads both ways, as
 * 03/09/2024 does) the reader is told, and told too when the time the entry was written fits the
 * day-first reading better: a UK client's first twelve days of a month would be off by months. */
enum date_order {
	DATES_AS_WRITTEN = 0, /* unambiguous, or month first and proven so */
	DATES_DAY_FIRST,      /* day/month: a first field above 12 */
	DATES_UNPROVEN,       /* month/day by default: no date proves the order */
	DATES_UNPROVEN_DM     /* the same, and the entry's time fits day/month better */
};

/* An entry's date order (enum date_order), decided once its end is read: what its dates showed
 * (a first field above 12, dates that read both ways, a second field above 12), its last record in
 * the month-first reading, and when the entry was written (seconds; written NULL: not known). */
int timefmt_date_order(int day_first, int ambiguous, int md_proven, const struct stamp *last,
                       const int64_t *written);
/* A stamp of an entry whose order is settled: re-read as day/month when order says so; either way
 * no longer ambiguous. The one place a stamp read month-first is corrected (times.c calls it). */
void timefmt_settle(struct stamp *st, int order);
/* Where the time DART collected a bundle comes from (times.c finds it, correlation weighs it). */
enum collected_source {
	COLLECTED_NONE = 0,        /* the bundle does not say */
	COLLECTED_ENTRY_TIMES,     /* the newest entry time, the client's local clock (a zip's) */
	COLLECTED_ENTRY_UTC,       /* the same in UTC (a tar's) with no zone to move it by: up to 14 h off */
	COLLECTED_ENTRY_UTC_MOVED, /* the same moved by the systeminfo time zone */
	COLLECTED_BUNDLE_NAME,     /* DARTBundle_MMDD_HHMM */
	COLLECTED_SOURCES
};

/* When DART wrote a bundle, as a time (TP_NONE with COLLECTED_NONE) and where it came from. */
struct collected {
	struct stamp at;
	int source; /* enum collected_source */
};

/* What a report says the collection time came from ("entry times", "bundle name"); NULL for none. */
const char *timefmt_collected_source_name(int source);

/* --since/--until: where a stamp as written falls against the window (TP_NONE: open) -- -1 before,
 * 0 inside, 1 after. An a/b date its entry's end may re-read as day/month is inside when either
 * reading is (correlation clips its runs again once the order is known). */
int timefmt_window_place(const struct stamp *since, const struct stamp *until, const struct stamp *ts);
/* Seconds since 1970 (UTC) -> stamp. */
void timefmt_from_epoch(int64_t secs, struct stamp *out);
/* "2024-08-27T03:07:43" (milliseconds only when not zero); "" for TP_NONE. n >= 32. */
void timefmt_format(const struct stamp *st, char *out, size_t n);
/* Same with a space instead of 'T', for humans. */
void timefmt_format_human(const struct stamp *st, char *out, size_t n);
/* Parses a user's --since/--until: ISO date, date and time, with or without seconds. */
int timefmt_parse_user(const char *s, struct stamp *out);

/* A span for a reader: "45 s", "60 min", "3 h 5 min", "2 days 4 h". n >= 32. */
void timefmt_duration(int64_t ms, char *out, size_t n);

/* A cycle for a reader, rounded to the nearest unit: "5 s", "5 min", "4 h". n >= 32. */
void timefmt_cadence(long seconds, char *out, size_t n);

int64_t timefmt_days_from_civil(int y, unsigned m, unsigned d);
/* The date a time in ms since 1970 falls on (a wall time's, or UTC's: as given). */
void timefmt_civil(int64_t ms, int *y, unsigned *m, unsigned *d);
/* The year of a stamp (for dates written without one). */
int timefmt_year(const struct stamp *st);

/* Whether a wall clock lies where zones change their offset: 00:00-03:59 in March, April,
 * September, October or November (both hemispheres' DST dates; a guess where the zone is unknown). */
int timefmt_dst_hour(int64_t wall_ms);

/* A Windows time zone, "(UTC+01:00) Amsterdam, ..." -> +60 minutes; -1 when it is not one (DST is
 * not known: a fallback). */
int timefmt_parse_zone(const char *tz, long *off_min);
/* The time in a DART bundle's name: "DARTBundle_0827_0641" (month, day, hours, minutes; year is
 * the caller's guess) or "DARTBundle_20240827_0641" (macOS). Local time. Returns 0, or -1. */
int timefmt_parse_bundle_name(const char *base, int year, struct stamp *out);

#endif
