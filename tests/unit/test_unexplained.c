/* test_unexplained: the template stage alone -- which records are candidates, masking, merging,
 * the caps, ranking by incidents -- on records built here. */
#include <stdlib.h>

#include "baseline.h"
#include "check.h"
#include "correlate/correlate.h"
#include "rules/rules.h"
#include "unexplained.h"

static struct record rec(const char *text, const char *msg, long sec)
{
	struct record r;

	memset(&r, 0, sizeof r);
	r.text = text;
	r.len = strlen(text);
	r.msg = msg;
	r.msg_len = strlen(msg);
	r.line = (unsigned long)sec;
	if (sec >= 0) {
		r.ts.ms = 1724724000000LL + sec * 1000;
		r.ts.prov = TP_LOCAL;
	}
	return r;
}

/* The candidates waiting to be mined, in bundle order, counted and by index across u's parts. */
static size_t npending(const struct unexplained *u)
{
	size_t i, n = 0;

	for (i = 0; i < u->nparts; i++)
		n += u->parts[i].n;
	return n;
}

static const struct ux_record *pending_at(const struct unexplained *u, size_t k)
{
	size_t i;

	for (i = 0; i < u->nparts; k -= u->parts[i++].n)
		if (k < u->parts[i].n)
			return &u->parts[i].v[k];
	return NULL;
}

/* Feeds plugin-style lines "[pid] [LEVEL] msg" at the given seconds; matched[i] >= 0 marks a
 * line a rule matched, with that severity. */
static void feed(struct unexplained *u, const char *const *msgs, const long *secs, const int *matched, size_t n)
{
	struct ux_collect c;
	size_t i;

	ux_collect_init(&c, 1, 0);
	for (i = 0; i < n; i++) {
		struct record r = rec(msgs[i], msgs[i], secs[i]);

		ux_collect_record(&c, &r, matched ? matched[i] : -1);
	}
	unexplained_take(u, &c, 0);
	ux_collect_reset(&c);
}

static const struct ux_template *find(const struct unexplained *u, const char *text)
{
	size_t i;

	for (i = 0; i < u->n; i++)
		if (strcmp(u->t[i].text, text) == 0)
			return &u->t[i];
	return NULL;
}

static void check_levels_and_masking(void)
{
	static const char *const m[] = {
	    "[7216] [ERROR] < 31> KDF channel to resolver 208.67.222.222 failed: pin mismatch (0x800B0109)",
	    "[7216] [ERROR] < 31> KDF channel to resolver 208.67.220.220 failed: pin mismatch (0x800B0110)",
	    "[7216] [WARN] < 18> Probe to tnd.corp.example timed out after 5031 ms",
	    "[7216] [DEBUG] < 12> Sending status update to UI",
	    "WARN | Thread 27cc | PAC download from C:\\ProgramData\\x failed",
	    "[7216] [ERROR] 1234 5678",
	};
	static const long s[] = {0, 10, 20, 30, 40, 50};
	struct unexplained u;
	const struct ux_template *t;

	unexplained_init(&u);
	feed(&u, m, s, NULL, 6);
	unexplained_mine(&u);
	t = find(&u, "KDF channel to resolver <*> failed: pin mismatch <*>");
	CHECK("unexplained/masks-and-merges", t != NULL && t->count == 2 && t->level == UX_ERROR);
	CHECK("unexplained/header-stripped", t && strcmp(t->ex_text, "KDF channel to resolver 208.67.222.222 failed: pin mismatch (0x800B0109)") == 0);
	t = find(&u, "Probe to tnd.corp.example timed out after <*> ms");
	CHECK("unexplained/warn-level", t != NULL && t->level == UX_WARN);
	CHECK("unexplained/debug-line-not-candidate", find(&u, "Sending status update to UI") == NULL);
	t = find(&u, "WARN | Thread <*> | PAC download from <*> failed");
	CHECK("unexplained/swg-level-and-path-masked", t != NULL && t->level == UX_WARN);
	CHECK("unexplained/all-variable-dropped", u.n == 3 && u.dropped == 1);
	unexplained_reset(&u);
}

static void check_similarity(void)
{
	static const char *const m[] = {
	    "[1] [ERROR] Dns Protection IPv4 State Machine: resolver refused the new key",
	    "[1] [ERROR] Dns Protection IPv4 State Machine: cache flushed by the user",
	};
	static const long s[] = {0, 1};
	struct unexplained u;

	unexplained_init(&u);
	feed(&u, m, s, NULL, 2);
	unexplained_mine(&u);
	/* 5 of 10 tokens agree: under 60 %, two shapes, not one with half of it masked */
	CHECK("unexplained/different-messages-apart", u.n == 2);
	unexplained_reset(&u);
}

