/* pcapng: a small, bounded reader of pcapng blocks (sections, interfaces of any link type each,
 * enhanced/simple/old packet blocks), for the capture stage; pcapfile.c reads classic pcap. */
#ifndef DARTSCAN_PCAPNG_H
#define DARTSCAN_PCAPNG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* One captured frame, from either reader (pcapfile.c, pcapng.c). */
struct pcap_frame {
	int linktype;
	const unsigned char *data;
	size_t caplen, len;
	int timed;    /* 0: the record has no time (a pcapng Simple Packet Block) */
	int bad_usec; /* its microseconds were a million or more: ms holds its seconds */
	int64_t ms;   /* UTC */
};

struct pcapng;

/* Is this the first 4 bytes of a pcapng file (a Section Header Block)? */
int pcapng_magic(const unsigned char *p);
/* Opens a pcapng file: its section header, then blocks up to the first interface. NULL with why
 * when it cannot be read as one; f becomes the reader's only when this succeeds. */
struct pcapng *pcapng_open(FILE *f, char *why, size_t wn);
/* The next packet (its bytes valid until the next call). Returns 1, 0 at the end, -1 with why. */
int pcapng_next(struct pcapng *g, struct pcap_frame *r, char *why, size_t wn);
/* The first interface's link type: the capture's, as the report names it. */
int pcapng_linktype(const struct pcapng *g);
void pcapng_close(struct pcapng *g);

#endif
