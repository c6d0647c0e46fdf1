/* packet: one captured frame decoded down to its TCP or UDP header, and a DNS message's first
 * question, for the capture stage (capture.c), which turns them into verdicts. */
#ifndef DARTSCAN_PACKET_H
#define DARTSCAN_PACKET_H

#include <stddef.h>
#include <stdint.h>

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

/* Decodes a frame of link type dlt (the file's LINKTYPE_ value) of n captured bytes into k, which
 * the caller zeroes first; k->l4 then points into p. 0 when a TCP or UDP header was read; -1 for a
 * frame that is not IP, is cut short or carries something else, k->ip saying whether an IP header
 * was read and k->proto the last IP protocol read. */
int packet_decode(int dlt, struct pkt *k, const unsigned char *p, size_t n);

/* A message's first question, as far as the frame holds it. */
struct question {
	char name[160];
	unsigned type;  /* 0 when it was not captured */
	int cut;        /* the frame ends inside the question: 1 in its name, 2 after it */
};

/* Reads the first question of the DNS message at p (n bytes from its header) into q; -1 when the
 * message has none that can be read. */
int packet_dns_question(const unsigned char *p, size_t n, struct question *q);
/* "TXT debug.opendns.com"; "debug.open... (cut)" when the frame ends inside the question; "" when
 * there is none. */
void packet_question_text(const struct question *q, char *out, size_t on);

#endif
