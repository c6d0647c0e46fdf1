/* capture: decodes just enough -- link layer (Ethernet with VLAN tags, raw IP, BSD loopback,
 * Linux cooked v1/v2), IPv4/IPv6, UDP/TCP, the DNS header and first question -- with every
 * length checked against the captured bytes: captures come from customers too. */
#include "capture.h"

#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

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

/* A packet, decoded down to the transport header. */
struct pkt {
	int ip; /* an IP header was read */
	int v6;
	unsigned char src[16], dst[16];
	char srcs[48], dsts[48];
	int proto; /* 6 TCP, 17 UDP */
	unsigned sport, dport;
	const unsigned char *l4; /* transport payload */
	size_t l4len;
	unsigned tcpflags;
	uint32_t seq;
};

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

static unsigned be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The TCP ports, sequence number, data offset and flags are in the header's first 14 bytes: a frame
 * cut by a short snap length inside the options still says what kind of segment it was (with no
 * payload to read). */
static int decode_l4(struct pkt *k, const unsigned char *p, size_t n)
{
	if (k->proto == 17) {
		if (n < 8)
			return -1;
		k->sport = be16(p);
		k->dport = be16(p + 2);
		k->l4 = p + 8;
		k->l4len = n - 8;
		return 0;
	}
	if (k->proto == 6) {
		size_t off;

		if (n < 14)
			return -1;
		off = (size_t)(p[12] >> 4) * 4;
		if (off < 20)
			return -1;
		k->sport = be16(p);
		k->dport = be16(p + 2);
		k->seq = be32(p + 4);
		k->tcpflags = p[13];
		k->l4 = off <= n ? p + off : p + n;
		k->l4len = off <= n ? n - off : 0;
		return 0;
	}
	return -1;
}

/* IPv4/IPv6 -> the transport header. k->ip says that an IP header was read, even when what it
 * carries could not be. */
static int decode_ip(struct pkt *k, const unsigned char *p, size_t n)
{
	if (n >= 20 && (p[0] >> 4) == 4) {
		size_t ihl = (size_t)(p[0] & 15) * 4, tot = be16(p + 2);

		k->ip = 1;
		k->v6 = 0;
		memcpy(k->src, p + 12, 4);
		memcpy(k->dst, p + 16, 4);
		inet_ntop(AF_INET, p + 12, k->srcs, sizeof k->srcs);
		inet_ntop(AF_INET, p + 16, k->dsts, sizeof k->dsts);
		k->proto = p[9];
		if (ihl < 20 || ihl > n)
			return -1;
		if (tot >= ihl && tot < n)
			n = tot; /* Ethernet padding is not payload */
		if ((be16(p + 6) & 0x1fff) != 0)
			return -1; /* a later fragment holds no transport header */
		return decode_l4(k, p + ihl, n - ihl);
	}
	if (n >= 40 && (p[0] >> 4) == 6) {
		size_t plen = be16(p + 4);

		k->ip = 1;
		k->v6 = 1;
		memcpy(k->src, p + 8, 16);
		memcpy(k->dst, p + 24, 16);
		inet_ntop(AF_INET6, p + 8, k->srcs, sizeof k->srcs);
		inet_ntop(AF_INET6, p + 24, k->dsts, sizeof k->dsts);
		k->proto = p[6]; /* extension headers are not followed: such packets are skipped */
		if (plen + 40 < n)
			n = plen + 40;
		return decode_l4(k, p + 40, n - 40);
	}
	return -1;
}

/* Link layer -> IP. Returns -1 for frames that are not IP or are cut short. */
static int decode_frame(int dlt, struct pkt *k, const unsigned char *p, size_t n)
{
	unsigned type;

	switch (dlt) {
	case DLT_EN10MB:
		if (n < 14)
			return -1;
		type = be16(p + 12);
		p += 14, n -= 14;
		while ((type == 0x8100 || type == 0x88a8) && n >= 4) { /* VLAN tags */
			type = be16(p + 2);
			p += 4, n -= 4;
		}
		return type == 0x0800 || type == 0x86dd ? decode_ip(k, p, n) : -1;
	case DLT_NULL:
	case DLT_LOOP:
		return n < 4 ? -1 : decode_ip(k, p + 4, n - 4);
	case 12:
	case 14:
	case 101:
	case 228:
	case 229:
		return decode_ip(k, p, n);
	case 113: /* Linux cooked v1 */
		return n < 16 ? -1 : decode_ip(k, p + 16, n - 16);
	case 276: /* Linux cooked v2 */
		return n < 20 ? -1 : decode_ip(k, p + 20, n - 20);
	default:
		return -1;
	}
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

/* The first question's name, dotted, into out (shortened to fit). Returns 0 with *end at its closing
 * zero byte, -1 when the frame ends inside it (a short snap length: out holds what was captured), -2
 * when it is not a name. Always NUL-terminated. */
static int dns_name(const unsigned char *p, size_t n, size_t *end, char *out, size_t on)
{
	size_t i = 12, o = 0;

	out[0] = '\0';
	while (i < n && p[i] != 0) {
		size_t len = p[i], j;

		if (len > 63)
			return -2; /* a pointer or a reserved label type: not in a question's first name */
		if (o && o + 1 < on)
			out[o++] = '.';
		for (j = 0; j < len && i + 1 + j < n; j++) {
			unsigned char ch = p[i + 1 + j];

			if (o + 1 < on)
				out[o++] = ch >= 0x21 && ch < 0x7f ? (char)ch : '?';
		}
		out[o] = '\0';
		if (j < len)
			return -1;
		i += 1 + len;
	}
	*end = i;
	return i < n ? 0 : -1;
}

/* A message's first question, as far as the frame holds it. */
struct question {
	char name[160];
	unsigned type;  /* 0 when it was not captured */
	int cut;        /* the frame ends inside the question: 1 in its name, 2 after it */
};

static const char *qtype_name(unsigned t, char *buf, size_t n)
{
	static const struct {
		unsigned t;
		const char *name;
	} names[] = {{1, "A"},      {2, "NS"},     {5, "CNAME"},  {6, "SOA"},    {12, "PTR"},   {15, "MX"},
	             {16, "TXT"},   {28, "AAAA"},  {33, "SRV"},   {35, "NAPTR"}, {43, "DS"},    {46, "RRSIG"},
	             {47, "NSEC"},  {48, "DNSKEY"}, {50, "NSEC3"}, {64, "SVCB"},  {65, "HTTPS"}, {255, "ANY"}};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].t == t)
			return names[i].name;
	snprintf(buf, n, "TYPE%u", t); /* RFC 3597's notation for a type without a name */
	return buf;
}

