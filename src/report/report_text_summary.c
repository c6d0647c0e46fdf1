/* report_text_summary: the end of a text report of many bundles -- the summary table (a row per
 * bundle), the totals per finding id and, with --group-by, the groups. report_text.c hands it each
 * result as it is reported. */
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "report_columns.h"
#include "report_in.h"

static void count_finding(struct report_text_summary *s, const char *id)
{
	size_t i;

	for (i = 0; i < s->ntally; i++)
		if (strcmp(s->tally[i].id, id) == 0) {
			s->tally[i].n++;
			return;
		}
	s->tally = xgrow(s->tally, &s->captally, s->ntally + 1, sizeof *s->tally);
	s->tally[s->ntally].id = id;
	s->tally[s->ntally++].n = 1;
}

void report_text_summary_add(struct report_text_summary *s, const struct scan_result *res)
{
	size_t i;

	report_rows_add(&s->rows, res);
	for (i = 0; i < res->diag.nf; i++) { /* bundles: one failing on both stacks is one */
		size_t k;

		for (k = 0; k < i && res->diag.f[k].rule != res->diag.f[i].rule; k++)
			;
		if (k == i)
			count_finding(s, res->diag.f[i].rule->id);
	}
}

static int cmp_tally(const void *a, const void *b)
{
	const struct report_text_tally *x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->id, y->id);
}

#define MAX_COLS (RC_N + COMPONENT_MAX)

/* Row r's cells in the text layout (report_columns.c), escaped for the terminal (each freed by
 * the caller); "-" for what is unknown. */
static void row_cells(const struct report_row *r, const struct report_cell_ref *refs, size_t n, char **cell)
{
	char tmp[REPORT_CELL_MAX];
	size_t i;

	for (i = 0; i < n; i++) {
		const char *v = report_cell_value(&refs[i], r, report_layout_text.iso, tmp);
		struct buf b;

		buf_init(&b);
		escape_adds(&b, v ? v : "-", ESC_TERM);
		cell[i] = buf_steal(&b);
	}
}

static void print_table(struct report_text_summary *s)
{
	struct report_cell_ref refs[MAX_COLS];
	size_t i, c, w[MAX_COLS], ncols = report_layout_spread(&report_layout_text, refs);
	char *(*cells)[MAX_COLS] = xcalloc(s->rows.n, sizeof *cells);

	for (c = 0; c < ncols; c++)
		w[c] = strlen(report_cell_label(&refs[c]));
	for (i = 0; i < s->rows.n; i++) {
		row_cells(&s->rows.v[i], refs, ncols, cells[i]);
		for (c = 0; c < ncols; c++)
			if (strlen(cells[i][c]) > w[c])
				w[c] = strlen(cells[i][c]);
	}
	fprintf(s->out, "\nsummary of %zu bundles\n ", s->rows.n);
	for (c = 0; c < ncols; c++)
		fprintf(s->out, " %-*s ", (int)w[c], report_cell_label(&refs[c]));
	fprintf(s->out, " %s\n", report_columns[RC_VERDICT].label); /* a sentence: last, unpadded */
	for (i = 0; i < s->rows.n; i++) {
		const struct report_row *r = &s->rows.v[i];

		fputc(' ', s->out);
		for (c = 0; c < ncols; c++) {
			fprintf(s->out, " %-*s ", (int)w[c], cells[i][c]);
			free(cells[i][c]);
		}
		fputc(' ', s->out);
		escape_put_term(s->out, r->verdict);
		if (r->problems)
			fprintf(s->out, "  (%lu problem%s)", r->problems, r->problems == 1 ? "" : "s");
		fputc('\n', s->out);
	}
	free(cells);
	sort_array(s->tally, s->ntally, sizeof *s->tally, cmp_tally);
	fputs("\nfindings by id (bundles with each; duplicates counted once)\n", s->out);
	for (i = 0; i < s->ntally; i++)
		fprintf(s->out, "  %6lu  %s\n", s->tally[i].n, s->tally[i].id);
	if (s->ntally == 0)
		fputs("  none\n", s->out);
	fprintf(s->out, "%lu bundle%s could not be read\n", s->errors, s->errors == 1 ? "" : "s");
	if (s->dups) /* their findings are counted once above, as the bundles they repeat */
		fprintf(s->out, "%lu duplicate%s, not scanned again\n", s->dups, s->dups == 1 ? "" : "s");
	if (s->o->baseline)
		fprintf(s->out, "%lu bundle%s message shapes the baseline does not know\n", s->with_new,
		        s->with_new == 1 ? " shows" : "s show");
}

/* --group-by: one line per group, largest first: its size, its key, its bundles. */
static void print_groups(struct report_text_summary *s)
{
	struct groups g;
	size_t i, k;

	report_groups(&g, &s->rows, s->o->group_by);
	fprintf(s->out, "\ngroups by %s (duplicates counted once)\n", group_by_name(s->o->group_by));
	for (i = 0; i < g.n; i++) {
		fprintf(s->out, "  %6zu  ", g.v[i].n);
		escape_put_term(s->out, report_group_key(&g.v[i]));
		fputc(':', s->out);
		for (k = 0; k < g.v[i].n; k++) {
			fputs(k ? ", " : " ", s->out);
			escape_put_term(s->out, s->rows.v[g.v[i].items[k]].shown);
		}
		fputc('\n', s->out);
	}
	groups_reset(&g);
}

void report_text_summary_emit(struct report_text_summary *s)
{
	if (s->rows.n > 1)
		print_table(s);
	if (s->o->group_by)
		print_groups(s);
}

void report_text_summary_reset(struct report_text_summary *s)
{
	report_rows_reset(&s->rows);
	free(s->tally);
}
