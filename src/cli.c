/* cli: the option table is the one place an option is named. getopt_long's array, the short
 * option string, the usage synopsis and --help are made from it, so they cannot drift apart (and
 * tests/suites/man.sh holds dartscan.1's SYNOPSIS and option list to the same table). The table
 * is in the man page's order: --help prints it as it stands. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "group.h"
#include "output.h"
#include "report/report.h"
#include "rules/rules.h"
#include "timefmt.h"

enum {
	OPT_FAIL_ON = 256, OPT_VERSION, OPT_CONFIG, OPT_EVIDENCE, OPT_TRANSIENT, OPT_SINCE, OPT_UNTIL,
	OPT_TIMELINE, OPT_COLOR, OPT_MAX_TOTAL, OPT_MAX_ENTRY, OPT_MAX_RATIO, OPT_MAX_ENTRIES, OPT_MAX_DEPTH,
	OPT_MAX_RECORD, OPT_EXPECT, OPT_UPDATE_EXPECT, OPT_EXPLAIN, OPT_REDACT, OPT_REDACT_MAP, OPT_PCAP,
	OPT_NO_SANDBOX, OPT_MAX_MEMORY, OPT_MAX_SECONDS, OPT_UNEXPLAINED, OPT_BASELINE, OPT_MIN_SEVERITY, OPT_GROUP_BY,
	OPT_UTC, OPT_PASSPHRASE_FILE
};

/* One option. A numeric one has a range (lo..hi; size: read and written with a K, M or G
 * suffix); one without help shares the line of the option above it (--since, --until). */
struct cli_opt {
	const char *name;
	int key;         /* its short letter, or an OPT_ above 255 */
	const char *arg; /* the argument's name in usage and help, or NULL */
	const char *help;
	unsigned long long lo, hi;
	int numeric, size;
};

#define NUM(lo, hi) lo, hi, 1, 0
#define SIZE(lo, hi) lo, hi, 1, 1

static const struct cli_opt opts[] = {
    {"help", 'h', NULL, "print this help and exit 0", 0, 0, 0, 0},
    {"version", OPT_VERSION, NULL, "print the version and exit 0", 0, 0, 0, 0},
    {"format", 'f', "format", "report format (default text)", 0, 0, 0, 0},
    {"rules", 'R', "dir", "rule directory; repeat it for layers", 0, 0, 0, 0},
    {"output", 'o', "file", "write the report to file (replaced only once complete)", 0, 0, 0, 0},
    {"recursive", 'r', NULL, "find every bundle below directory arguments", 0, 0, 0, 0},
    {"jobs", 'j', "jobs", "bundles scanned in parallel, 1 to 256 (default: the CPUs it may use)", NUM(1, 256)},
    {"quiet", 'q', NULL, "no progress line", 0, 0, 0, 0},
    {"fail-on", OPT_FAIL_ON, "level", "exit 1 when a finding is at or above level (default warning)", 0, 0, 0, 0},
    {"min-severity", OPT_MIN_SEVERITY, "level", "leave findings below level out of the report (exit status unchanged)",
     0, 0, 0, 0},
    {"group-by", OPT_GROUP_BY, "key", "group the summary by root-cause, org or network", 0, 0, 0, 0},
    {"utc", OPT_UTC, NULL, "times in UTC where the bundle gives the client's offset (marked Z)", 0, 0, 0, 0},
    {"config", OPT_CONFIG, "file", "local rule tuning: disable, severity", 0, 0, 0, 0},
    {"expect", OPT_EXPECT, "file", "compare each bundle with the findings and states expected of it", 0, 0, 0, 0},
    {"update-expect", OPT_UPDATE_EXPECT, NULL, "rewrite the --expect file from this run", 0, 0, 0, 0},
    {"explain", OPT_EXPLAIN, "rule", "trace one rule through the bundle", 0, 0, 0, 0},
    {"redact", OPT_REDACT, NULL, "replace private values (users, hosts, addresses, ids) by stable tokens", 0, 0, 0,
     0},
    {"redact-map", OPT_REDACT_MAP, "file", "write the token map to file (implies --redact)", 0, 0, 0, 0},
    {"pcap", OPT_PCAP, "file", "read a packet capture with the one bundle", 0, 0, 0, 0},
    {"passphrase-file", OPT_PASSPHRASE_FILE, "file",
     "passphrases an encrypted upload may open with, one a line (or $DARTSCAN_PASSPHRASE)", 0, 0, 0, 0},
    {"evidence", OPT_EVIDENCE, "n", "evidence lines per finding, 1 to 1000", NUM(1, 1000)},
    {"transient", OPT_TRANSIENT, "seconds", "a recovered bad period shorter than this is a blip, 0 to 86400",
     NUM(0, 86400)},
    {"since", OPT_SINCE, "time", "findings in this window of local log time only", 0, 0, 0, 0},
    {"until", OPT_UNTIL, "time", NULL, 0, 0, 0, 0},
    {"unexplained", OPT_UNEXPLAINED, "n", "message shapes no rule matched shown per bundle, 0 to 1000 (0: off)",
     NUM(0, 1000)},
    {"timeline", OPT_TIMELINE, NULL, "add the merged timeline of states and findings", 0, 0, 0, 0},
    {"color", OPT_COLOR, "when", "auto, always or never", 0, 0, 0, 0},
    {"max-total", OPT_MAX_TOTAL, "bytes", "bytes read from a bundle at most", SIZE(1, 1024ull << 30)},
    {"max-entry", OPT_MAX_ENTRY, "bytes", "bytes read from one entry at most", SIZE(1, 1024ull << 30)},
    {"max-ratio", OPT_MAX_RATIO, "n", "compression ratio above which an entry is a bomb (0: off)", NUM(0, 1000000)},
    {"max-entries", OPT_MAX_ENTRIES, "n", "entries read from a bundle at most", NUM(1, 10000000)},
    {"max-depth", OPT_MAX_DEPTH, "n", "nesting of archives in archives at most", NUM(1, BUNDLE_MAX_DEPTH)},
    {"max-record", OPT_MAX_RECORD, "bytes", "bytes of one log record at most", SIZE(64, 1ull << 30)},
    {"max-memory", OPT_MAX_MEMORY, "bytes", "address space of the worker that reads a bundle",
     SIZE(64ull << 20, 1024ull << 30)},
    {"max-seconds", OPT_MAX_SECONDS, "n", "wall-clock seconds a worker may spend on one bundle", NUM(1, 86400)},
    {"no-sandbox", OPT_NO_SANDBOX, NULL, "read bundles in this process, unconfined (debugging only)", 0, 0, 0, 0},
    {"baseline", OPT_BASELINE, "file", "mark unexplained message shapes the baseline lacks as new", 0, 0, 0, 0},
};

