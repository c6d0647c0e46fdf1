/* main: wires the stages -- cli's options -> rules -> scan -> report -- and gives the exit status.
 * The other commands are command.c's, what a run loads is setup.c's; every error is said once, here
 * or at the top of its command. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "baseline.h"
#include "batch.h"
#include "cli.h"
#include "command.h"
#include "escape.h"
#include "expect.h"
#include "output.h"
#include "redact.h"
#include "report/report.h"
#include "report/report_explain.h"
#include "rules/rules.h"
#include "scan.h"
#include "setup.h"
#include "verdict.h"

/* One line per problem; names come from the bundle, so they are escaped for the terminal. */
static void print_problem(const struct scan_result *res, const struct problem *p)
{
	struct buf b;

	buf_init(&b);
	buf_adds(&b, "dartscan: ");
	escape_adds(&b, res->path, ESC_TERM);
	if (p->entry) {
		buf_adds(&b, ": ");
		escape_adds(&b, p->entry, ESC_TERM);
	}
	buf_adds(&b, ": ");
	escape_adds(&b, p->msg, ESC_TERM);
	fprintf(stderr, "%s\n", b.p);
	buf_reset(&b);
}

static int want_color(int mode, FILE *out)
{
	const char *nc = getenv("NO_COLOR");

	if (mode >= 0)
		return mode;
	if (nc && *nc)
		return 0;
	return isatty(fileno(out));
}

struct run {
	int explained_worst; /* --explain: the explained rule's worst finding */
	struct baseline *building; /* dartscan baseline: the healthy bundles' shapes, instead of a report */
	unsigned long healthy;
	struct reporter *rep;
	struct redactor *redactor;
	struct output *dest;
	FILE *out;
	int explain;
	int min_severity;
	int utc;
	int baseline;        /* --baseline given: the shapes it knows raise no review */
	int windowed;        /* --since or --until given (--explain may blame the window) */
	struct expect_set *es;
	int update;
	int worst;
	unsigned long errors, drift;
};

static void print_drift(void *ctx, const char *name, int ok, const char *msg)
{
	const char *path = ctx;

	(void)name;
	if (!ok)
		fprintf(stderr, "dartscan: expect: %s: %s\n", path, msg);
}

/* Called for each bundle, in order: errors once on stderr, expectations, then the report. */
static void on_bundle(void *ctx, struct scan_result *res)
{
	struct run *r = ctx;
	size_t k;
	int worst;

	verdict_settle(res, r->baseline);
	worst = verdict_severity(res);
	if (res->status == SCAN_ERROR || res->capture_failed || res->verdict == VERDICT_UNREADABLE) {
		const struct problem *locked = verdict_locked(res);

		r->errors++;
		if (locked) /* a password-protected upload: one line, the entry no passphrase opened */
			print_problem(res, locked);
		for (k = 0; k < res->nproblems && !locked; k++)
			print_problem(res, &res->problems[k]);
		if (res->status != SCAN_ERROR && res->verdict == VERDICT_UNREADABLE && !locked)
			print_problem(res, &(struct problem){.msg = res->reasons[0].text});
	}
	if (worst > r->worst)
		r->worst = worst;
	if (r->es) {
		struct expect_bundle *eb = expect_find(r->es, res->path);

		if (eb == NULL) {
			fprintf(stderr, "dartscan: expect: %s: no expectations listed for this bundle\n", res->path);
			r->drift++;
		} else if (r->update) {
			expect_record(eb, res);
		} else {
			r->drift += (unsigned long)expect_compare(eb, res, print_drift, (void *)res->path);
		}
	}
	if (r->building) {
		/* healthy enough to learn routine shapes from: read, and no finding at or above warning (a
		 * review's error burst is what a baseline is there to learn) */
		if (!scan_read_nothing(res) && diagnosis_worst(&res->diag, NULL) < SEV_WARNING) {
			baseline_add_bundle(r->building, &res->unx);
			r->healthy++;
		}
		return;
	}
	if (r->redactor)
		redact_result(r->redactor, res);
	if (r->utc)
		scan_result_to_utc(res);
	if (r->redactor || r->utc) /* the reasons in the words and times the report uses */
		verdict_settle(res, r->baseline);
	if (r->min_severity > SEV_NONE) /* after the exit status and the expectations saw them all */
		diagnosis_drop_below(&res->diag, r->min_severity);
	if (r->explain && res->explain) {
		report_explain(res->explain, res, r->windowed, r->out);
		int sev = diagnosis_worst(&res->diag, res->explain->rule);

		if (sev > r->explained_worst)
			r->explained_worst = sev;
	} else {
		report_bundle(r->rep, res);
	}
	/* a reader that went away (| head) wants nothing more: stop as a filter stops */
	if (r->out == stdout && (fflush(stdout) != 0 || ferror(stdout)) && output_reader_gone(r->dest))
		output_die_quietly();
}

