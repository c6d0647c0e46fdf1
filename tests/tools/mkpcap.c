/* mkpcap: writes small deterministic packet captures for the tests -- no packet is ever sent.
 * usage: mkpcap SCENARIO OUT [pcap|pcap-ns-be|pcapng] [PROXY_IP] [START_EPOCH_SECONDS]
 * (pcap-ns-be: a classic pcap in big-endian byte order with nanosecond times)
 * scenarios: dns-drop (the seed's first case), syn-rst (the seed's lab case), syn-silent,
 * healthy (answers and completed handshakes), garbage-link (an unknown link type), snaplen (frames
 * cut at 64 bytes: a SYN with options, its RST, a DNS query cut inside its name), synack-retrans
 * (two handshakes, the first SYN-ACK sent twice), dns-questions (new questions and one resent),
 * esp (IPsec ESP, an ICMP echo and an ARP request: IP, but no TCP or UDP), interfaces (pcapng
 * only: interfaces of three link types and timestamp resolutions, every packet block kind, a
 * second section in big-endian byte order), times (pcap: seconds past 2^31, microseconds of a
 * million and more; pcapng: past 2^32 seconds and past the year 9999), links (pcapng only: PPP,
 * PPP in HDLC framing, Cisco HDLC, NFLOG in both byte orders, PKTAP, 802.11 with and without
 * radiotap), nflog (the same NFLOG frame in a classic pcap, for libpcap's side), encap (inside
 * Ethernet: VLAN stacks, MPLS, PPPoE, LLC/SNAP, GRE, ERSPAN I/II/III, PPTP), encap6 (IPv6
 * extension headers, AH, IP in IP). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

static FILE *out;
static int ng;
static int ns_be; /* pcap-ns-be */
static unsigned long frames;
static size_t snap; /* 0: frames are kept whole; else the snap length they are cut to */

static void put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static void put16_le(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void put32_le(unsigned char *p, uint32_t v)
{
	put16_le(p, v & 0xffff);
	put16_le(p + 2, v >> 16);
}

static void le32(uint32_t v)
{
	unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16), (unsigned char)(v >> 24)};

	fwrite(b, 1, 4, out);
}

static void le16(unsigned v)
{
	unsigned char b[2] = {(unsigned char)v, (unsigned char)(v >> 8)};

	fwrite(b, 1, 2, out);
}

static void be32(uint32_t v)
{
	unsigned char b[4];

	put32(b, v);
	fwrite(b, 1, 4, out);
}

static void header(unsigned linktype)
{
	if (ns_be) {
		be32(0xa1b23c4d);
		be32(2 << 16 | 4); /* version 2.4 */
		be32(0);
		be32(0);
		be32(snap ? (uint32_t)snap : 65535);
		be32(linktype);
		return;
	}
	if (!ng) {
		le32(0xa1b2c3d4);
		le16(2);
		le16(4);
		le32(0);
		le32(0);
		le32(snap ? (uint32_t)snap : 65535);
		le32(linktype);
		return;
	}
	/* Section Header Block, then one Interface Description Block */
	le32(0x0a0d0d0a);
	le32(28);
	le32(0x1a2b3c4d);
	le16(1);
	le16(0);
	le32(0xffffffff);
	le32(0xffffffff);
	le32(28);
	le32(1);
	le32(20);
	le16(linktype);
	le16(0);
	le32(snap ? (uint32_t)snap : 65535);
	le32(20);
}

/* pcapng blocks in either byte order, for the scenarios that write their own sections. */
static int big;

static void w16(unsigned v)
{
	unsigned char b[2] = {(unsigned char)(big ? v >> 8 : v), (unsigned char)(big ? v : v >> 8)};

	fwrite(b, 1, 2, out);
}

static void w32(uint32_t v)
{
	if (big) {
		w16(v >> 16);
		w16(v & 0xffff);
	} else {
		w16(v & 0xffff);
		w16(v >> 16);
	}
}

static void ng_shb(int big_endian)
{
	big = big_endian;
	w32(0x0a0d0d0a);
	w32(28);
	w32(0x1a2b3c4d);
	w16(1);
	w16(0);
	w32(0xffffffff);
	w32(0xffffffff);
	w32(28);
}

/* tsresol < 0: none (microseconds); tsoffset: seconds added to every timestamp (0: none). */
static void ng_idb(unsigned linktype, int tsresol, int64_t tsoffset)
{
	uint32_t total = 20 + (tsresol >= 0 ? 8 : 0) + (tsoffset ? 12 : 0) + (tsresol >= 0 || tsoffset ? 4 : 0);

	w32(1);
	w32(total);
	w16(linktype);
	w16(0);
	w32(65535);
	if (tsresol >= 0) {
		w16(9); /* if_tsresol */
		w16(1);
		fputc(tsresol, out);
		fwrite("\0\0\0", 1, 3, out);
	}
	if (tsoffset) {
		w16(14); /* if_tsoffset */
		w16(8);
		w32((uint32_t)((uint64_t)tsoffset >> (big ? 32 : 0))); /* a 64-bit integer in the section's order */
		w32((uint32_t)((uint64_t)tsoffset >> (big ? 0 : 32)));
	}
	if (tsresol >= 0 || tsoffset) {
		w16(0); /* opt_endofopt */
		w16(0);
	}
	w32(total);
}

