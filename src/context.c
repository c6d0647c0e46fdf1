/* context: small JSON and XML files read whole (they are bounded by CONTEXT_FILE_MAX), parsed
 * once per bundle. libxml2 is used with the network and entity expansion off: a profile from a
 * customer must not fetch anything or grow without bound. */
#include "context.h"

#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <stdlib.h>
#include <string.h>

#define LOG_PLUGIN "cscumbrellaplugin.txt"
#define LOG_EVENTS "Umbrella.txt"
static const char *const expected_names[N_EXPECTED] = {LOG_PLUGIN, LOG_EVENTS, "OrgInfo.json", "SWGConfig.json",
                                                       "swg_org_config.flag"};
const char *const context_module_logs[] = {LOG_PLUGIN, LOG_EVENTS, NULL};

const char *file_status_name(int st)
{
	switch (st) {
	case FS_OK: return "present";
	case FS_EMPTY: return "empty";
	case FS_UNREADABLE: return "unreadable";
	case FS_TOO_BIG: return "too-big";
	case FS_UNREAD: return "unread";
	default: return "missing";
	}
}

void context_init(struct context *c)
{
	size_t i;

	memset(c, 0, sizeof *c);
	c->swg_maxdebug = -1;
	for (i = 0; i < N_EXPECTED; i++)
		c->expected[i].base = expected_names[i];
}

void context_reset(struct context *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->files[i].name);
		free(c->files[i].data);
		free(c->files[i].why);
	}
	free(c->files);
	for (i = 0; i < N_EXPECTED; i++) {
		free(c->expected[i].entry);
		free(c->expected[i].why);
		strv_free(c->expected[i].parts, c->expected[i].nparts);
	}
	free(c->org_id);
	free(c->fail_open);
	free(c->swg_domain);
	free(c->swg_anycast);
	free(c->swg_honor_tnd);
	free(c->product);
	for (i = 0; i < c->nvals; i++) {
		free(c->vals[i].name);
		free(c->vals[i].value);
	}
	free(c->vals);
	netinfo_reset(&c->net);
	context_init(c);
}

int context_wants(const struct ruleset *rs, const char *base)
{
	size_t i, j;

	if (glob_match_ci("OrgInfo.json", base) || glob_match_ci("SWGConfig.json", base) ||
	    glob_match_ci("swg_org_config.flag", base) || glob_match_ci(NETINFO_GLOB, base))
		return 1;
	for (i = 0; i < rs->n; i++)
		for (j = 0; j < rs->rules[i].nchecks; j++)
			if (rs->rules[i].checks[j].kind != CHECK_FILE && rs->rules[i].checks[j].file &&
			    glob_match_ci(rs->rules[i].checks[j].file, base))
				return 1;
	return 0;
}

void context_add_file(struct context *c, const char *name, const char *data, size_t len, int status,
                      const char *why)
{
	struct ctx_file *f;

	c->files = xgrow(c->files, &c->cap, c->n + 1, sizeof *c->files);
	f = &c->files[c->n++];
	memset(f, 0, sizeof *f);
	f->name = xstrdup(name);
	f->status = status;
	f->why = why ? xstrdup(why) : NULL;
	if (data && status == FS_OK) {
		if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
			data += 3, len -= 3;
		f->data = xmalloc(len + 1);
		memcpy(f->data, data, len);
		f->data[len] = '\0';
		f->len = len;
	}
}

static void set_found(struct expected_file *e, const char *name, unsigned long long bytes, int status,
                      const char *why)
{
	free(e->entry);
	free(e->why);
	e->entry = xstrdup(name);
	e->bytes = bytes;
	e->status = bytes == 0 && status == FS_OK ? FS_EMPTY : status;
	e->why = why ? xstrdup(why) : NULL;
}

