/*
 * matmul: dense double-precision matrix multiplication. Runs a normalised
 * power iteration, B <- (A * B) / scale, so every round does a full N x N
 * by N x N product while the values stay in a bounded range (no overflow,
 * no denormals).
 *
 * Checksum: the bit patterns of one sampled element of B after each round
 * and of the full final matrix.
 */
#include "common.h"

#define N 128
#define ROUNDS 200

static double A[N][N];
static double BT[N][N]; /* B, transposed: BT[j][k] = B[k][j] */
static double C[N][N];

/* Uniform double in [0, 1) from the generator's top 24 bits. */
static double unit(u32 *state) {
    return (double)(xorshift32(state) >> 8) * (1.0 / 16777216.0);
}

/*
 * C = A * B, with B stored transposed (BT) so both operands of the inner
 * dot product are read sequentially. The sum is accumulated in strict
 * order, so the result is the same everywhere.
 */
static void multiply(void) {
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            double sum = 0.0;
            for (int k = 0; k < N; k++) sum += A[i][k] * BT[j][k];
            C[i][j] = sum;
        }
    }
}

int run(void) {
    u32 seed = 0x12345678u;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            A[i][j] = unit(&seed);
            BT[i][j] = unit(&seed);
        }

    /* The dominant eigenvalue of a uniform [0,1) matrix is about N/2. */
    const double inv_scale = 2.0 / N;
    u32 acc = 0x6d6d756cu;
    for (int r = 0; r < ROUNDS; r++) {
        multiply();
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) BT[j][i] = C[i][j] * inv_scale;
        acc = mix64(acc, f64_bits(BT[r % N][(r * 7) % N]));
    }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) acc = mix64(acc, f64_bits(BT[j][i]));
    return (int)acc;
}
