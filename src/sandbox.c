/* sandbox: a worker process per thread reads bundles under limits and a seccomp-bpf filter.
 * The filter is written here against the kernel's own headers rather than through libseccomp:
 * it is one short allow-list, and a library for it would be one more package on every machine.
 * An allow-list, not a deny-list: a call nobody thought of is refused, not let through. */
#include "sandbox.h"

#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "wire.h"

/* valgrind runs its own code inside the process, with writes to descriptors of its own: under it
 * the filter would stop valgrind, not the bundle. Its header is only there when valgrind is. */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

#if defined(__x86_64__)
#define SB_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define SB_ARCH AUDIT_ARCH_AARCH64
#endif

/* AddressSanitizer reserves terabytes of address space up front: an address-space limit would
 * stop it, not the bundle (the sanitizers' build is a test build; the deadline still applies). */
#if defined(__SANITIZE_ADDRESS__)
#define SB_NO_AS_LIMIT 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SB_NO_AS_LIMIT 1
#endif
#endif

#define REQ_FD 3 /* the worker reads bundle paths here */
#define RES_FD 4 /* and writes results here */
#define AT_ENTRY_MAX 512

void sandbox_opts_default(struct sandbox_opts *o)
{
	o->off = 0;
	o->max_memory = 2ull << 30;
	o->max_seconds = 120;
}

/* ---- the filter ---- */

/* Calls a reader needs and that can neither reach out nor change anything outside the process. */
static const int allowed[] = {
    SYS_read, SYS_readv, SYS_pread64, SYS_preadv, SYS_close, SYS_fstat, SYS_newfstatat, SYS_statx,
    SYS_mmap, SYS_munmap, SYS_mremap, SYS_mprotect, SYS_madvise, SYS_brk, SYS_futex, SYS_set_robust_list,
    SYS_get_robust_list, SYS_rseq, SYS_rt_sigaction, SYS_rt_sigprocmask, SYS_rt_sigreturn, SYS_sigaltstack,
    SYS_exit, SYS_exit_group, SYS_getpid, SYS_gettid, SYS_getppid, SYS_getuid, SYS_geteuid, SYS_getgid,
    SYS_getegid, SYS_getrandom, SYS_clock_gettime, SYS_clock_getres, SYS_clock_nanosleep, SYS_nanosleep,
    SYS_gettimeofday, SYS_sched_yield, SYS_sched_getaffinity, SYS_getdents64, SYS_faccessat,
    SYS_faccessat2, SYS_readlinkat, SYS_getcwd, SYS_uname, SYS_sysinfo, SYS_fadvise64, SYS_restart_syscall,
    SYS_getrusage, SYS_chdir, SYS_fchdir,
#ifdef SYS_stat
    SYS_stat, SYS_lstat, SYS_access, SYS_readlink, SYS_getdents, SYS_getrlimit, SYS_time,
#endif
};

/* fcntl: only what the C library and libarchive ask (fdopendir's flags, close-on-exec on a
 * directory bundle's descriptors); never F_SETOWN, F_SETSIG, F_SETFL (O_ASYNC), leases, duplicates */
static const int fcntl_cmds[] = {F_GETFD, F_SETFD, F_GETFL};

#define WRITE_MASK (O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND | (O_TMPFILE & ~O_DIRECTORY))
#define ARG(i) offsetof(struct seccomp_data, args[i]) /* the low half: both arches are little-endian */
#define ARG_HI(i) (ARG(i) + 4)
#define RET(v) BPF_STMT(BPF_RET | BPF_K, (v))
#define LOAD(off) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (off))
#define JEQ(v, t, f) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (v), (t), (f))
#define JSET(v, t, f) BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, (v), (t), (f))

struct prog {
	struct sock_filter v[512];
	size_t n;
};

static void emit(struct prog *p, struct sock_filter f)
{
	if (p->n < sizeof p->v / sizeof p->v[0])
		p->v[p->n++] = f;
}

static void emit_nr_is(struct prog *p, int nr, unsigned skip)
{
	emit(p, (struct sock_filter)LOAD(offsetof(struct seccomp_data, nr)));
	emit(p, (struct sock_filter)JEQ((unsigned)nr, 0, skip));
}

