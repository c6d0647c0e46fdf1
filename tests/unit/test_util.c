/* Unit tests for util: output escaping and templates. */
#include <stdlib.h>

#include "check.h"
#include "util.h"

static const char *lookup(void *ctx, const char *name, size_t len)
{
	(void)ctx;
	return len == 5 && strncmp(name, "stack", 5) == 0 ? "IPv4" : NULL;
}

int main(void)
{
	struct buf b;
	char *s;

	buf_init(&b);
	buf_add_term_safe(&b, "a\033]0;x\007b\xc2\x9b" "c", 11);
	CHECK("term/no-esc", memchr(b.p, 0x1b, b.len) == NULL && memchr(b.p, 0x07, b.len) == NULL);
	CHECK_STR("term/escaped", b.p, "a\\x1b]0;x\\x07b\\u009bc");
	buf_reset(&b);
	buf_add_utf8_clean(&b, "ok\xff\xc3\xa9\0z", 7);
	CHECK_STR("utf8/clean", b.p, "ok\xef\xbf\xbd\xc3\xa9\xe2\x90\x80z");
	buf_reset(&b);
	s = template_expand("over ${stack} via ${ctx.none:-the proxy}${unclosed", lookup, NULL);
	CHECK_STR("template/expand", s, "over IPv4 via the proxy${unclosed");
	free(s);
	s = template_expand("a${stack:+ and v4}${none:+ never}|${none|stack:-x}", lookup, NULL);
	CHECK_STR("template/alternatives", s, "a and v4|IPv4");
	free(s);
	CHECK("glob/casefold", glob_match_ci("Umbrella.txt", "UMBRELLA.TXT"));
	{
		/* every rotated form issue 12 lists is a part of cscumbrellaplugin.txt; the log itself and
		 * names that only look numbered are not */
		static const char *const parts[] = {"cscumbrellaplugin.1.txt", "cscumbrellaplugin.txt.1",
		                                    "cscumbrellaplugin_1.txt", "cscumbrellaplugin.old",
		                                    "cscumbrellaplugin.bak", "cscumbrellaplugin-20240826.txt",
		                                    "cscumbrellaplugin (2).txt", "cscumbrellaplugin-2024-08-26.txt",
		                                    "cscumbrellaplugin.txt.bak"};
		char out[64];
		size_t i;

		for (i = 0; i < sizeof parts / sizeof *parts; i++) {
			int part = log_part_name(parts[i], out, sizeof out);

			CHECK(parts[i], part == 1 && strcmp(out, "cscumbrellaplugin.txt") == 0);
		}
		CHECK("rotation/the-log-itself", log_part_name("cscumbrellaplugin.txt", out, sizeof out) == 0 &&
		                                     strcmp(out, "cscumbrellaplugin.txt") == 0);
		CHECK("rotation/umbrella", log_part_name("Umbrella.1.txt", out, sizeof out) == 1 &&
		                               strcmp(out, "Umbrella.txt") == 0);
		CHECK("rotation/no-stem", log_part_name("1.txt", out, sizeof out) == 0);
		CHECK("rotation/not-numbered", log_part_name("ipconfig_all.txt", out, sizeof out) == 0);
	}
	CHECK_STR("basename", base_name("a\\b/c.txt"), "c.txt");
	return check_failed != 0;
}
