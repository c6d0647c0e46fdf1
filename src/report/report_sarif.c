/* report_sarif: SARIF 2.1.0 for code-scanning viewers, built with Jansson. One run: the driver
 * lists every finding rule of the rule set, each finding of every bundle is one result located at
 * its evidence lines, each reason a bundle needs review is a warning result (dartscan.review), and
 * bundles that could not be read become notifications of the invocation.
 * A bundle entry is not a file on disk, so locations are entry paths relative to a uriBaseId per
 * bundle (BUNDLE1, BUNDLE2, ...) whose description names the bundle. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "component.h"
#include "report_in.h"
#include "verdict.h"

/* Where to read about the tool: the installed manual (the build sets it from MANDIR). */
#ifndef DS_INFO_URI
#define DS_INFO_URI "file:///usr/local/share/man/man1/dartscan.1"
#endif

#define SARIF_SCHEMA "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

struct sarif_state {
	FILE *out;
	json_t *rules;             /* tool.driver.rules */
	const struct rule **ruleof; /* ruleof[i] is the rule of rules[i], for ruleIndex */
	size_t nrules, caprules;
	json_t *bases;             /* run.originalUriBaseIds */
	json_t *results;
	json_t *notes;             /* invocations[0].toolExecutionNotifications */
	unsigned long bundles;
	int failed;                /* a bundle could not be read */
	int shown;                 /* --unexplained: templates given as notes per bundle */
};

static const char *sev_level(int sev)
{
	switch (sev) {
	case SEV_CRITICAL:
	case SEV_ERROR: return "error";
	case SEV_WARNING: return "warning";
	case SEV_INFO: return "note";
	default: return "none";
	}
}

static json_t *text_msg(const char *text)
{
	return json_pack("{s:o}", "text", report_jstr(text));
}

/* An entry name made relative to its bundle's base: a leading '/', './', '../' or '\' would
 * make a URI that cannot be combined with its uriBaseId (SARIF1004); the name as stored is kept
 * in the location's properties. */
static const char *relative_entry(const char *entry)
{
	for (;;) {
		if (*entry == '/' || *entry == '\\')
			entry++;
		else if (entry[0] == '.' && (entry[1] == '/' || entry[1] == '\\'))
			entry += 2;
		else if (entry[0] == '.' && entry[1] == '.' && (entry[2] == '/' || entry[2] == '\\'))
			entry += 3;
		else
			return entry;
	}
}

/* A name as a URI reference: entries hold spaces and anything a Windows file name may, so
 * everything but RFC 3986 unreserved characters and '/' is percent-encoded. */
static json_t *entry_uri(const char *entry)
{
	static const char hex[] = "0123456789ABCDEF";
	struct buf b;
	const unsigned char *p;
	json_t *j;

	buf_init(&b);
	for (p = (const unsigned char *)entry; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~/", *p))
			buf_addc(&b, (char)*p);
		else {
			buf_addc(&b, '%');
			buf_addc(&b, hex[*p >> 4]);
			buf_addc(&b, hex[*p & 15]);
		}
	}
	j = json_string(b.p ? b.p : "");
	buf_reset(&b);
	return j;
}

/* Rule titles and fixes are templates ("over ${stack}"): a rule's description keeps a default
 * ("${ctx.swgDomain:-the swgDomain}"), shows "<stack>" for a value only a finding has, and the
 * text of every "${v6:+...}" (each variant the rule can give). name points into the template, so
 * ":-" after it means a default follows. */
struct placeholder {
	char v[64];
};

static const char *placeholder(void *ctx, const char *name, size_t len)
{
	struct placeholder *p = ctx;

	if (name[len] == ':' && name[len + 1] == '-')
		return NULL;
	snprintf(p->v, sizeof p->v, "<%.*s>", (int)(len < 32 ? len : 32), name);
	return p->v;
}

/* "dns.resolvers-unreachable" -> "DnsResolversUnreachable": SARIF wants a name that reads as an
 * identifier, distinct from the id. */
