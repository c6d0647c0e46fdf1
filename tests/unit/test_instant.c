/* Unit tests for instant: the instant arithmetic of wall clocks -- the hour that repeats, the hour
 * that never happens, a clock stepped back, a zone unknown. */
#include "check.h"
#include "instant.h"

static struct stamp wall(const char *iso, unsigned seg)
{
	struct stamp st;

	timefmt_parse_iso(iso, strlen(iso), &st);
	st.seg = (uint16_t)seg;
	return st;
}

static struct clock_jump jump(const char *before, const char *after)
{
	struct clock_jump j;

	j.before = wall(before, 0);
	j.after = wall(after, 0);
	return j;
}

static const char *fmt(const struct stamp *st)
{
	static char b[2][40];
	static int k;

	k ^= 1;
	timefmt_format(st, b[k], sizeof b[k]);
	return b[k];
}

/* Places st as log i of in and says its instant minus the one of ref, in seconds. */
static long long apart(const struct instants *in, size_t i, struct stamp a, size_t j, struct stamp b)
{
	instants_place(in, i, &a);
	instants_place(in, j, &b);
	return (long long)((b.ms - a.ms) / 1000);
}

static void settle(struct instants *in, struct stamp end, size_t log)
{
	instants_settle(in, &end, &log, 1);
}

static void unknown_zone(void)
{
	struct instants in;
	struct clock_jump ntp = jump("2024-06-12T10:09:50", "2024-06-12T10:08:30");
	struct clock_jump fall = jump("2024-10-27T02:59:50", "2024-10-27T02:00:00");
	struct clock_jump spring = jump("2024-03-31T01:59:50", "2024-03-31T03:00:00");
	struct clock_jump appended = jump("2024-09-03T10:00:00", "2024-09-03T09:12:30");
	struct stamp st;

	instants_init(&in, NULL, 2);
	instants_add_log(&in, 0, &ntp, 1, 0, 0);
	settle(&in, wall("2024-06-12T10:20:00", 1), 0);
	CHECK("instant/unknown-zone-no-frame", !in.frame.off_known && in.frame.tz == NULL);
	/* the step is undone to within the gap between the two records around it */
	CHECK("instant/ntp-step-back", apart(&in, 0, wall("2024-06-12T10:00:00", 0), 0, wall("2024-06-12T10:18:20", 1)) ==
	                                   18 * 60 + 20 + 80);
	st = wall("2024-06-12T10:00:00", 0);
	instants_place(&in, 0, &st);
	CHECK_STR("instant/ntp-wall-kept", fmt(&st), "2024-06-12T10:00:00");
	CHECK("instant/ntp-shift", st.shift_ms == 80000);
	/* another log that did not see the step: its records before it (by wall clock) move too */
	CHECK("instant/ntp-machine-wide", apart(&in, 1, wall("2024-06-12T10:00:06", 0), 0, wall("2024-06-12T10:00:00", 0)) ==
	                                      -6);
	CHECK("instant/ntp-after-stays", apart(&in, 1, wall("2024-06-12T10:18:30", 0), 0, wall("2024-06-12T10:18:20", 1)) ==
	                                     -10);
	instants_reset(&in);

	instants_init(&in, NULL, 1);
	instants_add_log(&in, 0, &fall, 1, 0, 0);
	settle(&in, wall("2024-10-27T02:50:00", 1), 0);
	CHECK("instant/fall-back-whole-hour",
	      apart(&in, 0, wall("2024-10-27T02:20:00", 0), 0, wall("2024-10-27T02:49:50", 1)) == 89 * 60 + 50);
	instants_reset(&in);

	instants_init(&in, NULL, 1);
	instants_add_log(&in, 0, &spring, 1, 0, 0);
	settle(&in, wall("2024-03-31T03:20:00", 1), 0);
	CHECK("instant/spring-forward-no-gap",
	      apart(&in, 0, wall("2024-03-31T01:40:00", 0), 0, wall("2024-03-31T03:20:00", 1)) == 40 * 60);
	instants_reset(&in);

	/* back by 47 minutes at 10:00 in September: a record out of order, not a clock */
	instants_init(&in, NULL, 1);
	instants_add_log(&in, 0, &appended, 1, 0, 0);
	settle(&in, wall("2024-09-03T10:00:00", 0), 0);
	CHECK("instant/out-of-order-moves-nothing",
	      apart(&in, 0, wall("2024-09-03T08:00:00", 0), 0, wall("2024-09-03T09:30:00", 1)) == 90 * 60);
	instants_reset(&in);

	/* a log whose order settles nothing (a newest-first export) is placed as written */
	instants_init(&in, NULL, 1);
	instants_add_log(&in, 0, &ntp, 1, 1, 0);
	settle(&in, wall("2024-06-12T10:20:00", 1), 0);
	CHECK("instant/disordered-as-written",
	      apart(&in, 0, wall("2024-06-12T10:00:00", 0), 0, wall("2024-06-12T10:18:20", 1)) == 18 * 60 + 20);
	instants_reset(&in);

	instants_init(&in, "(UTC+04:00) Nowhere Standard", 1);
	CHECK("instant/unknown-zone-name", in.zone == NULL && in.frame.tz == NULL);
	instants_reset(&in);
}

