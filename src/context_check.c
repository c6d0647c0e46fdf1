/* context_check: a rule's check (file, json, xml, adapter, module) weighed against the bundle's kept
 * files, with the reason it holds or not. XML is read with the network and entity expansion off. */
#include "context.h"
#include "context_in.h"

#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <stdlib.h>
#include <string.h>

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
		json_t *j = context_parse_json(f, &je);

		if (j == NULL) {
			if (ck->op == OP_ABSENT || ck->op == OP_NE) {
				*why = xasprintf("%s is not valid JSON (line %d: %s)", f->name, je.line, je.text);
				return 1;
			}
			return 0;
		}
		have = context_json_text(context_json_path(j, ck->path));
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
