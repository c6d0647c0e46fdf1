/* report_csv: -f csv, one header row and one row per bundle (errors and duplicates included), as
 * RFC 4180 says: CRLF line ends, every cell quoted, a quote doubled. A cell a spreadsheet would read
 * as a formula (one that begins with = + - @, or a tab or carriage return) gets a leading single
 * quote, as OWASP advises against CSV injection: a log line must not run in the reader's Excel. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "report_columns.h"
#include "report_in.h"

struct csv_state {
	FILE *out;
	struct report_rows rows;
};

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

/* The cells of the CSV layout (report_columns.c), each time in ISO 8601. */
static void put_row(struct csv_state *s, const struct report_row *r)
{
	struct report_cell_ref refs[RC_N + COMPONENT_MAX];
	size_t i, n = report_layout_spread(&report_layout_csv, refs);
	struct buf line;
	char tmp[REPORT_CELL_MAX];

	buf_init(&line);
	for (i = 0; i < n; i++)
		put_cell(&line, report_cell_value(&refs[i], r, report_layout_csv.iso, tmp), i == 0);
	buf_adds(&line, "\r\n");
	fwrite(line.p, 1, line.len, s->out);
	buf_reset(&line);
}

static void *csv_new(FILE *out, const struct report_opts *o)
{
	struct csv_state *s = xcalloc(1, sizeof *s);
	struct report_cell_ref refs[RC_N + COMPONENT_MAX];
	size_t i, n = report_layout_spread(&report_layout_csv, refs);

	(void)o;
	s->out = out;
	for (i = 0; i < n; i++)
		fprintf(out, "%s%s", i ? "," : "", report_cell_name(&refs[i]));
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

const struct report_ops report_csv_ops = {"csv", csv_new, csv_bundle, csv_end, csv_free, 1};
