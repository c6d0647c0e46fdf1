/* capture: reads a pcap file (pcapfile.c) or a pcapng file (with the block reader of pcapng.c),
 * decodes each frame (packet.c) and follows what the client's DNS queries to the Umbrella resolvers
 * and its TCP connections to the SWG proxy got back: answers, retransmissions, RSTs, handshakes.
 * Gives the counts, the verdicts and the frames that show them in struct capture. */
#include "capture.h"
#include "packet.h"
#include "pcapfile.h"
#include "pcapng.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEEN_MAX 512

static const char *const verdict_names[CV_COUNT] = {"dns-unanswered", "dns-answered", "proxy-rst", "proxy-silent",
                                                    "proxy-handshake"};

const char *cap_verdict_name(int v)
{
	return v >= 0 && v < CV_COUNT ? verdict_names[v] : "?";
}

int cap_verdict_parse(const char *s)
{
	int i;

	for (i = 0; i < CV_COUNT; i++)
		if (strcmp(s, verdict_names[i]) == 0)
			return i;
	return -1;
}

void cap_limits_default(struct cap_limits *l)
{
	l->max_frames = 20000000;
	l->max_bytes = 8ull << 30;
}

void capture_reset(struct capture *c)
{
	free(c->path);
	free(c->problem);
	memset(c, 0, sizeof *c);
}

/* What a scan of the frames remembers: queries and SYNs seen, to count retransmissions. */
struct seen {
	uint32_t key[SEEN_MAX];
	size_t n;
};

static int seen_before(struct seen *s, uint32_t key)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->key[i] == key)
			return 1;
	if (s->n < SEEN_MAX)
		s->key[s->n++] = key;
	return 0;
}

static uint32_t hash(const void *p, size_t n, uint32_t h)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

static int is_resolver(const struct pkt *k, const unsigned char *a)
{
	static const unsigned char v4a[4] = {208, 67, 222, 222}, v4b[4] = {208, 67, 220, 220};
	static const unsigned char v6a[16] = {0x26, 0x20, 0x01, 0x19, 0, 0x53, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x53};
	static const unsigned char v6b[16] = {0x26, 0x20, 0x01, 0x19, 0, 0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x35};

	if (k->v6)
		return memcmp(a, v6a, 16) == 0 || memcmp(a, v6b, 16) == 0;
	return memcmp(a, v4a, 4) == 0 || memcmp(a, v4b, 4) == 0;
}

static int is_proxy(const struct capture *c, const struct pkt *k, const unsigned char *a, const char *as)
{
	if (c->proxy[0])
		return strcmp(as, c->proxy) == 0;
	/* without an address from the bundle: the SWG ingress ranges */
	return !k->v6 && ((a[0] == 146 && a[1] == 112) || (a[0] == 155 && a[1] == 190) || (a[0] == 151 && a[1] == 186));
}

static void keep(struct capture *c, int v, unsigned long frame, int64_t ms, const struct pkt *k, const char *what)
{
	struct cap_frame *f;

	if (c->nev[v] >= CAP_EV)
		return;
	f = &c->ev[v][c->nev[v]++];
	f->frame = frame;
	f->utc_ms = ms;
	snprintf(f->text, sizeof f->text, "frame %lu  %s%s%s:%u -> %s%s%s:%u  %s %s", frame, k->v6 ? "[" : "", k->srcs,
	         k->v6 ? "]" : "", k->sport, k->v6 ? "[" : "", k->dsts, k->v6 ? "]" : "", k->dport,
	         k->proto == 6 ? "TCP" : "UDP", what);
}

/* A retransmission is the same question resent: the same client, query id, type and name (in
 * any case) -- to either resolver, on either port. A new id is a new question. */
static uint32_t query_key(const struct pkt *k, unsigned id, const struct question *q)
{
	unsigned char b[16 + 2 + 2];
	uint32_t h;
	size_t i;

	memcpy(b, k->src, 16);
	b[16] = (unsigned char)(id >> 8), b[17] = (unsigned char)id;
	b[18] = (unsigned char)(q->type >> 8), b[19] = (unsigned char)q->type;
	h = hash(b, sizeof b, 2166136261u);
	for (i = 0; q->name[i]; i++) {
		unsigned char ch = (unsigned char)q->name[i];

		h = (h ^ (ch >= 'A' && ch <= 'Z' ? ch + 32u : ch)) * 16777619u; /* hash()'s step, case folded */
	}
	return h;
}