static void finish_baseline(const struct run *r, FILE *out, size_t scanned, const char *path)
{
	baseline_write(r->building, out);
	fprintf(stderr, "dartscan: baseline: %lu healthy bundle%s of %zu scanned -> %s\n", r->healthy,
	        r->healthy == 1 ? "" : "s", scanned, path);
}

/* The private token map goes to its own file, never into the report. */
static int write_map(const struct redactor *r, const char *path)
{
	struct ds_error err;
	struct output *o = output_open(path, 1, &err); /* the map undoes the redaction: 0600 */

	if (o == NULL) {
		cli_error(&err);
		return -1;
	}
	if (redact_write_map(r, output_file(o)) != 0) {
		cli_warn("%s: %s", path, strerror(errno));
		output_abort(o);
		return -1;
	}
	if (output_commit(o, &err) != 0) {
		cli_error(&err);
		return -1;
	}
	return 0;
}

/* What a scan run loads before any bundle is read; each owned here and freed by drop_inputs. */
struct inputs {
	struct baseline *known; /* --baseline's shapes, or NULL */
	struct expect_set es;
	struct bundle_list bl;
	struct ruleset *rs;
	struct output *dest;
};

/* The options after the subcommand word, defaults first; 2 printed when they do not parse. */
static int read_options(int argc, char **argv, struct options *op)
{
	struct ds_error err;

	memset(op, 0, sizeof *op);
	op->format = "text";
	op->fail_on = SEV_WARNING;
	op->color = -1;
	scan_opts_default(&op->scan, NULL);
	sandbox_opts_default(&op->sandbox);
	if (parse_args(argc, argv, op) != 0)
		return -1;
	if (setup_passphrases(op, &err) != 0) {
		cli_error(&err);
		return -1;
	}
	if (op->sandbox.off)
		cli_warn("--no-sandbox: bundles are read in this process, with no memory or time limit and no "
		         "confinement (for debugging only)");
	return 0;
}

/* The rule --explain names, and the format: known before any output is opened. */
static int check_rule_and_format(struct options *op, const struct ruleset *rs)
{
	if (op->explain && (op->scan.explain = rules_find(rs, op->explain)) == NULL) {
		cli_warn("--explain: no rule '%s' in the rule set", op->explain);
		return -1;
	}
	if (!report_format_known(op->format)) {
		cli_warn("unknown format '%s' (%s)", op->format, report_formats());
		return -1;
	}
	return 0;
}

/* Everything the command line names, loaded and checked in order, then the output opened; -1 after
 * saying why (in holds what was loaded: drop_inputs frees it). */
static int load_inputs(struct options *op, char **args, int nargs, int build, struct inputs *in)
{
	struct ds_error err;

	if (!build && setup_baseline(op, &in->known, &err) != 0)
		goto fail;
	op->scan.baseline = in->known;
	if (op->expect && expect_load(&in->es, op->expect, &err) != 0)
		goto fail;
	if (setup_bundles(op, args, nargs, op->expect ? &in->es : NULL, &in->bl, &err) != 0 ||
	    (in->rs = setup_rules(op, 1, NULL, &err)) == NULL)
		goto fail;
	op->scan.rs = in->rs;
	if (check_rule_and_format(op, in->rs) != 0)
		return -1;
	if (setup_guard_outputs(op, (const char *const *)in->bl.paths, in->bl.n, &err) != 0 ||
	    (in->dest = output_open(op->output, 0, &err)) == NULL)
		goto fail;
	return 0;
fail:
	cli_error(&err);
	return -1;
}

static void drop_inputs(struct inputs *in)
{
	baseline_free(in->known);
	ruleset_free(in->rs);
	bundle_list_reset(&in->bl);
	expect_reset(&in->es);
}

/* What the renderers are told: the options that shape a report. */
static void fill_report_opts(const struct options *op, const struct inputs *in, FILE *out, struct report_opts *ro)
{
	memset(ro, 0, sizeof *ro);
	ro->color = want_color(op->color, out);
	ro->timeline = op->timeline;
	ro->fail_on = op->fail_on;
	ro->rs = in->rs;
	ro->unexplained = op->scan.unexplained;
	ro->baseline = in->known != NULL;
	ro->group_by = op->group_by;
	ro->utc = op->utc;
	ro->redact = op->redact;
	ro->expect = op->expect && !op->update_expect ? &in->es : NULL;
}

