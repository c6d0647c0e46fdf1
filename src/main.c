/* main: options, usage and exit status; wires rules -> scan -> report. Prints every error once. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "baseline.h"
#include "batch.h"
#include "diff.h"
#include "escape.h"
#include "expect.h"
#include "output.h"
#include "redact.h"
#include "report.h"
#include "rules.h"
#include "ruledraft.h"
#include "ruletry.h"
#include "scan.h"

#ifndef DS_RULES_DIR
#define DS_RULES_DIR "/usr/local/share/dartscan/rules"
#endif

enum {
	OPT_FAIL_ON = 256, OPT_VERSION, OPT_CONFIG, OPT_EVIDENCE, OPT_TRANSIENT, OPT_SINCE, OPT_UNTIL,
	OPT_TIMELINE, OPT_COLOR, OPT_MAX_TOTAL, OPT_MAX_ENTRY, OPT_MAX_RATIO, OPT_MAX_ENTRIES, OPT_MAX_DEPTH,
	OPT_MAX_RECORD, OPT_EXPECT, OPT_UPDATE_EXPECT, OPT_EXPLAIN, OPT_REDACT, OPT_REDACT_MAP, OPT_PCAP,
	OPT_NO_SANDBOX, OPT_MAX_MEMORY, OPT_MAX_SECONDS, OPT_UNEXPLAINED, OPT_BASELINE, OPT_MIN_SEVERITY, OPT_GROUP_BY, OPT_UTC
};

#define RULE_LAYERS 16

struct options {
	const char *format;
	const char *rules_dir;  /* the first -R */
	const char *rules_dirs[RULE_LAYERS]; /* every -R, in order: layers */
	size_t nrules_dirs;
	const char *config;
	const char *output;
	int fail_on;
	int min_severity; /* findings below it are left out of the report (not of the exit status) */
	int group_by;     /* --group-by: group.h's GROUP_* */
	int utc;          /* --utc: times in UTC where the bundle gives the client's offset */
	int color; /* -1 auto */
	int timeline;
	int recursive;
	int quiet;
	int jobs;
	const char *expect;
	const char *explain;
	const char *redact_map;
	int redact;
	int update_expect;
	struct scan_opts scan;
	struct sandbox_opts sandbox;
	const char *baseline;   /* --baseline FILE (or $DARTSCAN_BASELINE) */
	int build_baseline;     /* dartscan baseline: -o FILE gets the healthy bundles' shapes */
};

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: dartscan [-hqr] [-f format] [-R dir] [-o file] [-j jobs] [--fail-on level]\n"
	        "                [--min-severity level] [--group-by key] [--config file] [--expect file]\n"
	        "                [--update-expect] [--explain rule] [--redact] [--redact-map file] [--pcap file]\n"
	        "                [--evidence n] [--transient seconds] [--since time] [--until time]\n"
	        "                [--timeline] [--color when] [--max-total bytes] [--max-entry bytes]\n"
	        "                [--max-ratio n] [--max-entries n] [--max-depth n] [--max-record bytes]\n"
	        "                [--max-memory bytes] [--max-seconds n] [--no-sandbox] [--unexplained n]\n"
	        "                [--baseline file] [--utc]\n"
	        "                bundle|dir ...\n"
	        "       dartscan baseline [-r] [-R dir] [-j jobs] -o file bundle|dir ...\n"
	        "       dartscan diff [-f format] [-R dir] [-o file] [--fail-on level] old new\n"
	        "       dartscan rules check|test|list [dir]\n"
	        "       dartscan rules try pattern bundle ...\n"
	        "       dartscan rules draft bundle entry:line\n"
	        "       dartscan rules export --patterns [dir]\n"
	        "       dartscan --version\n");
}

/* --help: one line per option, named as the man page's OPTIONS list names it (man.sh compares
 * the two lists). */
