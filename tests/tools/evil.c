/* evil.so: stands in for a library bug a bundle exploits. Preloaded into dartscan by the sandbox
 * suite, it wraps libarchive's archive_read_next_header: an entry whose name holds EVIL-<act>
 * makes the process reading its data (libarchive's archive_read_data_block, or ISA-L's isal_inflate
 * for the deflated entries dartscan inflates outside libarchive) do <act> -- run a program, open a socket, write a file, crash, eat
 * memory, hang -- as hostile bytes that took over the reader would. The sandbox must stop each
 * with a clear report; EVIL_MARK names the file that proves an act got through. Four more use
 * calls a reader has some use of, on what is not its own: sigkill (F_SETOWN + F_SETSIG + O_ASYNC
 * on the request pipe: the kernel would kill $EVIL_VICTIM, else the parent), prlimit (limits set
 * on the parent through a pointer above 4 GiB), inject (its standard output renumbered onto the
 * result pipe and written), rewind (its standard output seeked back to 0). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <archive.h>
#include <archive_entry.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

typedef int (*next_fn)(struct archive *, struct archive_entry **);

/* Takes every byte the limit allows, in ever smaller pieces: what dartscan allocates next fails. */
static void hog(void)
{
	size_t n;

	for (n = 16u << 20; n >= 64; n /= 2) {
		char *p;

		while ((p = malloc(n)) != NULL)
			memset(p, 1, n);
	}
}

/* The process the act is aimed at: $EVIL_VICTIM, else the parent. */
static pid_t victim(void)
{
	return getenv("EVIL_VICTIM") ? (pid_t)atoi(getenv("EVIL_VICTIM")) : getppid();
}

static void set_limits_far(void)
{
	struct rlimit *rl = mmap((void *)0x300000000000ul, 4096, PROT_READ | PROT_WRITE,
	                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (rl == MAP_FAILED)
		return;
	rl->rlim_cur = rl->rlim_max = 0;
	syscall(SYS_prlimit64, victim(), RLIMIT_FSIZE, rl, NULL); /* it may write no byte to a file */
}

/* acts that abuse a reader's own calls; 1 when what was one of them */
static int act_within(const char *what)
{
	static const char forged[] = "FORGED LINE WRITTEN BY THE CONFINED WORKER\n";

	if (strncmp(what, "sigkill", 7) == 0) {
		fcntl(3, F_SETOWN, victim());
		fcntl(3, F_SETSIG, SIGKILL);
		fcntl(3, F_SETFL, fcntl(3, F_GETFL) | O_ASYNC);
	} else if (strncmp(what, "prlimit", 7) == 0) {
		set_limits_far();
	} else if (strncmp(what, "inject", 6) == 0) {
		if (dup3(1, 4, 0) == 4 && write(4, forged, sizeof forged - 1) > 0) {
			int m = open(getenv("EVIL_MARK") ? getenv("EVIL_MARK") : "/tmp/evil-mark", O_WRONLY | O_CREAT, 0600);

			close(m);
		}
	} else if (strncmp(what, "rewind", 6) == 0) {
		lseek(1, 0, SEEK_SET);
	} else {
		return 0;
	}
	return 1;
}

static void act(const char *what)
{
	const char *mark = getenv("EVIL_MARK") ? getenv("EVIL_MARK") : "/tmp/evil-mark";

	if (act_within(what))
		return;
	if (strncmp(what, "exec", 4) == 0) {
		char *argv[] = {"/bin/sh", "-c", "echo ran > \"$EVIL_MARK\"", NULL};

		execv("/bin/sh", argv);
	} else if (strncmp(what, "socket", 6) == 0) {
		struct sockaddr_in sa;
		int fd = socket(AF_INET, SOCK_DGRAM, 0);

		memset(&sa, 0, sizeof sa);
		sa.sin_family = AF_INET;
		sa.sin_port = htons(9);
		sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0) {
			int m = open(mark, O_WRONLY | O_CREAT, 0600);

			close(m);
		}
	} else if (strncmp(what, "write", 5) == 0) {
		int fd = open(mark, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (fd >= 0)
			close(fd);
	} else if (strncmp(what, "crash", 5) == 0) {
		raise(SIGSEGV);
	} else if (strncmp(what, "hog", 3) == 0) {
		hog();
	} else if (strncmp(what, "hang", 4) == 0) {
		volatile unsigned long spin = 0;

		for (;;) /* a loop inside a library, making no system call */
			spin++;
	}
}

static char pending[64]; /* the act of the entry whose header was read last */

int archive_read_next_header(struct archive *a, struct archive_entry **e)
{
	static next_fn real;
	const char *name, *evil;
	int rc;

	if (real == NULL)
		real = (next_fn)dlsym(RTLD_NEXT, "archive_read_next_header");
	rc = real(a, e);
	pending[0] = '\0';
	if (rc == ARCHIVE_OK && (name = archive_entry_pathname(*e)) != NULL && (evil = strstr(name, "EVIL-")) != NULL)
		strncpy(pending, evil + 5, sizeof pending - 1);
	return rc;
}

typedef int (*block_fn)(struct archive *, const void **, size_t *, la_int64_t *);

int archive_read_data_block(struct archive *a, const void **buf, size_t *len, la_int64_t *off)
{
	static block_fn real;

	if (real == NULL)
		real = (block_fn)dlsym(RTLD_NEXT, "archive_read_data_block");
	if (pending[0])
		act(pending);
	return real(a, buf, len, off);
}

/* ISA-L is a library a bundle's bytes reach too: its inflate plays the same bug. */
struct inflate_state;
typedef int (*inflate_fn)(struct inflate_state *);
int isal_inflate(struct inflate_state *s);

int isal_inflate(struct inflate_state *s)
{
	static inflate_fn real;

	if (real == NULL)
		real = (inflate_fn)dlsym(RTLD_NEXT, "isal_inflate");
	if (pending[0])
		act(pending);
	return real(s);
}