static json_t *rule_name(const char *id)
{
	char name[128];
	size_t i = 0;
	int up = 1;

	for (; *id && i + 1 < sizeof name; id++) {
		if (*id == '.' || *id == '-' || *id == '_') {
			up = 1;
			continue;
		}
		name[i++] = (char)(up && *id >= 'a' && *id <= 'z' ? *id - 32 : *id);
		up = 0;
	}
	name[i] = '\0';
	return report_jstr(name);
}

static json_t *rule_json(const struct rule *r)
{
	json_t *o = json_object(), *props = json_object();
	struct placeholder ph;
	char *title = template_expand(r->title ? r->title : r->id, placeholder, &ph);
	char *fix = r->fix ? template_expand(r->fix, placeholder, &ph) : NULL;

	json_object_set_new(o, "id", report_jstr(r->id));
	json_object_set_new(o, "name", rule_name(r->id));
	json_object_set_new(o, "shortDescription", text_msg(title));
	json_object_set_new(o, "fullDescription", text_msg(fix ? fix : title));
	/* GitHub code scanning wants help on every rule (GH2012): a rule without a fix is a state or a
	 * signal other findings build on, and says so */
	if (fix) {
		json_object_set_new(o, "help", text_msg(fix));
	} else {
		char *help = xasprintf("%s. No fix of its own: a state or a signal that other findings build on.", title);

		json_object_set_new(o, "help", text_msg(help));
		free(help);
	}
	/* helpUri must be an absolute URI; a rule's references are links by convention only. */
	if (r->nrefs && strncmp(r->refs[0], "https://", 8) == 0)
		json_object_set_new(o, "helpUri", report_jstr(r->refs[0]));
	json_object_set_new(o, "defaultConfiguration", json_pack("{s:s}", "level", sev_level(r->severity)));
	json_object_set_new(props, "severity", json_string(severity_name(r->severity)));
	json_object_set_new(props, "component", report_jstr(r->component));
	json_object_set_new(props, "tags", json_pack("[o]", report_jstr(r->component ? r->component : "")));
	json_object_set_new(o, "properties", props);
	free(title);
	free(fix);
	return o;
}

/* The index of r in the driver's rules. Finding rules are listed up front; any other rule a
 * finding names is added when first seen, since a result must never name a rule the driver
 * lacks. */
static size_t rule_index(struct sarif_state *s, const struct rule *r)
{
	size_t i;

	for (i = 0; i < s->nrules; i++)
		if (s->ruleof[i] == r)
			return i;
	s->ruleof = xgrow(s->ruleof, &s->caprules, s->nrules + 1, sizeof *s->ruleof);
	s->ruleof[s->nrules] = r;
	json_array_append_new(s->rules, rule_json(r));
	return s->nrules++;
}

/* An entry of the bundle whose base is base; NULL: the bundle itself (the base's own URI). */
static json_t *artifact(const char *entry, const char *base)
{
	json_t *a = json_object();

	json_object_set_new(a, "uri", entry_uri(entry ? relative_entry(entry) : ""));
	json_object_set_new(a, "uriBaseId", json_string(base));
	return a;
}

/* A location's properties: the entry's name as stored when the URI had to change it. */
static void keep_stored_name(json_t *loc, const char *entry)
{
	if (entry && relative_entry(entry) != entry)
		json_object_set_new(loc, "properties", json_pack("{s:o}", "entry", report_jstr(entry)));
}

/* One evidence line as a location; id numbers the related ones (they must be unique). */
static json_t *location_json(const struct scan_result *res, const struct evidence *ev, const char *base,
                             long id)
{
	json_t *loc = json_object(), *phys = json_object();
	char t[40];

	if (id >= 0)
		json_object_set_new(loc, "id", json_integer(id));
	json_object_set_new(phys, "artifactLocation", artifact(scan_entry_name(res, ev->entry), base));
	keep_stored_name(loc, scan_entry_name(res, ev->entry));
	if (ev->line > 0)
		json_object_set_new(phys, "region",
		                    json_pack("{s:I,s:{s:o}}", "startLine", (json_int_t)ev->line, "snippet", "text",
		                              report_jstr(ev->text ? ev->text : "")));
	json_object_set_new(loc, "physicalLocation", phys);
	if (report_time(&ev->ts, t, sizeof t))
		json_object_set_new(loc, "message", text_msg(t));
	return loc;
}

