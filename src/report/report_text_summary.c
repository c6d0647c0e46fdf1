/* report_text_summary: the end of a text report of many bundles -- the summary table (a row per
 * bundle), the totals per finding id and, with --group-by, the groups. report_text.c hands it each
 * result as it is reported. */
#include <stdlib.h>
#include <string.h>

#include "escape.h"
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

/* How long the top finding has lasted, and whether it still does: "12 min, ongoing". */
static char *row_for(const struct report_row *r)
{
	if (r->lasted == NULL)
		return NULL;
	return xasprintf("%s%s", r->lasted, r->ongoing == 1 ? ", ongoing" : r->ongoing == 0 ? ", ended" : "");
}

/* The summary's columns: the bundle, one per lane of component_table, then these. */
enum { COL_STATUS, COL_TOP, COL_SEV, COL_SINCE, COL_FOR, COL_HOST, COL_ORG, COL_CLIENT, COL_COLLECTED, COL_BEFORE,
       N_TAIL };
static const char *const tail_names[N_TAIL] = {"status", "top finding", "severity", "since", "for", "host",
                                               "organisation", "client", "collected", "last failure"};
#define MAX_COLS (1 + COMPONENT_MAX + N_TAIL)

static size_t ncols(void)
{
	return 1 + component_n + N_TAIL;
}

static const char *col_name(size_t c)
{
	if (c == 0)
		return "bundle";
	return c <= component_n ? component_table[c - 1].name : tail_names[c - 1 - component_n];
}

/* Row r's cells, escaped for the terminal (each freed by the caller); "-" for what is unknown. */
static void row_cells(const struct report_row *r, char *cell[MAX_COLS])
{
	const char *v[MAX_COLS], **tail = v + 1 + component_n;
	char *lasted = row_for(r);
	size_t i;

	v[0] = r->shown;
	for (i = 0; i < component_n; i++)
		v[1 + i] = r->states[i];
	tail[COL_STATUS] = scan_status_name(r->status);
	tail[COL_TOP] = r->top;
	tail[COL_SEV] = r->top ? severity_name(r->sev) : NULL;
	tail[COL_SINCE] = r->since;
	tail[COL_FOR] = lasted;
	tail[COL_HOST] = r->host;
	tail[COL_ORG] = r->org;
	tail[COL_CLIENT] = r->client;
	tail[COL_COLLECTED] = r->collected;
	tail[COL_BEFORE] = r->before;
	for (i = 0; i < ncols(); i++) {
		struct buf b;

		buf_init(&b);
		escape_adds(&b, v[i] ? v[i] : "-", ESC_TERM);
		cell[i] = buf_steal(&b);
	}
	free(lasted);
}

static void print_table(struct report_text_summary *s)
{
	size_t i, c, w[MAX_COLS];
	char *(*cells)[MAX_COLS] = xcalloc(s->rows.n, sizeof *cells);

	for (c = 0; c < ncols(); c++)
		w[c] = strlen(col_name(c));
	for (i = 0; i < s->rows.n; i++) {
		row_cells(&s->rows.v[i], cells[i]);
		for (c = 0; c < ncols(); c++)
			if (strlen(cells[i][c]) > w[c])
				w[c] = strlen(cells[i][c]);
	}
	fprintf(s->out, "\nsummary of %zu bundles\n ", s->rows.n);
	for (c = 0; c < ncols(); c++)
		fprintf(s->out, " %-*s ", (int)w[c], col_name(c));
	fputs(" verdict\n", s->out);
	for (i = 0; i < s->rows.n; i++) {
		const struct report_row *r = &s->rows.v[i];

		fputc(' ', s->out);
		for (c = 0; c < ncols(); c++) {
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
