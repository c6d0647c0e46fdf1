/* util: the helpers every stage borrows. Nothing here knows about bundles, rules or reports. */
#include "util.h"

#include <ctype.h>
#include <sched.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <strings.h>
#include <sys/mman.h>
#include <time.h>

void ds_error_set(struct ds_error *e, const char *where, long line, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return;
	snprintf(e->where, sizeof e->where, "%s", where ? where : "");
	e->line = line;
	e->column = 0;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
}

void ds_error_format(const struct ds_error *e, char *out, size_t n)
{
	if (e->where[0] && e->line > 0 && e->column > 0)
		snprintf(out, n, "%s:%ld:%ld: %s", e->where, e->line, e->column, e->msg);
	else if (e->where[0] && e->line > 0)
		snprintf(out, n, "%s:%ld: %s", e->where, e->line, e->msg);
	else if (e->where[0])
		snprintf(out, n, "%s: %s", e->where, e->msg);
	else
		snprintf(out, n, "%s", e->msg);
}

int ds_oom_status;

static void die_oom(void)
{
	if (ds_oom_status)
		_exit(ds_oom_status); /* the parent says it, once */
	fputs("dartscan: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		die_oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		die_oom();
	return p;
}

void populate(void *p, size_t n)
{
#ifdef MADV_POPULATE_WRITE
	uintptr_t from = ((uintptr_t)p + 4095) & ~(uintptr_t)4095, to = ((uintptr_t)p + n) & ~(uintptr_t)4095;

	if (to > from)
		(void)madvise((void *)from, to - from, MADV_POPULATE_WRITE);
#else
	(void)p;
	(void)n;
#endif
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		die_oom();
	return p;
}

void *xgrow(void *p, size_t *cap, size_t need, size_t sz)
{
	size_t c = *cap;

	if (need <= c)
		return p;
	if (c < 8)
		c = 8;
	while (c < need) {
		if (c > SIZE_MAX / 2 / sz)
			die_oom();
		c *= 2;
	}
	*cap = c;
	return xrealloc(p, c * sz);
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

#define STRPOOL_BYTES 65536

void strpool_free(struct strpool *k)
{
	while (k) {
		struct strpool *next = k->next;

		free(k);
		k = next;
	}
}

char *strpool_dup(struct strpool **list, const char *s, size_t n)
{
	struct strpool *k = *list;
	char *p;

	if (k == NULL || k->cap - k->used < n + 1) {
		size_t cap = n + 1 > STRPOOL_BYTES ? n + 1 : STRPOOL_BYTES;

		k = xmalloc(sizeof *k + cap);
		k->used = 0;
		k->cap = cap;
		k->next = *list;
		*list = k;
	}
	p = k->data + k->used;
	memcpy(p, s, n);
	p[n] = '\0';
	k->used += n + 1;
	return p;
}

void strpool_move(struct strpool **to, struct strpool **from)
{
	struct strpool *last = *from;

	if (last == NULL)
		return;
	while (last->next)
		last = last->next;
	last->next = *to;
	*to = *from;
	*from = NULL;
}

static void buf_vprintf(struct buf *b, const char *fmt, va_list ap);

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	struct buf b;

	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return buf_steal(&b);
}

void buf_init(struct buf *b)
{
	b->p = NULL;
	b->len = 0;
	b->cap = 0;
}

void buf_reset(struct buf *b)
{
	free(b->p);
	buf_init(b);
}

void buf_add(struct buf *b, const void *s, size_t n)
{
	if (n > SIZE_MAX - b->len - 1)
		die_oom();
	b->p = xgrow(b->p, &b->cap, b->len + n + 1, 1);
	if (n)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n > 0) {
		b->p = xgrow(b->p, &b->cap, b->len + (size_t)n + 1, 1);
		vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
		b->len += (size_t)n;
	}
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

char *buf_steal(struct buf *b)
{
	char *p = b->p ? b->p : xstrdup("");

	buf_init(b);
	return p;
}

int glob_match_ci(const char *pattern, const char *name)
{
	/* a check with no file glob (module) takes no file */
	return pattern && name && fnmatch(pattern, name, FNM_CASEFOLD) == 0;
}

int glob_list_match_ci(const char *patterns, const char *name)
{
	char *list, *g, *save = NULL;
	int found = 0;

	if (patterns == NULL || name == NULL)
		return 0;
	list = xstrdup(patterns);
	for (g = strtok_r(list, ",", &save); g && !found; g = strtok_r(NULL, ",", &save))
		found = glob_match_ci(g, name);
	free(list);
	return found;
}

const char *base_name(const char *path)
{
	const char *p = path, *last = path;

	for (; *p; p++)
		if (*p == '/' || *p == '\\')
			last = p + 1;
	return last;
}

char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		e--;
	*e = '\0';
	return s;
}

