/* report_explain: --explain's report -- one rule traced over a scanned bundle: the entries it
 * read, its hits and nearest miss (gathered by explain.c in the reading half), its checks, and why
 * it did or did not become a finding. The report side, so that explain.h needs no scan result. */
#include "report_explain.h"

#include <stdlib.h>
#include <string.h>

/* A stale check is weighed when the bundle is diagnosed (it needs the logs' times), not when the
 * checks are read: its answer is the diagnosis'. */
static void print_stale(const struct rule *r, const struct check *ck, const struct scan_result *res, FILE *out)
{
	const struct collection *c = &res->diag.collected;
	size_t i;

	for (i = 0; i < res->diag.nf; i++)
		if (res->diag.f[i].rule == r) {
			fprintf(out, "  check     %s:%ld: holds: %s\n", r->file, ck->line,
			        res->diag.f[i].why ? res->diag.f[i].why : "");
			return;
		}
	if (c->at.prov == TP_NONE) {
		fprintf(out, "  check     %s:%ld: does not hold: the bundle does not say when it was collected\n", r->file,
		        ck->line);
	} else if (c->logs_end.prov == TP_NONE) {
		fprintf(out, "  check     %s:%ld: does not hold: no log record has a time\n", r->file, ck->line);
	} else {
		char gap[40];

		timefmt_duration(c->at.ms > c->logs_end.ms ? c->at.ms - c->logs_end.ms : c->logs_end.ms - c->at.ms, gap,
		                 sizeof gap);
		fprintf(out, "  check     %s:%ld: does not hold: the newest log record is %s %s the collection (%s)\n",
		        r->file, ck->line, gap, c->at.ms >= c->logs_end.ms ? "before" : "after", c->source);
	}
}

static void print_checks(const struct explain *x, const struct scan_result *res, FILE *out)
{
	const struct rule *r = x->rule;
	size_t k;

	for (k = 0; x->check_holds && k < r->nchecks; k++) {
		const char *why = x->check_why[k];

		if (r->checks[k].kind == CHECK_STALE) {
			print_stale(r, &r->checks[k], res, out);
			continue;
		}
		fprintf(out, "  check     %s:%ld: %s%s%s\n", r->file, r->checks[k].line,
		        x->check_holds[k] ? "holds" : "does not hold", why ? ": " : "", why ? why : "");
	}
}

/* "unless: A within N": whether A fired, and so whether this rule's finding was dropped. */
static void print_unless(const struct relation *rel, const struct rule *r, const struct scan_result *res, FILE *out)
{
	size_t i;
	int a_fired = 0;

	for (i = 0; i < res->diag.nf; i++)
		a_fired |= res->diag.f[i].rule == rel->ra;
	fprintf(out, "  unless    %s within %ld s%s: %s\n", rel->a, rel->window,
	        rel->pattern >= 0 ? " (for the pattern before it)" : "",
	        diagnosis_dropped(&res->diag, r) ? "it came within that of some runs of matches, which do not count"
	        : a_fired                       ? "it fired, but not near any run of matches here"
	                                        : "it did not fire");
}

/* The values a condition's words read (${a}, ${need}, ...): the stop correlation noted. */
struct stop_values {
	const struct rule_stop *s;
	char need[24], got[24], within[24];
};

static const char *stop_value(void *vp, const char *name, size_t len)
{
	struct stop_values *v = vp;
	const struct relation *rel = v->s->rel;

	if (len == 4 && memcmp(name, "need", 4) == 0)
		return v->need;
	if (len == 3 && memcmp(name, "got", 3) == 0)
		return v->got;
	if (len == 3 && memcmp(name, "why", 3) == 0)
		return v->s->why;
	if (rel == NULL)
		return NULL;
	if (len == 1 && name[0] == 'a')
		return rel->a;
	if (len == 1 && name[0] == 'b')
		return rel->b;
	if (len == 6 && memcmp(name, "within", 6) == 0)
		return v->within;
	return NULL;
}

