/* Unit tests for prefilter.c and the matcher's use of it: the multi-literal pass must report a
 * literal exactly when memmem finds it, and the matcher must find what each pattern finds alone. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "match.h"
#include "prefilter.h"
#include "prefilter_agree.h"

static const char *const lits[] = {"rejected all", "DNS redirection: ACTIVATED", "DNS redirection: DEACTIVATED",
                                   "\"swg_protection_state\":\"", "aab", "ab", "b", "xyzzy", "jj"};
#define NLITS (sizeof lits / sizeof lits[0])

/* A record of random pieces: literal fragments, whole literals and filler, so hits overlap. */
static size_t random_record(char *out, size_t cap, unsigned *seed)
{
	size_t n = 0;

	while (n + 40 < cap && rand_r(seed) % 12) {
		const char *l = lits[rand_r(seed) % NLITS];
		size_t len = strlen(l), cut = rand_r(seed) % 3 ? len : (size_t)rand_r(seed) % (len + 1);

		if (rand_r(seed) % 2) {
			memcpy(out + n, l, cut);
			n += cut;
		} else {
			out[n++] = "abjxyz :\"DNS"[rand_r(seed) % 12];
		}
	}
	return n;
}

static void test_agrees_with_memmem(void)
{
	struct prefilter *pf = prefilter_new();
	unsigned seed = 7, i, k, bad = 0, hits = 0;
	char rec[400];

	for (k = 0; k < NLITS; k++)
		prefilter_add(pf, lits[k], strlen(lits[k]), k * 3); /* sparse ids are allowed */
	for (i = 0; i < 20000; i++) {
		size_t n = random_record(rec, sizeof rec, &seed);

		hits += (unsigned)agree_with_memmem(pf, rec, n, lits, NLITS, 3, &bad);
	}
	CHECK("prefilter agrees with memmem on 20000 random records", bad == 0);
	CHECK("prefilter random records do hit literals", hits > 1000);
	prefilter_free(pf);
}

/* Anchors with all 16 high nibbles (control bytes, UTF-8 lead and continuation bytes): the
 * one-pass scan's groups must share table bits, and a shared bit must never cost a literal. Short
 * records too, so every length around the 16-byte step is seen. */
static const char *const wide[] = {"\x01\x02", "\x1b[", " !", "0:", "@A", "P_", "`a", "p~", "\x80\x81",
                                   "\x9f", "\xa0\xa1", "\xb5", "\xc3\xa9", "\xd0\xb6", "\xe2\x80\x94", "\xf0\x9f"};
#define NWIDE (sizeof wide / sizeof wide[0])

static void test_all_nibbles(void)
{
	struct prefilter *pf = prefilter_new();
	unsigned seed = 11, i, k, bad = 0, hits = 0;
	char rec[120];

	for (k = 0; k < NWIDE; k++)
		prefilter_add(pf, wide[k], strlen(wide[k]), k);
	for (i = 0; i < 20000; i++) {
		size_t n = (size_t)rand_r(&seed) % sizeof rec, j;

		for (j = 0; j < n; j++) {
			const char *w = wide[rand_r(&seed) % NWIDE];

			rec[j] = rand_r(&seed) % 4 ? (char)(rand_r(&seed) % 256) : w[rand_r(&seed) % strlen(w)];
		}
		hits += (unsigned)agree_with_memmem(pf, rec, n, wide, NWIDE, 1, &bad);
	}
	CHECK("prefilter agrees with memmem with anchors of all 16 high nibbles", bad == 0);
	CHECK("prefilter wide-byte records do hit literals", hits > 1000);
	prefilter_free(pf);
}

