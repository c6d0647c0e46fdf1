/* match: the hot path. Per entry, only the rules whose file globs take its base name; per record,
 * one multi-literal pass (prefilter.c) over the prefilter literals of all those rules, then PCRE2
 * (JIT when available) only for the patterns whose literal the record holds or that have none,
 * with reused match data and bounded match, depth and heap limits. */
#include "match.h"

#include <stdlib.h>
#include <string.h>

#include "prefilter.h"

#define EVIDENCE_TEXT_MAX 400
/* A hostile log can break every match into its own run (each five minutes after the last): past
 * these counts new runs are merged into the last run of the same meaning, or dropped, so memory
 * stays bounded (an event is about 1 KiB). */
#define MAX_RUNS_ENTRY 8192
#define MAX_EVENTS MATCH_EVENTS_MAX
#define COMP_SAID 8 /* components an entry's lines tell the state of, remembered */
#define PF_KEPT 8   /* prefilters a matcher keeps (the kinds of log a bundle has rules for) */

struct matcher {
	const struct ruleset *rs;
	struct match_limits lim;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jstack;
	pcre2_match_data *md;
	const struct rule **active;
	size_t *pat_base;      /* active[i]->pats[k] is prefilter literal pat_base[i] + k */
	size_t nactive;
	size_t *rule_of;       /* rule_of[id]: the active rule whose pattern is prefilter literal id */
	size_t caprule_of;
	size_t *always;        /* the active rules with a pattern without a literal: they run on every record */
	size_t nalways;
	size_t *todo;          /* one record's rules to run, in order, each once */
	struct prefilter *pf;  /* the entry's: one of kept[] */
	/* the prefilters built, each for its active rules: an entry with an earlier one's rules (every
	 * plugin log of a batch) takes its prefilter, anchors learned, literals sorted and grouped (a
	 * tenth of the work on small bundles) */
	struct kept_pf {
		const struct rule **active;
		size_t nactive;
		struct prefilter *pf;
		unsigned long used;
	} kept[PF_KEPT];
	size_t nkept;
	unsigned long uses, builds;
	unsigned entry;
	size_t entry_first_ev; /* first event of the current entry */
	size_t runs_from;      /* runs before this event are closed (matcher_close_runs) */
	char **warn;
	size_t nwarn, capwarn;
	unsigned char *warned;      /* warned[i]: active rule i gave up once in this entry */
	unsigned char *quiet;       /* quiet[rule index]: its matches only explain (rules_explain_only) */
	int warned_runs;            /* the run limit was reported for this entry */
	/* the state each component was last said to be in by this entry's lines, in their order: a
	 * run of failures does not reach across a line that says the component recovered */
	struct {
		char comp[32];
		char state[32];
	} said[COMP_SAID];
	size_t nsaid;
	unsigned long seq;
	struct buf scratch;
	int sniffing;               /* matcher_begin_sniff: count, keep no events */
};

void match_limits_default(struct match_limits *l)
{
	l->match_limit = 1000000;
	l->depth_limit = 10000;
	l->heap_limit_kib = 20 * 1024;
	l->run_gap_s = 300;
}

void events_init(struct events *ev)
{
	ev->v = NULL;
	ev->n = ev->cap = 0;
}

static void evidence_free(struct evidence *e)
{
	free(e->text);
	e->text = NULL;
}

const struct event *events_first_of(const struct events *ev, const struct rule *r)
{
	size_t i;

	for (i = 0; i < ev->n; i++)
		if (ev->v[i].rule == r)
			return &ev->v[i];
	return NULL;
}

void events_reset(struct events *ev)
{
	size_t i, k;

	for (i = 0; i < ev->n; i++) {
		struct event *e = &ev->v[i];

		free(e->comp);
		free(e->state);
		free(e->note);
		for (k = 0; k < e->ncaps; k++) {
			free(e->caps[k].name);
			free(e->caps[k].value);
		}
		free(e->caps);
		for (k = 0; k < e->nhead; k++)
			evidence_free(&e->head[k]);
		for (k = 0; k < e->ntail; k++)
			evidence_free(&e->tail[k]);
	}
	free(ev->v);
	events_init(ev);
}

