/* result: the scan result's life -- made empty, freed whole -- apart from the stages that fill it,
 * so that a part read ahead (readahead.c) or decoded off the wire (wire.c) is made and freed without
 * calling back into scan.c. The result owns everything in it except the rules. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "probe.h"
#include "result.h"

void scan_result_init(struct scan_result *res, const char *path)
{
	memset(res, 0, sizeof *res);
	res->path = path ? xstrdup(path) : NULL;
	events_init(&res->events);
	context_init(&res->ctx);
}

/* What each owning row (owns 1 in result.h) holds; scan_result_reset calls them in the table's order. */
static void drop_path(struct scan_result *res)
{
	free(res->path);
}

static void drop_rel_path(struct scan_result *res)
{
	free(res->rel_path);
}

static void drop_sha256(struct scan_result *res)
{
	free(res->sha256);
}

static void drop_duplicate_of(struct scan_result *res)
{
	free(res->duplicate_of);
}

static void drop_problems(struct scan_result *res)
{
	size_t i;

	for (i = 0; i < res->nproblems; i++) {
		free(res->problems[i].entry);
		free(res->problems[i].msg);
	}
	free(res->problems);
}

static void drop_entries(struct scan_result *res)
{
	size_t i;

	for (i = 0; i < res->nentries; i++) {
		free(res->entries[i].name);
		free(res->entries[i].log);
	}
	free(res->entries);
}

static void drop_events(struct scan_result *res)
{
	events_reset(&res->events);
}

static void drop_ctx(struct scan_result *res)
{
	context_reset(&res->ctx);
}

static void drop_diag(struct scan_result *res)
{
	diagnosis_reset(&res->diag);
}

static void drop_unx(struct scan_result *res)
{
	unexplained_reset(&res->unx);
}

static void drop_explain(struct scan_result *res)
{
	explain_free(res->explain);
}

static void drop_capture(struct scan_result *res)
{
	if (res->capture) {
		capture_reset(res->capture);
		free(res->capture);
	}
}

static void drop_probe(struct scan_result *res)
{
	if (res->probe) {
		probe_reset(res->probe);
		free(res->probe);
	}
}

static void drop_frame(struct scan_result *res)
{
	clock_frame_reset(&res->frame);
}

static void drop_named(struct scan_result *res)
{
	free(res->named);
}

static void drop_reasons(struct scan_result *res)
{
	size_t i;

	for (i = 0; i < res->nreasons; i++) {
		free(res->reasons[i].subject);
		free(res->reasons[i].text);
	}
	free(res->reasons);
}

void scan_result_reset(struct scan_result *res)
{
#define DROP_ROW(member, side, owns, utc, redact) RESULT_IF(owns, drop_##member(res);)
	SCAN_RESULT_FIELDS(DROP_ROW)
#undef DROP_ROW
	memset(res, 0, sizeof *res);
}

#define FIELD_ROW(member, side, owns, utc, redact)                                                                 \
	{#member, offsetof(struct scan_result, member), sizeof(((struct scan_result *)0)->member),                 \
	 _Alignof(__typeof__(((struct scan_result *)0)->member)), side, owns, utc, redact},

static const struct result_field fields[] = {SCAN_RESULT_FIELDS(FIELD_ROW)};

const struct result_field *result_fields(size_t *n)
{
	*n = sizeof fields / sizeof *fields;
	return fields;
}
