/* report_html_summary: the top of a batch's HTML page -- the summary table (a row per bundle,
 * each linking to its section, the verdict under it) and, with --group-by, the groups. Everything
 * from a bundle is escaped for HTML (escape.h's ESC_HTML). */
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "report_css.h"
#include "report_in.h"

static void esc(struct buf *b, const char *s)
{
	if (s)
		escape_append(b, s, strlen(s), ESC_HTML);
}

/* A cell of untrusted text, "-" when unknown. */
static void cell(struct buf *b, const char *v)
{
	buf_adds(b, "<td>");
	esc(b, v ? v : "-");
	buf_adds(b, "</td>");
}

/* The summary's columns: bundle, host, organisation, client, collected, a lane each, status, since,
 * top finding. */
#define SUMMARY_COLS (8 + component_n)

/* The table a batch's page opens with: one row per bundle, linking to its section. */
static void html_summary(FILE *out, const struct report_rows *rows, char *const *names)
{
	size_t i, c;

	fprintf(out, "<section class=\"summary\" id=\"summary\">\n<h2>Summary of %zu bundles</h2>\n"
	                "<table class=\"summary\">\n<thead><tr><th>bundle</th><th>host</th><th>organisation</th>"
	                "<th>client</th><th>collected</th>",
	        rows->n);
	for (c = 0; c < component_n; c++)
		fprintf(out, "<th>%s</th>", component_table[c].name);
	fputs("<th>status</th><th>since</th><th>top finding</th></tr></thead>\n<tbody>\n", out);
	for (i = 0; i < rows->n; i++) {
		const struct report_row *r = &rows->v[i];
		const char *cls;
		struct buf b;

		buf_init(&b);
		buf_printf(&b, "<tr><td class=\"path\"><a href=\"#b-%zu\">", i + 1); /* bundles are numbered from 1 */
		esc(&b, names[i]);
		buf_adds(&b, "</a></td>");
		cell(&b, r->host);
		cell(&b, r->org);
		cell(&b, r->client);
		cell(&b, r->collected);
		for (c = 0; c < component_n; c++) {
			cls = r->states[c] ? report_css_state_class(r->states[c]) : "";
			buf_printf(&b, "<td><span class=\"st %s\">%s</span></td>", cls, r->states[c] ? cls : "-");
		}
		buf_printf(&b, "<td>%s</td><td>", scan_status_name(r->status));
		esc(&b, r->since ? r->since : "-");
		if (r->lasted) {
			buf_adds(&b, " for ");
			esc(&b, r->lasted);
			buf_adds(&b, r->ongoing == 1 ? ", <span class=\"ongoing\">ongoing</span>" : r->ongoing == 0 ? ", ended" : "");
		}
		buf_adds(&b, "</td><td>");
		if (r->top)
			buf_printf(&b, "<span class=\"badge sev-%s\">%s</span> ", severity_name(r->sev), severity_name(r->sev));
		esc(&b, r->top ? r->top : "-");
		/* the verdict under the row, across it: a sentence, where a column would make the table too
		 * wide to read */
		buf_printf(&b, "</td></tr>\n<tr class=\"verdict\"><td></td><td colspan=\"%zu\">", SUMMARY_COLS - 1);
		esc(&b, r->verdict);
		buf_adds(&b, "</td></tr>\n");
		fwrite(b.p, 1, b.len, out);
		buf_reset(&b);
	}
	fputs("</tbody>\n</table>\n</section>\n", out);
}

/* --group-by: one line per group, largest first, each bundle linking to its section. */
static void html_groups(FILE *out, const struct report_rows *rows, char *const *names, int by)
{
	struct groups g;
	struct buf b;
	size_t i, k;

	report_groups(&g, rows, by);
	buf_init(&b);
	buf_printf(&b, "<section class=\"groups\" id=\"groups\">\n<h2>Groups by %s</h2>\n<ul class=\"groups\">\n",
	           group_by_name(by));
	for (i = 0; i < g.n; i++) {
		buf_printf(&b, "<li><span class=\"num\">%zu</span> <code>", g.v[i].n);
		esc(&b, report_group_key(&g.v[i]));
		buf_adds(&b, "</code>:");
		for (k = 0; k < g.v[i].n; k++) {
			buf_printf(&b, "%s<a href=\"#b-%zu\">", k ? ", " : " ", g.v[i].items[k] + 1);
			esc(&b, names[g.v[i].items[k]]);
			buf_adds(&b, "</a>");
		}
		buf_adds(&b, "</li>\n");
	}
	buf_adds(&b, "</ul>\n</section>\n");
	fwrite(b.p, 1, b.len, out);
	buf_reset(&b);
	groups_reset(&g);
}

void report_html_summary_emit(FILE *out, const struct report_rows *rows, char *const *names, int group_by)
{
	if (rows->n > 1)
		html_summary(out, rows, names);
	if (group_by)
		html_groups(out, rows, names, group_by);
}
