/*
 * sieve: sieve of Eratosthenes over a byte array, repeated with a slightly
 * different upper bound each round. Exercises byte loads/stores, strided
 * loops and branches.
 *
 * Checksum: per round, the prime count and the (wrapping) sum of all primes
 * found, folded together.
 */
#include "common.h"

#define LIMIT 2000000
#define ROUNDS 36

static u8 composite[LIMIT + 1];

static void sieve(u32 limit, u32 *count, u32 *sum) {
    for (u32 i = 0; i <= limit; i++) composite[i] = 0;
    u32 c = 0, s = 0;
    for (u32 i = 2; i <= limit; i++) {
        if (composite[i]) continue;
        c++;
        s += i;
        for (u32 j = i * i; (u64)i * i <= limit && j <= limit; j += i) composite[j] = 1;
    }
    *count = c;
    *sum = s;
}

int run(void) {
    u32 acc = 0x73696576u;
    for (u32 r = 0; r < ROUNDS; r++) {
        u32 count, sum;
        sieve(LIMIT - r * 1237, &count, &sum);
        acc = mix32(acc, count);
        acc = mix32(acc, sum);
    }
    return (int)acc;
}