size_t event_tail(const struct event *e, const struct evidence **out)
{
	size_t i, start = e->ntail < EV_KEEP ? 0 : e->tail_pos;

	for (i = 0; i < e->ntail; i++)
		out[i] = &e->tail[(start + i) % EV_KEEP];
	return e->ntail;
}

const char *event_capture(const struct event *e, const char *name)
{
	size_t i;

	for (i = 0; i < e->ncaps; i++)
		if (strcmp(e->caps[i].name, name) == 0)
			return e->caps[i].value;
	return NULL;
}

struct matcher *matcher_new(const struct ruleset *rs, const struct match_limits *lim)
{
	struct matcher *m = xcalloc(1, sizeof *m);

	m->rs = rs;
	m->lim = *lim;
	m->mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(m->mctx, lim->match_limit);
	pcre2_set_depth_limit(m->mctx, lim->depth_limit);
	pcre2_set_heap_limit(m->mctx, (uint32_t)lim->heap_limit_kib);
	m->jstack = pcre2_jit_stack_create(32 * 1024, 512 * 1024, NULL);
	pcre2_jit_stack_assign(m->mctx, NULL, m->jstack);
	m->md = pcre2_match_data_create(64, NULL);
	m->active = xcalloc(rs->n ? rs->n : 1, sizeof *m->active);
	m->warned = xcalloc(rs->n ? rs->n : 1, 1);
	m->quiet = xcalloc(rs->n ? rs->n : 1, 1);
	for (size_t i = 0; i < rs->n; i++)
		m->quiet[i] = (unsigned char)rules_explain_only(rs, &rs->rules[i]);
	m->pat_base = xcalloc(rs->n ? rs->n : 1, sizeof *m->pat_base);
	m->always = xcalloc(rs->n ? rs->n : 1, sizeof *m->always);
	m->todo = xcalloc(rs->n ? rs->n : 1, sizeof *m->todo);
	buf_init(&m->scratch);
	return m;
}

void matcher_free(struct matcher *m)
{
	size_t i;

	if (m == NULL)
		return;
	pcre2_match_data_free(m->md);
	pcre2_jit_stack_free(m->jstack);
	pcre2_match_context_free(m->mctx);
	free(m->active);
	free(m->warned);
	free(m->quiet);
	free(m->pat_base);
	free(m->rule_of);
	free(m->always);
	free(m->todo);
	for (i = 0; i < m->nkept; i++) {
		free(m->kept[i].active);
		prefilter_free(m->kept[i].pf);
	}
	for (i = 0; i < m->nwarn; i++)
		free(m->warn[i]);
	free(m->warn);
	buf_reset(&m->scratch);
	free(m);
}

void matcher_begin_bundle(struct matcher *m)
{
	m->entry_first_ev = 0;
	m->runs_from = 0;
	m->seq = 0;
}

/* The prefilter kept for the active rules; else *fresh, and the one to build theirs in (a new one
 * while there is room, else the least recently used), reset and keyed by their list. */
static struct kept_pf *kept_prefilter(struct matcher *m, int *fresh)
{
	size_t i, lru = 0, size = m->nactive * sizeof *m->active;
	struct kept_pf *k = NULL;

	for (i = 0; i < m->nkept; i++) {
		k = &m->kept[i];
		if (k->nactive == m->nactive && memcmp(k->active, m->active, size) == 0)
			break;
		if (k->used < m->kept[lru].used)
			lru = i;
	}
	*fresh = i == m->nkept;
	if (*fresh) {
		k = m->nkept < PF_KEPT ? &m->kept[m->nkept++] : &m->kept[lru];
		if (k->pf == NULL)
			k->pf = prefilter_new();
		prefilter_reset(k->pf);
		k->active = xrealloc(k->active, size ? size : 1);
		memcpy(k->active, m->active, size);
		k->nactive = m->nactive;
		m->builds++;
	}
	k->used = ++m->uses;
	return k;
}

/* Numbers the active rules' patterns in rule order, and puts their literals in a prefilter built
 * for them, unless one was built for the same rules before. */