static void ng_data(const unsigned char *p, size_t n)
{
	static const unsigned char zero[4];

	fwrite(p, 1, n, out);
	fwrite(zero, 1, (4 - n % 4) % 4, out);
}

/* type 6 (Enhanced), 2 (the obsolete Packet Block) or 3 (Simple: no interface, no time) */
static void ng_packet(unsigned type, unsigned iface, uint64_t ts, const unsigned char *p, size_t n)
{
	uint32_t total = (type == 3 ? 16 : 32) + (uint32_t)(n + (4 - n % 4) % 4);

	frames++;
	w32(type);
	w32(total);
	if (type == 6)
		w32(iface);
	if (type == 2) {
		w16(iface);
		w16(0); /* drops */
	}
	if (type != 3) {
		w32((uint32_t)(ts >> 32));
		w32((uint32_t)ts);
		w32((uint32_t)n);
	}
	w32((uint32_t)n);
	ng_data(p, n);
	w32(total);
}

/* One frame of n bytes on the wire, cut to the snap length if there is one. */
static void record(uint64_t usec, const unsigned char *p, size_t n)
{
	size_t cap = snap && n > snap ? snap : n;

	frames++;
	if (ns_be) {
		be32((uint32_t)(usec / 1000000));
		be32((uint32_t)(usec % 1000000) * 1000);
		be32((uint32_t)cap);
		be32((uint32_t)n);
		fwrite(p, 1, cap, out);
		return;
	}
	if (!ng) {
		le32((uint32_t)(usec / 1000000));
		le32((uint32_t)(usec % 1000000));
		le32((uint32_t)cap);
		le32((uint32_t)n);
		fwrite(p, 1, cap, out);
		return;
	}
	{
		size_t pad = (4 - cap % 4) % 4, total = 32 + cap + pad;
		static const unsigned char zero[4];

		le32(6); /* Enhanced Packet Block */
		le32((uint32_t)total);
		le32(0);
		le32((uint32_t)(usec >> 32));
		le32((uint32_t)usec);
		le32((uint32_t)cap);
		le32((uint32_t)n);
		fwrite(p, 1, cap, out);
		fwrite(zero, 1, pad, out);
		le32((uint32_t)total);
	}
}

/* A classic pcap record with its time fields as given, valid or not. */
static void record_raw(uint32_t sec, uint32_t usec, const unsigned char *p, size_t n)
{
	frames++;
	le32(sec);
	le32(usec);
	le32((uint32_t)n);
	le32((uint32_t)n);
	fwrite(p, 1, n, out);
}

/* A frame is built from its payload outwards: each layer pushes its header in front. */
struct frame {
	unsigned char b[4096];
	size_t off, n;
};

static void frame_start(struct frame *f, const unsigned char *pl, size_t pn)
{
	f->off = 2048;
	f->n = pn;
	if (pn)
		memcpy(f->b + f->off, pl, pn);
}

static unsigned char *push(struct frame *f, size_t n)
{
	f->off -= n;
	f->n += n;
	memset(f->b + f->off, 0, n);
	return f->b + f->off;
}

static void push_udp(struct frame *f, unsigned sport, unsigned dport)
{
	size_t len = f->n + 8;
	unsigned char *t = push(f, 8);

	put16(t, sport);
	put16(t + 2, dport);
	put16(t + 4, (unsigned)len);
}

/* optlen bytes of options (MSS, SACK permitted, timestamps, window scale: a client's SYN) */
static void push_tcp(struct frame *f, unsigned sport, unsigned dport, uint32_t seq, unsigned flags, size_t optlen)
{
	static const unsigned char opts[20] = {2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0x12, 0x34, 0, 0, 0, 0, 1, 3, 3, 7};
	unsigned char *t = push(f, 20 + optlen);

	put16(t, sport);
	put16(t + 2, dport);
	put32(t + 4, seq);
	t[12] = (unsigned char)((5 + optlen / 4) << 4);
	t[13] = (unsigned char)flags;
	put16(t + 14, 64240);
	memcpy(t + 20, opts, optlen);
}

static void push_ip4(struct frame *f, const char *src, const char *dst, int proto)
{
	size_t len = f->n + 20;
	unsigned char *i = push(f, 20);

	i[0] = 0x45;
	put16(i + 2, (unsigned)len);
	i[8] = 64;
	i[9] = (unsigned char)proto;
	inet_pton(AF_INET, src, i + 12);
	inet_pton(AF_INET, dst, i + 16);
}

static void push_ip6(struct frame *f, const char *src, const char *dst, int next)
{
	size_t len = f->n;
	unsigned char *i = push(f, 40);

	i[0] = 0x60;
	put16(i + 4, (unsigned)len);
	i[6] = (unsigned char)next;
	i[7] = 64;
	inet_pton(AF_INET6, src, i + 8);
	inet_pton(AF_INET6, dst, i + 24);
}

/* An IPv6 extension header (0, 43, 60: 8 bytes), fragment (44; offset in 8-byte units, more
 * fragments follow) or AH (51: 24 bytes, as with HMAC-SHA1-96) in front of next. */
