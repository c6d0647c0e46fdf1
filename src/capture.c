/* capture: reads a pcap file (through libpcap) or a pcapng file (with the block reader of pcapng.c) and
 * decodes just enough -- link layer (Ethernet with VLAN stacks, MPLS, PPPoE and LLC/SNAP, raw IP,
 * BSD loopback, Linux cooked v1/v2, PPP, PPP in HDLC framing, Cisco HDLC, NFLOG, PKTAP, 802.11 with
 * or without radiotap), IPv4/IPv6 with extension headers and AH, GRE/ERSPAN and IP-in-IP tunnels,
 * UDP/TCP, the DNS header and first question -- with every length checked against the captured
 * bytes and every loop bounded: captures come from customers too. Gives the counts and verdicts
 * in struct capture. */
#include "capture.h"
#include "pcapng.h"

#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#define SEEN_MAX 512
#define NEST_MAX 4 /* tunnels in tunnels (GRE, ERSPAN, IP in IP), link headers in link headers (PKTAP) */
#define TAGS_MAX 8 /* VLAN tags, MPLS labels, IPv6 extension headers in a row */

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
	int proto; /* the IP protocol read last: 6 TCP and 17 UDP are decoded */
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

/* The decoders call each other down the layers; depth counts the tunnels and the link headers
 * inside link headers on the way, and stops at NEST_MAX. */
static int decode_ip(struct pkt *k, const unsigned char *p, size_t n, int depth);
static int decode_ether(struct pkt *k, const unsigned char *p, size_t n, int depth);
static int decode_link(int dlt, struct pkt *k, const unsigned char *p, size_t n, int depth);

/* Skips what may stand between an IP header and the transport header: IPv6 extension headers
 * (hop-by-hop 0, routing 43, fragment 44, destination options 60) and AH (51, in IPv4 too). *proto
 * becomes the protocol after them and *off their length. -1 for a later fragment (the transport
 * header is in the first), a chain longer than TAGS_MAX, or one cut short. */
static int skip_extensions(int v6, unsigned *proto, const unsigned char *p, size_t n, size_t *off)
{
	size_t o = 0, len;
	int i;

	for (i = 0;; i++) {
		unsigned nh = *proto;

		if (nh != 51 && !(v6 && (nh == 0 || nh == 43 || nh == 44 || nh == 60))) {
			*off = o;
			return 0;
		}
		if (i == TAGS_MAX || n - o < 8)
			return -1;
		if (nh == 51)
			len = ((size_t)p[o + 1] + 2) * 4;
		else if (nh == 44)
			len = 8;
		else
			len = ((size_t)p[o + 1] + 1) * 8;
		if (nh == 44 && (be16(p + o + 2) & 0xfff8) != 0)
			return -1; /* a later fragment */
		if (len > n - o)
			return -1;
		*proto = p[o];
		o += len;
	}
}

/* ERSPAN type III (GRE 0x22eb): 12 bytes, 8 more with the platform subheader (the O bit), then
 * what its frame type says: 0 Ethernet, 2 IP. */
static int decode_erspan3(struct pkt *k, const unsigned char *p, size_t n, int depth)
{
	size_t hl;
	unsigned ft;

	if (n < 12)
		return -1;
	hl = 12 + (p[11] & 1 ? 8 : 0);
	ft = (p[10] >> 2) & 0x1f;
	if (hl > n || (ft != 0 && ft != 2))
		return -1;
	return ft == 0 ? decode_ether(k, p + hl, n - hl, depth) : decode_ip(k, p + hl, n - hl, depth);
}

static int decode_ppp(struct pkt *k, const unsigned char *p, size_t n, int depth);
static int decode_ethertype(struct pkt *k, unsigned type, const unsigned char *p, size_t n, int depth);

/* GRE (IP protocol 47). Version 0: optional checksum, key and sequence number words, then what
 * the protocol type says -- an EtherType, Ethernet bridging (0x6558), or ERSPAN: type I and II
 * (0x88be; II has the sequence number and an 8-byte header) and III carry mirrored Ethernet
 * frames. Version 1 (PPTP) carries PPP behind a key and optional sequence and acknowledgment
 * numbers. */
