/* redact: known values first (the host name and ids the bundle states about itself), then
 * patterns (user folders, e-mail addresses, IPv4/IPv6 addresses, private domains). Allow-lists
 * keep the public cloud addresses and the product's own names readable. */
#include "redact.h"
#include "result.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum kind { K_HOST = 0, K_USER, K_IP, K_ORG, K_ID, K_EMAIL, K_DOMAIN, K_NKINDS };
static const char *const kind_names[K_NKINDS] = {"host", "user", "ip", "org", "id", "email", "domain"};

struct token {
	int kind;
	char *value;
	char *token;
};

struct redactor {
	struct token *t;
	size_t n, cap;
	unsigned counts[K_NKINDS];
	pcre2_code *re[5];
	pcre2_match_data *md;
	char *evidence_ips; /* a copy of the bundle's failing proxy addresses (", "-separated), or NULL */
};

/* user folders, e-mail, IPv4, IPv6, domains -- the earliest match wins, ties in this order */
static const char *const patterns[5] = {
    "(?i)(?:[a-z]:\\\\(?:users|documents and settings)\\\\|/users/|/home/|\\b(?-i:[A-Z][A-Z0-9-]{1,14})\\\\)(?<v>[^\\\\/\\s:\"'()]+)",
    "(?i)\\b(?<v>[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,})\\b",
    "(?<![0-9.])(?<![Vv]ersion )(?<![Vv]ersion: )(?<v>(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3})(?![0-9]|\\.[0-9])",
    "(?i)(?<![0-9a-f:])(?<v>(?:[0-9a-f]{1,4}:){2,7}[0-9a-f]{0,4}(?::[0-9a-f]{1,4})*)(?![0-9a-f:])",
    "(?i)(?<![a-z0-9.@-])(?<v>(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.){2,}(?:com|net|org|local|lan|corp|internal|intra|edu|gov|mil|io|[a-z]{2}))(?![a-z0-9-])",
};

struct redactor *redact_new(void)
{
	struct redactor *r = xcalloc(1, sizeof *r);
	int i, ec;
	PCRE2_SIZE eo;

	for (i = 0; i < 5; i++) {
		r->re[i] = pcre2_compile((PCRE2_SPTR)patterns[i], PCRE2_ZERO_TERMINATED, 0, &ec, &eo, NULL);
		if (r->re[i] == NULL)
			abort(); /* a bug in the constant patterns above, never in input */
	}
	r->md = pcre2_match_data_create(8, NULL);
	return r;
}

void redact_free(struct redactor *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++) {
		free(r->t[i].value);
		free(r->t[i].token);
	}
	free(r->t);
	for (i = 0; i < 5; i++)
		pcre2_code_free(r->re[i]);
	pcre2_match_data_free(r->md);
	free(r);
}

static unsigned octet(const char **p)
{
	unsigned v = 0;

	while (**p >= '0' && **p <= '9')
		v = v * 10 + (unsigned)(*(*p)++ - '0');
	if (**p == '.')
		(*p)++;
	return v;
}

/* Umbrella / Secure Access / OpenDNS ranges, loopback and the unspecified address: evidence. */
static int public_ipv4(const char *s, char *prefix, size_t n)
{
	unsigned a = octet(&s), b = octet(&s);

	prefix[0] = '\0';
	if (a == 10)
		snprintf(prefix, n, "10.x-");
	else if (a == 192 && b == 168)
		snprintf(prefix, n, "192.168.x-");
	else if (a == 172 && b >= 16 && b <= 31)
		snprintf(prefix, n, "172.x-");
	return (a == 208 && b == 67) || (a == 146 && b == 112) || (a == 155 && b == 190) || (a == 151 && b == 186) ||
	       (a == 67 && b == 215) || a == 127 || a == 0 || a == 255;
}

static int public_ipv6(const char *s)
{
	return strncasecmp(s, "2620:119:", 9) == 0 || strcmp(s, "::1") == 0 || strcmp(s, "::") == 0;
}

static const char *const public_suffixes[] = {".opendns.com", ".umbrella.com", ".cisco.com", ".microsoft.com",
                                              ".windows.com", ".digicert.com", ".amazonaws.com", NULL};

