/* Unit tests for zone: Windows names -> IANA names, the instants of local wall times around DST changes
 * (system TZif files, and the same zones rebuilt as slim files holding only their footer rule), glibc's
 * localtime as a second opinion, the generated tables' order, and hostile TZif bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "check.h"
#include "winzones.h"
#include "zone.h"

static int64_t utc(int y, int mo, int d, int h, int mi)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900, tm.tm_mon = mo - 1, tm.tm_mday = d, tm.tm_hour = h, tm.tm_min = mi;
	return (int64_t)timegm(&tm);
}

static struct zone *load(const char *name)
{
	struct ds_error err;
	struct zone *z = zone_load(name, &err);

	if (z == NULL)
		printf("note: %s: %s\n", err.where, err.msg);
	return z;
}

/* "want" instants of the wall time y-mo-d h:mi in name, each given as UTC (-1 unused) */
static void wall(const char *check, const char *name, int y, int mo, int d, int h, int mi, int want, int64_t w0,
                 int64_t w1)
{
	struct zone *z = load(name);
	int64_t out[2] = {0, 0};
	int n = z ? zone_instants(z, utc(y, mo, d, h, mi), out) : -9;

	CHECK(check, n == want && (want < 1 || out[0] == w0) && (want < 2 || out[1] == w1));
	if (n != want)
		printf("note: %s: %d instants\n", check, n);
	zone_free(z);
}

static void windows(const char *name, const char *want)
{
	char tz[ZONE_NAME_MAX], check[160];
	int r = zone_tz_for_windows(name, tz, sizeof tz);

	snprintf(check, sizeof check, "windows/%s", name);
	if (want == NULL)
		CHECK(check, r == -1);
	else
		CHECK_STR(check, r == 0 ? tz : NULL, want);
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = v >> 24, p[1] = v >> 16, p[2] = v >> 8, p[3] = v;
}

/* a version-2 TZif: an empty version 1 block, nt transitions to types of utoff[]/isdst[], the footer */
static size_t tzif(unsigned char *b, const int64_t *when, const unsigned char *idx, size_t nt, const int32_t *utoff,
                   const unsigned char *isdst, size_t ntypes, const char *footer)
{
	size_t n = 0, i;

	memset(b, 0, 44 + 7);
	memcpy(b, "TZif2", 5);
	put32(b + 36, 1), put32(b + 40, 1);
	n = 44 + 7;
	memset(b + n, 0, 44);
	memcpy(b + n, "TZif2", 5);
	put32(b + n + 32, (uint32_t)nt), put32(b + n + 36, (uint32_t)ntypes), put32(b + n + 40, 1);
	n += 44;
	for (i = 0; i < nt; i++, n += 8)
		put32(b + n, (uint32_t)((uint64_t)when[i] >> 32)), put32(b + n + 4, (uint32_t)when[i]);
	for (i = 0; i < nt; i++)
		b[n++] = idx[i];
	for (i = 0; i < ntypes; i++, n += 6)
		put32(b + n, (uint32_t)utoff[i]), b[n + 4] = isdst[i], b[n + 5] = 0;
	b[n++] = 0;
	n += (size_t)sprintf((char *)b + n, "\n%s\n", footer);
	return n;
}

static unsigned char *slurp(const char *name, size_t *n)
{
	char path[256];
	unsigned char *b = malloc(ZONE_FILE_MAX);
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", ZONE_DIR, name);
	*n = 0;
	if (b && (f = fopen(path, "rb")) != NULL) {
		*n = fread(b, 1, ZONE_FILE_MAX, f);
		fclose(f);
	}
	return b;
}

/* the zone's own footer alone in a slim file agrees with the full table hour by hour, 2025..2037 */
static void footer_agrees(const char *name)
{
	unsigned char *fat, slim[512];
	char foot[256], check[320];
	size_t n, k, f;
	int32_t off = 0;
	unsigned char dst = 0;
	struct zone *a, *b;
	int64_t t, w, oa[2], ob[2];
	int bad = 0;

	fat = slurp(name, &n);
	for (k = n - 1; k > 0 && fat[k - 1] != '\n'; k--)
		;
	f = k >= 2 ? n - 1 - k : 0; /* the last line, its newline excluded */
	snprintf(foot, sizeof foot, "%.*s", (int)f, (const char *)fat + k);
	a = zone_parse(fat, n, name, NULL);
	b = zone_parse(slim, tzif(slim, NULL, NULL, 0, &off, &dst, 1, foot), "slim", NULL);
	for (t = utc(2025, 1, 1, 0, 0); a && b && t < utc(2037, 12, 1, 0, 0) && bad < 3; t += 1800) {
		w = t + zone_offset_at(a, t);
		if (zone_offset_at(a, t) != zone_offset_at(b, t) || zone_instants(a, w, oa) != zone_instants(b, w, ob) ||
		    oa[0] != ob[0]) {
			printf("note: %s at %lld: %d against %d\n", name, (long long)t, zone_offset_at(a, t),
			       zone_offset_at(b, t));
			bad++;
		}
	}
	snprintf(check, sizeof check, "footer-only/%s (%s)", name, foot);
	CHECK(check, a && b && bad == 0);
	zone_free(a);
	zone_free(b);
	free(fat);
}

