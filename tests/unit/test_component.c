/* component: the table's lookups (a lane by name, how a state word stands, the words the stylesheet
 * colours), and that every renderer's lanes are the table's: the CSV, text and HTML summary columns,
 * the JSON states, the JUnit properties, the text and HTML state cards, the stylesheet's classes.
 * Renders two fixture bundles (make check builds them). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "report/report.h"
#include "report/report_css.h"
#include "scan.h"

static void check_index(void)
{
	size_t i;
	int all = 1;

	for (i = 0; i < component_n; i++)
		all &= component_index(component_table[i].name) == (int)i;
	CHECK("component/index/every-row", all && component_n > 0 && component_n <= COMPONENT_MAX);
	CHECK("component/index/null", component_index(NULL) == -1);
	CHECK("component/index/other-name", component_index("dns") == -1 && component_index("dns_ipv4x") == -1);
	CHECK("component/index/case", component_index("DNS_IPV4") == -1); /* match.c lower-cases names */
}

static void check_kind(void)
{
	CHECK("component/kind/good", component_kind("dns_ipv4", "protected") == COMP_GOOD);
	CHECK("component/kind/bad", component_kind("web", "unavailable") == COMP_BAD &&
	                                component_kind("dns_ipv6", "unprotected") == COMP_BAD);
	CHECK("component/kind/another-lane's-bad-word", component_kind("dns_ipv4", "unavailable") == COMP_OTHER);
	CHECK("component/kind/a-rule's-own-word", component_kind("web", "degraded") == COMP_OTHER);
	CHECK("component/kind/unknown", component_kind("web", "unknown") == COMP_UNKNOWN &&
	                                    component_kind("web", NULL) == COMP_UNKNOWN);
	/* a lane the table does not name (a rule's typo, or no lane): by the words of every lane */
	CHECK("component/kind/no-lane-good", component_kind("dns_ipv", "protected") == COMP_GOOD &&
	                                         component_kind(NULL, "protected") == COMP_GOOD);
	CHECK("component/kind/no-lane-bad", component_kind("no_such_lane", "unavailable") == COMP_BAD);
	CHECK("component/good", component_good("web", "protected") && !component_good("web", "unavailable") &&
	                            !component_good("web", "unknown"));
}

static void check_words(void)
{
	const char *good[COMPONENT_MAX * COMPONENT_WORDS], *bad[COMPONENT_MAX * COMPONENT_WORDS];
	size_t ng = component_words(1, good, sizeof good / sizeof *good);
	size_t nb = component_words(0, bad, sizeof bad / sizeof *bad), i, k;
	char w[] = "protected";
	int ok = ng > 0 && nb > 0;

	for (i = 0; i < ng; i++)
		for (k = i + 1; k < ng; k++)
			ok &= strcmp(good[i], good[k]) != 0;
	for (i = 0; i < component_n; i++)
		for (k = 0; k < COMPONENT_WORDS && component_table[i].bad[k]; k++)
			ok &= component_kind(component_table[i].name, component_table[i].bad[k]) == COMP_BAD;
	CHECK("component/words/distinct-and-bad", ok);
	CHECK("component/words/first-only", component_words(0, bad, 1) == 1);
	CHECK("component/word/the-table's-copy", component_word(w) != w && strcmp(component_word(w), w) == 0);
	CHECK("component/word/not-a-class", component_word("x\" onmouseover=\"y") == NULL);
	CHECK_STR("component/class/rule-word", report_css_state_class("x\" onmouseover=\"y"), "other");
	CHECK_STR("component/class/null", report_css_state_class(NULL), "unknown");
	CHECK_STR("component/class/bad", report_css_state_class("unavailable"), "unavailable");
	CHECK("component/widest", component_widest(COMP_NAME) >= strlen("dns_ipv4") &&
	                              component_widest(COMP_WORD) >= strlen("unprotected"));
}

/* The stylesheet colours every good and bad word of the table, in the cards, the timeline's
 * segments and the summary cells, and lays the cards out for the table's lanes. */