void context_note_log(struct context *c, const char *name, const char *log, unsigned long long bytes, int status,
                      const char *why)
{
	const char *base = base_name(name);
	size_t i;

	for (i = 0; i < N_EXPECTED; i++) {
		struct expected_file *e = &c->expected[i];

		if (!glob_match_ci(e->base, log ? log : base))
			continue;
		if (log) {
			e->parts = xrealloc(e->parts, (e->nparts + 1) * sizeof *e->parts);
			e->parts[e->nparts++] = xstrdup(name);
		}
		/* the first copy found wins, but the log itself wins over its rotated parts; a second
		 * copy of the same name is a duplicate, not a replacement */
		if (e->entry == NULL ||
		    (glob_match_ci(e->base, base) && !glob_match_ci(e->base, base_name(e->entry))))
			set_found(e, name, bytes, status, why);
	}
	/* Secure Client 5 succeeds AnyConnect 4 and an upgrade leaves the old folder: the newer wins.
	 * macOS and Linux install under /opt/cisco/secureclient or /opt/cisco/anyconnect [inferred]. */
	if ((strcasestr(name, "Cisco Secure Client") != NULL || strcasestr(name, "cisco/secureclient/") != NULL) &&
	    (c->product == NULL || strcmp(c->product, "Cisco Secure Client") != 0)) {
		free(c->product);
		c->product = xstrdup("Cisco Secure Client");
	} else if (c->product == NULL &&
	           (strcasestr(name, "Cisco AnyConnect") != NULL || strcasestr(name, "cisco/anyconnect/") != NULL)) {
		c->product = xstrdup("Cisco AnyConnect Secure Mobility Client");
	}
}

void context_note_entry(struct context *c, const char *name, unsigned long long bytes, int status,
                        const char *why)
{
	context_note_log(c, name, NULL, bytes, status, why);
}

void context_mark_unread(struct context *c, const char *why)
{
	size_t i;

	for (i = 0; i < N_EXPECTED; i++)
		if (c->expected[i].status == FS_MISSING) {
			c->expected[i].status = FS_UNREAD;
			free(c->expected[i].why);
			c->expected[i].why = xasprintf("not in the part of the bundle that could be read (%s)", why);
		}
}

const char *context_unread_why(const struct context *c, const char *glob)
{
	size_t i;

	for (i = 0; i < N_EXPECTED; i++)
		if (c->expected[i].status == FS_UNREAD &&
		    (glob_match_ci(glob, c->expected[i].base) || glob_match_ci(c->expected[i].base, glob)))
			return c->expected[i].why;
	return NULL;
}

char *context_not_dart_why(void)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	buf_adds(&b, "not a DART bundle: none of");
	for (i = 0; i < N_EXPECTED; i++)
		buf_printf(&b, "%s %s", i ? "," : "", expected_names[i]);
	buf_adds(&b, " and no product folder");
	return buf_steal(&b);
}

int context_is_dart(const struct context *c)
{
	size_t i;

	for (i = 0; i < N_EXPECTED; i++)
		if (c->expected[i].entry != NULL)
			return 1;
	return c->product != NULL;
}

static const struct ctx_file *find_file(const struct context *c, const char *glob)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (glob_match_ci(glob, base_name(c->files[i].name)))
			return &c->files[i];
	return NULL;
}

/* Follows a dotted path ("orgConfig.failOpen") through objects. */
static json_t *json_path(json_t *root, const char *path)
{
	char *copy = xstrdup(path), *save = NULL, *part;
	json_t *v = root;

	for (part = strtok_r(copy, ".", &save); part && v; part = strtok_r(NULL, ".", &save))
		v = json_is_object(v) ? json_object_get(v, part) : NULL;
	free(copy);
	return v;
}

/* A scalar as text: strings as they are, numbers and booleans as JSON writes them. */
static char *json_text(json_t *v)
{
	if (v == NULL || json_is_null(v))
		return NULL;
	if (json_is_string(v))
		return xstrndup(json_string_value(v), json_string_length(v));
	if (json_is_integer(v))
		return xasprintf("%lld", (long long)json_integer_value(v));
	if (json_is_real(v))
		return xasprintf("%g", json_real_value(v));
	if (json_is_true(v))
		return xstrdup("true");
	if (json_is_false(v))
		return xstrdup("false");
	return json_dumps(v, JSON_COMPACT);
}

