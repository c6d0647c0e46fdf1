/* tuning: the local tuning file (--config, $DARTSCAN_CONFIG): "disable RULE_ID" and "severity
 * RULE_ID LEVEL" lines a site applies to the rule set it loaded, without editing a rule file. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "rules.h"

int rules_apply_config(struct ruleset *rs, const char *path, struct ds_error *err)
{
	FILE *f = fopen(path, "r");
	char line[512];
	long lineno = 0;

	if (f == NULL) {
		ds_error_set(err, path, 0, "%s", strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof line, f) != NULL) {
		char verb[32], id[128], level[32];
		int nf;
		struct rule *r = NULL;
		char *t = trim(line);

		lineno++;
		if (*t == '\0' || *t == '#')
			continue;
		nf = sscanf(t, "%31s %127s %31s", verb, id, level);
		if (nf >= 2) /* the caller's rule set: ours to tune */
			r = (struct rule *)rules_find(rs, id);
		if (nf < 2 || (strcmp(verb, "disable") != 0 && strcmp(verb, "severity") != 0)) {
			ds_error_set(err, path, lineno, "expected 'disable RULE_ID' or 'severity RULE_ID LEVEL'");
			fclose(f);
			return -1;
		}
		if (r == NULL) {
			ds_error_set(err, path, lineno, "unknown rule id '%s'", id);
			fclose(f);
			return -1;
		}
		if (strcmp(verb, "disable") == 0) {
			r->disabled = 1;
		} else {
			int s = nf == 3 ? severity_parse(level) : -1;

			if (s < 0) {
				ds_error_set(err, path, lineno, "unknown severity '%s'", nf == 3 ? level : "");
				fclose(f);
				return -1;
			}
			r->severity = s;
		}
	}
	fclose(f);
	return 0;
}
