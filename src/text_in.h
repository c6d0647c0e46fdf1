/* text_in: what the text reader and its framers share, private to them. A framer turns the lines
 * of one log format into records; adding a log format is a frame_*.c file and a row in text.c. */
#ifndef DARTSCAN_TEXT_IN_H
#define DARTSCAN_TEXT_IN_H

#include "textsink.h"

/* The first lines of an entry are offered to every framer's bid; the first line some framer
 * claims decides the entry's format, and lines before it are plain lines. Deciding early keeps
 * one crafted line deep in a plugin log from reframing everything after it. */
#define BID_LINES 64
#define BID_FIRST_LINE (-1) /* a bid that claims the line only as an entry's first (a bare "[{") */

struct framer {
	const char *name;
	size_t state_size; /* zeroed state the reader allocates for the entry */
	/* How surely line s opens a record of this format: 0 not at all; the highest bid wins. */
	int (*bid)(const char *s, size_t n);
	/* One line without its end of line; cut: it was longer than the record limit. */
	void (*line)(struct text_sink *out, void *state, const char *s, size_t n, unsigned long lineno, int cut);
	/* Optional, for speed: takes the whole lines that open [s, s + n) exactly as line would one
	 * by one, counting them in out->st.lines, and returns the bytes taken. It may stop before any
	 * line (the reader goes on with that line), and stops at the first it cannot take as an
	 * uncut line ending in "\n" or "\r\n" with no NUL, or once out->stop is set. */
	size_t (*lines)(struct text_sink *out, void *state, const char *s, size_t n);
	/* The end of the entry: the record being assembled, if any. May be NULL. */
	void (*finish)(struct text_sink *out, void *state);
	/* Frees what the state owns (not the state). May be NULL. */
	void (*free)(void *state);
	/* A log of the whole client (macOS's unified log, Linux's journal): given the entry's first
	 * bytes, the client's OS ("macOS", "Linux"), or NULL when they are not such a log after all.
	 * The roaming module's rules read such an entry whatever its name (text_client_log). NULL for
	 * a log of the module's own (the plugin log, the event exports). */
	const char *(*client_os)(const char *p, size_t n);
};

#endif