static void check_near_failures(void)
{
	static const char *const m[] = {
	    "[1] [DEBUG] Long before anything",                 /* 0: more than 30 s before the failure */
	    "[1] [DEBUG] Network change detected",              /* 100: 20 s before */
	    "[1] [DEBUG] Dns Protection IPv4 rejected all",     /* 120: the failure a rule matched */
	    "[1] [DEBUG] Adapter reset by driver",              /* 150: 30 s after */
	    "[1] [DEBUG] Long after everything",                /* 400: out of the window */
	};
	static const long s[] = {0, 100, 120, 150, 400};
	static const int matched[] = {-1, -1, SEV_ERROR, -1, -1};
	struct unexplained u;

	unexplained_init(&u);
	feed(&u, m, s, matched, 5);
	unexplained_mine(&u);
	CHECK("unexplained/before-failure-kept", find(&u, "Network change detected") != NULL);
	CHECK("unexplained/after-failure-kept", find(&u, "Adapter reset by driver") != NULL);
	CHECK("unexplained/far-records-not-kept", find(&u, "Long before anything") == NULL && find(&u, "Long after everything") == NULL);
	CHECK("unexplained/matched-not-kept", find(&u, "Dns Protection IPv4 rejected all") == NULL);
	{
		/* no incident at warning: what was kept only for nearness goes */
		struct diagnosis d;

		memset(&d, 0, sizeof d);
		unexplained_rank(&u, &d, NULL);
		CHECK("unexplained/near-only-dropped-without-incident", u.n == 0);
	}
	unexplained_reset(&u);
}

static void check_ranking(void)
{
	static const char *const m[] = {
	    "[1] [WARN] Rare warning outside",          /* 0 */
	    "[1] [ERROR] Common error outside",         /* 10 */
	    "[1] [ERROR] Common error outside",         /* 20 */
	    "[1] [DEBUG] Network change detected",      /* 990: near the failure at 1000 */
	    "[1] [DEBUG] Dns failure line",             /* 1000 */
	};
	static const long s[] = {0, 10, 20, 990, 1000};
	static const int matched[] = {-1, -1, -1, -1, SEV_ERROR};
	struct unexplained u;
	struct diagnosis d;
	struct finding f;
	struct incident in;

	unexplained_init(&u);
	feed(&u, m, s, matched, 5);
	unexplained_mine(&u);
	memset(&d, 0, sizeof d);
	memset(&f, 0, sizeof f);
	memset(&in, 0, sizeof in);
	in.start = in.end = in.last = rec("x", "x", 1000).ts;
	f.severity = SEV_ERROR;
	f.inc = &in;
	f.ninc = 1;
	d.f = &f;
	d.nf = 1;
	unexplained_rank(&u, &d, NULL);
	CHECK("unexplained/three-ranked", u.n == 3);
	CHECK_STR("unexplained/incident-first", u.n ? u.t[0].text : NULL, "Network change detected");
	CHECK_STR("unexplained/then-level", u.n > 1 ? u.t[1].text : NULL, "Common error outside");
	CHECK_STR("unexplained/then-warning", u.n > 2 ? u.t[2].text : NULL, "Rare warning outside");
	CHECK("unexplained/in-incident-flag", u.n == 3 && u.t[0].in_incident && !u.t[1].in_incident);
	unexplained_reset(&u);
}

static void check_caps(void)
{
	struct unexplained u;
	struct ux_collect c;
	char text[128];
	size_t i;

	unexplained_init(&u);
	ux_collect_init(&c, 1, 0);
	for (i = 0; i < 700; i++) {
		struct record r;

		/* 700 shapes: each its own first word */
		snprintf(text, sizeof text, "[1] [ERROR] shape%c%c%c failed", 'a' + (int)(i % 26), 'a' + (int)(i / 26 % 26),
		         'a' + (int)(i / 676));
		r = rec(text, text, (long)i);
		ux_collect_record(&c, &r, -1);
	}
	unexplained_take(&u, &c, 0);
	unexplained_mine(&u);
	CHECK("unexplained/template-cap", u.n == UX_TEMPLATES && u.dropped == 700 - UX_TEMPLATES);
	unexplained_reset(&u);
	ux_collect_reset(&c);
	ux_collect_init(&c, 0, 0);
	{
		struct record r = rec("[1] [ERROR] x", "[1] [ERROR] x", 0);

		ux_collect_record(&c, &r, -1);
		CHECK("unexplained/off-gathers-nothing", c.n == 0);
	}
	ux_collect_reset(&c);
}

