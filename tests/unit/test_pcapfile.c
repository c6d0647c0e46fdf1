/* test_pcapfile: the classic pcap reader on files spelled out here byte by byte -- both byte
 * orders, nanosecond times, Kuznetsov's longer headers, old versions' swapped lengths, the snap
 * length, and every way a file can end or lie. */
#include <stdint.h>
#include <stdlib.h>

#include "capture/pcapfile.h"
#include "check.h"

struct file {
	unsigned char b[600000];
	size_t n;
	int big;
};

static void put(struct file *f, uint32_t v, int bytes)
{
	int i;

	for (i = 0; i < bytes; i++)
		f->b[f->n++] = (unsigned char)(f->big ? v >> (8 * (bytes - 1 - i)) : v >> (8 * i));
}

static void header(struct file *f, int big, uint32_t magic, unsigned major, unsigned minor, uint32_t snap,
                   uint32_t link)
{
	f->n = 0;
	f->big = big;
	put(f, magic, 4);
	put(f, major, 2);
	put(f, minor, 2);
	put(f, 0, 4);
	put(f, 0, 4);
	put(f, snap, 4);
	put(f, link, 4);
}

/* A frame of caplen bytes (k, k+1, ...), len on the wire; extra: Kuznetsov's 8 bytes. */
static void frame(struct file *f, uint32_t sec, uint32_t frac, uint32_t caplen, uint32_t len, int extra)
{
	uint32_t i;

	put(f, sec, 4);
	put(f, frac, 4);
	put(f, caplen, 4);
	put(f, len, 4);
	if (extra)
		put(f, 0, 4), put(f, 0, 4);
	for (i = 0; i < caplen; i++)
		f->b[f->n++] = (unsigned char)(i & 0xff);
}

static struct pcapfile *open_mem(struct file *f, size_t n, char *why, size_t wn)
{
	FILE *fp = fmemopen(f->b, n, "rb");
	struct pcapfile *p = pcapfile_open(fp, why, wn);

	if (p == NULL)
		fclose(fp);
	return p;
}

static void check_orders_and_units(void)
{
	static struct file f;
	struct pcap_frame r;
	struct pcapfile *p;
	char why[200] = "";
	int rc;

	header(&f, 0, 0xa1b2c3d4u, 2, 4, 65535, 1);
	frame(&f, 1724766079, 123456, 60, 60, 0);
	p = open_mem(&f, f.n, why, sizeof why);
	CHECK("pcapfile/little-endian-opens", p != NULL && pcapfile_linktype(p) == 1);
	rc = p ? pcapfile_next(p, &r, why, sizeof why) : -1;
	CHECK("pcapfile/little-endian-frame", rc == 1 && r.caplen == 60 && r.len == 60 && r.linktype == 1 && r.timed &&
	                                        r.ms == 1724766079123LL && r.data[59] == 59);
	CHECK("pcapfile/end", p && pcapfile_next(p, &r, why, sizeof why) == 0);
	pcapfile_close(p);

	header(&f, 1, 0xa1b23c4du, 2, 4, 0, 101); /* big-endian, nanoseconds, snap length 0: the maximum */
	frame(&f, 0xffffffffu, 999999999, 20, 1500, 0);
	frame(&f, 5, 1000000000, 4, 4, 0);
	p = open_mem(&f, f.n, why, sizeof why);
	CHECK("pcapfile/big-endian-nanoseconds-opens", p != NULL && pcapfile_linktype(p) == 101);
	rc = p ? pcapfile_next(p, &r, why, sizeof why) : -1;
	CHECK("pcapfile/unsigned-seconds-nanoseconds", rc == 1 && r.ms == 4294967295999LL && !r.bad_usec &&
	                                                 r.caplen == 20 && r.len == 1500);
	rc = p ? pcapfile_next(p, &r, why, sizeof why) : -1;
	CHECK("pcapfile/a-second-of-nanoseconds-is-bad", rc == 1 && r.bad_usec && r.ms == 5000);
	pcapfile_close(p);

	header(&f, 0, 0xa1b2cd34u, 2, 4, 65535, 0x0a000001u); /* Kuznetsov; an FCS length in the upper bits */
	frame(&f, 10, 1000000, 8, 8, 1);
	frame(&f, 11, 999999, 3, 3, 1);
	p = open_mem(&f, f.n, why, sizeof why);
	CHECK("pcapfile/kuznetsov-link-type-low-bits", p != NULL && pcapfile_linktype(p) == 1);
	rc = p ? pcapfile_next(p, &r, why, sizeof why) : -1;
	CHECK("pcapfile/kuznetsov-first", rc == 1 && r.caplen == 8 && r.bad_usec && r.ms == 10000);
	rc = p ? pcapfile_next(p, &r, why, sizeof why) : -1;
	CHECK("pcapfile/kuznetsov-second", rc == 1 && r.caplen == 3 && !r.bad_usec && r.ms == 11999);
	CHECK("pcapfile/kuznetsov-end", p && pcapfile_next(p, &r, why, sizeof why) == 0);
	pcapfile_close(p);
}

