/* The prefilter's 32-positions-a-step pass, which a machine with AVX-512BW never takes (it scans
 * 64 at a time with masked loads), on random literals and records up to 300 bytes. */
#define PREFILTER_NO_AVX512 1
#define VARIANT avx2
#define LABEL "AVX2 steps"
#define SEED 13
#define MAXLEN 300
#include "prefilter_variant.h"
