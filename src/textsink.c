/* textsink: the framers' shared end -- a line made a record and passed on, a process name and an
 * os_log prefix found, a clock jump between two records noted in the entry's stats. text.c picks
 * the framer, the framer calls these; nothing here calls either, so calls go one way. */
#include "textsink.h"

#include <string.h>

void text_note_jump(struct text_sink *out, const struct stamp *before, const struct stamp *after)
{
	int64_t off = after->prov == TP_OFFSET ? (after->off_min - before->off_min) * 60000LL : 0;
	int64_t d = after->ms - before->ms - off;
	struct text_stats *st = &out->st;

	/* back by hours is an export listing the newest first or logs of other days, not one clock */
	if (d < -2 * HOUR_MS || (d > 0 && !timefmt_dst_hour(before->ms)))
		return;
	if (st->njumps == TEXT_JUMPS) {
		st->clock_disordered = 1;
		return;
	}
	st->jumps[st->njumps].before = *before;
	st->jumps[st->njumps].after = *after;
	st->jumps[st->njumps].after.ms -= off; /* on the clock of the record before */
	st->njumps++;
}

size_t text_after_process(const char *s, size_t n, size_t i, size_t *proc, size_t *plen)
{
	size_t k = i;

	/* a process name: no blank, no ':' or '[' of its own; 64 bytes at most, as ps shows them */
	while (k < n && k - i <= 64 && s[k] != ' ' && s[k] != '\t' && s[k] != ':' && s[k] != '[')
		k++;
	if (k == i || k >= n || k - i > 64)
		return 0;
	*proc = i;
	*plen = k - i;
	if (s[k] == '[') {
		size_t d = k + 1;

		while (d < n && d - k <= 24 && ((s[d] >= '0' && s[d] <= '9') || s[d] == ':' || s[d] == 'x' ||
		                                 (s[d] >= 'a' && s[d] <= 'f') || (s[d] >= 'A' && s[d] <= 'F')))
			d++;
		if (d == k + 1 || d >= n || s[d] != ']')
			return 0;
		k = d + 1;
		if (k < n && s[k] == ':')
			k++;
	} else if (s[k] == ':') {
		k++;
	} else {
		return 0;
	}
	if (k < n && s[k] != ' ' && s[k] != '\t')
		return 0; /* "12:30" or a URL is no process */
	return text_skip_blanks(s, n, k);
}

size_t text_skip_oslog_prefix(const char *s, size_t n, size_t i)
{
	size_t k;

	if (i < n && s[i] == '(') { /* the image that logged: "(libacumbrellaplugin.dylib) " */
		for (k = i + 1; k < n && k - i < 256 && s[k] != ')' && s[k] != ' '; k++)
			;
		if (k < n && s[k] == ')' && k + 1 < n && s[k + 1] == ' ')
			i = text_skip_blanks(s, n, k + 1);
	}
	if (i < n && s[i] == '[') { /* "[com.cisco.anyconnect.umbrella:dns] " */
		int colon = 0;

		for (k = i + 1; k < n && k - i < 256 && s[k] != ']' && s[k] != ' '; k++)
			colon |= s[k] == ':';
		if (colon && k < n && s[k] == ']' && k + 1 < n && s[k + 1] == ' ')
			i = text_skip_blanks(s, n, k + 1);
	}
	return i;
}

void text_emit_line(struct text_sink *out, const char *s, size_t n, unsigned long lineno, int cut,
                    const struct stamp *ts, size_t msg)
{
	struct record r;

	memset(&r, 0, sizeof r);
	r.text = s;
	r.len = n;
	r.line = lineno;
	r.truncated = cut;
	if (ts)
		r.ts = *ts;
	if (msg > n)
		msg = n;
	r.msg = s + msg;
	r.msg_len = n - msg;
	text_emit(out, &r);
}
