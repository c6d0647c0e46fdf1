/* escape: every sink neutralises the same list (C0, DEL, C1, bidi controls), each in its own way,
 * and lets ordinary text -- ASCII, accents, CJK, emoji -- through as it is. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "escape.h"

static char *esc(const char *s, size_t n, int sink)
{
	struct buf b;

	buf_init(&b);
	escape_append(&b, s, n, sink);
	return b.p ? buf_steal(&b) : calloc(1, 1);
}

/* Does the escaped text hold none of the dangerous code points, raw? */
static int clean(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n = strlen(s);

	while (i < n) {
		size_t len = utf8_seq_len(u + i, n - i);
		uint32_t cp;

		if (len == 0)
			return 0;
		cp = len == 1 ? u[i] : 0;
		if (len == 2)
			cp = (uint32_t)(u[i] & 0x1f) << 6 | (u[i + 1] & 0x3f);
		if (len == 3)
			cp = (uint32_t)(u[i] & 0x0f) << 12 | (uint32_t)(u[i + 1] & 0x3f) << 6 | (u[i + 2] & 0x3f);
		if (escape_dangerous(cp))
			return 0;
		i += len;
	}
	return 1;
}

int main(void)
{
	/* ESC, BEL, NUL, DEL, CSI (U+009B), RLO (U+202E), RLI (U+2067), an invalid byte */
	static const char evil[] = "a\033[31mb\007c\0d\177e\xc2\x9b" "f\xe2\x80\xae" "g\xe2\x81\xa7h\xffi";
	static const char plain[] = "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80 <ok> & \"q\"";
	const int sinks[] = {ESC_TERM, ESC_TEXT, ESC_XML, ESC_HTML};
	const char *names[] = {"term", "text", "xml", "html"};
	size_t i;
	char *s;

	for (i = 0; i < 4; i++) {
		char name[64];

		s = esc(evil, sizeof evil - 1, sinks[i]);
		snprintf(name, sizeof name, "%s/neutralises-all", names[i]);
		CHECK(name, clean(s) && strchr(s, '\033') == NULL);
		free(s);
		s = esc(plain, sizeof plain - 1, sinks[i]);
		snprintf(name, sizeof name, "%s/keeps-text", names[i]);
		CHECK(name, strstr(s, "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80") != NULL);
		free(s);
	}
	s = esc(evil, sizeof evil - 1, ESC_TERM);
	CHECK_STR("term/visible", s, "a\\x1b[31mb\\x07c\\x00d\\x7fe\\u009bf\\u202eg\\u2067h\\xffi");
	free(s);
	s = esc(evil, sizeof evil - 1, ESC_TEXT);
	CHECK_STR("text/pictures", s,
	          "a\xe2\x90\x9b[31mb\xe2\x90\x87" "c\xe2\x90\x80" "d\xe2\x90\xa1" "e\xef\xbf\xbd" "f\xef\xbf\xbd"
	          "g\xef\xbf\xbdh\xef\xbf\xbdi");
	free(s);
	s = esc("t\tn\n\xef\xbf\xbf", 7, ESC_XML);
	CHECK_STR("xml/tab-newline-kept-nonchar-replaced", s, "t\tn\n\xef\xbf\xbd");
	free(s);
	s = esc("t\tn\n", 4, ESC_TERM);
	CHECK_STR("term/tab-space-newline-escaped", s, "t n\\x0a");
	free(s);
	s = esc(plain, sizeof plain - 1, ESC_HTML);
	CHECK("html/entities", strstr(s, "&lt;ok&gt; &amp; &quot;q&quot;") != NULL);
	free(s);
	s = esc(plain, sizeof plain - 1, ESC_TEXT);
	CHECK("text/markup-as-is", strstr(s, "<ok> & \"q\"") != NULL);
	free(s);
	CHECK("utf8/overlong", utf8_seq_len((const unsigned char *)"\xc0\xaf", 2) == 0);
	CHECK("utf8/surrogate", utf8_seq_len((const unsigned char *)"\xed\xa0\x80", 3) == 0);
	CHECK("utf8/short", utf8_seq_len((const unsigned char *)"\xe2\x80", 2) == 0);
	return check_failed != 0;
}
