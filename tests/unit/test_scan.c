/* Unit tests for scan.c's read-ahead: a bundle scanned with its large log entries read on a second
 * thread must give the same report, byte for byte, as one read in order -- on every fixture, on
 * damaged copies of them (the helper's reading is then thrown away and the entry read in place),
 * and when the bundle's total limit falls between two entries. Needs the fixtures (make check). */
#include <dirent.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "report/report.h"
#include "scan.h"

static struct ruleset *rs;
static struct matcher *m;

static int hold; /* scans read ahead hold the helper until the scan has taken its later entries */
static int piped; /* every entry of both readers decoded on a thread of its own (small fixtures
                     would otherwise never be; ahead_pipeline is off on two CPUs) */
static unsigned long stolen; /* entries the scan read for a held helper, in all */

/* The JSON report of one scan, and how many entries came from the helper. */
static char *scan_json(const char *path, uint64_t read_ahead, uint64_t max_total, unsigned long *taken)
{
	struct scan_opts o;
	struct scan_result res;
	struct report_opts ro;
	struct reporter *rep;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	scan_opts_default(&o, rs);
	o.read_ahead = read_ahead;
	o.ahead_hold = hold;
	if (piped)
		o.pipeline_after = 1, o.ahead_pipeline = 1;
	if (max_total)
		o.blim.max_total = max_total;
	scan_bundle(path, &o, m, &res);
	memset(&ro, 0, sizeof ro);
	ro.rs = rs;
	ro.unexplained = o.unexplained; /* the templates too must be the same either way */
	rep = report_new("json", f, &ro);
	report_bundle(rep, &res);
	report_end(rep);
	report_free(rep);
	fclose(f);
	if (taken)
		*taken = res.ahead_taken;
	if (hold)
		stolen += res.ahead_stolen;
	scan_result_reset(&res);
	return text;
}

/* Scans path both ways; counts a difference in *bad and returns the helper's entries. */
static unsigned long compare(const char *path, uint64_t max_total, unsigned *bad)
{
	unsigned long taken = 0;
	char *in_order = scan_json(path, 0, max_total, NULL);
	char *ahead = scan_json(path, 1, max_total, &taken);

	if (strcmp(in_order, ahead) != 0) {
		printf("# differs: %s (max_total %llu)\n", path, (unsigned long long)max_total);
		(*bad)++;
	}
	free(in_order);
	free(ahead);
	return taken;
}

static int read_file(const char *path, char **p, size_t *n)
{
	FILE *f = fopen(path, "rb");
	long len;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		if (f)
			fclose(f);
		return -1;
	}
	*n = (size_t)len;
	*p = malloc(*n ? *n : 1);
	if (*p == NULL || fread(*p, 1, *n, f) != *n) {
		fclose(f);
		free(*p);
		return -1;
	}
	fclose(f);
	return 0;
}

static void write_file(const char *path, const char *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (f) {
		fwrite(p, 1, n, f);
		fclose(f);
	}
}

