/* baseline: shapes are compared token by token, <*> matching anything on either side: two bundles
 * mine the same message into templates masked a little differently (a host constant in one, <*>
 * in the other) and must still agree that it is the same message. */
#include "baseline.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define BASELINE_MAGIC "# dartscan baseline 1"
#define LINE_MAX_BYTES 4096
#define SHAPES_MAX 200000

struct shape {
	char *text;
	int level;
	unsigned long bundles;
};

struct baseline {
	struct shape *v;
	size_t n, cap;
	unsigned long bundles;
};

struct baseline *baseline_new(void)
{
	return xcalloc(1, sizeof(struct baseline));
}

void baseline_free(struct baseline *b)
{
	size_t i;

	if (b == NULL)
		return;
	for (i = 0; i < b->n; i++)
		free(b->v[i].text);
	free(b->v);
	free(b);
}

unsigned long baseline_bundles(const struct baseline *b)
{
	return b->bundles;
}

static struct shape *find_exact(const struct baseline *b, const char *text, int level)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		if (b->v[i].level == level && strcmp(b->v[i].text, text) == 0)
			return &b->v[i];
	return NULL;
}

/* Adds a shape; dedupe merges it with an equal one (building: one bundle at a time), a file's
 * lines are taken as they are. */
static void add_shape(struct baseline *b, const char *text, int level, unsigned long bundles, int dedupe)
{
	struct shape *s = dedupe ? find_exact(b, text, level) : NULL;

	if (s) {
		s->bundles += bundles;
		return;
	}
	if (b->n >= SHAPES_MAX)
		return;
	b->v = xgrow(b->v, &b->cap, b->n + 1, sizeof *b->v);
	b->v[b->n].text = xstrdup(text);
	b->v[b->n].level = level;
	b->v[b->n++].bundles = bundles;
}

void baseline_add_bundle(struct baseline *b, const struct unexplained *u)
{
	size_t i;

	b->bundles++;
	for (i = 0; i < u->n; i++)
		add_shape(b, u->t[i].text, u->t[i].level, 1, 1);
}

static int by_text(const void *a, const void *b)
{
	const struct shape *x = a, *y = b;
	int c = strcmp(x->text, y->text);

	return c ? c : x->level - y->level;
}

void baseline_write(const struct baseline *b, FILE *out)
{
	struct shape *v = xcalloc(b->n + 1, sizeof *v);
	size_t i;

	memcpy(v, b->v, b->n * sizeof *v);
	sort_array(v, b->n, sizeof *v, by_text);
	fprintf(out, "%s\n# message shapes of healthy bundles: how many bundles showed each, its level, the shape\n"
	             "healthy-bundles\t%lu\n",
	        BASELINE_MAGIC, b->bundles);
	for (i = 0; i < b->n; i++)
		fprintf(out, "%lu\t%s\t%s\n", v[i].bundles, ux_level_name(v[i].level), v[i].text);
	free(v);
}

static int level_named(const char *s)
{
	return strcmp(s, "error") == 0 ? UX_ERROR : strcmp(s, "warning") == 0 ? UX_WARN : strcmp(s, "info") == 0 ? UX_INFO : -1;
}

/* One shape line "N TAB level TAB template". Returns 0, or -1 with why. */
static int parse_shape(struct baseline *b, char *line, const char **why)
{
	char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL, *end;
	unsigned long n;
	int level;

	if (t2 == NULL) {
		*why = "expected: bundles, a tab, the level, a tab, the template";
		return -1;
	}
	*t1 = *t2 = '\0';
	n = strtoul(line, &end, 10);
	if (*line == '\0' || *end != '\0' || n == 0) {
		*why = "the bundle count is not a positive number";
		return -1;
	}
	if ((level = level_named(t1 + 1)) < 0) {
		*why = "the level is not info, warning or error";
		return -1;
	}
	if (t2[1] == '\0' || strchr(t2 + 1, '\t')) {
		*why = "the template is empty or holds a tab";
		return -1;
	}
	add_shape(b, t2 + 1, level, n, 0);
	return 0;
}

struct baseline *baseline_load(const char *path, struct ds_error *err)
{
	FILE *f = fopen(path, "r");
	struct baseline *b;
	char line[LINE_MAX_BYTES];
	long no = 0;
	const char *why = NULL;

	if (f == NULL) {
		ds_error_set(err, path, 0, "cannot open the baseline: %s", strerror(errno));
		return NULL;
	}
	b = baseline_new();
	while (why == NULL && fgets(line, sizeof line, f) != NULL) {
		size_t len = strlen(line);

		no++;
		if (len == sizeof line - 1 && line[len - 1] != '\n')
			why = "a line longer than 4096 bytes";
		else {
			line[strcspn(line, "\r\n")] = '\0';
			if (no == 1 && strcmp(line, BASELINE_MAGIC) != 0)
				why = "not a dartscan baseline (its first line must be \"" BASELINE_MAGIC "\")";
			else if (no == 1 || line[0] == '#' || line[0] == '\0')
				continue;
			else if (strncmp(line, "healthy-bundles\t", 16) == 0)
				b->bundles = strtoul(line + 16, NULL, 10);
			else
				parse_shape(b, line, &why);
		}
	}
	if (why == NULL && no == 0)
		why = "empty: not a dartscan baseline";
	if (why == NULL && ferror(f))
		why = "read error";
	fclose(f);
	if (why) {
		ds_error_set(err, path, no, "%s", why);
		baseline_free(b);
		return NULL;
	}
	return b;
}

/* Token by token, <*> on either side matching any one token. */
static int alike(const char *a, const char *b)
{
	for (;;) {
		const char *ea = strchr(a, ' '), *eb = strchr(b, ' ');
		size_t na = ea ? (size_t)(ea - a) : strlen(a), nb = eb ? (size_t)(eb - b) : strlen(b);
		int star = (na == 3 && memcmp(a, "<*>", 3) == 0) || (nb == 3 && memcmp(b, "<*>", 3) == 0);

		if (!star && (na != nb || memcmp(a, b, na) != 0))
			return 0;
		if (!ea || !eb)
			return !ea && !eb;
		a = ea + 1;
		b = eb + 1;
	}
}

int baseline_knows(const struct baseline *b, const char *text)
{
	size_t i;

	for (i = 0; b && i < b->n; i++)
		if (alike(b->v[i].text, text))
			return 1;
	return 0;
}
