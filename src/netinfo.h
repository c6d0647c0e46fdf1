/* netinfo: the network around the client, from the ipconfig (/all) output a bundle holds --
 * adapters with their description, addresses, gateways and DNS servers -- for context.network.
 * The result owns every string in it; the input is borrowed and may be any bytes. */
#ifndef DARTSCAN_NETINFO_H
#define DARTSCAN_NETINFO_H

#include <stddef.h>

#define NETINFO_ADAPTERS_MAX 64 /* adapters kept from one file (the rest are counted) */
#define NETINFO_VALUES_MAX 16   /* addresses, gateways or DNS servers kept per adapter */
#define NETINFO_VALUE_MAX 200   /* bytes of one value or name; longer ones are cut */
#define NETINFO_GLOB "ipconfig*" /* the base names read: ipconfig.txt, ipconfig_all.txt, ... */

struct net_list {
	char **v;
	size_t n;
};

struct net_adapter {
	char *name;        /* the header: "Wireless LAN adapter Wi-Fi" */
	char *description; /* "Intel(R) Wi-Fi 6 AX201 160MHz", or NULL (plain ipconfig has none) */
	struct net_list addrs;    /* IPv4 and IPv6, without "(Preferred)" */
	struct net_list gateways;
	struct net_list dns;
	unsigned long line;      /* the header's line in the file, from 1 */
	unsigned long dns_line;  /* the "DNS Servers" line, or 0 */
};

struct netinfo {
	char *entry;       /* the file it was read from */
	struct net_adapter *a;
	size_t n;
	unsigned long dropped; /* adapters past NETINFO_ADAPTERS_MAX */
};

/* Reads ipconfig output (UTF-8, or UTF-16 with or without a BOM; any line ends) from p[0..n).
 * Returns 0 with out filled (maybe with no adapter), or -1 when nothing in it looks like
 * ipconfig output. */
int netinfo_parse(const char *entry, const void *p, size_t n, struct netinfo *out);
void netinfo_reset(struct netinfo *ni);
/* Is the address a loopback one (127.0.0.0/8, ::1)? */
int netinfo_is_loopback(const char *addr);

#endif