static void push_ext(struct frame *f, int type, int next, unsigned frag_off)
{
	unsigned char *e = push(f, type == 51 ? 24 : 8);

	e[0] = (unsigned char)next;
	if (type == 51)
		e[1] = 4; /* 24 / 4 - 2 */
	else if (type == 44)
		put16(e + 2, frag_off << 3 | 1);
	else if (type == 43)
		e[2] = 4; /* routing type 4 (segment routing), segments left 0 */
}

static void push_ether(struct frame *f, unsigned type)
{
	unsigned char *e = push(f, 14);

	memcpy(e, "\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb", 12);
	put16(e + 12, type);
}

static void put_frame(uint64_t usec, const struct frame *f)
{
	record(usec, f->b + f->off, f->n);
}

/* Ethernet + IPv4 + UDP/TCP around payload. */
static void packet(uint64_t usec, const char *src, const char *dst, int proto, unsigned sport, unsigned dport,
                   uint32_t seq, unsigned flags, const unsigned char *pl, size_t pn)
{
	struct frame f;

	frame_start(&f, pl, pn);
	if (proto == 17)
		push_udp(&f, sport, dport);
	else
		push_tcp(&f, sport, dport, seq, flags, 0);
	push_ip4(&f, src, dst, proto);
	push_ether(&f, 0x0800);
	put_frame(usec, &f);
}

static size_t dns_msg_type(unsigned char *m, unsigned id, int answer, const char *name, unsigned qtype)
{
	size_t n = 12;
	const char *p = name;

	memset(m, 0, 12);
	put16(m, id);
	m[2] = answer ? 0x81 : 0x01;
	m[3] = answer ? 0x80 : 0x00;
	put16(m + 4, 1);
	put16(m + 6, answer ? 1 : 0);
	while (*p) {
		const char *dot = strchr(p, '.');
		size_t len = dot ? (size_t)(dot - p) : strlen(p);

		m[n++] = (unsigned char)len;
		memcpy(m + n, p, len);
		n += len;
		p += len + (dot ? 1 : 0);
	}
	m[n++] = 0;
	put16(m + n, qtype);
	put16(m + n + 2, 1);
	return n + 4;
}

static size_t dns_msg(unsigned char *m, unsigned id, int answer, const char *name)
{
	return dns_msg_type(m, id, answer, name, 16); /* TXT */
}

static const char *client = "192.168.0.204";

static void dns(uint64_t t, const char *resolver, unsigned port, unsigned id, const char *name, int answered)
{
	unsigned char m[300];
	size_t n = dns_msg(m, id, 0, name);

	packet(t, client, resolver, 17, 50000 + id % 1000, port, 0, 0, m, n);
	if (answered) {
		n = dns_msg(m, id, 1, name);
		packet(t + 30000, resolver, client, 17, port, 50000 + id % 1000, 0, 0, m, n);
	}
}

/* tcpdump -s 64: the query is cut inside its name, each SYN (40 bytes of TCP header with its
 * options) after 30 bytes of it -- the ports, flags and sequence number are still there -- and
 * the RSTs (54 bytes) are whole. */
static void snaplen(uint64_t t0, const char *proxy)
{
	struct frame f;
	unsigned char m[300];
	unsigned i;

	frame_start(&f, m, dns_msg(m, 0x7a01, 0, "debug.opendns.com"));
	push_udp(&f, 50001, 53);
	push_ip4(&f, client, "208.67.222.222", 17);
	push_ether(&f, 0x0800);
	put_frame(t0, &f);
	for (i = 0; i < 2; i++) {
		uint64_t t = t0 + 1000000 + i * 1000000ull;

		frame_start(&f, NULL, 0);
		push_tcp(&f, 51000 + i, 443, 0x1000 + 0x100 * i, 0x02, 20);
		push_ip4(&f, client, proxy, 6);
		push_ether(&f, 0x0800);
		put_frame(t, &f);
		packet(t + 400, proxy, client, 6, 443, 51000 + i, 0, 0x14, NULL, 0);
	}
}

/* Two handshakes with the proxy; the first SYN-ACK comes twice, as in a capture where the client's
 * ACK was slow. The second SYN's port and sequence number each differ from the first's by one. */
static void synack_retrans(uint64_t t0, const char *proxy)
{
	unsigned i;

	for (i = 0; i < 2; i++) {
		uint64_t t = t0 + i * 2000000ull;
		unsigned sport = 52000 + i;
		uint32_t seq = 0x5000 + i, peer = 0x9000 + 0x100 * i;

		packet(t, client, proxy, 6, sport, 443, seq, 0x02, NULL, 0);
		packet(t + 20000, proxy, client, 6, 443, sport, peer, 0x12, NULL, 0);
		if (i == 0)
			packet(t + 20100, proxy, client, 6, 443, sport, peer, 0x12, NULL, 0);
		packet(t + 20400, client, proxy, 6, sport, 443, seq + 1, 0x10, NULL, 0);
	}
}

/* Six queries for one name, unanswered. Only the fourth is a retransmission: the first query (same
 * id, type and name) resent to the other resolver. The third and sixth ask again with a new id;
 * the fifth reuses the first id for another type. Type 44 (SSHFP) is one dartscan has no name for. */
