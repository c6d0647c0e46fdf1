/* frame_journal: the systemd journal exported as text, one record a line -- `journalctl -o
 * short-iso` ("2024-08-27T03:07:43+0100 host process[pid]: message", also short-iso-precise with a
 * fraction; local time with its UTC offset: TP_OFFSET) and `-o short-precise` ("Aug 27
 * 03:07:43.123456 host process[pid]: message"; also `-o short` and a classic syslog file, the same
 * without the fraction). The short forms write no year and no zone: the year is the entry's own
 * (its archive time), the year before when the record's month lies after the entry's, one more at
 * each December -> January turn; the time is local, zone unknown (TP_LOCAL). journalctl's "--
 * Logs begin at ... --" / "-- Boot ... --" lines are no records. Record text: the line as written
 * (the process with the message); message: the process's. Formats: systemd's journalctl(1). */
#include "text_in.h"

#include <string.h>

struct journal_state {
	int year, month; /* the year being read, and the last record's month (0: none yet) */
};

/* After the time: "host process[pid]: message" (or "host process: message", the kernel's). */
static size_t journal_message(const char *s, size_t n, size_t i)
{
	size_t w, proc, plen, m;

	i = text_skip_blanks(s, n, i);
	w = text_word_end(s, n, i);
	if (w == i)
		return 0;
	m = text_after_process(s, n, text_skip_blanks(s, n, w), &proc, &plen);
	if (m == 0)
		return 0;
	/* "process[pid]:" or "process:", never the compact style's "process[pid:tid]" */
	for (w = m; w > proc && (s[w - 1] == ' ' || s[w - 1] == '\t'); w--)
		;
	return w > proc && s[w - 1] == ':' ? m : 0;
}

static size_t iso_record(const char *s, size_t n, struct stamp *ts)
{
	size_t used;

	if (n < 20 || s[10] != 'T')
		return 0;
	used = timefmt_parse_iso(s, n, ts);
	if (used == 0 || ts->prov == TP_LOCAL || used >= n || s[used] != ' ')
		return 0; /* short-iso always writes the offset */
	return journal_message(s, n, used);
}

static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

/* "Aug 27 03:07:43[.ffffff]": month and day, time; *end past it. Returns the month 1..12, or 0. */
static int precise_time(const char *s, size_t n, unsigned *day, unsigned *h, unsigned *mi, unsigned *sec,
                        unsigned *ms, size_t *end)
{
	size_t i, k;
	const char *m;
	unsigned d = 0;

	if (n < 15 || s[3] != ' ')
		return 0;
	for (m = months; *m; m += 3)
		if (memcmp(s, m, 3) == 0)
			break;
	if (*m == '\0')
		return 0;
	i = 4;
	if (s[i] == ' ')
		i++; /* "Aug  7" */
	for (k = i; k < n && k - i < 2 && s[k] >= '0' && s[k] <= '9'; k++)
		d = d * 10 + (unsigned)(s[k] - '0');
	if (k == i || d == 0 || d > 31 || k + 9 > n || s[k] != ' ')
		return 0;
	i = k + 1;
	if (s[i + 2] != ':' || s[i + 5] != ':')
		return 0;
	for (k = 0; k < 8; k++)
		if (k != 2 && k != 5 && (s[i + k] < '0' || s[i + k] > '9'))
			return 0;
	*h = (unsigned)((s[i] - '0') * 10 + s[i + 1] - '0');
	*mi = (unsigned)((s[i + 3] - '0') * 10 + s[i + 4] - '0');
	*sec = (unsigned)((s[i + 6] - '0') * 10 + s[i + 7] - '0');
	if (*h > 23 || *mi > 59 || *sec > 60)
		return 0;
	i += 8;
	*ms = 0;
	if (i < n && s[i] == '.') {
		unsigned scale = 100;

		for (k = i + 1; k < n && k - i <= 9 && s[k] >= '0' && s[k] <= '9'; k++) {
			*ms += (unsigned)(s[k] - '0') * scale;
			scale /= 10;
		}
		if (k == i + 1)
			return 0;
		i = k;
	}
	*day = d;
	*end = i;
	return (int)((m - months) / 3 + 1);
}

/* The year of a record written in month mo: see the file's opening comment. */
static int record_year(struct journal_state *js, const struct text_sink *out, int mo)
{
	if (js->month == 0) {
		int y = 1970;
		unsigned em = 1, ed;

		if (out->entry_time.prov != TP_NONE) /* the entry's date, on its own wall clock */
			timefmt_civil(timefmt_wall(&out->entry_time), &y, &em, &ed);
		js->year = (unsigned)mo > em ? y - 1 : y;
	} else if (mo < js->month && js->month - mo >= 6) {
		js->year++; /* December -> January */
	}
	js->month = mo;
	return js->year;
}

static size_t precise_record(struct journal_state *js, const struct text_sink *out, const char *s, size_t n,
                             struct stamp *ts)
{
	unsigned d, h, mi, sec, ms;
	size_t end, m;
	int mo = precise_time(s, n, &d, &h, &mi, &sec, &ms, &end);

	if (mo == 0 || end >= n || s[end] != ' ' || (m = journal_message(s, n, end)) == 0)
		return 0;
	if (js) {
		int y = record_year(js, out, mo);

		memset(ts, 0, sizeof *ts);
		ts->ms = (timefmt_days_from_civil(y, (unsigned)mo, d) * 86400 + h * 3600 + mi * 60 + sec) * 1000LL + ms;
		ts->prov = TP_LOCAL;
	}
	return m;
}

/* journalctl's own lines: "-- Logs begin at ... --", "-- Boot 1a2b... --", "-- No entries --". */
static int journal_furniture(const char *s, size_t n)
{
	return n >= 5 && s[0] == '-' && s[1] == '-' && s[2] == ' ' && s[n - 1] == '-' && s[n - 2] == '-';
}

static void journal_line(struct text_sink *out, const char *s, size_t n, unsigned long lineno, int cut, size_t m,
                         const struct stamp *ts)
{
	if (m)
		text_emit_line(out, s, n, lineno, cut, ts, m);
	else if (!journal_furniture(s, n))
		text_emit_line(out, s, n, lineno, cut, NULL, 0); /* a message's next line: the time before */
}

static void iso_line(struct text_sink *out, void *state, const char *s, size_t n, unsigned long lineno, int cut)
{
	struct stamp ts;

	(void)state;
	memset(&ts, 0, sizeof ts);
	journal_line(out, s, n, lineno, cut, iso_record(s, n, &ts), &ts);
}

static void precise_line(struct text_sink *out, void *state, const char *s, size_t n, unsigned long lineno, int cut)
{
	struct stamp ts;

	memset(&ts, 0, sizeof ts);
	journal_line(out, s, n, lineno, cut, precise_record(state, out, s, n, &ts), &ts);
}

static int bid_iso(const char *s, size_t n)
{
	struct stamp ts;

	return iso_record(s, n, &ts) ? 70 : 0;
}

static int bid_precise(const char *s, size_t n)
{
	struct stamp ts;

	return precise_record(NULL, NULL, s, n, &ts) ? 60 : 0;
}

static const char *linux_os(const char *p, size_t n)
{
	(void)p, (void)n;
	return "Linux";
}

const struct framer frame_journal_iso = {
    .name = "journal-iso",
    .bid = bid_iso,
    .line = iso_line,
    .client_os = linux_os,
};

const struct framer frame_journal_precise = {
    .name = "journal-precise",
    .state_size = sizeof(struct journal_state),
    .bid = bid_precise,
    .line = precise_line,
    .client_os = linux_os,
};