static void check_baseline(void)
{
	struct baseline *b = baseline_new();
	struct unexplained u;
	struct ux_template t[2];

	memset(t, 0, sizeof t);
	t[0].text = "PAC download from <*> failed";
	t[1].text = "Probe to tnd.corp.example timed out";
	unexplained_init(&u);
	u.t = t;
	u.n = 2;
	baseline_add_bundle(b, &u);
	baseline_add_bundle(b, &u);
	CHECK("baseline/counts-bundles", baseline_bundles(b) == 2);
	CHECK("baseline/star-in-baseline", baseline_knows(b, "PAC download from wpad.corp.example failed"));
	CHECK("baseline/star-in-template", baseline_knows(b, "Probe to <*> timed out"));
	CHECK("baseline/other-length-unknown", !baseline_knows(b, "PAC download from <*> failed twice"));
	CHECK("baseline/other-word-unknown", !baseline_knows(b, "Probe to tnd.corp.example answered"));
	CHECK("baseline/null-knows-nothing", !baseline_knows(NULL, "x"));
	baseline_free(b);
}

/* The ring holds the last UX_RING records: a failure takes those of the 30 s before it, once -- a
 * second failure, after the clock went back, takes only what came since -- and the window after a
 * failure reaches HOT_MS to the millisecond. */
static void check_ring_and_window(void)
{
	static const long secs[] = {5, 6, 7, 68, 69}; /* after the first failure (20 s), in this order */
	struct unexplained u;
	struct ux_collect c;
	struct record r;
	char text[64];
	size_t i, near = 0;

	unexplained_init(&u);
	ux_collect_init(&c, 1, 0);
	for (i = 0; i < 20; i++) {
		snprintf(text, sizeof text, "[1] [DEBUG] before %zu", i);
		r = rec(text, text, (long)i);
		ux_collect_record(&c, &r, -1);
	}
	r = rec("[1] [DEBUG] failure one", "[1] [DEBUG] failure one", 20);
	ux_collect_record(&c, &r, SEV_ERROR);
	for (i = 0; i < 5; i++) {
		if (i == 3) { /* the second failure, at 8 s: its window runs to 68 s */
			r = rec("[1] [DEBUG] failure two", "[1] [DEBUG] failure two", 8);
			ux_collect_record(&c, &r, SEV_ERROR);
		}
		snprintf(text, sizeof text, "[1] [DEBUG] after %ld", secs[i]);
		r = rec(text, text, secs[i]);
		ux_collect_record(&c, &r, -1);
	}
	unexplained_take(&u, &c, 0);
	for (i = 0; i < npending(&u); i++)
		near += pending_at(&u, i)->near;
	CHECK("unexplained/ring-last-16-once", npending(&u) == 20 && near == 20 && pending_at(&u, 0)->line == 4 &&
	                                           pending_at(&u, 15)->line == 19 && pending_at(&u, 16)->line == 5 &&
	                                           pending_at(&u, 18)->line == 7);
	CHECK("unexplained/window-to-the-ms", npending(&u) == 20 && pending_at(&u, 19)->line == 68);
	unexplained_reset(&u);
}

/* Whether the candidates pending come in the order read (their lines rise). */
static int in_line_order(const struct unexplained *u)
{
	size_t i;

	for (i = 1; i < npending(u); i++)
		if (pending_at(u, i)->line <= pending_at(u, i - 1)->line)
			return 0;
	return 1;
}

/* One error repeated past the entry's whole cap, then a burst of another: the last UX_LATE errors
 * are kept, after the rest and in the order read, so the burst is mined; older late ones are counted.
 * A late error by bytes sends every later one late too, a short one that would still fit included. */
