/* packet: decodes just enough of a captured frame -- link layer (Ethernet with VLAN stacks, MPLS,
 * PPPoE and LLC/SNAP, raw IP, BSD loopback, Linux cooked v1/v2, PPP, PPP in HDLC framing, Cisco HDLC,
 * NFLOG, PKTAP, 802.11 with or without radiotap), IPv4/IPv6 with extension headers and AH, GRE/ERSPAN
 * and IP-in-IP tunnels, UDP/TCP, the DNS header and first question -- with every length checked
 * against the captured bytes and every loop bounded: captures come from customers too. One function
 * per header, each calling the next one down, so a tunnel is the same calls again one level deeper;
 * nothing is allocated, and struct pkt points into the frame. */
#include "packet.h"

#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include "util.h"

#define NEST_MAX 4 /* tunnels in tunnels (GRE, ERSPAN, IP in IP), link headers in link headers (PKTAP) */
#define TAGS_MAX 8 /* VLAN tags, MPLS labels, IPv6 extension headers in a row */

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
		size_t len = ord16(big, p), step = (len + 3) & ~(size_t)3;
		unsigned type = ord16(big, p + 2) & 0x7fff;

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
 * the LINKTYPE_ values of the file (raw IP is also taken as 12 and 14, the DLT_RAW of other
 * systems' headers). */
static int decode_link(int dlt, struct pkt *k, const unsigned char *p, size_t n, int depth)
{
	if (depth > NEST_MAX)
		return -1;
	switch (dlt) {
	case 1: /* Ethernet */
		return decode_ether(k, p, n, depth);
	case 0:   /* BSD loopback, host byte order */
	case 108: /* OpenBSD loopback */
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

int packet_decode(int dlt, struct pkt *k, const unsigned char *p, size_t n)
{
	return decode_link(dlt, k, p, n, 0);
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
int packet_dns_question(const unsigned char *p, size_t n, struct question *q)
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
void packet_question_text(const struct question *q, char *out, size_t on)
{
	char tb[16];

	if (q->type)
		snprintf(out, on, "%s %.140s", qtype_name(q->type, tb, sizeof tb), q->name);
	else if (q->cut)
		snprintf(out, on, "%.140s%s (cut)", q->name, q->cut == 1 ? "..." : "");
	else
		out[0] = '\0';
}