static const struct opt_help {
	const char *names;
	const char *what;
} opt_help[] = {
    {"-h, --help", "print this help and exit 0"},
    {"--version", "print the version and exit 0"},
    {"-f format, --format format", "report format (default text)"},
    {"-R dir, --rules dir", "rule directory; repeat it for layers"},
    {"-o file, --output file", "write the report to file (replaced only once complete)"},
    {"-r, --recursive", "find every bundle below directory arguments"},
    {"-j jobs, --jobs jobs", "bundles scanned in parallel, 1 to 256 (default: online CPUs)"},
    {"-q, --quiet", "no progress line"},
    {"--fail-on level", "exit 1 when a finding is at or above level (default warning)"},
    {"--min-severity level", "leave findings below level out of the report (exit status unchanged)"},
    {"--group-by key", "group the summary by root-cause, org or network"},
    {"--utc", "times in UTC where the bundle gives the client's offset (marked Z)"},
    {"--config file", "local rule tuning: disable, severity"},
    {"--expect file", "compare each bundle with the findings and states expected of it"},
    {"--update-expect", "rewrite the --expect file from this run"},
    {"--explain rule", "trace one rule through the bundle"},
    {"--redact", "replace private values (users, hosts, addresses, ids) by stable tokens"},
    {"--redact-map file", "write the token map to file (implies --redact)"},
    {"--pcap file", "read a packet capture with the one bundle"},
    {"--evidence n", "evidence lines per finding, 1 to 1000"},
    {"--transient seconds", "a recovered bad period shorter than this is a blip, 0 to 86400"},
    {"--since time, --until time", "findings in this window of local log time only"},
    {"--unexplained n", "message shapes no rule matched shown per bundle, 0 to 1000 (0: off)"},
    {"--timeline", "add the merged timeline of states and findings"},
    {"--color when", "auto, always or never"},
    {"--max-total bytes", "bytes read from a bundle at most"},
    {"--max-entry bytes", "bytes read from one entry at most"},
    {"--max-ratio n", "compression ratio above which an entry is a bomb (0: off)"},
    {"--max-entries n", "entries read from a bundle at most"},
    {"--max-depth n", "nesting of archives in archives at most"},
    {"--max-record bytes", "bytes of one log record at most"},
    {"--max-memory bytes", "address space of the worker that reads a bundle"},
    {"--max-seconds n", "wall-clock seconds a worker may spend on one bundle"},
    {"--no-sandbox", "read bundles in this process, unconfined (debugging only)"},
    {"--baseline file", "mark unexplained message shapes the baseline lacks as new"},
};

static void help(FILE *f)
{
	size_t i;

	usage(f);
	fprintf(f, "\noptions:\n");
	for (i = 0; i < sizeof opt_help / sizeof *opt_help; i++)
		fprintf(f, "  %-28s %s\n", opt_help[i].names, opt_help[i].what);
	fprintf(f, "\nformats: %s. See dartscan(1).\n", report_formats());
}