/* What stopped the rule, in the words of its condition's row (rules/condition.c). */
static void print_stop(const struct rule_stop *s, FILE *out)
{
	struct stop_values v = {.s = s};
	char *why;

	snprintf(v.need, sizeof v.need, "%lu", s->need);
	snprintf(v.got, sizeof v.got, "%lu", s->got);
	snprintf(v.within, sizeof v.within, "%ld", s->rel ? s->rel->window : 0L);
	why = template_expand(rule_conditions[s->cond].stopped, stop_value, &v);
	fprintf(out, "  verdict   no finding: %s\n", why);
	free(why);
}

static void print_verdict(const struct explain *x, const struct scan_result *res, int windowed, FILE *out)
{
	const struct rule *r = x->rule;
	size_t i;
	unsigned long matches = 0;
	int fired = 0;
	const struct rule_stop *stop;

	for (i = 0; i < x->n; i++)
		matches += x->e[i].matches;
	for (i = 0; i < res->diag.nf; i++) {
		const struct finding *f = &res->diag.f[i];

		if (f->rule != r)
			continue;
		fired = 1;
		fprintf(out, "  verdict   finding %s%s%s, severity %s (rule: %s)%s%s\n", r->id, f->comp ? " " : "",
		        f->comp ? f->comp : "", severity_name(f->severity), severity_name(r->severity),
		        f->severity_note ? ": " : "", f->severity_note ? f->severity_note : "");
	}
	if (fired)
		return;
	stop = diagnosis_stop(&res->diag, r);
	if (r->confirmed && events_first_of(&res->events, r) != NULL)
		fprintf(out, "  verdict   no finding of its own: its verdict confirms %s's finding, as evidence there\n",
		        r->confirmed->id);
	else if (r->disabled)
		fputs("  verdict   no finding: the rule is disabled by the local configuration\n", out);
	else if (r->npats && x->n == 0)
		fputs("  verdict   no finding: the bundle holds no entry this rule reads (the data was not there)\n", out);
	else if (r->npats && matches == 0)
		fputs("  verdict   no finding: the entries were read but no record matched\n", out);
	else if (r->severity == SEV_NONE)
		fprintf(out, "  verdict   no finding by design: severity none (the rule sets state %s)\n",
		        r->state ? r->state : "-");
	else if (stop && (stop->cond != COND_WINDOW || windowed)) /* a window only when one was given */
		print_stop(stop, out);
	else if (r->npats)
		fputs("  verdict   no finding: its runs of matches made none (see the runs above)\n", out);
	else
		fputs("  verdict   no finding: nothing in the bundle gave it one\n", out);
}

void report_explain(const struct explain *x, const struct scan_result *res, int windowed, FILE *out)
{
	const struct rule *r = x->rule;
	size_t i;

	fprintf(out, "explain %s on %s\n", r->id, res->path);
	fprintf(out, "  rule      %s:%ld, severity %s, %zu pattern%s, %zu check%s\n", r->file, r->line,
	        severity_name(r->severity), r->npats, r->npats == 1 ? "" : "s", r->nchecks, r->nchecks == 1 ? "" : "s");
	for (i = 0; i < r->nfiles; i++)
		fprintf(out, "  reads     %s\n", r->files[i]);
	for (i = 0; i < r->nrels; i++)
		if (r->rels[i].unless)
			print_unless(&r->rels[i], x->rule, res, out);
	for (i = 0; i < x->n; i++)
		fprintf(out, "  entry     %s: %lu records, %lu passed the prefilter, %lu matched\n", x->e[i].name,
		        x->e[i].records, x->e[i].candidates, x->e[i].matches);
	if (x->first_match_entry)
		fprintf(out, "  first     %s:%lu  %s\n", x->first_match_entry, x->first_match_line, x->first_match_text);
	else if (x->near_entry && x->near_len >= 4)
		fprintf(out, "  nearest   %s:%lu shares %zu characters of the pattern's literal: %s\n", x->near_entry,
		        x->near_line, x->near_len, x->near_text);
	else if (r->npats && x->n)
		fputs("  nearest   no record holds even the start of the pattern's literal\n", out);
	print_checks(x, res, out);
	print_verdict(x, res, windowed, out);
}