#define NOPTS (sizeof opts / sizeof *opts)

static const char *const commands =
    "       dartscan baseline [-r] [-R dir] [-j jobs] -o file bundle|dir ...\n"
    "       dartscan diff [-f format] [-R dir] [-o file] [--fail-on level] old new\n"
    "       dartscan rules check|test|list [dir]\n"
    "       dartscan rules try pattern bundle ...\n"
    "       dartscan rules draft bundle entry:line\n"
    "       dartscan rules export --patterns [dir]\n"
    "       dartscan --version\n";

void cli_warn(const char *fmt, ...)
{
	va_list ap;

	fputs("dartscan: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void cli_error(const struct ds_error *e)
{
	char line[1200];

	ds_error_format(e, line, sizeof line);
	fprintf(stderr, "dartscan: %s\n", line);
}

/* ---- usage and help ---- */

#define USAGE_WIDTH 100
#define USAGE_INDENT "                "

static void put_word(FILE *f, const char *w, size_t *col)
{
	size_t n = strlen(w);

	if (*col + 1 + n > USAGE_WIDTH) {
		fprintf(f, "\n%s", USAGE_INDENT);
		*col = sizeof USAGE_INDENT - 1;
	} else {
		fputc(' ', f);
		(*col)++;
	}
	fputs(w, f);
	*col += n;
}

void cli_usage(FILE *f)
{
	char flags[NOPTS + 4] = "[-", w[64];
	size_t i, k = 2, col = strlen("usage: dartscan");

	for (i = 0; i < NOPTS; i++)
		if (opts[i].key < 256 && opts[i].arg == NULL)
			flags[k++] = (char)opts[i].key;
	flags[k++] = ']';
	flags[k] = '\0';
	fputs("usage: dartscan", f);
	put_word(f, flags, &col);
	for (i = 0; i < NOPTS; i++) { /* letters with an argument first, then the long ones */
		if (opts[i].key < 256 && opts[i].arg) {
			snprintf(w, sizeof w, "[-%c %s]", opts[i].key, opts[i].arg);
			put_word(f, w, &col);
		}
	}
	for (i = 0; i < NOPTS; i++) {
		if (opts[i].key < 256 || opts[i].key == OPT_VERSION)
			continue;
		snprintf(w, sizeof w, opts[i].arg ? "[--%s %s]" : "[--%s]", opts[i].name, opts[i].arg);
		put_word(f, w, &col);
	}
	fprintf(f, "\n%sbundle|dir ...\n%s", USAGE_INDENT, commands);
}

/* "-f format, --format format", as dartscan.1's option list names it. */
static void opt_names(const struct cli_opt *o, char *out, size_t n)
{
	size_t k = 0;

	if (o->key < 256)
		k = (size_t)snprintf(out, n, o->arg ? "-%c %s, " : "-%c, ", o->key, o->arg);
	snprintf(out + k, n - k, o->arg ? "--%s %s" : "--%s", o->name, o->arg);
}

static void help(FILE *f)
{
	size_t i;

	cli_usage(f);
	fprintf(f, "\noptions:\n");
	for (i = 0; i < NOPTS; i++) {
		char names[96], more[64];
		size_t k;

		opt_names(&opts[i], names, sizeof names);
		for (k = i + 1; k < NOPTS && opts[k].help == NULL; k++) {
			opt_names(&opts[k], more, sizeof more);
			strncat(names, ", ", sizeof names - strlen(names) - 1);
			strncat(names, more, sizeof names - strlen(names) - 1);
		}
		fprintf(f, "  %-28s %s\n", names, opts[i].help);
		i = k - 1;
	}
	fprintf(f, "\nformats: %s. See dartscan(1).\n", report_formats());
}

/* ---- numbers ---- */

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

static const struct cli_opt *find_opt(int key)
{
	size_t i;

	for (i = 0; i < NOPTS; i++)
		if (opts[i].key == key)
			return &opts[i];
	return NULL;
}

/* Reads the value of a numeric option; when it is not a number in the option's range, says the
 * range ("--max-depth: expected 1 to 8, not '10'") and returns -1. */
static int parse_number(const struct cli_opt *o, const char *arg, unsigned long long *out)
{
	char lo[32], hi[32], *end, name[40];
	int ok;

	if (o->size) {
		ok = parse_size(arg, out) == 0;
	} else {
		errno = 0;
		*out = strtoull(arg, &end, 10);
		ok = errno == 0 && end != arg && *end == '\0' && strchr(arg, '-') == NULL;
	}
	if (ok && *out >= o->lo && *out <= o->hi)
		return 0;
	bound_text(o->lo, o->size, lo, sizeof lo);
	bound_text(o->hi, o->size, hi, sizeof hi);
	if (o->key < 256)
		snprintf(name, sizeof name, "-%c", o->key);
	else
		snprintf(name, sizeof name, "--%s", o->name);
	cli_warn("%s: expected %s to %s, not '%s'", name, lo, hi, arg);
	return -1;
}

/* ---- options getopt_long did not take ---- */

#define NAME_MAX_LEN 64

/* Edit distance with adjacent transpositions (optimal string alignment): "fromat" is one edit
 * from "format", "formats" one. Words longer than NAME_MAX_LEN are far from every option. */
static size_t edit_distance(const char *a, size_t na, const char *b, size_t nb)
{
	unsigned char d[NAME_MAX_LEN + 1][NAME_MAX_LEN + 1];
	size_t i, j;

	if (na > NAME_MAX_LEN || nb > NAME_MAX_LEN)
		return SIZE_MAX;
	for (i = 0; i <= na; i++)
		d[i][0] = (unsigned char)i;
	for (j = 0; j <= nb; j++)
		d[0][j] = (unsigned char)j;
	for (i = 1; i <= na; i++) {
		for (j = 1; j <= nb; j++) {
			unsigned v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);

			if (d[i - 1][j] + 1u < v)
				v = d[i - 1][j] + 1u;
			if (d[i][j - 1] + 1u < v)
				v = d[i][j - 1] + 1u;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1u < v)
				v = d[i - 2][j - 2] + 1u;
			d[i][j] = (unsigned char)v;
		}
	}
	return d[na][nb];
}