static const char *token_for(struct redactor *r, int kind, const char *v, size_t n, const char *prefix)
{
	size_t i;
	struct token *t;

	for (i = 0; i < r->n; i++)
		if (r->t[i].kind == kind && strlen(r->t[i].value) == n && strncasecmp(r->t[i].value, v, n) == 0)
			return r->t[i].token;
	r->t = xgrow(r->t, &r->cap, r->n + 1, sizeof *r->t);
	t = &r->t[r->n++];
	t->kind = kind;
	t->value = xstrndup(v, n);
	t->token = xasprintf("%s%s-%u", prefix ? prefix : "", kind == K_IP ? "ip" : kind_names[kind], ++r->counts[kind]);
	return t->token;
}

/* Learns a value the bundle states about itself, so it is replaced wherever it appears. */
static void learn(struct redactor *r, int kind, const char *v)
{
	if (v != NULL && strlen(v) >= 3)
		token_for(r, kind, v, strlen(v), NULL);
}

/* Replaces every learned value (case-insensitive) in s. */
static char *replace_known(const struct redactor *r, const char *s)
{
	struct buf b;
	const char *p = s;

	buf_init(&b);
	while (*p) {
		size_t i, best = 0;
		const struct token *hit = NULL;

		for (i = 0; i < r->n; i++) {
			size_t n = strlen(r->t[i].value);

			if (r->t[i].kind != K_IP && n > best && strncasecmp(p, r->t[i].value, n) == 0) {
				best = n;
				hit = &r->t[i];
			}
		}
		if (hit) {
			buf_adds(&b, hit->token);
			p += best;
		} else {
			buf_addc(&b, *p++);
		}
	}
	return buf_steal(&b);
}

/* The match of pattern k at or after off, with the "v" group's bounds; 0 when none. */
static int find(struct redactor *r, int k, const char *s, size_t len, size_t off, size_t *vs, size_t *ve)
{
	PCRE2_SIZE *ov;
	int num;

	if (pcre2_match(r->re[k], (PCRE2_SPTR)s, len, off, 0, r->md, NULL) < 0)
		return 0;
	ov = pcre2_get_ovector_pointer(r->md);
	num = pcre2_substring_number_from_name(r->re[k], (PCRE2_SPTR) "v");
	*vs = ov[2 * num];
	*ve = ov[2 * num + 1];
	return 1;
}

static int public_domain(const char *v, size_t n)
{
	int i;

	for (i = 0; public_suffixes[i]; i++) {
		size_t m = strlen(public_suffixes[i]);

		if (n > m && strncasecmp(v + n - m, public_suffixes[i], m) == 0)
			return 1;
	}
	return 0;
}

/* A token written by an earlier pass must not be taken for a new private value. */
static int is_token(const struct redactor *r, const char *v)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->t[i].token, v) == 0)
			return 1;
	return 0;
}

/* A public address the failures themselves name (an SWG proxy in a cloud region: AWS, say) is
 * evidence the engineer must be able to quote to the customer's firewall team. */
static int evidence_ip(const struct redactor *r, const char *v, const char *prefix)
{
	if (r->evidence_ips == NULL || prefix[0] != '\0' || strncmp(v, "169.254.", 8) == 0 || strncmp(v, "100.", 4) == 0)
		return 0;
	return list_has(r->evidence_ips, v);
}

