/* test_sandbox: the seccomp filter refuses what a worker must never do (and allows what reading
 * needs); scan results survive the wire unchanged; damaged wire bytes are refused, never trusted.
 * Needs the fixtures (make check). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "sandbox.h"
#include "result.h"
#include "wire.h"

enum act {
	A_NOTHING, A_EXEC, A_SOCKET, A_OPEN_WRITE, A_OPEN_READ, A_WRITE_STDOUT, A_FORK, A_THREAD, A_ABORT, A_KILL,
	A_SETOWN, A_SETOWN_OWN, A_SETFL, A_PRLIMIT_HIGH, A_PRLIMIT_READ, A_LSEEK_STDOUT, A_DUP3_STDOUT, A_OWN_FD
};

/* prlimit64 with a new limit mapped above 4 GiB: the pointer's low half is 0; 48 TiB
 * is plain memory under ASan too (20 GiB is its shadow gap, 96 TiB its heap) */
static int set_limit_high(void)
{
	struct rlimit *rl = mmap((void *)0x300000000000ul, 4096, PROT_READ | PROT_WRITE,
	                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (rl == MAP_FAILED || (uintptr_t)rl != 0x300000000000ul)
		return 1;
	rl->rlim_cur = rl->rlim_max = 0;
	return syscall(SYS_prlimit64, getppid(), RLIMIT_FSIZE, rl, NULL) == 0 ? 0 : 1;
}

/* what a reader does with a file of its own: seek, duplicate, ask its flags */
static int own_fd(void)
{
	int fd = open("/etc/passwd", O_RDONLY), d;

	if (fd < 0 || lseek(fd, 1, SEEK_SET) != 1 || fcntl(fd, F_GETFL) < 0 || fcntl(fd, F_GETFD) < 0)
		return 1;
	d = dup(fd);
	return d >= 0 && dup3(fd, d, 0) == d ? 0 : 1;
}

static void *thread_main(void *p)
{
	return p;
}

static int act(enum act a)
{
	char *argv[] = {"/bin/true", NULL};
	pthread_t t;
	int fd;

	switch (a) {
	case A_NOTHING: return 0;
	case A_EXEC: execve("/bin/true", argv, argv + 1); return 1;
	case A_SOCKET: return socket(AF_INET, SOCK_STREAM, 0) >= 0 ? 0 : 1;
	case A_OPEN_WRITE: return open("/tmp/dartscan-sandbox-must-not-exist", O_WRONLY | O_CREAT, 0600) >= 0 ? 0 : 1;
	case A_OPEN_READ:
		fd = open("/etc/passwd", O_RDONLY);
		return fd >= 0 && read(fd, &a, 1) == 1 ? 0 : 1;
	case A_WRITE_STDOUT: return write(1, "", 0) == 0 ? 0 : 1;
	case A_FORK: return fork() >= 0 ? 0 : 1;
	case A_THREAD: return pthread_create(&t, NULL, thread_main, NULL) == 0 && pthread_join(t, NULL) == 0 ? 0 : 1;
	case A_ABORT: abort();
	case A_KILL: return kill(getppid(), 0);
	case A_SETOWN: return fcntl(0, F_SETOWN, getppid()) == 0 ? 0 : 1;
	case A_SETOWN_OWN:
		fd = open("/etc/passwd", O_RDONLY);
		return fcntl(fd, F_SETOWN, getppid()) == 0 ? 0 : 1;
	case A_SETFL:
		fd = open("/etc/passwd", O_RDONLY);
		return fcntl(fd, F_SETFL, O_ASYNC) == 0 ? 0 : 1;
	case A_PRLIMIT_HIGH: return set_limit_high();
	case A_PRLIMIT_READ: {
		struct rlimit old;

		return syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, &old) == 0 ? 0 : 1;
	}
	case A_LSEEK_STDOUT: return lseek(1, 0, SEEK_SET) >= 0 ? 0 : 1;
	case A_DUP3_STDOUT: return dup3(1, 2, 0) >= 0 ? 0 : 1;
	case A_OWN_FD: return own_fd();
	}
	return 1;
}

/* Runs a in a confined child; returns its wait status, the trapped call in *nr. */
static int confined(enum act a, int *nr)
{
	volatile int *slot = mmap(NULL, sizeof *slot, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	static const int wfds[] = {2};
	struct ds_error err;
	pid_t pid;
	int st = -1;

	*slot = -1;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		if (sandbox_confine(wfds, 1, slot, &err) != 0)
			_exit(99);
		_exit(act(a));
	}
	waitpid(pid, &st, 0);
	*nr = *slot;
	munmap((void *)slot, sizeof *slot);
	return st;
}

