/* The prefilter's portable path (one memchr pass per anchor byte), which an x86 machine with
 * SSSE3 never takes, on random literals (all byte values) and records of every short length. */
#define PREFILTER_PORTABLE_ONLY 1
#define VARIANT portable
#define LABEL "portable path"
#define SEED 5
#define MAXLEN 90
#include "prefilter_variant.h"
