/* frame_json: JSON exports of a client's log, an object a record -- macOS `log show --style ndjson`
 * (an object a line) and `--style json` (one array of pretty-printed objects) with "timestamp",
 * "eventMessage", "processImagePath", "processID", "senderImagePath", "subsystem", "category"
 * [inferred from Apple's log(1)], and `journalctl -o json` / `json-pretty` with
 * "__REALTIME_TIMESTAMP" (microseconds since 1970, UTC), "MESSAGE", "_COMM" (else
 * "SYSLOG_IDENTIFIER"), "_PID" [systemd's journalctl(1)]. A small scanner follows strings and
 * nesting across lines and gathers one top-level object at a time (at most the record limit), which
 * Jansson then parses: an array export of any size is read in the memory of its largest object. The
 * record's text is made as a syslog line would read ("TIME process[pid]: (sender) [subsystem:category]
 * message", the time as written), so the rules that read the text formats read it the same; the
 * message is eventMessage / MESSAGE. An object that does not parse, or nests deeper than
 * JSON_DEPTH_MAX, is one untimed record of its raw text, counted in bad_json. */
#include "text_in.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define JSON_DEPTH_MAX 32 /* a log record is a flat object with a few small ones inside */

struct json_state {
	struct buf obj;      /* the object being gathered */
	struct buf text;     /* the record's text, made */
	size_t depth;        /* nesting inside the current object (0: between objects) */
	size_t deepest;
	int in_str, esc;
	int cut;             /* the object outgrew the record limit: the rest is dropped */
	unsigned long line;  /* its first line */
};

static void json_free(void *vp)
{
	struct json_state *js = vp;

	buf_reset(&js->obj);
	buf_reset(&js->text);
}

static const char *str_of(json_t *o, const char *key, size_t *len)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_string(v))
		return NULL;
	*len = json_string_length(v);
	return json_string_value(v);
}

/* A key's value as text: a string as it is, an integer in decimal (processID, _PID). */
static void add_value(struct buf *b, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (json_is_string(v))
		buf_add(b, json_string_value(v), json_string_length(v));
	else if (json_is_integer(v))
		buf_printf(b, "%lld", (long long)json_integer_value(v));
}

/* The last part of a path: "/opt/cisco/secureclient/bin/acumbrellaagent" -> "acumbrellaagent". */
static void add_base(struct buf *b, const char *path, size_t n)
{
	const char *slash = n ? memrchr(path, '/', n) : NULL;

	if (slash)
		n -= (size_t)(slash + 1 - path), path = slash + 1;
	buf_add(b, path, n);
}

/* The journal's MESSAGE: a string, or an array of byte values when it is not UTF-8 text. */
static void add_message(struct buf *b, json_t *v, size_t room)
{
	size_t i, start = b->len;

	if (json_is_string(v)) {
		buf_add(b, json_string_value(v), json_string_length(v) < room ? json_string_length(v) : room);
		return;
	}
	for (i = 0; json_is_array(v) && i < json_array_size(v) && b->len - start < room; i++) {
		json_t *c = json_array_get(v, i);

		if (json_is_integer(c))
			buf_addc(b, (char)(unsigned char)json_integer_value(c));
	}
}

/* "__REALTIME_TIMESTAMP": microseconds since 1970 as a string (or a number) -> a UTC stamp. */
static int realtime(json_t *v, struct stamp *ts)
{
	long long us = -1;

	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		char *end;

		us = strtoll(s, &end, 10);
		if (end == s || *end != '\0')
			return -1;
	} else if (json_is_integer(v)) {
		us = (long long)json_integer_value(v);
	}
	if (us < 0 || us > 253402300799999999LL) /* before 1970 or after 9999 */
		return -1;
	timefmt_from_epoch(us / 1000000, ts);
	ts->ms += (us % 1000000) / 1000;
	return 0;
}

/* The record of a parsed object. Returns 0, or -1 when it is neither kind of log record. */
static int make_record(struct json_state *js, const struct text_sink *out, json_t *o, struct stamp *ts,
                       size_t *msg)
{
	struct buf *t = &js->text;
	const char *s;
	size_t n;
	json_t *m;

	t->len = 0;
	memset(ts, 0, sizeof *ts);
	if ((m = json_object_get(o, "eventMessage")) != NULL && json_is_string(m)) {
		if ((s = str_of(o, "timestamp", &n)) != NULL) {
			size_t used = timefmt_parse_iso(s, n, ts);

			if (used == 0)
				memset(ts, 0, sizeof *ts);
			buf_add(t, s, n < 40 ? n : 40);
			buf_addc(t, ' ');
		}
		if ((s = str_of(o, "processImagePath", &n)) != NULL)
			add_base(t, s, n);
		else
			buf_adds(t, "?");
		buf_addc(t, '[');
		add_value(t, o, "processID");
		buf_adds(t, "]: ");
		if ((s = str_of(o, "senderImagePath", &n)) != NULL && n) {
			buf_addc(t, '(');
			add_base(t, s, n < 1024 ? n : 1024);
			buf_adds(t, ") ");
		}
		if ((s = str_of(o, "subsystem", &n)) != NULL && n) {
			buf_addc(t, '[');
			buf_add(t, s, n < 256 ? n : 256);
			buf_addc(t, ':');
			add_value(t, o, "category");
			buf_adds(t, "] ");
		}
	} else if ((m = json_object_get(o, "MESSAGE")) != NULL) {
		json_t *rt = json_object_get(o, "__REALTIME_TIMESTAMP");
		char iso[40];

		if (rt && realtime(rt, ts) == 0) {
			timefmt_format(ts, iso, sizeof iso);
			buf_printf(t, "%sZ ", iso);
		}
		if ((s = str_of(o, "_COMM", &n)) != NULL || (s = str_of(o, "SYSLOG_IDENTIFIER", &n)) != NULL)
			buf_add(t, s, n < 256 ? n : 256);
		else
			buf_adds(t, "?");
		buf_addc(t, '[');
		add_value(t, o, "_PID");
		buf_adds(t, "]: ");
	} else {
		return -1;
	}
	*msg = t->len;
	if (t->len < out->max_record)
		add_message(t, m, out->max_record - t->len);
	return 0;
}

