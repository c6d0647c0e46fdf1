/* unexplained: the records no rule matched that look like trouble -- a WARN or ERROR level, or
 * written near the failures -- mined into Drain-style templates and ranked after correlation,
 * so that trouble worded in a way no rule knows is shown rather than called healthy. */
#ifndef DARTSCAN_UNEXPLAINED_H
#define DARTSCAN_UNEXPLAINED_H

#include "text.h"

struct diagnosis;
struct baseline;

enum ux_level { UX_INFO = 0, UX_WARN, UX_ERROR };
/* Inline so that baseline.c, which unexplained.c calls, names a level without calling back up. */
static inline const char *ux_level_name(int level)
{
	return level == UX_ERROR ? "error" : level == UX_WARN ? "warning" : "info";
}

#define UX_ENTRIES 8   /* entries named per template */
#define UX_SPANS 8     /* time clusters kept per template */
#define UX_TEMPLATES 512
#define UX_MSG_MAX 400 /* bytes of a message mined */
#define UX_TOKENS 48   /* tokens of a message compared */
#define UX_PRE_MS 30000     /* records this long before a failure line are near it */
#define UX_SPAN_GAP_MS 60000 /* records closer than this are one time cluster */
#define UX_ENTRY_MAX 20000           /* candidates kept per entry; the rest only counted */
/* Candidates below an error (warnings, records near a failure) stop at four fifths of an entry's
 * count and bytes: the last fifth is kept for errors, which one warning repeated from the start of a
 * long log would otherwise crowd out -- and they come last, where the trouble a bundle was taken for is. */
#define UX_BELOW_ERROR(x) ((x) / 5 * 4)
/* Errors past the whole cap are not dropped at once: the last UX_LATE of them are kept, so that one
 * error repeated all day does not hide a different burst at the end of the log either. */
#define UX_LATE 256
#define UX_ENTRY_BYTES (4u << 20)    /* their bytes per entry (and the late errors' UX_LATE x UX_MSG_MAX) */
#define UX_BUNDLE_BYTES (16u << 20)  /* and per bundle */

struct ux_span {
	struct stamp a, b;
	unsigned long n;
};

struct ux_template {
	char *text;              /* the message with its variable fields as <*> */
	int level;
	unsigned long count;
	struct stamp first, last;
	unsigned entries[UX_ENTRIES];
	size_t nentries;
	unsigned ex_entry;       /* its first record */
	unsigned long ex_line;
	struct stamp ex_ts;
	char *ex_text;
	struct ux_span span[UX_SPANS];
	size_t nspan;
	int near_only;           /* gathered for being near failures, never by its level */
	/* set by unexplained_rank */
	int in_incident, burst, is_new;
	long score;
};

/* One record kept for mining: the stage's input after an entry ends. 48 bytes: tens of thousands
 * of them are written to fresh memory, whose pages cost more to touch than anything done here. */
struct ux_record {
	struct stamp ts;
	char *msg;           /* in a chunk of the collector's (then of struct unexplained's), NUL-ended: its
	                        own text, or an earlier candidate's of its entry with the same level, length
	                        and tokens (mined alike, and never the first of a template) */
	unsigned long line;
	unsigned entry;
	uint16_t len;        /* strlen(msg), at most UX_MSG_MAX */
	signed char level;
	unsigned char near;  /* kept for its time, not its level */
};


/* What one entry's reading gathers: its candidates, and the recent records that would become
 * candidates if a failure followed within 30 s -- copied into fixed slots, no allocation: every
 * unmatched record passes through here. */
#define UX_RING 16
#define UX_LEAD 16
#define UX_RING_TEXT 160
struct ux_recent {
	unsigned long line;
	struct stamp ts;
	size_t len;
	char text[UX_RING_TEXT];
};

/* An error past the entry's caps, in a ring of the last UX_LATE: its message as it would be kept. */
struct ux_late {
	unsigned long line;
	struct stamp ts;
	uint16_t len;
	char text[UX_MSG_MAX];
};

