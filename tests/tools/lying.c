/* lying.so: a worker that a bundle took over and that sends its parent forged bytes. Preloaded by
 * the sandbox suite: in a forked worker (not the process that loaded it), the first result
 * written to the result pipe (fd 4) is replaced by the bytes of the file $LIE_FILE, length and
 * all. The parent must refuse it as that bundle's error and go on; never crash. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define RES_FD 4

static pid_t loader;
static char *lie;
static size_t lie_n;
static int state; /* 0: the length comes next, 1: the bytes, 2: done lying */

__attribute__((constructor)) static void load_lie(void)
{
	const char *name = getenv("LIE_FILE");
	FILE *f = name ? fopen(name, "rb") : NULL;

	loader = getpid();
	if (f == NULL)
		return;
	lie = malloc(1 << 20);
	if (lie != NULL)
		lie_n = fread(lie, 1, 1 << 20, f);
	fclose(f);
}

static int put(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n > 0) {
		long w = syscall(SYS_write, fd, c, n);

		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

ssize_t write(int fd, const void *p, size_t n)
{
	if (lie != NULL && fd == RES_FD && getpid() != loader && state < 2) {
		if (state == 0 && n == sizeof(uint64_t)) {
			uint64_t len = lie_n;

			state = 1;
			return put(fd, &len, sizeof len) == 0 ? (ssize_t)n : -1;
		}
		if (state == 1) {
			state = 2;
			return put(fd, lie, lie_n) == 0 ? (ssize_t)n : -1;
		}
	}
	return syscall(SYS_write, fd, p, n);
}
