/* group: bundles gathered by what they share (--group-by): a root cause, an organisation, a
 * network. Takes one key per bundle; gives the groups, largest first. The groups own copies of
 * their keys and index the caller's bundles. */
#ifndef DARTSCAN_GROUP_H
#define DARTSCAN_GROUP_H

#include <stddef.h>

enum group_by { GROUP_NONE = 0, GROUP_ROOT_CAUSE, GROUP_ORG, GROUP_NETWORK };

/* "root-cause", "org" or "network"; -1 for anything else. */
int group_by_parse(const char *s);
const char *group_by_name(int by);

struct group {
	char *key;     /* NULL: the bundles that have none */
	size_t *items; /* the bundles' indexes, in the order given */
	size_t n, cap;
};

struct groups {
	struct group *v;
	size_t n, cap;
};

/* Gathers n bundles by keys[i] (NULL is a key of its own); bundles with skip[i] set (duplicates:
 * counted once, as the bundle they repeat) are left out. Largest group first, then the group whose
 * first bundle comes first. */
void groups_build(struct groups *g, const char *const *keys, const int *skip, size_t n);
void groups_reset(struct groups *g);

#endif
