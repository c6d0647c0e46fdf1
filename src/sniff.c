/* sniff: takes an entry no rule reads and counts the records in it that carry a line a lane rule
 * (one with a state:) knows. The rules are the vocabulary: a new state line in rules/ is one more
 * thing a log in a foreign format is recognised by. No event is kept: memory does not grow. */
#include <string.h>
#include <strings.h>

#include "sniff.h"
#include "text.h"
#include "util.h"

/* Text files by their extension: what a log, an export or a journal is saved as. A name with no
 * extension is looked at too (journal and unified-log exports are often saved so). */
static const char *const text_exts[] = {"txt", "log", "json", "ndjson", "csv", "out", "syslog", NULL};

int sniff_wanted(const char *base)
{
	const char *dot = strrchr(base, '.');
	size_t i;

	if (bundle_name_is_archive(base))
		return 0;
	if (dot == NULL || dot == base)
		return 1;
	for (i = 0; text_exts[i]; i++)
		if (strcasecmp(dot + 1, text_exts[i]) == 0)
			return 1;
	return 0;
}

struct sniff_run {
	struct sniff *s;
	struct matcher *m;
};

/* At most SNIFF_SAMPLE bytes of the record on one line, runs of blanks (a column layout) as one. */
static void quote_sample(char *out, const char *text, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len && n < SNIFF_SAMPLE; i++) {
		char c = text[i] == '\n' || text[i] == '\r' || text[i] == '\t' ? ' ' : text[i];

		if (c == ' ' && n > 0 && out[n - 1] == ' ')
			continue;
		out[n++] = c;
	}
	strcpy(out + n, i < len ? "..." : "");
}

static int on_record(void *vp, const struct record *r)
{
	struct sniff_run *run = vp;
	struct sniff *s = run->s;

	s->records++;
	if (matcher_record(run->m, r, NULL) < 0)
		return 0;
	if (s->hits++ == 0) {
		s->line = r->line;
		quote_sample(s->sample, r->text, r->len);
	}
	return 0;
}

int sniff_entry(struct sniff *s, struct bundle *b, struct matcher *m, size_t max_record, const char *prefix,
                size_t plen, struct ds_error *err)
{
	struct sniff_run run = {s, m};
	struct text_reader *tr;
	const void *p;
	ssize_t n;

	memset(s, 0, sizeof *s);
	matcher_begin_sniff(m);
	tr = text_reader_new(max_record, on_record, &run);
	if (plen)
		text_reader_feed(tr, prefix, plen);
	while ((n = bundle_read(b, &p, err)) > 0)
		text_reader_feed(tr, p, (size_t)n);
	text_reader_finish(tr);
	text_reader_free(tr);
	return n < 0 ? -1 : 0;
}
