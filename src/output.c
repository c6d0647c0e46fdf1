/* output: the report's destination. -o FILE is never truncated up front: the report goes to
 * FILE.tmp-XXXXXX in FILE's directory (the same file system, so rename(2) is atomic) and replaces
 * FILE only when it was written, flushed and closed without error. */
#include "output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct output {
	FILE *f;
	char *path; /* FILE, or NULL for standard output */
	char *tmp;  /* the temporary file beside it */
};

/* The mode FILE has now, or the one a new file gets under the umask (mkstemp makes 0600). */
static mode_t target_mode(const char *path)
{
	struct stat st;
	mode_t mask;

	if (stat(path, &st) == 0)
		return st.st_mode & 07777;
	mask = umask(0);
	umask(mask);
	return 0666 & ~mask;
}

struct output *output_open(const char *path, struct ds_error *err)
{
	struct output *o = xcalloc(1, sizeof *o);
	int fd;

	if (path == NULL) {
		o->f = stdout;
		return o;
	}
	o->path = xstrdup(path);
	o->tmp = xasprintf("%s.tmp-XXXXXX", path);
	fd = mkstemp(o->tmp);
	if (fd < 0 || fchmod(fd, target_mode(path)) != 0 || (o->f = fdopen(fd, "w")) == NULL) {
		ds_error_set(err, path, 0, "cannot write the report: %s", strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(o->tmp);
		}
		free(o->tmp);
		free(o->path);
		free(o);
		return NULL;
	}
	return o;
}

FILE *output_file(const struct output *o)
{
	return o->f;
}

int output_commit(struct output *o, struct ds_error *err)
{
	int bad = fflush(o->f) != 0 || ferror(o->f);
	int saved = errno;

	if (o->path == NULL) {
		if (bad)
			ds_error_set(err, "standard output", 0, "write error: %s", strerror(saved ? saved : EIO));
		free(o);
		return bad ? -1 : 0;
	}
	if (fclose(o->f) != 0 && !bad) {
		bad = 1;
		saved = errno;
	}
	o->f = NULL;
	if (!bad && rename(o->tmp, o->path) != 0) {
		bad = 1;
		saved = errno;
	}
	if (bad) {
		ds_error_set(err, o->path, 0, "write error: %s (left as it was)", strerror(saved ? saved : EIO));
		unlink(o->tmp);
	}
	free(o->tmp);
	free(o->path);
	free(o);
	return bad ? -1 : 0;
}

void output_abort(struct output *o)
{
	if (o == NULL)
		return;
	if (o->path) {
		fclose(o->f);
		unlink(o->tmp);
	}
	free(o->tmp);
	free(o->path);
	free(o);
}