static void build_prefilter(struct matcher *m)
{
	size_t i, k, id = 0;
	int fresh;

	m->pf = kept_prefilter(m, &fresh)->pf;
	m->nalways = 0;
	for (i = 0; i < m->nactive; i++) {
		const struct rule *r = m->active[i];
		int always = 0;

		m->pat_base[i] = id;
		m->rule_of = xgrow(m->rule_of, &m->caprule_of, id + r->npats, sizeof *m->rule_of);
		for (k = 0; k < r->npats; k++, id++) {
			size_t a;

			/* the branches of "A|B" share the pattern's number: finding either lets it run */
			for (a = 0; fresh && a < r->pats[k].nalts; a++)
				prefilter_add(m->pf, r->pats[k].alts[a], strlen(r->pats[k].alts[a]), (unsigned)id);
			if (r->pats[k].nalts == 0)
				always = 1;
			m->rule_of[id] = i;
		}
		if (always)
			m->always[m->nalways++] = i;
	}
}

unsigned long matcher_prefilter_builds(const struct matcher *m)
{
	return m->builds;
}

/* Forgets the last entry's per-entry state before the next one. */
static void start_entry(struct matcher *m, unsigned entry)
{
	m->nactive = 0;
	m->entry = entry;
	memset(m->warned, 0, m->rs->n ? m->rs->n : 1);
	m->warned_runs = 0;
	m->nsaid = 0;
	m->sniffing = 0;
}

size_t matcher_begin_sniff(struct matcher *m)
{
	size_t i;

	start_entry(m, 0);
	m->sniffing = 1;
	for (i = 0; i < m->rs->n; i++) {
		const struct rule *r = &m->rs->rules[i];

		if (!r->disabled && r->npats && r->state)
			m->active[m->nactive++] = r;
	}
	build_prefilter(m);
	return m->nactive;
}

size_t matcher_begin_entry(struct matcher *m, const char *base, unsigned entry)
{
	const char *one[] = {base, NULL};

	return matcher_begin_logs(m, one, entry);
}

size_t matcher_begin_logs(struct matcher *m, const char *const *bases, unsigned entry)
{
	size_t i, k;

	start_entry(m, entry);
	for (i = 0; i < m->rs->n; i++) {
		const struct rule *r = &m->rs->rules[i];

		for (k = 0; bases[k]; k++)
			if (rule_matches_entry(r, bases[k])) {
				m->active[m->nactive++] = r;
				break;
			}
	}
	build_prefilter(m);
	return m->nactive;
}

static void add_warning(struct matcher *m, char *msg)
{
	m->warn = xgrow(m->warn, &m->capwarn, m->nwarn + 1, sizeof *m->warn);
	m->warn[m->nwarn++] = msg;
}

char **matcher_take_warnings(struct matcher *m, size_t *n)
{
	char **w = m->warn;

	*n = m->nwarn;
	m->warn = NULL;
	m->nwarn = m->capwarn = 0;
	return w;
}

/* ---- events ---- */

struct cap_lookup {
	const struct pattern *p;
	pcre2_match_data *md;
	const char *subject;
	struct buf *tmp;
};

static const char *lookup_capture(void *ctx, const char *name, size_t len)
{
	struct cap_lookup *cl = ctx;
	char nm[64];
	int num;
	PCRE2_SIZE *ov;

	if (len >= sizeof nm)
		return NULL;
	memcpy(nm, name, len);
	nm[len] = '\0';
	num = pcre2_substring_number_from_name(cl->p->code, (PCRE2_SPTR)nm);
	if (num < 0)
		return NULL;
	ov = pcre2_get_ovector_pointer(cl->md);
	if (ov[2 * num] == PCRE2_UNSET)
		return NULL;
	cl->tmp->len = 0;
	buf_add(cl->tmp, cl->subject + ov[2 * num], ov[2 * num + 1] - ov[2 * num]);
	return cl->tmp->p;
}

