/* frame_oslog: macOS unified-log exports written by `log show`, one record a line, in three of its
 * styles -- the default ("TIMESTAMP  THREAD  TYPE  ACTIVITY  PID  TTL  process: message", under a
 * header line and over a dashed line and per-type counts), `--style syslog` ("TIMESTAMP HOST
 * process[pid]: message") and `--style compact` ("TIMESTAMP Df process[pid:tid] message"). The
 * timestamp is local time with its UTC offset (TP_OFFSET); the record's text is the line as written,
 * so a rule sees the process with the message; the message is the process's own, its "(library)
 * [subsystem:category]" prefixes apart. Layout of the styles other than the default: [inferred] from
 * Apple's log(1) (DOMAIN.md, addendum of 2026-12-05). The JSON styles are frame_json.c's. */
#include "text_in.h"

#include <string.h>

enum oslog_style { OS_DEFAULT, OS_SYSLOG, OS_COMPACT };

/* "2024-08-27 03:07:43.123456-0700": a space between date and time (the journal writes a 'T'). The
 * compact style may write milliseconds and no offset: its time is then local, zone unknown. */
static size_t oslog_time(const char *s, size_t n, struct stamp *ts)
{
	size_t used;

	if (n < 20 || s[10] != ' ')
		return 0;
	used = timefmt_parse_iso(s, n, ts);
	return used && (used == n || s[used] == ' ' || s[used] == '\t') ? used : 0;
}

/* The message's offset in a record line of the style, 0 when the line is not one. */
static size_t oslog_record(enum oslog_style style, const char *s, size_t n, struct stamp *ts)
{
	size_t i = oslog_time(s, n, ts), w, proc, plen, m;
	int f;

	if (i == 0)
		return 0;
	i = text_skip_blanks(s, n, i);
	switch (style) {
	case OS_DEFAULT:
		/* thread (hex), type (a word), activity (hex), pid, TTL */
		for (f = 0; f < 5; f++) {
			w = text_word_end(s, n, i);
			if (w == i || w - i > 24)
				return 0;
			if ((f == 0 || f == 2) && !(w - i > 2 && s[i] == '0' && s[i + 1] == 'x'))
				return 0;
			if ((f == 3 || f == 4) && !str_all_of(s + i, w - i, "0123456789"))
				return 0;
			if (f == 1 && !str_all_of(s + i, w - i, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"))
				return 0;
			i = text_skip_blanks(s, n, w);
		}
		m = text_after_process(s, n, i, &proc, &plen);
		if (m == 0) { /* a process name with blanks ("Google Chrome Helper: ..."): its first ": " */
			const char *c = memmem(s + i, n - i < 128 ? n - i : 128, ": ", 2);

			m = c ? text_skip_blanks(s, n, (size_t)(c - s) + 2) : 0;
		}
		break;
	case OS_SYSLOG:
		w = text_word_end(s, n, i); /* the host */
		if (w == i)
			return 0;
		i = text_skip_blanks(s, n, w);
		m = text_after_process(s, n, i, &proc, &plen);
		if (m && (s[proc + plen] != '[' || s[text_word_end(s, n, proc) - 1] != ':'))
			return 0; /* syslog style always writes "process[pid]:" */
		break;
	default:
		w = text_word_end(s, n, i); /* the type: Df, In, Db, E, F, ... */
		if (w == i || w - i > 2)
			return 0;
		i = text_skip_blanks(s, n, w);
		m = text_after_process(s, n, i, &proc, &plen);
		if (m && (s[proc + plen] != '[' || s[text_word_end(s, n, proc) - 1] != ']'))
			return 0; /* compact style writes "process[pid:tid]" */
		break;
	}
	return m ? text_skip_oslog_prefix(s, n, m) : 0;
}

static int starts(const char *s, size_t n, const char *w)
{
	size_t k = strlen(w);

	return n >= k && memcmp(s, w, k) == 0;
}

/* Lines of the export that are no record: the header, "Filtering the log data using ...", the
 * closing dashes and the per-type counts ("Log      - Default: 360, Info: 0, ..."). */
static int oslog_furniture(const char *s, size_t n)
{
	size_t i;

	if (starts(s, n, "Timestamp ") || starts(s, n, "Filtering the log data") || starts(s, n, "Skipping "))
		return 1;
	if (starts(s, n, "Log ") && memmem(s, n, "Default:", 8) != NULL)
		return 1;
	for (i = 0; i < n && s[i] == '-'; i++)
		;
	return i >= 8 && i == n;
}

static void oslog_line(enum oslog_style style, struct text_sink *out, const char *s, size_t n,
                       unsigned long lineno, int cut)
{
	struct stamp ts;
	size_t m;

	memset(&ts, 0, sizeof ts);
	if ((m = oslog_record(style, s, n, &ts)) != 0)
		text_emit_line(out, s, n, lineno, cut, &ts, m);
	else if (!oslog_furniture(s, n))
		text_emit_line(out, s, n, lineno, cut, NULL, 0); /* a message's next line: the time before */
}

static void default_line(struct text_sink *out, void *state, const char *s, size_t n, unsigned long lineno, int cut)
{
	(void)state;
	oslog_line(OS_DEFAULT, out, s, n, lineno, cut);
}

static void syslog_line(struct text_sink *out, void *state, const char *s, size_t n, unsigned long lineno, int cut)
{
	(void)state;
	oslog_line(OS_SYSLOG, out, s, n, lineno, cut);
}

static void compact_line(struct text_sink *out, void *state, const char *s, size_t n, unsigned long lineno, int cut)
{
	(void)state;
	oslog_line(OS_COMPACT, out, s, n, lineno, cut);
}

/* The header lines `log show` writes above its records. */
static int header_has(const char *s, size_t n, const char *a, const char *b)
{
	return starts(s, n, "Timestamp ") && memmem(s, n, a, strlen(a)) != NULL && memmem(s, n, b, strlen(b)) != NULL;
}

static int bid_default(const char *s, size_t n)
{
	struct stamp ts;

	if (header_has(s, n, "Thread", "Activity"))
		return 90;
	return oslog_record(OS_DEFAULT, s, n, &ts) ? 80 : 0;
}

static int bid_syslog(const char *s, size_t n)
{
	struct stamp ts;

	return oslog_record(OS_SYSLOG, s, n, &ts) ? 70 : 0;
}

static int bid_compact(const char *s, size_t n)
{
	struct stamp ts;

	if (header_has(s, n, "Ty ", "Process[PID:TID]"))
		return 90;
	return oslog_record(OS_COMPACT, s, n, &ts) ? 70 : 0;
}

static const char *macos(const char *p, size_t n)
{
	(void)p, (void)n;
	return "macOS";
}

const struct framer frame_oslog = {
    .name = "oslog",
    .bid = bid_default,
    .line = default_line,
    .client_os = macos,
};

const struct framer frame_oslog_syslog = {
    .name = "oslog-syslog",
    .bid = bid_syslog,
    .line = syslog_line,
    .client_os = macos,
};

const struct framer frame_oslog_compact = {
    .name = "oslog-compact",
    .bid = bid_compact,
    .line = compact_line,
    .client_os = macos,
};
