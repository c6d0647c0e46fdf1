/* Unit tests for rules: parsing, errors with file:line:column, prefilter literals, self-tests. */
#include <stdlib.h>

#include "check.h"
#include "rules/condition.h"
#include "rules/rules.h"

static int parse(const char *text, struct ds_error *err, struct ruleset **out)
{
	struct ruleset *rs = ruleset_new();
	int rc;

	memset(err, 0, sizeof *err);
	rc = rules_parse(rs, "t.rules", text, strlen(text), err);
	if (out)
		*out = rs;
	else
		ruleset_free(rs);
	return rc;
}

static const char good[] =
    "# a comment\n"
    "rule: dns.example\n"
    "title: Example over ${stack}\n"
    "severity: warning\n"
    "component: dns\n"
    "files: cscumbrellaplugin.txt\n"
    "pattern: State (?<stack>IPv[46]) Machine: rejected all\n"
    "state: dns_${stack}=unprotected\n"
    "fix: first part\n"
    "  second part\n"
    "test: x State IPv4 Machine: rejected all\n"
    "expect: stack=IPv4\n"
    "test-not: x State IPv4 Machine: probing\n";

/* The table of conditions: each row says how it stops a rule (--explain has no words of its own),
 * the parser takes each key, and only the window's words speak of --since/--until, which correlation
 * notes only when a window was given (in_window keeps every run without one). */
static void check_conditions(void)
{
	size_t c, wordless = 0, unparsed = 0, windowy = 0;

	for (c = 0; c < COND_N; c++) {
		const struct rule_condition *rc = &rule_conditions[c];

		wordless += rc->stopped == NULL || rc->stopped[0] == '\0';
		unparsed += rc->key != NULL && (rc->take == NULL || rules_condition(rc->key) != rc);
		windowy += c != COND_WINDOW && rc->stopped && strstr(rc->stopped, "--since") != NULL;
	}
	CHECK("conditions/every-one-has-explain-words", wordless == 0);
	CHECK("conditions/every-key-parsed", unparsed == 0);
	CHECK("conditions/only-the-window-blames-the-window", windowy == 0 && rule_conditions[COND_WINDOW].key == NULL);
}