static void check_confinement(void)
{
	static const struct {
		const char *name;
		enum act a;
		long nr; /* the call trapped, 0 for none: the child exits 0 */
	} cases[] = {
	    {"sandbox/allows-nothing", A_NOTHING, 0},
	    {"sandbox/allows-read-only-open", A_OPEN_READ, 0},
	    {"sandbox/allows-threads", A_THREAD, 0},
	    {"sandbox/stops-execve", A_EXEC, SYS_execve},
	    {"sandbox/stops-socket", A_SOCKET, SYS_socket},
	    {"sandbox/stops-open-for-writing", A_OPEN_WRITE, SYS_openat},
	    {"sandbox/stops-writing-stdout", A_WRITE_STDOUT, SYS_write},
	    {"sandbox/stops-fork", A_FORK, SYS_clone},
	    {"sandbox/stops-kill", A_KILL, SYS_kill},
	    {"sandbox/stops-fcntl-setown", A_SETOWN, SYS_fcntl},
	    {"sandbox/stops-fcntl-setown-own-fd", A_SETOWN_OWN, SYS_fcntl},
	    {"sandbox/stops-fcntl-setfl-async", A_SETFL, SYS_fcntl},
	    {"sandbox/stops-prlimit-pointer-above-4g", A_PRLIMIT_HIGH, SYS_prlimit64},
	    {"sandbox/allows-reading-own-limit", A_PRLIMIT_READ, 0},
	    {"sandbox/stops-lseek-stdout", A_LSEEK_STDOUT, SYS_lseek},
	    {"sandbox/stops-dup3-stdout", A_DUP3_STDOUT, SYS_dup3},
	    {"sandbox/allows-own-fd-seek-dup-flags", A_OWN_FD, 0},
	};
	size_t i;
	int nr, st;

	if (!sandbox_filter_possible()) {
		printf("SKIP sandbox/confinement: no filter here (valgrind, or an architecture it does not know)\n");
		return;
	}
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		st = confined(cases[i].a, &nr);
		if (cases[i].nr == 0)
			CHECK(cases[i].name, WIFEXITED(st) && WEXITSTATUS(st) == 0 && nr == -1);
		else
			CHECK(cases[i].name, WIFEXITED(st) && WEXITSTATUS(st) == SANDBOX_TRAPPED && nr == cases[i].nr);
	}
	CHECK("sandbox/no-file-written", access("/tmp/dartscan-sandbox-must-not-exist", F_OK) != 0);
	st = confined(A_ABORT, &nr);
	CHECK("sandbox/abort-is-a-signal", WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT && nr == -1);
	CHECK_STR("sandbox/names-execve", sandbox_call_name(SYS_execve), "execve");
	CHECK("sandbox/unknown-call-unnamed", sandbox_call_name(-5) == NULL);
}

static struct ruleset *rs;
static struct matcher *m;

static void encode(const struct scan_result *res, struct buf *b)
{
	b->len = 0;
	wire_encode(res, rs, b);
}

static int field_set(const struct scan_result *res, const struct result_field *f)
{
	const unsigned char *p = (const unsigned char *)res + f->offset;
	size_t i;

	for (i = 0; i < f->size; i++)
		if (p[i])
			return 1;
	return 0;
}

/* Every member the worker set is one the table says it sets (RF_WIRE, RF_WORKER, RF_BOTH; a count,
 * RF_WITH, as its array), and each RF_WIRE one comes back set: a row marked as crossing whose
 * writer or reader forgets it is caught. */
static int fields_carried(const char *path, const struct scan_result *res, const struct scan_result *back)
{
	size_t n, i;
	const struct result_field *f = result_fields(&n);
	int ok = 1;

	for (i = 0; i < n; i++) {
		int sent = field_set(res, &f[i]), got = field_set(back, &f[i]);
		size_t owner = i;

		while (owner > 0 && f[owner].side == RF_WITH) /* a count goes where its array goes */
			owner--;
		if ((sent && f[owner].side == RF_PARENT) || (sent && f[owner].side == RF_WIRE && !got) ||
		    (got && f[owner].side == RF_WORKER)) {
			printf("FAIL wire/field-carried: %s: %s\n", path, f[i].name);
			ok = 0;
		}
	}
	return ok;
}

