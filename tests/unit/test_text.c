/* Unit tests for text: encodings, line ends, event blocks, limits. */
#include <stdlib.h>

#include "check.h"
#include "text_in.h"

struct got {
	int n;
	char text[8][256];
	char msg[8][256];
	unsigned long line[8];
	struct stamp ts[8];
	int cut[8];
	char last[256]; /* the last record, however many came */
	struct stamp last_ts;
};

static int collect(void *ctx, const struct record *r)
{
	struct got *g = ctx;

	if (g->n < 8) {
		snprintf(g->text[g->n], sizeof g->text[0], "%.*s", (int)r->len, r->text);
		snprintf(g->msg[g->n], sizeof g->msg[0], "%.*s", (int)r->msg_len, r->msg);
		g->line[g->n] = r->line;
		g->ts[g->n] = r->ts;
		g->cut[g->n] = r->truncated;
	}
	snprintf(g->last, sizeof g->last, "%.*s", (int)r->len, r->text);
	g->last_ts = r->ts;
	g->n++;
	return 0;
}

/* Feeds in chunks of k bytes so that lines and code units straddle blocks. */
static struct got run(const char *data, size_t n, size_t k, size_t max, struct text_stats *st)
{
	struct got g;
	struct text_reader *tr;
	size_t i;

	memset(&g, 0, sizeof g);
	tr = text_reader_new(max, collect, &g);
	for (i = 0; i < n; i += k)
		text_reader_feed(tr, data + i, n - i < k ? n - i : k);
	text_reader_finish(tr);
	if (st)
		*st = *text_reader_stats(tr);
	text_reader_free(tr);
	return g;
}

struct digest {
	unsigned long n, sum; /* records, and a hash of all they say (text, line, stamp, message, cut) in order */
	unsigned long stop_at; /* ask to stop at this record (0: never) */
};

static int fold(void *ctx, const struct record *r)
{
	struct digest *d = ctx;
	size_t i;

	d->n++;
	d->sum = d->sum * 31 + r->line;
	d->sum = d->sum * 31 + (unsigned long)r->ts.ms * 7 + (unsigned long)r->ts.prov * 3 + (unsigned long)r->truncated;
	d->sum = d->sum * 31 + (unsigned long)(r->msg - r->text) + r->msg_len;
	for (i = 0; i < r->len; i++)
		d->sum = d->sum * 7 + (unsigned char)r->text[i];
	return d->n == d->stop_at;
}

/* The reader's counts, folded into a digest's sum. */
static unsigned long fold_counts(unsigned long sum, const struct text_stats *st)
{
	sum = sum * 31 + st->lines;
	sum = sum * 31 + st->nul_bytes;
	sum = sum * 31 + st->truncated;
	sum = sum * 31 + st->first_truncated_line;
	return sum * 31 + (unsigned long)st->day_first;
}

/* Feeds n bytes in blocks of k to a reader of record limit max (0: the default), through the
 * helper thread once pipe bytes are in (0: never).
 * *stopped: feed said stop, and at which block; *st (when not NULL): the reader's counts. With
 * rooms, each block is first written into the queue's free slot when the reader offers one
 * (text_reader_room, as scan.c inflates into it), *rooms counting the blocks fed from a slot. */
static struct digest run_feed(const void *data, size_t n, size_t k, size_t max, size_t pipe, unsigned long stop_at,
                              int *stopped, struct text_stats *st, unsigned long *rooms)
{
	struct digest d = {0, 0, stop_at};
	struct text_reader *tr = text_reader_new(max, fold, &d);
	size_t i;

	*stopped = 0;
	if (rooms)
		*rooms = 0;
	if (pipe)
		text_reader_pipeline(tr, pipe);
	for (i = 0; i < n && !*stopped; i += k) {
		size_t len = n - i < k ? n - i : k;
		const char *p = (const char *)data + i;
		char *room = rooms ? text_reader_room(tr, k) : NULL;

		if (room) {
			memcpy(room, p, len);
			p = room;
			++*rooms;
		}
		*stopped = text_reader_feed(tr, p, len) != 0;
	}
	*stopped |= (text_reader_finish(tr) != 0) << 1;
	if (st)
		*st = *text_reader_stats(tr);
	text_reader_free(tr);
	return d;
}

