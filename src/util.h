/* util: allocation that dies loudly, growable byte buffers, string pools, the error record every
 * stage fills, and output escaping (JSON-safe UTF-8, terminal-safe text). Lowest room: includes
 * nothing of ours. */
#ifndef DARTSCAN_UTIL_H
#define DARTSCAN_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define DS_VERSION "0.1.0"

/* An error a stage returns to its caller: where it happened and what. Only main prints it. */
struct ds_error {
	char where[512]; /* file, entry or "bundle:entry" */
	long line;       /* 0 when it does not apply */
	long column;     /* 0 when it does not apply */
	char msg[512];
};

void ds_error_set(struct ds_error *e, const char *where, long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Formats as "where:line:column: msg" (parts that do not apply are left out). */
void ds_error_format(const struct ds_error *e, char *out, size_t n);

/* Allocation failure prints once and aborts; a worker process sets this to exit with this
 * status instead, so that its parent can tell "out of memory" from a crash. */
extern int ds_oom_status;
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows an array of *cap elements of size sz so that it holds at least need. */
void *xgrow(void *p, size_t *cap, size_t need, size_t sz);
/* Maps in the whole pages of [p, p+n) at once, for memory about to be written whole: on a virtual
 * machine a page's first touch costs ~11 us, one madvise call ~5.5 us a page (a hint: ignored
 * where the kernel lacks MADV_POPULATE_WRITE). */
void populate(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Strings copied into 64 KiB chunks, freed together: one allocation per chunk, not one per string.
 * A list is a pointer, NULL when empty; it owns its chunks. */
struct strpool {
	struct strpool *next;
	size_t used, cap;
	char data[];
};
/* A copy of s[0, n) with a NUL after it, in the list's first chunk (a new one when it is full). */
char *strpool_dup(struct strpool **list, const char *s, size_t n);
/* Moves every chunk of *from to the front of *to; *from is then empty. */
void strpool_move(struct strpool **to, struct strpool **from);
void strpool_free(struct strpool *list);

/* A growable byte buffer, always NUL-terminated after len. Embedded: buf_init/buf_reset. */
struct buf {
	char *p;
	size_t len;
	size_t cap;
};
void buf_init(struct buf *b);
void buf_reset(struct buf *b);
void buf_add(struct buf *b, const void *s, size_t n);
void buf_addc(struct buf *b, char c);
void buf_adds(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the bytes to the caller (who frees them) and leaves b empty. */
char *buf_steal(struct buf *b);

/* Whether s (n bytes, n > 0) is made of set's characters only. */
int str_all_of(const char *s, size_t n, const char *set);
/* Seconds on the monotonic clock (durations, deadlines). */
double mono_seconds(void);
/* The CPUs this process may run on (its affinity: taskset's, a container's), at least 1. */
int cpu_count(void);

/* n bytes from s to d (apart) in 16-byte moves, the last one overlapping the one before, then
 * 8-byte moves, then single bytes: for the short copies made once a record or a line (a log line
 * into an event block, a message head into a ring), where a call to memcpy, or the "rep movsq"
 * the compiler emits for a copy whose bound it knows, costs more than the copy itself. */
static inline void copy_small(char *d, const char *s, size_t n)
{
	size_t i;

	if (n >= 16) {
		for (i = 0; i + 16 < n; i += 16)
			__builtin_memcpy(d + i, s + i, 16);
		__builtin_memcpy(d + n - 16, s + n - 16, 16);
	} else if (n >= 8) {
		__builtin_memcpy(d, s, 8);
		__builtin_memcpy(d + n - 8, s + n - 8, 8);
	} else {
		for (i = 0; i < n; i++)
			d[i] = s[i];
	}
}

/* Fixed-width integers read from bytes in either order (file formats: pcap, pcapng, zip). */
static inline unsigned be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}
static inline uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline unsigned le16(const unsigned char *p)
{
	return (unsigned)p[1] << 8 | p[0];
}
static inline uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}
static inline uint64_t le64(const unsigned char *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}
/* The same in the order a file says (big: big-endian), for formats written in either. */
static inline unsigned ord16(int big, const unsigned char *p)
{
	return big ? be16(p) : le16(p);
}
static inline uint32_t ord32(int big, const unsigned char *p)
{
	return big ? be32(p) : le32(p);
}

/* qsort that accepts an empty (NULL) array: qsort's base must not be NULL even for n == 0. */
void sort_array(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
/* Frees n strings and the array holding them. */
void strv_free(char **v, size_t n);
/* Sorts strings by strcmp (byte order: the same in every locale). */
void sort_strings(char **v, size_t n);
/* Natural order: runs of digits compare as numbers ("case-2" before "case-10"), the rest byte by
 * byte; names equal but for leading zeros fall back to strcmp, so the order is total. */
int natural_cmp(const char *a, const char *b);
void sort_strings_natural(char **v, size_t n);

/* Case-insensitive ASCII glob match of a base name against a pattern (fnmatch rules). */
int glob_match_ci(const char *pattern, const char *name);
/* The same for a ","-separated list of patterns (a stale check's logs, a lane's files): one takes it. */
int glob_list_match_ci(const char *patterns, const char *name);
/* The part after the last '/' or '\\'. */
const char *base_name(const char *path);
/* Trims ASCII blanks at both ends, in place; returns s. */
char *trim(char *s);
/* Lists kept as one string, items joined by ", " (context values with several items): is item one
 * of them; append it unless it is (*list may be NULL; it is replaced, the caller frees). */
int list_has(const char *list, const char *item);
void list_add(char **list, const char *item);
/* The log a rotated part belongs to: "cscumbrellaplugin.1.txt", "cscumbrellaplugin.txt.1",
 * "_1.txt", "-20240826.txt", " (2).txt", ".old", ".bak" -> "cscumbrellaplugin.txt" in out.
 * Returns 1 when base is such a part, 0 (out = base) when it is the log itself. */
int log_part_name(const char *base, char *out, size_t n);

/* Expands ${name}, ${name:-default}, ${name:+text if set} and ${a|b:-default} (first with a
 * value) in tpl; lookup returns a value or NULL. Caller frees. */
typedef const char *(*lookup_fn)(void *ctx, const char *name, size_t len);
char *template_expand(const char *tpl, lookup_fn lookup, void *ctx);
/* The '}' that closes the "${" at open, counting the ones nested in its text; NULL when none. */
const char *template_close(const char *open);
#endif