static void test_edges(void)
{
	struct prefilter *pf = prefilter_new();

	prefilter_add(pf, "abc", 3, 0);
	prefilter_add(pf, "zzzz", 4, 1);
	CHECK("prefilter literal at the start", prefilter_scan(pf, "abcdef", 6) == 1 && prefilter_has(pf, 0));
	CHECK("prefilter literal at the end", prefilter_scan(pf, "xxabc", 5) == 1 && prefilter_has(pf, 0));
	CHECK("prefilter literal ends a record of 40 bytes (past the last 32-byte step)",
	      prefilter_scan(pf, "0123456789012345678901234567890123456abc", 40) == 1 && prefilter_has(pf, 0));
	CHECK("prefilter record shorter than literal", prefilter_scan(pf, "ab", 2) == 0 && !prefilter_has(pf, 0));
	CHECK("prefilter literal cut by the record's end", prefilter_scan(pf, "xxab", 4) == 0);
	CHECK("prefilter empty record", prefilter_scan(pf, "", 0) == 0);
	CHECK("prefilter forgets the last scan", prefilter_scan(pf, "zzzz", 4) == 1 && !prefilter_has(pf, 0) &&
	                                             prefilter_has(pf, 1));
	CHECK("prefilter unknown id", !prefilter_has(pf, 99));
	prefilter_reset(pf);
	CHECK("prefilter reset forgets literals", prefilter_scan(pf, "abc", 3) == 0 && !prefilter_has(pf, 0));
	prefilter_free(pf);
	prefilter_free(NULL);
}

/* The matcher against each pattern alone, on every rule's test lines and some near misses. */
static void test_matcher_agrees(void)
{
	struct ruleset *rs = ruleset_new();
	struct ds_error err;
	struct match_limits lim;
	struct matcher *m;
	pcre2_match_data *md = pcre2_match_data_create(64, NULL);
	size_t i, t, k, bad = 0, ran = 0;

	if (rules_load_dir(rs, "rules", &err) != 0) {
		CHECK("matcher test loads rules/", 0);
		return;
	}
	match_limits_default(&lim);
	m = matcher_new(rs, &lim);
	for (i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->rules[i];

		if (r->npats == 0 || r->nfiles == 0)
			continue;
		for (t = 0; t < r->ntests; t++) {
			struct events ev;
			struct record rec;
			int want = 0, got = 0, matched;

			memset(&rec, 0, sizeof rec);
			rec.text = rec.msg = r->tests[t].text;
			rec.len = rec.msg_len = strlen(rec.text);
			for (k = 0; k < r->npats; k++)
				want |= pcre2_match(r->pats[k].code, (PCRE2_SPTR)rec.text, rec.len, 0, 0, md, NULL) >= 0;
			events_init(&ev);
			matcher_begin_entry(m, r->files[0], 0);
			matched = matcher_record(m, &rec, &ev) >= 0;
			for (k = 0; k < ev.n; k++)
				got |= ev.v[k].rule == r;
			/* a rule that only explains keeps no event: it matched when something did and no
			 * other rule left an event (its lines are not other rules' lines) */
			if (rules_explain_only(rs, r))
				got = matched && ev.n == 0;
			matcher_end_entry(m, &ev);
			events_reset(&ev);
			bad += want != got;
			ran++;
		}
	}
	CHECK("matcher finds what each pattern finds alone (rule test lines)", bad == 0 && ran > 10);
	matcher_free(m);
	pcre2_match_data_free(md);
	ruleset_free(rs);
}

/* A rule that gives up on a record (a PCRE2 limit) says so once per entry, whatever its place
 * among the entry's rules: 70 rules that all backtrack give 70 warnings, even twice over. */