/* "TITLE. At the end dns_ipv4 is unprotected since T. Seen N times from A to B, ongoing." */
static char *result_text(const struct scan_result *res, const struct finding *f)
{
	const struct comp_state *cs = report_comp_state(res, f);
	struct buf b;

	buf_init(&b);
	buf_adds(&b, f->title);
	buf_addc(&b, '.');
	if (f->why)
		buf_printf(&b, " %s.", f->why);
	if (cs && cs->state) {
		buf_printf(&b, " At the end %s is %s", f->comp, cs->state);
		if (cs->note)
			buf_printf(&b, " (%s)", cs->note);
		report_add_time(&b, " since ", &cs->since);
		buf_addc(&b, '.');
	}
	if (f->first.prov != TP_NONE) {
		buf_printf(&b, " Seen %lu time%s", f->count, f->count == 1 ? "" : "s");
		if (f->last.ms != f->first.ms) {
			report_add_time(&b, " from ", &f->first);
			report_add_time(&b, " to ", &f->last);
		} else
			report_add_time(&b, " at ", &f->first);
		report_add_course(&b, f, 0);
		buf_addc(&b, '.');
	}
	return buf_steal(&b);
}

static json_t *result_props(const struct scan_result *res, const struct finding *f)
{
	json_t *p = json_object();

	json_object_set_new(p, "bundle", report_jstr(res->path));
	json_object_set_new(p, "severity", json_string(severity_name(f->severity)));
	json_object_set_new(p, "component", report_jstr(f->rule->component));
	json_object_set_new(p, "state_component", report_jstr(f->comp));
	json_object_set_new(p, "first_seen", report_jtime(&f->first));
	json_object_set_new(p, "last_seen", report_jtime(&f->last));
	json_object_set_new(p, "ongoing", json_boolean(f->ongoing));
	json_object_set_new(p, "recovered_at", report_jtime(&f->recovered));
	json_object_set_new(p, "stopped_at", report_jtime(&f->stopped));
	json_object_set_new(p, "started_before_log", json_boolean(f->started_before_log));
	json_object_set_new(p, "log_cut", json_boolean(f->log_cut));
	json_object_set_new(p, "count", json_integer((json_int_t)f->count));
	json_object_set_new(p, "incidents", json_integer((json_int_t)f->ninc));
	json_object_set_new(p, "evidence_omitted", json_integer((json_int_t)f->ev_omitted));
	json_object_set_new(p, "caused_by", report_jstr(finding_cause_id(f)));
	json_object_set_new(p, "severity_note", report_jstr(f->severity_note));
	json_object_set_new(p, "remediation", report_jstr(f->remediation));
	return p;
}

/* The line (from 1) of the first "KEY" in data, KEY the last part of a JSON path or the last
 * element name of an XPath; 0 when it is not there. */
static unsigned long key_line(const char *data, const char *path)
{
	const char *key = path, *p, *hit = NULL;
	char quoted[128];
	unsigned long line = 1;

	for (p = path; *p; p++)
		if (*p == '.' || *p == '/')
			key = p + 1;
	if (*key == '\0' || strlen(key) + 3 > sizeof quoted)
		return 0;
	snprintf(quoted, sizeof quoted, "\"%s\"", key);
	hit = strstr(data, quoted);
	if (hit == NULL) {
		snprintf(quoted, sizeof quoted, "<%s", key);
		hit = strstr(data, quoted);
	}
	if (hit == NULL)
		return 0;
	for (p = data; p < hit; p++)
		line += *p == '\n';
	return line;
}

