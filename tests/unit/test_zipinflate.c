/* Unit tests for zipinflate.c: the outer zip's deflated entries read by ISA-L must give what
 * libarchive gives -- the same entries, bytes and problems, and the same report, byte for byte --
 * on every fixture and on a zip whose entry has a wrong CRC (a problem naming that entry, in
 * libarchive's words); on damaged copies of the fixtures, the same entries and problems, and the
 * same bytes up to the damage (compare). Needs the fixtures (make check). */
#include <dirent.h>
#include <isa-l/crc.h>
#include <isa-l/igzip_lib.h>
#include <stdlib.h>
#include <unistd.h>

#include "bundle.h"
#include "check.h"
#include "report/report.h"
#include "scan.h"

static struct ruleset *rs;
static struct matcher *m;

static unsigned long in_room; /* blocks read_all was given in its own room (bundle_read_into) */

/* The bytes of the entries a read gave, one after the other (for damaged copies: see compare). */
struct given {
	char *p;
	size_t n, cap;
	size_t entry_at[64]; /* where each of the first 64 entries starts in p */
	size_t nentries;
};

static void give(struct given *g, const void *p, size_t n)
{
	if (g->n + n > g->cap) {
		g->cap = (g->n + n) * 2;
		g->p = realloc(g->p, g->cap);
	}
	memcpy(g->p + g->n, p, n);
	g->n += n;
}

/* Everything a bundle reader gives, as text: entries, their bytes' CRC and size, how each read
 * ended, the problems. *isal counts the entries ISA-L read. With room, blocks are read with
 * bundle_read_into, into a buffer of the caller's (a text reader's queue slot, in scan.c). With g,
 * the bytes too, and the text has no CRC or size. */
static char *read_all(const char *path, const void *mem, size_t n, int libarchive_only, unsigned *isal, int room,
                      struct given *g)
{
	static char area[BUNDLE_ROOM];
	struct bundle_limits lim;
	struct bundle_entry e;
	struct ds_error err;
	struct bundle *b;
	const struct bundle_problem *pr;
	char *text = NULL;
	size_t len = 0, np, i;
	FILE *f = open_memstream(&text, &len);
	int rc;

	bundle_limits_default(&lim);
	lim.libarchive_only = libarchive_only;
	b = mem ? bundle_open_memory(path, mem, n, &lim, &err) : bundle_open(path, &lim, &err);
	if (b == NULL) {
		fprintf(f, "open: %s\n", err.msg);
		fclose(f);
		return text;
	}
	while ((rc = bundle_next(b, &e, &err)) == 1) {
		const void *p;
		ssize_t got;
		uint32_t crc = 0;
		uint64_t size = 0;

		*isal += (unsigned)bundle_entry_isal(b);
		if (g && g->nentries < 64)
			g->entry_at[g->nentries++] = g->n;
		while ((got = room ? bundle_read_into(b, area, sizeof area, &p, &err) : bundle_read(b, &p, &err)) > 0) {
			in_room += p == area;
			crc = crc32_gzip_refl(crc, p, (uint64_t)got);
			size += (uint64_t)got;
			if (g)
				give(g, p, (size_t)got);
		}
		if (g)
			fprintf(f, "%s %s\n", e.name, got < 0 ? err.msg : "end");
		else
			fprintf(f, "%s %08x %llu %s\n", e.name, crc, (unsigned long long)size, got < 0 ? err.msg : "end");
	}
	if (rc < 0)
		fprintf(f, "next: %s\n", err.msg);
	pr = bundle_problems(b, &np);
	for (i = 0; i < np; i++)
		fprintf(f, "problem %s: %s\n", pr[i].entry, pr[i].msg);
	bundle_close(b);
	fclose(f);
	return text;
}

/* Whether two reads gave the same bytes of every entry up to where the shorter one stops. */
static int same_prefixes(const struct given *a, const struct given *b)
{
	size_t i;

	if (a->nentries != b->nentries)
		return 0;
	for (i = 0; i < a->nentries; i++) {
		size_t ea = i + 1 < a->nentries ? a->entry_at[i + 1] : a->n;
		size_t eb = i + 1 < b->nentries ? b->entry_at[i + 1] : b->n;
		size_t la = ea - a->entry_at[i], lb = eb - b->entry_at[i], n = la < lb ? la : lb;

		if (n > 0 && memcmp(a->p + a->entry_at[i], b->p + b->entry_at[i], n) != 0) /* p is NULL when none */
			return 0;
	}
	return 1;
}