static int decode_gre(struct pkt *k, const unsigned char *p, size_t n, int depth)
{
	unsigned flags, type;
	size_t off = 4;

	if (n < 4 || depth >= NEST_MAX)
		return -1;
	flags = be16(p);
	type = be16(p + 2);
	if ((flags & 7) == 1) {
		off += 4 + (flags & 0x1000 ? 4 : 0) + (flags & 0x0080 ? 4 : 0);
		return type == 0x880b && off <= n ? decode_ppp(k, p + off, n - off, depth + 1) : -1;
	}
	if ((flags & 7) != 0 || (flags & 0x4000)) /* another version; RFC 1701 source routing */
		return -1;
	off += (flags & 0x8000 ? 4 : 0) + (flags & 0x2000 ? 4 : 0) + (flags & 0x1000 ? 4 : 0);
	if (off > n)
		return -1;
	p += off, n -= off;
	switch (type) {
	case 0x6558:
		return decode_ether(k, p, n, depth + 1);
	case 0x88be:
		if (flags & 0x1000) {
			if (n < 8)
				return -1;
			p += 8, n -= 8;
		}
		return decode_ether(k, p, n, depth + 1);
	case 0x22eb:
		return decode_erspan3(k, p, n, depth + 1);
	default:
		return decode_ethertype(k, type, p, n, depth + 1);
	}
}

/* What an IP header's protocol names, at p: TCP and UDP are read; GRE and IP in IP are followed
 * into the packet they carry. */
static int decode_transport(struct pkt *k, const unsigned char *p, size_t n, int depth)
{
	switch (k->proto) {
	case 6:
	case 17:
		return decode_l4(k, p, n);
	case 47:
		return decode_gre(k, p, n, depth);
	case 4:  /* IPv4 in IP */
	case 41: /* IPv6 in IP (6in4) */
		return depth >= NEST_MAX ? -1 : decode_ip(k, p, n, depth + 1);
	default:
		return -1;
	}
}

/* IPv4/IPv6 -> the transport header. k->ip says that an IP header was read, even when what it
 * carries could not be; in a tunnel, k holds the innermost packet read. */
static int decode_ip(struct pkt *k, const unsigned char *p, size_t n, int depth)
{
	unsigned proto;
	size_t ext;

	if (n >= 20 && (p[0] >> 4) == 4) {
		size_t ihl = (size_t)(p[0] & 15) * 4, tot = be16(p + 2);

		k->ip = 1;
		k->v6 = 0;
		memcpy(k->src, p + 12, 4);
		memset(k->src + 4, 0, 12);
		memcpy(k->dst, p + 16, 4);
		memset(k->dst + 4, 0, 12);
		inet_ntop(AF_INET, p + 12, k->srcs, sizeof k->srcs);
		inet_ntop(AF_INET, p + 16, k->dsts, sizeof k->dsts);
		k->proto = proto = p[9];
		if (ihl < 20 || ihl > n)
			return -1;
		if (tot >= ihl && tot < n)
			n = tot; /* Ethernet padding is not payload */
		if ((be16(p + 6) & 0x1fff) != 0)
			return -1; /* a later fragment holds no transport header */
		p += ihl, n -= ihl;
	} else if (n >= 40 && (p[0] >> 4) == 6) {
		size_t plen = be16(p + 4);

		k->ip = 1;
		k->v6 = 1;
		memcpy(k->src, p + 8, 16);
		memcpy(k->dst, p + 24, 16);
		inet_ntop(AF_INET6, p + 8, k->srcs, sizeof k->srcs);
		inet_ntop(AF_INET6, p + 24, k->dsts, sizeof k->dsts);
		k->proto = proto = p[6];
		if (plen + 40 < n)
			n = plen + 40;
		p += 40, n -= 40;
	} else {
		return -1;
	}
	if (skip_extensions(k->v6, &proto, p, n, &ext) != 0) {
		k->proto = (int)proto;
		return -1;
	}
	k->proto = (int)proto;
	return decode_transport(k, p + ext, n - ext, depth);
}

/* An MPLS label stack (at most TAGS_MAX labels, to the bottom-of-stack bit), then IPv4 or IPv6 by
 * its version nibble; a pseudowire (Ethernet over MPLS) is not followed. */
static int decode_mpls(struct pkt *k, const unsigned char *p, size_t n, int depth)
{
	int i, bottom = 0;

	for (i = 0; i < TAGS_MAX && !bottom && n >= 4; i++) {
		bottom = p[2] & 1;
		p += 4, n -= 4;
	}
	return bottom ? decode_ip(k, p, n, depth) : -1;
}

