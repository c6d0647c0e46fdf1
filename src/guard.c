/* guard: the check, before scanning, that no output of the run is one of its inputs (a report
 * written over the bundle it reports on, a redact map over the report) or a device or FIFO that a
 * rename would turn into a regular file. Takes names as the user gave them; gives one error. */
#include "guard.h"

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "output.h"

void guard_init(struct guard *g)
{
	memset(g, 0, sizeof *g);
}

static void free_files(struct guard_file *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].path);
	free(v);
}

void guard_reset(struct guard *g)
{
	free_files(g->in, g->nin);
	free_files(g->out, g->nout);
	guard_init(g);
}

static void add(struct guard_file **v, size_t *n, size_t *cap, const char *path, const char *role)
{
	*v = xgrow(*v, cap, *n + 1, sizeof **v);
	(*v)[*n].path = xstrdup(path);
	(*v)[(*n)++].role = role;
}

void guard_input(struct guard *g, const char *path, const char *role)
{
	struct stat st;
	struct dirent *d;
	DIR *dd;

	if (path == NULL || *path == '\0')
		return;
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode) || (dd = opendir(path)) == NULL) {
		add(&g->in, &g->nin, &g->capin, path, role);
		return;
	}
	while ((d = readdir(dd)) != NULL)
		if (d->d_name[0] != '.') {
			char *p = xasprintf("%s/%s", path, d->d_name);

			add(&g->in, &g->nin, &g->capin, p, role);
			free(p);
		}
	closedir(dd);
}

void guard_output(struct guard *g, const char *path, const char *role)
{
	if (path != NULL)
		add(&g->out, &g->nout, &g->capout, path, role);
}

/* The absolute name path has or would have: its directory resolved (links, ., ..), its own name
 * kept. NULL when the directory does not resolve. */
static char *resolved(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir, *real, *r;

	if ((real = realpath(path, NULL)) != NULL)
		return real;
	dir = slash == NULL ? xstrdup(".") : slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
	real = realpath(dir, NULL);
	free(dir);
	if (real == NULL)
		return NULL;
	r = xasprintf("%s/%s", strcmp(real, "/") == 0 ? "" : real, slash ? slash + 1 : path);
	free(real);
	return r;
}

static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	char *ra, *rb;
	int same;

	if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
		return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
	ra = resolved(a);
	rb = resolved(b);
	same = ra && rb && strcmp(ra, rb) == 0;
	free(ra);
	free(rb);
	return same;
}

/* An output that exists must be a regular file, or be where standard output already goes. */
static int writable_kind(const char *path)
{
	struct stat st;

	return output_is_stdout(path) || stat(path, &st) != 0 || S_ISREG(st.st_mode);
}

static int check_one(const struct guard *g, size_t k, struct ds_error *err)
{
	const struct guard_file *o = &g->out[k];
	size_t i;

	if (o->path[0] == '\0') {
		ds_error_set(err, "", 0, "an empty file name for the %s", o->role);
		return -1;
	}
	for (i = 0; i < k; i++)
		if (same_file(o->path, g->out[i].path)) {
			ds_error_set(err, o->path, 0, "is both the %s and the %s", g->out[i].role, o->role);
			return -1;
		}
	if (output_is_stdout(o->path))
		return 0;
	if (!writable_kind(o->path)) {
		ds_error_set(err, o->path, 0, "not a regular file: refusing to replace it with the %s", o->role);
		return -1;
	}
	for (i = 0; i < g->nin; i++)
		if (strcmp(g->in[i].role, o->role) != 0 && same_file(o->path, g->in[i].path)) {
			ds_error_set(err, o->path, 0, "is the %s %s: refusing to replace an input with the %s",
			             g->in[i].role, g->in[i].path, o->role);
			return -1;
		}
	return 0;
}

int guard_check(const struct guard *g, struct ds_error *err)
{
	size_t k;

	for (k = 0; k < g->nout; k++)
		if (check_one(g, k, err) != 0)
			return -1;
	return 0;
}