static void check_lengths(void)
{
	static struct file f;
	struct pcap_frame r;
	struct pcapfile *p;
	char why[200] = "";
	int rc;

	header(&f, 0, 0xa1b2c3d4u, 2, 2, 65535, 1); /* 2.2: caplen and len may come swapped */
	frame(&f, 1, 0, 30, 30, 0);
	f.b[24 + 8] = 40; /* caplen 40 > len 30 as written: 30 bytes captured of 40 */
	p = open_mem(&f, f.n, why, sizeof why);
	rc = p ? pcapfile_next(p, &r, why, sizeof why) : -1;
	CHECK("pcapfile/old-version-swapped-lengths", rc == 1 && r.caplen == 30 && r.len == 40);
	pcapfile_close(p);

	header(&f, 0, 0xa1b2c3d4u, 2, 4, 16, 1); /* a frame longer than the snap length keeps 16 bytes */
	frame(&f, 1, 0, 50, 50, 0);
	frame(&f, 2, 0, 10, 10, 0);
	p = open_mem(&f, f.n, why, sizeof why);
	rc = p ? pcapfile_next(p, &r, why, sizeof why) : -1;
	CHECK("pcapfile/over-snap-length-cut", rc == 1 && r.caplen == 16 && r.len == 50 && r.data[15] == 15);
	rc = p ? pcapfile_next(p, &r, why, sizeof why) : -1;
	CHECK("pcapfile/after-cut-frame-in-step", rc == 1 && r.caplen == 10 && r.ms == 2000 && r.data[9] == 9);
	pcapfile_close(p);
	p = open_mem(&f, 24 + 16 + 40, why, sizeof why); /* the file ends in the part past the snap length */
	rc = p ? pcapfile_next(p, &r, why, sizeof why) : 0;
	CHECK("pcapfile/cut-past-snap-length", rc == -1 && strstr(why, "inside a frame of 50 bytes (40 of them there)") != NULL);
	pcapfile_close(p);

	header(&f, 0, 0xa1b2c3d4u, 2, 4, 0, 1); /* the largest frame there is, then one byte more */
	frame(&f, 1, 0, 262144, 262144, 0);
	frame(&f, 2, 0, 0, 0, 0);
	f.b[f.n - 8] = 0x01, f.b[f.n - 7] = 0x00, f.b[f.n - 6] = 0x04; /* caplen 262145 */
	p = open_mem(&f, f.n, why, sizeof why);
	rc = p ? pcapfile_next(p, &r, why, sizeof why) : -1;
	CHECK("pcapfile/largest-frame", rc == 1 && r.caplen == 262144);
	rc = p ? pcapfile_next(p, &r, why, sizeof why) : -1;
	CHECK("pcapfile/frame-over-limit", rc == -1 && strstr(why, "262145 bytes captured, more than 262144") != NULL);
	pcapfile_close(p);
}

static void check_damage(void)
{
	static struct file f;
	struct pcap_frame r;
	struct pcapfile *p;
	char why[200] = "";
	size_t whole;
	int rc;

	header(&f, 0, 0xa1b2c3d4u, 2, 4, 65535, 1);
	frame(&f, 1, 0, 30, 30, 0);
	whole = f.n;
	p = open_mem(&f, 10, why, sizeof why);
	CHECK("pcapfile/cut-file-header", p == NULL && strstr(why, "ends inside its header (10 of 24 bytes)") != NULL);
	p = open_mem(&f, 24 + 5, why, sizeof why);
	rc = p ? pcapfile_next(p, &r, why, sizeof why) : 0;
	CHECK("pcapfile/cut-frame-header", rc == -1 && strstr(why, "inside a frame's header (5 of 16 bytes)") != NULL);
	pcapfile_close(p);
	p = open_mem(&f, whole - 1, why, sizeof why);
	rc = p ? pcapfile_next(p, &r, why, sizeof why) : 0;
	CHECK("pcapfile/cut-frame", rc == -1 && strstr(why, "inside a frame of 30 bytes (29 of them there)") != NULL);
	pcapfile_close(p);

	header(&f, 0, 0xa1b2c3d4u, 1, 0, 65535, 1);
	p = open_mem(&f, f.n, why, sizeof why);
	CHECK("pcapfile/version-1-refused", p == NULL && strstr(why, "pcap version 1.0") != NULL);
	header(&f, 0, 0xa1b2c3d4u, 2, 5, 65535, 1);
	p = open_mem(&f, f.n, why, sizeof why);
	CHECK("pcapfile/version-2.5-refused", p == NULL && strstr(why, "pcap version 2.5") != NULL);
	header(&f, 0, 0x0a0d0d0au, 2, 4, 65535, 1);
	p = open_mem(&f, f.n, why, sizeof why);
	CHECK("pcapfile/pcapng-is-not-pcap", p == NULL && strstr(why, "neither pcap nor pcapng (it starts 0a 0d 0d 0a)") != NULL);
	memcpy(f.b, "vm\nx", 4); /* a short text file is not called a cut pcap */
	p = open_mem(&f, 4, why, sizeof why);
	CHECK("pcapfile/short-text-neither", p == NULL && strstr(why, "neither pcap nor pcapng (it starts 76 6d 0a 78)") != NULL);
	p = open_mem(&f, 3, why, sizeof why);
	CHECK("pcapfile/three-bytes-cut", p == NULL && strstr(why, "ends inside its header (3 of 24 bytes)") != NULL);
	header(&f, 1, 0xa1b2c3d4u, 2, 4, 65535, 1); /* big-endian with microseconds */
	p = open_mem(&f, f.n, why, sizeof why);
	CHECK("pcapfile/magic-either-order", p != NULL && pcapfile_linktype(p) == 1);
	pcapfile_close(p);
}

int main(void)
{
	check_orders_and_units();
	check_lengths();
	check_damage();
	return check_failed != 0;
}