/* An EtherType -> IP: VLAN tags first (802.1Q, 802.1ad and the older 0x9100 QinQ, at most
 * TAGS_MAX), then IPv4/IPv6, MPLS, or a PPPoE session (a 6-byte header, then PPP). */
static int decode_ethertype(struct pkt *k, unsigned type, const unsigned char *p, size_t n, int depth)
{
	int tags;

	for (tags = 0; type == 0x8100 || type == 0x88a8 || type == 0x9100; tags++) {
		if (tags == TAGS_MAX || n < 4)
			return -1;
		type = be16(p + 2);
		p += 4, n -= 4;
	}
	switch (type) {
	case 0x0800:
	case 0x86dd:
		return decode_ip(k, p, n, depth);
	case 0x8847:
	case 0x8848:
		return decode_mpls(k, p, n, depth);
	case 0x8864:
		return n < 6 ? -1 : decode_ppp(k, p + 6, n - 6, depth);
	default:
		return -1;
	}
}

/* 802.2 LLC with a SNAP header (AA AA 03, an OUI, an EtherType): how 802.11 and 802.3 carry IP. */
static int decode_snap(struct pkt *k, const unsigned char *p, size_t n, int depth)
{
	if (n < 8 || p[0] != 0xaa || p[1] != 0xaa || p[2] != 0x03)
		return -1;
	return decode_ethertype(k, be16(p + 6), p + 8, n - 8, depth);
}

/* An Ethernet frame: an EtherType, or a length (1500 or less) and LLC. */
static int decode_ether(struct pkt *k, const unsigned char *p, size_t n, int depth)
{
	unsigned type;

	if (n < 14)
		return -1;
	type = be16(p + 12);
	return type <= 1500 ? decode_snap(k, p + 14, n - 14, depth) : decode_ethertype(k, type, p + 14, n - 14, depth);
}

/* A PPP protocol field (one byte when compressed: the low bit of its first byte is set) -> IP. */
static int decode_ppp(struct pkt *k, const unsigned char *p, size_t n, int depth)
{
	unsigned proto;

	if (n >= 2 && p[0] == 0xff && p[1] == 0x03)
		p += 2, n -= 2; /* HDLC-like framing: address and control */
	if (n < 1)
		return -1;
	if (p[0] & 1) {
		proto = p[0];
		p += 1, n -= 1;
	} else {
		if (n < 2)
			return -1;
		proto = be16(p);
		p += 2, n -= 2;
	}
	if (proto == 0x281)
		return decode_mpls(k, p, n, depth);
	return proto == 0x21 || proto == 0x57 ? decode_ip(k, p, n, depth) : -1; /* IPv4, IPv6 */
}

/* PPP in HDLC framing (link type 50) may also hold Cisco HDLC, as link type 104 does: an address
 * of 0x0f or 0x8f, a zero control byte, then an EtherType. */
static int decode_hdlc(struct pkt *k, const unsigned char *p, size_t n, int depth)
{
	if (n >= 4 && (p[0] == 0x0f || p[0] == 0x8f) && p[1] == 0)
		return decode_ethertype(k, be16(p + 2), p + 4, n - 4, depth);
	return decode_ppp(k, p, n, depth);
}

/* The NFLOG attributes after the 4-byte header, in the order big (or not): the payload's bytes
 * (type 9, NFULA_PAYLOAD) or -1. Each attribute takes at least 4 bytes: the walk is bounded by n. */
static int nflog_payload(const unsigned char *p, size_t n, int big, const unsigned char **pl, size_t *pn)
{
	while (n >= 4) {
		size_t len = big ? be16(p) : le16(p), step = (len + 3) & ~(size_t)3;
		unsigned type = (big ? be16(p + 2) : le16(p + 2)) & 0x7fff;

		if (len < 4 || (len > n && type != 9))
			return -1;
		if (type == 9) {
			*pl = p + 4;
			*pn = (len < n ? len : n) - 4; /* a short snap length cuts the payload, not the walk */
			return 0;
		}
		if (step >= n)
			return -1;
		p += step, n -= step;
	}
	return -1;
}

