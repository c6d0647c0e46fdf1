/* output: the report's destination. -o FILE is never truncated up front: the report goes to a new
 * file of a random name beside FILE (O_EXCL, so never through a planted link; the same file system,
 * so rename(2) is atomic) and replaces FILE only when it was written, flushed and closed without
 * error. A temporary file is removed on SIGTERM, SIGINT, SIGHUP and SIGQUIT, FILE left as it was. */
#include "output.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct output {
	FILE *f;
	char *path; /* FILE, or NULL for standard output */
	char *tmp;  /* the temporary file beside it */
	int slot;   /* its place in pending[] */
};

/* ---- temporary files a signal must not leave behind ---- */

#define PENDING_MAX 8
static char *volatile pending[PENDING_MAX];
static volatile pid_t owner; /* a worker is a copy of this process: its signals remove nothing */

static void on_signal(int sig)
{
	int i;

	if (getpid() == owner)
		for (i = 0; i < PENDING_MAX; i++)
			if (pending[i] != NULL)
				unlink(pending[i]);
	_exit(128 + sig);
}

static void catch_signals(void)
{
	static const int sigs[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT};
	struct sigaction sa;
	size_t i;

	if (owner != 0)
		return;
	owner = getpid();
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigfillset(&sa.sa_mask);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		struct sigaction was;

		/* one ignored when we started stays ignored (nohup, a background job's SIGINT) */
		if (sigaction(sigs[i], NULL, &was) == 0 && was.sa_handler != SIG_IGN)
			sigaction(sigs[i], &sa, NULL);
	}
}

/* Registers tmp (-1 when every slot is taken: a caller that opens so many is a bug). */
static int hold_pending(char *tmp)
{
	sigset_t all, old;
	int i;

	catch_signals();
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (i = 0; i < PENDING_MAX && pending[i] != NULL; i++)
		;
	if (i < PENDING_MAX)
		pending[i] = tmp;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return i < PENDING_MAX ? i : -1;
}

static void drop_pending(int slot)
{
	sigset_t all, old;

	if (slot < 0)
		return;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	pending[slot] = NULL;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/* ---- opening and committing ---- */

int output_is_stdout(const char *path)
{
	struct stat a, b;

	return strcmp(path, "-") == 0 || (stat(path, &a) == 0 && fstat(STDOUT_FILENO, &b) == 0 &&
	                                  a.st_dev == b.st_dev && a.st_ino == b.st_ino);
}

/* A private file is 0600. Else the mode FILE has now, without setuid, setgid or sticky bits (a
 * report is not a program), or the one a new file gets under the umask. */
static mode_t target_mode(const char *path, int private)
{
	struct stat st;
	mode_t mask;

	if (private)
		return 0600;
	if (stat(path, &st) == 0)
		return st.st_mode & 0777;
	mask = umask(0);
	umask(mask);
	return 0666 & ~mask;
}

static void free_output(struct output *o)
{
	drop_pending(o->slot);
	free(o->tmp);
	free(o->path);
	free(o);
}

struct output *output_open(const char *path, int private, struct ds_error *err)
{
	struct output *o = xcalloc(1, sizeof *o);
	int fd;

	o->slot = -1;
	if (path == NULL || output_is_stdout(path)) {
		o->f = stdout;
		return o;
	}
	o->path = xstrdup(path);
	o->tmp = xasprintf("%s.tmp-XXXXXX", path);
	o->slot = hold_pending(o->tmp);
	fd = mkstemp(o->tmp); /* O_CREAT | O_EXCL, mode 0600: a link of that name is refused, not followed */
	if (fd < 0 || fchmod(fd, target_mode(path, private)) != 0 || (o->f = fdopen(fd, "w")) == NULL) {
		ds_error_set(err, path, 0, "cannot write the report: %s", strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(o->tmp);
		}
		free_output(o);
		return NULL;
	}
	return o;
}

FILE *output_file(const struct output *o)
{
	return o->f;
}

int output_reader_gone(const struct output *o)
{
	struct pollfd pf = {STDOUT_FILENO, 0, 0};

	if (o->path != NULL || !ferror(o->f))
		return 0;
	/* a pipe's write end whose reader closed polls POLLERR */
	return poll(&pf, 1, 0) == 1 && (pf.revents & POLLERR);
}

void output_die_quietly(void)
{
	signal(SIGPIPE, SIG_DFL);
	raise(SIGPIPE);
	_exit(128 + SIGPIPE);
}

int output_commit(struct output *o, struct ds_error *err)
{
	int bad = fflush(o->f) != 0 || ferror(o->f);
	int saved = errno;

	if (o->path == NULL) {
		if (bad && output_reader_gone(o))
			output_die_quietly();
		if (bad)
			ds_error_set(err, "standard output", 0, "write error: %s", strerror(saved ? saved : EIO));
		free_output(o);
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
	free_output(o);
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
	free_output(o);
}
