// The BLAS and LAPACKE C interfaces (Debian: libblas-dev, liblapacke-dev).
// At run time libblas.so.3 resolves through Debian's alternatives, so OpenBLAS
// (libopenblas0-pthread) replaces the reference BLAS without relinking.
#include <cblas.h>
#include <lapacke.h>