static void check_late_errors(void)
{
	struct unexplained u;
	struct ux_collect c;
	char text[UX_MSG_MAX + 64];
	size_t i, n = 0, late = UX_LATE + 5;
	int burst_last = 1;

	unexplained_init(&u);
	ux_collect_init(&c, 1, 0);
	for (i = 0; i < UX_ENTRY_MAX + late; i++) {
		struct record r;

		snprintf(text, sizeof text, "[1] [ERROR] refresh failed %zu", i);
		r = rec(text, text, (long)i);
		ux_collect_record(&c, &r, -1);
	}
	for (i = 0; i < 7; i++) {
		struct record r = rec("[1] [ERROR] callout registration failed", "[1] [ERROR] callout registration failed",
		                      (long)(UX_ENTRY_MAX + late + i));

		ux_collect_record(&c, &r, -1);
	}
	unexplained_take(&u, &c, 0);
	for (i = 0; i < 7 && npending(&u) >= 7; i++)
		burst_last &= strcmp(pending_at(&u, npending(&u) - 7 + i)->msg, "callout registration failed") == 0;
	CHECK("unexplained/late-errors-kept", npending(&u) == UX_ENTRY_MAX + UX_LATE && u.dropped == late + 7 - UX_LATE);
	CHECK("unexplained/late-burst-last", burst_last && in_line_order(&u));
	/* (its text is an earlier one's of its shape: compared by line) */
	CHECK("unexplained/late-oldest-kept",
	      npending(&u) > UX_ENTRY_MAX && pending_at(&u, UX_ENTRY_MAX)->line == UX_ENTRY_MAX + late + 7 - UX_LATE);
	unexplained_reset(&u);

	/* errors of UX_MSG_MAX bytes until the entry's bytes run out, then a short one */
	unexplained_init(&u);
	ux_collect_init(&c, 1, 0);
	for (i = 0; i <= UX_ENTRY_BYTES / UX_MSG_MAX; i++) {
		struct record r;
		int k = snprintf(text, sizeof text, "[1] [ERROR] m%zu ", i);

		memset(text + k, 'x', UX_MSG_MAX + 20 - (size_t)k);
		text[UX_MSG_MAX + 20] = '\0';
		r = rec(text, text, (long)i);
		ux_collect_record(&c, &r, -1);
		n++;
	}
	{
		struct record r = rec("[1] [ERROR] short", "[1] [ERROR] short", (long)n);

		ux_collect_record(&c, &r, -1);
	}
	unexplained_take(&u, &c, 0);
	CHECK("unexplained/late-by-bytes-in-order", npending(&u) == n + 1 && in_line_order(&u) &&
	                                                strcmp(pending_at(&u, n)->msg, "short") == 0);
	unexplained_reset(&u);
}

/* Past an entry's count of candidates the rest are counted, those a failure's ring would have
 * taken too, and warnings stop sooner; past the bundle's bytes the candidates that still fit keep
 * whole messages. */