static struct digest run_pipe(const void *data, size_t n, size_t k, size_t pipe, unsigned long stop_at,
                              int *stopped, struct text_stats *st)
{
	return run_feed(data, n, k, 0, pipe, stop_at, stopped, st, NULL);
}

/* The helper thread gives the records the synchronous reader gives, in the same order, over many
 * more blocks than the queue holds (so either side sleeps and is woken), blocks copied into its
 * queue or written there in place; a stop asked by the callback ends the feeding and no record
 * comes after it. */
static void check_pipeline(void)
{
	struct buf text;
	struct digest sync, piped;
	unsigned long rooms;
	int i, st1, st2;

	buf_init(&text);
	for (i = 0; i < 60000; i++)
		buf_printf(&text, "2024-08-27 03:%02d:%02d [1] [DEBUG] < 12> line %d%s", i / 60 % 60, i % 60, i,
		           i % 3 ? "\r\n" : "\n");
	sync = run_pipe(text.p, text.len, 4093, 0, 0, &st1, NULL);
	piped = run_pipe(text.p, text.len, 4093, 1, 0, &st2, NULL);
	CHECK("pipe/same-records-in-order", sync.n == 60000 && piped.n == sync.n && piped.sum == sync.sum &&
	                                        !st1 && !st2);
	piped = run_pipe(text.p, text.len, 4093, 1 << 16, 0, &st2, NULL);
	CHECK("pipe/late-start-same-records", piped.n == sync.n && piped.sum == sync.sum);
	piped = run_pipe(text.p, text.len, 4093, 1, 20000, &st2, NULL);
	CHECK("pipe/stop-ends-feeding", piped.n == 20000 && (st2 & 1) && (st2 & 2));
	piped = run_feed(text.p, text.len, 4093, 0, 1, 0, &st2, NULL, &rooms);
	CHECK("pipe/written-in-place-same-records", piped.n == sync.n && piped.sum == sync.sum && !st2 &&
	                                                rooms + 1 >= text.len / 4093);
	piped = run_feed(text.p, text.len, 4093, 0, 1, 20000, &st2, NULL, &rooms);
	CHECK("pipe/written-in-place-stop-ends-feeding", piped.n == 20000 && (st2 & 1) && (st2 & 2));
	buf_reset(&text);
}

/* UTF-16 of both byte orders, long runs of ASCII broken by NULs, other scripts, surrogate pairs
 * and lone surrogates: fed a byte at a time every unit is decoded alone; fed in large blocks the
 * ASCII runs are taken eight units at a time. Both must read the same records, on the same line
 * numbers, with the same counts. */
static void check_utf16_runs(void)
{
	static const unsigned units[] = {'a', 'b', ' ', ':', '\n', '\r', 0, 0xe9, 0x20ac, 0xd83d, 0xde00, 0x7f, 0x80};
	unsigned char data[6002];
	unsigned seed = 3, bad = 0;
	int round;

	for (round = 0; round < 40; round++) {
		int be = round % 2;
		size_t n = 2, k;
		struct text_stats one, st;
		struct digest a, b;
		int stopped;
		unsigned long zeros = 0, last_zero = 0;

		data[0] = be ? 0xfe : 0xff;
		data[1] = be ? 0xff : 0xfe;
		while (n + 2 <= sizeof data) {
			unsigned u = rand_r(&seed) % 8 ? (unsigned)('a' + rand_r(&seed) % 26)
			                               : units[rand_r(&seed) % (sizeof units / sizeof units[0])];

			data[n + be] = (unsigned char)(u & 0xff);
			data[n + !be] = (unsigned char)(u >> 8);
			n += 2;
			zeros += u == 0;
			last_zero = u == 0;
		}
		if (round % 3 == 0) { /* an odd byte at the end: its unit is never read */
			n--;
			zeros -= last_zero;
		}
		a = run_pipe(data, n, 1, 0, 0, &stopped, &one);
		for (k = 4096; k >= 7; k = k / 3) {
			b = run_pipe(data, n, k, 0, 0, &stopped, &st);
			bad += a.n != b.n || a.sum != b.sum || one.nul_bytes != st.nul_bytes ||
			       one.bad_units != st.bad_units || a.n < 10 || one.nul_bytes != zeros || zeros == 0;
		}
	}
	CHECK("utf16/ascii-runs-read-as-one-unit-at-a-time", bad == 0);
}