static size_t align_up(size_t v, size_t a)
{
	return (v + a - 1) / a * a;
}

/* Every byte of struct scan_result is one row's, or the padding the compiler puts before the next
 * row: a member added without a row fails. */
static int fields_cover_struct(void)
{
	size_t n, i, end = 0;
	const struct result_field *f = result_fields(&n);

	for (i = 0; i < n; i++) {
		if (f[i].offset != align_up(end, f[i].align)) {
			printf("FAIL wire/fields-cover-struct: before %s\n", f[i].name);
			return 0;
		}
		end = f[i].offset + f[i].size;
	}
	return sizeof(struct scan_result) == align_up(end, _Alignof(struct scan_result));
}

/* Scans path, sends the result over the wire and back: the bytes must come back the same, and
 * every member the table says crosses does. */
static int round_trip(const char *path, const struct scan_opts *o, struct buf *first)
{
	struct scan_result res, back;
	struct buf again;
	struct ds_error err;
	int same;

	scan_read(path, o, m, &res);
	encode(&res, first);
	if (wire_decode(first->p, first->len, path, o, &back, &err) != 0) {
		scan_result_reset(&res);
		return 0;
	}
	same = fields_carried(path, &res, &back);
	scan_result_reset(&res);
	buf_init(&again);
	encode(&back, &again);
	same = same && again.len == first->len && memcmp(again.p, first->p, first->len) == 0;
	scan_diagnose(&back, o);
	scan_result_reset(&back);
	buf_reset(&again);
	return same;
}

/* A problem's kind crosses the wire: foreign-format's log in a format no rule reads is still that
 * kind in the parent (a round trip of bytes alone passes when both sides leave a field out). */
static int kind_carried(const char *bdir, const struct scan_opts *o)
{
	struct scan_result res, back;
	struct ds_error err;
	char path[512];
	struct buf b;
	int ok = 0;
	size_t i;

	snprintf(path, sizeof path, "%s/fixtures/foreign-format.zip", bdir);
	buf_init(&b);
	scan_read(path, o, m, &res);
	encode(&res, &b);
	scan_result_reset(&res);
	if (wire_decode(b.p, b.len, path, o, &back, &err) == 0) {
		for (i = 0; i < back.nproblems; i++)
			ok |= back.problems[i].kind == PROBLEM_FOREIGN_FORMAT;
		scan_result_reset(&back);
	}
	buf_reset(&b);
	return ok;
}

/* Every cut of the bytes is refused; no flipped byte makes the decoder crash (the sanitizers'
 * build runs this too). Returns the cuts that were accepted. */
static unsigned damage(const struct buf *b, const char *path, const struct scan_opts *o, unsigned *flips_taken,
                       unsigned *flips_tried)
{
	struct scan_result res;
	struct ds_error err;
	unsigned accepted = 0;
	size_t i;
	char *copy = xmalloc(b->len);

	for (i = 0; i < b->len; i += 1 + b->len / 4000)
		if (wire_decode(b->p, i, path, o, &res, &err) == 0) {
			accepted++;
			scan_result_reset(&res);
		}
	for (i = 0; i < b->len; i += 1 + b->len / 4000) {
		memcpy(copy, b->p, b->len);
		copy[i] ^= (char)0xa5;
		(*flips_tried)++;
		if (wire_decode(copy, b->len, path, o, &res, &err) == 0) {
			(*flips_taken)++;
			scan_diagnose(&res, o);
			scan_result_reset(&res);
		}
	}
	free(copy);
	return accepted;
}

/* A result of well-formed bytes that no worker reading a bundle could send: refused whole. */
static int lie_refused(const char *path, const struct scan_opts *o, int lie)
{
	struct scan_result res, back;
	struct ds_error err;
	struct buf b;
	size_t i;
	int refused;

	scan_read(path, o, m, &res);
	for (i = 0; i < res.events.n && res.events.v[i].comp == NULL; i++)
		;
	if (i == res.events.n) {
		scan_result_reset(&res);
		return 0;
	}
	if (lie == 0) { /* a component without a state: the timeline would compare a NULL */
		free(res.events.v[i].state);
		res.events.v[i].state = NULL;
	} else if (lie == 1) { /* a time no log gives: differences of times would overflow */
		res.events.v[i].first.ms = INT64_MIN + 5;
	} else if (res.unx.n > 0) { /* the template ranking subtracts these */
		res.unx.t[0].last.ms = INT64_MAX - 5;
	} else {
		res.end.ms = INT64_MAX - 5;
	}
	buf_init(&b);
	encode(&res, &b);
	scan_result_reset(&res);
	refused = wire_decode(b.p, b.len, path, o, &back, &err) != 0 && strstr(err.msg, "worker sent invalid results");
	if (!refused)
		scan_result_reset(&back);
	buf_reset(&b);
	return refused;
}

