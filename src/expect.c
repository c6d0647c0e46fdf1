/* expect: the file reads like a rule file -- "bundle: PATH" opens a stanza; "expect: ID",
 * "expect-not: ID" and "state: COMPONENT=STATE" follow. Comparison is by finding id at any
 * severity: a regression check is about what dartscan concludes, not about thresholds. */
#include "expect.h"
#include "output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void add_str(char ***v, size_t *n, size_t *cap, const char *s)
{
	*v = xgrow(*v, cap, *n + 1, sizeof **v);
	(*v)[(*n)++] = xstrdup(s);
}

void expect_reset(struct expect_set *es)
{
	size_t i;

	for (i = 0; i < es->n; i++) {
		free(es->b[i].path);
		free(es->b[i].resolved);
		strv_free(es->b[i].want, es->b[i].nwant);
		strv_free(es->b[i].want_not, es->b[i].nnot);
		strv_free(es->b[i].states, es->b[i].nstates);
	}
	free(es->b);
	free(es->file);
	memset(es, 0, sizeof *es);
}

static char *resolve(const char *file, const char *path)
{
	const char *slash = strrchr(file, '/');

	if (path[0] == '/' || slash == NULL)
		return xstrdup(path);
	return xasprintf("%.*s/%s", (int)(slash - file), file, path);
}