static void check_entry_and_bundle_caps(void)
{
	struct unexplained u;
	struct ux_collect c;
	char text[UX_MSG_MAX + 64];
	size_t i, e, bad = 0;
	const size_t below = UX_BELOW_ERROR(UX_ENTRY_MAX);

	unexplained_init(&u);
	ux_collect_init(&c, 1, 0);
	for (i = 0; i < UX_ENTRY_MAX + 2; i++) {
		struct record r;

		snprintf(text, sizeof text, "[1] [ERROR] erred %zu", i);
		r = rec(text, text, 10);
		ux_collect_record(&c, &r, -1);
	}
	for (i = 0; i < 3; i++) { /* in the ring, then near a failure: counted, not kept */
		struct record r = rec("[1] [INFO] quiet", "[1] [INFO] quiet", 20);

		ux_collect_record(&c, &r, -1);
	}
	{
		struct record r = rec("[1] [ERROR] failed", "[1] [ERROR] failed", 30);

		ux_collect_record(&c, &r, SEV_ERROR);
	}
	unexplained_take(&u, &c, 0);
	/* the two errors past the count are late ones, kept last; the ring's records are below errors */
	CHECK("unexplained/entry-cap-counts-the-ring", npending(&u) == UX_ENTRY_MAX + 2 && u.dropped == 3);
	CHECK_STR("unexplained/entry-cap-first-kept", npending(&u) ? pending_at(&u, 0)->msg : NULL, "erred 0");
	unexplained_reset(&u);

	/* one warning from the start of a long log fills the share below errors; the errors at the end
	 * still find room, the records a failure's ring takes do not (they are below errors too) */
	unexplained_init(&u);
	ux_collect_init(&c, 1, 0);
	for (i = 0; i < UX_ENTRY_MAX; i++) {
		struct record r;

		snprintf(text, sizeof text, "[1] [WARN] cache slow %zu", i);
		r = rec(text, text, 10);
		ux_collect_record(&c, &r, -1);
	}
	for (i = 0; i < 3; i++) {
		struct record r = rec("[1] [ERROR] driver failed", "[1] [ERROR] driver failed", 20);

		ux_collect_record(&c, &r, -1);
	}
	for (i = 0; i < 2; i++) { /* in the ring, then near a failure: counted */
		struct record r = rec("[1] [INFO] quiet", "[1] [INFO] quiet", 25);

		ux_collect_record(&c, &r, -1);
	}
	{
		struct record r = rec("[1] [ERROR] failed", "[1] [ERROR] failed", 30);

		ux_collect_record(&c, &r, SEV_ERROR);
	}
	unexplained_take(&u, &c, 0);
	CHECK("unexplained/warnings-leave-room",
	      npending(&u) == below + 3 && u.dropped == UX_ENTRY_MAX - below + 2 &&
	          pending_at(&u, below)->level == UX_ERROR && pending_at(&u, below + 2)->level == UX_ERROR);
	unexplained_reset(&u);

	/* entries of UX_MSG_MAX-byte messages until the bundle's bytes run out */
	unexplained_init(&u);
	for (e = 0; e < 6; e++) {
		ux_collect_init(&c, 1, 0);
		for (i = 0; i < UX_ENTRY_BYTES / UX_MSG_MAX; i++) {
			struct record r;
			int k = snprintf(text, sizeof text, "[1] [WARN] e%zu m%zu ", e, i);

			memset(text + k, 'x', UX_MSG_MAX + 20 - (size_t)k);
			text[UX_MSG_MAX + 20] = '\0';
			r = rec(text, text, 10);
			ux_collect_record(&c, &r, -1);
		}
		unexplained_take(&u, &c, (unsigned)e);
	}
	for (i = 0; i < npending(&u); i++) {
		const struct ux_record *k = pending_at(&u, i);
		char want[64];

		/* a record shaped like an earlier one of its entry shares that one's text: same entry, length
		 * and tokens, its own index masked */
		snprintf(want, sizeof want, "e%u m", k->entry);
		if (strncmp(k->msg, want, strlen(want)) != 0 || strlen(k->msg) != k->len || k->len != UX_MSG_MAX)
			bad++;
	}
	CHECK("unexplained/bundle-cap", u.pending_bytes <= UX_BUNDLE_BYTES && npending(&u) == UX_BUNDLE_BYTES / UX_MSG_MAX &&
	                                    u.dropped == 6 * (UX_ENTRY_BYTES / UX_MSG_MAX) - npending(&u));
	CHECK("unexplained/bundle-cap-messages-whole", bad == 0);
	unexplained_reset(&u);
}

/* ux_tokenize against the strtok_r and ux_variable it stands for, on messages of every shape. */
/* An entry read ahead joins the bundle's candidates as the array it was gathered in, not a copy:
 * after an entry read in place, in entry order, with its entry's number. */
static void check_adopt_keeps_the_array(void)
{
	struct unexplained u, part;
	struct ux_collect c;
	const struct ux_record *arr;
	size_t i;

	unexplained_init(&u);
	unexplained_init(&part);
	for (i = 0; i < 2; i++) {
		const char *text = i ? "[1] [WARN] ahead" : "[1] [WARN] in place";
		struct record r = rec(text, text, 10);

		ux_collect_init(&c, 1, 0);
		ux_collect_record(&c, &r, -1);
		unexplained_take(i ? &part : &u, &c, 0);
	}
	arr = part.nparts == 1 ? part.parts[0].v : NULL;
	unexplained_adopt(&u, &part, 1);
	CHECK("unexplained/adopt-keeps-the-array", arr != NULL && u.nparts == 2 && u.parts[1].v == arr &&
	                                               part.nparts == 0 && part.parts == NULL);
	CHECK("unexplained/adopt-in-entry-order", npending(&u) == 2 && pending_at(&u, 0)->entry == 0 &&
	                                              pending_at(&u, 1)->entry == 1 &&
	                                              strcmp(pending_at(&u, 1)->msg, "ahead") == 0);
	unexplained_mine(&u);
	CHECK("unexplained/adopt-mined", u.n == 2 && u.nparts == 0);
	unexplained_reset(&u);
	unexplained_reset(&part);
}

