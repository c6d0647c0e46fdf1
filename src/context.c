/* context: small JSON and XML files read whole (they are bounded by CONTEXT_FILE_MAX), parsed
 * once per bundle. libxml2 is used with the network and entity expansion off: a profile from a
 * customer must not fetch anything or grow without bound. */
#include "context.h"
#include "context_in.h"

#include <jansson.h>
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

const struct ctx_file *context_find_file(const struct context *c, const char *glob)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (glob_match_ci(glob, base_name(c->files[i].name)))
			return &c->files[i];
	return NULL;
}

json_t *context_json_path(json_t *root, const char *path)
{
	char *copy = xstrdup(path), *save = NULL, *part;
	json_t *v = root;

	for (part = strtok_r(copy, ".", &save); part && v; part = strtok_r(NULL, ".", &save))
		v = json_is_object(v) ? json_object_get(v, part) : NULL;
	free(copy);
	return v;
}

char *context_json_text(json_t *v)
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

json_t *context_parse_json(const struct ctx_file *f, json_error_t *je)
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
	j = context_parse_json(f, &je);
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

	if ((j = load_json(c, context_find_file(c, "OrgInfo.json"))) != NULL) {
		char *v;

		c->org_id = context_json_text(json_object_get(j, "organizationId"));
		if ((v = context_json_text(json_object_get(j, "userId"))) != NULL)
			context_put(c, CTX_USER_ID, v);
		free(v);
		if ((v = context_json_text(json_object_get(j, "fingerprint"))) != NULL)
			context_put(c, CTX_FINGERPRINT, v);
		free(v);
		json_decref(j);
	}
	if ((j = load_json(c, context_find_file(c, "SWGConfig.json"))) != NULL) {
		json_t *oc = json_object_get(j, "orgConfig");

		if (!json_is_object(oc))
			oc = j;
		c->fail_open = context_json_text(json_object_get(oc, "failOpen"));
		c->swg_domain = context_json_text(json_object_get(oc, "swgDomain"));
		c->swg_anycast = context_json_text(json_object_get(oc, "swgAnycast"));
		c->swg_honor_tnd = context_json_text(json_object_get(oc, "swgHonorTND"));
		json_decref(j);
	}
	parse_network(c);
	f = context_find_file(c, "swg_org_config.flag");
	if ((j = load_json(c, f)) != NULL) {
		char *lv = context_json_text(json_object_get(j, "logLevel"));

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