static void dns_questions(uint64_t t0)
{
	static const struct {
		unsigned id, type;
		const char *resolver;
	} q[] = {{0x51ec, 44, "208.67.222.222"}, {0xbdc0, 1, "208.67.222.222"}, {0xc118, 44, "208.67.222.222"},
	         {0x51ec, 44, "208.67.220.220"}, {0x51ec, 16, "208.67.222.222"}, {0x7002, 16, "208.67.222.222"}};
	unsigned char m[300];
	unsigned i;

	for (i = 0; i < sizeof q / sizeof q[0]; i++) {
		size_t n = dns_msg_type(m, q[i].id, 0, "probe.example.net", q[i].type);

		packet(t0 + i * 1000000ull, client, q[i].resolver, 17, 50100 + i, 53, 0, 0, m, n);
	}
}

/* An IPsec tunnel seen from outside: ESP both ways, one ping to the gateway, one ARP request. */
static void esp(uint64_t t0)
{
	static const char *gw = "198.51.100.7";
	unsigned char pl[64];
	struct frame f;
	unsigned i;

	for (i = 0; i < 4; i++) {
		memset(pl, 0x5a, sizeof pl);
		put32(pl, 0x12345678 + (i & 1)); /* SPI: one for each direction */
		put32(pl + 4, 1 + i / 2);        /* sequence number */
		frame_start(&f, pl, sizeof pl);
		push_ip4(&f, i & 1 ? gw : client, i & 1 ? client : gw, 50);
		push_ether(&f, 0x0800);
		put_frame(t0 + i * 100000ull, &f);
	}
	memset(pl, 0, 8);
	pl[0] = 8; /* echo request */
	frame_start(&f, pl, 8);
	push_ip4(&f, client, gw, 1);
	push_ether(&f, 0x0800);
	put_frame(t0 + 500000, &f);
	memcpy(pl, "\x00\x01\x08\x00\x06\x04\x00\x01", 8); /* ARP: Ethernet, IPv4, request */
	memset(pl + 8, 0, 20);
	inet_pton(AF_INET, client, pl + 14);
	inet_pton(AF_INET, gw, pl + 24);
	frame_start(&f, pl, 28);
	push_ether(&f, 0x0806);
	put_frame(t0 + 600000, &f);
}

/* A DNS query to 208.67.222.222 for name: IPv4 and UDP, no link header. */
static void query_frame(struct frame *f, unsigned id, const char *name)
{
	static unsigned char m[300];

	frame_start(f, m, dns_msg(m, id, 0, name));
	push_udp(f, 50200 + id % 100, 53);
	push_ip4(f, client, "208.67.222.222", 17);
}

/* What Wireshark writes when it captures on several adapters at once: one interface each, here
 * Ethernet (microseconds), BSD loopback (nanoseconds) and raw IP (2^-20 s, times counted from
 * if_tsoffset). A Simple Packet Block (no time), an obsolete Packet Block, a statistics block to
 * skip, then a second section, big-endian, whose interface 0 is Ethernet again. One DNS query per
 * packet, its name saying how it came. */
static void interfaces(uint64_t t0)
{
	uint64_t s0 = t0 / 1000000;
	struct frame f;

	ng_shb(0);
	ng_idb(1, -1, 0);
	ng_idb(0, 9, 0);
	ng_idb(101, 0x80 | 20, (int64_t)s0);
	query_frame(&f, 1, "eth.ng.test");
	push_ether(&f, 0x0800);
	ng_packet(6, 0, t0, f.b + f.off, f.n);
	query_frame(&f, 2, "null.ng.test");
	memcpy(push(&f, 4), "\x02\x00\x00\x00", 4); /* AF_INET, in the capturing host's (little-endian) order */
	ng_packet(6, 1, (t0 + 1000000) * 1000, f.b + f.off, f.n);
	query_frame(&f, 3, "raw.ng.test");
	ng_packet(6, 2, (uint64_t)2 << 20 | 1 << 19, f.b + f.off, f.n); /* 2.5 s after the offset */
	query_frame(&f, 4, "spb.ng.test");
	push_ether(&f, 0x0800);
	ng_packet(3, 0, 0, f.b + f.off, f.n);
	query_frame(&f, 5, "pb.ng.test");
	memcpy(push(&f, 4), "\x02\x00\x00\x00", 4);
	ng_packet(2, 1, (t0 + 4000000) * 1000, f.b + f.off, f.n);
	w32(5); /* an Interface Statistics Block: interface 0, a time, no options */
	w32(24);
	w32(0);
	w32(0);
	w32(0);
	w32(24);
	ng_shb(1);
	ng_idb(1, -1, 0);
	query_frame(&f, 6, "be.ng.test");
	push_ether(&f, 0x0800);
	ng_packet(6, 0, t0 + 5000000, f.b + f.off, f.n);
}

/* Times a 32-bit signed reading gets wrong. pcap: the last second before 2^31 (2038-01-19
 * 03:14:07), the first after it, two records with invalid microseconds (10^6 and 2^31) and the
 * last second of the unsigned field (2106-02-07 06:28:15). pcapng: 2^31 s, 2^32 s (past what pcap
 * can say) and 253402300800 s (the year 10000: not a time). One DNS query each. */
