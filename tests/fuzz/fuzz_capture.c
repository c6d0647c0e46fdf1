/* fuzz_capture: the packet-capture reader on in-memory pcap/pcapng files: link layers, IPv4/IPv6,
 * UDP/TCP and DNS headers are all taken from the input, every length hostile. */
#include <stddef.h>
#include <stdint.h>

#include "capture/capture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cap_limits lim;
	struct capture c;
	struct ds_error err;

	cap_limits_default(&lim);
	lim.max_frames = 100000;
	/* half the runs look for a given proxy, half for the SWG ranges */
	capture_read_mem(data, size, "fuzz.pcap", size % 2 ? "146.112.9.200" : NULL, &lim, &c, &err);
	capture_reset(&c); /* filled either way: its name is kept even when the file is refused */
	return 0;
}
