/* winzones.h: the Windows time-zone tables tools/gen-winzones writes into winzones.c from CLDR's
 * windowsZones.xml and tools/windows-display-names.txt; read by zone.c only. Static data: nothing to free. */
#ifndef DARTSCAN_WINZONES_H
#define DARTSCAN_WINZONES_H

#include <stddef.h>

struct winzone_pair {
	const char *key;
	const char *value;
};

/* Windows id -> IANA name of CLDR territory 001; sorted by ASCII-case-folded key */
extern const struct winzone_pair winzone_ids[];
extern const size_t winzone_ids_n;
/* every IANA name windowsZones.xml lists, any territory -> its Windows id; sorted by key (bytes) */
extern const struct winzone_pair winzone_tzs[];
extern const size_t winzone_tzs_n;
/* Windows display name ("(UTC+01:00) Amsterdam, ...") -> Windows id; sorted by ASCII-case-folded key */
extern const struct winzone_pair winzone_displays[];
extern const size_t winzone_displays_n;

#endif
