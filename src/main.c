/* main: wires the stages -- cli's options -> rules -> scan -> report -- and gives the exit status.
 * Prints every error once. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/globals.h>
#include <libxml/xmlerror.h>

#include "baseline.h"
#include "cli.h"
#include "batch.h"
#include "diff.h"
#include "escape.h"
#include "expect.h"
#include "guard.h"
#include "output.h"
#include "passphrase.h"
#include "redact.h"
#include "report/report.h"
#include "report/report_explain.h"
#include "rules/rules.h"
#include "rules/ruledraft.h"
#include "rules/ruletry.h"
#include "scan.h"
#include "verdict.h"

#ifndef DS_RULES_DIR
#define DS_RULES_DIR "/usr/local/share/dartscan/rules"
#endif

static void print_error(const struct ds_error *e);

/* Entry names flagged UTF-8 in a zip (or pax) reach libarchive as UTF-8 and are converted to the
 * locale's charset: under LC_ALL=C that fails and the name is lost, and with it every finding of
 * the files under a folder like "DART-M\xc3\xbcller/". Names are read as UTF-8 whatever the user's
 * locale; only LC_CTYPE is set, so nothing else (numbers, messages) changes. */
static void use_utf8_names(void)
{
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL && setlocale(LC_CTYPE, "C.utf8") == NULL)
		setlocale(LC_CTYPE, "en_US.UTF-8");
}

/* 0, 1 and 2 open, on /dev/null when the shell closed one (2>&-): a file opened later must never
 * take their numbers -- a report that became fd 2 would get every message, and be a descriptor
 * the worker may write. */
static void hold_std_fds(void)
{
	int k;

	for (k = 0; k < 3; k++)
		if (fcntl(k, F_GETFD) < 0 && errno == EBADF && open("/dev/null", k == 0 ? O_RDONLY : O_WRONLY) != k)
			exit(2); /* no /dev/null: nowhere safe to say so either */
}

/* What went to standard output reached it (a full disk, a closed pipe): 0, or -1 said once. */
static int commit_stdout(void)
{
	struct ds_error err;
	struct output *o = output_open(NULL, 0, &err);

	if (output_commit(o, &err) != 0) {
		print_error(&err);
		return -1;
	}
	return 0;
}

static void print_error(const struct ds_error *e)
{
	char line[1200];

	ds_error_format(e, line, sizeof line);
	fprintf(stderr, "dartscan: %s\n", line);
}

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

static int exe_dir(char *out, size_t n)
{
	ssize_t k = readlink("/proc/self/exe", out, n - 1);
	char *slash;

	if (k <= 0)
		return -1;
	out[k] = '\0';
	slash = strrchr(out, '/');
	if (slash == NULL)
		return -1;
	*slash = '\0';
	return 0;
}

static int is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The shipped rules: the installed ones, then rules/ beside the binary; NULL when neither is there. */
static const char *shipped_rules(char *buf, size_t n)
{
	char dir[PATH_MAX];

	if (is_dir(DS_RULES_DIR))
		return DS_RULES_DIR;
	if (exe_dir(dir, sizeof dir) == 0) {
		snprintf(buf, n, "%s/rules", dir);
		if (is_dir(buf))
			return buf;
		snprintf(buf, n, "%s/../share/dartscan/rules", dir);
		if (is_dir(buf))
			return buf;
	}
	return NULL;
}

/* -R, then $DARTSCAN_RULES, then the shipped rules. */
static const char *find_rules(const char *given, char *buf, size_t n)
{
	const char *env = getenv("DARTSCAN_RULES");

	if (given)
		return given;
	if (env && *env)
		return env;
	return shipped_rules(buf, n);
}

/* Does dir hold a file of the name of each of shipped's *.rules (a copy of the shipped rules)? */
static int holds_rule_files(const char *dir, const char *shipped)
{
	DIR *d = opendir(shipped);
	struct dirent *de;
	char path[PATH_MAX * 2];
	int all = d != NULL;

	while (d && all && (de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);

		if (len > 6 && strcmp(de->d_name + len - 6, ".rules") == 0) {
			snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
			all = access(path, R_OK) == 0;
		}
	}
	if (d)
		closedir(d);
	return all;
}