static void check_lies(const struct scan_opts *o, const char *dir)
{
	char path[2048];

	snprintf(path, sizeof path, "%s/seed-both.zip", dir);
	CHECK("wire/component-without-state-refused", lie_refused(path, o, 0));
	CHECK("wire/time-out-of-range-refused", lie_refused(path, o, 1));
	CHECK("wire/template-time-out-of-range-refused", lie_refused(path, o, 2));
}

/* A cell told that its next request is the last closes the worker's requests behind it: the
 * worker ends on its own once it has written the result, while the parent reads it, instead of
 * waiting for cell_free. The worker is looked for here among this process's children. */
static void check_last_request(const struct scan_opts *o, const char *dir)
{
	struct sandbox_opts sb;
	struct scan_result res;
	struct cell *c;
	char path[2048];
	pid_t gone = 0;
	int st, i;

	sandbox_opts_default(&sb);
	snprintf(path, sizeof path, "%s/seed-both.zip", dir);
	c = cell_new(o, &sb, m);
	cell_start(c);
	cell_last(c);
	cell_scan(c, path, &res);
	CHECK("cell/last-request-scanned", res.status != SCAN_ERROR && res.nentries > 0);
	for (i = 0; i < 3000 && (gone = waitpid(-1, &st, WNOHANG)) == 0; i++) /* 30 s: valgrind is slow */
		usleep(10000);
	CHECK("cell/last-request-worker-ends", gone > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	scan_result_reset(&res);
	cell_free(c); /* its worker is reaped already: the wait finds no child */
}

static void check_wire(void)
{
	const char *bdir = getenv("B") ? getenv("B") : "build";
	struct scan_opts o, ox;
	struct match_limits ml;
	struct ds_error err;
	char dir[1024], path[2048];
	struct buf b;
	struct dirent *d;
	DIR *dd;
	unsigned n = 0, bad = 0, cuts = 0, flips = 0, tried = 0;

	rs = ruleset_new();
	if (rules_load_dir(rs, "rules", &err) != 0) {
		printf("FAIL wire: rules: %s\n", err.msg);
		return;
	}
	match_limits_default(&ml);
	m = matcher_new(rs, &ml);
	scan_opts_default(&o, rs);
	ox = o;
	ox.explain = rules_find(rs, "dns.resolvers-unreachable");
	buf_init(&b);
	snprintf(dir, sizeof dir, "%s/fixtures", bdir);
	if ((dd = opendir(dir)) == NULL) {
		printf("FAIL wire: %s: no fixtures (make fixtures)\n", dir);
		return;
	}
	while ((d = readdir(dd)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, d->d_name);
		n++;
		if (!round_trip(path, &o, &b) || !round_trip(path, &ox, &b)) {
			printf("FAIL wire/round-trip: %s\n", path);
			bad++;
		}
		if (strcmp(d->d_name, "seed-both.zip") == 0) {
			round_trip(path, &ox, &b);
			cuts = damage(&b, path, &ox, &flips, &tried);
		}
	}
	closedir(dd);
	CHECK("wire/round-trip-every-fixture", n > 20 && bad == 0);
	CHECK("wire/fields-cover-struct", fields_cover_struct());
	CHECK("wire/problem-kind-carried", kind_carried(bdir, &o));
	CHECK("wire/cut-bytes-refused", cuts == 0);
	/* both ways out of the decoder were taken: some flips refused, some decoded and correlated */
	CHECK("wire/flipped-bytes-refused-or-checked", tried > 1000 && flips > 0 && flips < tried);
	{
		struct scan_result res;

		CHECK("wire/empty-refused", wire_decode("", 0, "x", &o, &res, &err) != 0);
		CHECK("wire/refusal-says-why", strstr(err.msg, "worker sent invalid results") != NULL);
	}
	check_lies(&o, dir);
	check_last_request(&o, dir);
	buf_reset(&b);
	matcher_free(m);
	ruleset_free(rs);
}

int main(void)
{
	check_confinement();
	check_wire();
	return check_failed ? 1 : 0;
}
