/* Unit tests for util: growable buffers, templates, globs and rotated log names. */
#include <stdlib.h>

#include "check.h"
#include "util.h"

static const char *lookup(void *ctx, const char *name, size_t len)
{
	(void)ctx;
	if (len == 4 && strncmp(name, "list", 4) == 0)
		return "port 443, port 53";
	return len == 5 && strncmp(name, "stack", 5) == 0 ? "IPv4" : NULL;
}

int main(void)
{
	struct buf b;
	char *s;

	buf_init(&b);
	s = template_expand("over ${stack} via ${ctx.none:-the proxy}${unclosed", lookup, NULL);
	CHECK_STR("template/expand", s, "over IPv4 via the proxy${unclosed");
	free(s);
	s = template_expand("a${stack:+ and v4}${none:+ never}|${none|stack:-x}", lookup, NULL);
	CHECK_STR("template/alternatives", s, "a and v4|IPv4");
	free(s);
	/* a rule's why: the text of :+ is a template too, and /FROM/TO rewrites a list */
	s = template_expand("${stack:+${list:+rejected on ${list/, / and }}}${none:+${list}}", lookup, NULL);
	CHECK_STR("template/nested", s, "rejected on port 443 and port 53");
	free(s);
	s = template_expand("${none:-${stack:-x}} ${none/a/b}.${stack/x}", lookup, NULL);
	CHECK_STR("template/nested-default", s, "IPv4 .IPv4");
	free(s);
	CHECK("glob/casefold", glob_match_ci("Umbrella.txt", "UMBRELLA.TXT"));
	CHECK("natural/2-before-10", natural_cmp("case-2", "case-10") < 0);
	CHECK("natural/10-after-9", natural_cmp("case-10/a.zip", "case-9/a.zip") > 0);
	CHECK("natural/text-bytes", natural_cmp("case-b", "case-a") > 0);
	CHECK("natural/prefix-first", natural_cmp("case", "case-1") < 0);
	CHECK("natural/leading-zeros-total", natural_cmp("case-02", "case-2") != 0 &&
	                                         natural_cmp("case-02", "case-2") == -natural_cmp("case-2", "case-02"));
	CHECK("natural/long-run", natural_cmp("x99999999999999999999999", "x100000000000000000000000") < 0);
	CHECK("natural/equal", natural_cmp("case-7", "case-7") == 0);
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
	{
		char *l = NULL;

		list_add(&l, "18.135.112.200");
		list_add(&l, "146.112.9.200");
		list_add(&l, "18.135.112.200");
		CHECK_STR("list/add-once", l, "18.135.112.200, 146.112.9.200");
		CHECK("list/has-whole-items", list_has(l, "146.112.9.200") && !list_has(l, "18.135.112.20") &&
		                                  !list_has(l, "8.135.112.200") && !list_has(l, "46.112.9.200"));
		free(l);
	}
	return check_failed != 0;
}
