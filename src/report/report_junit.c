/* report_junit: JUnit XML for CI servers (Jenkins, GitLab): one <testsuite> per bundle, one
 * <testcase> per finding; findings at or above --fail-on are failures, the rest pass. Written
 * with libxml2's xmlTextWriter, so escaping is libxml2's; every string is first made text that
 * XML 1.0 can hold, since logs are not. No timestamps or host names: the same bundles give the
 * same bytes. Each suite is written as its bundle is reported, so memory does not grow with a
 * batch. */
#include <libxml/xmlwriter.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "report_in.h"
#include "verdict.h"

enum junit_kind { JUNIT_PASS = 0, JUNIT_FAILURE, JUNIT_ERROR, JUNIT_SKIPPED };

/* One testcase, kept until its suite is written: the suite's counts come first in the XML. All
 * strings are owned and already clean. */
struct junit_case {
	char *classname;
	char *name;
	int kind;
	char *message; /* the failure's or error's message; NULL for a pass */
	char *type;
	char *body;    /* the failure's or error's text, or a pass's system-out; may be NULL */
};

struct junit_prop {
	char *name;
	char *value;
};

struct junit_suite {
	char *name;
	struct junit_prop *props;
	size_t nprops, capprops;
	struct junit_case *cases;
	size_t ncases, capcases;
	unsigned long failures, errors, skipped;
	char *system_err; /* problems of a partial bundle, or NULL */
};

struct junit_state {
	struct report_opts o;
	xmlTextWriterPtr w;
};

static char *xml_dup(const char *s)
{
	struct buf b;

	if (s == NULL)
		return NULL;
	buf_init(&b);
	escape_adds(&b, s, ESC_XML);
	return buf_steal(&b);
}

static void suite_init(struct junit_suite *su, const char *name)
{
	memset(su, 0, sizeof *su);
	su->name = xml_dup(name);
}

static void suite_reset(struct junit_suite *su)
{
	size_t i;

	for (i = 0; i < su->nprops; i++) {
		free(su->props[i].name);
		free(su->props[i].value);
	}
	for (i = 0; i < su->ncases; i++) {
		struct junit_case *c = &su->cases[i];

		free(c->classname);
		free(c->name);
		free(c->message);
		free(c->type);
		free(c->body);
	}
	free(su->props);
	free(su->cases);
	free(su->name);
	free(su->system_err);
	memset(su, 0, sizeof *su);
}

static void suite_prop(struct junit_suite *su, const char *name, const char *value)
{
	struct junit_prop *p;

	if (value == NULL)
		return;
	su->props = xgrow(su->props, &su->capprops, su->nprops + 1, sizeof *su->props);
	p = &su->props[su->nprops++];
	p->name = xml_dup(name);
	p->value = xml_dup(value);
}

/* Adds one testcase: a failure or an error (kind) when message is set, with type as its type
 * attribute, else a pass whose body, if any, goes to system-out. Findings, bundle errors and
 * --expect lines all come through here. */
static void suite_add(struct junit_suite *su, int kind, const char *classname, const char *name,
                      const char *message, const char *type, const char *body)
{
	struct junit_case *c;

	su->cases = xgrow(su->cases, &su->capcases, su->ncases + 1, sizeof *su->cases);
	c = &su->cases[su->ncases++];
	c->kind = message ? kind : JUNIT_PASS;
	c->classname = xml_dup(classname);
	c->name = xml_dup(name);
	c->message = xml_dup(message);
	c->type = xml_dup(type);
	c->body = xml_dup(body);
	if (c->kind == JUNIT_FAILURE)
		su->failures++;
	else if (c->kind == JUNIT_ERROR)
		su->errors++;
	else if (c->kind == JUNIT_SKIPPED)
		su->skipped++;
}

static void attr(xmlTextWriterPtr w, const char *name, const char *value)
{
	if (value)
		xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST value);
}

static void attr_num(xmlTextWriterPtr w, const char *name, unsigned long n)
{
	char v[24];

	snprintf(v, sizeof v, "%lu", n);
	attr(w, name, v);
}

static void element_text(xmlTextWriterPtr w, const char *name, const char *text)
{
	xmlTextWriterStartElement(w, BAD_CAST name);
	xmlTextWriterWriteString(w, BAD_CAST text);
	xmlTextWriterEndElement(w);
}

static void write_case(xmlTextWriterPtr w, const struct junit_case *c)
{
	xmlTextWriterStartElement(w, BAD_CAST "testcase");
	attr(w, "classname", c->classname);
	attr(w, "name", c->name);
	if (c->kind == JUNIT_SKIPPED) {
		element_text(w, "skipped", c->message); /* Jenkins' schema: text, no attributes */
	} else if (c->kind != JUNIT_PASS) {
		xmlTextWriterStartElement(w, BAD_CAST(c->kind == JUNIT_ERROR ? "error" : "failure"));
		attr(w, "message", c->message);
		attr(w, "type", c->type);
		if (c->body)
			xmlTextWriterWriteString(w, BAD_CAST c->body);
		xmlTextWriterEndElement(w);
	} else if (c->body)
		element_text(w, "system-out", c->body);
	xmlTextWriterEndElement(w);
}

