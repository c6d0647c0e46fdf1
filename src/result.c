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

void scan_result_reset(struct scan_result *res)
{
	size_t i;

	diagnosis_reset(&res->diag);
	unexplained_reset(&res->unx);
	explain_free(res->explain);
	if (res->probe) {
		probe_reset(res->probe);
		free(res->probe);
	}
	if (res->capture) {
		capture_reset(res->capture);
		free(res->capture);
	}
	events_reset(&res->events);
	context_reset(&res->ctx);
	for (i = 0; i < res->nproblems; i++) {
		free(res->problems[i].entry);
		free(res->problems[i].msg);
	}
	free(res->problems);
	for (i = 0; i < res->nreasons; i++) {
		free(res->reasons[i].subject);
		free(res->reasons[i].text);
	}
	free(res->reasons);
	for (i = 0; i < res->nentries; i++) {
		free(res->entries[i].name);
		free(res->entries[i].log);
	}
	free(res->entries);
	free(res->path);
	free(res->rel_path);
	free(res->sha256);
	free(res->duplicate_of);
	free(res->named);
	clock_frame_reset(&res->frame);
	memset(res, 0, sizeof *res);
}

#define FIELD_ROW(member, side, utc, redact) \
	{#member, offsetof(struct scan_result, member), sizeof(((struct scan_result *)0)->member),                 \
	 _Alignof(__typeof__(((struct scan_result *)0)->member)), side, utc, redact},

static const struct result_field fields[] = {SCAN_RESULT_FIELDS(FIELD_ROW)};

const struct result_field *result_fields(size_t *n)
{
	*n = sizeof fields / sizeof *fields;
	return fields;
}