/* One reading of JSON for the context and the checks alike: a duplicate key is not valid JSON
 * (which of the two would a client use?). */
static json_t *parse_json(const struct ctx_file *f, json_error_t *je)
{
	return json_loadb(f->data, f->len, JSON_REJECT_DUPLICATES, je);
}

/* Parses a kept JSON file; one that does not parse is marked unreadable in the expected-file
 * list, with the parser's line and reason: "not valid JSON" must not look like "absent". */
static json_t *load_json(struct context *c, const struct ctx_file *f)
{
	json_error_t je;
	json_t *j;
	size_t i;

	if (f == NULL || f->data == NULL)
		return NULL;
	j = parse_json(f, &je);
	for (i = 0; j == NULL && i < N_EXPECTED; i++) {
		struct expected_file *e = &c->expected[i];

		if (e->entry && strcmp(e->entry, f->name) == 0 && e->status == FS_OK) {
			e->status = FS_UNREADABLE;
			free(e->why);
			e->why = xasprintf("not valid JSON (line %d: %s)", je.line, je.text);
		}
	}
	return j;
}

static size_t described(const struct netinfo *ni)
{
	size_t i, n = 0;

	for (i = 0; i < ni->n; i++)
		n += ni->a[i].description != NULL;
	return n;
}

static void parse_network(struct context *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		struct netinfo ni;

		if (c->files[i].data == NULL || !glob_match_ci(NETINFO_GLOB, base_name(c->files[i].name)) ||
		    netinfo_parse(c->files[i].name, c->files[i].data, c->files[i].len, &ni) != 0)
			continue;
		if (c->net.entry == NULL || described(&ni) > described(&c->net) ||
		    (described(&ni) == described(&c->net) && ni.n > c->net.n)) {
			netinfo_reset(&c->net);
			c->net = ni;
		} else {
			netinfo_reset(&ni);
		}
	}
}

void context_parse(struct context *c)
{
	json_t *j;
	const struct ctx_file *f;

	if ((j = load_json(c, find_file(c, "OrgInfo.json"))) != NULL) {
		char *v;

		c->org_id = json_text(json_object_get(j, "organizationId"));
		if ((v = json_text(json_object_get(j, "userId"))) != NULL)
			context_put(c, CTX_USER_ID, v);
		free(v);
		if ((v = json_text(json_object_get(j, "fingerprint"))) != NULL)
			context_put(c, CTX_FINGERPRINT, v);
		free(v);
		json_decref(j);
	}
	if ((j = load_json(c, find_file(c, "SWGConfig.json"))) != NULL) {
		json_t *oc = json_object_get(j, "orgConfig");

		if (!json_is_object(oc))
			oc = j;
		c->fail_open = json_text(json_object_get(oc, "failOpen"));
		c->swg_domain = json_text(json_object_get(oc, "swgDomain"));
		c->swg_anycast = json_text(json_object_get(oc, "swgAnycast"));
		c->swg_honor_tnd = json_text(json_object_get(oc, "swgHonorTND"));
		json_decref(j);
	}
	parse_network(c);
	f = find_file(c, "swg_org_config.flag");
	if ((j = load_json(c, f)) != NULL) {
		char *lv = json_text(json_object_get(j, "logLevel"));

		c->swg_maxdebug = lv != NULL && strcmp(lv, "1") == 0;
		free(lv);
		json_decref(j);
	} else if (f != NULL) {
		c->swg_maxdebug = 0;
	}
}

void context_set(struct context *c, const char *name, const char *value)
{
	if (context_value(c, name) != NULL)
		return;
	c->vals = xgrow(c->vals, &c->capvals, c->nvals + 1, sizeof *c->vals);
	c->vals[c->nvals].name = xstrdup(name);
	c->vals[c->nvals++].value = xstrdup(value);
}

