/* report_columns: the summary columns' table and the formats' layouts (report_columns.h). A new
 * column is a row here and its place in the layouts that show it. */
#include <stdio.h>

#include "report_columns.h"
#include "report_in.h"
#include "verdict.h"

/* A column whose value is a string field of the row as it is. */
#define ROW_TEXT(fn, field)                                                                 \
	static const char *fn(const struct report_row *r, size_t lane, char *tmp)           \
	{                                                                                   \
		(void)lane, (void)tmp;                                                      \
		return r->field;                                                            \
	}

ROW_TEXT(v_path, shown)
ROW_TEXT(v_verdict, verdict)
ROW_TEXT(v_top, top)
ROW_TEXT(v_since, since)
ROW_TEXT(v_lasted, lasted)
ROW_TEXT(v_host, host)
ROW_TEXT(v_org, org)
ROW_TEXT(v_client, client)
ROW_TEXT(v_collected, collected)
ROW_TEXT(v_collected_iso, collected_iso)
ROW_TEXT(v_before, before)
ROW_TEXT(v_sha256, sha256)
ROW_TEXT(v_duplicate, duplicate_of)
ROW_TEXT(v_error, error)

static const char *v_state(const struct report_row *r, size_t lane, char *tmp)
{
	(void)tmp;
	return r->states[lane];
}

static const char *v_status(const struct report_row *r, size_t lane, char *tmp)
{
	(void)lane, (void)tmp;
	return scan_status_name(r->status);
}

static const char *v_verdict_class(const struct report_row *r, size_t lane, char *tmp)
{
	(void)lane, (void)tmp;
	return verdict_class_name(r->verdict_class);
}

static const char *v_severity(const struct report_row *r, size_t lane, char *tmp)
{
	(void)lane, (void)tmp;
	return r->top ? severity_name(r->sev) : NULL;
}

/* seconds, so that a sheet sorts and adds them */
static const char *v_lasted_s(const struct report_row *r, size_t lane, char *tmp)
{
	(void)lane;
	if (r->lasted == NULL)
		return NULL;
	snprintf(tmp, REPORT_CELL_MAX, "%lld", (long long)(r->lasted_ms / 1000));
	return tmp;
}

static const char *v_ongoing(const struct report_row *r, size_t lane, char *tmp)
{
	(void)lane, (void)tmp;
	return r->ongoing < 0 ? NULL : r->ongoing ? "true" : "false";
}

/* How long the top finding has lasted, and whether it still does: "12 min, ongoing". */
static const char *v_for(const struct report_row *r, size_t lane, char *tmp)
{
	(void)lane;
	if (r->lasted == NULL)
		return NULL;
	snprintf(tmp, REPORT_CELL_MAX, "%s%s", r->lasted,
	         r->ongoing == 1 ? ", ongoing" : r->ongoing == 0 ? ", ended" : "");
	return tmp;
}

const struct report_column report_columns[RC_N] = {
    [RC_PATH] = {"path", "bundle", RCT_TEXT, 0, v_path, NULL},
    [RC_STATES] = {"states", "states", RCT_TEXT, 1, v_state, NULL},
    [RC_STATUS] = {"status", "status", RCT_TEXT, 0, v_status, NULL},
    [RC_VERDICT] = {"verdict", "verdict", RCT_TEXT, 0, v_verdict, NULL},
    [RC_VERDICT_CLASS] = {"verdict_class", "verdict class", RCT_TEXT, 0, v_verdict_class, NULL},
    [RC_TOP] = {"top_finding", "top finding", RCT_TEXT, 0, v_top, NULL},
    [RC_SEVERITY] = {"severity", "severity", RCT_TEXT, 0, v_severity, NULL},
    [RC_SINCE] = {"since", "since", RCT_TEXT, 0, v_since, NULL},
    [RC_LASTED] = {"lasted", "lasted", RCT_TEXT, 0, v_lasted, NULL},
    [RC_LASTED_S] = {"lasted_s", "lasted (s)", RCT_INT, 0, v_lasted_s, NULL},
    [RC_ONGOING] = {"ongoing", "ongoing", RCT_BOOL, 0, v_ongoing, NULL},
    [RC_FOR] = {"lasted_course", "for", RCT_TEXT, 0, v_for, NULL},
    [RC_HOST] = {"host", "host", RCT_TEXT, 0, v_host, NULL},
    [RC_ORG] = {"organization_id", "organisation", RCT_TEXT, 0, v_org, NULL},
    [RC_CLIENT] = {"client_version", "client", RCT_TEXT, 0, v_client, NULL},
    [RC_COLLECTED] = {"collected_at", "collected", RCT_TEXT, 0, v_collected, v_collected_iso},
    [RC_BEFORE] = {"last_failure_before", "last failure", RCT_TEXT, 0, v_before, NULL},
    [RC_SHA256] = {"sha256", "sha256", RCT_TEXT, 0, v_sha256, NULL},
    [RC_DUPLICATE] = {"duplicate_of", "duplicate of", RCT_TEXT, 0, v_duplicate, NULL},
    [RC_ERROR] = {"error", "error", RCT_TEXT, 0, v_error, NULL},
};

