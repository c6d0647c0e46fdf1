/* report_csv: -f csv, one header row and one row per bundle (errors and duplicates included), as
 * RFC 4180 says: CRLF line ends, every cell quoted, a quote doubled. A cell a spreadsheet would read
 * as a formula (one that begins with = + - @, or a tab or carriage return) gets a leading single
 * quote, as OWASP advises against CSV injection: a log line must not run in the reader's Excel. */
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "report.h"

struct csv_state {
	FILE *out;
	struct report_rows rows;
};

static const char *const columns[] = {"path", "status", "verdict", "dns_ipv4", "dns_ipv6", "web", "top_finding",
                                      "severity", "since", "lasted", "ongoing", "host", "organization_id",
                                      "client_version", "collected_at", "sha256", "duplicate_of", "error", NULL};

/* One cell: made valid UTF-8 without controls first (ESC_TEXT), then neutralised and quoted. */
static void put_cell(struct buf *line, const char *v, int first)
{
	struct buf b;
	size_t i;

	if (!first)
		buf_addc(line, ',');
	buf_addc(line, '"');
	if (v) {
		buf_init(&b);
		escape_adds(&b, v, ESC_TEXT);
		if (b.len && strchr("=+-@\t\r", b.p[0]))
			buf_addc(line, '\'');
		for (i = 0; i < b.len; i++) {
			if (b.p[i] == '"')
				buf_addc(line, '"');
			buf_addc(line, b.p[i]);
		}
		buf_reset(&b);
	}
	buf_addc(line, '"');
}

static void put_row(struct csv_state *s, const struct report_row *r)
{
	const char *v[sizeof columns / sizeof *columns];
	struct buf line;
	size_t i;

	v[0] = r->shown;
	v[1] = scan_status_name(r->status);
	v[2] = r->verdict;
	for (i = 0; i < N_COMPONENTS; i++)
		v[3 + i] = r->states[i];
	v[6] = r->top;
	v[7] = r->top ? severity_name(r->sev) : NULL;
	v[8] = r->since;
	v[9] = r->lasted;
	v[10] = r->ongoing < 0 ? NULL : r->ongoing ? "true" : "false";
	v[11] = r->host;
	v[12] = r->org;
	v[13] = r->client;
	v[14] = r->collected;
	v[15] = r->sha256;
	v[16] = r->duplicate_of;
	v[17] = r->error;
	buf_init(&line);
	for (i = 0; columns[i]; i++)
		put_cell(&line, v[i], i == 0);
	buf_adds(&line, "\r\n");
	fwrite(line.p, 1, line.len, s->out);
	buf_reset(&line);
}

static void *csv_new(FILE *out, const struct report_opts *o)
{
	struct csv_state *s = xcalloc(1, sizeof *s);
	size_t i;

	(void)o;
	s->out = out;
	for (i = 0; columns[i]; i++)
		fprintf(out, "%s%s", i ? "," : "", columns[i]);
	fputs("\r\n", out);
	return s;
}

/* Rows go out as bundles come (a case store's CSV is not held); the rows are kept for the
 * duplicates, whose cells repeat the bundle they duplicate. */
static void csv_bundle(void *vp, const struct scan_result *res)
{
	struct csv_state *s = vp;

	report_rows_add(&s->rows, res);
	put_row(s, &s->rows.v[s->rows.n - 1]);
}

static void csv_end(void *vp)
{
	(void)vp;
}

static void csv_free(void *vp)
{
	struct csv_state *s = vp;

	if (s == NULL)
		return;
	report_rows_reset(&s->rows);
	free(s);
}

const struct report_ops report_csv_ops = {"csv", csv_new, csv_bundle, csv_end, csv_free};
