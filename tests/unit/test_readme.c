/* README's "Build dependencies" line names every Debian package the Makefile's DEBS installs: a
 * reader on a fresh machine installs from that line. (Here rather than in a suite because it only
 * reads two files; run from the top of the tree, as make check does.) */
#include <stdlib.h>

#include "check.h"
#include "util.h"

/* The first line of path that starts with prefix, without its newline; NULL when none does. */
static char *line_starting(const char *path, const char *prefix)
{
	FILE *f = fopen(path, "r");
	char line[4096];

	if (f == NULL)
		return NULL;
	while (fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, prefix, strlen(prefix)) == 0) {
			fclose(f);
			line[strcspn(line, "\n")] = '\0';
			return xstrdup(line);
		}
	fclose(f);
	return NULL;
}

/* Whether word appears in s between blanks or backquotes. */
static int has_word(const char *s, const char *word)
{
	size_t n = strlen(word);
	const char *p;

	for (p = strstr(s, word); p != NULL; p = strstr(p + 1, word))
		if ((p == s || strchr(" `", p[-1]) != NULL) && strchr(" `.", p[n]) != NULL)
			return 1;
	return 0;
}

int main(void)
{
	char *debs = line_starting("Makefile", "DEBS =");
	char *deps = line_starting("README.md", "Build dependencies");
	char *w, *save = NULL;
	int n = 0;

	CHECK("readme/makefile-debs-found", debs != NULL);
	CHECK("readme/build-dependencies-found", deps != NULL);
	if (debs == NULL || deps == NULL) {
		free(debs);
		free(deps);
		return 1;
	}
	for (w = strtok_r(debs + strlen("DEBS ="), " \t", &save); w != NULL; w = strtok_r(NULL, " \t", &save)) {
		char name[160];

		snprintf(name, sizeof name, "readme/build-dependencies-list-%s", w);
		CHECK(name, has_word(deps, w));
		n++;
	}
	CHECK("readme/makefile-debs-not-empty", n > 0);
	free(debs);
	free(deps);
	return check_failed ? 1 : 0;
}