static void check_css(void)
{
	const char *words[COMPONENT_MAX * COMPONENT_WORDS];
	size_t n, i;
	struct buf b;
	char want[128];
	int ok = 1, good;

	buf_init(&b);
	report_css_add(&b);
	CHECK("component/css/markers-filled", b.p && strchr(b.p, '$') == NULL);
	snprintf(want, sizeof want, "grid-template-columns:repeat(%zu,1fr)", component_n);
	CHECK("component/css/lanes", strstr(b.p, want) != NULL);
	for (good = 0; good < 2; good++) {
		n = component_words(good, words, sizeof words / sizeof *words);
		for (i = 0; i < n; i++) {
			snprintf(want, sizeof want, ".state.%s", words[i]);
			ok &= strstr(b.p, want) != NULL;
			snprintf(want, sizeof want, "svg.timeline .seg.%s", words[i]);
			ok &= strstr(b.p, want) != NULL;
			snprintf(want, sizeof want, ".st.%s", words[i]);
			ok &= strstr(b.p, want) != NULL;
		}
	}
	CHECK("component/css/every-word", ok);
	buf_reset(&b);
}

static char *render(const char *format, struct scan_result *res, size_t n)
{
	struct report_opts ro;
	struct reporter *rep;
	char *text = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&text, &len);

	memset(&ro, 0, sizeof ro);
	ro.fail_on = SEV_WARNING;
	rep = report_new(format, f, &ro);
	for (i = 0; i < n; i++)
		report_bundle(rep, &res[i]);
	report_end(rep);
	report_free(rep);
	fclose(f);
	return text;
}

/* Do the names of the table follow at p, each between pre and post, and then stop? */
static int names_at(const char *p, const char *pre, const char *post, const char *then)
{
	size_t i;
	char want[128];

	for (i = 0; p && i < component_n; i++) {
		snprintf(want, sizeof want, "%s%s%s", pre, component_table[i].name, post);
		if (strncmp(p, want, strlen(want)) != 0)
			return 0;
		p += strlen(want);
	}
	return p && strncmp(p, then, strlen(then)) == 0;
}

static void check_csv(struct scan_result *res, size_t n)
{
	char *out = render("csv", res, n);
	const char *p = strstr(out, "verdict,"); /* the header's: the first line */

	CHECK("component/csv/columns", names_at(p ? p + strlen("verdict") : NULL, ",", "", ",top_finding,"));
	free(out);
}

/* The summary's header: "  bundle  dns_ipv4 ... status ..." padded to the widths of the cells. */
static void check_text(struct scan_result *res, size_t n)
{
	char *out = render("text", res, n), *p = strstr(out, "\n  bundle "), *tok, *save = NULL;
	size_t i;
	int ok = p != NULL, labels = 1;

	if (p) {
		*strchr(p + 1, '\n') = '\0';
		ok = (tok = strtok_r(p, " \n", &save)) && strcmp(tok, "bundle") == 0;
		for (i = 0; ok && i < component_n; i++)
			ok = (tok = strtok_r(NULL, " ", &save)) && strcmp(tok, component_table[i].name) == 0;
		ok = ok && (tok = strtok_r(NULL, " ", &save)) && strcmp(tok, "status") == 0;
	}
	CHECK("component/text/summary-columns", ok);
	free(out);
	out = render("text", res, 1);
	for (i = 0; i < component_n; i++) {
		char want[128];

		snprintf(want, sizeof want, "\n  %s ", component_table[i].label);
		labels &= strstr(out, want) != NULL;
	}
	CHECK("component/text/state-labels", labels);
	free(out);
}

static void check_html(struct scan_result *res, size_t n)
{
	char *out = render("html", res, n), *p = strstr(out, "<th>collected</th>"), *end = strstr(out, "</thead>");
	char want[64];
	size_t i, th = 0;
	int cards = 1;

	CHECK("component/html/summary-columns",
	      names_at(p ? p + strlen("<th>collected</th>") : NULL, "<th>", "</th>", "<th>status</th>"));
	for (p = out; end && (p = strstr(p, "<th>")) != NULL && p < end; p++)
		th++;
	snprintf(want, sizeof want, "<td colspan=\"%zu\">", th - 1);
	CHECK("component/html/verdict-spans-the-row", th > component_n && strstr(out, want) != NULL);
	for (i = 0, p = out; i < component_n; i++) {
		snprintf(want, sizeof want, "data-comp=\"%s\"><div class=\"label\">%s<", component_table[i].name,
		         component_table[i].label);
		cards &= (p = strstr(p, want)) != NULL;
		p = p ? p : out;
	}
	CHECK("component/html/state-cards", cards);
	free(out);
}