static char *scan_json(const char *path, int libarchive_only)
{
	struct scan_opts o;
	struct scan_result res;
	struct report_opts ro;
	struct reporter *rep;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	scan_opts_default(&o, rs);
	o.blim.libarchive_only = libarchive_only;
	scan_bundle(path, &o, m, &res);
	memset(&ro, 0, sizeof ro);
	ro.rs = rs;
	ro.unexplained = o.unexplained;
	rep = report_new("json", f, &ro);
	report_bundle(rep, &res);
	report_end(rep);
	report_free(rep);
	fclose(f);
	scan_result_reset(&res);
	return text;
}

/* Reads path (or mem) the three ways (libarchive, ISA-L, ISA-L into the caller's room); counts a
 * difference in *bad; returns the entries ISA-L read. A damaged copy must give the same entries,
 * ends and problems, and the same bytes up to where the shorter read of each entry stops, not as
 * many: zlib (under libarchive) and ISA-L notice damage in the middle of a deflate stream at
 * different places, and each gives whole blocks of its own size before it (one error-flood.zip copy:
 * 1 375 853 bytes by libarchive, 1 572 864 by ISA-L, of garbage after the flipped byte either way). */
static unsigned compare(const char *path, const void *mem, size_t n, int report, int damaged, unsigned *bad)
{
	struct given g[3];
	unsigned isal = 0, none = 0, again = 0;
	char *a, *b, *c;

	memset(g, 0, sizeof g);
	a = read_all(path, mem, n, 1, &none, 0, damaged ? &g[0] : NULL);
	b = read_all(path, mem, n, 0, &isal, 0, damaged ? &g[1] : NULL);
	c = read_all(path, mem, n, 0, &again, 1, damaged ? &g[2] : NULL);
	if (strcmp(a, b) != 0 || strcmp(a, c) != 0 || none != 0 || again != isal ||
	    (damaged && (!same_prefixes(&g[0], &g[1]) || !same_prefixes(&g[0], &g[2])))) {
		printf("# %s differ: %s\n--- libarchive\n%s--- isa-l\n%s--- isa-l, in room\n%s",
		       damaged ? "damaged copy's entries" : "entries", path, a, b, c);
		(*bad)++;
	}
	free(a);
	free(b);
	free(c);
	free(g[0].p), free(g[1].p), free(g[2].p);
	if (report && mem == NULL) {
		a = scan_json(path, 1);
		b = scan_json(path, 0);
		if (strcmp(a, b) != 0) {
			printf("# report differs: %s\n", path);
			(*bad)++;
		}
		free(a);
		free(b);
	}
	return isal;
}

static void put16(unsigned char *p, unsigned v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
}

static void put32(unsigned char *p, uint32_t v)
{
	put16(p, v & 0xffff);
	put16(p + 2, v >> 16);
}

/* A zip of one deflated entry (name, text) whose headers claim crc; its length. */
static size_t one_entry_zip(unsigned char *z, size_t cap, const char *name, const char *text, uint32_t crc)
{
	struct isal_zstream s;
	size_t nlen = strlen(name), tlen = strlen(text), off, data;
	unsigned char *lh = z, *cd;

	memset(&s, 0, sizeof s); /* the init leaves fields the deflater reads (level_buf, its size) */
	isal_deflate_stateless_init(&s);
	data = 30 + nlen;
	s.next_in = (uint8_t *)(uintptr_t)text;
	s.avail_in = (uint32_t)tlen;
	s.next_out = z + data;
	s.avail_out = (uint32_t)(cap - data - 200);
	s.end_of_stream = 1;
	if (isal_deflate_stateless(&s) != COMP_OK)
		return 0;
	memset(z, 0, data);
	put32(lh, 0x04034b50);
	put16(lh + 4, 20);
	put16(lh + 8, 8);
	put32(lh + 14, crc);
	put32(lh + 18, s.total_out);
	put32(lh + 22, (uint32_t)tlen);
	put16(lh + 26, (unsigned)nlen);
	memcpy(lh + 30, name, nlen);
	off = data + s.total_out;
	cd = z + off;
	memset(cd, 0, 46);
	put32(cd, 0x02014b50);
	put16(cd + 4, 20);
	put16(cd + 6, 20);
	put16(cd + 10, 8);
	put32(cd + 16, crc);
	put32(cd + 20, s.total_out);
	put32(cd + 24, (uint32_t)tlen);
	put16(cd + 28, (unsigned)nlen);
	memcpy(cd + 46, name, nlen);
	memset(cd + 46 + nlen, 0, 22);
	put32(cd + 46 + nlen, 0x06054b50);
	put16(cd + 46 + nlen + 8, 1);
	put16(cd + 46 + nlen + 10, 1);
	put32(cd + 46 + nlen + 12, (uint32_t)(46 + nlen));
	put32(cd + 46 + nlen + 16, (uint32_t)off);
	return off + 46 + nlen + 22;
}