/* "dns_${stack}=unprotected (fail-open)" -> comp, state, note; component names are lower-case. */
static void resolve_state(const char *tpl, struct cap_lookup *cl, char **comp, char **state, char **note)
{
	char *s = template_expand(tpl, lookup_capture, cl);
	char *eq = strchr(s, '='), *paren, *p;

	*comp = *state = *note = NULL;
	if (eq == NULL) {
		free(s);
		return;
	}
	*eq = '\0';
	for (p = s; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	*comp = xstrdup(trim(s));
	paren = strchr(eq + 1, '(');
	if (paren != NULL) {
		char *close = strchr(paren, ')');

		if (close)
			*close = '\0';
		*note = xstrdup(trim(paren + 1));
		*paren = '\0';
	}
	*state = xstrdup(trim(eq + 1));
	free(s);
}

/* The record's message as evidence, one line, cut at EVIDENCE_TEXT_MAX, written over old (the
 * text of the evidence it replaces, or NULL): a rule that matches every few lines replaces its tail
 * evidence as often, and a buffer of about the same size is reused rather than freed and taken. */
static char *evidence_text(char *old, const struct record *r)
{
	size_t n = r->msg_len < EVIDENCE_TEXT_MAX ? r->msg_len : EVIDENCE_TEXT_MAX, cut = r->msg_len > n ? 3 : 0;
	char *t = xrealloc(old, n + cut + 1), *nl = t;

	memcpy(t, r->msg, n);
	while ((nl = memchr(nl, '\n', (size_t)(t + n - nl))) != NULL)
		*nl++ = ' ';
	memcpy(t + n, "...", cut);
	t[n + cut] = '\0';
	return t;
}

static void keep_evidence(struct event *e, const struct record *r, unsigned entry)
{
	struct evidence *slot;

	if (e->nhead < EV_KEEP) {
		slot = &e->head[e->nhead++];
	} else {
		slot = &e->tail[e->tail_pos];
		e->tail_pos = (e->tail_pos + 1) % EV_KEEP;
		if (e->ntail < EV_KEEP)
			e->ntail++;
	}
	slot->entry = entry;
	slot->line = r->line;
	slot->ts = r->ts;
	slot->text = evidence_text(slot->text, r);
}

static int same_str(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

/* Notes that the entry's latest line about comp says state; returns whether it said another
 * state before (so the open run of this state, if any, was broken by it). */
static int say_state(struct matcher *m, const char *comp, const char *state)
{
	size_t i;
	int other;

	for (i = 0; i < m->nsaid && strcmp(m->said[i].comp, comp) != 0; i++)
		;
	if (i == m->nsaid) {
		if (i == COMP_SAID || strlen(comp) >= sizeof m->said[i].comp)
			return 0; /* not remembered: runs join as before */
		snprintf(m->said[i].comp, sizeof m->said[i].comp, "%s", comp);
		m->said[i].state[0] = '\0';
		m->nsaid++;
	}
	other = m->said[i].state[0] != '\0' && strcmp(m->said[i].state, state) != 0;
	snprintf(m->said[i].state, sizeof m->said[i].state, "%s", state);
	return other;
}

/* The open run this match extends, if any: same rule, entry and meaning, no long pause. */
static struct event *find_run(struct matcher *m, struct events *ev, const struct rule *r, int pat, const char *comp,
                              const char *state, const struct stamp *ts, int any_gap)
{
	size_t i;

	for (i = ev->n; i-- > m->entry_first_ev && i >= m->runs_from;) {
		struct event *e = &ev->v[i];

		if (e->rule != r || e->pat != pat || !same_str(e->comp, comp) || !same_str(e->state, state))
			continue;
		if (!any_gap && ts->prov != TP_NONE && e->last.prov != TP_NONE &&
		    (ts->ms - e->last.ms > m->lim.run_gap_s * 1000 || e->first.ms - ts->ms > m->lim.run_gap_s * 1000))
			return NULL;
		return e;
	}
	return NULL;
}

#define LIST_VALUES_MAX 16 /* distinct values a run keeps of each ctxlist_ group */

/* A ctxlist_ group gathers each distinct value the run's matches give (the proxy addresses the
 * failures name), as further captures of the same name, up to a bound. */
static void add_list_values(struct event *e, const struct pattern *p, pcre2_match_data *md, const char *subject)
{
	uint32_t names = 0, size = 0, i;
	PCRE2_SPTR table;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);

	pcre2_pattern_info(p->code, PCRE2_INFO_NAMECOUNT, &names);
	pcre2_pattern_info(p->code, PCRE2_INFO_NAMEENTRYSIZE, &size);
	pcre2_pattern_info(p->code, PCRE2_INFO_NAMETABLE, &table);
	for (i = 0; i < names; i++) {
		const char *nm = (const char *)table + i * size + 2;
		int num = (table[i * size] << 8) | table[i * size + 1];
		size_t k, have = 0, len;
		int dup = 0;

		if (strncmp(nm, "ctxlist_", 8) != 0 || ov[2 * num] == PCRE2_UNSET)
			continue;
		len = ov[2 * num + 1] - ov[2 * num];
		for (k = 0; k < e->ncaps && !dup; k++)
			if (strcmp(e->caps[k].name, nm) == 0) {
				have++;
				dup = strlen(e->caps[k].value) == len && memcmp(e->caps[k].value, subject + ov[2 * num], len) == 0;
			}
		if (dup || have >= LIST_VALUES_MAX)
			continue;
		e->caps = xrealloc(e->caps, (e->ncaps + 1) * sizeof *e->caps);
		e->caps[e->ncaps].name = xstrdup(nm);
		e->caps[e->ncaps].value = xstrndup(subject + ov[2 * num], len);
		e->ncaps++;
	}
}

static void record_match(struct matcher *m, const struct rule *r, const struct pattern *p, const struct record *r_,
                         struct events *ev)
{
	struct cap_lookup cl = {p, m->md, r_->text, &m->scratch};
	char *comp = NULL, *state = NULL, *note = NULL;
	struct event *e;
	int pat = r->runs_by_pattern ? (int)(p - r->pats) : 0;

	int broken = 0;

	if (r->state)
		resolve_state(r->state, &cl, &comp, &state, &note);
	if (comp && state)
		broken = say_state(m, comp, state);
	e = broken ? NULL : find_run(m, ev, r, pat, comp, state, &r_->ts, 0);
	if (e == NULL && (ev->n - m->entry_first_ev >= MAX_RUNS_ENTRY || ev->n >= MAX_EVENTS)) {
		e = find_run(m, ev, r, pat, comp, state, &r_->ts, 1);
		if (!m->warned_runs) {
			m->warned_runs = 1;
			add_warning(m, xasprintf("line %lu: more than %d separate runs of matches; later ones are merged "
			                         "into the last run of the same rule and state",
			                         r_->line, ev->n >= MAX_EVENTS ? MAX_EVENTS : MAX_RUNS_ENTRY));
		}
		if (e == NULL && ev->n >= 2 * MAX_EVENTS) {
			free(comp);
			free(state);
			free(note);
			return;
		}
	}
	if (e != NULL) {
		free(comp);
		free(state);
		free(note);
		if (p->lists)
			add_list_values(e, p, m->md, r_->text);
		e->count++;
		/* exports are often newest first: keep the run's ends by time, not by arrival */
		if (r_->ts.prov != TP_NONE && (e->last.prov == TP_NONE || r_->ts.ms > e->last.ms))
			e->last = r_->ts;
		if (r_->ts.prov != TP_NONE && (e->first.prov == TP_NONE || r_->ts.ms < e->first.ms))
			e->first = r_->ts;
		keep_evidence(e, r_, m->entry);
		return;
	}
	ev->v = xgrow(ev->v, &ev->cap, ev->n + 1, sizeof *ev->v);
	e = &ev->v[ev->n++];
	memset(e, 0, sizeof *e);
	e->rule = r;
	e->entry = m->entry;
	e->comp = comp;
	e->state = state;
	e->note = note;
	e->first = e->last = r_->ts;
	e->count = 1;
	e->pat = pat;
	e->seq = m->seq++;
	{
		uint32_t names = 0, size = 0, i;
		PCRE2_SPTR table;
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);

		pcre2_pattern_info(p->code, PCRE2_INFO_NAMECOUNT, &names);
		pcre2_pattern_info(p->code, PCRE2_INFO_NAMEENTRYSIZE, &size);
		pcre2_pattern_info(p->code, PCRE2_INFO_NAMETABLE, &table);
		e->caps = names ? xcalloc(names, sizeof *e->caps) : NULL;
		for (i = 0; i < names; i++) {
			const unsigned char *ent = table + i * size;
			int num = (ent[0] << 8) | ent[1];

			if (ov[2 * num] == PCRE2_UNSET)
				continue;
			e->caps[e->ncaps].name = xstrdup((const char *)ent + 2);
			e->caps[e->ncaps].value = xstrndup(r_->text + ov[2 * num], ov[2 * num + 1] - ov[2 * num]);
			e->ncaps++;
		}
	}
	keep_evidence(e, r_, m->entry);
}

