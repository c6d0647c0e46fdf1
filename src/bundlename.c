/* bundlename: an archive entry's name as the bundle reports it -- UTF-8 when libarchive can say,
 * its undecodable bytes kept as \xNN, the prefix of the archive holding it -- and what is wrong
 * with a name (one that leads outside the bundle), or what it says (macOS metadata). */
#include "bundle_in.h"
#include "escape.h"

#include <archive_entry.h>
#include <stdlib.h>
#include <string.h>

/* Appends name with each byte that is not valid UTF-8 written \xNN: the outputs would otherwise
 * turn it into U+FFFD and the name could no longer be told from another. */
static void add_name(struct buf *out, const char *name)
{
	const unsigned char *u = (const unsigned char *)name, *end = u + strlen(name);

	while (*u) {
		const unsigned char *run = u;
		size_t len;

		while (*run && (len = utf8_seq_len(run, (size_t)(end - run))) > 0)
			run += len;
		buf_add(out, u, (size_t)(run - u));
		if (*run == '\0')
			break;
		buf_printf(out, "\\x%02x", *run);
		u = run + 1;
	}
}

/* The entry's name as libarchive has it: UTF-8 when it can say, else the bytes it read. NULL when
 * it dropped them (a name flagged UTF-8 that the C locale cannot hold: libarchive keeps none). */
const char *bundle_archive_name(struct archive_entry *ae)
{
	const char *name = archive_entry_pathname_utf8(ae);

	return name ? name : archive_entry_pathname(ae);
}

/* A name a careless extractor would write outside its directory: absolute (a slash or backslash
 * first), on a drive ("C:"), or with a ".." component between either kind of slash. */
static int leads_outside(const char *name)
{
	const char *p = name;
	unsigned char c = (unsigned char)name[0] | 0x20;

	if (name[0] == '/' || name[0] == '\\' || (c >= 'a' && c <= 'z' && name[1] == ':'))
		return 1;
	for (;;) {
		size_t len = strcspn(p, "/\\");

		if (len == 2 && p[0] == '.' && p[1] == '.')
			return 1;
		if (p[len] == '\0')
			return 0;
		p += len + 1;
	}
}

/* macOS's metadata, never a file of the bundle: what Archive Utility stores under __MACOSX/ (an
 * AppleDouble "._NAME" beside each file: its extended attributes and resource fork, binary) and
 * the "._NAME" twins macOS's tar writes in place. Skipped unread, as they are not logs and not
 * unknown text; a DART file is never named "._" anything. NULL (a lost name) is not. */
int bundle_mac_metadata(const char *name)
{
	const char *p = name;

	if (name == NULL)
		return 0;
	for (;;) {
		size_t len = strcspn(p, "/\\");

		if (len == 8 && strncmp(p, "__MACOSX", 8) == 0 && p[len] != '\0')
			return 1;
		if (len > 2 && strncmp(p, "._", 2) == 0 && p[len] == '\0')
			return 1;
		if (p[len] == '\0')
			return 0;
		p += len + 1;
	}
}

/* Sets the level's current entry name from its header, and says what is wrong with the name. */
void bundle_take_name(struct bundle *b, struct level *l, struct archive_entry *ae)
{
	const char *name = bundle_archive_name(ae);

	l->name.len = 0;
	buf_adds(&l->name, l->prefix);
	if (name != NULL)
		add_name(&l->name, name);
	else
		buf_printf(&l->name, "(name not decodable, entry %lu)", l->headers);
	b->name.len = 0;
	buf_adds(&b->name, l->name.p);
	if (name != NULL && leads_outside(name)) {
		/* read all the same: nothing is ever written, but the reader should know */
		char *msg = xasprintf("suspicious entry name (leads outside the bundle): %s", l->name.p);

		bundle_add_problem(b, l->name.p, msg);
		free(msg);
	}
}

