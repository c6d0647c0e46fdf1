/* zone.c: time zones, beside the timestamp stage. Takes the zone name a Windows bundle gives (an id or
 * systeminfo's display name) and the system's TZif files (RFC 8536: the 64-bit data of version 2 and
 * later, the version 1 data otherwise, the footer's POSIX TZ rule after the last transition); gives the
 * IANA name, a zone's offset at an instant and the instants a local wall time denotes. No TZ, tzset or
 * localtime: a zone is plain read-only data once parsed, safe to share between the reading threads.
 * Everything read is bounded: the file's size, every count against the bytes there, every offset. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "winzones.h"
#include "zone.h"

#define DAY 86400
#define OFFSET_MAX (26 * 3600)       /* any offset beyond this is a corrupt file */
#define WALL_MAX INT64_C(9467280000000) /* 300,000 years of seconds: all arithmetic stays far from overflow */
#define NEAR_MAX 16                  /* distinct offsets weighed for one wall time */

struct zone_type {
	int32_t utoff;
	unsigned char isdst;
};

/* one end of the footer's daylight time: month, week (5: the last), weekday, local time of day */
struct zone_rule {
	int month, week, wday;
	int32_t secs;
};

struct zone_footer {
	int valid;   /* a rule was read: it holds after the last transition */
	int has_dst; /* 0: standard time only (also when its rule used the Jn or n forms) */
	int32_t std, dst;
	struct zone_rule start, end; /* start in standard local time, end in daylight local time */
};

struct zone {
	size_t ntrans, ntypes;
	int64_t *when;        /* transition instants, strictly ascending */
	unsigned char *type;  /* the type each transition begins */
	struct zone_type *types;
	struct zone_footer foot;
};

/* ---- calendar arithmetic (proleptic Gregorian; H. Hinnant's days_from_civil) ---- */

