/* ctxkey: the context values dartscan's own code reads or writes, each named once with where it
 * comes from, so a rule capture renamed or misspelt fails when rules load instead of reading nothing. */
#ifndef DARTSCAN_CTXKEY_H
#define DARTSCAN_CTXKEY_H

/* Where a value comes from: a rule's ctx_NAME / ctxlist_NAME capture, a file of the bundle, or
 * dartscan itself (derived from the others once the logs are read). */
enum ctx_origin { CO_CAPTURE, CO_FILE, CO_DARTSCAN };

/* X(ENUM, name, origin, what it is) -- the man page's context-value list follows this table. */
#define CTX_KEYS(X)                                                                                     \
	X(HOST, "host", CO_CAPTURE, "the machine's name, from the plugin log")                            \
	X(CLIENT_VERSION, "client_version", CO_CAPTURE, "the Secure Client version the logs name")        \
	X(OS, "os", CO_CAPTURE, "the operating system the logs name (or the client's, from its log format)") \
	X(TIMEZONE, "timezone", CO_CAPTURE, "the machine's time zone, for local times")                   \
	X(SWG_PROXY_IP, "swg_proxy_ip", CO_CAPTURE, "the SWG proxy address the agent resolved")           \
	X(SWG_FAILING_ADDRESSES, "swg_failing_addresses", CO_CAPTURE, "the proxy addresses failures name") \
	X(VPN_PRODUCTS, "vpn_products", CO_CAPTURE, "other VPN or proxy software the logs name")          \
	X(ORG_ID, "orgId", CO_FILE, "the organization, from OrgInfo.json")                                \
	X(USER_ID, "userId", CO_FILE, "the user id, from OrgInfo.json")                                   \
	X(FINGERPRINT, "fingerprint", CO_FILE, "the device fingerprint, from OrgInfo.json")               \
	X(FAIL_OPEN, "failOpen", CO_FILE, "the web module's fail-open setting, from SWGConfig.json")      \
	X(SWG_DOMAIN, "swgDomain", CO_FILE, "the SWG domain, from SWGConfig.json")                        \
	X(SWG_ANYCAST, "swgAnycast", CO_FILE, "the SWG anycast address, from SWGConfig.json")             \
	X(SWG_HONOR_TND, "swgHonorTND", CO_FILE, "whether SWG honours trusted networks, from SWGConfig.json") \
	X(PRODUCT, "product", CO_FILE, "the client's product name, from the bundle's folder names")       \
	X(SWG_PROXY_ADDRESSES, "swg_proxy_addresses", CO_DARTSCAN, "where an SWG capture should look")    \
	X(SWG_CAPTURE_FILTER, "swg_capture_filter", CO_DARTSCAN, "the same as a Wireshark display filter") \
	X(MODULE_LOG_UNREAD, "module_log_unread", CO_DARTSCAN, "a log with the module's lines in a format dartscan does not read") \
	X(COLLECTED_AT, "collected_at", CO_DARTSCAN, "when the bundle was collected")                     \
	X(COLLECTED_AT_SOURCE, "collected_at_source", CO_DARTSCAN, "what the collection time was read from")

#define CTX_AS_ENUM(e, name, origin, what) CTX_##e,
enum ctx_key { CTX_KEYS(CTX_AS_ENUM) CTX_NKEYS };
#undef CTX_AS_ENUM

struct ctx_key_info {
	const char *name;
	enum ctx_origin origin;
	const char *what;
};

extern const struct ctx_key_info ctx_keys[CTX_NKEYS];

/* The key named name, or -1 when dartscan's code does not know it. */
int ctxkey_find(const char *name);

#endif