static void times(void)
{
	static const struct {
		uint32_t sec, usec;
		const char *name;
	} pc[] = {{2147483647u, 500000, "before.y2038.test"}, {2147483648u, 0, "after.y2038.test"},
	          {2147483649u, 1000000, "usec-1e6.test"},    {2147483650u, 2147483648u, "usec-2e31.test"},
	          {4294967295u, 999999, "last.y2106.test"}};
	static const struct {
		uint64_t sec;
		const char *name;
	} nc[] = {{2147483648ull, "after.y2038.test"}, {4294967296ull, "after.y2106.test"},
	          {253402300800ull, "year10000.test"}};
	struct frame f;
	unsigned i;

	for (i = 0; !ng && i < sizeof pc / sizeof pc[0]; i++) {
		query_frame(&f, 10 + i, pc[i].name);
		push_ether(&f, 0x0800);
		record_raw(pc[i].sec, pc[i].usec, f.b + f.off, f.n);
	}
	for (i = 0; ng && i < sizeof nc / sizeof nc[0]; i++) {
		query_frame(&f, 20 + i, nc[i].name);
		push_ether(&f, 0x0800);
		put_frame(nc[i].sec * 1000000, &f);
	}
}

/* A SYN from the client to the proxy: IPv4 and TCP, no link header. */
static void syn_frame(struct frame *f, const char *proxy, unsigned sport)
{
	frame_start(f, NULL, 0);
	push_tcp(f, sport, 443, 0x7000 + 0x100 * sport, 0x02, 0);
	push_ip4(f, client, proxy, 6);
}

/* Linux NFLOG: the header (AF_INET, version 0, group 1), then the attributes in the logging host's
 * byte order: the packet header (hw protocol 0x0800), a prefix, the payload (type 9) last. */
static void push_nflog(struct frame *f, int big_endian)
{
	unsigned char *t;
	int saved = big;

	big = big_endian;
	t = push(f, 4);
	(big ? put16 : put16_le)(t, (unsigned)f->n);
	(big ? put16 : put16_le)(t + 2, 9);
	t = push(f, 16);
	(big ? put16 : put16_le)(t, 4 + 9);
	(big ? put16 : put16_le)(t + 2, 10); /* NFULA_PREFIX */
	memcpy(t + 4, "dartscan", 9);
	t = push(f, 8);
	(big ? put16 : put16_le)(t, 8);
	(big ? put16 : put16_le)(t + 2, 1); /* NFULA_PACKET_HDR */
	put16(t + 4, 0x0800);
	t[6] = 3; /* NF_INET_LOCAL_OUT */
	t = push(f, 4);
	t[0] = 2;
	put16(t + 2, 1);
	big = saved;
}

/* 802.11 data: fc0 (subtype and type), fc1 (flags); then LLC/SNAP for IPv4. */
static void push_80211(struct frame *f, unsigned fc0, unsigned fc1)
{
	size_t hl = 24 + ((fc1 & 3) == 3 ? 6 : 0) + (fc0 & 0x80 ? 2 + (fc1 & 0x80 ? 4 : 0) : 0);
	unsigned char *t;

	memcpy(push(f, 8), "\xaa\xaa\x03\x00\x00\x00\x08\x00", 8);
	t = push(f, hl);
	t[0] = (unsigned char)fc0;
	t[1] = (unsigned char)fc1;
	memcpy(t + 4, "\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\x00\x11\x22\x33\x44\x55", 18);
}

/* Apple's PKTAP header (108 bytes, little-endian) around a frame of link type dlt. */
static void push_pktap(struct frame *f, unsigned dlt)
{
	unsigned char *t = push(f, 108);

	put32_le(t, 108);
	put32_le(t + 4, 1); /* PTH_TYPE_PACKET */
	put32_le(t + 8, dlt);
	memcpy(t + 12, "en0", 3);
}

/* One interface per link type, each carrying a DNS query (named for how it came) or a SYN to the
 * proxy; frames 13-16 must not be read: an encrypted and a null-data 802.11 frame, a PKTAP inside
 * a PKTAP, a PKTAP whose header runs past the frame. */