int expect_load(struct expect_set *es, const char *file, struct ds_error *err)
{
	FILE *f = fopen(file, "r");
	char line[4096];
	long lineno = 0;
	struct expect_bundle *cur = NULL;

	memset(es, 0, sizeof *es);
	es->file = xstrdup(file);
	if (f == NULL) {
		ds_error_set(err, file, 0, "%s", strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof line, f) != NULL) {
		char *t = trim(line), *colon, *v;

		lineno++;
		if (*t == '\0' || *t == '#')
			continue;
		colon = strchr(t, ':');
		if (colon == NULL) {
			ds_error_set(err, file, lineno, "expected 'key: value'");
			fclose(f);
			return -1;
		}
		*colon = '\0';
		v = trim(colon + 1);
		if (strcmp(t, "bundle") == 0) {
			es->b = xgrow(es->b, &es->cap, es->n + 1, sizeof *es->b);
			cur = &es->b[es->n++];
			memset(cur, 0, sizeof *cur);
			cur->path = xstrdup(v);
			cur->resolved = resolve(file, v);
		} else if (cur == NULL) {
			ds_error_set(err, file, lineno, "'%s' before the first 'bundle:'", t);
			fclose(f);
			return -1;
		} else if (strcmp(t, "expect") == 0) {
			add_str(&cur->want, &cur->nwant, &cur->capwant, v);
		} else if (strcmp(t, "expect-not") == 0) {
			add_str(&cur->want_not, &cur->nnot, &cur->capnot, v);
		} else if (strcmp(t, "state") == 0 && strchr(v, '=') != NULL) {
			add_str(&cur->states, &cur->nstates, &cur->capstates, v);
		} else {
			ds_error_set(err, file, lineno, "unknown key '%s' (bundle, expect, expect-not, state)", t);
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return 0;
}

struct expect_bundle *expect_find(const struct expect_set *es, const char *path)
{
	size_t i;

	for (i = 0; i < es->n; i++)
		if (strcmp(es->b[i].resolved, path) == 0 || strcmp(es->b[i].path, path) == 0)
			return &es->b[i];
	return NULL;
}

static int fired(const struct scan_result *res, const char *id)
{
	size_t i;

	for (i = 0; i < res->diag.nf; i++)
		if (strcmp(res->diag.f[i].rule->id, id) == 0)
			return 1;
	return 0;
}

static const char *state_of(const struct scan_result *res, const char *comp, size_t len)
{
	size_t i;

	for (i = 0; i < component_n; i++)
		if (strlen(component_table[i].name) == len && strncmp(component_table[i].name, comp, len) == 0)
			return res->diag.states[i].state ? res->diag.states[i].state : "unknown";
	return NULL;
}

int expect_compare(const struct expect_bundle *eb, const struct scan_result *res, expect_fn fn, void *ctx)
{
	size_t i;
	int drift = 0;
	char name[300], msg[400];

	for (i = 0; i < eb->nwant; i++) {
		int ok = fired(res, eb->want[i]);

		snprintf(name, sizeof name, "expect %s", eb->want[i]);
		snprintf(msg, sizeof msg, "finding %s expected but not produced", eb->want[i]);
		fn(ctx, name, ok, ok ? NULL : msg);
		drift += !ok;
	}
	for (i = 0; i < eb->nnot; i++) {
		int ok = !fired(res, eb->want_not[i]);

		snprintf(name, sizeof name, "expect-not %s", eb->want_not[i]);
		snprintf(msg, sizeof msg, "finding %s produced but listed as expect-not", eb->want_not[i]);
		fn(ctx, name, ok, ok ? NULL : msg);
		drift += !ok;
	}
	for (i = 0; i < eb->nstates; i++) {
		const char *eq = strchr(eb->states[i], '=');
		const char *have = state_of(res, eb->states[i], (size_t)(eq - eb->states[i]));
		int ok = have != NULL && strcmp(have, eq + 1) == 0;

		snprintf(name, sizeof name, "state %s", eb->states[i]);
		snprintf(msg, sizeof msg, "state %.*s is %s, expected %s", (int)(eq - eb->states[i]), eb->states[i],
		         have ? have : "not a component", eq + 1);
		fn(ctx, name, ok, ok ? NULL : msg);
		drift += !ok;
	}
	return drift;
}

void expect_record(struct expect_bundle *eb, const struct scan_result *res)
{
	char **keep = NULL;
	size_t nkeep = 0, capkeep = 0, i, k;

	for (i = 0; i < eb->nnot; i++)
		if (!fired(res, eb->want_not[i]))
			add_str(&keep, &nkeep, &capkeep, eb->want_not[i]);
	strv_free(eb->want_not, eb->nnot);
	eb->want_not = keep;
	eb->nnot = nkeep;
	eb->capnot = capkeep;
	strv_free(eb->want, eb->nwant);
	eb->want = NULL;
	eb->nwant = eb->capwant = 0;
	for (i = 0; i < res->diag.nf; i++) {
		int dup = 0;

		for (k = 0; k < eb->nwant; k++)
			dup |= strcmp(eb->want[k], res->diag.f[i].rule->id) == 0;
		if (!dup)
			add_str(&eb->want, &eb->nwant, &eb->capwant, res->diag.f[i].rule->id);
	}
	strv_free(eb->states, eb->nstates);
	eb->states = NULL;
	eb->nstates = eb->capstates = 0;
	for (i = 0; i < component_n; i++) {
		char *s = xasprintf("%s=%s", component_table[i].name,
		                    res->diag.states[i].state ? res->diag.states[i].state : "unknown");

		add_str(&eb->states, &eb->nstates, &eb->capstates, s);
		free(s);
	}
}

int expect_save(const struct expect_set *es, struct ds_error *err)
{
	/* through a new file of a random name, renamed over the old one: a predictable FILE.tmp
	 * could be a link another user planted, and would be followed */
	struct output *o = output_open(es->file, 0, err);
	FILE *f;
	size_t i, k;

	if (o == NULL)
		return -1;
	f = output_file(o);
	fputs("# dartscan expectations: rewritten by --update-expect; review the diff before committing.\n", f);
	for (i = 0; i < es->n; i++) {
		const struct expect_bundle *b = &es->b[i];

		fprintf(f, "\nbundle: %s\n", b->path);
		for (k = 0; k < b->nwant; k++)
			fprintf(f, "expect: %s\n", b->want[k]);
		for (k = 0; k < b->nnot; k++)
			fprintf(f, "expect-not: %s\n", b->want_not[k]);
		for (k = 0; k < b->nstates; k++)
			fprintf(f, "state: %s\n", b->states[k]);
	}
	return output_commit(o, err);
}