void context_add_list(struct context *c, const char *name, const char *value)
{
	size_t i;

	for (i = 0; i < c->nvals; i++)
		if (strcmp(c->vals[i].name, name) == 0) {
			list_add(&c->vals[i].value, value);
			return;
		}
	context_set(c, name, value);
}

/* Where an SWG capture should look, most telling first: the addresses the failures name, the one
 * the agent resolved, the anycast. As a list and as a Wireshark display filter. */
void context_derive(struct context *c)
{
	const char *src[3];
	char *addrs = NULL, *p, *save = NULL;
	struct buf f;
	size_t i;

	src[0] = context_get(c, CTX_SWG_FAILING_ADDRESSES);
	src[1] = context_get(c, CTX_SWG_PROXY_IP);
	src[2] = c->swg_anycast;
	for (i = 0; i < 3; i++) {
		char *copy;

		if (src[i] == NULL)
			continue;
		copy = xstrdup(src[i]);
		for (p = strtok_r(copy, ", ", &save); p; p = strtok_r(NULL, ", ", &save))
			list_add(&addrs, p);
		free(copy);
	}
	if (addrs == NULL)
		return;
	context_put(c, CTX_SWG_PROXY_ADDRESSES, addrs);
	buf_init(&f);
	for (p = strtok_r(addrs, ", ", &save); p; p = strtok_r(NULL, ", ", &save)) {
		size_t n = strlen(p);

		if (p[0] == '[' && n > 2 && p[n - 1] == ']')
			p[n - 1] = '\0', p++;
		buf_printf(&f, "%s%s == %s", f.len ? " or " : "", strchr(p, ':') ? "ipv6.addr" : "ip.addr", p);
	}
	context_put(c, CTX_SWG_CAPTURE_FILTER, f.p);
	buf_reset(&f);
	free(addrs);
}

const char *context_get(const struct context *c, enum ctx_key k)
{
	return context_value(c, ctx_keys[k].name);
}

void context_put(struct context *c, enum ctx_key k, const char *value)
{
	context_set(c, ctx_keys[k].name, value);
}

const char *context_value(const struct context *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nvals; i++)
		if (strcmp(c->vals[i].name, name) == 0)
			return c->vals[i].value;
	if (strcmp(name, "orgId") == 0)
		return c->org_id;
	if (strcmp(name, "failOpen") == 0)
		return c->fail_open;
	if (strcmp(name, "swgDomain") == 0)
		return c->swg_domain;
	if (strcmp(name, "swgAnycast") == 0)
		return c->swg_anycast;
	if (strcmp(name, "swgHonorTND") == 0)
		return c->swg_honor_tnd;
	if (strcmp(name, "product") == 0)
		return c->product;
	return NULL;
}

static int compare_value(int op, const char *have, const char *want)
{
	if (op == OP_EQ)
		return have != NULL && strcmp(have, want) == 0;
	if (op == OP_NE)
		return have == NULL || strcmp(have, want) != 0;
	if (op == OP_MATCH && have != NULL) {
		int ec, rc;
		PCRE2_SIZE eo;
		pcre2_code *re = pcre2_compile((PCRE2_SPTR)want, PCRE2_ZERO_TERMINATED, 0, &ec, &eo, NULL);
		pcre2_match_data *md;

		if (re == NULL)
			return 0;
		md = pcre2_match_data_create_from_pattern(re, NULL);
		rc = pcre2_match(re, (PCRE2_SPTR)have, strlen(have), 0, 0, md, NULL);
		pcre2_match_data_free(md);
		pcre2_code_free(re);
		return rc >= 0;
	}
	return 0;
}

/* libxml2 prints some errors (encodings, XPath) and its write errors ("I/O error : Broken pipe", the
 * JUnit writer's) itself, whatever the parse options say; a customer's file must not reach the
 * terminal, and our own errors are said once, by us. */
static void xml_quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static void xml_quiet_structured(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	(void)e;
}

void context_quiet_xml(void)
{
	xmlThrDefSetGenericErrorFunc(NULL, xml_quiet);
	xmlThrDefSetStructuredErrorFunc(NULL, xml_quiet_structured);
	xmlSetGenericErrorFunc(NULL, xml_quiet);
	xmlSetStructuredErrorFunc(NULL, xml_quiet_structured);
}