/* Runs active rule i's patterns on the record, in order, until one matches. Returns the rule's
 * severity when one did, else -1. */
static int match_rule(struct matcher *m, size_t i, const struct record *rec, struct events *ev)
{
	const struct rule *r = m->active[i];
	size_t k;

	for (k = 0; k < r->npats; k++) {
		const struct pattern *p = &r->pats[k];
		int rc;

		if (p->literal && !prefilter_has(m->pf, (unsigned)(m->pat_base[i] + k)))
			continue;
		if (p->jit)
			rc = pcre2_jit_match(p->code, (PCRE2_SPTR)rec->text, rec->len, 0, 0, m->md, m->mctx);
		else
			rc = pcre2_match(p->code, (PCRE2_SPTR)rec->text, rec->len, 0, 0, m->md, m->mctx);
		if (rc >= 0) {
			/* a rule that only explains its lines keeps no runs: thousands of routine lines
			 * would cost copies of evidence nobody reads */
			if (!m->quiet[r - m->rs->rules] && !m->sniffing)
				record_match(m, r, p, rec, ev);
			return r->severity;
		}
		if (rc != PCRE2_ERROR_NOMATCH && !m->warned[i]) {
			PCRE2_UCHAR msg[160];

			m->warned[i] = 1;
			pcre2_get_error_message(rc, msg, sizeof msg);
			add_warning(m, xasprintf("line %lu: rule %s gave up on this record: %s",
			                         rec->line, r->id, (char *)msg));
		}
	}
	return -1;
}