static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static int64_t year_of_days(int64_t z)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	return yoe + era * 400 + (mp >= 10);
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static int month_days(int64_t y, int m)
{
	static const int n[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return n[m - 1] + (m == 2 && leap);
}

/* the local seconds (since 1970, as if UTC) at which rule r falls in year y */
static int64_t rule_local(const struct zone_rule *r, int64_t y)
{
	int64_t first = days_from_civil(y, r->month, 1);
	int wday1 = (int)((first % 7 + 7 + 4) % 7); /* 1970-01-01 was a Thursday */
	int day = 1 + (r->wday - wday1 + 7) % 7 + (r->week - 1) * 7;

	while (day > month_days(y, r->month))
		day -= 7;
	return (first + day - 1) * DAY + r->secs;
}

/* ---- the footer: a POSIX TZ string, Mm.w.d[/time] rules, hours -167..167 (RFC 8536 3.3.1) ---- */

static const char *tz_name(const char *s)
{
	const char *b = s;

	if (*s == '<') {
		for (s++; (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		          *s == '+' || *s == '-';
		     s++)
			;
		return *s == '>' && s - b >= 4 ? s + 1 : NULL;
	}
	while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'))
		s++;
	return s - b >= 3 ? s : NULL;
}

/* [+-]h[h[h]][:mm[:ss]] with hours up to hmax → seconds in *v */
static const char *tz_hms(const char *s, int hmax, int32_t *v)
{
	int sign = 1, part[3] = {0, 0, 0}, i, digits;

	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1 : 1;
	for (i = 0; i < 3; i++) {
		if (i > 0) {
			if (*s != ':')
				break;
			s++;
		}
		for (digits = 0; *s >= '0' && *s <= '9' && digits < (i == 0 ? 3 : 2); digits++)
			part[i] = part[i] * 10 + (*s++ - '0');
		if (digits == 0 || (i > 0 && (digits != 2 || part[i] > 59)))
			return NULL;
	}
	if (part[0] > hmax)
		return NULL;
	*v = sign * (part[0] * 3600 + part[1] * 60 + part[2]);
	return s;
}

/* ",Mm.w.d[/time]": 1 read, 0 another form (Jn, n: read as no daylight time), -1 malformed */
static int tz_rule(const char **sp, struct zone_rule *r)
{
	const char *s = *sp;
	int v[3], i;

	if (*s != 'M')
		return 0;
	s++;
	for (i = 0; i < 3; i++) {
		if (i > 0 && *s++ != '.')
			return -1;
		if (*s < '0' || *s > '9')
			return -1;
		for (v[i] = 0; *s >= '0' && *s <= '9' && v[i] < 100; s++)
			v[i] = v[i] * 10 + (*s - '0');
	}
	if (v[0] < 1 || v[0] > 12 || v[1] < 1 || v[1] > 5 || v[2] > 6)
		return -1;
	r->month = v[0], r->week = v[1], r->wday = v[2], r->secs = 2 * 3600;
	if (*s == '/' && (s = tz_hms(s + 1, 167, &r->secs)) == NULL)
		return -1;
	*sp = s;
	return 1;
}

/* fills f from the footer string s; 0, or -1 when it is not one zone.c reads (then f->valid is 0) */
static int tz_footer(const char *s, struct zone_footer *f)
{
	int32_t west;
	int a, b;

	memset(f, 0, sizeof *f);
	if ((s = tz_name(s)) == NULL || (s = tz_hms(s, 24, &west)) == NULL)
		return -1;
	f->std = f->dst = -west;
	if (*s == '\0') {
		f->valid = 1;
		return 0;
	}
	if ((s = tz_name(s)) == NULL)
		return -1;
	f->dst = f->std + 3600;
	if (*s != ',' && *s != '\0') {
		if ((s = tz_hms(s, 24, &west)) == NULL)
			return -1;
		f->dst = -west;
	}
	if (*s != ',') /* no rule: POSIX leaves it to the implementation; read as standard time only */
		return *s == '\0' ? (f->valid = 1, 0) : -1;
	s++;
	if ((a = tz_rule(&s, &f->start)) < 0)
		return -1;
	if (a == 1 && *s++ != ',')
		return -1;
	if (a == 0 || (b = tz_rule(&s, &f->end)) == 0) {
		f->valid = 1; /* Jn or n: no daylight time past the table */
		return 0;
	}
	if (b < 0 || *s != '\0')
		return -1;
	f->valid = f->has_dst = 1;
	return 0;
}

/* the footer's offset at utc: the last of its changes in the years around it that came before */
static int footer_offset(const struct zone_footer *f, int64_t utc)
{
	int64_t y = year_of_days(floor_div(utc + f->std, DAY)), at, best = INT64_MIN;
	int off = f->std, k;

	if (!f->has_dst)
		return f->std;
	for (k = -1; k <= 1; k++) {
		at = rule_local(&f->start, y + k) - f->std;
		if (at <= utc && at > best)
			best = at, off = f->dst;
		at = rule_local(&f->end, y + k) - f->dst;
		if (at <= utc && at > best)
			best = at, off = f->std;
	}
	return off;
}

/* ---- TZif ---- */

/* be32 is util.h's */
static int64_t be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

struct tzif_head {
	uint32_t isut, isstd, leap, time, type, chars;
};

/* the header at p (n bytes left) and the length of the data block after it, times tsize bytes wide */
static int tzif_head(const unsigned char *p, size_t n, size_t tsize, struct tzif_head *h, uint64_t *len,
                     struct ds_error *err, const char *name)
{
	if (n < 44 || memcmp(p, "TZif", 4) != 0) {
		ds_error_set(err, name, 0, n < 44 ? "truncated TZif header" : "not a TZif file");
		return -1;
	}
	h->isut = be32(p + 20), h->isstd = be32(p + 24), h->leap = be32(p + 28);
	h->time = be32(p + 32), h->type = be32(p + 36), h->chars = be32(p + 40);
	if (h->type == 0 || h->type > 256 || (h->isut != 0 && h->isut != h->type) ||
	    (h->isstd != 0 && h->isstd != h->type)) {
		ds_error_set(err, name, 0, "TZif counts do not agree (types %u, isut %u, isstd %u)", h->type, h->isut,
		             h->isstd);
		return -1;
	}
	/* each count is below 2^32: the sum of products stays below 2^40 */
	*len = (uint64_t)h->time * (tsize + 1) + (uint64_t)h->type * 6 + h->chars + (uint64_t)h->leap * (tsize + 4) +
	       h->isstd + h->isut;
	if (*len > n - 44) {
		ds_error_set(err, name, 0, "TZif data block of %llu bytes, %zu left", (unsigned long long)*len, n - 44);
		return -1;
	}
	return 0;
}

void zone_free(struct zone *z)
{
	if (z == NULL)
		return;
	free(z->when);
	free(z->type);
	free(z->types);
	free(z);
}

struct zone *zone_parse(const void *buf, size_t len, const char *name, struct ds_error *err)
{
	const unsigned char *p = buf, *d, *nl;
	struct tzif_head h;
	struct zone *z = NULL;
	size_t tsize = 4, i;
	uint64_t blen;
	char foot[256];

	if (name == NULL)
		name = "TZif";
	if (tzif_head(p, len, 4, &h, &blen, err, name) < 0)
		return NULL;
	if (p[4] >= '2') { /* the 64-bit header and data follow the version 1 block */
		p += 44 + blen, len -= 44 + blen, tsize = 8;
		if (tzif_head(p, len, 8, &h, &blen, err, name) < 0)
			return NULL;
	}
	if (h.leap != 0) {
		ds_error_set(err, name, 0, "TZif with leap seconds (a right/ zone) not read");
		return NULL;
	}
	if ((z = calloc(1, sizeof *z)) == NULL || (z->types = calloc(h.type, sizeof *z->types)) == NULL ||
	    (h.time && ((z->when = calloc(h.time, sizeof *z->when)) == NULL ||
	                (z->type = calloc(h.time, 1)) == NULL))) {
		ds_error_set(err, name, 0, "out of memory");
		goto fail;
	}
	z->ntrans = h.time, z->ntypes = h.type;
	d = p + 44;
	for (i = 0; i < h.time; i++, d += tsize) {
		z->when[i] = tsize == 8 ? be64(d) : (int32_t)be32(d);
		if (i > 0 && z->when[i] <= z->when[i - 1]) {
			ds_error_set(err, name, 0, "TZif transitions out of order at %zu", i);
			goto fail;
		}
	}
	for (i = 0; i < h.time; i++, d++)
		if ((z->type[i] = *d) >= h.type) {
			ds_error_set(err, name, 0, "TZif transition %zu has type %u of %u", i, *d, h.type);
			goto fail;
		}
	for (i = 0; i < h.type; i++, d += 6) {
		int32_t off = (int32_t)be32(d);

		if (off < -OFFSET_MAX || off > OFFSET_MAX || d[4] > 1 || (h.chars && d[5] >= h.chars)) {
			ds_error_set(err, name, 0, "TZif type %zu is malformed", i);
			goto fail;
		}
		z->types[i].utoff = off, z->types[i].isdst = d[4];
	}
	if (tsize == 8) { /* the footer: "\n" TZ string "\n" right after the data block */
		p += 44 + blen, len -= 44 + blen;
		if (len < 2 || p[0] != '\n' || (nl = memchr(p + 1, '\n', len - 1)) == NULL ||
		    (size_t)(nl - p - 1) >= sizeof foot) {
			ds_error_set(err, name, 0, "TZif footer missing or too long");
			goto fail;
		}
		memcpy(foot, p + 1, (size_t)(nl - p - 1));
		foot[nl - p - 1] = '\0';
		if (strlen(foot) != (size_t)(nl - p - 1) || (foot[0] && tz_footer(foot, &z->foot) < 0))
			z->foot.valid = 0; /* a rule not read: the last transition's type holds after it */
		if (z->foot.valid && (z->foot.std < -OFFSET_MAX || z->foot.std > OFFSET_MAX ||
		                      z->foot.dst < -OFFSET_MAX || z->foot.dst > OFFSET_MAX))
			z->foot.valid = 0;
	}
	return z;
fail:
	zone_free(z);
	return NULL;
}

/* an IANA name as zone_load takes it: [A-Za-z0-9_+/-], no "..", no leading '/', not too long */
static int name_ok(const char *name)
{
	size_t i;

	if (name == NULL || name[0] == '\0' || name[0] == '/' || strstr(name, "..") != NULL ||
	    strlen(name) >= ZONE_NAME_MAX)
		return 0;
	for (i = 0; name[i]; i++) {
		char c = name[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
		      c == '+' || c == '/' || c == '-'))
			return 0;
	}
	return 1;
}

struct zone *zone_load(const char *name, struct ds_error *err)
{
	char path[sizeof ZONE_DIR + ZONE_NAME_MAX];
	unsigned char *buf;
	struct zone *z;
	size_t n = 0;
	ssize_t r = 0;
	int fd;

	if (!name_ok(name)) {
		ds_error_set(err, name ? name : "", 0, "not a time zone name");
		return NULL;
	}
	snprintf(path, sizeof path, "%s/%s", ZONE_DIR, name);
	if ((buf = malloc(ZONE_FILE_MAX + 1)) == NULL) {
		ds_error_set(err, path, 0, "out of memory");
		return NULL;
	}
	/* read-only, and never waiting on something that is not a file; no fstat (the sandbox) */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) < 0) {
		ds_error_set(err, path, 0, "%s", strerror(errno));
		free(buf);
		return NULL;
	}
	while (n <= ZONE_FILE_MAX && ((r = read(fd, buf + n, ZONE_FILE_MAX + 1 - n)) > 0 || (r < 0 && errno == EINTR)))
		n += r > 0 ? (size_t)r : 0;
	if (r < 0) {
		ds_error_set(err, path, 0, "%s", strerror(errno));
		z = NULL;
	} else if (n > ZONE_FILE_MAX) {
		ds_error_set(err, path, 0, "larger than %d bytes", ZONE_FILE_MAX);
		z = NULL;
	} else {
		z = zone_parse(buf, n, path, err);
	}
	close(fd);
	free(buf);
	return z;
}