static int is_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return n > 0;
}

/* Strips one rotation mark from the end of stem[0..*len): " (2)", or [._-] and digits. */
static int strip_rotation_mark(const char *stem, size_t *len)
{
	size_t k = *len;

	if (k > 4 && stem[k - 1] == ')') {
		size_t open = k - 1;

		while (open > 0 && stem[open - 1] != '(')
			open--;
		if (open >= 2 && stem[open - 2] == ' ' && is_digits(stem + open, k - 1 - open)) {
			*len = open - 2;
			return 1;
		}
		return 0;
	}
	while (k > 0 && stem[k - 1] >= '0' && stem[k - 1] <= '9')
		k--;
	if (k < *len && k > 1 && (stem[k - 1] == '.' || stem[k - 1] == '_' || stem[k - 1] == '-')) {
		*len = k - 1;
		return 1;
	}
	return 0;
}

int log_part_name(const char *base, char *out, size_t n)
{
	size_t len = strlen(base), stem;
	const char *dot;
	int part = 0, i;

	if (n == 0)
		return 0;
	/* what follows the log's own name: ".old", ".bak", ".1" */
	dot = strrchr(base, '.');
	if (dot && dot > base && (strcasecmp(dot, ".old") == 0 || strcasecmp(dot, ".bak") == 0 ||
	                          is_digits(dot + 1, strlen(dot + 1)))) {
		len = (size_t)(dot - base);
		part = 1;
	}
	/* a rotation mark before the extension: ".1.txt", "_1.txt", "-20240826.txt", " (2).txt" */
	for (stem = len; stem > 0 && base[stem - 1] != '.'; stem--)
		;
	stem = stem > 1 ? stem - 1 : len;
	{
		size_t s = stem;

		for (i = 0; i < 3 && strip_rotation_mark(base, &s); i++)
			part = 1;
		if (part)
			snprintf(out, n, "%.*s%.*s%s", (int)s, base, (int)(len - stem), base + stem,
			         stem == len ? ".txt" : "");
		else
			snprintf(out, n, "%s", base);
	}
	return part;
}

/* Is item one of the ", "-separated items of list? */
int list_has(const char *list, const char *item)
{
	size_t n = strlen(item);
	const char *p = list;

	while ((p = strstr(p, item)) != NULL) {
		if ((p == list || (p >= list + 2 && p[-2] == ',' && p[-1] == ' ')) && (p[n] == '\0' || p[n] == ','))
			return 1;
		p += n;
	}
	return 0;
}

void list_add(char **list, const char *item)
{
	char *v;

	if (*list == NULL) {
		*list = xstrdup(item);
		return;
	}
	if (list_has(*list, item))
		return;
	v = xasprintf("%s, %s", *list, item);
	free(*list);
	*list = v;
}

/* "a|b|c": the first name that has a value. */
static const char *lookup_first(lookup_fn lookup, void *ctx, const char *names, size_t n)
{
	const char *end = names + n;

	while (names < end) {
		const char *bar = memchr(names, '|', (size_t)(end - names));
		const char *stop = bar ? bar : end;
		const char *v = lookup(ctx, names, (size_t)(stop - names));

		if (v != NULL && *v)
			return v;
		names = stop + 1;
	}
	return NULL;
}

const char *template_close(const char *open)
{
	const char *p = open + 2;
	int depth = 1;

	for (; *p; p++) {
		if (p[0] == '$' && p[1] == '{') {
			depth++;
			p++;
		} else if (*p == '}' && --depth == 0) {
			return p;
		}
	}
	return NULL;
}