/* Reads one XPath value of an XML file; NULL when absent. Network and entities stay off. */
static char *xml_value(const struct ctx_file *f, const char *xpath, char **why)
{
	xmlDocPtr doc;
	xmlXPathContextPtr xc;
	xmlXPathObjectPtr xo;
	char *out = NULL;

	context_quiet_xml(); /* this thread's too: the fuzz target and the unit tests never run setup_process */
	doc = xmlReadMemory(f->data, (int)f->len, f->name, NULL,
	                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc == NULL) {
		*why = xasprintf("%s is not well-formed XML", f->name);
		return NULL;
	}
	xc = xmlXPathNewContext(doc);
	xo = xc ? xmlXPathEvalExpression((const xmlChar *)xpath, xc) : NULL;
	if (xo && xo->type == XPATH_NODESET && xo->nodesetval && xo->nodesetval->nodeNr > 0) {
		xmlChar *s = xmlNodeGetContent(xo->nodesetval->nodeTab[0]);

		out = xstrdup(s ? (const char *)s : "");
		xmlFree(s);
	} else if (xo && xo->type == XPATH_STRING && xo->stringval && xo->stringval[0]) {
		out = xstrdup((const char *)xo->stringval);
	}
	xmlXPathFreeObject(xo);
	xmlXPathFreeContext(xc);
	xmlFreeDoc(doc);
	return out;
}

static int check_file(const struct context *c, const struct check *ck, char **why)
{
	size_t i;

	for (i = 0; i < N_EXPECTED; i++) {
		const struct expected_file *e = &c->expected[i];

		if (!glob_match_ci(ck->file, e->base) && !glob_match_ci(e->base, ck->file))
			continue;
		if (ck->op == OP_MISSING && e->status == FS_MISSING) {
			*why = xasprintf("%s is not in the bundle", ck->file);
			return 1;
		}
		if (ck->op == OP_EMPTY && e->status == FS_EMPTY) {
			*why = xasprintf("%s is empty", e->entry);
			return 1;
		}
		return 0;
	}
	for (i = 0; i < c->n; i++)
		if (glob_match_ci(ck->file, base_name(c->files[i].name)))
			return ck->op == OP_EMPTY && c->files[i].len == 0;
	if (ck->op == OP_MISSING) {
		*why = xasprintf("%s is not in the bundle", ck->file);
		return 1;
	}
	return 0;
}

/* Evaluates a json/xml check on one kept file. Returns 1 when it holds (why set). */
static int check_one(const struct ctx_file *f, const struct check *ck, char **why)
{
	char *have = NULL;
	int holds;

	if (f->data == NULL) {
		/* a value cannot be present in a file that could not be read */
		if (ck->op == OP_ABSENT || ck->op == OP_NE) {
			*why = xasprintf("%s is %s", f->name, f->why ? f->why : file_status_name(f->status));
			return 1;
		}
		return 0;
	}
	if (ck->kind == CHECK_JSON) {
		json_error_t je;
		json_t *j = parse_json(f, &je);

		if (j == NULL) {
			if (ck->op == OP_ABSENT || ck->op == OP_NE) {
				*why = xasprintf("%s is not valid JSON (line %d: %s)", f->name, je.line, je.text);
				return 1;
			}
			return 0;
		}
		have = json_text(json_path(j, ck->path));
		json_decref(j);
	} else {
		char *xwhy = NULL;

		have = xml_value(f, ck->path, &xwhy);
		if (xwhy) {
			if (ck->op == OP_ABSENT || ck->op == OP_NE) {
				*why = xwhy;
				return 1;
			}
			free(xwhy);
			return 0;
		}
	}
	if (ck->op == OP_ABSENT)
		holds = have == NULL;
	else if (ck->op == OP_PRESENT)
		holds = have != NULL;
	else
		holds = compare_value(ck->op, have, ck->value);
	if (holds)
		*why = have ? xasprintf("%s: %s is %s", f->name, ck->path, have)
		            : xasprintf("%s has no %s", f->name, ck->path);
	free(have);
	return holds;
}

