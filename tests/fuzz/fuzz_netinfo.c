/* fuzz_netinfo: ipconfig output from the input -- any bytes, UTF-8 or UTF-16 -- read into
 * adapters, then every adapter walked as the reports and the adapter check walk them. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "netinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct netinfo ni;
	size_t i, k, total = 0;

	if (netinfo_parse("ipconfig.txt", data, size, &ni) != 0)
		return 0;
	if (ni.n > NETINFO_ADAPTERS_MAX)
		__builtin_trap();
	for (i = 0; i < ni.n; i++) {
		const struct net_adapter *a = &ni.a[i];

		if (strlen(a->name) > NETINFO_VALUE_MAX || a->addrs.n > NETINFO_VALUES_MAX ||
		    a->gateways.n > NETINFO_VALUES_MAX || a->dns.n > NETINFO_VALUES_MAX)
			__builtin_trap();
		for (k = 0; k < a->dns.n; k++)
			total += (size_t)netinfo_is_loopback(a->dns.v[k]) + strlen(a->dns.v[k]);
		for (k = 0; k < a->addrs.n; k++)
			total += strlen(a->addrs.v[k]);
		if (a->description)
			total += strlen(a->description);
	}
	netinfo_reset(&ni);
	return total == (size_t)-1;
}