static void links(uint64_t t0, const char *proxy)
{
	static const unsigned lt[] = {9, 50, 239, 258, 105, 127, 104};
	struct frame f;
	unsigned i, n = 0;

	ng_shb(0);
	for (i = 0; i < sizeof lt / sizeof lt[0]; i++)
		ng_idb(lt[i], -1, 0);
#define LINK(iface) ng_packet(6, iface, t0 + 100000ull * n++, f.b + f.off, f.n)
	query_frame(&f, 1, "ppp.link.test");
	memcpy(push(&f, 4), "\xff\x03\x00\x21", 4);
	LINK(0);
	query_frame(&f, 2, "ppp-pfc.link.test");
	memcpy(push(&f, 1), "\x21", 1); /* no address and control, the protocol compressed to one byte */
	LINK(0);
	query_frame(&f, 3, "ppp-hdlc.link.test");
	memcpy(push(&f, 4), "\xff\x03\x00\x21", 4);
	LINK(1);
	query_frame(&f, 4, "chdlc.link.test");
	memcpy(push(&f, 4), "\x0f\x00\x08\x00", 4);
	LINK(1);
	query_frame(&f, 5, "nflog.link.test");
	push_nflog(&f, 0);
	LINK(2);
	query_frame(&f, 6, "nflog-be.link.test");
	push_nflog(&f, 1);
	LINK(2);
	syn_frame(&f, proxy, 53001);
	push_ether(&f, 0x0800);
	push_pktap(&f, 1);
	LINK(3);
	syn_frame(&f, proxy, 53002);
	push_80211(&f, 0x08, 0x01); /* data, to the DS */
	LINK(4);
	syn_frame(&f, proxy, 53003);
	push_80211(&f, 0x88, 0x83); /* QoS data, to and from the DS (four addresses), HT control */
	LINK(4);
	syn_frame(&f, proxy, 53004);
	push_80211(&f, 0x08, 0x01);
	memcpy(push(&f, 8), "\x00\x00\x08\x00\x00\x00\x00\x00", 8); /* radiotap: version, pad, length 8 */
	LINK(5);
	syn_frame(&f, proxy, 53005);
	memcpy(push(&f, 4), "\x8f\x00\x08\x00", 4);
	LINK(6);
	syn_frame(&f, proxy, 53006);
	push_pktap(&f, 12); /* raw IP inside */
	LINK(3);
	syn_frame(&f, proxy, 53007);
	push_80211(&f, 0x08, 0x41); /* protected: the body is encrypted */
	LINK(4);
	frame_start(&f, NULL, 0);
	push_80211(&f, 0x48, 0x01); /* null data: no body (the SNAP header here is junk) */
	LINK(4);
	syn_frame(&f, proxy, 53009);
	push_ether(&f, 0x0800);
	push_pktap(&f, 1);
	push_pktap(&f, 258);
	LINK(3);
	syn_frame(&f, proxy, 53010);
	push_pktap(&f, 12);
	put32_le(f.b + f.off, 4000); /* pth_length past the frame */
	LINK(3);
#undef LINK
}

/* The classic pcap side (libpcap's DLT_NFLOG): one NFLOG frame with a query. */
static void nflog(uint64_t t0)
{
	struct frame f;

	query_frame(&f, 7, "nflog.pcap.test");
	push_nflog(&f, 0);
	put_frame(t0, &f);
}

/* A DNS query over IPv6 to the resolver 2620:119:35::35, UDP and no IP header yet. */
static void query6_payload(struct frame *f, unsigned id, const char *name)
{
	static unsigned char m[300];

	frame_start(f, m, dns_msg(m, id, 0, name));
	push_udp(f, 50300 + id % 100, 53);
}

/* VLAN tags are pushed inner first: each 4-byte tag holds the TCI and the EtherType of what
 * follows it, the outermost TPID is the frame's EtherType. */
static void vlans(struct frame *f, const unsigned *tpid, size_t n, unsigned inner)
{
	size_t i;

	for (i = n; i-- > 0;) {
		unsigned char *t = push(f, 4);

		put16(t, 100 + (unsigned)i);
		put16(t + 2, i + 1 < n ? tpid[i + 1] : inner);
	}
	push_ether(f, tpid[0]);
}

static void push_mpls(struct frame *f, unsigned labels, int bottom)
{
	unsigned i;

	for (i = 0; i < labels; i++) {
		unsigned char *t = push(f, 4);

		put32(t, (uint32_t)(16 + i) << 12 | (i == 0 && bottom ? 0x100 : 0) | 64);
	}
}

/* GRE version 0 with the given flag bits (checksum 0x8000, key 0x2000, sequence 0x1000). */
static void push_gre(struct frame *f, unsigned flags, unsigned type)
{
	size_t n = 4 + (flags & 0x8000 ? 4 : 0) + (flags & 0x2000 ? 4 : 0) + (flags & 0x1000 ? 4 : 0);
	unsigned char *g = push(f, n);

	put16(g, flags);
	put16(g + 2, type);
}

/* An IPv4 packet in GRE in IPv4 in Ethernet, from the router 10.9.9.1 to the collector 10.9.9.2. */
static void gre_outer(struct frame *f)
{
	push_ip4(f, "10.9.9.1", "10.9.9.2", 47);
	push_ether(f, 0x0800);
}

/* Inside Ethernet: six DNS queries named for their framing, six SYNs to the proxy in tunnels, and
 * three frames that must not be read: nine VLAN tags, nine MPLS labels without a bottom, and GRE
 * nested five deep. */