struct ux_shape;
struct ux_collect {
	struct ux_record *v;
	size_t n, cap;
	struct strpool *chunks; /* v's messages: one allocation per 64 KiB, not one each */
	struct ux_shape *shapes; /* the messages kept, by shape: a record shaped like one before it shares its text */
	size_t nshapes;
	size_t bytes;
	unsigned long dropped;
	struct ux_late *late; /* allocated at the first error past the caps */
	size_t nlate;         /* errors past the caps, the last in late[(nlate - 1) % UX_LATE] */
	char lead[UX_LEAD];   /* the first bytes of the last "[pid] [" message placed, */
	unsigned lead_mask;   /* which of them placed it (bit k: lead[k]; 0: none yet), */
	size_t lead_at;       /* and where its level word starts */
	struct ux_recent ring[UX_RING];
	size_t ring_seen;     /* records remembered, the last in ring[(ring_seen - 1) % UX_RING] */
	size_t ring_from;     /* ring_seen when a failure last took the ring's records */
	int64_t hot_from_ms;  /* records from this to HOT_MS after it follow a failure closely */
	int on;
	int all;              /* every unmatched record is a candidate (building a baseline) */
};

/* One entry's candidates, kept in the array they were gathered in: an entry read ahead joins the
 * bundle's without a copy (20 000 of them are a megabyte of fresh pages). */
struct ux_part {
	struct ux_record *v;
	size_t n;
};

struct unexplained {
	struct ux_part *parts;     /* every entry's candidates, in bundle order, until mined */
	size_t nparts, capparts;
	struct strpool *chunks;    /* their messages */
	size_t pending_bytes;
	struct ux_template *t;     /* after mining: the templates; after ranking: ranked */
	size_t n, cap;
	unsigned long dropped;     /* candidates past a cap (counted, not mined) */
};

void unexplained_init(struct unexplained *u);
void unexplained_reset(struct unexplained *u);

/* on: gather; all: gather every record no rule matched, whatever its level (a baseline). */
void ux_collect_init(struct ux_collect *c, int on, int all);
void ux_collect_reset(struct ux_collect *c);
/* One record of the entry: matched_sev is the highest severity of the rules it matched, or -1. */
void ux_collect_record(struct ux_collect *c, const struct record *r, int matched_sev);
/* Ends the entry: its candidates join u's as entry number entry, their stamps as read (times.c
 * settles their date order); c is emptied. */
void unexplained_take(struct unexplained *u, struct ux_collect *c, unsigned entry);
/* Moves the candidates another result gathered for one entry (read ahead) into u as entry. */
void unexplained_adopt(struct unexplained *u, struct unexplained *from, unsigned entry);
/* Groups the candidates into templates (frees them). */
void unexplained_mine(struct unexplained *u);
/* Frees the candidates not yet mined and their messages. */
void unexplained_drop_candidates(struct unexplained *u);
/* Marks, scores and orders the templates by what correlation found and what the baseline (or
 * NULL) knows; drops templates gathered only for their time that fall in no incident. */
void unexplained_rank(struct unexplained *u, const struct diagnosis *d, const struct baseline *bl);
/* The part of a record's message a template is mined from: its offset past the line's own
 * header ("[7216] [WARN] < 12> "), its length (*len, at most UX_MSG_MAX). */
size_t ux_message_span(const char *msg, size_t n, size_t *len);
/* How mining reads a message's bytes: blanks cut it into tokens, and a token is variable (<*>)
 * when it holds a digit or a backslash, opens with a quote, or holds a '/' and is longer than one
 * byte. One table and one test for ux_variable, ux_tokenize and the collector's shapes. */
enum { UX_BLANK = 1, UX_VAR = 2, UX_SLASH = 4, UX_QUOTE = 8 };
extern const unsigned char ux_byte_class[256];
/* seen: the classes of a token's bytes or'ed, first: its first byte, len: its length. */
static inline int ux_token_variable(unsigned seen, unsigned char first, size_t len)
{
	return (seen & UX_VAR) || (ux_byte_class[first] & UX_QUOTE) || ((seen & UX_SLASH) && len > 1);
}
/* Whether a token is a variable field: digits, a quote, a path. */
int ux_variable(const char *tok);
/* Splits msg in place into at most UX_TOKENS tokens, the variable ones replaced by "<*>". */
size_t ux_tokenize(char *msg, char **tok);
/* How many templates the baseline did not know. */
size_t unexplained_new(const struct unexplained *u);
/* How many templates were gathered only for being near the failures: a figure that grows with
 * every rule that makes an incident, so reports count them apart from those by their level. */
size_t unexplained_near(const struct unexplained *u);

#endif
