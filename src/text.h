/* text: bytes of one entry -> UTF-8 records with line numbers and timestamps. A push decoder:
 * feed it blocks as they come out of the archive; it calls back once per record. The record's
 * text is borrowed and valid only during the callback. */
#ifndef DARTSCAN_TEXT_H
#define DARTSCAN_TEXT_H

#include <stddef.h>

#include "timefmt.h"
#include "util.h"

enum text_encoding { ENC_UNKNOWN = 0, ENC_UTF8, ENC_UTF8_BOM, ENC_UTF16LE, ENC_UTF16BE };

struct record {
	const char *text;  /* the whole record; lines of a block joined by '\n' */
	size_t len;
	const char *msg;   /* the message: a block's Description; a line's text after its leading time */
	size_t msg_len;
	unsigned long line; /* first line of the record, from 1 */
	struct stamp ts;    /* TP_NONE when the record carries no time */
	int truncated;      /* the record was longer than the limit and was cut */
};

/* A place where the log's clock jumped: back by more than the jitter of threads writing one file
 * (a DST fall-back, an NTP step), or forward by a whole hour in the small hours of a month where
 * zones change (a DST spring-forward). Records after jump k carry seg k + 1. */
struct clock_jump {
	struct stamp before, after; /* the records either side (after on before's offset) */
};
#define TEXT_JUMPS 16
#define TEXT_JITTER_MS 2000 /* threads of one process stamp lines out of order by this much */

struct text_stats {
	int encoding;
	struct clock_jump jumps[TEXT_JUMPS];
	unsigned njumps;
	int clock_disordered; /* more jumps than TEXT_JUMPS (a newest-first export, say): order settles nothing */
	unsigned long lines;
	unsigned long records;
	unsigned long truncated;    /* records cut at the record limit */
	unsigned long nul_bytes;
	unsigned long bad_units;    /* invalid UTF-16 units replaced */
	int day_first;              /* the file writes dates day/month */
	int ambiguous_dates;        /* some a/b date read both ways (03/09/2024) */
	int month_first_proven;     /* some a/b date read only month first (08/27/2024) */
	unsigned long first_truncated_line;
	unsigned long bad_json;       /* JSON records that did not parse, nested past the limit, or lines
	                                 with bytes outside any object (not blanks or , [ ]) */
	unsigned long first_bad_json_line;
};

/* Returns 0 to go on, non-zero to stop feeding. */
typedef int (*record_fn)(void *ctx, const struct record *r);

struct text_reader;

struct text_reader *text_reader_new(size_t max_record, record_fn fn, void *ctx);
/* Feeds n more bytes. Returns the callback's non-zero value when it asked to stop, else 0. */
int text_reader_feed(struct text_reader *tr, const void *p, size_t n);
/* Flushes the last record. */
int text_reader_finish(struct text_reader *tr);
/* Once min_bytes have been fed, decoding and the callbacks move to a helper thread: feed then
 * copies each block into a small bounded queue and returns, so the caller can inflate the next
 * block while the last one is matched. The callback must then touch only what ctx reaches, and
 * the caller must not touch that until text_reader_finish returns (it waits for the helper). A
 * stop asked by the callback is seen by feed a block or two later. Stats are final after finish. */
void text_reader_pipeline(struct text_reader *tr, size_t min_bytes);
/* While the helper runs: the queue's next free slot, with room for n bytes (waits for one), for
 * the caller to write the next block into; fed from there it is not copied. NULL when there is
 * no helper (or it stopped): feed then reads the block where it is, as always. */
void *text_reader_room(struct text_reader *tr, size_t n);
const struct text_stats *text_reader_stats(const struct text_reader *tr);
/* When the entry was written (its archive time, seconds since 1970): the year of timestamps written
 * without one (the journal's "Aug 27 03:07:43"). Set before the first feed. */
void text_reader_entry_time(struct text_reader *tr, int64_t secs);
void text_reader_free(struct text_reader *tr);

const char *text_encoding_name(int enc);

/* Whether an entry's first bytes (UTF-8) are a log of the whole client that a framer reads -- a
 * macOS unified-log export or a Linux journal export -- whatever the entry's name: the client's
 * OS ("macOS", "Linux"), else NULL. The reader frames such an entry with the same framer. */
#define TEXT_CLIENT_PEEK 16384 /* bytes enough for it: the bid lines of a unified-log export */
const char *text_client_log(const void *p, size_t n);

#endif
