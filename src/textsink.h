/* textsink: where a framer's records go (the sink, its stats, the clock jumps seen) and the helpers
 * the framers share; below text.c and every frame_*.c, calling neither. */
#ifndef DARTSCAN_TEXTSINK_H
#define DARTSCAN_TEXTSINK_H

#include "eol.h"
#include "text.h"

/* Where a framer's records go, and what it may know of the entry: the record limit, the stats. */
struct text_sink {
	size_t max_record;
	record_fn fn;
	void *ctx;
	struct text_stats st;
	struct stamp last_ts;
	struct stamp entry_time; /* when the entry was written (TP_NONE: unknown): the year of a
	                            timestamp written without one */
	int stop; /* the callback asked to stop */
};

/* Helpers of the client-log framers (frame_oslog.c, frame_journal.c, frame_json.c). */
/* After a record's head at s[i]: "process[pid]: ", "process[pid:tid] " or "process: " (a process
 * name has no blank). Returns where the message starts, 0 when s[i] opens none of them; *proc and
 * *plen get the process name. */
size_t text_after_process(const char *s, size_t n, size_t i, size_t *proc, size_t *plen);
/* Skips an os_log message's "(library) " and "[subsystem:category] " prefixes from s[i]. */
size_t text_skip_oslog_prefix(const char *s, size_t n, size_t i);
/* Blanks from s[i]. */
static inline size_t text_skip_blanks(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}
/* A non-blank word from s[i]: its end. */
static inline size_t text_word_end(const char *s, size_t n, size_t i)
{
	while (i < n && s[i] != ' ' && s[i] != '\t')
		i++;
	return i;
}
/* Emits one line as a record: its time, its message from s[msg] (the whole line is the text a
 * rule matches, the process with it). */
void text_emit_line(struct text_sink *out, const char *s, size_t n, unsigned long lineno, int cut,
                    const struct stamp *ts, size_t msg);

/* Passes a finished record on: untimed records take the time of the one before. Inline: it runs
 * once a record, and framers live in files of their own. */
/* Notes a clock jump between two records: rare, so not inline. */
void text_note_jump(struct text_sink *out, const struct stamp *before, const struct stamp *after);

#define HOUR_MS 3600000LL

static inline void text_emit(struct text_sink *out, struct record *r)
{
	if (r->ts.prov == TP_NONE)
		r->ts = out->last_ts; /* an untimed record belongs to the moment before it */
	else {
		if (out->last_ts.prov != TP_NONE) {
			/* stamps written with their offset are compared as instants: a DST change is no jump */
			int64_t d = r->ts.ms - out->last_ts.ms -
			            (r->ts.prov == TP_OFFSET ? (r->ts.off_min - out->last_ts.off_min) * 60000LL : 0);

			if (d < -TEXT_JITTER_MS || (d >= HOUR_MS && d < HOUR_MS + HOUR_MS / 6))
				text_note_jump(out, &out->last_ts, &r->ts);
		}
		/* stored only when it changes (framers start from zero; most logs never jump): after a
		 * two-byte store into r->ts the next whole read of it, here and in the record callback,
		 * waits for the store to land -- a store-forwarding stall, 40% of lines_line in perf */
		if (r->ts.seg != out->st.njumps)
			r->ts.seg = (uint16_t)out->st.njumps;
		out->last_ts = r->ts;
	}
	out->st.records++;
	if (r->truncated)
		out->st.truncated++;
	if (!out->stop && out->fn(out->ctx, r) != 0)
		out->stop = 1;
}

/* A framer's run of whole lines (struct framer's lines): the lines that open [s, s + n), each
 * handed to take as the reader would hand it to the framer's line, counted in out->st.lines; their
 * ends found 64 bytes at a time, not a call a line (an export's lines are about 24 bytes long, and
 * finding them one by one cost more than reading them). It stops before a line the reader must
 * take itself -- a NUL, a lone CR or one the block ends on, a line longer than the record limit,
 * one with no end in the block -- and once the callback asks to stop. Inline, with take a static
 * function of the framer's: the run then calls nothing per line. Returns the bytes taken. */
typedef void take_line_fn(struct text_sink *out, void *state, const char *s, size_t n, unsigned long lineno,
                          int cut);
static inline __attribute__((always_inline)) size_t text_take_lines(struct text_sink *out, void *state, const char *s,
                                                                    size_t n, take_line_fn *take)
{
	const char *p = s, *end = s + n, *w = s, *e, *next;
	int wide = eol_has_avx512();
	uint64_t m = eol_mask64(wide, w, end);

	while (!out->stop) {
		while (m == 0) {
			w += 64;
			if (w >= end)
				return (size_t)(p - s);
			m = eol_mask64(wide, w, end);
		}
		e = w + __builtin_ctzll(m);
		next = e + 1;
		if (*e == '\r' && next < end && *next == '\n')
			next++;
		else if (*e != '\n')
			break;
		if ((size_t)(e - p) > out->max_record)
			break;
		take(out, state, p, (size_t)(e - p), ++out->st.lines, 0);
		p = next;
		if (p - w < 64) {
			m &= ~(uint64_t)0 << (p - w);
		} else {
			w = p;
			m = p < end ? eol_mask64(wide, w, end) : 0;
		}
	}
	return (size_t)(p - s);
}

#endif