int main(void)
{
	struct ds_error err;
	struct ruleset *rs;
	int ran;
	const struct rule *r;

	check_conditions();
	CHECK("parse/good", parse(good, &err, &rs) == 0);
	r = rules_find(rs, "dns.example");
	CHECK("parse/found", r != NULL && r->npats == 1 && r->ntests == 2);
	CHECK_STR("parse/continuation", r ? r->fix : NULL, "first part second part");
	CHECK_STR("parse/literal", r ? r->pats[0].literal : NULL, " Machine: rejected all");
	CHECK("parse/reads", r && rule_reads(r, "CSCUmbrellaPlugin.TXT") && !rule_reads(r, "Umbrella.txt"));
	CHECK("selftest/pass", rules_selftest(rs, stdout, &ran) == 0 && ran == 2);
	ruleset_free(rs);

	CHECK("error/bad-pattern", parse("rule: a.b\ntitle: t\nseverity: info\nfiles: x\npattern: ab(c\ntest: abc\n", &err, NULL) != 0);
	CHECK("error/bad-pattern-where", err.line == 5 && err.column == 14 && strstr(err.msg, "compile") != NULL);
	CHECK("error/unknown-key", parse("rule: a.b\ntitel: t\n", &err, NULL) != 0 && err.line == 2 &&
	                               strstr(err.msg, "unknown key 'titel'") != NULL);
	CHECK("error/no-positive-test", parse("rule: a.b\ntitle: t\nseverity: info\nfiles: x\npattern: abc\n", &err, NULL) != 0 &&
	                                    strstr(err.msg, "no positive test") != NULL);
	CHECK("error/duplicate-id",
	      parse("rule: a.b\ntitle: t\nseverity: info\ncheck: file X missing\nrule: a.b\n", &err, NULL) != 0 &&
	          err.line == 5 && strstr(err.msg, "duplicate") != NULL);
	CHECK("error/bad-id", parse("rule: Nodots\n", &err, NULL) != 0 && err.line == 1);
	/* the conditions' table says which keys give a finding: an unless or caused-by alone never does */
	CHECK("error/unless-alone", parse("rule: a.b\ntitle: t\nseverity: info\ncheck: file X missing\n"
	                                  "rule: a.c\ntitle: t\nseverity: info\nunless: a.b within 10\n", &err, NULL) != 0 &&
	                                err.line == 5 && strstr(err.msg, "no pattern, check, capture, when or skew") != NULL);
	CHECK("error/caused-by-alone", parse("rule: a.b\ntitle: t\nseverity: info\ncheck: file X missing\n"
	                                     "rule: a.c\ntitle: t\nseverity: info\ncaused-by: a.b within 10\n", &err, NULL) != 0 &&
	                                   err.line == 5);
	CHECK("parse/skew-alone-fires", parse("rule: a.b\ntitle: t\nseverity: info\ncheck: file X missing\n"
	                                      "rule: a.c\ntitle: t\nseverity: info\nskew: a.b a.b within 10\n", &err, &rs) == 0);
	ruleset_free(rs);
	CHECK("error/bad-severity", parse("rule: a.b\nseverity: loud\n", &err, NULL) != 0 && err.line == 2);
	CHECK("error/expect-without-test", parse("rule: a.b\nexpect: x=1\n", &err, NULL) != 0);
	/* the key table says which keys a rule may give once: a second one is an error naming it */
	CHECK("error/once-key-twice", parse("rule: a.b\ntitle: t\nseverity: info\nseverity: error\n", &err, NULL) != 0 &&
	                                  err.line == 4 && strstr(err.msg, "'severity' given twice") != NULL);
	CHECK("error/once-text-key-twice", parse("rule: a.b\ntitle: t\ntitle: u\n", &err, NULL) != 0 && err.line == 3);
	CHECK("parse/repeating-keys", parse("rule: a.b\ntitle: t\nseverity: info\nfiles: x\npattern: abcd\npattern: efgh\n"
	                                    "ref: r1\nref: r2\ntest: abcd\ntest: efgh\n", &err, &rs) == 0 &&
	                                  rs->rules[0].npats == 2 && rs->rules[0].nrefs == 2 && rs->rules[0].ntests == 2);
	ruleset_free(rs);

	CHECK("selftest/catches-wrong-capture",
	      parse("rule: a.b\ntitle: t\nseverity: info\nfiles: x\npattern: v(?<n>\\d)\ntest: v1\nexpect: n=2\n", &err, &rs) == 0 &&
	          rules_selftest(rs, fopen("/dev/null", "w"), &ran) == 1);
	ruleset_free(rs);
	CHECK("selftest/catches-test-not",
	      parse("rule: a.b\ntitle: t\nseverity: info\nfiles: x\npattern: abc\ntest: abc\ntest-not: xabcx\n", &err, &rs) == 0 &&
	          rules_selftest(rs, fopen("/dev/null", "w"), &ran) == 1);
	ruleset_free(rs);
	/* alternation at the top level: one literal per branch, or none when a branch has none */
	CHECK("literal/alternation", parse("rule: a.b\ntitle: t\nseverity: info\nfiles: x\npattern: abcd|efgh\ntest: efgh\n", &err, &rs) == 0 &&
	                                 rs->rules[0].pats[0].nalts == 2 && strcmp(rs->rules[0].pats[0].alts[1], "efgh") == 0);
	ruleset_free(rs);
	CHECK("literal/alternation-without", parse("rule: a.b\ntitle: t\nseverity: info\nfiles: x\npattern: abcd|e.f\ntest: exf\n", &err, &rs) == 0 &&
	                                         rs->rules[0].pats[0].literal == NULL && rs->rules[0].pats[0].nalts == 0);
	ruleset_free(rs);
	CHECK("literal/dotall-prefix", parse("rule: a.b\ntitle: t\nseverity: info\nfiles: x\npattern: (?s)abcd.*x\ntest: abcd\n  x\n", &err, &rs) == 0 &&
	                                   rs->rules[0].pats[0].literal && strcmp(rs->rules[0].pats[0].literal, "abcd") == 0);
	ruleset_free(rs);
	CHECK("literal/caseless-none", parse("rule: a.b\ntitle: t\nseverity: info\nfiles: x\npattern: (?i)abcd\ntest: ABCD\n", &err, &rs) == 0 &&
	                                   rs->rules[0].pats[0].literal == NULL);
	ruleset_free(rs);
	CHECK("literal/optional-char", parse("rule: a.b\ntitle: t\nseverity: info\nfiles: x\npattern: abcdX?yz\ntest: abcdyz\n", &err, &rs) == 0 &&
	                                   rs->rules[0].pats[0].literal && strcmp(rs->rules[0].pats[0].literal, "abcd") == 0);
	ruleset_free(rs);
	/* issue 16's keys: why and repeats need a pattern; the stale and adapter checks */
	CHECK("why/needs-pattern", parse("rule: a.b\ntitle: t\nseverity: info\ncheck: file x missing\nwhy: w\n", &err, NULL) != 0 &&
	                               strstr(err.msg, "need a pattern") != NULL);
	CHECK("repeats/count", parse("rule: a.b\ntitle: t\nseverity: info\nfiles: x\npattern: abc\nrepeats: 1\ntest: abc\n", &err,
	                             NULL) != 0 && err.line == 6);
	CHECK("repeats/good", parse("rule: a.b\ntitle: t\nseverity: info\nfiles: x\npattern: abc\nrepeats: 3\nwhy: ${x:+y}\ntest: abc\n",
	                            &err, &rs) == 0 && rules_find(rs, "a.b")->repeats == 3 && rules_find(rs, "a.b")->why);
	ruleset_free(rs);
	CHECK("stale/good", parse("rule: a.b\ntitle: t\nseverity: info\ncheck: stale x.txt,y.txt 24\n", &err, &rs) == 0 &&
	                        rules_find(rs, "a.b")->checks[0].kind == CHECK_STALE &&
	                        rules_find(rs, "a.b")->checks[0].hours == 24);
	ruleset_free(rs);
	CHECK("stale/hours", parse("rule: a.b\ntitle: t\nseverity: info\ncheck: stale x.txt 24h\n", &err, NULL) != 0);
	/* issue 24's checks: flaps takes a lane glob and a count of at least 2; module missing|present */
	CHECK("flaps/good", parse("rule: a.b\ntitle: t\nseverity: info\ncheck: flaps dns_* 3\n", &err, &rs) == 0 &&
	                        rules_find(rs, "a.b")->checks[0].kind == CHECK_FLAPS &&
	                        rules_find(rs, "a.b")->checks[0].times == 3);
	ruleset_free(rs);
	CHECK("flaps/once", parse("rule: a.b\ntitle: t\nseverity: info\ncheck: flaps dns_* 1\n", &err, NULL) != 0);
	CHECK("flaps/no-lane", parse("rule: a.b\ntitle: t\nseverity: info\ncheck: flaps vpn_* 3\n", &err, NULL) != 0);
	CHECK("module/good", parse("rule: a.b\ntitle: t\nseverity: info\ncheck: module missing\n", &err, &rs) == 0 &&
	                         rules_find(rs, "a.b")->checks[0].kind == CHECK_MODULE &&
	                         rules_find(rs, "a.b")->checks[0].op == OP_MISSING);
	ruleset_free(rs);
	CHECK("module/bad-op", parse("rule: a.b\ntitle: t\nseverity: info\ncheck: module absent\n", &err, NULL) != 0);
	CHECK("adapter/good", parse("rule: a.b\ntitle: t\nseverity: info\ncheck: adapter dns ~ (?ix) tailscale | cloudflare\\ warp\n",
	                            &err, &rs) == 0 && rules_find(rs, "a.b")->checks[0].kind == CHECK_ADAPTER &&
	                            rules_find(rs, "a.b")->checks[0].dns &&
	                            strcmp(rules_find(rs, "a.b")->checks[0].value, "(?ix) tailscale | cloudflare\\ warp") == 0);
	ruleset_free(rs);
	CHECK("adapter/bad-regex", parse("rule: a.b\ntitle: t\nseverity: info\ncheck: adapter ~ ab(c\n", &err, NULL) != 0 &&
	                               strstr(err.msg, "bad regex") != NULL);
	CHECK("adapter/no-operator", parse("rule: a.b\ntitle: t\nseverity: info\ncheck: adapter dns tailscale\n", &err, NULL) != 0);

	/* a state lane must be one the table has, or could be one once its template is expanded */
	CHECK("lane/typo", parse("rule: a.b\ntitle: t\nseverity: info\nfiles: x\npattern: abc\nstate: dns_ipv=unprotected\n"
	                         "test: abc\n", &err, NULL) != 0 && err.line == 6 && strstr(err.msg, "'dns_ipv'") != NULL);
	CHECK("lane/template", parse("rule: a.b\ntitle: t\nseverity: info\nfiles: x\npattern: abc\n"
	                             "state: dns_${stack}=unprotected\ntest: abc\n", &err, NULL) == 0);
	CHECK("lane/template-no-lane", parse("rule: a.b\ntitle: t\nseverity: info\nfiles: x\npattern: abc\n"
	                                     "state: ${x}_v4=unprotected\ntest: abc\n", &err, NULL) != 0);
	CHECK("lane/limit", parse("rule: a.b\ntitle: t\nseverity: warning\nfiles: x\npattern: abc\n"
	                          "limit: info when proxy=up\ntest: abc\n", &err, NULL) != 0 && err.line == 6);
	CHECK("lane/limit-any", parse("rule: a.b\ntitle: t\nseverity: warning\nfiles: x\npattern: abc\n"
	                              "limit: info when ever any=protected\ntest: abc\n", &err, NULL) == 0);

	/* references become pointers once every rule is in; a name no rule has is an error there */
	{
		static const char linked[] =
		    "rule: a.one\ntitle: t\nseverity: info\nfiles: x\npattern: one\ntest: one\n\n"
		    "rule: a.two\ntitle: t\nseverity: info\nfiles: x\npattern: two\ntest: two\n"
		    "unless: a.one within 10\n\n"
		    "rule: a.root\ntitle: t\nseverity: info\nwhen: a.one overlaps a.two within 60\n";
		static const char dangling[] = "rule: a.one\ntitle: t\nseverity: info\nfiles: x\npattern: one\ntest: one\n\n"
		                               "rule: a.root\ntitle: t\nseverity: info\nwhen: a.one overlaps a.gone within 60\n";
		const struct rule *one, *two, *root;

		CHECK("link/parse", parse(linked, &err, &rs) == 0);
		CHECK("link/not-before", !rs->linked && rules_find(rs, "a.root")->rels[0].ra == NULL);
		CHECK("link/ok", ruleset_link(rs, &err) == 0 && rs->linked);
		one = rules_find(rs, "a.one");
		two = rules_find(rs, "a.two");
		root = rules_find(rs, "a.root");
		CHECK("link/when", root->rels[0].ra == one && root->rels[0].rb == two);
		CHECK("link/unless", two->rels[0].ra == one && two->rels[0].rb == NULL);
		ruleset_free(rs);
		CHECK("link/dangling-parses", parse(dangling, &err, &rs) == 0);
		CHECK("link/dangling", ruleset_link(rs, &err) != 0 && !rs->linked && strstr(err.msg, "'a.gone'") != NULL &&
		                           err.line == 8);
		ruleset_free(rs);
	}
	{
		/* context values: a capture must be read and a template's value must be set by someone */
		static const char *const ok[] = {
		    "rule: a.c\ntitle: t\nseverity: info\nfiles: x\npattern: h=(?<ctx_host>\\S+)\ntest: h=pc\n",
		    "rule: a.c\ntitle: t\nseverity: info\nfiles: x\npattern: p=(?<ctxlist_ports>\\d+)\ntest: p=1\n"
		    "fix: open ${ctx.ports/, / and }\n",
		    "rule: a.c\ntitle: t\nseverity: info\nfiles: x\npattern: q=(?P<ctx_zz>\\d+)\ntest: q=1\n\n"
		    "rule: a.d\ntitle: t\nseverity: info\ncheck: file x missing\nfix: see ${ctx.orgId|ctx.zz:-none}\n",
		};
		static const char typo[] =
		    "rule: a.c\ntitle: t\nseverity: info\nfiles: x\npattern: h=(?<ctx_hots>\\S+)\ntest: h=pc\n";
		static const char unset[] =
		    "rule: a.c\ntitle: t\nseverity: info\ncheck: file x missing\nfix: call ${ctx.swgDomian:-them}\n";
		size_t i;

		for (i = 0; i < sizeof ok / sizeof *ok; i++) {
			CHECK("ctx/parses", parse(ok[i], &err, &rs) == 0);
			CHECK("ctx/read-and-set-links", ruleset_link(rs, &err) == 0 && ruleset_check_context(rs, &err) == 0);
			ruleset_free(rs);
		}
		CHECK("ctx/typo-parses", parse(typo, &err, &rs) == 0);
		CHECK("ctx/capture-nobody-reads", ruleset_check_context(rs, &err) != 0 && strstr(err.msg, "ctx_hots") != NULL &&
		                                      err.line == 1);
		ruleset_free(rs);
		CHECK("ctx/unset-parses", parse(unset, &err, &rs) == 0);
		CHECK("ctx/template-nobody-sets", ruleset_check_context(rs, &err) != 0 && strstr(err.msg, "${ctx.swgDomian}") != NULL);
		ruleset_free(rs);
	}
	return check_failed != 0;
}
