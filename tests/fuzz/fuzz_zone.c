/* fuzz_zone: TZif bytes from the input through zone_parse, then offsets and wall-time instants at
 * times taken from the input, each instant checked to denote its wall time; an input beginning with
 * 'W' is a Windows zone name for zone_tz_for_windows instead. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "zone.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int64_t walls[5] = {0, 1719835200, 2216505600, -2208988800, 0}, out[2];
	struct zone *z;
	int i, j, n;

	if (size > 0 && data[0] == 'W') {
		char name[300], tz[ZONE_NAME_MAX];
		size_t len = size - 1 < sizeof name - 1 ? size - 1 : sizeof name - 1;

		memcpy(name, data + 1, len);
		name[len] = '\0';
		if (zone_tz_for_windows(name, tz, sizeof tz) == 0 && strlen(tz) >= sizeof tz)
			__builtin_trap();
		return 0;
	}
	if ((z = zone_parse(data, size, "fuzz", NULL)) == NULL)
		return 0;
	if (size >= 8)
		memcpy(&walls[4], data + size - 8, 8);
	for (i = 0; i < 5; i++) {
		n = zone_instants(z, walls[i], out);
		if (n < -1 || n > 2 || (n == 2 && out[0] >= out[1]))
			__builtin_trap();
		for (j = 0; j < n; j++)
			if (out[j] + zone_offset_at(z, out[j]) != walls[i])
				__builtin_trap();
		n = zone_offset_at(z, walls[i]);
		if (n < -26 * 3600 || n > 26 * 3600)
			__builtin_trap();
	}
	n = zone_base_offset(z);
	zone_free(z);
	return n == INT32_MIN;
}