/* nr is allowed when its argument arg has no bit of mask set (clear) or every bit (!clear). */
static void emit_arg_bits(struct prog *p, int nr, int arg, unsigned mask, int clear)
{
	emit_nr_is(p, nr, 4);
	emit(p, (struct sock_filter)LOAD(ARG(arg)));
	emit(p, (struct sock_filter)JSET(mask, clear ? 1 : 0, clear ? 0 : 1));
	emit(p, (struct sock_filter)RET(SECCOMP_RET_ALLOW));
	emit(p, (struct sock_filter)RET(SECCOMP_RET_TRAP));
}

/* nr is allowed when its argument arg is one of v. */
static void emit_arg_in(struct prog *p, int nr, int arg, const int *v, size_t nv)
{
	size_t i;

	emit_nr_is(p, nr, (unsigned)nv + 3);
	emit(p, (struct sock_filter)LOAD(ARG(arg)));
	for (i = 0; i < nv; i++)
		emit(p, (struct sock_filter)JEQ((unsigned)v[i], (unsigned char)(nv - i), 0));
	emit(p, (struct sock_filter)RET(SECCOMP_RET_TRAP));
	emit(p, (struct sock_filter)RET(SECCOMP_RET_ALLOW));
}

/* nr is allowed when each of its arguments args[] is 0 in all 64 bits: a pointer whose low half
 * is 0 can still point at memory mapped above 4 GiB. */
static void emit_args_zero(struct prog *p, int nr, const int *args, size_t na)
{
	size_t i;

	emit_nr_is(p, nr, (unsigned)(4 * na + 2));
	for (i = 0; i < na; i++) {
		emit(p, (struct sock_filter)LOAD(ARG(args[i])));
		emit(p, (struct sock_filter)JEQ(0, 0, (unsigned char)(4 * (na - i) - 1)));
		emit(p, (struct sock_filter)LOAD(ARG_HI(args[i])));
		emit(p, (struct sock_filter)JEQ(0, 0, (unsigned char)(4 * (na - i) - 3)));
	}
	emit(p, (struct sock_filter)RET(SECCOMP_RET_ALLOW));
	emit(p, (struct sock_filter)RET(SECCOMP_RET_TRAP));
}

/* nr is allowed when its descriptor arguments (the first nf) are at least own, and, with cmds,
 * its argument 1 is one of them. A descriptor is an unsigned int to the kernel: the low half. */
static void emit_own(struct prog *p, int nr, size_t nf, unsigned own, const int *cmds, size_t nc)
{
	size_t len = 2 * nf + (nc ? nc + 1 : 0) + 2, i;
	size_t trap = nc ? len - 2 : len - 1, allow = nc ? len - 1 : len - 2;

	emit_nr_is(p, nr, (unsigned)len);
	for (i = 0; i < nf; i++) {
		emit(p, (struct sock_filter)LOAD(ARG(i)));
		emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, own, 0, (unsigned char)(trap - 2 * i - 2)));
	}
	if (nc) {
		emit(p, (struct sock_filter)LOAD(ARG(1)));
		for (i = 0; i < nc; i++)
			emit(p, (struct sock_filter)JEQ((unsigned)cmds[i], (unsigned char)(allow - (2 * nf + 1 + i) - 1), 0));
	}
	if (nc)
		emit(p, (struct sock_filter)RET(SECCOMP_RET_TRAP));
	emit(p, (struct sock_filter)RET(SECCOMP_RET_ALLOW));
	if (!nc)
		emit(p, (struct sock_filter)RET(SECCOMP_RET_TRAP));
}

/* The process's own descriptors are those above its writable ones (the worker's result pipe). */
static unsigned first_own_fd(const int *wfds, size_t nw)
{
	unsigned own = 3;
	size_t i;

	for (i = 0; i < nw; i++)
		if ((unsigned)wfds[i] + 1 > own)
			own = (unsigned)wfds[i] + 1;
	return own;
}

static void build_filter(struct prog *p, const int *wfds, size_t nw)
{
	static const int prlimit_args[] = {0, 2}; /* its own limits (pid 0), read, never set */
	unsigned own = first_own_fd(wfds, nw);
	int pid = (int)getpid(), tcgets = TCGETS;
	size_t i;

	p->n = 0;
	emit(p, (struct sock_filter)LOAD(offsetof(struct seccomp_data, arch)));
	emit(p, (struct sock_filter)JEQ(SB_ARCH, 1, 0));
	emit(p, (struct sock_filter)RET(SECCOMP_RET_KILL_PROCESS));
#ifdef __x86_64__
	/* x32 calls reach the same kernel entry points under other numbers */
	emit(p, (struct sock_filter)LOAD(offsetof(struct seccomp_data, nr)));
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000u, 0, 1));
	emit(p, (struct sock_filter)RET(SECCOMP_RET_KILL_PROCESS));
