/* setup: what a run needs before any stage -- the process made safe to write from (descriptors,
 * SIGPIPE, libxml2's own messages, UTF-8 entry names) -- and the inputs its options name, loaded
 * for main.c and command.c: the rule layers, the baseline, the passphrases, the output guard.
 * Errors go back with their context; only warnings are said here. */
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


#include "batch.h"
#include "context.h"
#include "guard.h"
#include "passphrase.h"
#include "setup.h"

#ifndef DS_RULES_DIR
#define DS_RULES_DIR "/usr/local/share/dartscan/rules"
#endif

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

/* With TZ unset, glibc's mktime looks at /etc/localtime again at every call (a stat each), and
 * libarchive calls it for each zip entry's DOS time: a dozen system calls a bundle, 5% of the CPU of
 * a batch of small cases. TZ naming the very file glibc would read makes it read the file once and
 * keep it; a TZ the user set is left as it is. */
static void read_zone_once(void)
{
	setenv("TZ", ":/etc/localtime", 0);
}

void setup_process(void)
{
	hold_std_fds();
	read_zone_once();
	/* a worker's pipe closed is its failure, not ours: SIGPIPE is ignored and a closed standard
	 * output is told by EPIPE, then ends the run as SIGPIPE would (output_die_quietly) */
	signal(SIGPIPE, SIG_IGN);
	context_quiet_xml(); /* in every thread: libxml2 says nothing of its own */
	use_utf8_names();
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

struct ruleset *setup_rules(const struct options *op, int scanning, FILE *dirs_to, struct ds_error *err)
{
	char buf[PATH_MAX + 32], store[4096];
	const char *dirs[RULE_LAYERS];
	size_t n = rule_layers(op, dirs, store, sizeof store, buf, sizeof buf), i;
	struct ruleset *rs;
	const char *cfg = op->config ? op->config : getenv("DARTSCAN_CONFIG");

	memset(err, 0, sizeof *err);
	if (n == 0) {
		ds_error_set(err, NULL, 0, "no rule directory found: give one with -R or DARTSCAN_RULES");
		return NULL;
	}
	rs = ruleset_new();
	if (rules_load_dirs(rs, dirs, n, err) != 0 || (cfg && *cfg && rules_apply_config(rs, cfg, err) != 0)) {
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

int setup_baseline(struct options *op, struct baseline **out, struct ds_error *err)
{
	const char *env = getenv("DARTSCAN_BASELINE");

	*out = NULL;
	if (op->baseline == NULL && env && *env)
		op->baseline = env;
	if (op->baseline == NULL)
		return 0;
	*out = baseline_load(op->baseline, err);
	return *out ? 0 : -1;
}

int setup_passphrases(struct options *op, struct ds_error *err)
{
	const struct passphrases *p = passphrases_gather(op->passphrase_file, "DARTSCAN_PASSPHRASE", err);

	if (p == NULL)
		return -1;
	op->scan.blim.passphrases = p->v;
	op->scan.blim.npassphrases = p->n;
	return 0;
}

int setup_bundles(const struct options *op, char **args, int nargs, const struct expect_set *es,
                  struct bundle_list *l, struct ds_error *err)
{
	int i;
	size_t k;

	for (i = 0; i < nargs; i++) {
		struct stat st;

		if (op->recursive && stat(args[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			if (batch_discover(l, args[i], err) != 0)
				return -1;
		} else {
			bundle_list_add(l, args[i]);
		}
	}
	if (nargs == 0 && es)
		for (k = 0; k < es->n; k++)
			bundle_list_add(l, es->b[k].resolved);
	return 0;
}

int setup_guard_outputs(const struct options *op, const char *const *bundles, size_t nb, struct ds_error *err)
{
	char buf[PATH_MAX + 32], store[4096];
	const char *dirs[RULE_LAYERS];
	size_t n = rule_layers(op, dirs, store, sizeof store, buf, sizeof buf), i;
	struct guard g;
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
	rc = guard_check(&g, err);
	guard_reset(&g);
	return rc;
}

int setup_default_jobs(void)
{
	int n = cpu_count();

	return n > 256 ? 256 : n;
}
