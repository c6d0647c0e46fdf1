/* zone.h: a client's time zone from the name a Windows bundle gives it, and the UTC instants a local wall
 * time in it can denote, read from the system's tz database (TZif files) without TZ, tzset or localtime.
 * zone_load/zone_parse return a struct zone the caller frees with zone_free; it is read-only after that,
 * so any number of threads may query one at once. Nothing here keeps state between calls. */
#ifndef DARTSCAN_ZONE_H
#define DARTSCAN_ZONE_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define ZONE_DIR "/usr/share/zoneinfo"
#define ZONE_FILE_MAX (256 * 1024) /* a TZif file larger than this is refused */
#define ZONE_NAME_MAX 64           /* an IANA name's bytes, its NUL included */

struct zone;

/* The IANA name for a Windows zone as systeminfo prints it: a Windows id ("W. Europe Standard Time",
 * any case) or a display name ("(UTC+01:00) Amsterdam, Berlin, ..."); spaces around it are ignored.
 * Known names come from winzones.c's tables; a display name not there is matched by its offset and
 * text ("(UTC)" for "(UTC+00:00)"), then city by city against the IANA names (CLDR's, then
 * ZONE_DIR/AREA/City) whose standard offset is the one it shows. Copies the name into tz (tzn bytes)
 * and returns 0; -1 when the name is unknown (the caller knows only the offset) or tz is too small. */
int zone_tz_for_windows(const char *name, char *tz, size_t tzn);

/* Reads ZONE_DIR/name (a TZif file). name is an IANA name: [A-Za-z0-9_+/-], no "..", not starting
 * with '/'. Returns a new zone, or NULL with err filled (err may be NULL). */
struct zone *zone_load(const char *name, struct ds_error *err);

/* The same from len bytes in memory (name only labels errors; NULL is fine). */
struct zone *zone_parse(const void *buf, size_t len, const char *name, struct ds_error *err);

void zone_free(struct zone *z);

/* The zone's offset from UTC at the instant utc_s (seconds since 1970, UTC), in seconds east. */
int zone_offset_at(const struct zone *z, int64_t utc_s);

/* The offset of the zone's standard time as Windows shows it after "(UTC": the lower of the offsets
 * its rule now alternates between (Ireland's tz counts winter as the daylight one), else its latest. */
int zone_base_offset(const struct zone *z);

/* The UTC instants the local wall time wall_s (the wall clock counted like UTC seconds since 1970)
 * denotes, ascending in out: returns 1 usually, 2 in a repeated hour (autumn), 0 in a skipped one
 * (spring), -1 when wall_s lies beyond 300,000 years of 1970. */
int zone_instants(const struct zone *z, int64_t wall_s, int64_t out[2]);

#endif