/* Each NUL byte of UTF-8 text is counted once, wherever it is: in short lines, next to a line's
 * end, across blocks, and in a line longer than a record may be (its tail is cut, not unread). */
static void check_nuls_counted(void)
{
	struct buf text;
	unsigned seed = 17, bad = 0;
	unsigned long nuls = 0;
	size_t i, k;

	buf_init(&text);
	for (i = 0; i < 300000; i++) {
		unsigned r = (unsigned)rand_r(&seed) % 64;
		char c = r == 0 ? '\0' : r == 1 ? '\n' : r == 2 ? '\r' : (char)('a' + r % 26);

		if (i >= 100000 && i < 250000 && c != '\0') /* one line of 150 000 bytes */
			c = 'L';
		nuls += c == '\0';
		buf_add(&text, &c, 1);
	}
	for (k = 1; k <= text.len; k = k * 7 + 3) {
		struct text_stats st;
		int stopped;

		run_pipe(text.p, text.len, k, k > 1000 ? 1 : 0, 0, &stopped, &st);
		bad += st.nul_bytes != nuls;
	}
	CHECK("nul/each-counted-once", bad == 0 && nuls > 1000);
	buf_reset(&text);
}

/* A reading of the text in blocks of k, its records and counts as one digest. */
static struct digest read_digest(const char *data, size_t n, size_t k, size_t max, unsigned long stop_at)
{
	struct text_stats st;
	int stopped;
	struct digest d = run_feed(data, n, k, max, 0, stop_at, &stopped, &st, NULL);

	d.sum = fold_counts(d.sum, &st);
	return d;
}

/* An export's lines of every kind a block meets: openers in their spellings (and lines that only
 * look like one), keys, blanks, separators, continuation text, a line longer than the limit, a
 * NUL, and every line end (CRLF, LF, a lone CR). */
static void make_export(struct buf *t, unsigned seed, size_t lines)
{
	static const char *const kinds[] = {
	    "Date : 08/27/2024", "Date : 27.08.2024", "date: 08/28/2024", " Date : 08/27/2024", "\tDate : 08/27/2024",
	    "Date : 2024-08-27T06:41:22", "Date : soon", "Time : 06:41:##", "Time : 6:41:## PM", "Time: 07:00:00",
	    "Type : Warning", "Type : Information", "Source : csc_swgagent", "", "", "Description : WARN | Thread ## | x",
	    "Description : ", "description:", "continued C:\\ProgramData ##", "-----", "*****", "=", "Dx", "D",
	    "Event[0]:", "  Date: 2024-08-27T06:41:22.123", "text with a NUL", "long"};
	static const char *const ends[] = {"\r\n", "\r\n", "\r\n", "\n", "\r"};
	size_t i, k;

	for (i = 0; i < lines; i++) {
		unsigned r = (unsigned)rand_r(&seed);
		const char *kind = kinds[r % (sizeof kinds / sizeof kinds[0])];

		if (strcmp(kind, "long") == 0) {
			for (k = 0; k < 300 + r % 200; k++)
				buf_addc(t, (char)('a' + k % 26));
		} else if (strcmp(kind, "text with a NUL") == 0) {
			buf_adds(t, "text with");
			buf_addc(t, '\0');
			buf_adds(t, "a NUL");
		} else {
			for (k = 0; kind[k]; k++) /* "##": two digits that change */
				if (kind[k] == '#' && kind[k + 1] == '#')
					buf_printf(t, "%02u", (r >> 8) % 60), k++;
				else
					buf_addc(t, kind[k]);
		}
		buf_adds(t, ends[(r >> 16) % (sizeof ends / sizeof ends[0])]);
	}
}