/* Appends "--name" to out (", " or " or " between names). */
static void add_name(char *out, size_t n, const char *sep, const char *name)
{
	size_t k = strlen(out);

	snprintf(out + k, n - k, "%s--%s", k ? sep : "", name);
}

/* The options of the table a mistyped long option most likely meant: those nearest by edit
 * distance, at most 2 edits (1 for a name of four letters or fewer, where 2 would fit anything);
 * else the longest name the word begins with ("--no-sandboxing"). Empty when none is near. */
static void near_misses(const char *word, size_t len, char *out, size_t n)
{
	size_t i, best = SIZE_MAX, longest = 0;

	out[0] = '\0';
	for (i = 0; i < NOPTS; i++) {
		size_t nl = strlen(opts[i].name), d = edit_distance(word, len, opts[i].name, nl);

		if (d <= (nl > 4 ? 2u : 1u) && d < best)
			best = d;
	}
	for (i = 0; i < NOPTS; i++) {
		size_t nl = strlen(opts[i].name);

		if (best != SIZE_MAX) {
			if (edit_distance(word, len, opts[i].name, nl) == best)
				add_name(out, n, " or ", opts[i].name);
		} else if (nl < len && nl > longest && strncmp(word, opts[i].name, nl) == 0) {
			longest = nl;
			out[0] = '\0';
			add_name(out, n, "", opts[i].name);
		}
	}
}

