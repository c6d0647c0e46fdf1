/* mkbundle: packs a fixture text tree into a bundle, deterministically (sorted names, fixed
 * times and owners), with libarchive. A file named X.utf16le goes in as X in UTF-16LE with a BOM.
 * Every entry gets the time in the tree's .mtime file ("YYYY-MM-DD HH:MM:SS", when DART would
 * have written the bundle; not packed): a zip's local wall clock, a tar's UTC. Without one,
 * 2024-01-01 00:00:00. MKBUNDLE_MTIME names another such file.
 * usage: mkbundle KIND OUT DIR [PREFIX], KIND one of zip, zip-utf8, tar.gz, tar and the zips of
 * uploads as customers make them:
 *   zip-utf8       every name flagged UTF-8 (general purpose bit 11), as Windows' own zip writers do
 *   zip-zipcrypt, zip-aes256  encrypted with the passphrase in $MKBUNDLE_PASSPHRASE (ZipCrypto, as
 *                  7-Zip and Windows write by default; WinZip's AES-256)
 *   zip64          zip64 extensions on every entry, as writers do past 4 GiB
 *   zip-cp437      names in IBM code page 437, not flagged UTF-8 (an old Windows zip writer)
 *   zip-backslash  '\' between a name's folders (re-zipped by an old Windows tool)
 *   zip-macos      each file followed by its AppleDouble twin, __MACOSX/DIR/._NAME (macOS's
 *                  Archive Utility, "Compress")
 * The encrypting writers take libarchive's random bytes (ZipCrypto's header, AES's salt) from
 * arc4random_buf, which this file defines: a fixed sequence, so the bundle is the same bytes at
 * every build (a golden's SHA-256 holds). */
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

/* libarchive's source of random bytes (glibc's since 2.36), taken over here: the encrypting
 * writers' bytes are then a fixed sequence, and the bundle deterministic. Never a real secret. */
void arc4random_buf(void *p, size_t n);
void arc4random_buf(void *p, size_t n)
{
	static unsigned x = 20240827;
	unsigned char *c = p;
	size_t i;

	for (i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		c[i] = (unsigned char)(x >> 16);
	}
}

/* An AppleDouble file as macOS's Archive Utility stores beside each file (__MACOSX/DIR/._NAME):
 * the header (magic 00 05 16 07, version 2, "Mac OS X"), a Finder-info entry holding an extended
 * attribute (the quarantine flag, text inside a binary file), and an empty resource fork; 4096
 * bytes as macOS writes them. */
static unsigned char *apple_double(size_t *len)
{
	static const char attr[] = "0083;66cd9a1b;Safari;7E4C1D2A-8B7B-4C6F-9A61-3F1E2D4C5B6A";
	static const char aname[] = "com.apple.quarantine";
	unsigned char *p = calloc(1, 4096);
	size_t k;

#define BE32(o, v) (p[(o)] = (unsigned char)((v) >> 24), p[(o) + 1] = (unsigned char)((v) >> 16), \
                    p[(o) + 2] = (unsigned char)((v) >> 8), p[(o) + 3] = (unsigned char)(v))
	BE32(0, 0x00051607u);
	BE32(4, 0x00020000u);
	memcpy(p + 8, "Mac OS X        ", 16);
	p[25] = 2;                              /* two entries */
	BE32(26, 9u), BE32(30, 0x32u), BE32(34, 0xeb0u);   /* Finder info and the attributes */
	BE32(38, 2u), BE32(42, 0xee2u), BE32(46, 0x11eu);  /* the resource fork */
	memcpy(p + 0x52, "ATTR", 4);                        /* after 32 bytes of Finder info */
	BE32(0x5a, 4096u);                                  /* total size */
	BE32(0x5e, 0x120u), BE32(0x62, (unsigned)(sizeof attr - 1)); /* data start, length */
	p[0x76 + 1] = 1;                                    /* one attribute */
	k = 0x78;
	BE32(k, 0x120u), BE32(k + 4, (unsigned)(sizeof attr - 1));
	p[k + 10] = (unsigned char)sizeof aname;
	memcpy(p + k + 11, aname, sizeof aname);
	memcpy(p + 0x120, attr, sizeof attr - 1);
	memcpy(p + 0xee2 + 0x10, "This resource fork intentionally left blank", 43);