/* Linux NFLOG (link type 239): family, version, group, then attributes in the byte order of the
 * host that logged them -- little-endian on nearly all of them, so that is tried first. */
static int decode_nflog(struct pkt *k, const unsigned char *p, size_t n, int depth)
{
	const unsigned char *pl;
	size_t pn;

	if (n < 4 || (p[0] != 2 && p[0] != 10)) /* AF_INET, AF_INET6 */
		return -1;
	if (nflog_payload(p + 4, n - 4, 0, &pl, &pn) != 0 && nflog_payload(p + 4, n - 4, 1, &pl, &pn) != 0)
		return -1;
	return decode_ip(k, pl, pn, depth);
}

/* Apple's PKTAP (link type 258): a header of pth_length bytes (little-endian, as every Mac writes
 * it) whose pth_dlt is the link type of the packet after it -- never PKTAP again. */
static int decode_pktap(struct pkt *k, const unsigned char *p, size_t n, int depth)
{
	uint32_t hl, dlt;

	if (n < 12 || le32(p + 4) != 1) /* pth_type_next: PTH_TYPE_PACKET */
		return -1;
	hl = le32(p);
	dlt = le32(p + 8);
	if (hl < 12 || hl > n || dlt == 258)
		return -1;
	return decode_link((int)dlt, k, p + hl, n - hl, depth + 1);
}

/* An 802.11 frame without radio header (link type 105): only unencrypted data frames with a body
 * carry IP, behind LLC/SNAP. The header is 24 bytes, 30 with a fourth address (to and from the
 * DS), 2 more for QoS data, 4 more with an HT control field (QoS data with the order bit). */
static int decode_80211(struct pkt *k, const unsigned char *p, size_t n, int depth)
{
	size_t hl = 24;

	if (n < 24 || (p[0] & 0x0f) != 0x08) /* protocol version 0, type data */
		return -1;
	if ((p[0] & 0x40) || (p[1] & 0x40)) /* the null-data subtypes carry nothing; protected: encrypted */
		return -1;
	if ((p[1] & 0x03) == 0x03)
		hl += 6;
	if (p[0] & 0x80)
		hl += 2 + (p[1] & 0x80 ? 4 : 0);
	if (hl > n)
		return -1;
	return decode_snap(k, p + hl, n - hl, depth);
}

/* Link layer -> IP. Returns -1 for frames that are not IP or are cut short. The link types are
 * the LINKTYPE_ values of the file, which libpcap's DLT_ values equal on Linux for all of these
 * (raw IP is both 12 and 101). */
static int decode_link(int dlt, struct pkt *k, const unsigned char *p, size_t n, int depth)
{
	if (depth > NEST_MAX)
		return -1;
	switch (dlt) {
	case DLT_EN10MB:
		return decode_ether(k, p, n, depth);
	case DLT_NULL:
	case DLT_LOOP:
		return n < 4 ? -1 : decode_ip(k, p + 4, n - 4, depth);
	case 9: /* PPP */
		return decode_ppp(k, p, n, depth);
	case 12:
	case 14:
	case 101:
	case 228:
	case 229:
		return decode_ip(k, p, n, depth);
	case 50:  /* PPP in HDLC-like framing, or Cisco HDLC */
	case 104: /* Cisco HDLC */
		return decode_hdlc(k, p, n, depth);
	case 105: /* 802.11 */
		return decode_80211(k, p, n, depth);
	case 113: /* Linux cooked v1 */
		return n < 16 ? -1 : decode_ip(k, p + 16, n - 16, depth);
	case 127: /* 802.11 behind a radiotap header, whose length is its bytes 2-3, little-endian */
		return n < 8 || le16(p + 2) < 8 || le16(p + 2) > n ? -1
		                                                    : decode_80211(k, p + le16(p + 2), n - le16(p + 2), depth);
	case 239: /* Linux NFLOG */
		return decode_nflog(k, p, n, depth);
	case 258: /* PKTAP */
		return decode_pktap(k, p, n, depth);
	case 276: /* Linux cooked v2 */
		return n < 20 ? -1 : decode_ip(k, p + 20, n - 20, depth);
	default:
		return -1;
	}
}