static void on_dns(struct capture *c, struct seen *sq, unsigned long frame, int64_t ms, const struct pkt *k)
{
	const unsigned char *p = k->l4;
	size_t n = k->l4len;
	int to = is_resolver(k, k->dst), from = is_resolver(k, k->src);
	unsigned port = to ? k->dport : k->sport;
	int pi = port == 443;
	struct question qu;
	char q[160], what[200];

	if ((!to && !from) || (port != 53 && port != 443))
		return;
	if (k->proto == 6) {
		if (n < 2)
			return;
		p += 2, n -= 2; /* DNS over TCP: a length prefix */
	}
	if (n < 12)
		return;
	packet_dns_question(p, n, &qu);
	packet_question_text(&qu, q, sizeof q);
	if (to && !(p[2] & 0x80)) {
		int again = seen_before(sq, query_key(k, be16(p), &qu));

		c->dns_q[pi]++;
		c->dns_retrans += again;
		snprintf(what, sizeof what, "DNS query 0x%04x %s%s", be16(p), q, again ? " retransmitted" : "");
		keep(c, CV_DNS_UNANSWERED, frame, ms, k, what);
	} else if (from && (p[2] & 0x80)) {
		c->dns_a[pi]++;
		snprintf(what, sizeof what, "DNS answer 0x%04x %s", be16(p), q);
		keep(c, CV_DNS_ANSWERED, frame, ms, k, what);
	}
}

/* A TCP segment's identity -- both addresses and ports, the sequence number and its kind (SYN or
 * SYN-ACK) -- so that a resend matches it and nothing else does. */
static uint32_t segment_key(const struct pkt *k, unsigned char kind)
{
	unsigned char b[16 + 16 + 2 + 2 + 4 + 1];

	memcpy(b, k->src, 16);
	memcpy(b + 16, k->dst, 16);
	b[32] = (unsigned char)(k->sport >> 8), b[33] = (unsigned char)k->sport;
	b[34] = (unsigned char)(k->dport >> 8), b[35] = (unsigned char)k->dport;
	b[36] = (unsigned char)(k->seq >> 24), b[37] = (unsigned char)(k->seq >> 16);
	b[38] = (unsigned char)(k->seq >> 8), b[39] = (unsigned char)k->seq;
	b[40] = kind;
	return hash(b, sizeof b, 2166136261u);
}

static void on_tcp(struct capture *c, struct seen *ss, unsigned long frame, int64_t ms, const struct pkt *k)
{
	unsigned f = k->tcpflags;
	int to = is_proxy(c, k, k->dst, k->dsts) && (k->dport == 443 || k->dport == 80);
	int from = is_proxy(c, k, k->src, k->srcs) && (k->sport == 443 || k->sport == 80);

	if (to && (f & 0x02) && !(f & 0x10)) {
		int again = seen_before(ss, segment_key(k, 0x02));

		c->syn++;
		c->syn_retrans += again;
		/* each verdict shows the SYNs next to what answered them (or did not) */
		keep(c, CV_PROXY_SILENT, frame, ms, k, again ? "[SYN] retransmitted" : "[SYN]");
		keep(c, CV_PROXY_RST, frame, ms, k, again ? "[SYN] retransmitted" : "[SYN]");
		keep(c, CV_PROXY_HANDSHAKE, frame, ms, k, again ? "[SYN] retransmitted" : "[SYN]");
	} else if (from && (f & 0x04)) {
		c->rst++;
		keep(c, CV_PROXY_RST, frame, ms, k, "[RST]");
	} else if (from && (f & 0x12) == 0x12) {
		/* a SYN-ACK resent (its ACK was lost, or the client was slow) is still one handshake */
		int again = seen_before(ss, segment_key(k, 0x12));

		c->synack += !again;
		keep(c, CV_PROXY_HANDSHAKE, frame, ms, k, again ? "[SYN, ACK] retransmitted" : "[SYN, ACK]");
	} else if (to && (f & 0x10) && !(f & 0x02) && c->synack > c->acked) {
		c->acked++;
	}
}