static void encap(uint64_t t0, const char *proxy)
{
	static const unsigned qinq[] = {0x88a8, 0x8100}, three[] = {0x9100, 0x8100, 0x8100};
	static const unsigned nine[] = {0x8100, 0x8100, 0x8100, 0x8100, 0x8100, 0x8100, 0x8100, 0x8100, 0x8100};
	struct frame f;
	unsigned char *h;
	unsigned n = 0, i;

#define PUT() put_frame(t0 + 100000ull * n++, &f)
	query_frame(&f, 11, "qinq.encap.test");
	vlans(&f, qinq, 2, 0x0800);
	PUT();
	query_frame(&f, 12, "vlan3.encap.test");
	vlans(&f, three, 3, 0x0800);
	PUT();
	query_frame(&f, 13, "mpls.encap.test");
	push_mpls(&f, 2, 1);
	push_ether(&f, 0x8847);
	PUT();
	query6_payload(&f, 14, "mpls6.encap.test");
	push_ip6(&f, "2001:db8::204", "2620:119:35::35", 17);
	push_mpls(&f, 1, 1);
	push_ether(&f, 0x8847);
	PUT();
	query_frame(&f, 15, "pppoe.encap.test");
	memcpy(push(&f, 8), "\x11\x00\x00\x01\x00\x00\x00\x21", 8); /* PPPoE session 1, then PPP: IPv4 */
	put16(f.b + f.off + 4, (unsigned)f.n - 6);
	push_ether(&f, 0x8864);
	PUT();
	query_frame(&f, 16, "snap.encap.test");
	memcpy(push(&f, 8), "\xaa\xaa\x03\x00\x00\x00\x08\x00", 8);
	push_ether(&f, (unsigned)f.n); /* 802.3: a length, not an EtherType */
	PUT();
	syn_frame(&f, proxy, 53101);
	push_gre(&f, 0, 0x0800);
	gre_outer(&f);
	PUT();
	syn_frame(&f, proxy, 53102);
	push_gre(&f, 0xb000, 0x0800); /* checksum, key and sequence number */
	gre_outer(&f);
	PUT();
	syn_frame(&f, proxy, 53103);
	push_ether(&f, 0x0800);
	h = push(&f, 8); /* ERSPAN type II: version 1, VLAN 0, session 7 */
	put16(h, 0x1000);
	put16(h + 2, 7);
	push_gre(&f, 0x1000, 0x88be);
	gre_outer(&f);
	PUT();
	syn_frame(&f, proxy, 53104);
	push_ether(&f, 0x0800);
	h = push(&f, 8); /* the platform-specific subheader */
	h[0] = 0x0c;
	h = push(&f, 12); /* ERSPAN type III: version 2, frame type 0 (Ethernet), the O bit */
	put16(h, 0x2000);
	h[11] = 0x01;
	push_gre(&f, 0x1000, 0x22eb);
	gre_outer(&f);
	PUT();
	syn_frame(&f, proxy, 53105);
	push_ether(&f, 0x0800);
	push_gre(&f, 0, 0x88be); /* ERSPAN type I: no sequence number, no ERSPAN header */
	gre_outer(&f);
	PUT();
	syn_frame(&f, proxy, 53106);
	memcpy(push(&f, 4), "\xff\x03\x00\x21", 4);
	i = (unsigned)f.n;
	h = push(&f, 12); /* enhanced GRE (PPTP): key (payload length, call id), sequence number, version 1 */
	put16(h, 0x3001);
	put16(h + 2, 0x880b);
	put16(h + 4, i);
	gre_outer(&f);
	PUT();
	syn_frame(&f, proxy, 53107);
	vlans(&f, nine, 9, 0x0800);
	PUT();
	syn_frame(&f, proxy, 53108);
	push_mpls(&f, 9, 0);
	push_ether(&f, 0x8847);
	PUT();
	syn_frame(&f, proxy, 53109);
	for (i = 0; i < 5; i++) {
		push_gre(&f, 0, 0x0800);
		push_ip4(&f, "10.9.9.1", "10.9.9.2", 47);
	}
	push_ether(&f, 0x0800);
	PUT();
#undef PUT
}

/* Over IPv6, what stands between the IP header and UDP: six DNS queries named for it, two SYNs
 * over IPv4 (with AH; in IPv4), and three frames whose transport header cannot be read: a later
 * fragment, nine hop-by-hop headers, ESP. */
static void encap6(uint64_t t0, const char *proxy)
{
	static const char *me = "2001:db8::204", *res = "2620:119:35::35";
	struct frame f;
	unsigned n = 0, i;

#define PUT() put_frame(t0 + 100000ull * n++, &f)
	query6_payload(&f, 21, "hbh.ext.test");
	push_ext(&f, 0, 17, 0);
	push_ip6(&f, me, res, 0);
	push_ether(&f, 0x86dd);
	PUT();
	query6_payload(&f, 22, "rt.ext.test");
	push_ext(&f, 43, 17, 0);
	push_ip6(&f, me, res, 43);
	push_ether(&f, 0x86dd);
	PUT();
	query6_payload(&f, 23, "dst.ext.test");
	push_ext(&f, 60, 17, 0);
	push_ip6(&f, me, res, 60);
	push_ether(&f, 0x86dd);
	PUT();
	query6_payload(&f, 24, "frag.ext.test");
	push_ext(&f, 44, 17, 0); /* the first fragment: offset 0, more to come */
	push_ip6(&f, me, res, 44);
	push_ether(&f, 0x86dd);
	PUT();
	query6_payload(&f, 25, "chain.ext.test");
	push_ext(&f, 60, 17, 0);
	push_ext(&f, 51, 60, 0);
	push_ext(&f, 0, 51, 0);
	push_ip6(&f, me, res, 0);
	push_ether(&f, 0x86dd);
	PUT();
	query6_payload(&f, 26, "6in4.ext.test");
	push_ip6(&f, me, res, 17);
	push_ip4(&f, "192.0.2.1", "192.0.2.2", 41);
	push_ether(&f, 0x0800);
	PUT();
	frame_start(&f, NULL, 0);
	push_tcp(&f, 53201, 443, 0x7000 + 0x100 * 53201, 0x02, 0);
	push_ext(&f, 51, 6, 0);
	push_ip4(&f, client, proxy, 51);
	push_ether(&f, 0x0800);
	PUT();
	syn_frame(&f, proxy, 53202);
	push_ip4(&f, "192.0.2.1", "192.0.2.2", 4);
	push_ether(&f, 0x0800);
	PUT();
	query6_payload(&f, 29, "later.ext.test");
	push_ext(&f, 44, 17, 185); /* offset 1480: no UDP header here */
	push_ip6(&f, me, res, 44);
	push_ether(&f, 0x86dd);
	PUT();
	query6_payload(&f, 30, "long.ext.test");
	push_ext(&f, 0, 17, 0);
	for (i = 0; i < 8; i++)
		push_ext(&f, 0, 0, 0);
	push_ip6(&f, me, res, 0);
	push_ether(&f, 0x86dd);
	PUT();
	query6_payload(&f, 31, "esp.ext.test");
	memcpy(push(&f, 8), "\x00\x00\x10\x01\x00\x00\x00\x01", 8);
	push_ip6(&f, me, res, 50);
	push_ether(&f, 0x86dd);
	PUT();
#undef PUT
}

