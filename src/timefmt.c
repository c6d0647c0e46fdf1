/* timefmt: parses the timestamp forms of DOMAIN.md section 2 into struct stamp. Wall-clock times
 * are kept as written (no zone guessing); the provenance says what is known about the zone. */
#include "timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Howard Hinnant's days_from_civil: proleptic Gregorian, no libc time zone involved. */
int64_t timefmt_days_from_civil(int y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* The day a time in ms falls on, counted from 1970-01-01 (floor: before 1970, -1 is the day before). */
static int64_t day_of(int64_t ms)
{
	return ms / TIMEFMT_DAY_MS - (ms % TIMEFMT_DAY_MS < 0);
}

static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)((int64_t)yoe + era * 400 + (*m <= 2));
}

static int days_in_month(int y, unsigned m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

static int valid_date(int y, unsigned m, unsigned d)
{
	return y >= 1970 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && (int)d <= days_in_month(y, m);
}

static int64_t to_ms(int y, unsigned mo, unsigned d, unsigned h, unsigned mi, unsigned s, unsigned ms)
{
	return ((timefmt_days_from_civil(y, mo, d) * 86400) + h * 3600 + mi * 60 + s) * 1000 + ms;
}

/* Reads exactly k digits. */
static int digits(const char *s, size_t n, size_t k, unsigned *v)
{
	size_t i;

	if (n < k)
		return -1;
	*v = 0;
	for (i = 0; i < k; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (unsigned)(s[i] - '0');
	}
	return 0;
}

/* Reads 1..k digits; returns how many were read, 0 when none. */
static size_t some_digits(const char *s, size_t n, size_t k, unsigned *v)
{
	size_t i = 0;

	*v = 0;
	while (i < n && i < k && s[i] >= '0' && s[i] <= '9')
		*v = *v * 10 + (unsigned)(s[i++] - '0');
	return i;
}

static size_t parse_clock(const char *s, size_t n, unsigned *h, unsigned *mi, unsigned *sec, unsigned *ms)
{
	size_t i, k;

	if (digits(s, n, 2, h) || n < 8 || s[2] != ':' || digits(s + 3, n - 3, 2, mi) || s[5] != ':' ||
	    digits(s + 6, n - 6, 2, sec))
		return 0;
	i = 8;
	*ms = 0;
	if (i < n && (s[i] == '.' || s[i] == ',') && i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9') {
		unsigned scale = 100;

		for (k = i + 1; k < n && s[k] >= '0' && s[k] <= '9'; k++) {
			*ms += (unsigned)(s[k] - '0') * scale;
			scale /= 10;
		}
		i = k;
	}
	if (*h > 23 || *mi > 59 || *sec > 60)
		return 0;
	if (*sec == 60)
		*sec = 59;
	return i;
}

size_t timefmt_parse_iso(const char *s, size_t n, struct stamp *out)
{
	unsigned y, mo, d, h, mi, sec, ms, oh, om;
	size_t i, c;

	if (n < 19 || digits(s, n, 4, &y) || s[4] != '-' || digits(s + 5, n - 5, 2, &mo) || s[7] != '-' ||
	    digits(s + 8, n - 8, 2, &d) || (s[10] != ' ' && s[10] != 'T'))
		return 0;
	if (!valid_date((int)y, mo, d))
		return 0;
	c = parse_clock(s + 11, n - 11, &h, &mi, &sec, &ms);
	if (c == 0)
		return 0;
	i = 11 + c;
	out->ms = to_ms((int)y, mo, d, h, mi, sec, ms);
	out->prov = TP_LOCAL;
	out->flags = 0;
	out->off_min = 0;
	out->shift_ms = 0;
	out->seg = 0;
	if (i < n && s[i] == 'Z') {
		out->prov = TP_UTC;
		return i + 1;
	}
	if (i < n && (s[i] == '+' || s[i] == '-') && digits(s + i + 1, n - i - 1, 2, &oh) == 0) {
		size_t j = i + 3;

		if (j < n && s[j] == ':')
			j++;
		if (digits(s + j, n - j, 2, &om) == 0 && oh <= 14 && om <= 59) {
			out->off_min = (int16_t)((s[i] == '-' ? -1 : 1) * (int)(oh * 60 + om));
			out->prov = TP_OFFSET;
			return j + 2;
		}
	}
	return i;
}

enum { DATE_AB_SLASH, DATE_DMY_DOTS, DATE_YMD };

/* An export's date as the client's locale wrote it: "08/27/2024" or "27/08/2024" (which of the
 * two is the caller's to settle), "27.08.2024" (always day first), "2024-08-27" or "2024/08/27"
 * (year first, then month). For year-first, *a is the month and *b the day; the year goes to *y.
 * Returns the order, or -1. */
static int read_export_date(const char *date, size_t dn, unsigned *a, unsigned *b, unsigned *y)
{
	size_t i, k = some_digits(date, dn, 4, a);
	char sep;

	if (k == 0 || k == 3 || k >= dn || (date[k] != '/' && date[k] != '.' && date[k] != '-'))
		return -1;
	sep = date[k];
	i = k + 1;
	if (k == 4) {
		*y = *a;
		k = some_digits(date + i, dn - i, 2, a);
		if (k == 0 || i + k >= dn || date[i + k] != sep)
			return -1;
		i += k + 1;
		return some_digits(date + i, dn - i, 2, b) ? DATE_YMD : -1;
	}
	k = some_digits(date + i, dn - i, 2, b);
	if (k == 0 || i + k >= dn || date[i + k] != sep)
		return -1;
	i += k + 1;
	if (digits(date + i, dn - i, 4, y))
		return -1;
	return sep == '.' ? DATE_DMY_DOTS : DATE_AB_SLASH;
}

int64_t timefmt_export_time_of_day(const char *tm, size_t tn)
{
	unsigned h, mi, sec, ms = 0;
	size_t i, k;
	int pm = -1;

	/* Export times may be "6:41:22 AM" as well as "06:41:22". */
	k = some_digits(tm, tn, 2, &h);
	if (k == 0 || k >= tn || tm[k] != ':')
		return -1;
	i = k + 1;
	if (digits(tm + i, tn - i, 2, &mi) || i + 2 >= tn || tm[i + 2] != ':' ||
	    digits(tm + i + 3, tn - i - 3, 2, &sec))
		return -1;
	i += 5;
	if (i < tn && tm[i] == '.') {
		unsigned scale = 100;

		for (i++; i < tn && tm[i] >= '0' && tm[i] <= '9'; i++) {
			ms += (unsigned)(tm[i] - '0') * scale;
			scale /= 10;
		}
	}
	while (i < tn && tm[i] == ' ')
		i++;
	if (i + 1 < tn && (tm[i] == 'P' || tm[i] == 'p') && (tm[i + 1] == 'M' || tm[i + 1] == 'm'))
		pm = 1;
	else if (i + 1 < tn && (tm[i] == 'A' || tm[i] == 'a') && (tm[i + 1] == 'M' || tm[i + 1] == 'm'))
		pm = 0;
	if (pm >= 0) {
		if (h < 1 || h > 12)
			return -1;
		h = (h % 12) + (pm ? 12 : 0);
	}
	if (h > 23 || mi > 59 || sec > 59)
		return -1;
	return ((int64_t)h * 3600 + mi * 60 + sec) * 1000 + ms;
}

int timefmt_parse_export(const char *date, size_t dn, const char *tm, size_t tn, int day_first,
                         struct stamp *out)
{
	unsigned a, b, y;
	int order = read_export_date(date, dn, &a, &b, &y);
	int64_t tod;

	if (order < 0 || (tod = timefmt_export_time_of_day(tm, tn)) < 0)
		return -1;
	out->flags = 0;
	if (order == DATE_YMD || order == DATE_DMY_DOTS) {
		unsigned m = order == DATE_YMD ? a : b, d = order == DATE_YMD ? b : a;

		if (!valid_date((int)y, m, d))
			return -1;
		out->ms = timefmt_days_from_civil((int)y, m, d) * TIMEFMT_DAY_MS + tod;
	} else if (day_first || a > 12) {
		if (!valid_date((int)y, b, a))
			return -1;
		out->ms = timefmt_days_from_civil((int)y, b, a) * TIMEFMT_DAY_MS + tod;
		out->flags = TF_DAY_FIRST;
	} else {
		if (!valid_date((int)y, a, b))
			return -1;
		out->ms = timefmt_days_from_civil((int)y, a, b) * TIMEFMT_DAY_MS + tod;
		if (b <= 12 && a != b)
			out->flags = TF_DM_AMBIG;
		else if (b > 12)
			out->flags = TF_MD_PROVEN;
	}
	out->prov = TP_LOCAL;
	out->off_min = 0;
	out->shift_ms = 0;
	out->seg = 0;
	return 0;
}

void timefmt_swap_day_month(struct stamp *st)
{
	int64_t days, rest;
	int y;
	unsigned m, d;

	if (!(st->flags & TF_DM_AMBIG))
		return;
	days = day_of(st->ms);
	rest = st->ms - days * TIMEFMT_DAY_MS;
	civil_from_days(days, &y, &m, &d);
	st->ms = timefmt_days_from_civil(y, d, m) * TIMEFMT_DAY_MS + rest;
	st->flags = (uint8_t)((st->flags & ~TF_DM_AMBIG) | TF_DAY_FIRST);
}

const char *timefmt_collected_source_name(int source)
{
	static const char *const names[COLLECTED_SOURCES] = {
	    [COLLECTED_ENTRY_TIMES] = "entry times",
	    [COLLECTED_ENTRY_UTC] = "entry times, UTC",
	    [COLLECTED_ENTRY_UTC_MOVED] = "entry times, UTC moved by the systeminfo time zone",
	    [COLLECTED_BUNDLE_NAME] = "bundle name",
	};

	return source > 0 && source < COLLECTED_SOURCES ? names[source] : NULL;
}

/* A log ends before it is packed, so the reading whose last record lies just before the entry's own
 * time (a zip's is the writer's local clock, as the log's is) is the likelier one; a day's slack
 * covers a tar's UTC and a clock set wrong. When month/day is that reading the entry's time bears
 * the default out and nothing is said; when day/month is, or there is no entry time to ask, the
 * reader is told. */
int timefmt_date_order(int day_first, int ambiguous, int md_proven, const struct stamp *last,
                       const int64_t *written)
{
	struct stamp dm = *last;
	int64_t at;
	int md_ok, dm_ok;

	if (day_first)
		return DATES_DAY_FIRST;
	if (!ambiguous || md_proven)
		return DATES_AS_WRITTEN;
	if (written == NULL || last->prov == TP_NONE || !(last->flags & TF_DM_AMBIG))
		return DATES_UNPROVEN;
	at = *written * 1000;
	timefmt_swap_day_month(&dm);
	md_ok = last->ms <= at + TIMEFMT_DAY_MS;
	dm_ok = dm.ms <= at + TIMEFMT_DAY_MS;
	if (dm_ok && (!md_ok || at - dm.ms < at - last->ms))
		return DATES_UNPROVEN_DM;
	return md_ok ? DATES_AS_WRITTEN : DATES_UNPROVEN;
}

void timefmt_settle(struct stamp *st, int order)
{
	if (order == DATES_DAY_FIRST)
		timefmt_swap_day_month(st);
	st->flags &= (uint8_t)~TF_DM_AMBIG;
}

int timefmt_window_place(const struct stamp *since, const struct stamp *until, const struct stamp *ts)
{
	struct stamp dm;
	int at;

	if (ts->prov == TP_NONE)
		return 0;
	at = since->prov != TP_NONE && ts->ms < since->ms ? -1 : until->prov != TP_NONE && ts->ms > until->ms;
	if (at == 0 || !(ts->flags & TF_DM_AMBIG))
		return at;
	dm = *ts;
	timefmt_swap_day_month(&dm);
	return (since->prov == TP_NONE || dm.ms >= since->ms) && (until->prov == TP_NONE || dm.ms <= until->ms) ? 0
	                                                                                                         : at;
}

/* Seconds from a file (a pcap header, say) can be anything: clamp to years 0..9999 so the
 * multiplication cannot overflow and the stamp still formats. */
#define EPOCH_MIN (-62167219200LL) /* 0000-01-01 */
#define EPOCH_MAX 253402300799LL   /* 9999-12-31T23:59:59 */

void timefmt_from_epoch(int64_t secs, struct stamp *out)
{
	if (secs < EPOCH_MIN)
		secs = EPOCH_MIN;
	if (secs > EPOCH_MAX)
		secs = EPOCH_MAX;
	out->ms = secs * 1000;
	out->prov = TP_UTC;
	out->flags = 0;
	out->off_min = 0;
	out->shift_ms = 0;
	out->seg = 0;
}

static void format_sep(const struct stamp *st, char sep, char *out, size_t n)
{
	int64_t days, rest;
	int y;
	unsigned m, d;
	long h, mi, s, ms;

	if (st->prov == TP_NONE) {
		out[0] = '\0';
		return;
	}
	int64_t wall = timefmt_wall(st);

	days = day_of(wall);
	rest = wall - days * TIMEFMT_DAY_MS;
	civil_from_days(days, &y, &m, &d);
	h = (long)(rest / 3600000);
	mi = (long)(rest / 60000 % 60);
	s = (long)(rest / 1000 % 60);
	ms = (long)(rest % 1000);
	/* a UTC time says so: it must never pass for the client's local time; nor a local time before
	 * a DST change for one after it (02:30 twice in the night the clocks go back) */
	char zone[16] = "";

	if (st->prov == TP_UTC)
		snprintf(zone, sizeof zone, "%s", sep == 'T' ? "Z" : " UTC");
	else if (st->flags & TF_OTHER_OFFSET)
		snprintf(zone, sizeof zone, "%s%c%02d:%02d", sep == 'T' ? "" : " ", st->off_min < 0 ? '-' : '+',
		         abs(st->off_min) / 60, abs(st->off_min) % 60);
	if (ms)
		snprintf(out, n, "%04d-%02u-%02u%c%02ld:%02ld:%02ld.%03ld%s", y, m, d, sep, h, mi, s, ms, zone);
	else
		snprintf(out, n, "%04d-%02u-%02u%c%02ld:%02ld:%02ld%s", y, m, d, sep, h, mi, s, zone);
}

void timefmt_format(const struct stamp *st, char *out, size_t n)
{
	format_sep(st, 'T', out, n);
}

void timefmt_format_human(const struct stamp *st, char *out, size_t n)
{
	format_sep(st, ' ', out, n);
}

int timefmt_parse_user(const char *s, struct stamp *out)
{
	char tmp[40];
	size_t n = strlen(s);
	unsigned y, mo, d;

	if (n == 10 && digits(s, n, 4, &y) == 0 && s[4] == '-' && digits(s + 5, 2, 2, &mo) == 0 &&
	    s[7] == '-' && digits(s + 8, 2, 2, &d) == 0 && valid_date((int)y, mo, d)) {
		memset(out, 0, sizeof *out);
		out->ms = to_ms((int)y, mo, d, 0, 0, 0, 0);
		out->prov = TP_LOCAL;
		return 0;
	}
	if (n == 16 && n < sizeof tmp) { /* no seconds */
		snprintf(tmp, sizeof tmp, "%s:00", s);
		return timefmt_parse_iso(tmp, strlen(tmp), out) == strlen(tmp) ? 0 : -1;
	}
	return timefmt_parse_iso(s, n, out) == n ? 0 : -1;
}

void timefmt_duration(int64_t ms, char *out, size_t n)
{
	long long s = (long long)(ms < 0 ? -ms : ms) / 1000;

	if (s < 120)
		snprintf(out, n, "%lld s", s);
	else if (s < 7200)
		snprintf(out, n, "%lld min", s / 60);
	else if (s < 48 * 3600 && (s % 3600) / 60 != 0)
		snprintf(out, n, "%lld h %lld min", s / 3600, (s % 3600) / 60);
	else if (s < 48 * 3600)
		snprintf(out, n, "%lld h", s / 3600);
	else
		snprintf(out, n, "%lld days %lld h", s / 86400, (s % 86400) / 3600);
}

void timefmt_cadence(long seconds, char *out, size_t n)
{
	if (seconds < 120)
		snprintf(out, n, "%ld s", seconds);
	else if (seconds < 7200)
		snprintf(out, n, "%ld min", (seconds + 30) / 60);
	else
		snprintf(out, n, "%ld h", (seconds + 1800) / 3600);
}

void timefmt_civil(int64_t ms, int *y, unsigned *m, unsigned *d)
{
	civil_from_days(day_of(ms), y, m, d);
}

int timefmt_year(const struct stamp *st)
{
	int y;
	unsigned m, d;

	timefmt_civil(st->ms, &y, &m, &d);
	return y;
}

int timefmt_dst_hour(int64_t wall_ms)
{
	int y;
	unsigned m, d;
	int64_t days = day_of(wall_ms);
	int64_t hour = (wall_ms - days * TIMEFMT_DAY_MS) / 3600000;

	civil_from_days(days, &y, &m, &d);
	return hour <= 3 && (m == 3 || m == 4 || m == 9 || m == 10 || m == 11);
}

int timefmt_parse_zone(const char *tz, long *off_min)
{
	int h, m;
	char sign;

	if (tz == NULL || strncmp(tz, "(UTC", 4) != 0)
		return -1;
	if (tz[4] == ')') {
		*off_min = 0;
		return 0;
	}
	if (sscanf(tz + 4, "%c%d:%d", &sign, &h, &m) != 3 || (sign != '+' && sign != '-') || h > 14 || m > 59)
		return -1;
	*off_min = (sign == '-' ? -1 : 1) * (h * 60 + m);
	return 0;
}

/* n digits at s as a number, or -1. */
static int digits_n(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int timefmt_parse_bundle_name(const char *base, int year, struct stamp *out)
{
	const char *p;
	int mo, d, h, mi, y = year;

	if (strncasecmp(base, "DARTBundle_", 11) != 0)
		return -1;
	p = base + 11;
	if (digits_n(p, 8) >= 0 && p[8] == '_') { /* macOS: %Y%m%d_%H%M */
		y = digits_n(p, 4);
		p += 4;
	} else if (!(digits_n(p, 4) >= 0 && p[4] == '_')) {
		return -1;
	}
	mo = digits_n(p, 2);
	d = digits_n(p + 2, 2);
	p = strchr(p, '_') + 1;
	h = digits_n(p, 2);
	mi = digits_n(p + 2, 2);
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || y < 1970 ||
	    (p[4] >= '0' && p[4] <= '9'))
		return -1;
	memset(out, 0, sizeof *out);
	out->ms = (timefmt_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60) * (int64_t)1000;
	out->prov = TP_LOCAL;
	return 0;
}
