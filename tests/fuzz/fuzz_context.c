/* fuzz_context: the JSON and XML context readers. The input is split at its first NUL byte into
 * a JSON file (kept as OrgInfo.json, SWGConfig.json and swg_org_config.flag, and as ipconfig.txt
 * for the network) and an XML profile, then parsed and checked the ways rules check them. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>

#include "context.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct check checks[] = {
    {CHECK_JSON, "OrgInfo.json", "organizationId", OP_ABSENT, NULL, 1, 0, 0, 0},
    {CHECK_JSON, "SWGConfig.json", "orgConfig.failOpen", OP_EQ, "1", 2, 0, 0, 0},
    {CHECK_JSON, "SWGConfig.json", "orgConfig.swgDomain", OP_MATCH, "^swg-.*\\.com$", 3, 0, 0, 0},
    {CHECK_JSON, "swg_org_config.flag", "logLevel", OP_NE, "1", 4, 0, 0, 0},
    {CHECK_XML, "*.xml", "/AnyConnectProfile/ClientInitialization/UseStartBeforeLogon", OP_PRESENT, NULL, 5, 0, 0, 0},
    {CHECK_XML, "*.xml", "string(//ServerList/HostEntry/HostName)", OP_EQ, "vpn", 6, 0, 0, 0},
    {CHECK_XML, "*.xml", "//*[@enabled='true']", OP_ABSENT, NULL, 7, 0, 0, 0},
    {CHECK_FILE, "OrgInfo.json", NULL, OP_EMPTY, NULL, 8, 0, 0, 0},
    {CHECK_FILE, "cscumbrellaplugin.txt", NULL, OP_MISSING, NULL, 9, 0, 0, 0},
    {CHECK_ADAPTER, "ipconfig*", NULL, OP_MATCH, "(?i)tailscale|zscaler", 10, 0, 1, 0},
    {CHECK_ADAPTER, "ipconfig*", NULL, OP_MATCH, ".", 11, 0, 0, 0},
    {CHECK_MODULE, NULL, NULL, OP_MISSING, NULL, 12, 0, 0, 0},
    {CHECK_MODULE, NULL, NULL, OP_PRESENT, NULL, 13, 0, 0, 0},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *nul = memchr(s, '\0', size);
	size_t jlen = nul ? (size_t)(nul - s) : size;
	struct context c;
	size_t i;

	context_init(&c);
	context_add_file(&c, "Cisco Secure Client/Umbrella/OrgInfo.json", s, jlen, FS_OK, NULL);
	context_add_file(&c, "Cisco Secure Client/Umbrella/SWG/SWGConfig.json", s, jlen, FS_OK, NULL);
	context_add_file(&c, "Cisco Secure Client/Umbrella/data/swg_org_config.flag", s, jlen, FS_OK, NULL);
	context_add_file(&c, "Cisco Secure Client/DART/ipconfig.txt", s, jlen, FS_OK, NULL);
	context_note_entry(&c, "Cisco Secure Client/Umbrella/OrgInfo.json", jlen, FS_OK, NULL);
	if (nul)
		context_add_file(&c, "Cisco Secure Client/VPN/Profile/profile.xml", nul + 1, size - jlen - 1, FS_OK,
		                 NULL);
	context_parse(&c);
	for (i = 0; i < sizeof checks / sizeof checks[0]; i++) {
		char *why = NULL;

		context_check(&c, &checks[i], &why);
		free(why);
	}
	context_value(&c, "orgId");
	context_reset(&c);
	return 0;
}
