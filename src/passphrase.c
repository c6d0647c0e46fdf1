/* passphrase: reads the passphrases an encrypted upload may open with, bounded, into one buffer the
 * parent owns; workers inherit it when they are forked and read nothing more. Every buffer that
 * held a passphrase's bytes is zeroed before it is freed. */
#include "passphrase.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Grows p->buf to hold need bytes, copying and wiping the old buffer (realloc could leave a copy). */
static void reserve(struct passphrases *p, size_t need)
{
	char *nb;
	size_t i;

	if (need <= p->cap)
		return;
	nb = xmalloc(need);
	if (p->len)
		memcpy(nb, p->buf, p->len);
	for (i = 0; i < p->n; i++) /* the views move with the bytes */
		p->v[i] = nb + (p->v[i] - p->buf);
	if (p->buf) {
		explicit_bzero(p->buf, p->cap);
		free(p->buf);
	}
	p->buf = nb;
	p->cap = need;
}

static void add(struct passphrases *p, const char *s, size_t len)
{
	reserve(p, p->len + len + 1);
	memcpy(p->buf + p->len, s, len);
	p->buf[p->len + len] = '\0';
	p->v = xgrow(p->v, &p->capv, p->n + 1, sizeof *p->v); /* pointers only: no secret in them */
	p->v[p->n++] = p->buf + p->len;
	p->len += len + 1;
}

/* Reads at most max + 1 bytes of fd into out (max + 1: there was more). */
static ssize_t read_bounded(int fd, char *out, size_t max)
{
	size_t got = 0;

	while (got <= max) {
		ssize_t r = read(fd, out + got, max + 1 - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

static int load(struct passphrases *p, const char *file, struct ds_error *err)
{
	char *data = xmalloc(PASSPHRASE_FILE_MAX + 1);
	int fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY), rc = -1;
	ssize_t n = fd < 0 ? -1 : read_bounded(fd, data, PASSPHRASE_FILE_MAX);
	size_t i = 0, line = 0, before = p->n;

	if (n < 0) {
		ds_error_set(err, file, 0, "--passphrase-file: %s", strerror(errno));
		goto out;
	}
	if ((size_t)n > PASSPHRASE_FILE_MAX) {
		ds_error_set(err, file, 0, "--passphrase-file: more than %u KiB", PASSPHRASE_FILE_MAX / 1024);
		goto out;
	}
	while (i < (size_t)n) {
		size_t len = 0;

		while (i + len < (size_t)n && data[i + len] != '\n' && data[i + len] != '\r' && data[i + len] != '\0')
			len++;
		if (++line > PASSPHRASE_LINES_MAX) {
			ds_error_set(err, file, 0, "--passphrase-file: more than %d lines", PASSPHRASE_LINES_MAX);
			goto out;
		}
		if (i + len < (size_t)n && data[i + len] == '\0') {
			ds_error_set(err, file, (long)line, "--passphrase-file: a NUL byte in the line");
			goto out;
		}
		if (len > 0)
			add(p, data + i, len);
		i += len;
		if (i < (size_t)n && data[i] == '\r')
			i++;
		if (i < (size_t)n && data[i] == '\n')
			i++;
	}
	if (p->n == before) {
		ds_error_set(err, file, 0, "--passphrase-file: no passphrase in it");
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	explicit_bzero(data, PASSPHRASE_FILE_MAX + 1);
	free(data);
	return rc;
}

static int take_env(struct passphrases *p, const char *name, struct ds_error *err)
{
	char *v = getenv(name);
	size_t len;

	if (v == NULL)
		return 0;
	len = strlen(v);
	if (len > PASSPHRASE_FILE_MAX) {
		explicit_bzero(v, len);
		unsetenv(name);
		ds_error_set(err, name, 0, "more than %u KiB", PASSPHRASE_FILE_MAX / 1024);
		return -1;
	}
	while (len > 0 && (v[len - 1] == '\n' || v[len - 1] == '\r'))
		len--;
	if (len > 0)
		add(p, v, len);
	explicit_bzero(v, strlen(v)); /* the environment's own copy, which /proc/PID/environ shows */
	unsetenv(name);
	return 0;
}

static struct passphrases store;

static void wipe(struct passphrases *p)
{
	if (p->buf) {
		explicit_bzero(p->buf, p->cap);
		free(p->buf);
	}
	free(p->v);
	memset(p, 0, sizeof *p);
}

static void wipe_store(void)
{
	wipe(&store);
}

const struct passphrases *passphrases_gather(const char *file, const char *env, struct ds_error *err)
{
	atexit(wipe_store);
	if ((file && load(&store, file, err) != 0) || take_env(&store, env, err) != 0)
		return NULL;
	return &store;
}