/* The keys of obj are the table's names, in its order. */
static int keys_are_names(json_t *obj)
{
	void *it = json_object_iter(obj);
	size_t i;

	for (i = 0; it && i < component_n; i++, it = json_object_iter_next(obj, it))
		if (strcmp(json_object_iter_key(it), component_table[i].name) != 0)
			return 0;
	return i == component_n && it == NULL && json_is_object(obj);
}

static void check_json(struct scan_result *res, size_t n)
{
	char *out = render("json", res, n);
	json_t *doc = json_loads(out, 0, NULL);
	json_t *b0 = json_array_get(json_object_get(doc, "bundles"), 0);
	json_t *s0 = json_array_get(json_object_get(doc, "summary"), 0);

	CHECK("component/json/states", keys_are_names(json_object_get(b0, "states")));
	CHECK("component/json/state-details", keys_are_names(json_object_get(b0, "state_details")));
	CHECK("component/json/summary-states", keys_are_names(json_object_get(s0, "states")));
	json_decref(doc);
	free(out);
}

static void check_junit(struct scan_result *res, size_t n)
{
	char *out = render("junit", res, n), want[64];
	size_t i;
	int ok = 1;

	for (i = 0; i < component_n; i++) {
		snprintf(want, sizeof want, "<property name=\"%s\" value=\"", component_table[i].name);
		ok &= strstr(out, want) != NULL;
	}
	CHECK("component/junit/properties", ok);
	free(out);
}

static int could(const char *t)
{
	return component_could_be(t, strlen(t));
}

/* What rules may write before the '=': a lane, in any case, or a template one could expand to. */
static void check_could_be(void)
{
	struct buf many;
	int i;

	CHECK("component/could/name", could("dns_ipv4") && could("web"));
	CHECK("component/could/case", could("DNS_IPv6") && could("WEB"));
	CHECK("component/could/template", could("dns_${stack}") && could("${x}") && could("w${a}${b}b"));
	CHECK("component/could/typo", !could("dns_ipv") && !could("webs") && !could("${x}_v4") && !could(""));
	CHECK("component/could/unclosed", !could("dns_${stack"));
	CHECK("component/could/nested", could("dns_${v:+${x}}6") && !could("dns_${v:+${x}}7"));
	CHECK("component/could/literal-star", !could("dns_*") && !could("w?b"));
	CHECK("component/could/prefix-of-len", component_could_be("dns_ipv4x", 8) && !component_could_be("web", 2));
	buf_init(&many); /* fields enough to make a backtracking matcher take years */
	for (i = 0; i < 2000; i++)
		buf_adds(&many, "${a}");
	buf_adds(&many, "zz");
	CHECK("component/could/many-fields", !component_could_be(many.p, many.len));
	buf_reset(&many);
}

int main(void)
{
	const char *b = getenv("B") ? getenv("B") : "build";
	const char *names[] = {"seed-both.zip", "recovered.zip"};
	struct scan_result res[2];
	struct scan_opts o;
	struct match_limits ml;
	struct ds_error err;
	struct ruleset *rs = ruleset_new();
	struct matcher *m;
	char path[1024];
	size_t i;

	check_index();
	check_kind();
	check_words();
	check_css();
	check_could_be();
	if (rules_load_dir(rs, "rules", &err) != 0) {
		printf("FAIL component: rules: %s\n", err.msg);
		return 1;
	}
	match_limits_default(&ml);
	m = matcher_new(rs, &ml);
	scan_opts_default(&o, rs);
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof path, "%s/fixtures/%s", b, names[i]);
		scan_bundle(path, &o, m, &res[i]);
	}
	CHECK("component/fixtures-read", res[0].status == SCAN_OK && res[1].status == SCAN_OK);
	check_csv(res, 2);
	check_text(res, 2);
	check_html(res, 2);
	check_json(res, 2);
	check_junit(res, 2);
	for (i = 0; i < 2; i++)
		scan_result_reset(&res[i]);
	matcher_free(m);
	ruleset_free(rs);
	return check_failed != 0;
}