/* Rule layers that leave out the shipped rules diagnose nothing the site rules do not know, and
 * every bundle would pass as clean: said once, naming where the shipped rules are. */
static void warn_unshipped(const char *const *dirs, size_t n)
{
	char buf[PATH_MAX + 32], want[PATH_MAX], have[PATH_MAX];
	const char *shipped = shipped_rules(buf, sizeof buf);
	size_t i;

	if (shipped == NULL || realpath(shipped, want) == NULL)
		return;
	for (i = 0; i < n; i++)
		if ((realpath(dirs[i], have) && strcmp(have, want) == 0) || holds_rule_files(dirs[i], want))
			return;
	cli_warn("rules: the shipped rules are not loaded (only %s%s): they are in %s; give -R %s before your own "
	         "to add rules to them",
	         dirs[0], n > 1 ? " and more" : "", shipped, shipped);
}

/* The rule layers: every -R in order, else $DARTSCAN_RULES (a ':' list), else the default
 * directory. Fills dirs (pointing into op or into store) and returns how many, 0 for none. */
static size_t rule_layers(const struct options *op, const char **dirs, char *store, size_t n, char *buf, size_t bn)
{
	const char *env = getenv("DARTSCAN_RULES");
	size_t k = 0;
	char *save = NULL, *p;

	if (op->nrules_dirs) {
		for (k = 0; k < op->nrules_dirs; k++)
			dirs[k] = op->rules_dirs[k];
		return k;
	}
	if (op->rules_dir == NULL && env && strchr(env, ':')) {
		snprintf(store, n, "%s", env);
		for (p = strtok_r(store, ":", &save); p && k < RULE_LAYERS; p = strtok_r(NULL, ":", &save))
			dirs[k++] = p;
		return k;
	}
	dirs[0] = find_rules(op->rules_dir, buf, bn);
	return dirs[0] != NULL;
}

/* The rule layers loaded. scanning: warned when they leave out the shipped rules; dirs_to (rules
 * check and list): each layer said there, "loaded DIR" (list's on stderr: its table stays one rule a
 * line), or NULL. */
static struct ruleset *load_rules(const struct options *op, int scanning, FILE *dirs_to)
{
	char buf[PATH_MAX + 32], store[4096];
	const char *dirs[RULE_LAYERS];
	size_t n = rule_layers(op, dirs, store, sizeof store, buf, sizeof buf), i;
	struct ruleset *rs;
	struct ds_error err;
	const char *cfg = op->config ? op->config : getenv("DARTSCAN_CONFIG");

	if (n == 0) {
		cli_warn("no rule directory found: give one with -R or DARTSCAN_RULES");
		return NULL;
	}
	rs = ruleset_new();
	memset(&err, 0, sizeof err);
	if (rules_load_dirs(rs, dirs, n, &err) != 0 || (cfg && *cfg && rules_apply_config(rs, cfg, &err) != 0)) {
		print_error(&err);
		ruleset_free(rs);
		return NULL;
	}
	for (i = 0; i < rs->nnotes; i++)
		cli_warn("%s", rs->notes[i]);
	for (i = 0; dirs_to && i < n; i++)
		fprintf(dirs_to, "%sloaded %s\n", dirs_to == stderr ? "dartscan: rules: " : "", dirs[i]);
	if (scanning)
		warn_unshipped(dirs, n);
	return rs;
}