/* Says what getopt_long refused ('?' or ':' for a missing argument), always as "dartscan: ",
 * never with argv[0]'s path (getopt's own messages are off): an unknown option, with the option
 * of the table it was most likely meant to be; an abbreviation that fits several; a missing or
 * unwanted argument. word is the argument getopt_long was reading. */
static void say_refused(int c, const char *word)
{
	const struct cli_opt *o = optopt ? find_opt(optopt) : NULL;
	int is_long = word && strncmp(word, "--", 2) == 0;
	char names[512], shown[40];

	if (o && (c == ':' || !is_long)) {
		if (is_long)
			snprintf(shown, sizeof shown, "--%s", o->name);
		else
			snprintf(shown, sizeof shown, "-%c", o->key);
		cli_warn("option '%s' needs an argument", shown);
	} else if (o) {
		cli_warn("option '--%s' takes no argument", o->name);
	} else if (!is_long) {
		cli_warn("unknown option '-%c'", optopt);
	} else {
		const char *name = word + 2;
		size_t len = strcspn(name, "="), i;

		names[0] = '\0';
		for (i = 0; i < NOPTS; i++) /* getopt_long takes a prefix that fits one option only */
			if (strncmp(name, opts[i].name, len) == 0)
				add_name(names, sizeof names, ", ", opts[i].name);
		if (len > 0 && strchr(names, ',') != NULL) {
			cli_warn("option '--%.*s' is ambiguous: %s", (int)len, name, names);
			return;
		}
		near_misses(name, len, names, sizeof names);
		if (names[0])
			cli_warn("unknown option '--%.*s'; did you mean %s?", (int)len, name, names);
		else
			cli_warn("unknown option '--%.*s'", (int)len, name);
	}
}

/* ---- parsing ---- */

static void set_number(struct options *op, int key, unsigned long long v)
{
	switch (key) {
	case 'j': op->jobs = (int)v; break;
	case OPT_UNEXPLAINED: op->scan.unexplained = (int)v; break;
	case OPT_MAX_MEMORY: op->sandbox.max_memory = v; break;
	case OPT_MAX_SECONDS: op->sandbox.max_seconds = (unsigned)v; break;
	case OPT_EVIDENCE: op->scan.copts.evidence = (int)v; break;
	case OPT_TRANSIENT: op->scan.copts.transient_s = (long)v; break;
	case OPT_MAX_TOTAL: op->scan.blim.max_total = v; break;
	case OPT_MAX_ENTRY: op->scan.blim.max_entry = v; break;
	case OPT_MAX_RECORD: op->scan.max_record = (size_t)v; break;
	case OPT_MAX_RATIO: op->scan.blim.max_ratio = (unsigned)v; break;
	case OPT_MAX_DEPTH: op->scan.blim.max_depth = (int)v; break;
	case OPT_MAX_ENTRIES: op->scan.blim.max_entries = (unsigned long)v; break;
	default: break;
	}
}

static int set_level(int *out, const char *opt, const char *arg, int lowest)
{
	*out = severity_parse(arg);
	if (*out < lowest) {
		cli_warn("%s: unknown level '%s'", opt, arg);
		return -1;
	}
	return 0;
}

static int set_color(struct options *op, const char *arg)
{
	if (strcmp(arg, "auto") == 0)
		op->color = -1;
	else if (strcmp(arg, "always") == 0)
		op->color = 1;
	else if (strcmp(arg, "never") == 0)
		op->color = 0;
	else {
		cli_warn("--color: expected auto, always or never, not '%s'", arg);
		return -1;
	}
	return 0;
}

/* After -h or --version: exit 0 once standard output took it all; a reader that went away ends
 * the run as SIGPIPE ends a filter (SIGPIPE itself is ignored by now), a full disk is exit 2. */
static void exit_printed(void) __attribute__((noreturn));
static void exit_printed(void)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		exit(0);
	if (errno == EPIPE)
		output_die_quietly();
	cli_warn("standard output: write error: %s", strerror(errno ? errno : EIO));
	exit(2);
}