static unsigned long count_lines(const char *s)
{
	unsigned long n = 1;

	for (; *s; s++)
		n += *s == '\n' && s[1] != '\0';
	return n;
}

/* Where a finding without evidence lines is: the settings file its check read (at the line of
 * the key when it can be found), else the bundle itself. */
static json_t *fact_location(const struct scan_result *res, const struct finding *f, const char *base)
{
	json_t *loc = json_object(), *phys = json_object();
	const struct ctx_file *file = NULL;
	unsigned long line = 0;
	struct stat st;
	size_t i, k;

	for (k = 0; k < f->rule->nchecks && file == NULL; k++)
		for (i = 0; i < res->ctx.n && file == NULL; i++)
			if (glob_match_ci(f->rule->checks[k].file, base_name(res->ctx.files[i].name))) {
				file = &res->ctx.files[i];
				if (file->data && f->rule->checks[k].path)
					line = key_line(file->data, f->rule->checks[k].path);
			}
	json_object_set_new(phys, "artifactLocation", artifact(file ? file->name : NULL, base));
	if (line > 0)
		json_object_set_new(phys, "region", json_pack("{s:I}", "startLine", (json_int_t)line));
	else if (file && file->data)
		json_object_set_new(phys, "region", json_pack("{s:i,s:I}", "startLine", 1, "endLine",
		                                              (json_int_t)count_lines(file->data)));
	else if (file) /* kept without its bytes (not valid, too big): from its start */
		json_object_set_new(phys, "region", json_pack("{s:i}", "startLine", 1));
	else if (file == NULL && stat(res->path, &st) == 0 && S_ISREG(st.st_mode))
		json_object_set_new(phys, "region", json_pack("{s:i,s:I}", "byteOffset", 0, "byteLength",
		                                              (json_int_t)st.st_size)); /* the whole bundle */
	json_object_set_new(loc, "physicalLocation", phys);
	json_object_set_new(loc, "message", text_msg(file ? "the settings file the check read" : "the bundle"));
	if (file)
		keep_stored_name(loc, file->name);
	return loc;
}

static json_t *result_json(struct sarif_state *s, const struct scan_result *res, const struct finding *f,
                           const char *base)
{
	json_t *o = json_object(), *locs = json_array(), *related = json_array();
	char *text = result_text(res, f);
	size_t i;

	json_object_set_new(o, "ruleId", report_jstr(f->rule->id));
	json_object_set_new(o, "ruleIndex", json_integer((json_int_t)rule_index(s, f->rule)));
	json_object_set_new(o, "level", json_string(sev_level(f->severity)));
	json_object_set_new(o, "message", text_msg(text));
	for (i = 0; i < f->nev; i++)
		json_array_append_new(i == 0 ? locs : related, location_json(res, f->ev[i], base, i == 0 ? -1 : (long)i));
	if (f->nev == 0) /* GitHub refuses a result without a location */
		json_array_append_new(locs, fact_location(res, f, base));
	json_object_set_new(o, "locations", locs);
	if (json_array_size(related))
		json_object_set_new(o, "relatedLocations", related);
	else
		json_decref(related);
	json_object_set_new(o, "properties", result_props(res, f));
	free(text);
	return o;
}

/* The driver's rule for the unexplained templates: no rule file's, so one of its own. */
static const struct rule unexplained_rule = {
    .id = "dartscan.unexplained",
    .title = "A message shape no rule explains",
    .severity = SEV_INFO,
    .component = "unexplained",
    .fix = "Read the example record. If it is trouble, draft a rule for it (dartscan-rules(5)); if it is "
           "routine, a rule with severity none keeps it out of this list.",
    .capture = -1,
};

/* A result of one of the driver's own rules: its id, index, level and message; the caller adds the
 * locations and properties. */
