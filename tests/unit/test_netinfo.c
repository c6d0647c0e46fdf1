/* Unit tests for netinfo and the adapter check: ipconfig /all in UTF-8 and UTF-16 (BOM, CRLF),
 * continuation lines, caps, and "adapter dns ~" holding only on DNS other than the loopback. */
#include <stdlib.h>

#include "check.h"
#include "context.h"
#include "netinfo.h"

static const char ipconfig[] =
    "\nWindows IP Configuration\n\n   Host Name . . . . . . . . . . . . : LAPTOP\n\n"
    "Wireless LAN adapter Wi-Fi:\n\n"
    "   Description . . . . . . . . . . . : Intel(R) Wi-Fi 6 AX201 160MHz\n"
    "   IPv4 Address. . . . . . . . . . . : 192.168.0.204(Preferred)\n"
    "   Default Gateway . . . . . . . . . : fe80::1%14\n"
    "                                       192.168.0.1\n"
    "   DNS Servers . . . . . . . . . . . : 127.0.0.1\n"
    "                                       ::1\n"
    "   NetBIOS over Tcpip. . . . . . . . : Enabled\n"
    "                                       not-a-list-line\n\n"
    "Unknown adapter Tailscale:\n\n"
    "   Description . . . . . . . . . . . : Tailscale Tunnel\n"
    "   Default Gateway . . . . . . . . . : \n"
    "   DNS Servers . . . . . . . . . . . : 100.100.100.100\n";

/* UTF-16LE with a BOM, CRLF line ends */
static char *utf16(const char *s, size_t *n)
{
	size_t len = strlen(s), i, k = 2;
	char *o = malloc(4 * len + 4);

	o[0] = (char)0xff;
	o[1] = (char)0xfe;
	for (i = 0; i < len; i++) {
		if (s[i] == '\n') {
			o[k++] = '\r';
			o[k++] = 0;
		}
		o[k++] = s[i];
		o[k++] = 0;
	}
	*n = k;
	return o;
}

static int holds(struct context *c, const char *re, int dns, char **why)
{
	struct check ck;

	memset(&ck, 0, sizeof ck);
	ck.kind = CHECK_ADAPTER;
	ck.op = OP_MATCH;
	ck.value = (char *)re;
	ck.dns = dns;
	return context_check(c, &ck, why);
}

int main(void)
{
	struct netinfo ni;
	struct context c;
	size_t n;
	char *u = utf16(ipconfig, &n), *why = NULL;
	const struct net_adapter *a;

	CHECK("netinfo/utf8", netinfo_parse("ipconfig.txt", ipconfig, strlen(ipconfig), &ni) == 0 && ni.n == 2);
	a = &ni.a[0];
	CHECK_STR("netinfo/name", a->name, "Wireless LAN adapter Wi-Fi");
	CHECK_STR("netinfo/description", a->description, "Intel(R) Wi-Fi 6 AX201 160MHz");
	CHECK("netinfo/address-without-preferred", a->addrs.n == 1 && strcmp(a->addrs.v[0], "192.168.0.204") == 0);
	CHECK("netinfo/gateway-continued", a->gateways.n == 2 && strcmp(a->gateways.v[1], "192.168.0.1") == 0);
	CHECK("netinfo/dns-continued", a->dns.n == 2 && strcmp(a->dns.v[1], "::1") == 0 && a->dns_line == 12);
	CHECK("netinfo/continuation-of-no-list", a->dns.n == 2);
	CHECK("netinfo/empty-gateway", ni.a[1].gateways.n == 0 && ni.a[1].dns.n == 1);
	netinfo_reset(&ni);

	CHECK("netinfo/utf16-crlf", netinfo_parse("ipconfig.txt", u, n, &ni) == 0 && ni.n == 2 &&
	                                ni.a[1].description && strcmp(ni.a[1].description, "Tailscale Tunnel") == 0 &&
	                                ni.a[0].dns.n == 2 && strcmp(ni.a[0].dns.v[0], "127.0.0.1") == 0);
	netinfo_reset(&ni);
	CHECK("netinfo/not-ipconfig", netinfo_parse("x", "hello\n  world : 1\n", 18, &ni) == -1 && ni.n == 0);
	{
		struct buf b;
		int i;

		buf_init(&b);
		buf_adds(&b, "Windows IP Configuration\n");
		for (i = 0; i < NETINFO_ADAPTERS_MAX + 5; i++) {
			int k;

			buf_printf(&b, "Ethernet adapter E%d:\n   DNS Servers . : 10.0.0.1\n", i);
			for (k = 0; k < NETINFO_VALUES_MAX + 3; k++)
				buf_adds(&b, "                   10.0.0.2\n");
		}
		CHECK("netinfo/caps", netinfo_parse("x", b.p, b.len, &ni) == 0 && ni.n == NETINFO_ADAPTERS_MAX &&
		                          ni.dropped == 5 && ni.a[0].dns.n == NETINFO_VALUES_MAX);
		netinfo_reset(&ni);
		buf_reset(&b);
	}

	context_init(&c);
	context_add_file(&c, "DART/ipconfig.txt", u, n, FS_OK, NULL);
	context_parse(&c);
	CHECK("adapter/kept-utf16", c.net.n == 2);
	CHECK("adapter/vpn-with-dns", holds(&c, "(?i)tailscale", 1, &why) && why && strstr(why, "ipconfig.txt:21: Tailscale Tunnel (Unknown adapter Tailscale, line 17)") &&
	                                  strstr(why, "100.100.100.100"));
	free(why);
	why = NULL;
	CHECK("adapter/loopback-only-is-not-dns", !holds(&c, "(?i)wi-fi", 1, &why) && why == NULL);
	CHECK("adapter/without-dns", holds(&c, "(?i)wi-fi", 0, &why));
	free(why);
	why = NULL;
	CHECK("adapter/no-match", !holds(&c, "(?i)zscaler", 0, &why));
	context_reset(&c);
	free(u);
	return check_failed != 0;
}