static void test_give_up_warned_per_rule(void)
{
	struct ruleset *rs = ruleset_new();
	struct ds_error err;
	struct match_limits lim;
	struct matcher *m;
	struct events ev;
	struct record rec;
	struct buf text;
	char **w;
	size_t n = 0, i;
	static const char line[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab";

	buf_init(&text);
	for (i = 0; i < 70; i++)
		buf_printf(&text, "rule: t.r%zu\ntitle: t\nseverity: info\ncomponent: dns\nfiles: x.txt\n"
		                  "pattern: (a|aa)+$\ntest: aaa\n\n", i);
	if (rules_parse(rs, "t.rules", text.p, text.len, &err) != 0) {
		CHECK("give-up test rules parse", 0);
		printf("# %s\n", err.msg);
		return;
	}
	match_limits_default(&lim);
	lim.match_limit = 1000;
	m = matcher_new(rs, &lim);
	memset(&rec, 0, sizeof rec);
	rec.text = rec.msg = line;
	rec.len = rec.msg_len = sizeof line - 1;
	events_init(&ev);
	matcher_begin_entry(m, "x.txt", 0);
	matcher_record(m, &rec, &ev);
	matcher_record(m, &rec, &ev);
	matcher_end_entry(m, &ev);
	w = matcher_take_warnings(m, &n);
	CHECK("each of 70 rules that give up warns once per entry", n == 70);
	for (i = 0; i < n; i++)
		free(w[i]);
	free(w);
	events_reset(&ev);
	matcher_free(m);
	ruleset_free(rs);
	buf_reset(&text);
}

/* Literals whose fixed-rank anchors are common in Umbrella logs ("DNS", "pro", "oxy", "ork"),
 * more anchor bytes than the scan's 8 bits, and lines that hold those words but no literal: once
 * the sample is counted, the scan must stop stopping on them. */
static void test_learns_anchors(void)
{
	static const char *const words[] = {"DNS settings ", "probing for OpenDNS", "dnscrypt-proxy",
	                                    "rusted network ", "Filtering Platform", "EPOC time '",
	                                    "to protected", "Plugin started", "acked off", "everted ",
	                                    "accepted ", "checking reachability", "Umbrella agent"};
	static const char *const lines[] = {
	    "2024-08-27 06:41:02 DNS query for www.example.com via DNS proxy 208.67.222.222: network up",
	    "Description : Dns protection status changed, proxy reachable, network is corporate",
	    "DNSLookup: probing resolvers for proxy.swg.umbrella.com, protection state unchanged",
	    "Connection : network interface changed, DNS redirection probe sent to the proxy",
	    "Umbrella plugin: DNS protection probe of the resolvers done, proxy verified"};
	size_t nlines = sizeof lines / sizeof lines[0]; /* not a divisor of the sampling stride */
	struct prefilter *pf = prefilter_new();
	size_t k, before = 0, during = 0, after;
	unsigned i, bad = 0;

	for (k = 0; k < sizeof words / sizeof words[0]; k++)
		prefilter_add(pf, words[k], strlen(words[k]), (unsigned)k);
	for (i = 0; i < 24000; i++) {
		const char *l = lines[i % nlines];

		bad += prefilter_scan(pf, l, strlen(l)) != 0;
		if (i == 999)
			before = prefilter_checks(pf);
		if (i == 22999)
			during = prefilter_checks(pf);
	}
	after = prefilter_checks(pf) - during;
	CHECK("prefilter finds no literal in lines that hold none", bad == 0);
	CHECK("prefilter's fixed ranks stop on these lines at least once a line", before >= 1000);
	CHECK("prefilter, anchored on what the log holds least, stops ten times less", after * 10 <= before);
	prefilter_free(pf);
}

/* Ten anchors of three bytes for 8 bits, two of them on one byte ("ryp" of "dnscrypt", "rk " of
 * "network"): if they share a bit, their nibbles let "rip" of every "Description" through. */
static void test_shares_bits_by_run(void)
{
	static const char *const words[] = {"ryp", "rk ", "Fil", "EPO", "Umb", "jec", "VAT", "SWG", "NSL", "Plu"};
	static const char *const lines[] = {"Description : the resolver list was reloaded from the policy",
	                                    "Description : protection state unchanged after the probe",
	                                    "Description : a trip through the resolvers took 40 ms"};
	struct prefilter *pf = prefilter_new();
	size_t k, during = 0;
	unsigned i, bad = 0;

	for (k = 0; k < sizeof words / sizeof words[0]; k++)
		prefilter_add(pf, words[k], strlen(words[k]), (unsigned)k);
	for (i = 0; i < 20000; i++) {
		const char *l = lines[i % 3];

		bad += prefilter_scan(pf, l, strlen(l)) != 0;
		if (i == 18999)
			during = prefilter_checks(pf);
	}
	CHECK("prefilter finds no literal in the Description lines", bad == 0);
	CHECK("prefilter's groups do not mix \"ryp\" and \"rk \" into \"rip\"",
	      (prefilter_checks(pf) - during) * 10 < 1000);
	prefilter_free(pf);
}

int main(void)
{
	test_agrees_with_memmem();
	test_all_nibbles();
	test_edges();
	test_learns_anchors();
	test_shares_bits_by_run();
	test_matcher_agrees();
	test_give_up_warned_per_rule();
	return check_failed != 0;
}