/* Replaces what the patterns find; kept public values are copied as they are. */
static char *replace_patterns(struct redactor *r, const char *s)
{
	struct buf b;
	size_t len = strlen(s), pos = 0;

	buf_init(&b);
	while (pos < len) {
		size_t best_s = len, best_e = len, vs, ve;
		int k, best_k = -1;

		for (k = 0; k < 5; k++)
			if (find(r, k, s, len, pos, &vs, &ve) && vs < best_s) {
				best_s = vs;
				best_e = ve;
				best_k = k;
			}
		if (best_k < 0)
			break;
		buf_add(&b, s + pos, best_s - pos);
		{
			char *v = xstrndup(s + best_s, best_e - best_s);
			char prefix[32] = "";
			const char *tok = NULL;

			if (is_token(r, v))
				tok = NULL;
			else if (best_k == 0)
				tok = token_for(r, K_USER, v, strlen(v), NULL);
			else if (best_k == 1)
				tok = public_domain(strchr(v, '@'), strlen(strchr(v, '@'))) ? NULL
				                                                            : token_for(r, K_EMAIL, v, strlen(v), NULL);
			else if (best_k == 2)
				tok = public_ipv4(v, prefix, sizeof prefix) || evidence_ip(r, v, prefix)
				          ? NULL
				          : token_for(r, K_IP, v, strlen(v), prefix);
			else if (best_k == 3)
				tok = public_ipv6(v) || strchr(v, ':') == strrchr(v, ':') ? NULL
				                                                         : token_for(r, K_IP, v, strlen(v), "v6-");
			else
				tok = public_domain(v, strlen(v)) ? NULL : token_for(r, K_DOMAIN, v, strlen(v), NULL);
			buf_adds(&b, tok ? tok : v);
			free(v);
		}
		pos = best_e > best_s ? best_e : best_s + 1;
	}
	if (pos < len)
		buf_add(&b, s + pos, len - pos);
	return buf_steal(&b);
}

/* A new redacted copy of s. */
static char *redact_string(struct redactor *r, const char *s)
{
	char *a, *b;

	if (s == NULL)
		return NULL;
	a = replace_known(r, s);
	b = replace_patterns(r, a);
	free(a);
	return b;
}

static void redact_in_place(struct redactor *r, char **s)
{
	char *n;

	if (*s == NULL)
		return;
	n = redact_string(r, *s);
	free(*s);
	*s = n;
}

static void redact_events(struct redactor *r, struct scan_result *res)
{
	struct events *ev = &res->events;
	size_t i, k;

	for (i = 0; i < ev->n; i++) {
		for (k = 0; k < ev->v[i].nhead; k++)
			redact_in_place(r, &ev->v[i].head[k].text);
		for (k = 0; k < ev->v[i].ntail; k++)
			redact_in_place(r, &ev->v[i].tail[k].text);
		for (k = 0; k < ev->v[i].ncaps; k++)
			redact_in_place(r, &ev->v[i].caps[k].value);
	}
}

/* Context values about the product, not the customer: a version such as 5.1.4.74 must not be taken
 * for an IP address. */
static int describes_product(const char *name)
{
	return strcmp(name, "os") == 0 || strcmp(name, "client_version") == 0 || strcmp(name, "timezone") == 0 ||
	       strcmp(name, "collected_at") == 0 || strcmp(name, "collected_at_source") == 0 ||
	       strcmp(name, "vpn_products") == 0;
}

static void redact_list(struct redactor *r, struct net_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		redact_in_place(r, &l->v[i]);
}

/* The adapters' addresses and servers are the customer's network; their names may hold a user's. */
static void redact_network(struct redactor *r, struct netinfo *ni)
{
	size_t i;

	redact_in_place(r, &ni->entry);
	for (i = 0; i < ni->n; i++) {
		redact_in_place(r, &ni->a[i].name);
		redact_in_place(r, &ni->a[i].description);
		redact_list(r, &ni->a[i].addrs);
		redact_list(r, &ni->a[i].gateways);
		redact_list(r, &ni->a[i].dns);
	}
}

static void redact_ctx(struct redactor *r, struct scan_result *res)
{
	struct context *c = &res->ctx;
	size_t i;

	redact_in_place(r, &c->org_id);
	for (i = 0; i < N_EXPECTED; i++) {
		size_t k;

		redact_in_place(r, &c->expected[i].entry);
		for (k = 0; k < c->expected[i].nparts; k++)
			redact_in_place(r, &c->expected[i].parts[k]);
	}
	for (i = 0; i < c->nvals; i++)
		if (!describes_product(c->vals[i].name))
			redact_in_place(r, &c->vals[i].value);
	redact_network(r, &c->net);
}

/* Runs every string through the patterns once so that a user or host first seen late is known
 * before any string is rewritten: "jdoe" alone is replaced once "CORP\\jdoe" taught it. */
