/* command: the subcommands besides a scan. `rules check|test|list|export` load the rule layers and
 * say what they hold; `rules try|draft` hand bundles to ruletry.c and ruledraft.c; `diff` scans two
 * bundles through diff.c and writes the comparison. main.c picks the command, each gives the exit
 * status, and each says its errors once. */
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "command.h"
#include "diff.h"
#include "output.h"
#include "rules/ruledraft.h"
#include "rules/ruletry.h"
#include "setup.h"

/* What went to standard output reached it (a full disk, a closed pipe): 0, or -1 said once. */
static int commit_stdout(void)
{
	struct ds_error err;
	struct output *o = output_open(NULL, 0, &err);

	if (output_commit(o, &err) != 0) {
		cli_error(&err);
		return -1;
	}
	return 0;
}

/* rules try PATTERN BUNDLE... and rules draft BUNDLE ENTRY:LINE: one bundle at a time, in order. */
static int try_or_draft(int argc, char **argv)
{
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

/* One PCRE2 pattern a line, for grep -E -f / ugrep -f comparisons. */
static void export_patterns(const struct ruleset *rs)
{
	size_t i, k;

	for (i = 0; i < rs->n; i++)
		for (k = 0; k < rs->rules[i].npats; k++)
			printf("%s\n", rs->rules[i].pats[k].src);
}

/* check, test, list or export over the loaded set: the exit status, -1 for an unknown word. */
static int show_rules(const char *what, struct ruleset *rs)
{
	int failed = 0, ran = 0;
	size_t i;

	if (strcmp(what, "check") == 0) {
		printf("%zu rules in %zu files: ok\n", rs->n, rs->nfiles);
	} else if (strcmp(what, "test") == 0) {
		failed = rules_selftest(rs, stdout, &ran);
		printf("%d passed, %d failed\n", ran - failed, failed);
	} else if (strcmp(what, "export") == 0) {
		export_patterns(rs);
	} else if (strcmp(what, "list") == 0) {
		for (i = 0; i < rs->n; i++)
			printf("%s\t%s\t%s\n", rs->rules[i].id, severity_name(rs->rules[i].severity), rs->rules[i].title);
	} else {
		return -1;
	}
	return failed ? 1 : 0;
}

int command_rules(int argc, char **argv)
{
	struct options op;
	struct ruleset *rs;
	struct ds_error err;
	int rc;

	if (argc >= 2 && (strcmp(argv[1], "try") == 0 || strcmp(argv[1], "draft") == 0))
		return try_or_draft(argc, argv);
	if (argc >= 3 && strcmp(argv[1], "export") == 0 && strcmp(argv[2], "--patterns") == 0) {
		argv[2] = argv[1]; /* "rules export --patterns [dir]" */
		argv++;
		argc--;
	}
	if (argc < 2 || argc > 3) {
		cli_usage(stderr);
		return 2;
	}
	memset(&op, 0, sizeof op);
	op.rules_dir = argc == 3 ? argv[2] : NULL;
	rs = setup_rules(&op, 0, strcmp(argv[1], "check") == 0 ? stdout : strcmp(argv[1], "list") == 0 ? stderr : NULL,
	                 &err);
	if (rs == NULL) {
		cli_error(&err);
		return 2;
	}
	rc = show_rules(argv[1], rs);
	ruleset_free(rs);
	if (rc < 0) {
		cli_usage(stderr);
		return 2;
	}
	return commit_stdout() != 0 ? 2 : rc;
}

int command_diff(struct options *op, char **paths)
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
	if ((rs = setup_rules(op, 1, NULL, &err)) == NULL) {
		cli_error(&err);
		return 2;
	}
	if (setup_guard_outputs(op, (const char *const *)paths, 2, &err) != 0 ||
	    (dest = output_open(op->output, 0, &err)) == NULL) {
		cli_error(&err);
		ruleset_free(rs);
		return 2;
	}
	op->scan.rs = rs;
	memset(&bo, 0, sizeof bo);
	bo.jobs = op->jobs ? op->jobs : setup_default_jobs();
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
		cli_error(&err);
		status = 2;
	}
	return status;
}
