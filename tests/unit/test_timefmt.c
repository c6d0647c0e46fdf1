/* Unit tests for timefmt: every form of DOMAIN.md section 2. */
#include "check.h"
#include "timefmt.h"

static const char *fmt(const struct stamp *st)
{
	static char b[40];

	timefmt_format(st, b, sizeof b);
	return b;
}

int main(void)
{
	struct stamp st;
	const char *s;

	s = "2024-08-27 03:07:43 [8880] [DEBUG] < 12> Dns";
	CHECK("iso/plugin-line", timefmt_parse_iso(s, strlen(s), &st) == 19 && st.prov == TP_LOCAL);
	CHECK_STR("iso/plugin-format", fmt(&st), "2024-08-27T03:07:43");
	s = "2024-08-27T06:41:22.123";
	CHECK("iso/wevtutil", timefmt_parse_iso(s, strlen(s), &st) == strlen(s));
	CHECK_STR("iso/wevtutil-ms", fmt(&st), "2024-08-27T06:41:22.123");
	s = "2024-08-27 03:07:43.123456-0700 host proc[1]: x";
	CHECK("iso/macos-offset", timefmt_parse_iso(s, strlen(s), &st) == 31 && st.prov == TP_OFFSET &&
	                              st.off_min == -420);
	s = "2024-02-30 00:00:00";
	CHECK("iso/invalid-date", timefmt_parse_iso(s, strlen(s), &st) == 0);
	s = "2024-08-27 25:00:00";
	CHECK("iso/invalid-hour", timefmt_parse_iso(s, strlen(s), &st) == 0);
	CHECK("iso/short", timefmt_parse_iso("2024-08-27", 10, &st) == 0);

	CHECK("export/mdy", timefmt_parse_export("08/27/2024", 10, "06:41:22", 8, 0, &st) == 0);
	CHECK_STR("export/mdy-value", fmt(&st), "2024-08-27T06:41:22");
	CHECK("export/unambiguous", !(st.flags & TF_DM_AMBIG) && (st.flags & TF_MD_PROVEN));
	CHECK("export/dmy-forced", timefmt_parse_export("27/08/2024", 10, "06:41:22", 8, 0, &st) == 0 &&
	                               (st.flags & TF_DAY_FIRST));
	CHECK_STR("export/dmy-value", fmt(&st), "2024-08-27T06:41:22");
	CHECK("export/ambiguous", timefmt_parse_export("03/09/2024", 10, "08:01:20", 8, 0, &st) == 0 &&
	                              (st.flags & TF_DM_AMBIG));
	timefmt_swap_day_month(&st);
	CHECK_STR("export/swap", fmt(&st), "2024-09-03T08:01:20");
	CHECK("export/pm", timefmt_parse_export("8/27/2024", 9, "6:41:22 PM", 10, 0, &st) == 0);
	CHECK_STR("export/pm-value", fmt(&st), "2024-08-27T18:41:22");
	CHECK("export/12am", timefmt_parse_export("8/27/2024", 9, "12:05:00 AM", 11, 0, &st) == 0);
	CHECK_STR("export/12am-value", fmt(&st), "2024-08-27T00:05:00");
	CHECK("export/garbage", timefmt_parse_export("xx/27/2024", 10, "06:41:22", 8, 0, &st) != 0);
	/* other locales' dates: dotted is day first whatever the file's reading; year first is y-m-d */
	CHECK("export/dotted", timefmt_parse_export("03.09.2024", 10, "08:01:20", 8, 0, &st) == 0 && st.flags == 0);
	CHECK_STR("export/dotted-value", fmt(&st), "2024-09-03T08:01:20");
	CHECK("export/dotted-one-digit", timefmt_parse_export("3.9.2024", 8, "8:01:20", 7, 0, &st) == 0);
	CHECK_STR("export/dotted-one-digit-value", fmt(&st), "2024-09-03T08:01:20");
	CHECK("export/ymd", timefmt_parse_export("2024-09-03", 10, "08:01:20", 8, 0, &st) == 0 && st.flags == 0);
	CHECK_STR("export/ymd-value", fmt(&st), "2024-09-03T08:01:20");
	CHECK("export/ymd-slash-day-first-ignored", timefmt_parse_export("2024/09/03", 10, "08:01:20", 8, 1, &st) == 0);
	CHECK_STR("export/ymd-slash-value", fmt(&st), "2024-09-03T08:01:20");
	CHECK("export/dashes-ambiguous", timefmt_parse_export("03-09-2024", 10, "08:01:20", 8, 0, &st) == 0 &&
	                                      (st.flags & TF_DM_AMBIG));
	CHECK("export/mixed-separators", timefmt_parse_export("03.09/2024", 10, "08:01:20", 8, 0, &st) != 0);
	CHECK("export/dotted-bad-month", timefmt_parse_export("03.13.2024", 10, "08:01:20", 8, 0, &st) != 0);
	CHECK("export/three-digit-first", timefmt_parse_export("202.09.03", 9, "08:01:20", 8, 0, &st) != 0);
	CHECK("export/ymd-no-day", timefmt_parse_export("2024-09-", 8, "08:01:20", 8, 0, &st) != 0);

	timefmt_from_epoch(1667473889, &st);
	CHECK("epoch/utc", st.prov == TP_UTC);
	CHECK_STR("epoch/value", fmt(&st), "2022-11-03T11:11:29Z");

	CHECK("user/date", timefmt_parse_user("2024-08-27", &st) == 0);
	CHECK_STR("user/date-value", fmt(&st), "2024-08-27T00:00:00");
	CHECK("user/minutes", timefmt_parse_user("2024-08-27T03:07", &st) == 0);
	CHECK_STR("user/minutes-value", fmt(&st), "2024-08-27T03:07:00");
	CHECK("user/bad", timefmt_parse_user("yesterday", &st) != 0);
	/* bundle names and Windows zones (issue 16) */
	CHECK("name/mmdd", timefmt_parse_bundle_name("DARTBundle_0827_0641.zip", 2024, &st) == 0);
	CHECK_STR("name/mmdd-value", fmt(&st), "2024-08-27T06:41:00");
	CHECK("name/macos", timefmt_parse_bundle_name("DARTBundle_20231231_2359", 2024, &st) == 0);
	CHECK_STR("name/macos-value", fmt(&st), "2023-12-31T23:59:00");
	CHECK("name/no-year", timefmt_parse_bundle_name("DARTBundle_0827_0641.zip", 0, &st) != 0);
	CHECK("name/bad-month", timefmt_parse_bundle_name("DARTBundle_1327_0641", 2024, &st) != 0);
	CHECK("name/too-many-digits", timefmt_parse_bundle_name("DARTBundle_0827_06412", 2024, &st) != 0);
	CHECK("name/other", timefmt_parse_bundle_name("bundle_0827_0641", 2024, &st) != 0);
	{
		long off = 0;

		CHECK("zone/plus", timefmt_parse_zone("(UTC+05:30) Chennai", &off) == 0 && off == 330);
		CHECK("zone/utc", timefmt_parse_zone("(UTC) Coordinated Universal Time", &off) == 0 && off == 0);
		CHECK("zone/bad", timefmt_parse_zone("Pacific Standard Time", &off) != 0);
	}
	st.ms = -1;
	CHECK("year/before-1970", timefmt_year(&st) == 1969);
	{
		int y;
		unsigned m, d;

		/* the last ms of 1969-12-31 and a leap day's: a date taken by truncating would be a day late */
		timefmt_civil(-1, &y, &m, &d);
		CHECK("civil/before-1970", y == 1969 && m == 12 && d == 31);
		timefmt_civil(timefmt_days_from_civil(2024, 2, 29) * 86400000 + 86399999, &y, &m, &d);
		CHECK("civil/leap-day", y == 2024 && m == 2 && d == 29);
		timefmt_civil(timefmt_days_from_civil(2024, 3, 1) * 86400000, &y, &m, &d);
		CHECK("civil/after-leap-day", y == 2024 && m == 3 && d == 1);
	}
	return check_failed != 0;
}
