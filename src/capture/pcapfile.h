/* pcapfile: a small, bounded reader of classic pcap files (the 24-byte file header, then a 16-byte
 * header before each frame), either byte order, micro- or nanosecond times; pcapng.c reads pcapng. */
#ifndef DARTSCAN_PCAPFILE_H
#define DARTSCAN_PCAPFILE_H

#include <stdio.h>

#include "pcapng.h"

struct pcapfile;

/* Opens a pcap file from its first byte: its file header. NULL with why when it cannot be read as
 * one; f becomes the reader's only when this succeeds. */
struct pcapfile *pcapfile_open(FILE *f, char *why, size_t wn);
/* The next frame (its bytes valid until the next call). Returns 1, 0 at the end, -1 with why. */
int pcapfile_next(struct pcapfile *p, struct pcap_frame *r, char *why, size_t wn);
/* The file header's link type (a LINKTYPE_ value, as pcapng gives them). */
int pcapfile_linktype(const struct pcapfile *p);
void pcapfile_close(struct pcapfile *p);

#endif