static int decode_frame(int dlt, struct pkt *k, const unsigned char *p, size_t n)
{
	return decode_link(dlt, k, p, n, 0);
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

/* Where the frames come from: libpcap for pcap, pcapng.c's reader for pcapng. */
struct source {
	pcap_t *pcap;
	struct pcapng *ng;
};

static int source_next(struct source *s, struct pcap_frame *r, char *why, size_t wn)
{
	struct pcap_pkthdr *h;
	const unsigned char *data;
	int rc;

	if (s->ng)
		return pcapng_next(s->ng, r, why, wn);
	rc = pcap_next_ex(s->pcap, &h, &data);
	if (rc != 1) {
		snprintf(why, wn, "%s", rc == PCAP_ERROR ? pcap_geterr(s->pcap) : "");
		return rc == PCAP_ERROR ? -1 : 0;
	}
	r->linktype = pcap_datalink(s->pcap);
	r->data = data;
	r->caplen = h->caplen;
	r->len = h->len;
	r->timed = 1;
	/* libpcap copies the file's 32-bit time fields into a signed struct timeval, sign-extending
	 * them: seconds from 2038-01-19 on come out in 1901, and microseconds of 2^31 or more below
	 * zero. The file's seconds are unsigned (they run to 2106); its microseconds must be under a
	 * million, and when they are not, only the seconds are taken. */
	r->bad_usec = h->ts.tv_usec < 0 || h->ts.tv_usec >= 1000000;
	r->ms = (int64_t)(uint32_t)h->ts.tv_sec * 1000 + (r->bad_usec ? 0 : h->ts.tv_usec / 1000);
	return 1;
}

static void source_close(struct source *s)
{
	if (s->pcap)
		pcap_close(s->pcap);
	pcapng_close(s->ng);
}

static void on_frame(struct capture *c, struct reading *r, const struct pcap_frame *rec)
{
	struct pkt k;

	memset(&k, 0, sizeof k);
	if (decode_frame(rec->linktype, &k, rec->data, rec->caplen) != 0) {
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

static int is_pcapng(const unsigned char *magic)
{
	return pcapng_magic(magic);
}

/* pcapng from f (which this owns): pcapng.c's reader. */
static int read_pcapng(FILE *f, const char *name, const struct cap_limits *lim, struct capture *c,
                       struct ds_error *err)
{
	struct source s = {NULL, NULL};
	char why[300];

	s.ng = pcapng_open(f, why, sizeof why);
	if (s.ng == NULL) {
		fclose(f);
		ds_error_set(err, name, 0, "not a readable capture: %s", why);
		return -1;
	}
	c->linktype = pcapng_linktype(s.ng);
	read_frames(&s, lim, c);
	return 0;
}

int capture_read(const char *path, const char *proxy, const struct cap_limits *lim, struct capture *c,
                 struct ds_error *err)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	unsigned char magic[4];
	struct source s = {NULL, NULL};
	FILE *f;

	start(c, path, proxy);
	f = fopen(path, "rb");
	if (f != NULL && fread(magic, 1, 4, f) == 4 && is_pcapng(magic) && fseek(f, 0, SEEK_SET) == 0)
		return read_pcapng(f, path, lim, c, err);
	if (f != NULL)
		fclose(f);
	s.pcap = pcap_open_offline(path, ebuf); /* libpcap's own messages for what it cannot open */
	if (s.pcap == NULL) {
		ds_error_set(err, path, 0, "not a readable capture: %s", ebuf);
		return -1;
	}
	c->linktype = pcap_datalink(s.pcap);
	read_frames(&s, lim, c);
	return 0;
}

int capture_read_mem(const void *data, size_t len, const char *name, const char *proxy, const struct cap_limits *lim,
                     struct capture *c, struct ds_error *err)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	FILE *f = len ? fmemopen((void *)data, len, "rb") : NULL;
	struct source s = {NULL, NULL};

	start(c, name, proxy);
	if (f == NULL) {
		ds_error_set(err, name, 0, "not a readable capture: empty");
		return -1;
	}
	if (len >= 4 && is_pcapng(data))
		return read_pcapng(f, name, lim, c, err);
	s.pcap = pcap_fopen_offline(f, ebuf); /* owns f once it succeeds; on failure it is ours to close */
	if (s.pcap == NULL) {
		fclose(f);
		ds_error_set(err, name, 0, "not a readable capture: %s", ebuf);
		return -1;
	}
	c->linktype = pcap_datalink(s.pcap);
	read_frames(&s, lim, c);
	return 0;
}