static void check_tokenize(void)
{
	static const char *const msgs[] = {
	    "", " ", "a", "1", "/", "//", "a/", "\\", "'q", "\"q\"", "x\\y", "\t lead and trail \r\n",
	    "Probe to tnd.corp.example timed out after 5031 ms", "path C:\\Program Files\\x /usr/lib a/b / -",
	    "many  \t\tblanks\n\nbetween   words", "v1.2 {GUID-ABC} 'quoted' \"dq\" x/ /y 0x1F", "\xc3\xa9t\xc3\xa9 caf\xc3\xa9 9"};
	static char star[] = "<*>";
	size_t i, bad = 0;
	char many[UX_TOKENS * 3 + 16];

	for (i = 0; i < UX_TOKENS + 5; i++)
		memcpy(many + 3 * i, i % 2 ? "b2 " : "aa ", 3);
	many[3 * (UX_TOKENS + 5)] = '\0';
	for (i = 0; i < sizeof msgs / sizeof *msgs + 1; i++) {
		const char *m = i < sizeof msgs / sizeof *msgs ? msgs[i] : many;
		char a[UX_TOKENS * 3 + 16], b[UX_TOKENS * 3 + 16], *ta[UX_TOKENS], *tb[UX_TOKENS], *save = NULL, *t;
		size_t na, nb = 0, k;

		snprintf(a, sizeof a, "%s", m);
		snprintf(b, sizeof b, "%s", m);
		na = ux_tokenize(a, ta);
		for (t = strtok_r(b, " \t\r\n", &save); t && nb < UX_TOKENS; t = strtok_r(NULL, " \t\r\n", &save))
			tb[nb++] = ux_variable(t) ? star : t;
		if (na != nb)
			bad++;
		for (k = 0; k < na && k < nb; k++)
			if (strcmp(ta[k], tb[k]) != 0)
				bad++;
	}
	CHECK("unexplained/tokenize-as-strtok", bad == 0);
	/* the rule itself, spelled out (ux_variable, ux_tokenize and the shapes share it) */
	CHECK("unexplained/variable-tokens", ux_variable("5031") && ux_variable("v1.2") && ux_variable("x\\y") &&
	                                         ux_variable("'q") && ux_variable("\"dq\"") && ux_variable("/usr") &&
	                                         ux_variable("a/b") && ux_variable("x/"));
	CHECK("unexplained/constant-tokens", !ux_variable("/") && !ux_variable("tnd.corp") && !ux_variable("q'") &&
	                                         !ux_variable("{GUID-ABC}") && !ux_variable("-") && !ux_variable(""));
}

/* A candidate shaped like an earlier one of its entry (level, length, tokens) shares its text;
 * one of another length or level, or a word apart, has its own; mining reads each as its own. */
static void check_shared_text(void)
{
	static const char *const m[] = {
	    "[1] [WARN] Probe 11 to tnd failed", "[1] [WARN] Probe 22 to tnd failed", "[1] [WARN] Probe 333 to tnd failed",
	    "[1] [ERROR] Probe 44 to tnd failed", "[1] [WARN] Probe 55 to dns failed", "[1] [WARN] Probe 66 to tnd failed"};
	static const long secs[] = {0, 1, 2, 3, 4, 5};
	struct unexplained u, w;
	const struct ux_template *t;

	unexplained_init(&u);
	feed(&u, m, secs, NULL, 6);
	CHECK("unexplained/shared-same-shape", npending(&u) == 6 && pending_at(&u, 1)->msg == pending_at(&u, 0)->msg &&
	                                           pending_at(&u, 5)->msg == pending_at(&u, 0)->msg);
	CHECK("unexplained/own-length-level-word", npending(&u) == 6 && pending_at(&u, 2)->msg != pending_at(&u, 0)->msg &&
	                                               pending_at(&u, 3)->msg != pending_at(&u, 0)->msg &&
	                                               pending_at(&u, 4)->msg != pending_at(&u, 0)->msg);
	CHECK_STR("unexplained/own-text", npending(&u) == 6 ? pending_at(&u, 4)->msg : NULL, "Probe 55 to dns failed");
	{ /* variable as ux_tokenize says: a path, a quote, a backslash; a lone '/' is a word */
		static const char *const v[] = {"[1] [WARN] at /usr/a 'q' x\\y /", "[1] [WARN] at /usr/b 'r' z\\w /",
		                                "[1] [WARN] at /usr/b 'r' z\\w x", "[1] [WARN] at\t/usr/b 'r' z\\w /"};

		unexplained_init(&w);
		feed(&w, v, secs, NULL, 4);
		CHECK("unexplained/shared-variable-words", npending(&w) == 4 && pending_at(&w, 1)->msg == pending_at(&w, 0)->msg &&
		                                               pending_at(&w, 2)->msg != pending_at(&w, 0)->msg &&
		                                               pending_at(&w, 3)->msg == pending_at(&w, 0)->msg);
		unexplained_reset(&w);
	}
	unexplained_mine(&u);
	t = find(&u, "Probe <*> to <*> failed");
	CHECK("unexplained/shared-mined-as-own",
	      t != NULL && t->count == 5 && t->ex_line == 0 && strcmp(t->ex_text, "Probe 11 to tnd failed") == 0);
	unexplained_reset(&u);
}

