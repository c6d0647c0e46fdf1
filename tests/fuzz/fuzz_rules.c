/* fuzz_rules: the rule-file parser on memory. A rule set that parses is also looked up, so every
 * compiled pattern and check is walked and freed. */
#include <stddef.h>
#include <stdint.h>

#include "rules/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ruleset *rs = ruleset_new();
	struct ds_error err;

	if (rules_parse(rs, "fuzz.rules", (const char *)data, size, &err) == 0 && ruleset_link(rs, &err) == 0 && rs->n > 0) {
		rules_find(rs, rs->rules[0].id);
		rule_reads(&rs->rules[0], "cscumbrellaplugin.txt");
		ruleset_check_context(rs, &err);
	}
	ruleset_free(rs);
	return 0;
}