int main(int argc, char **argv)
{
	const char *sc, *proxy;
	uint64_t t0;
	int i;

	if (argc < 3) {
		fprintf(stderr, "usage: mkpcap SCENARIO OUT [pcap|pcap-ns-be|pcapng] [PROXY_IP] [START_EPOCH]\n");
		return 2;
	}
	sc = argv[1];
	ng = argc > 3 && strcmp(argv[3], "pcapng") == 0;
	ns_be = argc > 3 && strcmp(argv[3], "pcap-ns-be") == 0;
	proxy = argc > 4 ? argv[4] : "146.112.9.200";
	t0 = (uint64_t)(argc > 5 ? strtoull(argv[5], NULL, 10) : 1724724396ull) * 1000000; /* 2024-08-27 02:06:36 UTC */
	out = fopen(argv[2], "wb");
	if (out == NULL) {
		perror(argv[2]);
		return 1;
	}
	if (strcmp(sc, "snaplen") == 0)
		snap = 64;
	if (strcmp(sc, "interfaces") == 0)
		interfaces(t0); /* writes its own sections */
	else if (strcmp(sc, "links") == 0)
		links(t0, proxy); /* the same */
	else
		header(strcmp(sc, "garbage-link") == 0 ? 147 : strcmp(sc, "nflog") == 0 ? 239 : 1);
	if (strcmp(sc, "dns-drop") == 0 || strcmp(sc, "healthy") == 0) {
		int ok = strcmp(sc, "healthy") == 0;

		for (i = 0; i < 16; i++) {
			uint64_t t = t0 + (uint64_t)i * 5000000;

			dns(t, "208.67.222.222", i % 2 ? 443 : 53, 0xf7fb + (unsigned)i, "debug.opendns.com", ok);
			dns(t + 200, "208.67.220.220", i % 2 ? 443 : 53, 0xc500 + (unsigned)i, "debug.opendns.com", ok);
		}
		dns(t0 + 82000000, "208.67.222.222", 443, 0xfa51, "2.dnscrypt-cert.opendns.com", ok);
	}
	if (strcmp(sc, "syn-rst") == 0 || strcmp(sc, "syn-silent") == 0 || strcmp(sc, "healthy") == 0) {
		for (i = 0; i < 6; i++) {
			uint64_t t = t0 + 100000000 + (uint64_t)i * 500000;
			unsigned sport = 56287 + (unsigned)(i % 3);
			uint32_t seq = 1000 + (uint32_t)(i % 3); /* the same seq again: a retransmission */

			packet(t, client, proxy, 6, sport, 443, seq, 0x02, NULL, 0);
			if (strcmp(sc, "syn-rst") == 0)
				packet(t + 400, proxy, client, 6, 443, sport, 0, 0x14, NULL, 0);
			else if (strcmp(sc, "healthy") == 0 && i < 3) {
				packet(t + 20000, proxy, client, 6, 443, sport, 7000, 0x12, NULL, 0);
				packet(t + 20100, client, proxy, 6, sport, 443, seq + 1, 0x10, NULL, 0);
			}
		}
	}
	if (strcmp(sc, "garbage-link") == 0)
		record(t0, (const unsigned char *)"not a packet", 12);
	if (strcmp(sc, "snaplen") == 0)
		snaplen(t0, proxy);
	if (strcmp(sc, "synack-retrans") == 0)
		synack_retrans(t0, proxy);
	if (strcmp(sc, "dns-questions") == 0)
		dns_questions(t0);
	if (strcmp(sc, "esp") == 0)
		esp(t0);
	if (strcmp(sc, "times") == 0)
		times();
	if (strcmp(sc, "nflog") == 0)
		nflog(t0);
	if (strcmp(sc, "encap") == 0)
		encap(t0, proxy);
	if (strcmp(sc, "encap6") == 0)
		encap6(t0, proxy);
	fclose(out);
	return frames ? 0 : 1;
}
