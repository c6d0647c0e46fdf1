/* probe: a ring of the records up to the line decides the target only when the next record
 * starts past it -- the line a person gives may be any line of a multi-line record. */
#include "probe.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

void probe_init(struct probe *p)
{
	memset(p, 0, sizeof *p);
}

void probe_reset(struct probe *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->v[i].text);
	free(p->entry_name);
	memset(p, 0, sizeof *p);
}

static int tail_of(const char *name, const char *want)
{
	size_t n = strlen(name), w = strlen(want);

	return w < n && name[n - w - 1] == '/' && strcmp(name + n - w, want) == 0;
}

int probe_wants(const struct probe *p, const struct probe_spec *s, const char *name, const char *base)
{
	if (p->entry_name != NULL || s->entry == NULL)
		return 0;
	return strcmp(name, s->entry) == 0 || strcmp(base, s->entry) == 0 || tail_of(name, s->entry);
}

void probe_begin_entry(struct probe *p, const char *name)
{
	p->entry_name = xstrdup(name);
	p->reading = 1;
}

int probe_add(struct probe *p, int role, unsigned long line, const struct stamp *ts, const char *text, size_t len,
              size_t msg_off, int cut, int matched)
{
	struct probe_record *k;

	if (p->n >= PROBE_MAX)
		return 0;
	if (len > PROBE_TEXT_MAX)
		len = PROBE_TEXT_MAX, cut = 1;
	k = &p->v[p->n++];
	k->role = role;
	k->line = line;
	k->ts = *ts;
	k->text = xstrndup(text, len);
	k->msg_off = msg_off <= len ? msg_off : len;
	k->cut = cut;
	k->matched = matched;
	return 1;
}

static void add_slot(struct probe *p, int role, const struct probe_slot *s)
{
	probe_add(p, role, s->line, &s->ts, s->text, s->len, s->msg_off, s->cut, s->matched);
}

static void fill_slot(struct probe_slot *s, const struct record *r, int matched)
{
	s->len = r->len < PROBE_TEXT_MAX ? r->len : PROBE_TEXT_MAX;
	memcpy(s->text, r->text, s->len);
	s->text[s->len] = '\0';
	s->cut = r->len > PROBE_TEXT_MAX || r->truncated;
	s->line = r->line;
	s->ts = r->ts;
	s->msg_off = r->msg >= r->text && r->msg <= r->text + r->len ? (size_t)(r->msg - r->text) : 0;
	s->matched = matched;
}

/* The newest record of the ring is the target, the ones before it its earlier neighbours. */
static void decide(struct probe *p)
{
	size_t i, cap = PROBE_AROUND + 1;

	p->decided = 1;
	if (p->ring_n == 0)
		return;
	for (i = 0; i < p->ring_n; i++) {
		const struct probe_slot *s = &p->ring[(p->ring_pos + cap - p->ring_n + i) % cap];

		add_slot(p, i + 1 == p->ring_n ? PR_TARGET : PR_BEFORE, s);
	}
	p->after_left = PROBE_AROUND;
}

void probe_record(struct probe *p, const struct probe_spec *s, const struct record *r, int matched)
{
	if (!p->reading)
		return;
	if (s->line && !p->decided) {
		if (r->line <= s->line) {
			fill_slot(&p->ring[p->ring_pos], r, matched);
			p->ring_pos = (p->ring_pos + 1) % (PROBE_AROUND + 1);
			if (p->ring_n < PROBE_AROUND + 1)
				p->ring_n++;
		} else {
			decide(p);
		}
	}
	if (p->decided && p->after_left > 0 && r->line > s->line && probe_target(p) != NULL) {
		struct probe_slot tmp;

		fill_slot(&tmp, r, matched);
		add_slot(p, PR_AFTER, &tmp);
		p->after_left--;
	}
	if (s->keep_matched && matched && p->nmatched < PROBE_MATCHED) {
		struct probe_slot tmp;

		fill_slot(&tmp, r, matched);
		add_slot(p, PR_MATCHED, &tmp);
		p->nmatched++;
	}
}

void probe_end_entry(struct probe *p)
{
	if (p->reading && !p->decided)
		decide(p);
	p->reading = 0;
}

const struct probe_record *probe_target(const struct probe *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->v[i].role == PR_TARGET)
			return &p->v[i];
	return NULL;
}
