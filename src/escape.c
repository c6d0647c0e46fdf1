/* escape: one decoder and one list of dangerous characters for every sink, so that a terminal, a
 * JSON file, an XML report and an HTML page all neutralise the same characters; only how each
 * shows them differs (a visible escape for a terminal, a picture or U+FFFD in a document). */
#include "escape.h"

#include <string.h>

size_t utf8_seq_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len, i;
	unsigned long cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, cp = c & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

static uint32_t decode(const unsigned char *s, size_t len)
{
	static const unsigned char lead_mask[5] = {0, 0x7f, 0x1f, 0x0f, 0x07};
	uint32_t cp = s[0] & lead_mask[len];
	size_t i;

	for (i = 1; i < len; i++)
		cp = (cp << 6) | (s[i] & 0x3f);
	return cp;
}

int escape_dangerous(uint32_t cp)
{
	return (cp < 0x20 && cp != '\t' && cp != '\n') || (cp >= 0x7f && cp <= 0x9f) ||
	       (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

static void add_cp(struct buf *b, uint32_t cp)
{
	char u[4];

	if (cp < 0x80) {
		buf_addc(b, (char)cp);
		return;
	}
	if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, u, 2);
		return;
	}
	u[0] = (char)(0xe0 | (cp >> 12));
	u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
	u[2] = (char)(0x80 | (cp & 0x3f));
	buf_add(b, u, 3);
}

/* How a document shows a dangerous character: C0 and DEL as their pictures (U+2400 + c, U+2421),
 * so a NUL or an ESC stays visible; C1 and bidi controls as U+FFFD. */
static void add_neutral(struct buf *b, uint32_t cp)
{
	if (cp < 0x20)
		add_cp(b, 0x2400 + cp);
	else if (cp == 0x7f)
		add_cp(b, 0x2421);
	else
		add_cp(b, 0xfffd);
}

static void add_term(struct buf *b, uint32_t cp)
{
	if (cp < 0x80)
		buf_printf(b, "\\x%02x", (unsigned)cp);
	else
		buf_printf(b, "\\u%04x", (unsigned)cp);
}

static int add_html_entity(struct buf *b, unsigned char c)
{
	switch (c) {
	case '&': buf_adds(b, "&amp;"); return 1;
	case '<': buf_adds(b, "&lt;"); return 1;
	case '>': buf_adds(b, "&gt;"); return 1;
	case '"': buf_adds(b, "&quot;"); return 1;
	case '\'': buf_adds(b, "&#39;"); return 1;
	case '\t': buf_addc(b, ' '); return 1;
	default: return 0;
	}
}

void escape_append(struct buf *b, const char *s, size_t n, int sink)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		size_t run = i, len;
		uint32_t cp;

		/* plain printable ASCII goes through in one piece: the common case */
		while (run < n && u[run] >= 0x20 && u[run] < 0x7f &&
		       (sink != ESC_HTML || strchr("&<>\"'", u[run]) == NULL))
			run++;
		buf_add(b, u + i, run - i);
		if ((i = run) >= n)
			break;
		len = utf8_seq_len(u + i, n - i);
		if (len == 0) { /* not UTF-8: a terminal sees the byte, a document U+FFFD */
			if (sink == ESC_TERM)
				buf_printf(b, "\\x%02x", u[i]);
			else
				add_cp(b, 0xfffd);
			i++;
			continue;
		}
		cp = decode(u + i, len);
		if (sink == ESC_HTML && len == 1 && add_html_entity(b, u[i]))
			;
		else if (sink == ESC_TERM && cp == '\t')
			buf_addc(b, ' ');
		else if (sink == ESC_TERM && (cp == '\n' || escape_dangerous(cp)))
			add_term(b, cp);
		else if (escape_dangerous(cp))
			add_neutral(b, cp);
		else if ((sink == ESC_XML || sink == ESC_HTML) && (cp == 0xfffe || cp == 0xffff))
			add_cp(b, 0xfffd);
		else
			buf_add(b, u + i, len);
		i += len;
	}
}

void escape_adds(struct buf *b, const char *s, int sink)
{
	if (s)
		escape_append(b, s, strlen(s), sink);
}

void escape_put_term(FILE *out, const char *s)
{
	struct buf b;

	buf_init(&b);
	escape_append(&b, s, strlen(s), ESC_TERM);
	fputs(b.p ? b.p : "", out);
	buf_reset(&b);
}