#endif
	for (i = 0; i < sizeof allowed / sizeof allowed[0]; i++) {
		emit_nr_is(p, allowed[i], 1);
		emit(p, (struct sock_filter)RET(SECCOMP_RET_ALLOW));
	}
	/* lseek, dup* and fcntl only on the process's own descriptors: the pipes and 0-2 are not to be
	 * moved, renumbered or re-owned (a worker that could would write where the parent reads, or
	 * have the kernel signal a process of its choosing through F_SETOWN) */
	emit_own(p, SYS_lseek, 1, own, NULL, 0);
	emit_own(p, SYS_dup, 1, own, NULL, 0);
	emit_own(p, SYS_dup3, 2, own, NULL, 0);
#ifdef SYS_dup2
	emit_own(p, SYS_dup2, 2, own, NULL, 0);
#endif
	emit_own(p, SYS_fcntl, 1, own, fcntl_cmds, sizeof fcntl_cmds / sizeof fcntl_cmds[0]);
	emit_arg_in(p, SYS_write, 0, wfds, nw);
	emit_arg_in(p, SYS_writev, 0, wfds, nw);
	emit_arg_bits(p, SYS_openat, 2, WRITE_MASK, 1);
#ifdef SYS_open
	emit_arg_bits(p, SYS_open, 1, WRITE_MASK, 1);
#endif
	/* threads (the read-ahead, the decoding pipeline), never processes; clone3 hides its flags
	 * from the filter, so it is refused as absent and the C library falls back to clone */
	emit_arg_bits(p, SYS_clone, 0, CLONE_THREAD, 0);
	emit_nr_is(p, SYS_clone3, 1);
	emit(p, (struct sock_filter)RET(SECCOMP_RET_ERRNO | ENOSYS));
	/* abort() signals itself; a terminal may be asked what it is, never told anything */
	emit_arg_in(p, SYS_tgkill, 0, &pid, 1);
	emit_arg_in(p, SYS_ioctl, 1, &tcgets, 1);
	/* the limits were set before the filter (limit_worker); none may be set after, here or in
	 * another process */
	emit_args_zero(p, SYS_prlimit64, prlimit_args, 2);
	emit(p, (struct sock_filter)RET(SECCOMP_RET_TRAP));
}

static volatile int *trap_slot;

static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	if (trap_slot)
		*trap_slot = si->si_syscall;
	_exit(SANDBOX_TRAPPED);
}

int sandbox_filter_possible(void)
{
#ifdef SB_ARCH
	return !RUNNING_ON_VALGRIND;
#else
	return 0;
#endif
}

int sandbox_confine(const int *wfds, size_t nw, volatile int *trapped, struct ds_error *err)
{
	if (RUNNING_ON_VALGRIND)
		return 0;
#ifdef SB_ARCH
	struct prog p;
	struct sock_fprog fp;
	struct sigaction sa;

	build_filter(&p, wfds, nw);
	if (p.n == sizeof p.v / sizeof p.v[0]) {
		ds_error_set(err, "sandbox", 0, "the filter is too long");
		return -1;
	}
	trap_slot = trapped;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSYS, &sa, NULL);
	fp.len = (unsigned short)p.n;
	fp.filter = p.v;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fp) != 0) {
		ds_error_set(err, "sandbox", 0, "the kernel refused the seccomp filter: %s", strerror(errno));
		return -1;
	}
	return 0;
#else
	(void)wfds;
	(void)nw;
	(void)trapped;
	ds_error_set(err, "sandbox", 0, "no seccomp filter for this architecture");
	return -1;
#endif
}

const char *sandbox_call_name(int nr)
{
	static const struct {
		int nr;
		const char *name;
	} names[] = {
	    {SYS_execve, "execve"}, {SYS_execveat, "execveat"}, {SYS_socket, "socket"}, {SYS_connect, "connect"},
	    {SYS_clone, "clone"}, {SYS_openat, "openat (for writing)"}, {SYS_write, "write"}, {SYS_kill, "kill"},
	    {SYS_ptrace, "ptrace"}, {SYS_unlinkat, "unlinkat"}, {SYS_renameat, "renameat"}, {SYS_ioctl, "ioctl"},
	    {SYS_fcntl, "fcntl"}, {SYS_prlimit64, "prlimit64"}, {SYS_setrlimit, "setrlimit"}, {SYS_dup, "dup"},
	    {SYS_dup3, "dup3"}, {SYS_lseek, "lseek"},
#ifdef SYS_fork
	    {SYS_fork, "fork"}, {SYS_vfork, "vfork"}, {SYS_open, "open (for writing)"}, {SYS_unlink, "unlink"},
	    {SYS_rename, "rename"}, {SYS_dup2, "dup2"},
#endif
	};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].nr == nr)
			return names[i].name;
	return NULL;
}