static void write_suite(xmlTextWriterPtr w, const struct junit_suite *su)
{
	size_t i;

	xmlTextWriterStartElement(w, BAD_CAST "testsuite");
	attr(w, "name", su->name);
	attr_num(w, "tests", su->ncases);
	attr_num(w, "failures", su->failures);
	attr_num(w, "errors", su->errors);
	attr_num(w, "skipped", su->skipped);
	if (su->nprops) {
		xmlTextWriterStartElement(w, BAD_CAST "properties");
		for (i = 0; i < su->nprops; i++) {
			xmlTextWriterStartElement(w, BAD_CAST "property");
			attr(w, "name", su->props[i].name);
			attr(w, "value", su->props[i].value);
			xmlTextWriterEndElement(w);
		}
		xmlTextWriterEndElement(w);
	}
	for (i = 0; i < su->ncases; i++)
		write_case(w, &su->cases[i]);
	if (su->system_err)
		element_text(w, "system-err", su->system_err);
	xmlTextWriterEndElement(w);
}

/* "dns.resolvers-unreachable [dns_ipv4]": a rule can fire once per stack in one bundle. */
static char *finding_name(const struct finding *f)
{
	return f->comp ? xasprintf("%s [%s]", f->rule->id, f->comp) : xstrdup(f->rule->id);
}

static void finding_seen(struct buf *b, const struct scan_result *res, const struct finding *f)
{
	const struct comp_state *cs = report_comp_state(res, f);

	if (cs && cs->state) {
		buf_printf(b, "end state %s %s", f->comp, cs->state);
		if (cs->note)
			buf_printf(b, " (%s)", cs->note);
		report_add_time(b, " since ", &cs->since);
		buf_addc(b, '\n');
	}
	if (f->first.prov == TP_NONE)
		return;
	report_add_time(b, "seen      ", &f->first);
	if (f->last.ms != f->first.ms)
		report_add_time(b, " .. ", &f->last);
	buf_printf(b, ", %lu time%s", f->count, f->count == 1 ? "" : "s");
	report_add_course(b, f, 0);
	buf_addc(b, '\n');
}

/* The text a CI page shows under the finding: what, when, the evidence lines and the fix. Raw:
 * the case cleans it. */
static char *finding_body(const struct scan_result *res, const struct finding *f)
{
	struct buf b;
	size_t i;
	char t[40];

	buf_init(&b);
	buf_printf(&b, "%s\nseverity  %s\n", f->title, severity_name(f->severity));
	if (f->severity_note)
		buf_printf(&b, "note      severity lowered: %s\n", f->severity_note);
	if (finding_cause_id(f))
		buf_printf(&b, "caused by %s\n", finding_cause_id(f));
	finding_seen(&b, res, f);
	if (f->why)
		buf_printf(&b, "why       %s\n", f->why);
	for (i = 0; i < f->nev; i++) {
		const struct evidence *e = f->ev[i];
		const char *ts = report_time(&e->ts, t, sizeof t);

		buf_printf(&b, "%s%s:%lu  %s%s%s\n", i == 0 ? "evidence  " : "          ",
		           scan_entry_name(res, e->entry), e->line, ts ? ts : "", ts ? "  " : "", e->text);
	}
	if (f->ev_omitted)
		buf_printf(&b, "          ... %lu more\n", f->ev_omitted);
	if (f->remediation)
		buf_printf(&b, "fix       %s\n", f->remediation);
	for (i = 0; i < f->rule->nrefs; i++)
		buf_printf(&b, "see       %s\n", f->rule->refs[i]);
	return buf_steal(&b);
}

static char *problems_text(const struct scan_result *res)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	for (i = 0; i < res->nproblems; i++)
		buf_printf(&b, "%s%s%s\n", res->problems[i].entry ? res->problems[i].entry : "",
		           res->problems[i].entry ? ": " : "", res->problems[i].msg);
	return b.p ? buf_steal(&b) : NULL;
}

static void add_props(struct junit_suite *su, const struct scan_result *res)
{
	size_t i;
	char t[40];

	suite_prop(su, "status", scan_status_name(res->status));
	if (res->sha256)
		suite_prop(su, "sha256", res->sha256);
	if (res->duplicate_of)
		suite_prop(su, "duplicate_of", res->duplicate_of);
	{
		char *w = report_window(res);

		if (w)
			suite_prop(su, "window", w);
		free(w);
	}
	if (scan_read_nothing(res) || res->duplicate_of)
		return;
	suite_prop(su, "organization_id", res->ctx.org_id);
	for (i = 0; i < component_n; i++) {
		const char *st = res->diag.states[i].state;

		suite_prop(su, component_table[i].name, st ? st : "unknown");
	}
	suite_prop(su, "start", report_time(&res->diag.start, t, sizeof t));
	suite_prop(su, "end", report_time(&res->diag.end, t, sizeof t));
}

