/* capture: a packet capture file (pcap and pcapng, each by a small reader of its own;
 * nothing is ever captured) -> what the network did to the client's DNS queries to the Umbrella resolvers and
 * to its TCP connections to the SWG proxy, with the frames that show it. Owns its strings. */
#ifndef DARTSCAN_CAPTURE_H
#define DARTSCAN_CAPTURE_H

#include <stdint.h>

#include "util.h"

#define CAP_EV 6 /* frames kept as evidence per verdict */

struct cap_frame {
	unsigned long frame;
	int64_t utc_ms;
	char text[240];
};

struct cap_limits {
	unsigned long max_frames;
	uint64_t max_bytes;
};
void cap_limits_default(struct cap_limits *l);

enum cap_verdict {
	CV_DNS_UNANSWERED = 0, /* queries to the resolvers, no answer: dropped on the path */
	CV_DNS_ANSWERED,       /* the resolvers answer */
	CV_PROXY_RST,          /* SYNs to the proxy answered by RST: actively rejected */
	CV_PROXY_SILENT,       /* SYNs unanswered and retransmitted: silently dropped */
	CV_PROXY_HANDSHAKE,    /* handshakes complete: the problem is above TCP */
	CV_COUNT
};
const char *cap_verdict_name(int v);
int cap_verdict_parse(const char *s);

struct capture {
	char *path;
	int linktype;
	unsigned long frames;     /* records read */
	unsigned long undecoded;  /* frames that were not IP */
	unsigned long ip_other;   /* IP frames with no TCP or UDP header that could be read */
	unsigned long cut;        /* frames cut short by the snap length (captured < on the wire) */
	unsigned long untimed;    /* frames without a usable time (pcapng simple packet blocks) */
	unsigned long bad_usec;   /* frames whose microseconds were a million or more: seconds taken */
	int64_t first_ms, last_ms; /* UTC, of the frames with a time; 0 when none has one */
	char proxy[64];           /* the proxy address looked for ("" = the SWG ranges) */
	unsigned long dns_q[2], dns_a[2], dns_retrans; /* [0] port 53, [1] port 443 */
	unsigned long syn, syn_retrans, synack, rst, acked;
	int holds[CV_COUNT];
	char summary[CV_COUNT][200];
	struct cap_frame ev[CV_COUNT][CAP_EV];
	size_t nev[CV_COUNT];
	char *problem;            /* a damaged or cut capture: what and where; results still count */
};

/* Reads the capture at path; proxy is the SWG proxy IP from the bundle, or NULL. Returns -1
 * with err when the file cannot be read as a capture at all. */
int capture_read(const char *path, const char *proxy, const struct cap_limits *lim, struct capture *c,
                 struct ds_error *err);
/* The same from memory (tests and fuzzing); name is used in messages. */
int capture_read_mem(const void *data, size_t len, const char *name, const char *proxy, const struct cap_limits *lim,
                     struct capture *c, struct ds_error *err);
void capture_reset(struct capture *c);

#endif