/* The export's run of whole lines (frame_event.c's export_lines, taken when a fed block holds whole
 * lines) gives what its lines taken one by one give: the same text fed whole, in odd blocks, and a
 * byte at a time (every line then reaches the framer alone), with a record limit that cuts lines
 * and without, stopped early and not. */
static void check_export_runs(void)
{
	unsigned seed, bad = 0, runs = 0;

	for (seed = 1; seed <= 40; seed++) {
		struct buf t;
		size_t max = seed % 2 ? 0 : 256;
		unsigned long stop = seed % 5 == 0 ? 40 : 0;
		struct digest one, all, odd;

		buf_init(&t);
		buf_adds(&t, "Date : 08/27/2024\r\nTime : 06:41:22\r\nDescription : first\r\n\r\n");
		make_export(&t, seed, 2000);
		one = read_digest(t.p, t.len, 1, max, stop);
		all = read_digest(t.p, t.len, t.len, max, stop);
		odd = read_digest(t.p, t.len, 61 + seed * 17, max, stop);
		bad += all.n != one.n || all.sum != one.sum || odd.n != one.n || odd.sum != one.sum;
		runs += one.n > (stop ? stop - 1 : 100);
		buf_reset(&t);
	}
	CHECK("framer/export-runs-as-lines", bad == 0 && runs == 40);
}

