/* pcapfile: the classic pcap reader.
 * The format is a 24-byte file header (magic, version, zone, accuracy, snap length, link type) and
 * a 16-byte header before each frame (seconds, micro- or nanoseconds, bytes captured, bytes on the
 * wire); Alexey Kuznetsov's patched format adds 8 bytes to each. Read here rather than through
 * libpcap, which took six shared libraries (D-Bus, systemd, libgcrypt...) into every run for these
 * forty bytes of headers: 2.4 ms of each start. Bounded: a frame has at most FRAME_MAX bytes
 * (libpcap's own limit), is read as it comes, and more than the file's snap length is skipped. */
#include "pcapfile.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

#define FRAME_MAX 262144u  /* libpcap's MAXIMUM_SNAPLEN */
#define MAGIC_US 0xa1b2c3d4u
#define MAGIC_NS 0xa1b23c4du
#define MAGIC_KUZNETSOV 0xa1b2cd34u /* microseconds, and 8 more header bytes a frame */

struct pcapfile {
	FILE *f;
	int big;       /* the file's byte order */
	int ns;        /* the fraction is nanoseconds */
	int old;       /* version 2.2 or before: some writers swapped caplen and len */
	size_t hdr;    /* bytes of a frame's header */
	int linktype;
	uint32_t snaplen;
	unsigned char *buf;
	size_t cap;
};

/* The magic as either byte order reads it: 1 little-endian, 2 big-endian, 0 none; *m the magic. */
static int byte_order(const unsigned char *b, uint32_t *m)
{
	static const uint32_t magics[] = {MAGIC_US, MAGIC_NS, MAGIC_KUZNETSOV};
	size_t i;

	for (i = 0; i < sizeof magics / sizeof magics[0]; i++) {
		*m = magics[i];
		if (le32(b) == magics[i])
			return 1;
		if (be32(b) == magics[i])
			return 2;
	}
	return 0;
}

struct pcapfile *pcapfile_open(FILE *f, char *why, size_t wn)
{
	unsigned char h[24];
	size_t got = fread(h, 1, sizeof h, f);
	struct pcapfile *p;
	uint32_t magic;
	int order;

	order = got >= 4 ? byte_order(h, &magic) : 0;
	if (got >= 4 && order == 0) {
		snprintf(why, wn, "neither pcap nor pcapng (it starts %02x %02x %02x %02x)", h[0], h[1], h[2], h[3]);
		return NULL;
	}
	if (got < sizeof h) {
		snprintf(why, wn, got ? "the file ends inside its header (%zu of 24 bytes)" : "empty", got);
		return NULL;
	}
	p = xcalloc(1, sizeof *p);
	p->big = order == 2;
	if (ord16(p->big, h + 4) != 2 || ord16(p->big, h + 6) > 4) { /* libpcap reads 2.0 to 2.4 */
		snprintf(why, wn, "pcap version %u.%u, not 2.4 or before", ord16(p->big, h + 4), ord16(p->big, h + 6));
		free(p);
		return NULL;
	}
	p->f = f;
	p->ns = magic == MAGIC_NS;
	p->old = ord16(p->big, h + 6) < 3;
	p->hdr = magic == MAGIC_KUZNETSOV ? 24 : 16;
	p->snaplen = ord32(p->big, h + 16);
	if (p->snaplen == 0 || p->snaplen > FRAME_MAX)
		p->snaplen = FRAME_MAX;
	p->linktype = (int)(ord32(p->big, h + 20) & 0xffffu); /* the upper bits say how long an FCS is */
	return p;
}

int pcapfile_linktype(const struct pcapfile *p)
{
	return p->linktype;
}

/* Reads n bytes into p->buf, or passes them; returns how many the file had (n, or fewer at its end). */
static size_t take(struct pcapfile *p, size_t n, int keep)
{
	unsigned char skip[4096];
	size_t got = 0, k;

	if (keep) {
		p->buf = xgrow(p->buf, &p->cap, n ? n : 1, 1);
		return fread(p->buf, 1, n, p->f);
	}
	while (got < n) {
		k = n - got < sizeof skip ? n - got : sizeof skip;
		k = fread(skip, 1, k, p->f);
		got += k;
		if (k == 0)
			break;
	}
	return got;
}

int pcapfile_next(struct pcapfile *p, struct pcap_frame *r, char *why, size_t wn)
{
	unsigned char h[24];
	size_t got = fread(h, 1, p->hdr, p->f);
	uint32_t sec, frac, caplen, len, kept;
	size_t there;

	if (got == 0)
		return 0;
	if (got < p->hdr) {
		snprintf(why, wn, "the file ends inside a frame's header (%zu of %zu bytes)", got, p->hdr);
		return -1;
	}
	sec = ord32(p->big, h);
	frac = ord32(p->big, h + 4);
	caplen = ord32(p->big, h + 8);
	len = ord32(p->big, h + 12);
	if (p->old && caplen > len) {
		uint32_t t = caplen;

		caplen = len;
		len = t;
	}
	if (caplen > FRAME_MAX) {
		snprintf(why, wn, "a frame of %lu bytes captured, more than %u", (unsigned long)caplen, FRAME_MAX);
		return -1;
	}
	/* a frame longer than the file's snap length keeps that much, as libpcap does */
	kept = caplen < p->snaplen ? caplen : p->snaplen;
	there = take(p, kept, 1);
	if (there == kept && caplen > kept)
		there += take(p, caplen - kept, 0);
	if (there < caplen) {
		snprintf(why, wn, "the file ends inside a frame of %lu bytes (%zu of them there)", (unsigned long)caplen,
		         there);
		return -1;
	}
	caplen = kept;
	memset(r, 0, sizeof *r);
	r->linktype = p->linktype;
	r->data = p->buf;
	r->caplen = caplen;
	r->len = len;
	r->timed = 1;
	/* the seconds are unsigned (to 2106); a fraction of a whole second or more is not one */
	r->bad_usec = frac >= (p->ns ? 1000000000u : 1000000u);
	r->ms = (int64_t)sec * 1000 + (r->bad_usec ? 0 : frac / (p->ns ? 1000000u : 1000u));
	return 1;
}

void pcapfile_close(struct pcapfile *p)
{
	if (p == NULL)
		return;
	fclose(p->f);
	free(p->buf);
	free(p);
}