/* Reads the first question; returns -1 when the message has none that can be read. */
static int dns_question(const unsigned char *p, size_t n, struct question *q)
{
	size_t i = 0;

	memset(q, 0, sizeof *q);
	if (n < 12 || be16(p + 4) == 0)
		return -1;
	switch (dns_name(p, n, &i, q->name, sizeof q->name)) {
	case -2:
		return -1;
	case -1:
		q->cut = 1;
		return q->name[0] ? 0 : -1;
	}
	if (i + 3 > n)
		q->cut = 2;
	else
		q->type = be16(p + i + 1);
	return 0;
}

/* "TXT debug.opendns.com"; "debug.open... (cut)" when the frame ends inside the question. */
static void question_text(const struct question *q, char *out, size_t on)
{
	char tb[16];

	if (q->type)
		snprintf(out, on, "%s %.140s", qtype_name(q->type, tb, sizeof tb), q->name);
	else if (q->cut)
		snprintf(out, on, "%.140s%s (cut)", q->name, q->cut == 1 ? "..." : "");
	else
		out[0] = '\0';
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
	dns_question(p, n, &qu);
	question_text(&qu, q, sizeof q);
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
	switch (p) {
	case 1: return "ICMP";
	case 2: return "IGMP";
	case 6: return "TCP";
	case 17: return "UDP";
	case 41: return "IPv6";
	case 47: return "GRE";
	case 50: return "ESP";
	case 51: return "AH";
	case 58: return "ICMPv6";
	case 89: return "OSPF";
	case 103: return "PIM";
	case 112: return "VRRP";
	case 132: return "SCTP";
	default: return NULL;
	}
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

/* Reads every frame of an open capture into c; closes p. */
static void read_frames(pcap_t *p, const struct cap_limits *lim, struct capture *c)
{
	struct pcap_pkthdr *h;
	const unsigned char *data;
	struct reading *r = xcalloc(1, sizeof *r);
	int rc;

	c->linktype = pcap_datalink(p);
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		struct pkt k;
		int64_t ms = (int64_t)h->ts.tv_sec * 1000 + h->ts.tv_usec / 1000;

		if (++c->frames > lim->max_frames || (r->bytes += h->caplen) > lim->max_bytes) {
			note_problem(c, "capture larger than the limits; read the first %lu frames", c->frames - 1);
			c->frames--;
			break;
		}
		if (c->first_ms == 0 || ms < c->first_ms)
			c->first_ms = ms;
		if (ms > c->last_ms)
			c->last_ms = ms;
		count_cut(c, r, h->caplen, h->len);
		memset(&k, 0, sizeof k);
		if (decode_frame(c->linktype, &k, data, h->caplen) != 0) {
			if (k.ip) {
				c->ip_other++;
				r->protos[k.proto / 8] |= (unsigned char)(1u << (k.proto % 8));
			} else {
				c->undecoded++;
			}
			continue;
		}
		if (k.proto == 17 || (k.proto == 6 && k.l4len > 0 && (k.sport == 53 || k.dport == 53)))
			on_dns(c, &r->sq, c->frames, ms, &k);
		if (k.proto == 6)
			on_tcp(c, &r->ss, c->frames, ms, &k);
	}
	if (rc == PCAP_ERROR && c->problem == NULL)
		note_problem(c, "capture damaged after frame %lu: %s", c->frames, pcap_geterr(p));
	pcap_close(p);
	note_undecoded(c, r);
	note_cut(c, r);
	free(r);
	conclude(c);
}

static void start(struct capture *c, const char *name, const char *proxy)
{
	memset(c, 0, sizeof *c);
	c->path = xstrdup(name);
	snprintf(c->proxy, sizeof c->proxy, "%s", proxy ? proxy : "");
}

int capture_read(const char *path, const char *proxy, const struct cap_limits *lim, struct capture *c,
                 struct ds_error *err)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	pcap_t *p;

	start(c, path, proxy);
	p = pcap_open_offline(path, ebuf);
	if (p == NULL) {
		ds_error_set(err, path, 0, "not a readable capture: %s", ebuf);
		return -1;
	}
	read_frames(p, lim, c);
	return 0;
}

int capture_read_mem(const void *data, size_t len, const char *name, const char *proxy, const struct cap_limits *lim,
                     struct capture *c, struct ds_error *err)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	FILE *f = len ? fmemopen((void *)data, len, "rb") : NULL;
	pcap_t *p;

	start(c, name, proxy);
	if (f == NULL) {
		ds_error_set(err, name, 0, "not a readable capture: empty");
		return -1;
	}
	p = pcap_fopen_offline(f, ebuf); /* owns f once it succeeds; on failure it is ours to close */
	if (p == NULL) {
		fclose(f);
		ds_error_set(err, name, 0, "not a readable capture: %s", ebuf);
		return -1;
	}
	read_frames(p, lim, c);
	return 0;
}
