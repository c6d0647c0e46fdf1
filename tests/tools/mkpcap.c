/* mkpcap: writes small deterministic packet captures for the tests -- no packet is ever sent.
 * usage: mkpcap SCENARIO OUT [pcap|pcapng] [PROXY_IP] [START_EPOCH_SECONDS]
 * scenarios: dns-drop (the seed's first case), syn-rst (the seed's lab case), syn-silent,
 * healthy (answers and completed handshakes), garbage-link (an unknown link type). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

static FILE *out;
static int ng;
static unsigned long frames;

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

static void header(unsigned linktype)
{
	if (!ng) {
		le32(0xa1b2c3d4);
		le16(2);
		le16(4);
		le32(0);
		le32(0);
		le32(65535);
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
	le32(65535);
	le32(20);
}

static void record(uint64_t usec, const unsigned char *p, size_t n)
{
	frames++;
	if (!ng) {
		le32((uint32_t)(usec / 1000000));
		le32((uint32_t)(usec % 1000000));
		le32((uint32_t)n);
		le32((uint32_t)n);
		fwrite(p, 1, n, out);
		return;
	}
	{
		size_t pad = (4 - n % 4) % 4, total = 32 + n + pad;
		static const unsigned char zero[4];

		le32(6); /* Enhanced Packet Block */
		le32((uint32_t)total);
		le32(0);
		le32((uint32_t)(usec >> 32));
		le32((uint32_t)usec);
		le32((uint32_t)n);
		le32((uint32_t)n);
		fwrite(p, 1, n, out);
		fwrite(zero, 1, pad, out);
		le32((uint32_t)total);
	}
}

/* Ethernet + IPv4 + UDP/TCP around payload. */
static void packet(uint64_t usec, const char *src, const char *dst, int proto, unsigned sport, unsigned dport,
                   uint32_t seq, unsigned flags, const unsigned char *pl, size_t pn)
{
	unsigned char f[1600];
	size_t l4 = proto == 17 ? 8 : 20, ip = 20, n = 14 + ip + l4 + pn;
	unsigned char *i = f + 14, *t = i + ip;

	memset(f, 0, n);
	memcpy(f, "\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\x08\x00", 14);
	i[0] = 0x45;
	put16(i + 2, (unsigned)(ip + l4 + pn));
	i[8] = 64;
	i[9] = (unsigned char)proto;
	inet_pton(AF_INET, src, i + 12);
	inet_pton(AF_INET, dst, i + 16);
	put16(t, sport);
	put16(t + 2, dport);
	if (proto == 17) {
		put16(t + 4, (unsigned)(l4 + pn));
	} else {
		put32(t + 4, seq);
		t[12] = 5 << 4;
		t[13] = (unsigned char)flags;
		put16(t + 14, 64240);
	}
	if (pn)
		memcpy(t + l4, pl, pn);
	record(usec, f, n);
}

static size_t dns_msg(unsigned char *m, unsigned id, int answer, const char *name)
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
	put16(m + n, 16); /* TXT */
	put16(m + n + 2, 1);
	return n + 4;
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

int main(int argc, char **argv)
{
	const char *sc, *proxy;
	uint64_t t0;
	int i;

	if (argc < 3) {
		fprintf(stderr, "usage: mkpcap SCENARIO OUT [pcap|pcapng] [PROXY_IP] [START_EPOCH]\n");
		return 2;
	}
	sc = argv[1];
	ng = argc > 3 && strcmp(argv[3], "pcapng") == 0;
	proxy = argc > 4 ? argv[4] : "146.112.9.200";
	t0 = (uint64_t)(argc > 5 ? strtoull(argv[5], NULL, 10) : 1724724396ull) * 1000000; /* 2024-08-27 02:06:36 UTC */
	out = fopen(argv[2], "wb");
	if (out == NULL) {
		perror(argv[2]);
		return 1;
	}
	header(strcmp(sc, "garbage-link") == 0 ? 147 : 1);
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
	fclose(out);
	return frames ? 0 : 1;
}