/* The per-bundle hook's view of the options. */
static void fill_run(const struct options *op, struct inputs *in, FILE *out, int build, struct run *r)
{
	memset(r, 0, sizeof *r);
	r->es = op->expect ? &in->es : NULL;
	r->out = out;
	r->dest = in->dest;
	r->redactor = op->redact ? redact_new() : NULL;
	r->explain = op->explain != NULL;
	r->update = op->update_expect;
	r->min_severity = op->min_severity;
	r->utc = op->utc;
	r->baseline = op->baseline != NULL;
	r->windowed = op->scan.copts.since.prov != TP_NONE || op->scan.copts.until.prov != TP_NONE;
	r->building = build ? baseline_new() : NULL;
}

/* The exit status of a finished run. */
static int run_status(const struct options *op, const struct run *r, int build)
{
	if (r->errors)
		return 2;
	if (build)
		return 0; /* a baseline made: findings in the unhealthy bundles are not this run's result */
	if (op->expect)
		return !op->update_expect && r->drift ? 1 : 0;
	if (op->explain)
		return r->explained_worst >= op->fail_on ? 1 : 0;
	return r->worst >= op->fail_on ? 1 : 0;
}

/* After the last bundle: the baseline or the report's end, the redact map, the expectations file. */
static void finish_run(const struct options *op, struct inputs *in, struct run *r, FILE *out)
{
	struct ds_error err;

	if (r->building)
		finish_baseline(r, out, in->bl.n, op->output);
	else if (!r->explain)
		report_end(r->rep);
	if (op->redact_map && write_map(r->redactor, op->redact_map) != 0)
		r->errors++;
	if (op->update_expect && expect_save(&in->es, &err) != 0)
		cli_error(&err), r->errors++;
}

/* The bundles through the batch, each reported as it is done; the exit status. */
static int scan_all(const struct options *op, struct inputs *in, int build)
{
	FILE *out = output_file(in->dest);
	struct report_opts ro;
	struct batch_opts bo;
	struct run run;
	int status;

	fill_report_opts(op, in, out, &ro);
	fill_run(op, in, out, build, &run);
	run.rep = report_new(op->format, out, &ro);
	memset(&bo, 0, sizeof bo);
	bo.jobs = op->jobs ? op->jobs : setup_default_jobs();
	bo.progress = !op->quiet && isatty(STDERR_FILENO) && in->bl.n > 1;
	bo.sandbox = op->sandbox;
	bo.digest = report_format_digest(op->format);
	batch_run(&in->bl, &op->scan, &bo, on_bundle, &run);
	finish_run(op, in, &run, out);
	status = run_status(op, &run, build);
	if (op->expect && !op->update_expect)
		fprintf(stderr, "dartscan: expectations: %lu drifted\n", run.drift);
	redact_free(run.redactor);
	report_free(run.rep);
	baseline_free(run.building);
	return status;
}

/* dartscan [baseline] [options] BUNDLE...: load, scan, report, commit the output. */
static int cmd_scan(struct options *op, char **args, int nargs, int build)
{
	struct inputs in;
	struct ds_error err;
	int status = 2;

	if (cli_check_scan(op, nargs, build) != 0)
		return 2;
	memset(&in, 0, sizeof in);
	bundle_list_init(&in.bl);
	if (load_inputs(op, args, nargs, build, &in) == 0)
		status = scan_all(op, &in, build);
	drop_inputs(&in);
	if (in.dest && output_commit(in.dest, &err) != 0) {
		cli_error(&err);
		status = 2;
	}
	return status;
}

int main(int argc, char **argv)
{
	struct options op;
	int build, diff;

	setup_process();
	if (argc >= 2 && strcmp(argv[1], "rules") == 0)
		return command_rules(argc - 1, argv + 1);
	build = argc >= 2 && strcmp(argv[1], "baseline") == 0;
	diff = argc >= 2 && strcmp(argv[1], "diff") == 0;
	if (build || diff) /* "dartscan baseline|diff ...": the options that follow are the scan's */
		argc--, argv++;
	if (read_options(argc, argv, &op) != 0)
		return 2;
	if (!diff)
		return cmd_scan(&op, argv + optind, argc - optind, build);
	if (argc - optind != 2) {
		cli_warn("diff: two bundles, OLD and NEW");
		cli_usage(stderr);
		return 2;
	}
	return command_diff(&op, argv + optind);
}