/* ---- the worker ---- */

/* What the worker leaves where its parent can read it after its death. */
struct shared {
	volatile int trapped; /* a forbidden call's number, -1 for none */
	char at_entry[AT_ENTRY_MAX];
};

struct cell {
	struct scan_opts so; /* the caller's, with at_entry pointing into sh */
	const struct sandbox_opts *sb;
	struct matcher *m;
	struct shared *sh;
	pid_t pid;     /* 0: no worker */
	int req, res;  /* the parent's ends; req is -1 once closed behind the last request */
	int last;      /* the next request is the last (cell_last) */
	struct buf in; /* a result being received */
};

static int write_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n > 0) {
		ssize_t w = write(fd, c, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

static int read_all(int fd, void *p, size_t n)
{
	char *c = p;

	while (n > 0) {
		ssize_t r = read(fd, c, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		c += r;
		n -= (size_t)r;
	}
	return 0;
}

static void limit_worker(const struct sandbox_opts *sb)
{
	struct rlimit as = {(rlim_t)sb->max_memory, (rlim_t)sb->max_memory}, none = {0, 0};

#ifndef SB_NO_AS_LIMIT
	setrlimit(RLIMIT_AS, &as);
#else
	(void)as;
#endif
	setrlimit(RLIMIT_CORE, &none); /* a crash must not leave a core file behind */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	ds_oom_status = SANDBOX_NOMEM;
}

/* The worker's life: one bundle path in, one result out, until the parent closes its end. */
static void serve(struct cell *c)
{
	static const int wfds[] = {2, RES_FD};
	struct ds_error err;
	struct buf out;

	limit_worker(c->sb);
	if (sandbox_confine(wfds, 2, &c->sh->trapped, &err) != 0)
		_exit(SANDBOX_TRAPPED + 2); /* stderr is /dev/null here: the parent's reap says it */
	buf_init(&out);
	for (;;) {
		uint32_t len;
		char path[PATH_MAX + 1];
		struct scan_result res;
		uint64_t n;

		if (read_all(REQ_FD, &len, sizeof len) != 0 || len > PATH_MAX || read_all(REQ_FD, path, len) != 0)
			_exit(0);
		path[len] = '\0';
		c->sh->at_entry[0] = '\0';
		scan_read(path, &c->so, c->m, &res);
		out.len = 0;
		wire_encode(&res, c->so.rs, &out);
		scan_result_reset(&res);
		n = out.len;
		if (write_all(RES_FD, &n, sizeof n) != 0 || write_all(RES_FD, out.p, out.len) != 0)
			_exit(0);
	}
}

/* 0, 1 and 2 onto /dev/null: the parent's standard output may be the report, its stderr a
 * terminal; the worker keeps neither (its only voice is the result pipe). */
static int null_std_fds(void)
{
	int fd = open("/dev/null", O_RDWR), k;

	if (fd < 0)
		return -1;
	for (k = 0; k < 3; k++)
		if (fd != k && dup2(fd, k) < 0)
			return -1;
	if (fd > 2)
		close(fd);
	return 0;
}

/* Moves fd to a number of at least 10, so that the fixed numbers are free to take. */
static int lift(int fd)
{
	int to = fcntl(fd, F_DUPFD, 10);

	close(fd);
	return to;
}

static int spawn(struct cell *c, struct ds_error *err)
{
	int rq[2], rs[2];
	pid_t pid;

	if (pipe2(rq, O_CLOEXEC) != 0)
		goto fail;
	if (pipe2(rs, O_CLOEXEC) != 0) {
		close(rq[0]);
		close(rq[1]);
		goto fail;
	}
	c->sh->trapped = -1;
	c->sh->at_entry[0] = '\0';
	/* room for a whole result in the pipe (250 KiB for a 200 MiB bundle): the worker writes it
	 * at once, instead of waiting four times for the parent to wake and empty 64 KiB */
	(void)fcntl(rs[0], F_SETPIPE_SZ, 1 << 20);
	pid = fork();
	if (pid < 0) {
		close(rq[0]), close(rq[1]), close(rs[0]), close(rs[1]);
		goto fail;
	}
	if (pid == 0) {
		int r = lift(rq[0]), w = lift(rs[1]);

		/* the report the parent has buffered but not written is the parent's: a worker that
		 * flushed its copy at exit (valgrind's exit path does) would write it twice */
		__fpurge(stdout);

		if (r < 0 || w < 0 || dup2(r, REQ_FD) < 0 || dup2(w, RES_FD) < 0)
			_exit(SANDBOX_TRAPPED + 2);
		/* nothing of the parent's stays open here: no output file, no other worker's pipes, not
		 * even its standard descriptors -- all before the filter, which keeps it that way */
		close_range(RES_FD + 1, ~0u, 0);
		if (null_std_fds() != 0)
			_exit(SANDBOX_TRAPPED + 2);
		serve(c);
	}
	close(rq[0]);
	close(rs[1]);
	c->pid = pid;
	c->req = rq[1];
	c->res = rs[0];
	return 0;
fail:
	ds_error_set(err, "sandbox", 0, "cannot start a worker: %s", strerror(errno));
	return -1;
}

/* Every live cell, held here as well as by its batch thread: a worker is a copy of the whole
 * parent made from one thread, so the other threads' cells (and their matchers) are in its memory
 * with their owners' stacks gone; a leak checker looking at a worker must still find an owner. */
#define CELLS_MAX 512
static struct cell *live[CELLS_MAX];
static pthread_mutex_t live_mu = PTHREAD_MUTEX_INITIALIZER;

static void hold(struct cell *c, int on)
{
	size_t i;

	pthread_mutex_lock(&live_mu);
	for (i = 0; i < CELLS_MAX; i++)
		if (live[i] == (on ? NULL : c)) {
			live[i] = on ? c : NULL;
			break;
		}
	pthread_mutex_unlock(&live_mu);
}

struct cell *cell_new(const struct scan_opts *so, const struct sandbox_opts *sb, struct matcher *m)
{
	struct cell *c = xcalloc(1, sizeof *c);

	hold(c, 1);
	c->so = *so;
	c->sb = sb;
	c->m = m;
	if (!sb->off) {
		c->sh = mmap(NULL, sizeof *c->sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (c->sh == MAP_FAILED)
			c->sh = NULL;
		else {
			c->so.at_entry = c->sh->at_entry;
			c->so.at_entry_size = sizeof c->sh->at_entry;
		}
	}
	buf_init(&c->in);
	return c;
}

/* A result up to this size has its room made at once; a larger one grows as it arrives, so that a
 * worker cannot have the parent reserve max_memory by naming a size it never sends. */
#define RECEIVE_AT_ONCE (16u << 20)

/* Reads n bytes of the result by the deadline. 0 done, -1 the worker closed its end, -2 late. */
static int receive(struct cell *c, size_t n, double deadline)
{
	while (c->in.len < n) {
		struct pollfd pf = {c->res, POLLIN, 0};
		double left = deadline - mono_seconds();
		ssize_t r;
		size_t want = n - c->in.len;

		if (left <= 0)
			return -2;
		if (poll(&pf, 1, (int)(left * 1000) + 1) == 0)
			continue;
		if (c->in.cap - c->in.len < (want < 65536 ? want : 65536) + 1)
			c->in.p = xgrow(c->in.p, &c->in.cap, c->in.len + (want < 65536 ? want : 65536) + 1, 1);
		r = read(c->res, c->in.p + c->in.len, c->in.cap - c->in.len - 1 < want ? c->in.cap - c->in.len - 1 : want);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		c->in.len += (size_t)r;
	}
	return 0;
}

/* Closes the worker's request pipe, once: it reads the end of it and exits. */
static void end_requests(struct cell *c)
{
	if (c->req >= 0)
		close(c->req);
	c->req = -1;
}

/* Ends the worker (it may still run) and says how it ended, in msg. */
static void reap(struct cell *c, int late, char *msg, size_t n)
{
	int st = 0, i;
	pid_t w = 0;

	end_requests(c);
	close(c->res);
	/* a worker that closed its result pipe is exiting; give it a moment to say how */
	for (i = 0; !late && i < 100 && (w = waitpid(c->pid, &st, WNOHANG)) == 0; i++)
		usleep(10000);
	if (w != c->pid) {
		kill(c->pid, SIGKILL);
		waitpid(c->pid, &st, 0);
	}
	c->pid = 0;
	if (late)
		snprintf(msg, n, "stopped after %u s (the --max-seconds limit)", c->sb->max_seconds);
	else if (WIFEXITED(st) && WEXITSTATUS(st) == SANDBOX_TRAPPED && c->sh->trapped >= 0) {
		const char *name = sandbox_call_name(c->sh->trapped);

		if (name)
			snprintf(msg, n, "stopped by the sandbox: forbidden system call %s", name);
		else
			snprintf(msg, n, "stopped by the sandbox: forbidden system call %d", c->sh->trapped);
	} else if (WIFEXITED(st) && WEXITSTATUS(st) == SANDBOX_NOMEM)
		snprintf(msg, n, "ran out of memory (the --max-memory limit, %llu MiB)",
		         (unsigned long long)(c->sb->max_memory >> 20));
	else if (WIFSIGNALED(st))
		snprintf(msg, n, "worker crashed: signal %d (%s)", WTERMSIG(st), strsignal(WTERMSIG(st)));
	else if (WIFEXITED(st) && WEXITSTATUS(st) == SANDBOX_TRAPPED + 2)
		snprintf(msg, n, "the worker could not be confined (no seccomp filter, or no /dev/null)");
	else
		snprintf(msg, n, "worker ended without a result (exit status %d)", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

static void fail_result(struct scan_result *res, const char *path, const char *entry, const char *msg)
{
	scan_result_init(res, path);
	res->status = SCAN_ERROR;
	res->problems = xcalloc(1, sizeof *res->problems);
	res->capproblems = 1;
	res->nproblems = 1;
	res->problems[0].entry = entry && entry[0] ? xstrdup(entry) : NULL;
	res->problems[0].msg = xstrdup(msg);
}

/* The entry the worker last named, if it is a string. */
static const char *last_entry(const struct cell *c)
{
	return memchr(c->sh->at_entry, '\0', sizeof c->sh->at_entry) ? c->sh->at_entry : NULL;
}

void cell_start(struct cell *c)
{
	struct ds_error err;

	if (!c->sb->off && c->sh && c->pid == 0)
		(void)spawn(c, &err);
}

void cell_scan(struct cell *c, const char *path, struct scan_result *res)
{
	struct ds_error err;
	uint32_t len = (uint32_t)strlen(path);
	uint64_t n = 0;
	double deadline;
	int rc;
	char msg[256];

	if (c->sb->off || c->sh == NULL) {
		scan_bundle(path, &c->so, c->m, res);
		return;
	}
	if (c->pid == 0 && spawn(c, &err) != 0) {
		fail_result(res, path, NULL, err.msg);
		return;
	}
	deadline = mono_seconds() + c->sb->max_seconds;
	c->in.len = 0;
	rc = len > PATH_MAX || write_all(c->req, &len, sizeof len) != 0 || write_all(c->req, path, len) != 0 ? -1 : 0;
	if (rc == 0 && c->last)
		end_requests(c); /* nothing follows: the worker ends once it has written the result */
	if (rc == 0 && (rc = receive(c, sizeof n, deadline)) == 0) {
		memcpy(&n, c->in.p, sizeof n);
		c->in.len = 0;
		if (n <= RECEIVE_AT_ONCE && c->in.cap < n + 1) /* its size is known: one allocation */
			c->in.p = xgrow(c->in.p, &c->in.cap, (size_t)n + 1, 1);
		rc = n > c->sb->max_memory ? -1 : receive(c, (size_t)n, deadline);
	}
	if (rc != 0) {
		reap(c, rc == -2, msg, sizeof msg);
		fail_result(res, path, last_entry(c), msg);
		return;
	}
	if (wire_decode(c->in.p, c->in.len, path, &c->so, res, &err) != 0) {
		reap(c, 0, msg, sizeof msg);
		fail_result(res, path, NULL, err.msg);
		return;
	}
	scan_diagnose(res, &c->so);
}

void cell_last(struct cell *c)
{
	c->last = 1;
}

void cell_free(struct cell *c)
{
	int st;

	if (c == NULL)
		return;
	if (c->pid > 0) {
		end_requests(c); /* the worker reads the end of its requests and exits */
		close(c->res);
		waitpid(c->pid, &st, 0);
	}
	if (c->sh)
		munmap(c->sh, sizeof *c->sh);
	buf_reset(&c->in);
	hold(c, 0);
	free(c);
}
