/* pcapng: the block reader.
 * libpcap reads a pcapng file only while every interface has the first one's link type ("an
 * interface has a type 0 different from the type of the first interface"), yet Wireshark writes one
 * interface per adapter, a loopback next to the Ethernet one. So pcapng is read here, block by
 * block: Section Header, Interface Description (link type, snap length, if_tsresol, if_tsoffset),
 * Enhanced, Simple and the obsolete Packet block; every other block is skipped. Either byte order,
 * several sections. Bounded: a block has at most NG_BLOCK_MAX bytes (libpcap's own limit) and is
 * read as it comes, not allocated from its claimed length; a section has at most NG_IFACES_MAX
 * interfaces; every field is checked against its block. Wireshark's libwiretap reads all of this
 * and more, but it is a heavy dependency for two hundred lines; classic pcap is pcapfile.c's. */
#include "pcapng.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

#define NG_SHB 0x0a0d0d0au
#define NG_IDB 1u
#define NG_PB 2u
#define NG_SPB 3u
#define NG_EPB 6u
#define NG_BLOCK_MAX (16u << 20)
#define NG_IFACES_MAX 256
#define NG_SEC_MAX 253402300799LL /* 9999-12-31T23:59:59Z: later is not a time */

struct ng_iface {
	int linktype;
	uint32_t snaplen;
	uint64_t units;  /* timestamp units per second: if_tsresol, 10^6 when not given */
	int64_t offset;  /* seconds to add: if_tsoffset */
};

struct pcapng {
	FILE *f;
	int big;             /* the current section's byte order */
	unsigned char *buf;  /* the current block's body (after its type and length) */
	size_t cap;
	struct ng_iface ifc[NG_IFACES_MAX];
	size_t nifc;
};


static uint64_t ng64(const struct pcapng *g, const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[g->big ? i : 7 - i];
	return v;
}

/* Reads n bytes of the block body into g->buf at off, growing it as the bytes arrive. */
static int ng_fill(struct pcapng *g, size_t off, size_t n)
{
	while (n > 0) {
		size_t room, got;

		if (off == g->cap)
			g->buf = xgrow(g->buf, &g->cap, g->cap < 4096 ? 4096 : g->cap * 2, 1);
		room = g->cap - off < n ? g->cap - off : n;
		got = fread(g->buf + off, 1, room, g->f);
		if (got < room)
			return -1;
		off += got, n -= got;
	}
	return 0;
}

/* The next block's type and body (in g->buf, blen bytes). Returns 1, 0 at the end of the file,
 * -1 with why. A Section Header sets the byte order of everything up to the next one. */
static int ng_block(struct pcapng *g, uint32_t *type, size_t *blen, char *why, size_t wn)
{
	unsigned char h[12];
	size_t got = fread(h, 1, 8, g->f), have = 0;
	uint32_t total;

	if (got == 0 && !ferror(g->f))
		return 0;
	if (got < 8) {
		snprintf(why, wn, "the file ends inside a block header");
		return -1;
	}
	*type = ord32(g->big, h);
	if (le32(h) == NG_SHB) { /* its type reads the same either way; the byte-order magic follows */
		if (fread(h + 8, 1, 4, g->f) != 4 || (be32(h + 8) != 0x1a2b3c4d && le32(h + 8) != 0x1a2b3c4d)) {
			snprintf(why, wn, "a section header without its byte-order magic");
			return -1;
		}
		g->big = be32(h + 8) == 0x1a2b3c4d;
		*type = NG_SHB;
		have = 4;
	}
	total = ord32(g->big, h + 4);
	if (total < (*type == NG_SHB ? 28u : 12u) || total % 4 != 0 || total > NG_BLOCK_MAX) {
		snprintf(why, wn, "a block (type 0x%x) of %u bytes", (unsigned)*type, (unsigned)total);
		return -1;
	}
	*blen = total - 12;
	memcpy(g->buf, h + 8, have); /* the buffer always holds 4096 bytes at least */
	if (ng_fill(g, have, *blen - have) != 0 || fread(h, 1, 4, g->f) != 4) {
		snprintf(why, wn, "the file ends inside a block (type 0x%x)", (unsigned)*type);
		return -1;
	}
	if (ord32(g->big, h) != total) {
		snprintf(why, wn, "a block (type 0x%x) whose two lengths differ", (unsigned)*type);
		return -1;
	}
	return 1;
}