/* The level tests that look 16 bytes at a time: a pid's ']' at the 15th byte or past it, a record
 * shorter than a compare, an event record's Type line after Date and Time of any length. */
static void check_level_scans(void)
{
	static const char *const m[] = {
	    "[12345678901234] [WARN] pid of 14 digits, its ']' the 15th byte",      /* warn */
	    "[1234567890123456789] [WARN] pid of 19 digits: no ']' in the first 15", /* info ('1') */
	    "[7] [ERROR] short",                                                  /* error */
	    "[7][WARN] x",                                                        /* warn */
	    "[WARN] no pid at all, the level first",                              /* warn */
	    "[7]  [ERROR] two blanks after the pid",                              /* error */
	    "[7] [Warning] the level in mixed case",                              /* warn */
	    "[7] [DEBUG] [WARN] a level word further on is not the level",        /* info */
	    "[7] [",                                                              /* info */
	};
	static const char *const ev[] = {
	    "Date : 08/27/2024\nTime : 00:00:01\nType : Warning\nSource : x\n\nDescription : a",   /* warn */
	    "Date : 2024-08-27T00:00:01.1234567Z\nTime : long\nType : Error\nSource : x",          /* error */
	    "Date : 1\nTime : 2\nType : Error",                                                   /* error */
	    "Date : 08/27/2024\nTime : 00:00:01\nSource : x\nType : Warning\nDescription : b",     /* info */
	    "Date : 08/27/2024 with no further line, long enough for two compares of sixteen bytes", /* info */
	    "Date : 08/27/2024\nTime : 00:00:01\nType : Information\nSource : x",                  /* info */
	    "Date : 08/27/2024\nTime : 00:00:01\nType :",                                         /* info */
	};
	static const int want[] = {UX_WARN, UX_ERROR, UX_WARN, UX_WARN, UX_ERROR, UX_WARN, UX_WARN, UX_ERROR, UX_ERROR};
	const size_t nwant = sizeof want / sizeof *want;
	struct unexplained u;
	struct ux_collect c;
	size_t i, bad = 0;

	unexplained_init(&u);
	ux_collect_init(&c, 1, 0);
	for (i = 0; i < sizeof m / sizeof *m; i++) {
		struct record r = rec(m[i], m[i], (long)i);

		ux_collect_record(&c, &r, -1);
	}
	for (i = 0; i < sizeof ev / sizeof *ev; i++) {
		struct record r = rec(ev[i], "event text", 10 + (long)i);

		ux_collect_record(&c, &r, -1);
	}
	unexplained_take(&u, &c, 0);
	for (i = 0; i < npending(&u) && i < nwant; i++)
		bad += pending_at(&u, i)->level != want[i];
	CHECK("unexplained/level-scans", npending(&u) == nwant && bad == 0);
	CHECK("unexplained/level-scans-lines", npending(&u) == nwant && pending_at(&u, 0)->line == 0 &&
	                                           pending_at(&u, 1)->line == 2 && pending_at(&u, 4)->line == 5 &&
	                                           pending_at(&u, 5)->line == 6 && pending_at(&u, 6)->line == 10 &&
	                                           pending_at(&u, 8)->line == 12);
	unexplained_reset(&u);
}

/* A plugin log's "[pid] [" is placed once and then compared (same_lead): every byte the placing read
 * must match, the '[' before the level included, and a lead read past 16 bytes is never kept. */
