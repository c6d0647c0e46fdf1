/* Unit tests for the summary columns' table: each column is whole, named once, and shown by some
 * format; each layout names real columns, once each, and belongs to a format dartscan has. */
#include <stdlib.h>

#include "check.h"
#include "report/report.h"
#include "report/report_columns.h"

static int is_snake(const char *s)
{
	if (s == NULL || *s < 'a' || *s > 'z')
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

static int shown_somewhere(enum report_col id)
{
	size_t l, i;

	for (l = 0; report_layouts[l]; l++)
		for (i = 0; i < report_layouts[l]->n; i++)
			if (report_layouts[l]->cols[i] == id)
				return 1;
	return 0;
}

static void check_columns(void)
{
	char what[96];
	size_t i, j;

	for (i = 0; i < RC_N; i++) {
		const struct report_column *c = &report_columns[i];

		snprintf(what, sizeof what, "column/%zu-%s-whole", i, c->name ? c->name : "?");
		CHECK(what, is_snake(c->name) && c->label && *c->label && c->value != NULL);
		for (j = 0; j < i; j++)
			if (c->name && report_columns[j].name && strcmp(c->name, report_columns[j].name) == 0)
				break;
		snprintf(what, sizeof what, "column/%s-named-once", c->name ? c->name : "?");
		CHECK(what, j == i);
		snprintf(what, sizeof what, "column/%s-shown", c->name ? c->name : "?");
		CHECK(what, shown_somewhere((enum report_col)i));
	}
}

static void check_layouts(void)
{
	const char *formats = report_formats();
	char what[96];
	size_t l, i, j;

	for (l = 0; report_layouts[l]; l++) {
		const struct report_layout *lay = report_layouts[l];
		int ok = lay->n > 0;

		for (i = 0; i < lay->n; i++) {
			ok &= lay->cols[i] < RC_N;
			for (j = 0; j < i; j++)
				ok &= lay->cols[j] != lay->cols[i];
		}
		snprintf(what, sizeof what, "layout/%s-columns-real-and-once", lay->format);
		CHECK(what, ok);
		snprintf(what, sizeof what, "layout/%s-a-format", lay->format);
		CHECK(what, strstr(formats, lay->format) != NULL);
	}
}

int main(void)
{
	check_columns();
	check_layouts();
	return check_failed != 0;
}
