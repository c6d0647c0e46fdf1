/* frame_lines: one record a line, its leading time apart from its message -- the plugin log
 * (cscumbrellaplugin.txt) and every entry no other framer claims. */
#include "text_in.h"

#include <string.h>

#define ISO_SECONDS 19 /* strlen("2024-08-27 03:07:43") */

struct lines_state {
	char iso_key[ISO_SECONDS]; /* the last "YYYY-MM-DD HH:MM:SS" parsed, and its stamp */
	struct stamp iso_ts;
	int iso_cached;
};

/* A line's leading time. Lines come many to a second, and "YYYY-MM-DD HH:MM:SS" followed by a
 * space means the same moment whatever comes after it (no fraction or zone can follow a space),
 * so such a prefix is parsed once and then recognised with a memcmp. */
static size_t line_time(struct lines_state *ls, const char *s, size_t n, struct stamp *ts)
{
	size_t used;

	if (n > ISO_SECONDS && s[ISO_SECONDS] == ' ' && ls->iso_cached && memcmp(s, ls->iso_key, ISO_SECONDS) == 0) {
		*ts = ls->iso_ts;
		return ISO_SECONDS;
	}
	used = timefmt_parse_iso(s, n, ts);
	ls->iso_cached = used == ISO_SECONDS && n > ISO_SECONDS && s[ISO_SECONDS] == ' ';
	if (ls->iso_cached) {
		memcpy(ls->iso_key, s, ISO_SECONDS);
		ls->iso_ts = *ts;
	}
	return used;
}

static inline __attribute__((always_inline)) void take_line(struct text_sink *out, void *state, const char *s, size_t n,
                                                             unsigned long lineno, int cut)
{
	struct record r;
	size_t used;

	memset(&r, 0, sizeof r);
	r.text = s;
	r.len = n;
	r.line = lineno;
	r.truncated = cut;
	/* the message is what follows the timestamp: the time is kept apart */
	used = line_time(state, s, n, &r.ts);
	while (used && used < n && s[used] == ' ')
		used++;
	r.msg = s + used;
	r.msg_len = n - used;
	text_emit(out, &r);
}

static void lines_line(struct text_sink *out, void *state, const char *s, size_t n, unsigned long lineno, int cut)
{
	take_line(out, state, s, n, lineno, cut);
}

static size_t lines_lines(struct text_sink *out, void *state, const char *s, size_t n)
{
	return text_take_lines(out, state, s, n, take_line);
}

/* No bid: this is the framer of lines nothing else claims. */
const struct framer frame_lines = {
    .name = "lines",
    .state_size = sizeof(struct lines_state),
    .line = lines_line,
    .lines = lines_lines,
};