static json_t *own_result(struct sarif_state *s, const struct rule *r, const char *level, const char *text)
{
	json_t *o = json_object();

	json_object_set_new(o, "ruleId", json_string(r->id));
	json_object_set_new(o, "ruleIndex", json_integer((json_int_t)rule_index(s, r)));
	json_object_set_new(o, "level", json_string(level));
	json_object_set_new(o, "message", text_msg(text));
	return o;
}

/* One of the first --unexplained templates as a note, located at its first record. */
static json_t *unexplained_json(struct sarif_state *s, const struct scan_result *res, const struct ux_template *t,
                                const char *base)
{
	json_t *o, *locs = json_array();
	struct evidence ev = {t->ex_entry, t->ex_line, t->ex_ts, t->ex_text};
	char *text = xasprintf("No rule explains: %s (%lu record%s, level %s%s%s)", t->text, t->count,
	                       t->count == 1 ? "" : "s", ux_level_name(t->level), t->in_incident ? ", in an incident" : "",
	                       t->burst ? ", in a burst" : "");

	o = own_result(s, &unexplained_rule, "note", text);
	json_array_append_new(locs, location_json(res, &ev, base, -1));
	json_object_set_new(o, "locations", locs);
	json_object_set_new(o, "properties", json_pack("{s:o,s:s,s:I,s:b,s:b,s:I}", "bundle", report_jstr(res->path),
	                                               "template", t->text, "count", (json_int_t)t->count, "in_incident",
	                                               t->in_incident, "burst", t->burst, "score", (json_int_t)t->score));
	free(text);
	return o;
}

/* The driver's rule for what keeps a bundle with no finding from healthy (verdict.h's reasons). */
static const struct rule review_rule = {
    .id = "dartscan.review",
    .title = "The bundle is not proven healthy",
    .severity = SEV_WARNING,
    .component = "review",
    .fix = "Read the reason: a lane no log read speaks of, a log in a format dartscan does not read, a "
           "burst of errors no rule knows, a bundle read in part. Look at the named file or lane by hand.",
    .capture = -1,
};

/* A reason a bundle needs review (or could not be read) as a warning result, so that a code-scanning
 * view never shows such a bundle as clean. Located at the entry it names, else at the bundle. */
static json_t *review_json(struct sarif_state *s, const struct scan_result *res, const struct reason *rs,
                           const char *base)
{
	json_t *o = own_result(s, &review_rule, "warning", rs->text);
	const char *entry = rs->subject && component_index(rs->subject) < 0 ? rs->subject : NULL;
	json_t *loc = json_pack("{s:{s:o}}", "physicalLocation", "artifactLocation", artifact(entry, base));

	keep_stored_name(loc, entry);
	json_object_set_new(o, "locations", json_pack("[o]", loc));
	json_object_set_new(o, "properties", json_pack("{s:o,s:s,s:s,s:o}", "bundle", report_jstr(res->path),
	                                               "verdict_class", verdict_class_name(res->verdict), "reason",
	                                               verdict_reason_name(rs->code), "subject", report_jstr(rs->subject)));
	return o;
}

/* A problem reading the bundle: an error when nothing could be read, else a warning. */
static json_t *notification_json(const struct scan_result *res, const struct problem *pr, const char *base)
{
	json_t *n = json_object();
	char *text = xasprintf("%s%s%s: %s", res->path, pr->entry ? ": " : "", pr->entry ? pr->entry : "",
	                       pr->msg);

	json_object_set_new(n, "level", json_string(res->status == SCAN_ERROR ? "error" : "warning"));
	json_object_set_new(n, "message", text_msg(text));
	{
		json_t *loc = json_pack("{s:{s:o}}", "physicalLocation", "artifactLocation", artifact(pr->entry, base));

		keep_stored_name(loc, pr->entry);
		json_object_set_new(n, "locations", json_pack("[o]", loc));
	}
	json_object_set_new(n, "properties", json_pack("{s:o}", "bundle", report_jstr(res->path)));
	free(text);
	return n;
}

/* The bundle as a base URI: file:// and its absolute path, ending in '/' as a base must (a zip's
 * entries lie "below" it). */