static void conclude(struct capture *c)
{
	unsigned long q = c->dns_q[0] + c->dns_q[1], a = c->dns_a[0] + c->dns_a[1];

	if (q > 0 && a == 0) {
		c->holds[CV_DNS_UNANSWERED] = 1;
		snprintf(c->summary[CV_DNS_UNANSWERED], sizeof c->summary[0],
		         "%lu DNS queries to the resolvers (%lu on port 53, %lu on 443), %lu retransmitted, no answer", q,
		         c->dns_q[0], c->dns_q[1], c->dns_retrans);
	}
	if (a > 0) {
		c->holds[CV_DNS_ANSWERED] = 1;
		snprintf(c->summary[CV_DNS_ANSWERED], sizeof c->summary[0],
		         "the resolvers answered %lu of %lu queries (port 53: %lu/%lu, port 443: %lu/%lu)", a, q, c->dns_a[0],
		         c->dns_q[0], c->dns_a[1], c->dns_q[1]);
	}
	if (c->syn > 0 && c->synack == 0 && c->rst > 0) {
		c->holds[CV_PROXY_RST] = 1;
		snprintf(c->summary[CV_PROXY_RST], sizeof c->summary[0],
		         "%lu SYNs to %s answered by %lu RSTs, no handshake", c->syn, c->proxy[0] ? c->proxy : "the SWG proxy",
		         c->rst);
	}
	if (c->syn > 0 && c->synack == 0 && c->rst == 0) {
		c->holds[CV_PROXY_SILENT] = 1;
		snprintf(c->summary[CV_PROXY_SILENT], sizeof c->summary[0],
		         "%lu SYNs to %s (%lu retransmitted), no answer at all", c->syn,
		         c->proxy[0] ? c->proxy : "the SWG proxy", c->syn_retrans);
	}
	if (c->synack > 0) {
		c->holds[CV_PROXY_HANDSHAKE] = 1;
		snprintf(c->summary[CV_PROXY_HANDSHAKE], sizeof c->summary[0],
		         "%lu of %lu SYNs to %s completed the handshake", c->synack, c->syn,
		         c->proxy[0] ? c->proxy : "the SWG proxy");
	}
}

/* What one pass over the frames keeps besides the counts in struct capture. */
struct reading {
	struct seen sq, ss;   /* queries and SYNs seen, to count retransmissions */
	uint64_t bytes;
	size_t cut_min, cut_max; /* how much of the cut frames was kept */
	unsigned char protos[32]; /* the IP protocols of the frames with no TCP or UDP header, a bit each */
	int timed_any;            /* a frame with a time was seen: first_ms and last_ms hold */
	int64_t prev_ms;          /* the time of the last frame that had one */
};

/* Adds one sentence to what the report says about the capture as a whole. */
static void note_problem(struct capture *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note_problem(struct capture *c, const char *fmt, ...)
{
	va_list ap;
	char s[400], *both;

	va_start(ap, fmt);
	vsnprintf(s, sizeof s, fmt, ap);
	va_end(ap);
	both = c->problem ? xasprintf("%s; %s", c->problem, s) : xstrdup(s);
	free(c->problem);
	c->problem = both;
}

static const char *ip_proto_name(unsigned p)
{
	static const struct {
		unsigned p;
		const char *name;
	} names[] = {{0, "HOPOPT"},      {1, "ICMP"},       {2, "IGMP"},        {4, "IPv4"},       {6, "TCP"},
	             {17, "UDP"},        {41, "IPv6"},      {43, "IPv6-Route"}, {44, "IPv6-Frag"}, {47, "GRE"},
	             {50, "ESP"},        {51, "AH"},        {58, "ICMPv6"},     {59, "IPv6-NoNxt"}, {60, "IPv6-Opts"},
	             {89, "OSPF"},       {103, "PIM"},      {112, "VRRP"},      {132, "SCTP"}};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].p == p)
			return names[i].name;
	return NULL;
}

