/*
 * Shared definitions for the Kiln benchmark workloads.
 *
 * Every workload is a single C file that includes this header and defines
 * `int run(void)`. The same source is compiled twice, each time linked
 * with main.c, which prints run()'s checksum:
 *
 *   - for WASI (wasm32-wasi with wasi-libc): a whole command program;
 *   - natively, with the host libc.
 *
 * No system headers are included: fixed-width types come from the
 * compiler's predefined macros. A freestanding wasm32 build (no libc) still
 * gets memcpy/memset/memmove/memcmp from here.
 */
#ifndef KILN_BENCH_COMMON_H
#define KILN_BENCH_COMMON_H

typedef __INT8_TYPE__ i8;
typedef __UINT8_TYPE__ u8;
typedef __INT32_TYPE__ i32;
typedef __UINT32_TYPE__ u32;
typedef __INT64_TYPE__ i64;
typedef __UINT64_TYPE__ u64;
typedef __SIZE_TYPE__ usize;

/* Fold a 32-bit value into a running checksum (order-sensitive). */
static inline u32 mix32(u32 acc, u32 v) {
    acc ^= v + 0x9e3779b9u + (acc << 6) + (acc >> 2);
    return acc;
}

/* Fold a 64-bit value (e.g. the bits of a double) into a checksum. */
static inline u32 mix64(u32 acc, u64 v) {
    acc = mix32(acc, (u32)v);
    return mix32(acc, (u32)(v >> 32));
}

/* Bit pattern of a double, without relying on memcpy being available. */
static inline u64 f64_bits(double d) {
    union { double d; u64 u; } pun;
    pun.d = d;
    return pun.u;
}

/*
 * xorshift32: small, fast, deterministic pseudo-random generator used to
 * fill inputs. State must be non-zero.
 */
static inline u32 xorshift32(u32 *state) {
    u32 x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

#if defined(__wasm__) && !defined(__wasi__)
/*
 * Minimal memory routines for the freestanding wasm build. `no_builtin`
 * stops clang from turning these loops back into calls to themselves.
 */
__attribute__((no_builtin("memcpy")))
void *memcpy(void *restrict dst, const void *restrict src, usize n) {
    u8 *d = (u8 *)dst;
    const u8 *s = (const u8 *)src;
    while (n--) *d++ = *s++;
    return dst;
}

__attribute__((no_builtin("memmove")))
void *memmove(void *dst, const void *src, usize n) {
    u8 *d = (u8 *)dst;
    const u8 *s = (const u8 *)src;
    if (d < s) {
        while (n--) *d++ = *s++;
    } else if (d > s) {
        d += n;
        s += n;
        while (n--) *--d = *--s;
    }
    return dst;
}

__attribute__((no_builtin("memset")))
void *memset(void *dst, int c, usize n) {
    u8 *d = (u8 *)dst;
    while (n--) *d++ = (u8)c;
    return dst;
}

__attribute__((no_builtin("memcmp")))
int memcmp(const void *a, const void *b, usize n) {
    const u8 *p = (const u8 *)a;
    const u8 *q = (const u8 *)b;
    for (; n; n--, p++, q++) {
        if (*p != *q) return (int)*p - (int)*q;
    }
    return 0;
}
#endif /* __wasm__ */

#endif /* KILN_BENCH_COMMON_H */
