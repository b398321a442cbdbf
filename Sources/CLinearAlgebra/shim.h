// The BLAS and LAPACKE C interfaces (Debian: libblas-dev, liblapacke-dev).
// At run time libblas.so.3 resolves through Debian's alternatives, so OpenBLAS
// (libopenblas0-pthread) replaces the reference BLAS without relinking.
#include <cblas.h>
#include <lapacke.h>

// A cache prefetch hint (Swift has no prefetch intrinsic): the featurizer counts n-grams in a table of
// a megabyte and asks for each cell a few n-grams ahead, so the random accesses overlap.
static inline void lineage_prefetch_for_write(const void *address) { __builtin_prefetch(address, 1, 3); }