static void learn_all(struct redactor *r, const struct scan_result *res)
{
	size_t i, k;
	const struct events *ev = &res->events;

	for (i = 0; i < ev->n; i++) {
		for (k = 0; k < ev->v[i].nhead; k++)
			free(redact_string(r, ev->v[i].head[k].text));
		for (k = 0; k < ev->v[i].ntail; k++)
			free(redact_string(r, ev->v[i].tail[k].text));
	}
	for (i = 0; i < res->nentries; i++)
		free(redact_string(r, res->entries[i].name));
	for (i = 0; i < res->unx.n; i++)
		free(redact_string(r, res->unx.t[i].ex_text));
}

/* --explain quotes records and names entries, and its checks give reasons from the kept files. */
static void redact_explain(struct redactor *r, struct scan_result *res)
{
	struct explain *x = res->explain;
	size_t i;

	if (x == NULL)
		return;
	for (i = 0; i < x->n; i++)
		redact_in_place(r, &x->e[i].name);
	redact_in_place(r, &x->near_entry);
	redact_in_place(r, &x->near_text);
	redact_in_place(r, &x->first_match_entry);
	redact_in_place(r, &x->first_match_text);
	for (i = 0; x->check_why && i < x->rule->nchecks; i++)
		redact_in_place(r, &x->check_why[i]);
}

static void redact_problems(struct redactor *r, struct scan_result *res)
{
	size_t i;

	for (i = 0; i < res->nproblems; i++) {
		redact_in_place(r, &res->problems[i].entry);
		redact_in_place(r, &res->problems[i].msg);
	}
}

/* An entry's path may hold a user's name; its log is the name of a file the rules read, not the
 * customer's. */
static void redact_entries(struct redactor *r, struct scan_result *res)
{
	size_t i;

	for (i = 0; i < res->nentries; i++)
		redact_in_place(r, &res->entries[i].name);
}

static void redact_diag(struct redactor *r, struct scan_result *res)
{
	size_t i, k;

	for (i = 0; i < res->diag.nf; i++) {
		struct finding *f = &res->diag.f[i];

		redact_in_place(r, &f->title);
		redact_in_place(r, &f->remediation);
		redact_in_place(r, &f->why);
		redact_in_place(r, &f->capture_note);
		for (k = 0; k < f->nnext; k++)
			redact_in_place(r, &f->next[k]);
	}
}

static void redact_unx(struct redactor *r, struct scan_result *res)
{
	size_t i;

	for (i = 0; i < res->unx.n; i++) {
		redact_in_place(r, &res->unx.t[i].text); /* a constant token may be a host or a user */
		redact_in_place(r, &res->unx.t[i].ex_text);
	}
}

/* The rows with redact 1 in result.h, in its order. The verdict's reasons are not among them: they
 * are settled again from the rewritten result. */
void redact_result(struct redactor *r, struct scan_result *res)
{
	{
		const char *ips = context_get(&res->ctx, CTX_SWG_FAILING_ADDRESSES);

		r->evidence_ips = ips ? xstrdup(ips) : NULL;
	}
	learn(r, K_HOST, context_get(&res->ctx, CTX_HOST));
	learn(r, K_ORG, res->ctx.org_id);
	learn(r, K_ID, context_get(&res->ctx, CTX_USER_ID));
	learn(r, K_ID, context_get(&res->ctx, CTX_FINGERPRINT));
	learn_all(r, res);
#define REDACT_ROW(member, side, owns, utc, redact) RESULT_IF(redact, redact_##member(r, res);)
	SCAN_RESULT_FIELDS(REDACT_ROW)
#undef REDACT_ROW
	free(r->evidence_ips);
	r->evidence_ips = NULL;
}

int redact_write_map(const struct redactor *r, FILE *out)
{
	size_t i;

	fputs("# dartscan --redact map: private; keep it out of the case notes\n", out);
	for (i = 0; i < r->n; i++)
		fprintf(out, "%s\t%s\t%s\n", r->t[i].token, kind_names[r->t[i].kind], r->t[i].value);
	return ferror(out) ? -1 : 0;
}