/* ---- queries: a few binary searches a call, no allocation ---- */

/* the index of the last transition at or before utc; -1 before the first */
static ptrdiff_t last_at(const struct zone *z, int64_t utc)
{
	size_t lo = 0, hi = z->ntrans;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (z->when[mid] <= utc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (ptrdiff_t)lo - 1;
}

int zone_offset_at(const struct zone *z, int64_t utc)
{
	ptrdiff_t i = last_at(z, utc);

	/* the footer holds from the last transition on (from always, when there are none) */
	if (z->foot.valid && (size_t)(i + 1) == z->ntrans)
		return footer_offset(&z->foot, utc > WALL_MAX ? WALL_MAX : utc < -WALL_MAX ? -WALL_MAX : utc);
	return z->types[i < 0 ? 0 : z->type[i]].utoff; /* before the first: type 0 (RFC 8536 3.2) */
}

int zone_base_offset(const struct zone *z)
{
	const struct zone_type *a, *b;

	if (z->foot.valid)
		return z->foot.has_dst && z->foot.dst < z->foot.std ? z->foot.dst : z->foot.std;
	if (z->ntrans == 0)
		return z->types[0].utoff;
	a = &z->types[z->type[z->ntrans - 1]];
	if (!a->isdst || z->ntrans < 2)
		return a->utoff;
	b = &z->types[z->type[z->ntrans - 2]];
	return b->utoff < a->utoff ? b->utoff : a->utoff;
}

static void near_add(int *offs, int *n, int off)
{
	int i;

	for (i = 0; i < *n; i++)
		if (offs[i] == off)
			return;
	if (*n < NEAR_MAX)
		offs[(*n)++] = off;
}

int zone_instants(const struct zone *z, int64_t wall, int64_t out[2])
{
	int offs[NEAR_MAX], n = 0, i, j, found = 0;
	int64_t got[NEAR_MAX], t;
	size_t k;

	if (wall > WALL_MAX || wall < -WALL_MAX)
		return -1;
	/* A wall time W denotes t = W - off for each offset off in force at t. Any such t lies within
	 * OFFSET_MAX of W: weigh the offsets in force in the days around it, the footer's among them. */
	near_add(offs, &n, zone_offset_at(z, wall - 2 * DAY));
	near_add(offs, &n, zone_offset_at(z, wall + 2 * DAY));
	for (k = (size_t)(last_at(z, wall - 3 * DAY) + 1); k < z->ntrans && z->when[k] <= wall + 3 * DAY && n < NEAR_MAX;
	     k++)
		near_add(offs, &n, z->types[z->type[k]].utoff);
	if (z->foot.valid) {
		near_add(offs, &n, z->foot.std);
		near_add(offs, &n, z->foot.dst);
	}
	for (i = 0; i < n; i++) {
		t = wall - offs[i];
		if (zone_offset_at(z, t) != offs[i])
			continue;
		for (j = found++; j > 0 && got[j - 1] > t; j--) /* distinct offsets: distinct instants */
			got[j] = got[j - 1];
		got[j] = t;
	}
	if (found > 0)
		out[0] = got[0];
	if (found > 1)
		out[1] = got[found - 1]; /* more than two only in a corrupt table: the first and the last */
	return found > 2 ? 2 : found;
}

/* ---- Windows names → IANA names ---- */

static int fold_char(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* ASCII case-insensitive, the order tools/gen-winzones sorts by */
static int fold_cmp(const char *a, const char *b)
{
	for (;; a++, b++) {
		int x = fold_char((unsigned char)*a), y = fold_char((unsigned char)*b);

		if (x != y || x == 0)
			return x - y;
	}
}

static const char *pair_find(const struct winzone_pair *t, size_t n, const char *key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = fold_cmp(key, t[mid].key);

		if (c == 0)
			return t[mid].value;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* "(UTC+hh:mm) text", "(UTC) text" (or GMT, or hh.mm): the offset in *off, the text after the ')' */
static const char *display_split(const char *s, int *off)
{
	int sign;

	if (s[0] != '(' || (strncmp(s + 1, "UTC", 3) != 0 && strncmp(s + 1, "GMT", 3) != 0))
		return NULL;
	s += 4;
	*off = 0;
	if (*s == '+' || *s == '-') {
		sign = *s == '-' ? -1 : 1;
		if (s[1] < '0' || s[1] > '9' || s[2] < '0' || s[2] > '9' || (s[3] != ':' && s[3] != '.') || s[4] < '0' ||
		    s[4] > '5' || s[5] < '0' || s[5] > '9')
			return NULL;
		*off = sign * (((s[1] - '0') * 10 + (s[2] - '0')) * 3600 + ((s[4] - '0') * 10 + (s[5] - '0')) * 60);
		s += 6;
	}
	if (*s++ != ')')
		return NULL;
	while (*s == ' ')
		s++;
	return *s ? s : NULL;
}

static int put(const char *name, char *tz, size_t tzn)
{
	size_t n = strlen(name);

	if (n >= tzn)
		return -1;
	memcpy(tz, name, n + 1);
	return 0;
}

/* whether the zone called name exists here and its standard offset is off */
static int zone_fits(const char *name, int off)
{
	struct zone *z = zone_load(name, NULL);
	int fits = z != NULL && zone_base_offset(z) == off;

	zone_free(z);
	return fits;
}

/* a display name's city (n bytes at s) → the IANA zone of that last component with that offset */
static int city_zone(const char *s, size_t n, int off, char *tz, size_t tzn)
{
	char city[40], name[ZONE_NAME_MAX];
	const char *last, *area = "", *slash;
	size_t i, alen = 0;

	while (n > 0 && *s == ' ')
		s++, n--;
	while (n > 0 && s[n - 1] == ' ')
		n--;
	if (n == 0 || n >= sizeof city)
		return -1;
	for (i = 0; i < n; i++)
		city[i] = s[i] == ' ' ? '_' : s[i];
	city[n] = '\0';
	if (strchr(city, '/') != NULL || !name_ok(city))
		return -1;
	for (i = 0; i < winzone_tzs_n; i++) {
		last = strrchr(winzone_tzs[i].key, '/');
		if (fold_cmp(last ? last + 1 : winzone_tzs[i].key, city) == 0 && zone_fits(winzone_tzs[i].key, off))
			return put(winzone_tzs[i].key, tz, tzn);
	}
	/* a name CLDR does not use (Asia/Kolkata; CLDR keeps Asia/Calcutta) in one of the areas it does */
	for (i = 0; i < winzone_tzs_n; i++) {
		if ((slash = strchr(winzone_tzs[i].key, '/')) == NULL)
			continue;
		if ((size_t)(slash - winzone_tzs[i].key) == alen && memcmp(area, winzone_tzs[i].key, alen) == 0)
			continue; /* sorted: an area's names are together */
		area = winzone_tzs[i].key, alen = (size_t)(slash - area);
		if (alen == 3 && memcmp(area, "Etc", 3) == 0)
			continue;
		snprintf(name, sizeof name, "%.*s/%s", (int)alen, area, city);
		if (zone_fits(name, off))
			return put(name, tz, tzn);
	}
	return -1;
}

int zone_tz_for_windows(const char *name, char *tz, size_t tzn)
{
	char s[256];
	const char *hit, *rest, *r2, *comma;
	size_t n, i;
	int off, off2, cities;

	if (name == NULL)
		return -1;
	while (*name == ' ' || *name == '\t' || *name == '\r' || *name == '\n')
		name++;
	n = strlen(name);
	while (n > 0 && (name[n - 1] == ' ' || name[n - 1] == '\t' || name[n - 1] == '\r' || name[n - 1] == '\n'))
		n--;
	if (n == 0 || n >= sizeof s)
		return -1;
	memcpy(s, name, n);
	s[n] = '\0';
	if ((hit = pair_find(winzone_ids, winzone_ids_n, s)) != NULL)
		return put(hit, tz, tzn);
	if ((hit = pair_find(winzone_displays, winzone_displays_n, s)) != NULL &&
	    (hit = pair_find(winzone_ids, winzone_ids_n, hit)) != NULL)
		return put(hit, tz, tzn);
	if ((rest = display_split(s, &off)) == NULL)
		return -1;
	/* the same offset and text written another way: "(UTC)" for "(UTC+00:00)", "GMT" for "UTC" */
	for (i = 0; i < winzone_displays_n; i++)
		if ((r2 = display_split(winzone_displays[i].key, &off2)) != NULL && off2 == off &&
		    fold_cmp(r2, rest) == 0 && (hit = pair_find(winzone_ids, winzone_ids_n, winzone_displays[i].value)))
			return put(hit, tz, tzn);
	for (cities = 0; cities < 16; cities++, rest = comma + 1) {
		comma = strchr(rest, ',');
		if (city_zone(rest, comma ? (size_t)(comma - rest) : strlen(rest), off, tz, tzn) == 0)
			return 0;
		if (comma == NULL)
			break;
	}
	return -1;
}
