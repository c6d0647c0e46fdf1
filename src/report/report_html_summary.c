/* report_html_summary: the top of a batch's HTML page -- the summary table (a row per bundle,
 * each linking to its section, the verdict under it) and, with --group-by, the groups. Everything
 * from a bundle is escaped for HTML (escape.h's ESC_HTML). */
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "report_columns.h"
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

/* A cell of report_layout_html: the columns that carry markup (the link, a lane's state class,
 * the course, the severity badge) have it here; the rest are the table's text. */
static void html_cell(struct buf *b, const struct report_cell_ref *ref, const struct report_row *r, size_t i,
                      const char *name)
{
	char tmp[REPORT_CELL_MAX];
	const char *v = report_cell_value(ref, r, report_layout_html.iso, tmp), *cls;

	switch (ref->id) {
	case RC_PATH:
		buf_printf(b, "<td class=\"path\"><a href=\"#b-%zu\">", i + 1); /* bundles are numbered from 1 */
		esc(b, name);
		buf_adds(b, "</a></td>");
		return;
	case RC_STATES:
		cls = v ? report_css_state_class(v) : "";
		buf_printf(b, "<td><span class=\"st %s\">%s</span></td>", cls, v ? cls : "-");
		return;
	case RC_SINCE:
		buf_adds(b, "<td>");
		esc(b, v ? v : "-");
		if (r->lasted) {
			buf_adds(b, " for ");
			esc(b, r->lasted);
			buf_adds(b, r->ongoing == 1 ? ", <span class=\"ongoing\">ongoing</span>" : r->ongoing == 0 ? ", ended" : "");
		}
		buf_adds(b, "</td>");
		return;
	case RC_TOP:
		buf_adds(b, "<td>");
		if (v)
			buf_printf(b, "<span class=\"badge sev-%s\">%s</span> ", severity_name(r->sev), severity_name(r->sev));
		esc(b, v ? v : "-");
		buf_adds(b, "</td>");
		return;
	default:
		cell(b, v);
	}
}

/* The table a batch's page opens with: one row per bundle, linking to its section. */
static void html_summary(FILE *out, const struct report_rows *rows, char *const *names)
{
	struct report_cell_ref refs[RC_N + COMPONENT_MAX];
	size_t n = report_layout_spread(&report_layout_html, refs), i, c;

	fprintf(out, "<section class=\"summary\" id=\"summary\">\n<h2>Summary of %zu bundles</h2>\n"
	                "<table class=\"summary\">\n<thead><tr>",
	        rows->n);
	for (c = 0; c < n; c++)
		fprintf(out, "<th>%s</th>", report_cell_label(&refs[c]));
	fputs("</tr></thead>\n<tbody>\n", out);
	for (i = 0; i < rows->n; i++) {
		struct buf b;

		buf_init(&b);
		buf_adds(&b, "<tr>");
		for (c = 0; c < n; c++)
			html_cell(&b, &refs[c], &rows->v[i], i, names[i]);
		/* the verdict under the row, across it: a sentence, where a column would make the table too
		 * wide to read */
		buf_printf(&b, "</tr>\n<tr class=\"verdict\"><td></td><td colspan=\"%zu\">", n - 1);
		esc(&b, rows->v[i].verdict);
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
