/* escape: untrusted text (log lines, entry names, values from a bundle) made safe for each sink
 * from one list of dangerous characters: C0 and C1 controls, DEL, and the bidi controls
 * U+202A..U+202E and U+2066..U+2069 (a U+202E in a quoted log line reverses what the engineer
 * reads). Pure functions; the caller owns every buffer. */
#ifndef DARTSCAN_ESCAPE_H
#define DARTSCAN_ESCAPE_H

#include <stddef.h>
#include <stdint.h>

#include <stdio.h>

#include "util.h"

enum esc_sink {
	ESC_TERM, /* a terminal or a log: dangerous characters shown as \xNN / \uNNNN, tab as a space */
	ESC_TEXT, /* a document (JSON, SARIF): valid UTF-8, controls as U+2400 pictures, the rest U+FFFD */
	ESC_XML,  /* XML 1.0 text: as ESC_TEXT, and U+FFFE/U+FFFF (not XML characters) replaced */
	ESC_HTML  /* HTML text and attribute values: as ESC_XML, and & < > " ' as entities */
};

/* Length of the valid UTF-8 sequence at s (1..4, n bytes available), or 0 when it is not one. */
size_t utf8_seq_len(const unsigned char *s, size_t n);
/* Is the code point one a reader must never be given raw (the list above)? */
int escape_dangerous(uint32_t cp);
/* Appends n bytes of s (any bytes) to b, made safe for the sink. */
void escape_append(struct buf *b, const char *s, size_t n, int sink);
/* Writes s escaped for the terminal to out. */
void escape_put_term(FILE *out, const char *s);
/* The same for a NUL-terminated string; nothing for NULL. */
void escape_adds(struct buf *b, const char *s, int sink);

#endif