/* "no IP packet could be decoded" only when none was: IP frames that carry something else (ESP,
 * ICMP, later fragments) are named by their protocols. Said only of a capture read in full. */
static void note_undecoded(struct capture *c, const struct reading *r)
{
	char list[120] = "";
	size_t o = 0;
	unsigned p, shown = 0;

	if (c->frames == 0 || c->undecoded + c->ip_other < c->frames || c->problem != NULL)
		return;
	if (c->ip_other == 0) {
		note_problem(c, "no IP packet could be decoded (link type %d)", c->linktype);
		return;
	}
	for (p = 0; p < 256 && o < sizeof list; p++) {
		const char *name = ip_proto_name(p);

		if (!(r->protos[p / 8] & (1u << (p % 8))))
			continue;
		if (shown++ == 4) {
			snprintf(list + o, sizeof list - o, ", ...");
			break;
		}
		o += (size_t)snprintf(list + o, sizeof list - o, "%s%u%s%s", o ? ", " : "", p, name ? " " : "",
		                      name ? name : "");
	}
	if (c->undecoded)
		note_problem(c, "%lu IP frames, none with a TCP or UDP header (IP protocol%s %s), and %lu %s not IP",
		             c->ip_other, shown > 1 ? "s" : "", list, c->undecoded, c->undecoded > 1 ? "frames" : "frame");
	else
		note_problem(c, "%lu IP frames, none with a TCP or UDP header (IP protocol%s %s)", c->ip_other,
		             shown > 1 ? "s" : "", list);
}

static void note_cut(struct capture *c, const struct reading *r)
{
	if (c->cut == 0)
		return;
	if (r->cut_min == r->cut_max)
		note_problem(c, "%lu of %lu frames cut short by the snap length (%zu bytes kept): verdicts come from "
		             "the headers captured", c->cut, c->frames, r->cut_min);
	else
		note_problem(c, "%lu of %lu frames cut short by the snap length (%zu to %zu bytes kept): verdicts "
		             "come from the headers captured", c->cut, c->frames, r->cut_min, r->cut_max);
}

static void count_cut(struct capture *c, struct reading *r, size_t caplen, size_t len)
{
	if (caplen >= len)
		return;
	if (c->cut++ == 0 || caplen < r->cut_min)
		r->cut_min = caplen;
	if (caplen > r->cut_max)
		r->cut_max = caplen;
}

/* Where the frames come from: pcapfile.c's reader for pcap, pcapng.c's for pcapng. */
struct source {
	struct pcapfile *pf;
	struct pcapng *ng;
};

static int source_next(struct source *s, struct pcap_frame *r, char *why, size_t wn)
{
	return s->ng ? pcapng_next(s->ng, r, why, wn) : pcapfile_next(s->pf, r, why, wn);
}

static void source_close(struct source *s)
{
	pcapfile_close(s->pf);
	pcapng_close(s->ng);
}

static void on_frame(struct capture *c, struct reading *r, const struct pcap_frame *rec)
{
	struct pkt k;

	memset(&k, 0, sizeof k);
	if (packet_decode(rec->linktype, &k, rec->data, rec->caplen) != 0) {
		if (k.ip) {
			c->ip_other++;
			r->protos[k.proto / 8] |= (unsigned char)(1u << (k.proto % 8));
		} else {
			c->undecoded++;
		}
		return;
	}
	if (k.proto == 17 || (k.proto == 6 && k.l4len > 0 && (k.sport == 53 || k.dport == 53)))
		on_dns(c, &r->sq, c->frames, rec->ms, &k);
	if (k.proto == 6)
		on_tcp(c, &r->ss, c->frames, rec->ms, &k);
}

/* first/last come from the frames that have a time, and only from them: a capture with none has
 * none (never 1970). A frame without one is placed at the time of the frame before it. */
