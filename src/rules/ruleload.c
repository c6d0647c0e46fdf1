/* ruleload: rule directories and files into one rule set -- a directory's *.rules in name order,
 * each later directory a layer whose rules replace earlier ones by id, and every rule a rule names
 * checked to exist once all layers are in. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"

#define RULE_FILE_MAX (4 << 20)

int rules_load_file(struct ruleset *rs, const char *path, struct ds_error *err)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char chunk[8192];
	size_t n;
	int rc;

	if (f == NULL) {
		ds_error_set(err, path, 0, "%s", strerror(errno));
		return -1;
	}
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (b.len + n > RULE_FILE_MAX) {
			fclose(f);
			buf_reset(&b);
			ds_error_set(err, path, 0, "rule file larger than %d bytes", RULE_FILE_MAX);
			return -1;
		}
		buf_add(&b, chunk, n);
	}
	fclose(f);
	rc = rules_parse(rs, path, b.p ? b.p : "", b.len, err);
	buf_reset(&b);
	return rc;
}

/* Every *.rules file of dir into rs, sorted by name; references are checked by ruleset_link. */
static int load_dir_files(struct ruleset *rs, const char *dir, struct ds_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int rc = 0;

	if (d == NULL) {
		ds_error_set(err, dir, 0, "cannot open rule directory: %s", strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);

		if (l > 6 && strcmp(de->d_name + l - 6, ".rules") == 0) {
			names = xgrow(names, &cap, n + 1, sizeof *names);
			names[n++] = xasprintf("%s/%s", dir, de->d_name);
		}
	}
	closedir(d);
	sort_strings(names, n);
	if (n == 0) {
		ds_error_set(err, dir, 0, "no *.rules files in the rule directory");
		rc = -1;
	}
	for (i = 0; i < n && rc == 0; i++)
		rc = rules_load_file(rs, names[i], err);
	strv_free(names, n);
	return rc;
}

/* Moves the rules of a later layer into rs: one with an id rs has replaces it, in its place
 * (what loading says of it goes to rs->notes); the others follow. src is freed. */
static void merge_layer(struct ruleset *rs, struct ruleset *src)
{
	size_t i, k;

	for (i = 0; i < src->n; i++) {
		struct rule *r = &src->rules[i];

		for (k = 0; k < rs->n && strcmp(rs->rules[k].id, r->id) != 0; k++)
			;
		if (k < rs->n) {
			rs->notes = xgrow(rs->notes, &rs->capnotes, rs->nnotes + 1, sizeof *rs->notes);
			rs->notes[rs->nnotes++] = xasprintf("%s:%ld: rule %s replaces the one at %s:%ld", r->file, r->line,
			                                    r->id, rs->rules[k].file, rs->rules[k].line);
			rule_reset(&rs->rules[k]);
			rs->rules[k] = *r;
		} else {
			rs->rules = xgrow(rs->rules, &rs->cap, rs->n + 1, sizeof *rs->rules);
			rs->rules[rs->n++] = *r;
		}
	}
	for (i = 0; i < src->nfiles; i++) {
		rs->files = xrealloc(rs->files, (rs->nfiles + 1) * sizeof *rs->files);
		rs->files[rs->nfiles++] = src->files[i];
	}
	free(src->rules);
	free(src->files);
	free(src);
}

int rules_load_dirs(struct ruleset *rs, const char *const *dirs, size_t n, struct ds_error *err)
{
	size_t i;

	if (n == 0 || load_dir_files(rs, dirs[0], err) != 0)
		return -1;
	for (i = 1; i < n; i++) {
		struct ruleset *layer = ruleset_new();

		if (load_dir_files(layer, dirs[i], err) != 0) {
			ruleset_free(layer);
			return -1;
		}
		merge_layer(rs, layer);
	}
	/* rule directories only: `rules try` and `rules draft` may capture a value nothing reads yet */
	if (ruleset_link(rs, err) != 0)
		return -1;
	return ruleset_check_context(rs, err);
}

int rules_load_dir(struct ruleset *rs, const char *dir, struct ds_error *err)
{
	return rules_load_dirs(rs, &dir, 1, err);
}