/* glibc's localtime, read once here in a single thread, agrees every 7 h 13 min from 1900 to 2100 */
static void glibc_agrees(const char *name)
{
	struct zone *z = load(name);
	char tzenv[96], check[96];
	struct tm tm;
	time_t tt;
	int64_t t;
	int bad = 0;

	snprintf(tzenv, sizeof tzenv, ":%s", name);
	setenv("TZ", tzenv, 1);
	tzset();
	for (t = utc(1900, 1, 1, 0, 0); z && t < utc(2100, 1, 1, 0, 0) && bad < 3; t += 7 * 3600 + 13 * 60) {
		tt = (time_t)t;
		if (localtime_r(&tt, &tm) && tm.tm_gmtoff != zone_offset_at(z, t)) {
			printf("note: %s at %lld: glibc %ld, zone %d\n", name, (long long)t, tm.tm_gmtoff, zone_offset_at(z, t));
			bad++;
		}
	}
	snprintf(check, sizeof check, "glibc-agrees/%s", name);
	CHECK(check, z && bad == 0);
	zone_free(z);
}

static int fold(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int fold_cmp(const char *a, const char *b)
{
	for (; *a && fold((unsigned char)*a) == fold((unsigned char)*b); a++, b++)
		;
	return fold((unsigned char)*a) - fold((unsigned char)*b);
}

static void tables(void)
{
	size_t i, bad = 0;
	char tz[ZONE_NAME_MAX];

	for (i = 1; i < winzone_ids_n; i++)
		bad += fold_cmp(winzone_ids[i - 1].key, winzone_ids[i].key) >= 0;
	for (i = 1; i < winzone_tzs_n; i++)
		bad += strcmp(winzone_tzs[i - 1].key, winzone_tzs[i].key) >= 0;
	for (i = 1; i < winzone_displays_n; i++)
		bad += fold_cmp(winzone_displays[i - 1].key, winzone_displays[i].key) >= 0;
	CHECK("tables/sorted-as-searched", bad == 0);
	for (i = bad = 0; i < winzone_displays_n; i++)
		bad += zone_tz_for_windows(winzone_displays[i].key, tz, sizeof tz) != 0;
	for (i = 0; i < winzone_ids_n; i++)
		bad += zone_tz_for_windows(winzone_ids[i].key, tz, sizeof tz) != 0 || strcmp(tz, winzone_ids[i].value);
	CHECK("tables/every-name-found", bad == 0 && winzone_ids_n > 100 && winzone_displays_n > 100);
}

static void hostile(void)
{
	unsigned char b[1024], *f;
	int64_t when[2] = {100, 50};
	unsigned char idx[2] = {0, 1}, dst[2] = {0, 1};
	int32_t off[2] = {3600, 7200};
	size_t n, k, parsed = 0;
	struct ds_error err;
	struct zone *z;
	uint32_t seed = 12345;

	f = slurp("Europe/London", &n);
	for (k = 0; k < n; k++) { /* every truncation of a real file */
		z = zone_parse(f, k, "cut", NULL);
		parsed += z != NULL;
		zone_free(z);
	}
	CHECK("hostile/every-truncation-refused", parsed == 0 && n > 1000);
	for (k = 0; k < 20000; k++) { /* random bytes changed: parsed or refused, never a crash */
		unsigned char g[ZONE_FILE_MAX > 8192 ? 8192 : ZONE_FILE_MAX];
		int64_t out[2];
		size_t m = n < sizeof g ? n : sizeof g, j;

		memcpy(g, f, m);
		for (j = 0; j < 4; j++)
			seed = seed * 1103515245 + 12345, g[(seed >> 8) % m] = (unsigned char)(seed >> 24);
		if ((z = zone_parse(g, m, "mutated", NULL)) != NULL)
			zone_instants(z, (int64_t)seed * 1000, out), zone_offset_at(z, -(int64_t)seed * 997);
		zone_free(z);
	}
	CHECK("hostile/mutations-survive", 1);
	free(f);

	n = tzif(b, when, idx, 1, off, dst, 2, "");
	CHECK("hostile/well-formed-parses", (z = zone_parse(b, n, "ok", NULL)) != NULL);
	zone_free(z);
	put32(b + 51 + 32, 0xffffffffu); /* the 64-bit header's transition count */
	CHECK("hostile/time-count-too-big", zone_parse(b, n, "big", &err) == NULL && strstr(err.msg, "data block"));
	n = tzif(b, when, idx, 1, off, dst, 2, "");
	put32(b + 51 + 36, 0);
	CHECK("hostile/no-types", zone_parse(b, n, "t0", NULL) == NULL);
	idx[0] = 2;
	n = tzif(b, when, idx, 1, off, dst, 2, "");
	CHECK("hostile/type-index-out-of-range", zone_parse(b, n, "idx", NULL) == NULL);
	idx[0] = 0;
	n = tzif(b, when, idx, 2, off, dst, 2, "");
	CHECK("hostile/transitions-out-of-order", zone_parse(b, n, "order", NULL) == NULL);
	off[0] = 30 * 3600;
	n = tzif(b, when, idx, 1, off, dst, 2, "");
	CHECK("hostile/offset-beyond-26h", zone_parse(b, n, "off", NULL) == NULL);
	off[0] = 3600;
	n = tzif(b, when, idx, 1, off, dst, 2, "");
	CHECK("hostile/footer-missing", zone_parse(b, n - 1, "foot", NULL) == NULL);
	n = tzif(b, when, idx, 1, off, dst, 2, "CET-1CEST,M3.5.0,M10.5.0/3,junk");
	z = zone_parse(b, n, "junk", NULL);
	CHECK("hostile/footer-unreadable-last-type-holds", z && zone_offset_at(z, utc(2030, 7, 1, 0, 0)) == 3600);
	zone_free(z);
	n = tzif(b, NULL, NULL, 0, off, dst, 1, "<+0330>-3:30<+0430>,J79/24,J263/24");
	z = zone_parse(b, n, "jn", NULL);
	CHECK("footer/Jn-rule-read-as-standard-time", z && zone_offset_at(z, utc(2030, 7, 1, 0, 0)) == 12600);
	zone_free(z);
	CHECK("hostile/name-dotdot", zone_load("../../etc/passwd", &err) == NULL);
	CHECK("hostile/name-inner-dotdot", zone_load("Europe/../Europe/London", NULL) == NULL);
	CHECK("hostile/name-absolute", zone_load("/etc/passwd", NULL) == NULL);
	CHECK("hostile/name-space", zone_load("Europe/London ", NULL) == NULL);
	CHECK("hostile/name-empty", zone_load("", NULL) == NULL && zone_load(NULL, NULL) == NULL);
	CHECK("hostile/name-missing", zone_load("Nowhere/Atlantis", NULL) == NULL);
	CHECK("hostile/name-directory", zone_load("Europe", NULL) == NULL);
	CHECK("hostile/not-tzif", zone_load("leapseconds", &err) == NULL && strstr(err.msg, "not a TZif") &&
	                              zone_parse("TZig and more bytes than a header holds, forty-four of them", 60, NULL,
	                                         NULL) == NULL);
	CHECK("hostile/leap-second-zone", zone_load("right/UTC", &err) == NULL && strstr(err.msg, "leap"));
	n = tzif(b, when, idx, 1, off, dst, 2, "CET-1CEST,M3.5.0,M10.5.0/3");
	b[4] = 0; /* version 1: its own (empty) block is all there is */
	z = zone_parse(b, n, "v1", NULL);
	CHECK("tzif/version-1-reads-its-block", z && zone_offset_at(z, utc(2030, 7, 1, 0, 0)) == 0);
	zone_free(z);
}

int main(void)
{
	struct zone *z;
	int64_t out[2], t;
	int ok;

	wall("london/autumn-repeated", "Europe/London", 2024, 10, 27, 1, 30, 2, utc(2024, 10, 27, 0, 30),
	     utc(2024, 10, 27, 1, 30));
	wall("london/spring-skipped", "Europe/London", 2024, 3, 31, 1, 30, 0, 0, 0);
	wall("london/summer", "Europe/London", 2024, 7, 1, 12, 0, 1, utc(2024, 7, 1, 11, 0), 0);
	wall("sydney/autumn-repeated", "Australia/Sydney", 2024, 4, 7, 2, 30, 2, utc(2024, 4, 6, 15, 30),
	     utc(2024, 4, 6, 16, 30));
	wall("sydney/spring-skipped", "Australia/Sydney", 2024, 10, 6, 2, 30, 0, 0, 0);
	wall("new-york/autumn-repeated", "America/New_York", 2024, 11, 3, 1, 30, 2, utc(2024, 11, 3, 5, 30),
	     utc(2024, 11, 3, 6, 30));
	wall("new-york/spring-skipped", "America/New_York", 2024, 3, 10, 2, 30, 0, 0, 0);
	wall("lord-howe/half-hour-repeated", "Australia/Lord_Howe", 2024, 4, 7, 1, 45, 2, utc(2024, 4, 6, 14, 45),
	     utc(2024, 4, 6, 15, 15));
	wall("lord-howe/half-hour-skipped", "Australia/Lord_Howe", 2024, 10, 6, 2, 15, 0, 0, 0);
	wall("lord-howe/after-the-gap", "Australia/Lord_Howe", 2024, 10, 6, 2, 31, 1, utc(2024, 10, 5, 15, 31), 0);
	wall("berlin/2040-spring-skipped", "Europe/Berlin", 2040, 3, 25, 2, 30, 0, 0, 0);
	wall("berlin/2040-autumn-repeated", "Europe/Berlin", 2040, 10, 28, 2, 30, 2, utc(2040, 10, 28, 0, 30),
	     utc(2040, 10, 28, 1, 30));
	wall("berlin/2100-summer", "Europe/Berlin", 2100, 7, 1, 12, 0, 1, utc(2100, 7, 1, 10, 0), 0);
	wall("berlin/1900", "Europe/Berlin", 1900, 1, 1, 12, 0, 1, utc(1900, 1, 1, 11, 0), 0);
	if ((z = load("Asia/Kolkata")) != NULL) {
		for (ok = 1, t = utc(1990, 1, 1, 0, 0); t < utc(2060, 1, 1, 0, 0); t += 86400 * 7 + 3601)
			ok &= zone_instants(z, t, out) == 1 && out[0] == t - 19800 && zone_offset_at(z, out[0]) == 19800;
		CHECK("kolkata/always-one-instant", ok && zone_base_offset(z) == 19800);
	} else {
		CHECK("kolkata/loads", 0);
	}
	zone_free(z);
	CHECK("range/beyond-300000-years", (z = load("UTC")) && zone_instants(z, INT64_MAX, out) == -1 &&
	                                       zone_instants(z, INT64_MIN, out) == -1 && zone_offset_at(z, INT64_MIN) == 0);
	zone_free(z);
	z = load("Europe/Dublin"); /* tz counts Irish winter time as the daylight one */
	CHECK("dublin/base-offset-is-winter", z && zone_base_offset(z) == 0 && zone_offset_at(z, utc(2030, 7, 1, 0, 0)) == 3600);
	zone_free(z);

	footer_agrees("Europe/Berlin");
	footer_agrees("America/New_York");
	footer_agrees("Australia/Sydney");
	footer_agrees("Australia/Lord_Howe");
	footer_agrees("Europe/Dublin");      /* negative daylight time */
	footer_agrees("America/Nuuk");       /* M3.5.0/-1: a negative hour */
	footer_agrees("America/Santiago");   /* M9.1.6/24 */
	footer_agrees("Pacific/Chatham");    /* 2:45 and 3:45 */
	glibc_agrees("Europe/London");
	glibc_agrees("America/New_York");
	glibc_agrees("Australia/Lord_Howe");
	glibc_agrees("Asia/Gaza");           /* M3.4.4/50: over 24 hours */
	glibc_agrees("America/Sao_Paulo");
	glibc_agrees("Africa/Casablanca");

	windows("(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", "Europe/Berlin");
	windows("  W. Europe Standard Time ", "Europe/Berlin");
	windows("w. europe standard time", "Europe/Berlin");
	windows("(UTC) Dublin, Edinburgh, Lisbon, London", "Europe/London");
	windows("(UTC+00:00) Dublin, Edinburgh, Lisbon, London", "Europe/London");
	windows("(UTC-05:00) Eastern Time (US & Canada)", "America/New_York");
	windows("(UTC-08:00) Pacific Time (US & Canada)", "America/Los_Angeles");
	windows("(UTC+10:00) Canberra, Melbourne, Sydney", "Australia/Sydney");
	windows("(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi", "Asia/Calcutta");
	windows("(UTC+09:30) Adelaide", "Australia/Adelaide");
	windows("(GMT-05:00) Eastern Time (US & Canada)", "America/New_York");
	windows("(UTC+01:00) Amsterdam, Utopia", "Europe/Amsterdam");  /* by city: CLDR's name */
	windows("(UTC+05:30) Kolkata", "Asia/Kolkata");               /* by city: a tz name CLDR does not use */
	windows("(UTC-03:00) Paris", NULL);                           /* a city whose offset is not the one shown */
	windows("(UTC+01:00) Atlantis, Lemuria", NULL);
	windows("Nowhere Standard Time", NULL);
	windows("", NULL);
	windows("(UTC+01:00) ../../etc/passwd", NULL);
	tables();
	hostile();
	return check_failed ? 1 : 0;
}