/* The options with a value to check or more than a field to set. */
static int take_special(struct options *op, int key, const char *arg)
{
	switch (key) {
	case 'R':
		if (op->nrules_dirs == RULE_LAYERS) {
			cli_warn("-R: at most %d rule directories", RULE_LAYERS);
			return -1;
		}
		op->rules_dirs[op->nrules_dirs++] = arg;
		op->rules_dir = op->rules_dirs[0];
		return 0;
	case 'h': help(stdout); exit_printed();
	case OPT_VERSION: printf("dartscan %s\n", DS_VERSION); exit_printed();
	case OPT_FAIL_ON: return set_level(&op->fail_on, "--fail-on", arg, SEV_NONE + 1);
	case OPT_MIN_SEVERITY: return set_level(&op->min_severity, "--min-severity", arg, SEV_NONE);
	case OPT_GROUP_BY:
		if ((op->group_by = group_by_parse(arg)) < 0) {
			cli_warn("--group-by: expected root-cause, org or network, not '%s'", arg);
			return -1;
		}
		return 0;
	case OPT_SINCE:
	case OPT_UNTIL:
		if (timefmt_parse_user(arg, key == OPT_SINCE ? &op->scan.copts.since : &op->scan.copts.until)) {
			cli_warn("%s: expected YYYY-MM-DD[THH:MM[:SS]], not '%s'", key == OPT_SINCE ? "--since" : "--until",
			         arg);
			return -1;
		}
		return 0;
	case OPT_COLOR: return set_color(op, arg);
	default: return 1; /* not special */
	}
}

static void take_plain(struct options *op, int key, const char *arg)
{
	switch (key) {
	case 'r': op->recursive = 1; break;
	case 'q': op->quiet = 1; break;
	case 'f': op->format = arg; break;
	case 'o': op->output = arg; break;
	case OPT_EXPECT: op->expect = arg; break;
	case OPT_EXPLAIN: op->explain = arg; break;
	case OPT_REDACT: op->redact = 1; break;
	case OPT_PCAP: op->scan.pcap = arg; break;
	case OPT_PASSPHRASE_FILE: op->passphrase_file = arg; break;
	case OPT_REDACT_MAP: op->redact_map = arg; op->redact = 1; break;
	case OPT_UPDATE_EXPECT: op->update_expect = 1; break;
	case OPT_NO_SANDBOX: op->sandbox.off = 1; break;
	case OPT_BASELINE: op->baseline = arg; break;
	case OPT_UTC: op->utc = 1; break;
	case OPT_CONFIG: op->config = arg; break;
	case OPT_TIMELINE: op->timeline = 1; break;
	default: break;
	}
}

int parse_args(int argc, char **argv, struct options *op)
{
	struct option longs[NOPTS + 1];
	char shorts[2 * NOPTS + 2];
	size_t i, k = 0;
	int c;

	memset(longs, 0, sizeof longs);
	shorts[k++] = ':'; /* a missing argument is ':', not '?' */
	for (i = 0; i < NOPTS; i++) {
		longs[i].name = opts[i].name;
		longs[i].has_arg = opts[i].arg ? required_argument : no_argument;
		longs[i].val = opts[i].key;
		if (opts[i].key < 256) {
			shorts[k++] = (char)opts[i].key;
			if (opts[i].arg)
				shorts[k++] = ':';
		}
	}
	shorts[k] = '\0';
	opterr = 0; /* its messages name argv[0]; say_refused names dartscan */
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		const struct cli_opt *o = c == '?' || c == ':' ? NULL : find_opt(c);
		unsigned long long v;
		int rc;

		if (o == NULL) {
			say_refused(c, optind > 0 && optind <= argc ? argv[optind - 1] : NULL);
			cli_usage(stderr);
			return -1;
		}
		if (o->numeric) {
			if (parse_number(o, optarg, &v))
				return -1;
			set_number(op, c, v);
		} else if ((rc = take_special(op, c, optarg)) < 0) {
			return -1;
		} else if (rc > 0) {
			take_plain(op, c, optarg);
		}
	}
	return 0;
}

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

int cli_check_scan(struct options *op, int nargs, int build)
{
	if (nargs == 0 && op->expect == NULL) {
		cli_usage(stderr);
		return -1;
	}
	if (op->scan.pcap && nargs != 1) {
		cli_warn("--pcap goes with exactly one bundle");
		return -1;
	}
	if (op->update_expect && op->expect == NULL) {
		cli_warn("--update-expect needs --expect FILE");
		return -1;
	}
	return build ? check_build_baseline(op) : 0;
}