#undef BE32
	*len = 4096;
	return p;
}

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

static void add_entry(struct archive *a, const char *name, const void *data, size_t len, time_t when)
{
	struct archive_entry *e = archive_entry_new();

	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)len);
	archive_entry_set_mtime(e, when, 0);
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	if (archive_write_header(a, e) != ARCHIVE_OK || archive_write_data(a, data, len) < 0) {
		fprintf(stderr, "mkbundle: %s: %s\n", name, archive_error_string(a));
		exit(1);
	}
	archive_entry_free(e);
}

int main(int argc, char **argv)
{
	struct archive *a;
	size_t i;
	const char *prefix = argc > 4 ? argv[4] : "", *kind;
	time_t when;

	/* the tree's names are UTF-8: read them so, whatever the build's locale */
	setlocale(LC_CTYPE, "C.UTF-8");

	if (argc < 4) {
		fprintf(stderr, "usage: mkbundle zip|zip-utf8|zip-zipcrypt|zip-aes256|zip64|zip-cp437|zip-backslash|"
		                "zip-macos|tar.gz|tar OUT DIR [PREFIX]\n");
		return 2;
	}
	kind = argv[1];
	collect(argv[3], "");
	when = stamp_of(argv[3], strncmp(kind, "zip", 3) != 0);
	qsort(names, nnames, sizeof *names, cmp);
	a = archive_write_new();
	if (strncmp(kind, "zip", 3) == 0) {
		int rc = ARCHIVE_OK;

		archive_write_set_format_zip(a);
		if (strcmp(kind, "zip-utf8") == 0)
			rc = archive_write_set_format_option(a, "zip", "hdrcharset", "UTF-8");
		else if (strcmp(kind, "zip-cp437") == 0)
			rc = archive_write_set_format_option(a, "zip", "hdrcharset", "CP437");
		else if (strcmp(kind, "zip64") == 0)
			rc = archive_write_set_format_option(a, "zip", "zip64", "1");
		else if (strcmp(kind, "zip-zipcrypt") == 0 || strcmp(kind, "zip-aes256") == 0) {
			const char *pass = getenv("MKBUNDLE_PASSPHRASE");

			if (pass == NULL || *pass == '\0') {
				fprintf(stderr, "mkbundle: %s needs MKBUNDLE_PASSPHRASE\n", kind);
				return 2;
			}
			rc = archive_write_set_format_option(a, "zip", "encryption", kind + 4);
			if (rc == ARCHIVE_OK)
				rc = archive_write_set_passphrase(a, pass);
		} else if (strcmp(kind, "zip") != 0 && strcmp(kind, "zip-backslash") != 0 &&
		           strcmp(kind, "zip-macos") != 0) {
			fprintf(stderr, "mkbundle: unknown kind %s\n", kind);
			return 2;
		}
		if (rc != ARCHIVE_OK) { /* this libarchive cannot: say so rather than write a plain zip */
			fprintf(stderr, "mkbundle: %s: %s\n", kind, archive_error_string(a));
			return 1;
		}
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
		size_t len, k, nl = strlen(names[i]);
		unsigned char *data;

		snprintf(full, sizeof full, "%s/%s", argv[3], names[i]);
		data = slurp(full, &len);
		snprintf(name, sizeof name, "%s%s", prefix, names[i]);
		if (nl > 8 && strcmp(names[i] + nl - 8, ".utf16le") == 0) {
			unsigned char *u = to_utf16le(data, len, &len);

			free(data);
			data = u;
			name[strlen(name) - 8] = '\0';
		}
		if (strcmp(kind, "zip-backslash") == 0)
			for (k = 0; name[k]; k++)
				if (name[k] == '/')
					name[k] = '\\';
		add_entry(a, name, data, len, when);
		if (strcmp(kind, "zip-macos") == 0) {
			char twin[8300];
			const char *slash = strrchr(name, '/');
			size_t alen;
			unsigned char *ad = apple_double(&alen);

			if (slash)
				snprintf(twin, sizeof twin, "__MACOSX/%.*s/._%s", (int)(slash - name), name, slash + 1);
			else
				snprintf(twin, sizeof twin, "__MACOSX/._%s", name);
			add_entry(a, twin, ad, alen, when);
			free(ad);
		}
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