int main(void)
{
	struct got g;
	struct text_stats st;
	static const char crlf[] = "2024-08-27 03:07:43 [8880] [DEBUG] < 12> a\r\n2024-08-27 03:07:48 b\rc\n\nlast";
	static const char u16[] = "\xff\xfe" "a\0b\0\r\0\n\0" "c\0";
	static const char u16be[] = "\xfe\xff" "\0x\0\n\0y";
	static const char nobom[] = "h\0e\0l\0l\0o\0\n\0w\0o\0r\0l\0d\0\n\0";
	static const char bad16[] = "\xff\xfe" "\x00\xd8" "a\0";
	static const char block[] =
	    "Date        : 08/27/2024\nTime        : 06:41:22\nType        : Warning\nSource      : csc_swgagent\n\n"
	    "Description : WARN | Thread 27cc | TCP handshake\ncontinued C:\\ProgramData\n\n"
	    "Date : 08/27/2024\nTime : 06:41:52\nDescription : second\n";
	static const char wevt[] = "Event[0]:\n  Log Name: Cisco\n  Date: 2024-08-27T06:41:22.123\n  Description: \nhello\n";
	static const char nul[] = "a\0b\nc\n";

	for (size_t k = 1; k <= 64; k *= 4) {
		char name[64];

		g = run(crlf, sizeof crlf - 1, k, 0, NULL);
		snprintf(name, sizeof name, "crlf/records-chunk%zu", k);
		CHECK(name, g.n == 5);
		snprintf(name, sizeof name, "crlf/lone-cr-chunk%zu", k);
		CHECK(name, strcmp(g.text[2], "c") == 0 && g.line[2] == 3);
		snprintf(name, sizeof name, "crlf/last-line-chunk%zu", k);
		CHECK(name, strcmp(g.text[4], "last") == 0 && g.line[4] == 5);
	}
	g = run(crlf, sizeof crlf - 1, 4096, 0, NULL);
	CHECK_STR("line/msg-after-time", g.msg[0], "[8880] [DEBUG] < 12> a");
	CHECK("line/time", g.ts[0].prov == TP_LOCAL);
	CHECK("line/untimed-inherits", g.ts[1].prov == TP_LOCAL && g.ts[1].ms != 0 && g.ts[2].ms == g.ts[1].ms);

	g = run(u16, sizeof u16 - 1, 3, 0, &st);
	CHECK("utf16le/encoding", st.encoding == ENC_UTF16LE);
	CHECK("utf16le/lines", g.n == 2 && strcmp(g.text[0], "ab") == 0 && strcmp(g.text[1], "c") == 0);
	g = run(u16be, sizeof u16be - 1, 1, 0, &st);
	CHECK("utf16be/lines", st.encoding == ENC_UTF16BE && g.n == 2 && strcmp(g.text[1], "y") == 0);
	g = run(nobom, sizeof nobom - 1, 5, 0, &st);
	CHECK("utf16-nobom/detected", st.encoding == ENC_UTF16LE && g.n == 2 && strcmp(g.text[1], "world") == 0);
	g = run(bad16, sizeof bad16 - 1, 1, 0, &st);
	CHECK("utf16/unpaired-surrogate", st.bad_units == 1 && g.n == 1 && strcmp(g.text[0], "\xef\xbf\xbd" "a") == 0);
	g = run("\xef\xbb\xbfx\n", 5, 2, 0, &st);
	CHECK("utf8-bom/skipped", st.encoding == ENC_UTF8_BOM && strcmp(g.text[0], "x") == 0);

	g = run(block, sizeof block - 1, 7, 0, &st);
	CHECK("block/two-records", g.n == 2);
	CHECK_STR("block/msg", g.msg[0], "WARN | Thread 27cc | TCP handshake\ncontinued C:\\ProgramData");
	CHECK("block/line", g.line[0] == 1 && g.line[1] == 9);
	CHECK("block/time", g.ts[1].prov == TP_LOCAL && g.ts[1].ms - g.ts[0].ms == 30000);
	g = run(wevt, sizeof wevt - 1, 3, 0, &st);
	CHECK("wevtutil/one-record", g.n == 1 && g.ts[0].prov == TP_LOCAL);
	CHECK_STR("wevtutil/msg", g.msg[0], "hello");

	{
		/* a date that does not parse ("2024/08/27": its first field is above 12) must not make
		 * the file day/month: the next block's 08/09 is still August 9 */
		static const char odd[] = "Date : 2024/08/27\nTime : 06:41:22\nDescription : odd\n\n"
		                          "Date : 08/09/2024\nTime : 06:41:22\nDescription : second\n";
		static const char plain[] = "Date : 08/09/2024\nTime : 06:41:22\nDescription : second\n";
		struct got alone = run(plain, sizeof plain - 1, 7, 0, NULL);

		g = run(odd, sizeof odd - 1, 7, 0, &st);
		CHECK("block/unparsed-date-decides-nothing", g.n == 2 && !st.day_first && g.ts[1].prov == TP_LOCAL &&
		                                                 g.ts[1].ms == alone.ts[0].ms);
	}

	{
		/* the framer is chosen by the first line some framer claims: lines before it are lines */
		static const char pre[] = "Exported by DART\n\nDate : 08/27/2024\nTime : 06:41:22\nDescription : x\n";
		static const char in_export[] = "Date : 08/27/2024\nTime : 06:41:22\nDescription : x\nEvent[0]: quoted\n";
		static const char in_wevt[] = "Event[0]:\n  Date: 2024-08-27T06:41:22.123\n  Description: \nDate : 08/27/2024 q\n";
		struct buf late;
		int i;

		g = run(pre, sizeof pre - 1, 1, 0, NULL);
		CHECK("framer/preamble-lines-then-blocks", g.n == 3 && strcmp(g.text[0], "Exported by DART") == 0 &&
		                                               g.line[2] == 3 && strcmp(g.msg[2], "x") == 0);
		g = run(in_export, sizeof in_export - 1, 5, 0, NULL);
		CHECK("framer/export-is-not-wevtutil", g.n == 1 && strstr(g.msg[0], "Event[0]: quoted") != NULL);
		g = run(in_wevt, sizeof in_wevt - 1, 5, 0, NULL);
		CHECK("framer/wevtutil-is-not-export", g.n == 1 && g.ts[0].prov == TP_LOCAL);
		/* a plugin log quoting an export line past the bid window stays lines: the lines after
		 * the quote keep their own records and times (once, they became one untimed block) */
		buf_init(&late);
		for (i = 0; i < BID_LINES + 6; i++)
			buf_printf(&late, "2024-08-27 03:%02d:00 [1] [DEBUG] < 12> line %d\n", i % 60, i);
		buf_printf(&late, "Date : 08/27/2024   Time : 03:10:00   Type : Warning\n");
		buf_printf(&late, "2024-08-27 04:11:00 [1] [DEBUG] < 12> after the quote\n");
		g = run(late.p, late.len, 100, 0, NULL);
		CHECK("framer/late-quote-stays-lines", g.n == BID_LINES + 8 &&
		                                           strcmp(g.last, "2024-08-27 04:11:00 [1] [DEBUG] < 12> after the quote") == 0);
		CHECK("framer/late-quote-keeps-times", g.last_ts.prov == TP_LOCAL && g.last_ts.ms - g.ts[0].ms == 11 * 60000 + 3600000);
		buf_reset(&late);
	}
	{
		/* an export written in another locale's date is an export all the same */
		static const char dotted[] = "Date : 27.08.2024\nTime : 06:41:22\nDescription : first\n\n"
		                             "Date : 27.08.2024\nTime : 06:41:52\nDescription : second\n";

		static const char both_ways[] = "Date : 03/09/2024\nTime : 06:41:22\nDescription : a\n\n"
		                                "Date : 03/09/2024\nTime : 06:41:52\nDescription : b\n";

		g = run(both_ways, sizeof both_ways - 1, 6, 0, &st);
		CHECK("dates/unproven", g.n == 2 && st.ambiguous_dates && !st.month_first_proven && !st.day_first);
		g = run(block, sizeof block - 1, 6, 0, &st);
		CHECK("dates/month-first-proven", st.month_first_proven && !st.ambiguous_dates);
		g = run(dotted, sizeof dotted - 1, 6, 0, &st);
		CHECK("framer/dotted-dates-blocks", g.n == 2 && strcmp(g.msg[1], "second") == 0 && g.line[1] == 5);
		CHECK("framer/dotted-dates-times", g.ts[1].prov == TP_LOCAL && g.ts[1].ms - g.ts[0].ms == 30000 &&
		                                       !st.day_first);
	}

	g = run(nul, sizeof nul - 1, 1, 0, &st);
	CHECK("nul/kept", g.n == 2 && st.nul_bytes == 1);

	{
		/* an export's blocks reuse the last stamp when their date and time read the same: one
		 * that differs in any byte -- first, middle or last of a time of 8 to 24 -- is parsed */
		static const char memo[] = "Date : 08/27/2024\nTime : 6:41:22 AM\nDescription : a\n\n"
		                           "Date : 08/27/2024\nTime : 6:41:22 AM\nDescription : b\n\n"
		                           "Date : 08/27/2024\nTime : 6:41:23 AM\nDescription : c\n\n"
		                           "Date : 08/27/2024\nTime : 6:41:23 PM\nDescription : d\n\n"
		                           "Date : 08/27/2024\nTime : 7:41:23 PM\nDescription : e\n\n"
		                           "Date : 08/28/2024\nTime : 7:41:23 PM\nDescription : f\n\n"
		                           "Date : 08/28/2024\nTime : 07:41:23.2500000 PM\nDescription : g\n\n"
		                           "Date : 08/28/2024\nTime : 07:41:23.7500000 PM\nDescription : h\n\n"
		                           "Date : 08/28/2024\nTime : 07:61:23 PM\nDescription : no time\n";
		static const long want[] = {0, 0, 1000, 43201000L, 46801000L, 133201000L, 133201250L, 133201750L};
		int k, ok;

		g = run(memo, sizeof memo - 1, 7, 0, &st);
		for (k = 0, ok = g.n == 9; k < 8 && ok; k++)
			ok = g.ts[k].prov != TP_NONE && g.ts[k].ms - g.ts[0].ms == want[k];

		CHECK("framer/export-stamp-memo", ok);
		/* a time that does not read, on the memo's date: untimed, so the moment before it */
		CHECK("framer/export-stamp-memo-bad-time", g.last_ts.ms - g.ts[0].ms == want[7]);
	}

	{
		char *big = malloc(10000);

		memset(big, 'x', 9999);
		big[9999] = '\n';
		g = run(big, 10000, 333, 100, &st);
		CHECK("limit/cut", g.n == 1 && g.cut[0] && strlen(g.text[0]) == 100 && st.truncated == 1);
		free(big);
	}
	check_pipeline();
	check_utf16_runs();
	check_nuls_counted();
	check_export_runs();
	return check_failed != 0;
}
