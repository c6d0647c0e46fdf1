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
	CHECK("export/unambiguous", !(st.flags & TF_DM_AMBIG));
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

	timefmt_from_epoch(1667473889, &st);
	CHECK("epoch/utc", st.prov == TP_UTC);
	CHECK_STR("epoch/value", fmt(&st), "2022-11-03T11:11:29Z");

	CHECK("user/date", timefmt_parse_user("2024-08-27", &st) == 0);
	CHECK_STR("user/date-value", fmt(&st), "2024-08-27T00:00:00");
	CHECK("user/minutes", timefmt_parse_user("2024-08-27T03:07", &st) == 0);
	CHECK_STR("user/minutes-value", fmt(&st), "2024-08-27T03:07:00");
	CHECK("user/bad", timefmt_parse_user("yesterday", &st) != 0);
	return check_failed != 0;
}
