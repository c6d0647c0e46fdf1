/* Unit tests for bundle.c on tar archives built here in memory: names that lead outside the bundle
 * are read and listed once each, a byte of a name that is not UTF-8 is kept as \xNN, and damage
 * is said in plain words ("after 1 entry", no trailing newline). tests/suites/hostile.sh tries the
 * same on zips. */
#include <stdlib.h>

#include "bundle.h"
#include "check.h"

#define SUS "suspicious entry name (leads outside the bundle): "

/* Appends a ustar header and the data of one regular file to the archive at *a (n bytes so far). */
static void tar_add(char **a, size_t *n, const char *name, const char *data)
{
	size_t len = strlen(data), pad = (len + 511) / 512 * 512, i;
	unsigned sum = 0;
	char *h;

	*a = xrealloc(*a, *n + 512 + pad);
	h = *a + *n;
	memset(h, 0, 512 + pad);
	snprintf(h, 100, "%s", name);
	memcpy(h + 100, "0000644", 7);
	memcpy(h + 108, "0000000", 7);
	memcpy(h + 116, "0000000", 7);
	snprintf(h + 124, 12, "%011o", (unsigned)len);
	memcpy(h + 136, "14531452000", 11);
	memset(h + 148, ' ', 8);
	h[156] = '0';
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	for (i = 0; i < 512; i++)
		sum += (unsigned char)h[i];
	snprintf(h + 148, 8, "%06o", sum);
	memcpy(h + 512, data, len);
	*n += 512 + pad;
}

/* The end of a tar: two zero blocks. */
static void tar_end(char **a, size_t *n)
{
	*a = xrealloc(*a, *n + 1024);
	memset(*a + *n, 0, 1024);
	*n += 1024;
}

static int has_name(char **names, size_t n, const char *want)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], want) == 0)
			return 1;
	return 0;
}

static void test_names(void)
{
	static const char *const in[] = {"../../evil.txt", "ok/a..b.txt", "..\\win.txt", "C:\\x.txt",
	                                 "dir/caf\xe9.txt", "dir/../../up.txt", "plain.txt"};
	static const char *const outside[] = {"../../evil.txt", "..\\win.txt", "C:\\x.txt", "dir/../../up.txt"};
	struct bundle_limits lim;
	struct bundle_entry e;
	struct ds_error err;
	struct bundle *b;
	const struct bundle_problem *p;
	char *a = NULL, *names[16];
	size_t n = 0, nn = 0, np, i, k, sus = 0;
	int ok = 1;

	for (i = 0; i < sizeof in / sizeof *in; i++)
		tar_add(&a, &n, in[i], "x\n");
	tar_end(&a, &n);
	bundle_limits_default(&lim);
	b = bundle_open_memory("names.tar", a, n, &lim, &err);
	CHECK("bundle/names-open", b != NULL);
	if (b == NULL) {
		free(a);
		return;
	}
	while (nn < 16 && bundle_next(b, &e, &err) == 1)
		names[nn++] = xstrdup(e.name);
	CHECK("bundle/names-all-read", nn == sizeof in / sizeof *in);
	CHECK("bundle/names-outside-read", has_name(names, nn, "../../evil.txt") && has_name(names, nn, "C:\\x.txt"));
	CHECK("bundle/name-byte-escaped", has_name(names, nn, "dir/caf\\xe9.txt"));
	p = bundle_problems(b, &np);
	for (i = 0; i < np; i++) {
		char want[300];

		if (strncmp(p[i].msg, SUS, strlen(SUS)) != 0)
			continue;
		sus++;
		snprintf(want, sizeof want, SUS "%s", p[i].entry);
		ok &= strcmp(p[i].msg, want) == 0;
		for (k = 0; k < sizeof outside / sizeof *outside && strcmp(outside[k], p[i].entry) != 0; k++)
			;
		ok &= k < sizeof outside / sizeof *outside;
	}
	CHECK("bundle/outside-listed-once-each", sus == sizeof outside / sizeof *outside && ok);
	bundle_close(b);
	for (i = 0; i < nn; i++)
		free(names[i]);
	free(a);
}

/* A tar cut inside its second header: the reader stops after one entry and says so in words. */
static void test_damage(void)
{
	struct bundle_limits lim;
	struct bundle_entry e;
	struct ds_error err;
	struct bundle *b;
	char *a = NULL;
	size_t n = 0, len;
	int rc;

	tar_add(&a, &n, "a.txt", "hello\n");
	tar_add(&a, &n, "b.txt", "world\n");
	bundle_limits_default(&lim);
	b = bundle_open_memory("cut.tar", a, n - 512 - 300, &lim, &err);
	CHECK("bundle/cut-open", b != NULL);
	if (b == NULL) {
		free(a);
		return;
	}
	memset(&err, 0, sizeof err);
	while ((rc = bundle_next(b, &e, &err)) == 1)
		;
	len = strlen(err.msg);
	CHECK("bundle/cut-stops", rc == -1);
	CHECK("bundle/cut-one-entry", strstr(err.msg, "after 1 entry (the last: a.txt)") != NULL);
	CHECK("bundle/cut-says-truncated", strstr(err.msg, "damaged or truncated") != NULL);
	CHECK("bundle/cut-no-trailing-blank", len > 0 && err.msg[len - 1] != '\n' && err.msg[len - 1] != ' ');
	if (strstr(err.msg, "after 1 entry") == NULL)
		printf("# got: %s\n", err.msg);
	bundle_close(b);
	free(a);
}

int main(void)
{
	test_names();
	test_damage();
	return check_failed ? 1 : 0;
}