static void count_time(struct capture *c, struct reading *r, struct pcap_frame *rec)
{
	if (!rec->timed) {
		c->untimed++;
		rec->ms = r->prev_ms;
		return;
	}
	c->bad_usec += rec->bad_usec;
	if (!r->timed_any || rec->ms < c->first_ms)
		c->first_ms = rec->ms;
	if (!r->timed_any || rec->ms > c->last_ms)
		c->last_ms = rec->ms;
	r->timed_any = 1;
	r->prev_ms = rec->ms;
}

/* Reads every frame of an open capture into c; closes s. */
static void read_frames(struct source *s, const struct cap_limits *lim, struct capture *c)
{
	struct reading *r = xcalloc(1, sizeof *r);
	struct pcap_frame rec;
	char why[300];
	int rc;

	while ((rc = source_next(s, &rec, why, sizeof why)) == 1) {
		if (++c->frames > lim->max_frames || (r->bytes += rec.caplen) > lim->max_bytes) {
			note_problem(c, "capture larger than the limits; read the first %lu frames", c->frames - 1);
			c->frames--;
			break;
		}
		count_time(c, r, &rec);
		count_cut(c, r, rec.caplen, rec.len);
		on_frame(c, r, &rec);
	}
	if (rc == -1 && c->problem == NULL)
		note_problem(c, "capture damaged after frame %lu: %s", c->frames, why);
	source_close(s);
	note_undecoded(c, r);
	note_cut(c, r);
	if (c->bad_usec)
		note_problem(c, "%lu %s microseconds of a million or more: only %s seconds are taken", c->bad_usec,
		             c->bad_usec > 1 ? "frames have" : "frame has", c->bad_usec > 1 ? "their" : "its");
	if (c->untimed)
		note_problem(c, "%lu %s no usable time (a pcapng Simple Packet Block has none; one past the year 9999 is "
		             "not one): shown at the time of the frame before", c->untimed,
		             c->untimed > 1 ? "frames carry" : "frame carries");
	free(r);
	conclude(c);
}

static void start(struct capture *c, const char *name, const char *proxy)
{
	memset(c, 0, sizeof *c);
	c->path = xstrdup(name);
	snprintf(c->proxy, sizeof c->proxy, "%s", proxy ? proxy : "");
}

/* The capture in f (which this owns), by its first four bytes: pcapng or classic pcap. */
static int read_capture(FILE *f, const char *name, const struct cap_limits *lim, struct capture *c,
                        struct ds_error *err)
{
	struct source s = {NULL, NULL};
	unsigned char magic[4];
	char why[300];
	int ng = fread(magic, 1, 4, f) == 4 && pcapng_magic(magic);

	if (fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		ds_error_set(err, name, 0, "not a readable capture: cannot seek back to its start");
		return -1;
	}
	if (ng) {
		s.ng = pcapng_open(f, why, sizeof why);
		if (s.ng)
			c->linktype = pcapng_linktype(s.ng);
	} else {
		s.pf = pcapfile_open(f, why, sizeof why);
		if (s.pf)
			c->linktype = pcapfile_linktype(s.pf);
	}
	if (s.ng == NULL && s.pf == NULL) {
		fclose(f);
		ds_error_set(err, name, 0, "not a readable capture: %s", why);
		return -1;
	}
	read_frames(&s, lim, c);
	return 0;
}

int capture_read(const char *path, const char *proxy, const struct cap_limits *lim, struct capture *c,
                 struct ds_error *err)
{
	FILE *f;

	start(c, path, proxy);
	f = fopen(path, "rb");
	if (f == NULL) {
		ds_error_set(err, path, 0, "not a readable capture: %s", strerror(errno));
		return -1;
	}
	return read_capture(f, path, lim, c, err);
}

int capture_read_mem(const void *data, size_t len, const char *name, const char *proxy, const struct cap_limits *lim,
                     struct capture *c, struct ds_error *err)
{
	FILE *f = len ? fmemopen((void *)data, len, "rb") : NULL;

	start(c, name, proxy);
	if (f == NULL) {
		ds_error_set(err, name, 0, "not a readable capture: empty");
		return -1;
	}
	return read_capture(f, name, lim, c, err);
}