static void add_findings(struct junit_state *s, struct junit_suite *su, const struct scan_result *res)
{
	size_t i;

	for (i = 0; i < res->diag.nf; i++) {
		const struct finding *f = &res->diag.f[i];
		char *name = finding_name(f), *body = finding_body(res, f);
		int fail = f->severity >= s->o.fail_on;

		suite_add(su, JUNIT_FAILURE, f->rule->component, name, fail ? f->title : NULL,
		          severity_name(f->severity), body);
		free(name);
		free(body);
	}
	/* what keeps a bundle with no finding from healthy fails as a warning would: a CI job must not
	 * read a review as clean */
	if (res->verdict == VERDICT_REVIEW || res->verdict == VERDICT_UNREADABLE) {
		for (i = 0; i < res->nreasons; i++) {
			char *name = xasprintf("dartscan.review %s", verdict_reason_name(res->reasons[i].code));

			suite_add(su, JUNIT_FAILURE, "review", name, SEV_WARNING >= s->o.fail_on ? res->reasons[i].text : NULL,
			          verdict_class_name(res->verdict), res->reasons[i].text);
			free(name);
		}
	}
	/* a duplicate was not scanned again: its findings are in the suite of the bundle it repeats */
	if (res->duplicate_of)
		suite_add(su, JUNIT_PASS, "dartscan", "dartscan.duplicate", NULL, NULL, NULL);
	else if (res->diag.nf == 0 && res->nreasons == 0)
		suite_add(su, JUNIT_PASS, "dartscan", "dartscan.no-findings", NULL, NULL, NULL);
}

static void *junit_new(FILE *out, const struct report_opts *o)
{
	struct junit_state *s = xcalloc(1, sizeof *s);
	xmlOutputBufferPtr ob = xmlOutputBufferCreateFile(out, NULL);

	s->o = *o;
	/* The writer owns ob from here, and flushes but never closes the caller's FILE. */
	s->w = xmlNewTextWriter(ob);
	xmlTextWriterSetIndent(s->w, 1);
	xmlTextWriterSetIndentString(s->w, BAD_CAST "  ");
	xmlTextWriterStartDocument(s->w, NULL, "UTF-8", NULL);
	xmlTextWriterStartElement(s->w, BAD_CAST "testsuites");
	attr(s->w, "name", "dartscan");
	return s;
}

static void add_expectation(void *ctx, const char *name, int ok, const char *msg)
{
	suite_add(ctx, JUNIT_FAILURE, "dartscan.expect", name, ok ? NULL : msg, "drift", NULL);
}

/* With --expect: one testcase per expectation instead of one per finding. */
static int add_expectations(const struct junit_state *s, struct junit_suite *su, const struct scan_result *res)
{
	const struct expect_bundle *eb;

	if (s->o.expect == NULL)
		return 0;
	eb = expect_find(s->o.expect, res->path);
	if (eb == NULL)
		suite_add(su, JUNIT_FAILURE, "dartscan.expect", "expectations", "no expectations listed for this bundle",
		          "drift", NULL);
	else
		expect_compare(eb, res, add_expectation, su);
	return 1;
}

static void junit_bundle(void *vp, const struct scan_result *res)
{
	struct junit_state *s = vp;
	struct junit_suite su;
	char *problems = problems_text(res);

	suite_init(&su, res->path);
	add_props(&su, res);
	if (res->status == SCAN_EMPTY) /* nothing to test yet: a case folder the upload has not reached */
		suite_add(&su, JUNIT_SKIPPED, "dartscan", "dartscan.empty", "no bundle in this case folder yet", "empty",
		          NULL);
	else if (res->status == SCAN_ERROR)
		suite_add(&su, JUNIT_ERROR, "dartscan", "dartscan.bundle-error",
		          res->nproblems ? res->problems[0].msg : "the bundle could not be read", "bundle-error",
		          problems);
	else {
		if (!add_expectations(s, &su, res))
			add_findings(s, &su, res);
		su.system_err = xml_dup(problems);
	}
	write_suite(s->w, &su);
	xmlTextWriterFlush(s->w);
	suite_reset(&su);
	free(problems);
}

static void junit_end(void *vp)
{
	struct junit_state *s = vp;

	xmlTextWriterEndDocument(s->w); /* closes <testsuites> */
	xmlTextWriterFlush(s->w);
}

static void junit_free(void *vp)
{
	struct junit_state *s = vp;

	if (s == NULL)
		return;
	xmlFreeTextWriter(s->w);
	free(s);
}

const struct report_ops report_junit_ops = {"junit", junit_new, junit_bundle, junit_end, junit_free, 1};