/* test_scan [FILE...]: also compares both ways on the files given (by hand, e.g. the hostile corpus). */
int main(int argc, char **argv)
{
	const char *b = getenv("B") ? getenv("B") : "build";
	const char *tmpdir = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char dir[1024], tmp[1024], path[4096], copy[4096];
	struct ds_error err;
	struct dirent *d;
	DIR *dd;
	unsigned bad = 0, bundles = 0, damaged = 0, bad_damaged = 0, bad_limits = 0;
	unsigned long taken = 0, taken_damaged_less = 0, taken_limits = 0, targz_taken = 0;
	unsigned targz = 0, bad_given = 0, held = 0, bad_held = 0, bad_piped = 0;
	unsigned long piped_taken = 0;
	int i;

	rs = ruleset_new();
	if (rules_load_dir(rs, "rules", &err) != 0) {
		printf("FAIL scan: rules: %s\n", err.msg);
		return 1;
	}
	{
		struct match_limits ml;

		match_limits_default(&ml);
		m = matcher_new(rs, &ml);
	}
	snprintf(dir, sizeof dir, "%s/fixtures", b);
	snprintf(tmp, sizeof tmp, "%s/dartscan-unit-XXXXXX", tmpdir);
	dd = opendir(dir);
	if (dd == NULL || mkdtemp(tmp) == NULL) {
		printf("FAIL scan: %s: no fixtures (make fixtures)\n", dir);
		return 1;
	}
	while ((d = readdir(dd)) != NULL) {
		char *p;
		size_t n, cut;
		unsigned long t, td;

		snprintf(path, sizeof path, "%s/%s", dir, d->d_name);
		if (strstr(d->d_name, ".tar.gz") != NULL) {
			/* a gzip stream has no shortcut to its later entries: never read ahead */
			targz_taken += compare(path, 0, &bad);
			targz++;
			continue;
		}
		if (strstr(d->d_name, ".zip") == NULL)
			continue;
		t = compare(path, 0, &bad);
		taken += t;
		bundles++;
		hold = 1; /* the helper waits: the scan reads its later entries, as when it is slow */
		compare(path, 0, &bad_held);
		hold = 0;
		held++;
		piped = 1;
		piped_taken += compare(path, 0, &bad_piped);
		piped = 0;
		if (read_file(path, &p, &n) != 0)
			continue;
		/* damaged copies: a byte flipped at several places, and the file cut short */
		for (cut = 1; cut < 8; cut++) {
			snprintf(copy, sizeof copy, "%s/flip-%zu-%s", tmp, cut, d->d_name);
			p[n * cut / 8] ^= 0x5a;
			write_file(copy, p, n);
			p[n * cut / 8] ^= 0x5a;
			hold = cut % 2; /* a damaged entry the scan read for the helper is read again too */
			td = compare(copy, 0, &bad_damaged);
			hold = 0;
			taken_damaged_less += td < t;
			damaged++;
			unlink(copy);
		}
		snprintf(copy, sizeof copy, "%s/cut-%s", tmp, d->d_name);
		write_file(copy, p, n * 2 / 3);
		compare(copy, 0, &bad_damaged);
		damaged++;
		unlink(copy);
		free(p);
		/* the total limit at every few hundred bytes: it falls inside or between entries */
		for (cut = 1; cut < 40; cut++)
			taken_limits += compare(path, cut * 300, &bad_limits);
	}
	closedir(dd);
	rmdir(tmp);
	for (i = 1; i < argc; i++) {
		unsigned long t = compare(argv[i], 0, &bad_given);

		printf("# %s: %lu read ahead\n", argv[i], t);
	}
	if (argc > 1)
		CHECK("scan: the files given give the same report both ways", bad_given == 0);
	printf("# %u bundles, %lu entries read ahead; %u damaged copies\n", bundles, taken, damaged);
	CHECK("scan: read ahead or in order, the same report on every fixture", bad == 0 && bundles > 10);
	CHECK("scan: some fixture entries were read ahead (the comparison is not vacuous)", taken > 5);
	printf("# %u bundles with the helper held, %lu entries the scan read for it\n", held, stolen);
	/* held, the helper keeps its first entry and the scan reads the rest: rotated-swg's three parts give two */
	CHECK("scan: the scan reading the helper's later entries gives the same report", bad_held == 0 && stolen >= 2);
	CHECK("scan: both readers decoding on threads of their own give the same report",
	      bad_piped == 0 && piped_taken > 5);
	CHECK("scan: damaged copies give the same report both ways", bad_damaged == 0 && damaged > 80);
	CHECK("scan: a tar.gz is never read ahead", targz > 0 && targz_taken == 0);
	CHECK("scan: a damaged entry read ahead is read again in place", taken_damaged_less > 0);
	CHECK("scan: the total limit cuts the same entries both ways", bad_limits == 0 && taken_limits > 0);
	matcher_free(m);
	ruleset_free(rs);
	return check_failed != 0;
}
