/* fuzz_time: every timestamp parser on the same bytes: ISO, the event-log export's date and time
 * (split where the input says), the user's --since form; whatever parses is formatted back. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "timefmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void show(const struct stamp *st)
{
	char out[64];

	timefmt_format(st, out, sizeof out);
	timefmt_format_human(st, out, sizeof out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct stamp st;
	size_t cut;
	char *z;

	memset(&st, 0, sizeof st);
	if (timefmt_parse_iso(s, size, &st) > 0)
		show(&st);
	cut = size ? data[0] % (size + 1) : 0;
	memset(&st, 0, sizeof st);
	if (timefmt_parse_export(s, cut, s + cut, size - cut, size & 1, &st) == 0) {
		/* its date's midnight plus its time of day: frame_event's memo moves a stamp by the
		 * difference of two times of the same date */
		int64_t tod = timefmt_export_time_of_day(s + cut, size - cut);

		if (tod < 0 || tod >= 86400000 || (st.ms - tod) % 86400000 != 0)
			abort();
		show(&st);
		timefmt_swap_day_month(&st);
		show(&st);
	}
	z = malloc(size + 1);
	memcpy(z, data, size);
	z[size] = '\0';
	memset(&st, 0, sizeof st);
	if (timefmt_parse_user(z, &st) == 0)
		show(&st);
	free(z);
	if (size >= 8) {
		int64_t secs;

		memcpy(&secs, data, sizeof secs);
		timefmt_from_epoch(secs, &st);
		show(&st);
	}
	return 0;
}