static void warnx_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void warnx_(const char *fmt, ...)
{
	va_list ap;

	fputs("dartscan: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

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

/* What went to standard output reached it (a full disk, a closed pipe): 0, or -1 said once. */
static int commit_stdout(void)
{
	struct ds_error err;
	struct output *o = output_open(NULL, &err);

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

/* -R, then $DARTSCAN_RULES, then the installed rules, then rules/ beside the binary. */
static const char *find_rules(const char *given, char *buf, size_t n)
{
	const char *env = getenv("DARTSCAN_RULES");
	char dir[PATH_MAX];

	if (given)
		return given;
	if (env && *env)
		return env;
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

static struct ruleset *load_rules(const struct options *op)
{
	char buf[PATH_MAX + 32], store[4096];
	const char *dirs[RULE_LAYERS];
	size_t n = rule_layers(op, dirs, store, sizeof store, buf, sizeof buf), i;
	struct ruleset *rs;
	struct ds_error err;
	const char *cfg = op->config ? op->config : getenv("DARTSCAN_CONFIG");

	if (n == 0) {
		warnx_("no rule directory found: give one with -R or DARTSCAN_RULES");
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
		warnx_("%s", rs->notes[i]);
	return rs;
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
			usage(stderr);
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
		usage(stderr);
		return 2;
	}
	op.rules_dir = argc == 3 ? argv[2] : NULL;
	rs = load_rules(&op);
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
		usage(stderr);
		ruleset_free(rs);
		return 2;
	}
	ruleset_free(rs);
	return commit_stdout() != 0 ? 2 : failed ? 1 : 0;
}

/* A number with an optional K, M or G suffix (powers of 1024, "512M", "512MiB"); -1 when it is not
 * one or does not fit. */
static int parse_size(const char *s, unsigned long long *out)
{
	char *end;
	unsigned long long v;
	int shift = 0;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || strchr(s, '-') != NULL)
		return -1;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	default: break;
	}
	if (*end == 'i' || *end == 'B')
		end++;
	if (*end == 'B')
		end++;
	if (*end != '\0' || v > (ULLONG_MAX >> shift))
		return -1;
	*out = v << shift;
	return 0;
}

/* The range each numeric option takes; sizes are written and read with a K, M or G suffix. */
struct num_range {
	int opt;
	const char *name;
	unsigned long long lo, hi;
	int size;
};

static const struct num_range num_ranges[] = {
    {'j', "-j", 1, 256, 0},
    {OPT_EVIDENCE, "--evidence", 1, 1000, 0},
    {OPT_TRANSIENT, "--transient", 0, 86400, 0},
    {OPT_MAX_TOTAL, "--max-total", 1, 1024ull << 30, 1},
    {OPT_MAX_ENTRY, "--max-entry", 1, 1024ull << 30, 1},
    {OPT_MAX_RATIO, "--max-ratio", 0, 1000000, 0},
    {OPT_MAX_ENTRIES, "--max-entries", 1, 10000000, 0},
    {OPT_MAX_DEPTH, "--max-depth", 1, BUNDLE_MAX_DEPTH, 0},
    {OPT_MAX_RECORD, "--max-record", 64, 1ull << 30, 1},
    {OPT_MAX_MEMORY, "--max-memory", 64ull << 20, 1024ull << 30, 1},
    {OPT_MAX_SECONDS, "--max-seconds", 1, 86400, 0},
    {OPT_UNEXPLAINED, "--unexplained", 0, 1000, 0},
};

/* One end of a range as the option reads it: a size with its largest exact suffix ("1G"). */
static void bound_text(unsigned long long v, int size, char *out, size_t n)
{
	static const char suffix[] = "GMK";
	int i;

	for (i = 0; size && i < 3; i++) {
		unsigned long long unit = 1ull << (30 - 10 * i);

		if (v >= unit && v % unit == 0) {
			snprintf(out, n, "%llu%c", v / unit, suffix[i]);
			return;
		}
	}
	snprintf(out, n, "%llu", v);
}

/* Reads the value of the numeric option opt; when it is not a number in the option's range, says
 * the range ("--max-depth: expected 1 to 8, not '10'") and returns -1. */
static int parse_number(int opt, const char *arg, unsigned long long *out)
{
	const struct num_range *r = num_ranges;
	char lo[32], hi[32], *end;
	int ok;

	while (r->opt != opt)
		r++;
	if (r->size) {
		ok = parse_size(arg, out) == 0;
	} else {
		errno = 0;
		*out = strtoull(arg, &end, 10);
		ok = errno == 0 && end != arg && *end == '\0' && strchr(arg, '-') == NULL;
	}
	if (ok && *out >= r->lo && *out <= r->hi)
		return 0;
	bound_text(r->lo, r->size, lo, sizeof lo);
	bound_text(r->hi, r->size, hi, sizeof hi);
	warnx_("%s: expected %s to %s, not '%s'", r->name, lo, hi, arg);
	return -1;
}

static int parse_args(int argc, char **argv, struct options *op)
{
	static const struct option longs[] = {
	    {"format", required_argument, NULL, 'f'}, {"rules", required_argument, NULL, 'R'},
	    {"output", required_argument, NULL, 'o'}, {"help", no_argument, NULL, 'h'},
	    {"fail-on", required_argument, NULL, OPT_FAIL_ON}, {"version", no_argument, NULL, OPT_VERSION},
	    {"config", required_argument, NULL, OPT_CONFIG}, {"evidence", required_argument, NULL, OPT_EVIDENCE},
	    {"transient", required_argument, NULL, OPT_TRANSIENT}, {"since", required_argument, NULL, OPT_SINCE},
	    {"until", required_argument, NULL, OPT_UNTIL}, {"timeline", no_argument, NULL, OPT_TIMELINE},
	    {"color", required_argument, NULL, OPT_COLOR}, {"max-total", required_argument, NULL, OPT_MAX_TOTAL},
	    {"max-entry", required_argument, NULL, OPT_MAX_ENTRY}, {"max-ratio", required_argument, NULL, OPT_MAX_RATIO},
	    {"max-entries", required_argument, NULL, OPT_MAX_ENTRIES},
	    {"max-depth", required_argument, NULL, OPT_MAX_DEPTH},
	    {"max-record", required_argument, NULL, OPT_MAX_RECORD}, {"recursive", no_argument, NULL, 'r'},
	    {"jobs", required_argument, NULL, 'j'}, {"quiet", no_argument, NULL, 'q'},
	    {"expect", required_argument, NULL, OPT_EXPECT}, {"explain", required_argument, NULL, OPT_EXPLAIN},
	    {"pcap", required_argument, NULL, OPT_PCAP}, {"redact", no_argument, NULL, OPT_REDACT}, {"redact-map", required_argument, NULL, OPT_REDACT_MAP}, {"update-expect", no_argument, NULL, OPT_UPDATE_EXPECT},
	    {"no-sandbox", no_argument, NULL, OPT_NO_SANDBOX}, {"max-memory", required_argument, NULL, OPT_MAX_MEMORY},
	    {"max-seconds", required_argument, NULL, OPT_MAX_SECONDS},
	    {"unexplained", required_argument, NULL, OPT_UNEXPLAINED},
	    {"baseline", required_argument, NULL, OPT_BASELINE},
	    {"min-severity", required_argument, NULL, OPT_MIN_SEVERITY},
	    {"group-by", required_argument, NULL, OPT_GROUP_BY},
	    {"utc", no_argument, NULL, OPT_UTC},
	    {NULL, 0, NULL, 0}};
	int c;
	unsigned long long v;

	while ((c = getopt_long(argc, argv, "f:R:o:hrqj:", longs, NULL)) != -1) {
		switch (c) {
		case 'r': op->recursive = 1; break;
		case 'q': op->quiet = 1; break;
		case OPT_EXPECT: op->expect = optarg; break;
		case OPT_EXPLAIN: op->explain = optarg; break;
		case OPT_REDACT: op->redact = 1; break;
		case OPT_PCAP: op->scan.pcap = optarg; break;
		case OPT_REDACT_MAP: op->redact_map = optarg; op->redact = 1; break;
		case OPT_UPDATE_EXPECT: op->update_expect = 1; break;
		case OPT_NO_SANDBOX: op->sandbox.off = 1; break;
		case OPT_BASELINE: op->baseline = optarg; break;
		case OPT_UTC: op->utc = 1; break;
		case OPT_UNEXPLAINED:
			if (parse_number(c, optarg, &v))
				return -1;
			op->scan.unexplained = (int)v;
			break;
		case OPT_MAX_MEMORY:
		case OPT_MAX_SECONDS:
			if (parse_number(c, optarg, &v))
				return -1;
			if (c == OPT_MAX_MEMORY)
				op->sandbox.max_memory = v;
			else
				op->sandbox.max_seconds = (unsigned)v;
			break;
		case 'j':
			if (parse_number(c, optarg, &v))
				return -1;
			op->jobs = (int)v;
			break;
		case 'f': op->format = optarg; break;
		case 'R':
			if (op->nrules_dirs == RULE_LAYERS) {
				warnx_("-R: at most %d rule directories", RULE_LAYERS);
				return -1;
			}
			op->rules_dirs[op->nrules_dirs++] = optarg;
			op->rules_dir = op->rules_dirs[0];
			break;
		case 'o': op->output = optarg; break;
		case 'h': help(stdout); exit(0);
		case OPT_VERSION: printf("dartscan %s\n", DS_VERSION); exit(0);
		case OPT_CONFIG: op->config = optarg; break;
		case OPT_TIMELINE: op->timeline = 1; break;
		case OPT_FAIL_ON:
			op->fail_on = severity_parse(optarg);
			if (op->fail_on <= SEV_NONE) {
				warnx_("--fail-on: unknown level '%s'", optarg);
				return -1;
			}
			break;
		case OPT_MIN_SEVERITY:
			op->min_severity = severity_parse(optarg);
			if (op->min_severity < SEV_NONE) {
				warnx_("--min-severity: unknown level '%s'", optarg);
				return -1;
			}
			break;
		case OPT_GROUP_BY:
			if ((op->group_by = group_by_parse(optarg)) < 0) {
				warnx_("--group-by: expected root-cause, org or network, not '%s'", optarg);
				return -1;
			}
			break;
		case OPT_EVIDENCE:
			if (parse_number(c, optarg, &v))
				return -1;
			op->scan.copts.evidence = (int)v;
			break;
		case OPT_TRANSIENT:
			if (parse_number(c, optarg, &v))
				return -1;
			op->scan.copts.transient_s = (long)v;
			break;
		case OPT_SINCE:
		case OPT_UNTIL:
			if (timefmt_parse_user(optarg, c == OPT_SINCE ? &op->scan.copts.since : &op->scan.copts.until)) {
				warnx_("%s: expected YYYY-MM-DD[THH:MM[:SS]], not '%s'", c == OPT_SINCE ? "--since" : "--until",
				       optarg);
				return -1;
			}
			break;
		case OPT_COLOR:
			if (strcmp(optarg, "auto") == 0)
				op->color = -1;
			else if (strcmp(optarg, "always") == 0)
				op->color = 1;
			else if (strcmp(optarg, "never") == 0)
				op->color = 0;
			else {
				warnx_("--color: expected auto, always or never, not '%s'", optarg);
				return -1;
			}
			break;
		case OPT_MAX_TOTAL:
		case OPT_MAX_ENTRY:
		case OPT_MAX_RECORD:
		case OPT_MAX_RATIO:
		case OPT_MAX_ENTRIES:
		case OPT_MAX_DEPTH:
			if (parse_number(c, optarg, &v))
				return -1;
			if (c == OPT_MAX_TOTAL)
				op->scan.blim.max_total = v;
			else if (c == OPT_MAX_ENTRY)
				op->scan.blim.max_entry = v;
			else if (c == OPT_MAX_RECORD)
				op->scan.max_record = (size_t)v;
			else if (c == OPT_MAX_RATIO)
				op->scan.blim.max_ratio = (unsigned)v;
			else if (c == OPT_MAX_DEPTH)
				op->scan.blim.max_depth = (int)v;
			else
				op->scan.blim.max_entries = (unsigned long)v;
			break;
		default:
			usage(stderr);
			return -1;
		}
	}
	return 0;
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
	FILE *out;
	int explain;
	int min_severity;
	int utc;
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
	int worst = diagnosis_worst(&res->diag, NULL);

	if (res->status == SCAN_ERROR || res->capture_failed) {
		r->errors++;
		for (k = 0; k < res->nproblems; k++)
			print_problem(res, &res->problems[k]);
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
		/* healthy: read, and nothing at or above warning */
		if (res->status != SCAN_ERROR && worst < SEV_WARNING) {
			baseline_add_bundle(r->building, &res->unx);
			r->healthy++;
		}
		return;
	}
	if (r->redactor)
		redact_result(r->redactor, res);
	if (r->min_severity > SEV_NONE) /* after the exit status and the expectations saw them all */
		diagnosis_drop_below(&res->diag, r->min_severity);
	if (r->utc)
		scan_result_to_utc(res);
	if (r->explain && res->explain) {
		explain_print(res->explain, res, r->out);
		int sev = diagnosis_worst(&res->diag, res->explain->rule);

		if (sev > r->explained_worst)
			r->explained_worst = sev;
	} else {
		report_bundle(r->rep, res);
	}
}

/* Bundles from the arguments (directories searched with -r), else from the expectations file. */
/* dartscan baseline: the file is -o's, and every record no rule matched is a candidate. */
static int check_build_baseline(struct options *op)
{
	if (op->output == NULL) {
		warnx_("baseline: -o FILE is needed (the baseline is written there)");
		return -1;
	}
	if (op->scan.unexplained == 0 || op->baseline) {
		warnx_("baseline: --unexplained 0 and --baseline do not go with building one");
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
	struct output *o = output_open(path, &err);

	if (o == NULL) {
		print_error(&err);
		return -1;
	}
	if (redact_write_map(r, output_file(o)) != 0) {
		warnx_("%s: %s", path, strerror(errno));
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
		warnx_("diff: -f text or json, not '%s'", op->format);
		return 2;
	}
	if ((rs = load_rules(op)) == NULL)
		return 2;
	if ((dest = output_open(op->output, &err)) == NULL) {
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
			warnx_("%s: %s", d.b[k].path, d.b[k].why ? d.b[k].why : "not read");
	if ((why = diff_mismatch(&d)) != NULL)
		warnx_("diff: %s: compared anyway", why);
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

	/* a closed pipe is a write error reported once (EPIPE), not a silent death by SIGPIPE */
	signal(SIGPIPE, SIG_IGN);
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
	if (parse_args(argc, argv, &op) != 0)
		return 2;
	if (op.sandbox.off)
		warnx_("--no-sandbox: bundles are read in this process, with no memory or time limit and no "
		       "confinement (for debugging only)");
	if (diff && argc - optind != 2) {
		warnx_("diff: two bundles, OLD and NEW");
		usage(stderr);
		return 2;
	}
	if (diff)
		return cmd_diff(&op, argv + optind);
	if (optind >= argc && op.expect == NULL) {
		usage(stderr);
		return 2;
	}
	if (op.scan.pcap && argc - optind != 1) {
		warnx_("--pcap goes with exactly one bundle");
		return 2;
	}
	if (op.update_expect && op.expect == NULL) {
		warnx_("--update-expect needs --expect FILE");
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
	    (rs = load_rules(&op)) == NULL) {
		bundle_list_reset(&bl);
		expect_reset(&es);
		return 2;
	}
	op.scan.rs = rs;
	if (op.explain && (op.scan.explain = rules_find(rs, op.explain)) == NULL) {
		warnx_("--explain: no rule '%s' in the rule set", op.explain);
		ruleset_free(rs);
		bundle_list_reset(&bl);
		expect_reset(&es);
		return 2;
	}
	/* everything the command line says is checked before any output is opened */
	if (!report_format_known(op.format)) {
		warnx_("unknown format '%s' (%s)", op.format, report_formats());
		ruleset_free(rs);
		bundle_list_reset(&bl);
		expect_reset(&es);
		return 2;
	}
	if ((dest = output_open(op.output, &err)) == NULL) {
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
	ro.expect = op.expect && !op.update_expect ? &es : NULL;
	memset(&run, 0, sizeof run);
	run.rep = report_new(op.format, out, &ro);
	{
		run.es = op.expect ? &es : NULL;
		run.out = out;
		run.redactor = op.redact ? redact_new() : NULL;
		run.explain = op.explain != NULL;
		run.update = op.update_expect;
		run.min_severity = op.min_severity;
		run.utc = op.utc;
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
