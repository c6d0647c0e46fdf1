/* report_csv: -f csv, one header row and one row per bundle (errors and duplicates included), as
 * RFC 4180 says: CRLF line ends, every cell quoted, a quote doubled. A cell a spreadsheet would read
 * as a formula (one that begins with = + - @, or a tab or carriage return) gets a leading single
 * quote, as OWASP advises against CSV injection: a log line must not run in the reader's Excel. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "report_in.h"

struct csv_state {
	FILE *out;
	struct report_rows rows;
};

/* The columns: these, then one per lane of component_table, then the rest. */
enum { HEAD_PATH, HEAD_STATUS, HEAD_VERDICT, N_HEAD };
static const char *const head_columns[N_HEAD] = {"path", "status", "verdict"};
enum { TAIL_TOP, TAIL_SEV, TAIL_SINCE, TAIL_LASTED, TAIL_ONGOING, TAIL_HOST, TAIL_ORG, TAIL_CLIENT, TAIL_COLLECTED,
       TAIL_SHA256, TAIL_DUPLICATE, TAIL_ERROR, N_TAIL };
static const char *const tail_columns[N_TAIL] = {"top_finding", "severity", "since", "lasted_s", "ongoing", "host",
                                                 "organization_id", "client_version", "collected_at", "sha256",
                                                 "duplicate_of", "error"};
#define MAX_COLUMNS (N_HEAD + COMPONENT_MAX + N_TAIL)

static size_t ncolumns(void)
{
	return N_HEAD + component_n + N_TAIL;
}

/* Column c's name (c below ncolumns()). */
static const char *column_name(size_t c)
{
	if (c < N_HEAD)
		return head_columns[c];
	if (c < N_HEAD + component_n)
		return component_table[c - N_HEAD].name;
	return tail_columns[c - N_HEAD - component_n];
}

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
	const char *v[MAX_COLUMNS], **tail = v + N_HEAD + component_n;
	struct buf line;
	size_t i;
	char lasted[24];

	/* seconds, so that a sheet sorts and adds them */
	snprintf(lasted, sizeof lasted, "%lld", (long long)(r->lasted_ms / 1000));
	v[HEAD_PATH] = r->shown;
	v[HEAD_STATUS] = scan_status_name(r->status);
	v[HEAD_VERDICT] = r->verdict;
	for (i = 0; i < component_n; i++)
		v[N_HEAD + i] = r->states[i];
	tail[TAIL_TOP] = r->top;
	tail[TAIL_SEV] = r->top ? severity_name(r->sev) : NULL;
	tail[TAIL_SINCE] = r->since;
	tail[TAIL_LASTED] = r->lasted ? lasted : NULL;
	tail[TAIL_ONGOING] = r->ongoing < 0 ? NULL : r->ongoing ? "true" : "false";
	tail[TAIL_HOST] = r->host;
	tail[TAIL_ORG] = r->org;
	tail[TAIL_CLIENT] = r->client;
	tail[TAIL_COLLECTED] = r->collected_iso;
	tail[TAIL_SHA256] = r->sha256;
	tail[TAIL_DUPLICATE] = r->duplicate_of;
	tail[TAIL_ERROR] = r->error;
	buf_init(&line);
	for (i = 0; i < ncolumns(); i++)
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
	for (i = 0; i < ncolumns(); i++)
		fprintf(out, "%s%s", i ? "," : "", column_name(i));
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
