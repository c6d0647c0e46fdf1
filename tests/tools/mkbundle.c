/* mkbundle: packs a fixture text tree into a bundle, deterministically (sorted names, fixed
 * times and owners), with libarchive. A file named X.utf16le goes in as X in UTF-16LE with a BOM.
 * Every entry gets the time in the tree's .mtime file ("YYYY-MM-DD HH:MM:SS", when DART would
 * have written the bundle; not packed): a zip's local wall clock, a tar's UTC. Without one,
 * 2024-01-01 00:00:00. MKBUNDLE_MTIME names another such file.
 * usage: mkbundle zip|zip-utf8|tar.gz|tar OUT DIR [PREFIX]
 * zip-utf8 flags every name UTF-8 (general purpose bit 11), as Windows' own zip writers do. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define FIXED_TIME 1704067200 /* 2024-01-01 */

/* The tree's .mtime as an epoch. A zip stores local DOS time: mktime makes its fields the wall
 * clock written, whatever the build's zone (the reader undoes it in the same zone). A tar
 * stores UTC: timegm. */
static time_t stamp_of(const char *dir, int utc)
{
	char path[4096], line[64];
	struct tm tm;
	FILE *f;

	snprintf(path, sizeof path, "%s/.mtime", dir);
	if (getenv("MKBUNDLE_MTIME") != NULL) /* the same tree stamped otherwise (a zero DOS date) */
		snprintf(path, sizeof path, "%s", getenv("MKBUNDLE_MTIME"));
	if ((f = fopen(path, "r")) == NULL)
		return FIXED_TIME;
	memset(&tm, 0, sizeof tm);
	if (fgets(line, sizeof line, f) == NULL ||
	    sscanf(line, "%d-%d-%d %d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
	           &tm.tm_sec) != 6) {
		fprintf(stderr, "mkbundle: %s: not 'YYYY-MM-DD HH:MM:SS'\n", path);
		exit(1);
	}
	fclose(f);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_isdst = -1;
	return utc ? timegm(&tm) : mktime(&tm);
}

static char **names;
static size_t nnames, capnames;

static void collect(const char *root, const char *rel)
{
	char path[4096];
	DIR *d;
	struct dirent *de;

	snprintf(path, sizeof path, "%s%s%s", root, rel[0] ? "/" : "", rel);
	d = opendir(path);
	if (d == NULL) {
		perror(path);
		exit(1);
	}
	while ((de = readdir(d)) != NULL) {
		char r[4096], full[8192];
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		snprintf(r, sizeof r, "%s%s%s", rel, rel[0] ? "/" : "", de->d_name);
		snprintf(full, sizeof full, "%s/%s", root, r);
		if (lstat(full, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			collect(root, r);
		} else if (S_ISREG(st.st_mode)) {
			if (nnames == capnames) {
				capnames = capnames ? capnames * 2 : 64;
				names = realloc(names, capnames * sizeof *names);
			}
			names[nnames++] = strdup(r);
		}
	}
	closedir(d);
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *p = NULL;
	size_t cap = 0, n;

	*len = 0;
	if (f == NULL) {
		perror(path);
		exit(1);
	}
	for (;;) {
		if (*len + 65536 > cap) {
			cap = (cap + 65536) * 2;
			p = realloc(p, cap);
		}
		n = fread(p + *len, 1, 65536, f);
		if (n == 0)
			break;
		*len += n;
	}
	fclose(f);
	return p;
}

/* UTF-8 to UTF-16LE with a BOM (BMP and supplementary planes). */
static unsigned char *to_utf16le(const unsigned char *s, size_t n, size_t *out_len)
{
	unsigned char *o = malloc(n * 4 + 2);
	size_t i = 0, k = 0;

	o[k++] = 0xff;
	o[k++] = 0xfe;
	while (i < n) {
		unsigned cp = s[i];
		int extra = cp >= 0xf0 ? 3 : cp >= 0xe0 ? 2 : cp >= 0xc0 ? 1 : 0;

		if (extra)
			cp &= 0x3fu >> extra;
		for (i++; extra-- > 0 && i < n; i++)
			cp = (cp << 6) | (s[i] & 0x3f);
		if (cp >= 0x10000) {
			unsigned v = cp - 0x10000, hi = 0xd800 + (v >> 10), lo = 0xdc00 + (v & 0x3ff);

			o[k++] = (unsigned char)hi;
			o[k++] = (unsigned char)(hi >> 8);
			o[k++] = (unsigned char)lo;
			o[k++] = (unsigned char)(lo >> 8);
		} else {
			o[k++] = (unsigned char)cp;
			o[k++] = (unsigned char)(cp >> 8);
		}
	}
	*out_len = k;
	return o;
}

int main(int argc, char **argv)
{
	struct archive *a;
	size_t i;
	const char *prefix = argc > 4 ? argv[4] : "";
	time_t when;

	/* the tree's names are UTF-8: read them so, whatever the build's locale */
	setlocale(LC_CTYPE, "C.UTF-8");

	if (argc < 4) {
		fprintf(stderr, "usage: mkbundle zip|zip-utf8|tar.gz|tar OUT DIR [PREFIX]\n");
		return 2;
	}
	collect(argv[3], "");
	when = stamp_of(argv[3], strncmp(argv[1], "zip", 3) != 0);
	qsort(names, nnames, sizeof *names, cmp);
	a = archive_write_new();
	if (strcmp(argv[1], "zip") == 0 || strcmp(argv[1], "zip-utf8") == 0) {
		archive_write_set_format_zip(a);
		if (strcmp(argv[1], "zip-utf8") == 0)
			archive_write_set_format_option(a, "zip", "hdrcharset", "UTF-8");
	} else {
		archive_write_set_format_pax_restricted(a);
		if (strcmp(argv[1], "tar.gz") == 0) {
			archive_write_add_filter_gzip(a);
			archive_write_set_filter_option(a, "gzip", "timestamp", NULL);
		}
	}
	if (archive_write_open_filename(a, argv[2]) != ARCHIVE_OK) {
		fprintf(stderr, "mkbundle: %s: %s\n", argv[2], archive_error_string(a));
		return 1;
	}
	for (i = 0; i < nnames; i++) {
		char full[8192], name[8192];
		size_t len, nl = strlen(names[i]);
		unsigned char *data;
		struct archive_entry *e = archive_entry_new();

		snprintf(full, sizeof full, "%s/%s", argv[3], names[i]);
		data = slurp(full, &len);
		snprintf(name, sizeof name, "%s%s", prefix, names[i]);
		if (nl > 8 && strcmp(names[i] + nl - 8, ".utf16le") == 0) {
			unsigned char *u = to_utf16le(data, len, &len);

			free(data);
			data = u;
			name[strlen(name) - 8] = '\0';
		}
		archive_entry_set_pathname(e, name);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)len);
		archive_entry_set_mtime(e, when, 0);
		archive_entry_set_uid(e, 0);
		archive_entry_set_gid(e, 0);
		archive_write_header(a, e);
		archive_write_data(a, data, len);
		archive_entry_free(e);
		free(data);
		free(names[i]);
	}
	free(names);
	if (archive_write_close(a) != ARCHIVE_OK) {
		fprintf(stderr, "mkbundle: %s\n", archive_error_string(a));
		return 1;
	}
	archive_write_free(a);
	return 0;
}
