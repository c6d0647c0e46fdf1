/* netinfo: ipconfig and ipconfig /all output -> adapters. Decoding (BOM, UTF-16, CRLF) is
 * text.c's; this file only reads the layout: an unindented "... adapter NAME:" line opens an
 * adapter, indented "Key . . . : value" lines fill it, and an indented line with no key continues
 * the list above it (a second gateway or DNS server). Windows writes the keys in English only
 * in English installs: other languages give adapters with no fields, never wrong ones. */
#include "netinfo.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "util.h"

#define NETINFO_LINE_MAX 4096 /* longer lines are cut: no ipconfig line comes near it */

struct parse {
	struct netinfo *ni;
	struct net_adapter *cur;  /* the adapter being filled, NULL in the global section */
	struct net_list *list;    /* the list a continuation line adds to, or NULL */
	int seen_header;          /* "Windows IP Configuration" or an adapter */
};

static void list_push(struct net_list *l, const char *s, size_t n)
{
	if (n == 0 || l->n >= NETINFO_VALUES_MAX)
		return;
	l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
	l->v[l->n++] = xstrndup(s, n < NETINFO_VALUE_MAX ? n : NETINFO_VALUE_MAX);
}

static void list_free(struct net_list *l)
{
	strv_free(l->v, l->n);
	memset(l, 0, sizeof *l);
}

/* A value without its blanks and ipconfig's "(Preferred)" / "(Deprecated)" tail. */
static void clean_value(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t'))
		(*s)++, (*n)--;
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
	if (*n && (*s)[*n - 1] == ')') {
		const char *open = NULL;
		size_t i;

		for (i = 0; i < *n; i++)
			if ((*s)[i] == '(')
				open = *s + i;
		if (open && open > *s && memchr(*s, ' ', (size_t)(open - *s)) == NULL)
			*n = (size_t)(open - *s);
	}
}

static int starts(const char *s, size_t n, const char *word)
{
	size_t k = strlen(word);

	return n >= k && memcmp(s, word, k) == 0;
}

static void open_adapter(struct parse *ps, const char *s, size_t n, unsigned long line)
{
	struct netinfo *ni = ps->ni;
	struct net_adapter *a;

	ps->list = NULL;
	ps->seen_header = 1;
	if (ni->n >= NETINFO_ADAPTERS_MAX) {
		ni->dropped++;
		ps->cur = NULL;
		return;
	}
	ni->a = xrealloc(ni->a, (ni->n + 1) * sizeof *ni->a);
	a = &ni->a[ni->n++];
	memset(a, 0, sizeof *a);
	while (n && (s[n - 1] == ':' || s[n - 1] == ' '))
		n--;
	a->name = xstrndup(s, n < NETINFO_VALUE_MAX ? n : NETINFO_VALUE_MAX);
	a->line = line;
	ps->cur = a;
}

/* "   IPv4 Address. . . . . . . . . . . : 10.0.0.5(Preferred)" */
static void read_field(struct parse *ps, const char *key, size_t klen, const char *val, size_t vlen,
                       unsigned long line)
{
	struct net_adapter *a = ps->cur;

	while (klen && (key[klen - 1] == ' ' || key[klen - 1] == '.'))
		klen--;
	ps->list = NULL;
	if (a == NULL)
		return;
	clean_value(&val, &vlen);
	if (starts(key, klen, "Description") && a->description == NULL && vlen) {
		a->description = xstrndup(val, vlen < NETINFO_VALUE_MAX ? vlen : NETINFO_VALUE_MAX);
	} else if (memmem(key, klen, "IPv4 Address", 12) || memmem(key, klen, "IPv6 Address", 12) ||
	           starts(key, klen, "IP Address")) {
		ps->list = &a->addrs;
	} else if (starts(key, klen, "Default Gateway")) {
		ps->list = &a->gateways;
	} else if (starts(key, klen, "DNS Servers")) {
		ps->list = &a->dns;
		if (a->dns_line == 0)
			a->dns_line = line;
	}
	if (ps->list)
		list_push(ps->list, val, vlen);
}

static int on_line(void *vp, const struct record *r)
{
	struct parse *ps = vp;
	const char *s = r->text, *colon;
	size_t n = r->len;

	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	if (n == 0 || memchr(s, '\n', n) != NULL)
		return 0; /* blank, or a block the decoder joined: no ipconfig line */
	if (s[0] != ' ' && s[0] != '\t') {
		if (s[n - 1] == ':') {
			open_adapter(ps, s, n, r->line);
		} else {
			ps->cur = NULL; /* "Windows IP Configuration": the host's own section */
			ps->list = NULL;
			ps->seen_header |= memmem(s, n, "IP Configuration", 16) != NULL;
		}
		return 0;
	}
	colon = memmem(s, n, " : ", 3);
	if (colon == NULL && n >= 2 && s[n - 1] == ':' && s[n - 2] == ' ')
		colon = s + n - 2; /* a key with no value */
	if (colon != NULL) {
		const char *key = s, *val = colon + 2;

		while (key < colon && (*key == ' ' || *key == '\t'))
			key++;
		read_field(ps, key, (size_t)(colon - key), val, (size_t)(s + n - val), r->line);
	} else if (ps->list != NULL) {
		const char *v = s;
		size_t vn = n;

		clean_value(&v, &vn);
		list_push(ps->list, v, vn);
	}
	return 0;
}

int netinfo_parse(const char *entry, const void *p, size_t n, struct netinfo *out)
{
	struct parse ps;
	struct text_reader *tr;

	memset(out, 0, sizeof *out);
	memset(&ps, 0, sizeof ps);
	ps.ni = out;
	tr = text_reader_new(NETINFO_LINE_MAX, on_line, &ps);
	text_reader_feed(tr, p, n);
	text_reader_finish(tr);
	text_reader_free(tr);
	if (!ps.seen_header) {
		netinfo_reset(out);
		return -1;
	}
	out->entry = xstrdup(entry);
	return 0;
}

void netinfo_reset(struct netinfo *ni)
{
	size_t i;

	for (i = 0; i < ni->n; i++) {
		free(ni->a[i].name);
		free(ni->a[i].description);
		list_free(&ni->a[i].addrs);
		list_free(&ni->a[i].gateways);
		list_free(&ni->a[i].dns);
	}
	free(ni->a);
	free(ni->entry);
	memset(ni, 0, sizeof *ni);
}

int netinfo_is_loopback(const char *addr)
{
	return strncmp(addr, "127.", 4) == 0 || strcmp(addr, "::1") == 0 || strcmp(addr, "0:0:0:0:0:0:0:1") == 0;
}