/* Puts active rule i in its place in the sorted todo list (a record finds a literal or two, so
 * an insertion); a rule already there, found by the same walk, is not put twice. */
static void add_todo(struct matcher *m, size_t i, size_t *n)
{
	size_t j = *n, k;

	while (j > 0 && m->todo[j - 1] > i)
		j--;
	if (j > 0 && m->todo[j - 1] == i)
		return;
	for (k = (*n)++; k > j; k--)
		m->todo[k] = m->todo[k - 1];
	m->todo[j] = i;
}

/* The active rules that may match the record just scanned, in rule order (the order events are
 * recorded in): those owning a literal it holds, and those with a pattern that has none. A rule
 * with neither would skip every pattern. */
static size_t gather_todo(struct matcher *m)
{
	const unsigned *ids;
	size_t nids = prefilter_found(m->pf, &ids), n = 0, k;

	for (k = 0; k < m->nalways; k++)
		add_todo(m, m->always[k], &n);
	for (k = 0; k < nids; k++)
		add_todo(m, m->rule_of[ids[k]], &n);
	return n;
}

int matcher_record(struct matcher *m, const struct record *rec, struct events *ev)
{
	size_t j, n;
	int top = -1, sev;

	/* Nearly every record holds none of the literals: one pass decides that for all rules. */
	if (prefilter_scan(m->pf, rec->text, rec->len) == 0 && m->nalways == 0)
		return -1;
	n = gather_todo(m);
	for (j = 0; j < n; j++)
		if ((sev = match_rule(m, m->todo[j], rec, ev)) > top)
			top = sev;
	return top;
}

void matcher_close_runs(struct matcher *m, const struct events *ev)
{
	m->runs_from = ev->n;
}

void matcher_end_entry(struct matcher *m, const struct events *ev)
{
	m->entry_first_ev = ev->n;
}

int matcher_adopt(struct matcher *m, struct events *from, struct events *to, unsigned entry)
{
	size_t i, k;

	/* the other matcher counted from zero: below this sum the caps saw the same thing */
	if (to->n + from->n > MAX_EVENTS)
		return -1;
	for (i = 0; i < from->n; i++) {
		struct event *e = &from->v[i];

		e->entry = entry;
		for (k = 0; k < e->nhead; k++)
			e->head[k].entry = entry;
		for (k = 0; k < e->ntail; k++)
			e->tail[k].entry = entry;
		e->seq = m->seq++;
		to->v = xgrow(to->v, &to->cap, to->n + 1, sizeof *to->v);
		to->v[to->n++] = *e;
	}
	free(from->v);
	events_init(from);
	m->entry_first_ev = to->n;
	return 0;
}
