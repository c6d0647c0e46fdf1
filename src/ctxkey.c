/* ctxkey: the table of context values dartscan's code knows, and the lookup by name rule files
 * use. */
#include <string.h>

#include "ctxkey.h"

#define CTX_AS_ROW(e, nm, org, wh) [CTX_##e] = {.name = nm, .origin = org, .what = wh},
const struct ctx_key_info ctx_keys[CTX_NKEYS] = {CTX_KEYS(CTX_AS_ROW)};
#undef CTX_AS_ROW

int ctxkey_find(const char *name)
{
	int k;

	for (k = 0; k < CTX_NKEYS; k++)
		if (strcmp(ctx_keys[k].name, name) == 0)
			return k;
	return -1;
}