static void check_level_lead(void)
{
	static const struct {
		const char *m;
		int level;
	} t[] = {
	    {"[7216] [DEBUG] the lead is placed here", UX_INFO},
	    {"[7216] [WARN] the same lead, another level", UX_WARN},
	    {"[7216] XWARN not a level: no '[' before it", UX_INFO},
	    {"[72] [WARN] a shorter pid moves the level", UX_WARN},
	    {"[72] [ERROR] and the shorter lead is kept", UX_ERROR},
	    {"[72] [WARN] x", UX_WARN}, /* 13 bytes: shorter than a compare */
	    {"[1234567890123] [INFO] a lead of 17 bytes is not kept", UX_INFO},
	    {"[72] [ERROR] so the one before it still is", UX_ERROR},
	    {"[WARN] n the level in the pid's place", UX_WARN},
	    {"[WARN] [ERROR] a second bracket is the level", UX_ERROR},
	    {"[WARN] nothing after it but words", UX_WARN},
	};
	struct unexplained u;
	struct ux_collect c;
	size_t i, k = 0, bad = 0, nkept = 0;

	unexplained_init(&u);
	ux_collect_init(&c, 1, 0);
	for (i = 0; i < sizeof t / sizeof *t; i++) {
		/* each message alone in a block of its size: a compare read past it is one ASan sees */
		size_t n = strlen(t[i].m);
		char *own = xmalloc(n);
		struct record r = rec(t[i].m, t[i].m, (long)i);

		memcpy(own, t[i].m, n);
		r.text = r.msg = own;
		ux_collect_record(&c, &r, -1);
		free(own);
		nkept += t[i].level > UX_INFO;
	}
	unexplained_take(&u, &c, 0);
	for (i = 0; i < sizeof t / sizeof *t; i++)
		if (t[i].level > UX_INFO) {
			const struct ux_record *v = k < npending(&u) ? pending_at(&u, k) : NULL;

			bad += v == NULL || v->line != i || v->level != t[i].level;
			k++;
		}
	CHECK("unexplained/level-lead", npending(&u) == nkept && bad == 0);
	unexplained_reset(&u);
}

/* A message mined again goes where it went last only while no template changed: a template made
 * since can take it (the newest is compared first and wins a tie), and one generalized since can
 * take a message that was dropped when every template was taken. */
static void check_mined_again(void)
{
	static const char *const m[] = {"[1] [WARN] alpha beta gamma delta eps", "[1] [WARN] alpha 1 2 3 4",
	                                "[1] [WARN] alpha beta gamma delta eps"};
	static const long secs[] = {0, 1, 2};
	enum { FILL = UX_TEMPLATES - 1, ALL = FILL + 4 };
	static char text[ALL][64];
	const char *full[ALL];
	long at[ALL];
	struct unexplained u;
	const struct ux_template *t;
	size_t i;

	unexplained_init(&u);
	feed(&u, m, secs, NULL, 3);
	unexplained_mine(&u);
	t = find(&u, "alpha <*> <*> <*> <*>");
	CHECK("unexplained/mined-again-new-template-first", t != NULL && t->count == 2 &&
	                                                      find(&u, "alpha beta gamma delta eps")->count == 1);
	unexplained_reset(&u);

	/* every template taken by words of their own, then "q xa xb xc xd"; "q ya yb yc xd" matches it
	 * at 2 of 5 and is dropped; "q ya yb xc xd" (3 of 5) makes it "q <*> <*> xc xd", which the
	 * dropped message matches at 4 of 5 when it comes again (and makes "q <*> <*> <*> xd") */
	for (i = 0; i < FILL; i++) {
		snprintf(text[i], sizeof text[i], "[1] [WARN] w%c%c%c one two", 'a' + (int)(i / 676), 'a' + (int)(i / 26 % 26),
		         'a' + (int)(i % 26));
		full[i] = text[i];
	}
	full[FILL] = "[1] [WARN] q xa xb xc xd";
	full[FILL + 1] = "[1] [WARN] q ya yb yc xd";
	full[FILL + 2] = "[1] [WARN] q ya yb xc xd";
	full[FILL + 3] = "[1] [WARN] q ya yb yc xd";
	for (i = 0; i < ALL; i++)
		at[i] = (long)i;
	unexplained_init(&u);
	feed(&u, full, at, NULL, ALL);
	unexplained_mine(&u);
	t = find(&u, "q <*> <*> <*> xd");
	CHECK("unexplained/mined-again-after-generalized", u.n == UX_TEMPLATES && t != NULL && t->count == 3 &&
	                                                      u.dropped == 1);
	unexplained_reset(&u);
}

int main(void)
{
	check_baseline();
	check_levels_and_masking();
	check_similarity();
	check_near_failures();
	check_ring_and_window();
	check_ranking();
	check_caps();
	check_entry_and_bundle_caps();
	check_late_errors();
	check_tokenize();
	check_shared_text();
	check_adopt_keeps_the_array();
	check_mined_again();
	check_level_scans();
	check_level_lead();
	return check_failed ? 1 : 0;
}