/* if_tsresol: 10^-v seconds, or 2^-(v & 0x7f) with the top bit set. 0 when it cannot be a unit. */
static uint64_t ng_units(unsigned v)
{
	uint64_t u = 1;
	unsigned i;

	if (v & 0x80)
		return (v & 0x7f) < 64 ? (uint64_t)1 << (v & 0x7f) : 0;
	if (v > 19) /* 10^20 does not fit in 64 bits */
		return 0;
	for (i = 0; i < v; i++)
		u *= 10;
	return u;
}

/* An Interface Description Block: its link type, snap length and the two options that set how
 * its timestamps read. */
static int ng_interface(struct pcapng *g, size_t blen, char *why, size_t wn)
{
	struct ng_iface *f;
	size_t i = 8;

	if (blen < 8) {
		snprintf(why, wn, "an interface description of %zu bytes", blen);
		return -1;
	}
	if (g->nifc == NG_IFACES_MAX) {
		snprintf(why, wn, "more than %d interfaces in a section", NG_IFACES_MAX);
		return -1;
	}
	f = &g->ifc[g->nifc];
	f->linktype = (int)ord16(g->big, g->buf);
	f->snaplen = ord32(g->big, g->buf + 4);
	f->units = 1000000;
	f->offset = 0;
	while (i + 4 <= blen) { /* each option takes at least 4 bytes: bounded by the block */
		unsigned code = ord16(g->big, g->buf + i), len = ord16(g->big, g->buf + i + 2);
		const unsigned char *v = g->buf + i + 4;

		if (code == 0)
			break;
		if (len > blen - i - 4) {
			snprintf(why, wn, "interface %zu: an option runs past its block", g->nifc);
			return -1;
		}
		if (code == 9 && len >= 1 && (f->units = ng_units(v[0])) == 0) {
			snprintf(why, wn, "interface %zu: timestamp resolution 0x%02x is not one", g->nifc, v[0]);
			return -1;
		}
		if (code == 14 && len >= 8)
			f->offset = (int64_t)ng64(g, v);
		i += 4 + ((len + 3u) & ~3u);
	}
	g->nifc++;
	return 0;
}

/* A timestamp in f's units -> ms since the epoch. Returns -1 for one past the year 9999. */
static int ng_time(const struct ng_iface *f, uint64_t ts, int64_t *ms)
{
	uint64_t sec = ts / f->units, frac = ts % f->units, fms;
	int64_t s;

	if (sec > (uint64_t)NG_SEC_MAX || f->offset < -NG_SEC_MAX || f->offset > NG_SEC_MAX)
		return -1;
	/* frac * 1000 exactly while it fits; else units > 1.8e16, and units / 1000 is as good */
	fms = frac <= UINT64_MAX / 1000 ? frac * 1000 / f->units : frac / (f->units / 1000);
	s = (int64_t)sec + f->offset;
	if (s > NG_SEC_MAX || s < -NG_SEC_MAX)
		return -1;
	*ms = s * 1000 + (int64_t)(fms > 999 ? 999 : fms);
	return 0;
}