/* One gathered object -> its record. */
static void json_object_done(struct text_sink *out, struct json_state *js)
{
	struct stamp ts;
	json_error_t err;
	json_t *o = NULL;
	size_t msg = 0;
	int bad = js->deepest > JSON_DEPTH_MAX;

	if (!js->cut && !bad) {
		o = json_loadb(js->obj.p, js->obj.len, 0, &err);
		bad = !json_is_object(o);
	}
	if (o && !bad && make_record(js, out, o, &ts, &msg) == 0) {
		text_emit_line(out, js->text.p, js->text.len, js->line, js->text.len >= out->max_record, &ts, msg);
	} else {
		if (bad) {
			if (out->st.bad_json++ == 0)
				out->st.first_bad_json_line = js->line;
		}
		/* not a log record (or cut): its raw text, so that nothing in it goes unread */
		text_emit_line(out, js->obj.p ? js->obj.p : "", js->obj.len, js->line, js->cut, NULL, 0);
	}
	json_decref(o);
	js->obj.len = 0;
	js->cut = 0;
	js->deepest = 0;
}

static void gather(struct text_sink *out, struct json_state *js, const char *s, size_t n)
{
	if (js->cut)
		return;
	if (js->obj.len + n > out->max_record) {
		n = js->obj.len < out->max_record ? out->max_record - js->obj.len : 0;
		js->cut = 1;
	}
	buf_add(&js->obj, s, n);
}

static void json_line(struct text_sink *out, void *state, const char *s, size_t n, unsigned long lineno, int cut)
{
	struct json_state *js = state;
	size_t i, from = 0;
	int stray = 0;

	(void)cut; /* a cut line leaves the object open or bad: the scanner sees what it got */
	if (js->depth)
		gather(out, js, "\n", 1);
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (js->depth == 0) {
			if (c == '{') {
				js->depth = js->deepest = 1;
				js->line = lineno;
				js->in_str = js->esc = 0;
				from = i;
			} else if (c != ' ' && c != '\t' && c != ',' && c != '[' && c != ']' && !stray++) {
				if (out->st.bad_json++ == 0) /* once a line: text outside any object is skipped */
					out->st.first_bad_json_line = lineno;
			}
			continue;
		}
		if (js->in_str) {
			if (js->esc)
				js->esc = 0;
			else if (c == '\\')
				js->esc = 1;
			else if (c == '"')
				js->in_str = 0;
			continue;
		}
		if (c == '"') {
			js->in_str = 1;
		} else if (c == '{' || c == '[') {
			if (++js->depth > js->deepest)
				js->deepest = js->depth;
		} else if (c == '}' || c == ']') {
			if (--js->depth == 0) {
				gather(out, js, s + from, i + 1 - from);
				json_object_done(out, js);
				from = i + 1;
			}
		}
	}
	if (js->depth)
		gather(out, js, s + from, n - from);
}

static void json_finish(struct text_sink *out, void *state)
{
	struct json_state *js = state;

	if (js->depth) { /* the export ends inside an object: cut short */
		js->deepest = JSON_DEPTH_MAX + 1; /* no partial object is parsed */
		json_object_done(out, js);
		js->depth = 0;
	}
}

static const char *const mac_keys[] = {"\"eventMessage\"", "\"processImagePath\"", "\"messageType\"", NULL};
static const char *const journal_keys[] = {"\"__REALTIME_TIMESTAMP\"", "\"_COMM\"", "\"MESSAGE\"", NULL};

static int has_key(const char *s, size_t n, const char *const *keys)
{
	size_t i;

	for (i = 0; keys[i]; i++)
		if (memmem(s, n, keys[i], strlen(keys[i])) != NULL)
			return 1;
	return 0;
}

/* An object on its line (ndjson, journalctl -o json) with a key of either log; or the first line
 * of a pretty-printed export ("[{", "[", "{"): client_os then looks for the keys. */
static int bid_json(const char *s, size_t n)
{
	size_t i = text_skip_blanks(s, n, 0);

	if (i < n && (s[i] == '{' || s[i] == '[') && (has_key(s, n, mac_keys) || has_key(s, n, journal_keys)))
		return 60;
	while (n > i && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if ((n - i == 1 && (s[i] == '[' || s[i] == '{')) || (n - i == 2 && s[i] == '[' && s[i + 1] == '{'))
		return BID_FIRST_LINE;
	return 0;
}

static const char *json_os(const char *p, size_t n)
{
	if (has_key(p, n, mac_keys))
		return "macOS";
	if (memmem(p, n, "\"__REALTIME_TIMESTAMP\"", 22) != NULL)
		return "Linux";
	return NULL;
}

const struct framer frame_json = {
    .name = "json",
    .state_size = sizeof(struct json_state),
    .bid = bid_json,
    .line = json_line,
    .finish = json_finish,
    .free = json_free,
    .client_os = json_os,
};
