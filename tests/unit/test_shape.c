/* test_shape: rules draft's pattern design alone -- the title, the captures' names, tenant host
 * names -- on messages built here, as a record with no mined template gives them. */
#include <stdlib.h>

#include "check.h"
#include "rules/shape.h"

struct drafted {
	char *pattern, *id, *title;
};

static struct drafted draft(const char *msg)
{
	struct shape sh;
	struct drafted d = {NULL, NULL, NULL};

	memset(&sh, 0, sizeof sh);
	shape_split(&sh, msg, 0);
	if (shape_settle(&sh) == 0) {
		d.pattern = shape_pattern(&sh);
		shape_names(&sh, "cscumbrellaplugin.txt", 7, &d.id, &d.title);
	}
	shape_free(&sh);
	return d;
}

static void drafted_free(struct drafted *d)
{
	free(d->pattern);
	free(d->id);
	free(d->title);
}

/* The title is the message's words, the fields (and their units and names) left out. */
static void check_titles(void)
{
	struct drafted d = draft("KDF channel to resolver 208.67.222.222 failed: certificate pin mismatch (0x800B0109)");

	CHECK_STR("title/fields-left-out", d.title, "KDF channel to resolver failed: certificate pin mismatch");
	drafted_free(&d);
	d = draft("ERROR | Thread 1f0c | PAC file download from wpad.corp.example failed with HTTP 404");
	CHECK_STR("title/swg-level-and-thread-left-out", d.title, "PAC file download from wpad.corp.example failed with HTTP");
	drafted_free(&d);
	d = draft("Trusted network probe to tnd.corp.example timed out after 5031 ms");
	CHECK_STR("title/unit-left-out", d.title, "Trusted network probe to tnd.corp.example timed out after");
	drafted_free(&d);
	d = draft("Failed to register the DNS redirection callout: 0x80320009");
	CHECK_STR("title/dangling-colon", d.title, "Failed to register the DNS redirection callout");
	drafted_free(&d);
}

/* Captures are named by what they hold: the word before a value, the unit after it, its look. */
static void check_capture_names(void)
{
	struct drafted d = draft("ERROR | Thread 1f0c | PAC file download from wpad.corp.example failed with HTTP 404");

	CHECK_STR("names/thread-and-code", d.pattern,
	          "ERROR \\| Thread\\s+(?<thread>\\S+)\\s+\\| PAC file download from wpad\\.corp\\.example failed with "
	          "HTTP\\s+(?<code>\\S+)");
	drafted_free(&d);
	d = draft("KDF channel to resolver 208.67.222.222 failed: certificate pin mismatch (0x800B0109)");
	CHECK("names/ipv4-is-ip", d.pattern && strstr(d.pattern, "(?<ip>\\S+)\\s+failed"));
	CHECK("names/0x-is-code", d.pattern && strstr(d.pattern, "\\((?<code>\\S+)\\)"));
	drafted_free(&d);
	d = draft("Probe 3 of resolver 2620:119:53::53 and 208.67.220.220 took 31 ms at depth 4 on port 443");
	CHECK("names/ipv6-is-ip", d.pattern && strstr(d.pattern, "resolver\\s+(?<ip>\\S+)"));
	CHECK("names/second-ip-is-ip2", d.pattern && strstr(d.pattern, "and\\s+(?<ip2>\\S+)"));
	CHECK("names/before-ms-is-ms", d.pattern && strstr(d.pattern, "took\\s+(?<ms>\\S+)\\s+ms"));
	CHECK("names/after-depth-is-depth", d.pattern && strstr(d.pattern, "depth\\s+(?<depth>\\S+)"));
	CHECK("names/after-port-is-port", d.pattern && strstr(d.pattern, "port\\s+(?<port>\\S+)"));
	CHECK("names/plain-number", d.pattern && strstr(d.pattern, "Probe\\s+(?<number>\\S+)"));
	drafted_free(&d);
	d = draft("Resolved IP from 'swg-url-proxy-https.sigproxy.qq.opendns.com' is 146.112.9.200, using index = 0");
	CHECK("names/quoted-host-is-host", d.pattern && strstr(d.pattern, "'(?<host>\\S+)'"));
	CHECK("names/ip-keeps-its-comma", d.pattern && strstr(d.pattern, "is\\s+(?<ip>\\S+),"));
	drafted_free(&d);
	d = draft("Dns Protection IPv6 State Machine: rejected all candidate resolvers");
	CHECK("names/ipv6-word-is-stack", d.pattern && strstr(d.pattern, "Protection\\s+(?<stack>\\S+)"));
	drafted_free(&d);
	d = draft("Loaded 'C:\\ProgramData\\Cisco\\config.json' after 12ms");
	CHECK("names/path", d.pattern && strstr(d.pattern, "'(?<path>\\S+)'"));
	CHECK("names/number-with-ms", d.pattern && strstr(d.pattern, "after\\s+(?<ms>\\S+)"));
	drafted_free(&d);
}

/* A tenant's SWG host is drafted with its variant optional, so one tenant's rule reads another's. */
static void check_tenant_hosts(void)
{
	const char *want = "Proxy swg-url-proxy-https(?:-sse)?\\.sigproxy\\.qq\\.opendns\\.com refused the connection";
	struct drafted d = draft("Proxy swg-url-proxy-https-sse.sigproxy.qq.opendns.com refused the connection");

	CHECK_STR("hosts/secure-access", d.pattern, want);
	drafted_free(&d);
	d = draft("Proxy swg-url-proxy-https.sigproxy.qq.opendns.com refused the connection");
	CHECK_STR("hosts/umbrella", d.pattern, want);
	drafted_free(&d);
	d = draft("Proxy swg-url-proxy-https-eu.sigproxy.qq.opendns.com refused the connection");
	CHECK("hosts/other-name-kept-as-written",
	      d.pattern && strstr(d.pattern, "swg-url-proxy-https-eu\\.sigproxy\\.qq\\.opendns\\.com"));
	drafted_free(&d);
}

int main(void)
{
	check_titles();
	check_capture_names();
	check_tenant_hosts();
	return check_failed ? 1 : 0;
}