/* An Enhanced (EPB), obsolete (PB) or Simple (SPB) Packet Block -> r. */
static int ng_packet(struct pcapng *g, uint32_t type, size_t blen, struct pcap_frame *r, char *why, size_t wn)
{
	const unsigned char *b = g->buf;
	size_t iface, hl = type == NG_SPB ? 4 : 20;
	uint64_t ts = 0;

	if (blen < hl) {
		snprintf(why, wn, "a packet block of %zu bytes", blen);
		return -1;
	}
	iface = type == NG_EPB ? ord32(g->big, b) : type == NG_PB ? ord16(g->big, b) : 0;
	if (iface >= g->nifc) {
		snprintf(why, wn, "a packet on interface %zu, which the section does not describe", iface);
		return -1;
	}
	r->linktype = g->ifc[iface].linktype;
	r->data = b + hl;
	if (type == NG_SPB) {
		/* no captured length and no time: what the block holds, up to the snap length */
		r->len = ord32(g->big, b);
		r->caplen = r->len < blen - hl ? r->len : blen - hl;
		if (g->ifc[0].snaplen && r->caplen > g->ifc[0].snaplen)
			r->caplen = g->ifc[0].snaplen;
		r->timed = 0;
		r->bad_usec = 0;
		return 0;
	}
	ts = (uint64_t)ord32(g->big, b + 4) << 32 | ord32(g->big, b + 8);
	r->caplen = ord32(g->big, b + 12);
	r->len = ord32(g->big, b + 16);
	if (r->caplen > blen - hl) {
		snprintf(why, wn, "a packet of %zu bytes in a block of %zu", r->caplen, blen);
		return -1;
	}
	r->timed = ng_time(&g->ifc[iface], ts, &r->ms) == 0;
	r->bad_usec = 0;
	return 0;
}

/* A Section Header Block (in g->buf): its version; it starts a new numbering of interfaces. */
static int ng_section(struct pcapng *g, char *why, size_t wn)
{
	if (ord16(g->big, g->buf + 4) != 1) {
		snprintf(why, wn, "a section of pcapng version %u", ord16(g->big, g->buf + 4));
		return -1;
	}
	g->nifc = 0;
	return 0;
}

static int is_packet_block(uint32_t type)
{
	return type == NG_EPB || type == NG_PB || type == NG_SPB;
}

/* The next packet of the file. Returns 1, 0 at its end, -1 with why. */
int pcapng_next(struct pcapng *g, struct pcap_frame *r, char *why, size_t wn)
{
	uint32_t type;
	size_t blen;
	int rc;

	while ((rc = ng_block(g, &type, &blen, why, wn)) == 1) {
		if (type == NG_SHB && ng_section(g, why, wn) != 0)
			return -1;
		if (type == NG_IDB && ng_interface(g, blen, why, wn) != 0)
			return -1;
		if (is_packet_block(type))
			return ng_packet(g, type, blen, r, why, wn) == 0 ? 1 : -1;
		/* any other block (statistics, name resolution, secrets, custom) says nothing we count */
	}
	return rc;
}

void pcapng_close(struct pcapng *g)
{
	if (g == NULL)
		return;
	fclose(g->f);
	free(g->buf);
	free(g);
}

/* Opens a pcapng file: its section header, then blocks up to the first interface, whose link type
 * is the capture's. NULL with why when it cannot be read as one; f stays the caller's until this
 * succeeds. */
struct pcapng *pcapng_open(FILE *f, char *why, size_t wn)
{
	struct pcapng *g = xcalloc(1, sizeof *g);
	uint32_t type = 0;
	size_t blen;
	int rc;

	g->f = f;
	g->cap = 4096;
	g->buf = xmalloc(g->cap);
	rc = ng_block(g, &type, &blen, why, wn);
	if (rc == 1 && (type != NG_SHB || ng_section(g, why, wn) != 0))
		rc = -1;
	while (rc == 1 && g->nifc == 0) {
		rc = ng_block(g, &type, &blen, why, wn);
		if (rc == 1 && type == NG_SHB && ng_section(g, why, wn) != 0)
			rc = -1;
		else if (rc == 1 && type == NG_IDB && ng_interface(g, blen, why, wn) != 0)
			rc = -1;
		else if (rc == 1 && is_packet_block(type))
			rc = -1, snprintf(why, wn, "a packet before any interface is described");
	}
	if (rc == 0)
		snprintf(why, wn, "no interface is described");
	if (rc != 1) {
		free(g->buf);
		free(g);
		return NULL;
	}
	return g;
}


int pcapng_magic(const unsigned char *p)
{
	return le32(p) == NG_SHB;
}

int pcapng_linktype(const struct pcapng *g)
{
	return g->ifc[0].linktype;
}