/* Before any bundle is read: no output is an input of the run, another output, or a device. */
static int guard_outputs(const struct options *op, const char *const *bundles, size_t nb)
{
	char buf[PATH_MAX + 32], store[4096];
	const char *dirs[RULE_LAYERS];
	size_t n = rule_layers(op, dirs, store, sizeof store, buf, sizeof buf), i;
	struct guard g;
	struct ds_error err;
	int rc;

	guard_init(&g);
	for (i = 0; i < nb; i++)
		guard_input(&g, bundles[i], "bundle");
	for (i = 0; i < n; i++)
		guard_input(&g, dirs[i], "rules");
	guard_input(&g, op->scan.pcap, "--pcap capture");
	guard_input(&g, op->config ? op->config : getenv("DARTSCAN_CONFIG"), "--config file");
	guard_input(&g, op->baseline, "--baseline file");
	guard_input(&g, op->expect, "--expect file");
	guard_input(&g, op->passphrase_file, "--passphrase-file");
	guard_output(&g, op->output, "report");
	guard_output(&g, op->redact_map, "redact map");
	if (op->update_expect)
		guard_output(&g, op->expect, "--expect file"); /* rewritten in place, by design */
	if ((rc = guard_check(&g, &err)) != 0)
		print_error(&err);
	guard_reset(&g);
	return rc;
}