/* The layouts. Text ends each row with the verdict, HTML puts it under the row: a sentence, not
 * a column. */
static const enum report_col text_cols[] = {RC_PATH, RC_STATES, RC_STATUS, RC_TOP, RC_SEVERITY, RC_SINCE,
                                            RC_FOR, RC_HOST, RC_ORG, RC_CLIENT, RC_COLLECTED, RC_BEFORE};
static const enum report_col csv_cols[] = {RC_PATH, RC_STATUS, RC_VERDICT, RC_STATES, RC_TOP, RC_SEVERITY,
                                           RC_SINCE, RC_LASTED_S, RC_ONGOING, RC_HOST, RC_ORG, RC_CLIENT,
                                           RC_COLLECTED, RC_SHA256, RC_DUPLICATE, RC_ERROR};
static const enum report_col html_cols[] = {RC_PATH, RC_HOST, RC_ORG, RC_CLIENT, RC_COLLECTED,
                                            RC_STATES, RC_STATUS, RC_SINCE, RC_TOP};
static const enum report_col json_cols[] = {RC_PATH, RC_STATUS, RC_HOST, RC_ORG, RC_CLIENT, RC_COLLECTED,
                                            RC_VERDICT, RC_VERDICT_CLASS, RC_STATES, RC_TOP, RC_SEVERITY,
                                            RC_SINCE, RC_LASTED, RC_LASTED_S, RC_ONGOING, RC_SHA256,
                                            RC_DUPLICATE, RC_ERROR};
#define LAYOUT(fmt, a, iso) {fmt, a, sizeof a / sizeof *a, iso}
const struct report_layout report_layout_text = LAYOUT("text", text_cols, 0);
const struct report_layout report_layout_csv = LAYOUT("csv", csv_cols, 1);
const struct report_layout report_layout_html = LAYOUT("html", html_cols, 0);
const struct report_layout report_layout_json = LAYOUT("json", json_cols, 1);
const struct report_layout *const report_layouts[] = {&report_layout_text, &report_layout_csv, &report_layout_html,
                                                      &report_layout_json, NULL};

size_t report_layout_spread(const struct report_layout *l, struct report_cell_ref *refs)
{
	size_t i, k, n = 0;

	for (i = 0; i < l->n; i++) {
		const struct report_column *c = &report_columns[l->cols[i]];

		for (k = 0; k < (c->per_lane ? component_n : 1); k++) {
			refs[n].c = c;
			refs[n].id = l->cols[i];
			refs[n++].lane = k;
		}
	}
	return n;
}

const char *report_cell_name(const struct report_cell_ref *ref)
{
	return ref->c->per_lane ? component_table[ref->lane].name : ref->c->name;
}

const char *report_cell_label(const struct report_cell_ref *ref)
{
	return ref->c->per_lane ? component_table[ref->lane].name : ref->c->label;
}

const char *report_cell_value(const struct report_cell_ref *ref, const struct report_row *r, int iso, char *tmp)
{
	if (iso && ref->c->iso)
		return ref->c->iso(r, ref->lane, tmp);
	return ref->c->value(r, ref->lane, tmp);
}
