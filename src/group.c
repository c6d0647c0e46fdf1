/* group: a linear pass that finds each bundle's group by its key (a run has hundreds of bundles and
 * a few dozen groups), then one stable sort by size. */
#include "group.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static const char *const names[] = {"", "root-cause", "org", "network"};

int group_by_parse(const char *s)
{
	int i;

	for (i = GROUP_ROOT_CAUSE; i <= GROUP_NETWORK; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

const char *group_by_name(int by)
{
	return by > GROUP_NONE && by <= GROUP_NETWORK ? names[by] : "";
}

static int same_key(const char *a, const char *b)
{
	return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

static int cmp_groups(const void *a, const void *b)
{
	const struct group *x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return x->items[0] < y->items[0] ? -1 : x->items[0] > y->items[0];
}

void groups_build(struct groups *g, const char *const *keys, const int *skip, size_t n)
{
	size_t i, k;

	memset(g, 0, sizeof *g);
	for (i = 0; i < n; i++) {
		struct group *gr = NULL;

		if (skip && skip[i])
			continue;
		for (k = 0; k < g->n && gr == NULL; k++)
			if (same_key(g->v[k].key, keys[i]))
				gr = &g->v[k];
		if (gr == NULL) {
			g->v = xgrow(g->v, &g->cap, g->n + 1, sizeof *g->v);
			gr = &g->v[g->n++];
			memset(gr, 0, sizeof *gr);
			gr->key = keys[i] ? xstrdup(keys[i]) : NULL;
		}
		gr->items = xgrow(gr->items, &gr->cap, gr->n + 1, sizeof *gr->items);
		gr->items[gr->n++] = i;
	}
	/* each group's first bundle is unique, so the order is total and qsort's instability harmless */
	sort_array(g->v, g->n, sizeof *g->v, cmp_groups);
}

void groups_reset(struct groups *g)
{
	size_t i;

	for (i = 0; i < g->n; i++) {
		free(g->v[i].key);
		free(g->v[i].items);
	}
	free(g->v);
	memset(g, 0, sizeof *g);
}
