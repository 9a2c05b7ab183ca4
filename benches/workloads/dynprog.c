/*
 * dynprog: the dynamic-programming table of the longest common
 * subsequence of two generated strings (6000 symbols over a 4-letter
 * alphabet, as DNA), filled row by row, for 6 pairs. Each cell depends on
 * its left neighbour: the inner loop is a chain of compares and selects
 * over i32 rows, which no compiler vectorises across the row.
 *
 * Checksum: every pair's LCS length and a sample of each final row.
 */
#include "common.h"

#define LEN 6000
#define PAIRS 6

static u8 X[LEN];
static u8 Y[LEN];
static i32 prev[LEN + 1];
static i32 cur[LEN + 1];

static i32 lcs(void) {
    for (int j = 0; j <= LEN; j++) prev[j] = 0;
    cur[0] = 0;
    for (int i = 1; i <= LEN; i++) {
        u8 x = X[i - 1];
        for (int j = 1; j <= LEN; j++) {
            i32 best = prev[j] > cur[j - 1] ? prev[j] : cur[j - 1];
            cur[j] = x == Y[j - 1] ? prev[j - 1] + 1 : best;
        }
        for (int j = 0; j <= LEN; j++) prev[j] = cur[j];
    }
    return prev[LEN];
}

int run(void) {
    u32 seed = 0x64796e70u;
    u32 acc = 0x6c637321u;
    for (int p = 0; p < PAIRS; p++) {
        for (int k = 0; k < LEN; k++) {
            X[k] = (u8)(xorshift32(&seed) & 3);
            /* Y is a mutated copy of X, so the subsequence is long. */
            u32 r = xorshift32(&seed);
            Y[k] = (r & 7) == 0 ? (u8)((r >> 3) & 3) : X[k];
        }
        acc = mix32(acc, (u32)lcs());
        for (int j = 0; j <= LEN; j += 97) acc = mix32(acc, (u32)prev[j]);
    }
    return (int)acc;
}