/* "${name/FROM/TO}": the value with every FROM replaced by TO (a list's ", " by " and "). */
static void add_replaced(struct buf *b, const char *v, const char *spec, size_t n)
{
	const char *mid = memchr(spec, '/', n);
	size_t flen, tlen;

	if (mid == NULL || mid == spec) {
		buf_adds(b, v);
		return;
	}
	flen = (size_t)(mid - spec);
	tlen = n - flen - 1;
	while (*v) {
		if (strncmp(v, spec, flen) == 0) {
			buf_add(b, mid + 1, tlen);
			v += flen;
		} else {
			buf_addc(b, *v++);
		}
	}
}

/* Expands tpl[0..n); the text of ":+" and ":-" is a template itself, up to depth levels deep. */
static void expand_into(struct buf *b, const char *tpl, size_t n, lookup_fn lookup, void *ctx, int depth)
{
	const char *p = tpl, *end = tpl + n;

	while (p < end) {
		const char *open = memmem(p, (size_t)(end - p), "${", 2), *close, *op;
		const char *v;

		if (open == NULL || (close = template_close(open)) == NULL || close >= end) {
			buf_add(b, p, (size_t)(end - p));
			break;
		}
		buf_add(b, p, (size_t)(open - p));
		op = open + 2;
		while (op < close && *op != '/' && !(op[0] == ':' && (op[1] == '-' || op[1] == '+')))
			op++;
		v = lookup_first(lookup, ctx, open + 2, (size_t)(op - (open + 2)));
		if (op < close && *op == '/') {
			if (v != NULL)
				add_replaced(b, v, op + 1, (size_t)(close - op - 1));
		} else if (op < close && op[1] == '+') { /* ${name:+text}: text only when name has a value */
			if (v != NULL && *v && depth > 0)
				expand_into(b, op + 2, (size_t)(close - op - 2), lookup, ctx, depth - 1);
		} else if (v != NULL && *v) {
			buf_adds(b, v);
		} else if (op < close && depth > 0) {
			expand_into(b, op + 2, (size_t)(close - op - 2), lookup, ctx, depth - 1);
		}
		p = close + 1;
	}
}

char *template_expand(const char *tpl, lookup_fn lookup, void *ctx)
{
	struct buf b;

	buf_init(&b);
	expand_into(&b, tpl, strlen(tpl), lookup, ctx, 4);
	return buf_steal(&b);
}

void sort_array(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

void strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int cmp_strp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void sort_strings(char **v, size_t n)
{
	sort_array(v, n, sizeof *v, cmp_strp);
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int natural_cmp(const char *a, const char *b)
{
	const char *x = a, *y = b;

	while (*x && *y) {
		if (is_digit(*x) && is_digit(*y)) {
			const char *xs, *ys;
			size_t xn = 0, yn = 0;

			while (*x == '0' && is_digit(x[1]))
				x++;
			while (*y == '0' && is_digit(y[1]))
				y++;
			for (xs = x; is_digit(*x); x++)
				xn++;
			for (ys = y; is_digit(*y); y++)
				yn++;
			if (xn != yn) /* no overflow: a longer run without leading zeros is the larger number */
				return xn < yn ? -1 : 1;
			if (memcmp(xs, ys, xn) != 0)
				return memcmp(xs, ys, xn);
			continue;
		}
		if (*x != *y)
			return (unsigned char)*x < (unsigned char)*y ? -1 : 1;
		x++, y++;
	}
	if (*x || *y)
		return *x ? 1 : -1;
	return strcmp(a, b); /* "case-02" and "case-2": still one order */
}

static int cmp_natural_p(const void *a, const void *b)
{
	return natural_cmp(*(char *const *)a, *(char *const *)b);
}

void sort_strings_natural(char **v, size_t n)
{
	sort_array(v, n, sizeof *v, cmp_natural_p);
}

double mono_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int str_all_of(const char *s, size_t n, const char *set)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strchr(set, s[i]) == NULL)
			return 0;
	return n > 0;
}

int cpu_count(void)
{
	cpu_set_t set;
	long n;

	if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
		return CPU_COUNT(&set);
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 4096 ? 4096 : (int)n;
}