static json_t *bundle_uri(const char *path)
{
	char *abs = realpath(path, NULL);
	char cwd[4096];
	struct buf b;
	json_t *u, *tail;

	buf_init(&b);
	if (abs == NULL && path[0] != '/' && getcwd(cwd, sizeof cwd))
		abs = xasprintf("%s/%s", cwd, path);
	else if (abs == NULL)
		abs = xstrdup(path);
	tail = entry_uri(abs);
	buf_printf(&b, "file://%s%s", json_string_value(tail),
	           abs[0] && abs[strlen(abs) - 1] == '/' ? "" : "/");
	u = json_string(b.p);
	json_decref(tail);
	buf_reset(&b);
	free(abs);
	return u;
}

static void *sarif_new(FILE *out, const struct report_opts *o)
{
	struct sarif_state *s = xcalloc(1, sizeof *s);
	size_t i;

	s->out = out;
	s->rules = json_array();
	s->bases = json_object();
	s->results = json_array();
	s->notes = json_array();
	s->shown = o->unexplained;
	/* Every finding rule, fired or not, so a viewer can tell "checked, fine" from "not checked". */
	for (i = 0; o->rs && i < o->rs->n; i++)
		if (o->rs->rules[i].severity != SEV_NONE && !o->rs->rules[i].disabled)
			rule_index(s, &o->rs->rules[i]);
	return s;
}

static void sarif_bundle(void *vp, const struct scan_result *res)
{
	struct sarif_state *s = vp;
	char base[32];
	size_t i;

	snprintf(base, sizeof base, "BUNDLE%lu", ++s->bundles);
	json_object_set_new(s->bases, base,
	                    json_pack("{s:o,s:o,s:{s:o,s:s}}", "uri", bundle_uri(res->path), "description",
	                              text_msg(res->path), "properties", "path", report_jstr(res->path), "status",
	                              scan_status_name(res->status)));
	if (res->status == SCAN_ERROR)
		s->failed = 1;
	for (i = 0; i < res->nproblems; i++)
		json_array_append_new(s->notes, notification_json(res, &res->problems[i], base));
	for (i = 0; i < res->diag.nf; i++)
		json_array_append_new(s->results, result_json(s, res, &res->diag.f[i], base));
	if (res->verdict == VERDICT_REVIEW || res->verdict == VERDICT_UNREADABLE)
		for (i = 0; i < res->nreasons; i++)
			json_array_append_new(s->results, review_json(s, res, &res->reasons[i], base));
	for (i = 0; i < res->unx.n && i < (size_t)s->shown; i++)
		json_array_append_new(s->results, unexplained_json(s, res, &res->unx.t[i], base));
}

static void sarif_end(void *vp)
{
	struct sarif_state *s = vp;
	json_t *driver, *run, *doc;

	driver = json_pack("{s:s,s:s,s:s,s:s,s:O}", "name", "dartscan", "informationUri", DS_INFO_URI, "version",
	                   DS_VERSION, "semanticVersion", DS_VERSION, "rules", s->rules);
	run = json_pack("{s:{s:o},s:O,s:[{s:b,s:O}],s:O}", "tool", "driver", driver, "originalUriBaseIds",
	                s->bases, "invocations", "executionSuccessful", !s->failed, "toolExecutionNotifications",
	                s->notes, "results", s->results);
	doc = json_pack("{s:s,s:s,s:[o]}", "$schema", SARIF_SCHEMA, "version", "2.1.0", "runs", run);
	json_dumpf(doc, s->out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', s->out);
	json_decref(doc);
}

static void sarif_free(void *vp)
{
	struct sarif_state *s = vp;

	if (s == NULL)
		return;
	json_decref(s->rules);
	json_decref(s->bases);
	json_decref(s->results);
	json_decref(s->notes);
	free(s->ruleof);
	free(s);
}

const struct report_ops report_sarif_ops = {"sarif", sarif_new, sarif_bundle, sarif_end, sarif_free, 0};
