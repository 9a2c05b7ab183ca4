/*
 * stencil: a 2-D Jacobi relaxation (five-point average) on a 768x768 f64
 * grid, 600 sweeps between two grids, with fixed borders. The inner loop
 * reads three rows and writes one: native compilers vectorise it.
 *
 * Checksum: the bits of a sample of cells after every 100 sweeps, and of
 * every cell at the end.
 */
#include "common.h"

#define N 768
#define SWEEPS 600

static double A[N][N];
static double B[N][N];

static void sweep(double (*restrict dst)[N], double (*restrict src)[N]) {
    for (int i = 1; i < N - 1; i++)
        for (int j = 1; j < N - 1; j++)
            dst[i][j] = 0.2 * (src[i][j] + src[i - 1][j] + src[i + 1][j] +
                               src[i][j - 1] + src[i][j + 1]);
}

int run(void) {
    u32 seed = 0x5e4c11u;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            A[i][j] = (double)(xorshift32(&seed) >> 8) * (1.0 / 16777216.0);
            B[i][j] = A[i][j];
        }
    u32 acc = 0x73746e63u;
    for (int s = 0; s < SWEEPS; s += 2) {
        sweep(B, A);
        sweep(A, B);
        if (s % 100 == 0)
            acc = mix64(acc, f64_bits(A[(s * 7) % N][(s * 13) % N]));
    }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) acc = mix64(acc, f64_bits(A[i][j]));
    return (int)acc;
}
