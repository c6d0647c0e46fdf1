/* report_columns: the batch summary's columns in one table that the text, CSV, HTML and JSON
 * summaries all read -- each column's name (CSV's header, JSON's key), label (the text and HTML
 * headers) and value -- and per format a layout: which columns, in what order. */
#ifndef DARTSCAN_REPORT_COLUMNS_H
#define DARTSCAN_REPORT_COLUMNS_H

#include <stddef.h>

struct report_row;

enum report_col {
	RC_PATH, RC_STATES, RC_STATUS, RC_VERDICT, RC_VERDICT_CLASS, RC_TOP, RC_SEVERITY, RC_SINCE, RC_LASTED,
	RC_LASTED_S, RC_ONGOING, RC_FOR, RC_HOST, RC_ORG, RC_CLIENT, RC_COLLECTED, RC_BEFORE, RC_SHA256,
	RC_DUPLICATE, RC_ERROR, RC_N
};

/* How JSON writes a value (the others write its text). */
enum report_col_type { RCT_TEXT, RCT_INT, RCT_BOOL };

/* Room a value may be made in. */
#define REPORT_CELL_MAX 64

struct report_column {
	const char *name;  /* CSV's header, JSON's key: snake_case */
	const char *label; /* the text and HTML headers */
	enum report_col_type type;
	int per_lane; /* one column per lane of component_table, named and labelled by the lane; JSON
	                 gathers them in an object under name */
	/* Row r's value (lane: which lane, for a per_lane column), NULL when unknown; made in tmp when
	 * it is not a string of the row's. */
	const char *(*value)(const struct report_row *r, size_t lane, char *tmp);
	/* NULL, or the value as the sheet writes it: every time in CSV is ISO 8601. */
	const char *(*iso)(const struct report_row *r, size_t lane, char *tmp);
};
extern const struct report_column report_columns[RC_N];

struct report_layout {
	const char *format;
	const enum report_col *cols;
	size_t n;
	int iso; /* read by programs (CSV, JSON): a column's ISO form where it has one */
};
extern const struct report_layout report_layout_text, report_layout_csv, report_layout_html, report_layout_json;
/* Every layout, NULL-terminated (for tests). */
extern const struct report_layout *const report_layouts[];

/* One column of a layout with its per-lane columns spread out. */
struct report_cell_ref {
	const struct report_column *c;
	enum report_col id;
	size_t lane;
};
/* Layout l spread out to refs (room for RC_N + COMPONENT_MAX); returns how many. */
size_t report_layout_spread(const struct report_layout *l, struct report_cell_ref *refs);
const char *report_cell_name(const struct report_cell_ref *ref);
const char *report_cell_label(const struct report_cell_ref *ref);
/* The value, or with iso set the sheet's form where the column has one. */
const char *report_cell_value(const struct report_cell_ref *ref, const struct report_row *r, int iso, char *tmp);

#endif