static void test_bad_crc(void)
{
	static const char name[] = "Cisco Secure Client/Umbrella/cscumbrellaplugin.txt";
	static const char text[] = "2024-08-27 06:35:00 [ERROR] rejected all candidate resolvers\r\n";
	static unsigned char z[4096];
	uint32_t crc = crc32_gzip_refl(0, (const unsigned char *)text, strlen(text));
	size_t n = one_entry_zip(z, sizeof z, name, text, crc ^ 0x5a5a5a5a);
	unsigned bad = 0, isal = 0;
	char *got, want[300];

	CHECK("zipinflate: a one-entry zip is made", n > 0);
	CHECK("zipinflate: a wrong CRC gives the same as libarchive", compare("crc.zip", z, n, 0, 0, &bad) == 1 && bad == 0);
	got = read_all("crc.zip", z, n, 0, &isal, 0, NULL);
	snprintf(want, sizeof want, "problem %s: damaged data, read as it is (ZIP bad CRC: 0x%lx should be 0x%lx)", name,
	         (unsigned long)crc, (unsigned long)(crc ^ 0x5a5a5a5a));
	CHECK("zipinflate: the wrong CRC is a problem naming the entry, in libarchive's words", strstr(got, want) != NULL);
	CHECK("zipinflate: the entry's bytes are still read", strstr(got, "end\n") != NULL);
	free(got);
	n = one_entry_zip(z, sizeof z, name, text, crc);
	got = read_all("crc.zip", z, n, 0, &isal, 0, NULL);
	CHECK("zipinflate: the right CRC is no problem", strstr(got, "problem") == NULL && isal == 2);
	free(got);
}

int main(void)
{
	const char *b = getenv("B") ? getenv("B") : "build";
	char dir[1024], path[4096];
	struct ds_error err;
	struct match_limits ml;
	struct dirent *d;
	DIR *dd;
	unsigned bad = 0, bad_damaged = 0, bundles = 0, damaged = 0, isal = 0;
	/* under valgrind (tests/valgrind.sh) a few flips a bundle are enough: each read costs 50x */
	unsigned step = getenv("DS_UNDER_VALGRIND") ? 5 : 1;

	rs = ruleset_new();
	if (rules_load_dir(rs, "rules", &err) != 0) {
		printf("FAIL zipinflate: rules: %s\n", err.msg);
		return 1;
	}
	match_limits_default(&ml);
	m = matcher_new(rs, &ml);
	snprintf(dir, sizeof dir, "%s/fixtures", b);
	if ((dd = opendir(dir)) == NULL) {
		printf("FAIL zipinflate: %s: no fixtures (make fixtures)\n", dir);
		return 1;
	}
	while ((d = readdir(dd)) != NULL) {
		FILE *f;
		char *p;
		size_t n, cut;
		long len;

		if (strstr(d->d_name, ".zip") == NULL && strstr(d->d_name, ".tar.gz") == NULL)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, d->d_name);
		isal += compare(path, NULL, 0, 1, 0, &bad);
		bundles++;
		if ((f = fopen(path, "rb")) == NULL || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) <= 0) {
			if (f)
				fclose(f);
			continue;
		}
		n = (size_t)len;
		p = malloc(n);
		rewind(f);
		if (fread(p, 1, n, f) != n)
			n = 0;
		fclose(f);
		/* damaged copies, in memory: a byte flipped at several places, and the file cut short */
		for (cut = 1; n > 0 && cut < 16; cut += step) {
			p[n * cut / 16] ^= 0x5a;
			compare(d->d_name, p, n, 0, 1, &bad_damaged);
			p[n * cut / 16] ^= 0x5a;
			damaged++;
		}
		if (n > 0) {
			compare(d->d_name, p, n * 2 / 3, 0, 1, &bad_damaged);
			damaged++;
		}
		free(p);
	}
	closedir(dd);
	printf("# %u bundles, %u entries inflated by ISA-L; %u damaged copies\n", bundles, isal, damaged);
	CHECK("zipinflate: ISA-L or libarchive, the same entries, bytes, problems and report on every fixture",
	      bad == 0 && bundles > 10);
	CHECK("zipinflate: fixture entries were inflated by ISA-L (the comparison is not vacuous)", isal > 100);
	printf("# %lu blocks inflated into the caller's room\n", in_room);
	CHECK("zipinflate: bundle_read_into inflated into the caller's room (that comparison is not vacuous)",
	      in_room > 100);
	CHECK("zipinflate: damaged copies read the same both ways, up to the damage", bad_damaged == 0 && damaged > 100);
	test_bad_crc();
	matcher_free(m);
	ruleset_free(rs);
	return check_failed != 0;
}