static int cmd_rules(int argc, char **argv)
{
	struct options op;
	struct ruleset *rs;
	int failed = 0, ran = 0;
	size_t i;

	memset(&op, 0, sizeof op);
	if (argc >= 2 && (strcmp(argv[1], "try") == 0 || strcmp(argv[1], "draft") == 0)) {
		struct batch_opts bo;
		int rc;

		if (argc < 4 || (argv[1][0] == 'd' && argc != 4)) {
			cli_usage(stderr);
			return 2;
		}
		memset(&bo, 0, sizeof bo);
		bo.jobs = 1;
		sandbox_opts_default(&bo.sandbox);
		if (argv[1][0] == 'd')
			rc = ruledraft_run(argv[2], argv[3], &bo, stdout);
		else
			rc = ruletry_run(argv[2], argv + 3, argc - 3, &bo, stdout);
		return commit_stdout() != 0 ? 2 : rc;
	}
	if (argc >= 3 && strcmp(argv[1], "export") == 0 && strcmp(argv[2], "--patterns") == 0) {
		argv[2] = argv[1]; /* "rules export --patterns [dir]" */
		argv++;
		argc--;
	}
	if (argc < 2 || argc > 3) {
		cli_usage(stderr);
		return 2;
	}
	op.rules_dir = argc == 3 ? argv[2] : NULL;
	rs = load_rules(&op, 0, strcmp(argv[1], "check") == 0 ? stdout : strcmp(argv[1], "list") == 0 ? stderr : NULL);
	if (rs == NULL)
		return 2;
	if (strcmp(argv[1], "check") == 0) {
		printf("%zu rules in %zu files: ok\n", rs->n, rs->nfiles);
	} else if (strcmp(argv[1], "test") == 0) {
		failed = rules_selftest(rs, stdout, &ran);
		printf("%d passed, %d failed\n", ran - failed, failed);
	} else if (strcmp(argv[1], "export") == 0) {
		/* one PCRE2 pattern per line, for grep -E -f / ugrep -f comparisons */
		for (i = 0; i < rs->n; i++) {
			size_t k;

			for (k = 0; k < rs->rules[i].npats; k++)
				printf("%s\n", rs->rules[i].pats[k].src);
		}
	} else if (strcmp(argv[1], "list") == 0) {
		for (i = 0; i < rs->n; i++)
			printf("%s\t%s\t%s\n", rs->rules[i].id, severity_name(rs->rules[i].severity), rs->rules[i].title);
	} else {
		cli_usage(stderr);
		ruleset_free(rs);
		return 2;
	}
	ruleset_free(rs);
	return commit_stdout() != 0 ? 2 : failed ? 1 : 0;
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

/* Bundles from the arguments (directories searched with -r), else from the expectations file. */
/* dartscan baseline: the file is -o's, and every record no rule matched is a candidate. */
static int check_build_baseline(struct options *op)
{
	if (op->output == NULL) {
		cli_warn("baseline: -o FILE is needed (the baseline is written there)");
		return -1;
	}
	if (op->scan.unexplained == 0 || op->baseline) {
		cli_warn("baseline: --unexplained 0 and --baseline do not go with building one");
		return -1;
	}
	op->scan.unexplained_all = 1;
	return 0;
}

/* --baseline FILE, else $DARTSCAN_BASELINE; NULL when neither (or, with op->baseline set to the
 * file, when it cannot be read: the error is printed). */
static struct baseline *load_baseline(struct options *op)
{
	struct ds_error err;
	struct baseline *b;

	if (op->baseline == NULL && getenv("DARTSCAN_BASELINE") && *getenv("DARTSCAN_BASELINE"))
		op->baseline = getenv("DARTSCAN_BASELINE");
	if (op->baseline == NULL)
		return NULL;
	if ((b = baseline_load(op->baseline, &err)) == NULL)
		print_error(&err);
	return b;
}

static void finish_baseline(const struct run *r, FILE *out, size_t scanned, const char *path)
{
	baseline_write(r->building, out);
	fprintf(stderr, "dartscan: baseline: %lu healthy bundle%s of %zu scanned -> %s\n", r->healthy,
	        r->healthy == 1 ? "" : "s", scanned, path);
}

static int collect_bundles(const struct options *op, char **args, int nargs, const struct expect_set *es,
                           struct bundle_list *l)
{
	int i;
	size_t k;
	struct ds_error err;

	for (i = 0; i < nargs; i++) {
		struct stat st;

		if (op->recursive && stat(args[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			if (batch_discover(l, args[i], &err) != 0) {
				print_error(&err);
				return -1;
			}
		} else {
			bundle_list_add(l, args[i]);
		}
	}
	if (nargs == 0 && es)
		for (k = 0; k < es->n; k++)
			bundle_list_add(l, es->b[k].resolved);
	return 0;
}

/* The private token map goes to its own file, never into the report. */
static int write_map(const struct redactor *r, const char *path)
{
	struct ds_error err;
	struct output *o = output_open(path, 1, &err); /* the map undoes the redaction: 0600 */

	if (o == NULL) {
		print_error(&err);
		return -1;
	}
	if (redact_write_map(r, output_file(o)) != 0) {
		cli_warn("%s: %s", path, strerror(errno));
		output_abort(o);
		return -1;
	}
	if (output_commit(o, &err) != 0) {
		print_error(&err);
		return -1;
	}
	return 0;
}

static int default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 256 ? 256 : (int)n;
}

/* dartscan diff OLD NEW: exit 1 when NEW has a finding at or above --fail-on that OLD did not have
 * or that got worse, 0 otherwise, 2 when either bundle could not be read. */
static int cmd_diff(struct options *op, char **paths)
{
	struct ruleset *rs;
	struct batch_opts bo;
	struct diff d;
	struct ds_error err;
	struct output *dest;
	char *why;
	int k, status, read;

	if (strcmp(op->format, "text") != 0 && strcmp(op->format, "json") != 0) {
		cli_warn("diff: -f text or json, not '%s'", op->format);
		return 2;
	}
	if ((rs = load_rules(op, 1, NULL)) == NULL)
		return 2;
	if (guard_outputs(op, (const char *const *)paths, 2) != 0) {
		ruleset_free(rs);
		return 2;
	}
	if ((dest = output_open(op->output, 0, &err)) == NULL) {
		print_error(&err);
		ruleset_free(rs);
		return 2;
	}
	op->scan.rs = rs;
	memset(&bo, 0, sizeof bo);
	bo.jobs = op->jobs ? op->jobs : default_jobs();
	bo.sandbox = op->sandbox;
	read = diff_bundles(&d, paths[0], paths[1], &op->scan, &bo);
	for (k = 0; k < 2; k++)
		if (d.b[k].status == SCAN_ERROR)
			cli_warn("%s: %s", d.b[k].path, d.b[k].why ? d.b[k].why : "not read");
	if ((why = diff_mismatch(&d)) != NULL)
		cli_warn("diff: %s: compared anyway", why);
	free(why);
	if (strcmp(op->format, "json") == 0)
		diff_emit_json(&d, output_file(dest));
	else
		diff_emit_text(&d, op->fail_on, output_file(dest));
	status = read != 0 ? 2 : diff_worse(&d, op->fail_on) ? 1 : 0;
	diff_reset(&d);
	ruleset_free(rs);
	if (output_commit(dest, &err) != 0) {
		print_error(&err);
		status = 2;
	}
	return status;
}

/* libxml2 says its own write errors on stderr ("I/O error : Broken pipe", the JUnit writer's);
 * ours are told by the FILE it writes to: one "write error" line from output_commit, or a quiet
 * end when the reader went away. So its messages are dropped, in every thread. */
static void xml_silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static void xml_silent_structured(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	(void)e;
}

/* --passphrase-file and $DARTSCAN_PASSPHRASE into the bundle readers' hands, read here, once,
 * before any worker is forked (a worker inherits them and opens no file for them); -1 after saying
 * why. passphrase.c wipes them at exit. */
static int take_passphrases(struct options *op)
{
	struct ds_error err;
	const struct passphrases *p = passphrases_gather(op->passphrase_file, "DARTSCAN_PASSPHRASE", &err);

	if (p == NULL) {
		print_error(&err);
		return -1;
	}
	op->scan.blim.passphrases = p->v;
	op->scan.blim.npassphrases = p->n;
	return 0;
}

static void quiet_libxml(void)
{
	xmlThrDefSetGenericErrorFunc(NULL, xml_silent);
	xmlThrDefSetStructuredErrorFunc(NULL, xml_silent_structured);
	xmlSetGenericErrorFunc(NULL, xml_silent);
	xmlSetStructuredErrorFunc(NULL, xml_silent_structured);
}

int main(int argc, char **argv)
{
	struct options op;
	struct ruleset *rs;
	struct report_opts ro;
	struct expect_set es;
	struct bundle_list bl;
	struct batch_opts bo;
	struct run run;
	struct ds_error err;
	struct output *dest;
	struct baseline *known = NULL;
	FILE *out;
	int status, build = argc >= 2 && strcmp(argv[1], "baseline") == 0;
	int diff = argc >= 2 && strcmp(argv[1], "diff") == 0;

	hold_std_fds();
	/* a worker's pipe closed is its failure, not ours: SIGPIPE is ignored and a closed standard
	 * output is told by EPIPE, then ends the run as SIGPIPE would (output_die_quietly) */
	signal(SIGPIPE, SIG_IGN);
	quiet_libxml();
	use_utf8_names();
	if (argc >= 2 && strcmp(argv[1], "rules") == 0)
		return cmd_rules(argc - 1, argv + 1);
	if (build || diff) /* "dartscan baseline|diff ...": the options that follow are the scan's */
		argc--, argv++;
	memset(&op, 0, sizeof op);
	op.format = "text";
	op.fail_on = SEV_WARNING;
	op.color = -1;
	scan_opts_default(&op.scan, NULL);
	sandbox_opts_default(&op.sandbox);
	if (parse_args(argc, argv, &op) != 0 || take_passphrases(&op) != 0)
		return 2;
	if (op.sandbox.off)
		cli_warn("--no-sandbox: bundles are read in this process, with no memory or time limit and no "
		       "confinement (for debugging only)");
	if (diff && argc - optind != 2) {
		cli_warn("diff: two bundles, OLD and NEW");
		cli_usage(stderr);
		return 2;
	}
	if (diff)
		return cmd_diff(&op, argv + optind);
	if (optind >= argc && op.expect == NULL) {
		cli_usage(stderr);
		return 2;
	}
	if (op.scan.pcap && argc - optind != 1) {
		cli_warn("--pcap goes with exactly one bundle");
		return 2;
	}
	if (op.update_expect && op.expect == NULL) {
		cli_warn("--update-expect needs --expect FILE");
		return 2;
	}
	if (build && check_build_baseline(&op) != 0)
		return 2;
	if (!build && (known = load_baseline(&op)) == NULL && op.baseline)
		return 2;
	op.scan.baseline = known;
	memset(&es, 0, sizeof es);
	if (op.expect && expect_load(&es, op.expect, &err) != 0) {
		print_error(&err);
		expect_reset(&es);
		return 2;
	}
	bundle_list_init(&bl);
	if (collect_bundles(&op, argv + optind, argc - optind, op.expect ? &es : NULL, &bl) != 0 ||
	    (rs = load_rules(&op, 1, NULL)) == NULL) {
		bundle_list_reset(&bl);
		expect_reset(&es);
		return 2;
	}
	op.scan.rs = rs;
	if (op.explain && (op.scan.explain = rules_find(rs, op.explain)) == NULL) {
		cli_warn("--explain: no rule '%s' in the rule set", op.explain);
		ruleset_free(rs);
		bundle_list_reset(&bl);
		expect_reset(&es);
		return 2;
	}
	/* everything the command line says is checked before any output is opened */
	if (!report_format_known(op.format)) {
		cli_warn("unknown format '%s' (%s)", op.format, report_formats());
		ruleset_free(rs);
		bundle_list_reset(&bl);
		expect_reset(&es);
		return 2;
	}
	if (guard_outputs(&op, (const char *const *)bl.paths, bl.n) != 0) {
		ruleset_free(rs);
		bundle_list_reset(&bl);
		expect_reset(&es);
		return 2;
	}
	if ((dest = output_open(op.output, 0, &err)) == NULL) {
		print_error(&err);
		ruleset_free(rs);
		bundle_list_reset(&bl);
		expect_reset(&es);
		return 2;
	}
	out = output_file(dest);
	memset(&ro, 0, sizeof ro);
	ro.color = want_color(op.color, out);
	ro.timeline = op.timeline;
	ro.fail_on = op.fail_on;
	ro.rs = rs;
	ro.unexplained = op.scan.unexplained;
	ro.baseline = known != NULL;
	ro.group_by = op.group_by;
	ro.utc = op.utc;
	ro.redact = op.redact;
	ro.expect = op.expect && !op.update_expect ? &es : NULL;
	memset(&run, 0, sizeof run);
	run.rep = report_new(op.format, out, &ro);
	{
		run.es = op.expect ? &es : NULL;
		run.out = out;
		run.dest = dest;
		run.redactor = op.redact ? redact_new() : NULL;
		run.explain = op.explain != NULL;
		run.update = op.update_expect;
		run.min_severity = op.min_severity;
		run.utc = op.utc;
		run.baseline = op.baseline != NULL;
		run.windowed = op.scan.copts.since.prov != TP_NONE || op.scan.copts.until.prov != TP_NONE;
		run.building = build ? baseline_new() : NULL;
		bo.jobs = op.jobs ? op.jobs : default_jobs();
		bo.progress = !op.quiet && isatty(STDERR_FILENO) && bl.n > 1;
		bo.sandbox = op.sandbox;
		batch_run(&bl, &op.scan, &bo, on_bundle, &run);
		if (run.building)
			finish_baseline(&run, out, bl.n, op.output);
		else if (!run.explain)
			report_end(run.rep);
		if (op.redact_map && write_map(run.redactor, op.redact_map) != 0)
			run.errors++;
		redact_free(run.redactor);
		if (op.update_expect && expect_save(&es, &err) != 0)
			print_error(&err), run.errors++;
		if (run.errors)
			status = 2;
		else if (build)
			status = 0; /* a baseline made: findings in the unhealthy bundles are not this run's result */
		else if (op.expect && !op.update_expect)
			status = run.drift ? 1 : 0;
		else if (op.expect)
			status = 0;
		else if (op.explain)
			status = run.explained_worst >= op.fail_on ? 1 : 0;
		else
			status = run.worst >= op.fail_on ? 1 : 0;
		if (op.expect && !op.update_expect)
			fprintf(stderr, "dartscan: expectations: %lu drifted\n", run.drift);
	}
	report_free(run.rep);
	baseline_free(run.building);
	baseline_free(known);
	ruleset_free(rs);
	bundle_list_reset(&bl);
	expect_reset(&es);
	if (output_commit(dest, &err) != 0) {
		print_error(&err);
		status = 2;
	}
	return status;
}