static void london(void)
{
	struct instants in;
	struct clock_jump fall = jump("2024-10-27T01:59:50", "2024-10-27T01:00:00");
	struct stamp st;

	/* the repeated hour: 01:30 before the jump is BST, after it GMT */
	instants_init(&in, "(UTC) Dublin, Edinburgh, Lisbon, London", 2);
	CHECK_STR("instant/london-zone", in.frame.tz, "Europe/London");
	instants_add_log(&in, 0, &fall, 1, 0, 0);
	settle(&in, wall("2024-10-27T01:45:00", 1), 0);
	CHECK("instant/london-frame-gmt", in.frame.off_known && in.frame.off_min == 0);
	CHECK("instant/repeated-hour-passes",
	      apart(&in, 0, wall("2024-10-27T01:30:00", 0), 0, wall("2024-10-27T01:30:00", 1)) == 3600);
	st = wall("2024-10-27T01:30:00", 0);
	instants_place(&in, 0, &st);
	CHECK_STR("instant/first-pass-shows-its-offset", fmt(&st), "2024-10-27T01:30:00+01:00");
	/* a log without the jump: its wall clock in the repeated hour is taken as the first pass */
	CHECK("instant/other-log-first-pass",
	      apart(&in, 1, wall("2024-10-27T01:30:00", 0), 0, wall("2024-10-27T01:30:00", 0)) == 0);
	/* the hour that never happens is read with the offset before it */
	CHECK("instant/missing-hour",
	      apart(&in, 1, wall("2024-03-31T00:59:00", 0), 1, wall("2024-03-31T01:30:00", 0)) == 31 * 60);
	CHECK("instant/spring-through",
	      apart(&in, 1, wall("2024-03-31T00:50:00", 0), 1, wall("2024-03-31T02:10:00", 0)) == 20 * 60);
	instants_reset(&in);
}

static void sydney_and_kolkata(void)
{
	struct instants in;
	struct clock_jump ntp = jump("2024-06-12T10:09:50", "2024-06-12T10:08:30");

	instants_init(&in, "(UTC+10:00) Canberra, Melbourne, Sydney", 1);
	settle(&in, wall("2024-10-06T03:20:00", 0), 0);
	CHECK("instant/sydney-frame-aedt", in.frame.off_min == 11 * 60);
	CHECK("instant/sydney-spring",
	      apart(&in, 0, wall("2024-10-06T01:40:00", 0), 0, wall("2024-10-06T03:19:50", 0)) == 39 * 60 + 50);
	instants_reset(&in);

	/* a zone known and the clock stepped too: the zone explains nothing of the step */
	instants_init(&in, "(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi", 1);
	instants_add_log(&in, 0, &ntp, 1, 0, 0);
	settle(&in, wall("2024-06-12T10:20:00", 1), 0);
	CHECK("instant/kolkata-half-hour", in.frame.off_min == 5 * 60 + 30);
	CHECK("instant/zone-and-step",
	      apart(&in, 0, wall("2024-06-12T10:00:00", 0), 0, wall("2024-06-12T10:18:20", 1)) == 18 * 60 + 20 + 80);
	instants_reset(&in);
}

int main(void)
{
	unknown_zone();
	london();
	sydney_and_kolkata();
	printf("%d failed\n", check_failed);
	return check_failed != 0;
}