/* The DNS servers of an adapter that are not the loopback, ", "-joined; NULL when none. */
static char *foreign_dns(const struct net_adapter *a)
{
	char *list = NULL;
	size_t i;

	for (i = 0; i < a->dns.n; i++)
		if (!netinfo_is_loopback(a->dns.v[i]))
			list_add(&list, a->dns.v[i]);
	return list;
}

/* "adapter [dns] ~ REGEX": the first adapter whose name or description matches (and, with dns,
 * that holds a DNS server other than the loopback); the why cites it and its DNS line. */
static int check_adapter(const struct context *c, const struct check *ck, char **why)
{
	size_t i;

	for (i = 0; i < c->net.n; i++) {
		const struct net_adapter *a = &c->net.a[i];
		char *dns;

		if (!compare_value(OP_MATCH, a->name, ck->value) &&
		    !(a->description && compare_value(OP_MATCH, a->description, ck->value)))
			continue;
		dns = foreign_dns(a);
		if (ck->dns && dns == NULL)
			continue;
		if (dns)
			*why = xasprintf("%s:%lu: %s (%s, line %lu) has DNS servers %s", c->net.entry, a->dns_line,
			                 a->description ? a->description : a->name, a->name, a->line, dns);
		else
			*why = xasprintf("%s:%lu: %s%s%s%s", c->net.entry, a->line, a->name, a->description ? " (" : "",
			                 a->description ? a->description : "", a->description ? ")" : "");
		free(dns);
		return 1;
	}
	return 0;
}

/* "module missing|present": any file of the roaming module, or a log that carries its lines in a
 * format dartscan does not read (CTX_MODULE_LOG_UNREAD), shows the module is installed. */
static int check_module(const struct context *c, const struct check *ck, char **why)
{
	size_t i;
	int present = context_get(c, CTX_MODULE_LOG_UNREAD) != NULL;

	for (i = 0; i < N_EXPECTED && !present; i++)
		present = c->expected[i].entry != NULL || c->expected[i].status == FS_UNREAD;
	if (ck->op == OP_PRESENT)
		return present;
	if (!present) {
		struct buf b;

		buf_init(&b);
		buf_adds(&b, "none of ");
		for (i = 0; i < N_EXPECTED; i++)
			buf_printf(&b, "%s%s", i ? ", " : "", c->expected[i].base);
		buf_adds(&b, " is in the bundle, nor a log with the module's lines");
		*why = buf_steal(&b);
	}
	return !present;
}

int context_check(const struct context *c, const struct check *ck, char **why)
{
	size_t i, seen = 0;
	int negative = ck->op == OP_ABSENT || ck->op == OP_NE;

	*why = NULL;
	if (ck->kind == CHECK_FILE)
		return check_file(c, ck, why);
	if (ck->kind == CHECK_ADAPTER)
		return check_adapter(c, ck, why);
	if (ck->kind == CHECK_MODULE)
		return check_module(c, ck, why);
	if (ck->kind == CHECK_STALE)
		return 0; /* it needs the logs' times: correlate evaluates it */
	/* every file the glob takes: a positive check holds when one file shows it, a negative one
	 * (absent, !=) only when none contradicts it */
	for (i = 0; i < c->n; i++) {
		char *w = NULL;
		int h;

		if (!glob_match_ci(ck->file, base_name(c->files[i].name)))
			continue;
		seen++;
		h = check_one(&c->files[i], ck, &w);
		if (h && !negative) {
			*why = w;
			return 1;
		}
		if (!h && negative) {
			free(w);
			free(*why);
			*why = NULL;
			return 0;
		}
		if (h && *why == NULL)
			*why = w;
		else
			free(w);
	}
	if (seen == 0 && negative) {
		*why = xasprintf("%s is not in the bundle", ck->file);
		return 1;
	}
	return seen > 0 && negative;
}
