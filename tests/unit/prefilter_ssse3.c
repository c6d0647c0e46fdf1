/* The prefilter's 16-positions-a-step pass, which a machine with AVX2 never takes whole (it scans
 * 32 at a time and leaves only the end to it), on random literals and records up to 300 bytes. */
#define PREFILTER_NO_AVX2 1
#define VARIANT ssse3
#define LABEL "SSSE3 steps"
#define SEED 9
#define MAXLEN 300
#include "prefilter_variant.h"
