/*
 * generic: a library of generic algorithms written once as macros and
 * instantiated for many element types and parameters, the way C container
 * and numeric libraries are (klib, stb_ds, sort.h). Sorting (insertion,
 * shell, heap, merge, quick, radix), open-addressing hash maps with three
 * probing schemes, vector kernels, multi-precision arithmetic over three
 * limb widths, and an LZ77 compressor in four window/hash sizes; run()
 * exercises every instantiation on generated data and checks round trips.
 *
 * A large module (hundreds of functions, several hundred KB of wasm) for
 * compile-speed figures as much as for run time.
 *
 * Checksum: every result folded with mix32, in a fixed order.
 */
#include "common.h"

#define NOINLINE __attribute__((noinline))
#define ROUNDS 24

static u32 rng_state = 0x2545f491u;
static u32 rnd(void) { return xorshift32(&rng_state); }

/* ---- sorting ------------------------------------------------------------ */

#define DEFINE_SORTS_BY(T, N, LESS)                                                          \
    NOINLINE void N##_insertion(T *a, i32 n) {                                      \
        for (i32 i = 1; i < n; i++) {                                               \
            T x = a[i];                                                             \
            i32 j = i - 1;                                                          \
            while (j >= 0 && LESS(x, a[j])) {                                            \
                a[j + 1] = a[j];                                                    \
                j--;                                                                \
            }                                                                       \
            a[j + 1] = x;                                                           \
        }                                                                           \
    }                                                                               \
    NOINLINE void N##_shell(T *a, i32 n) {                                          \
        static const i32 gaps[] = {701, 301, 132, 57, 23, 10, 4, 1};                \
        for (i32 g = 0; g < 8; g++) {                                               \
            i32 gap = gaps[g];                                                      \
            for (i32 i = gap; i < n; i++) {                                         \
                T x = a[i];                                                         \
                i32 j = i;                                                          \
                while (j >= gap && LESS(x, a[j - gap])) {                                \
                    a[j] = a[j - gap];                                              \
                    j -= gap;                                                       \
                }                                                                   \
                a[j] = x;                                                           \
            }                                                                       \
        }                                                                           \
    }                                                                               \
    static void N##_sift(T *a, i32 root, i32 n) {                                   \
        for (;;) {                                                                  \
            i32 child = 2 * root + 1;                                               \
            if (child >= n) return;                                                 \
            if (child + 1 < n && LESS(a[child], a[child + 1])) child++;                  \
            if (!LESS(a[root], a[child])) return;                                      \
            T t = a[root];                                                          \
            a[root] = a[child];                                                     \
            a[child] = t;                                                           \
            root = child;                                                           \
        }                                                                           \
    }                                                                               \
    NOINLINE void N##_heap(T *a, i32 n) {                                           \
        for (i32 i = n / 2 - 1; i >= 0; i--) N##_sift(a, i, n);                     \
        for (i32 end = n - 1; end > 0; end--) {                                     \
            T t = a[0];                                                             \
            a[0] = a[end];                                                          \
            a[end] = t;                                                             \
            N##_sift(a, 0, end);                                                    \
        }                                                                           \
    }                                                                               \
    NOINLINE void N##_merge(T *a, T *tmp, i32 n) {                                  \
        for (i32 width = 1; width < n; width *= 2) {                                \
            for (i32 lo = 0; lo < n; lo += 2 * width) {                             \
                i32 mid = lo + width < n ? lo + width : n;                          \
                i32 hi = lo + 2 * width < n ? lo + 2 * width : n;                   \
                i32 i = lo, j = mid, k = lo;                                        \
                while (i < mid && j < hi) tmp[k++] = LESS(a[j], a[i]) ? a[j++] : a[i++]; \
                while (i < mid) tmp[k++] = a[i++];                                  \
                while (j < hi) tmp[k++] = a[j++];                                   \
            }                                                                       \
            for (i32 i = 0; i < n; i++) a[i] = tmp[i];                              \
        }                                                                           \
    }                                                                               \
    NOINLINE void N##_quick(T *a, i32 lo, i32 hi) {                                 \
        while (hi - lo > 16) {                                                      \
            i32 mid = lo + (hi - lo) / 2;                                           \
            if (LESS(a[mid], a[lo])) { T t = a[mid]; a[mid] = a[lo]; a[lo] = t; }        \
            if (LESS(a[hi], a[lo])) { T t = a[hi]; a[hi] = a[lo]; a[lo] = t; }           \
            if (LESS(a[hi], a[mid])) { T t = a[hi]; a[hi] = a[mid]; a[mid] = t; }        \
            T pivot = a[mid];                                                       \
            i32 i = lo, j = hi;                                                     \
            while (i <= j) {                                                        \
                while (LESS(a[i], pivot)) i++;                                           \
                while (LESS(pivot, a[j])) j--;                                           \
                if (i <= j) {                                                       \
                    T t = a[i];                                                     \
                    a[i] = a[j];                                                    \
                    a[j] = t;                                                       \
                    i++;                                                            \
                    j--;                                                            \
                }                                                                   \
            }                                                                       \
            if (j - lo < hi - i) {                                                  \
                N##_quick(a, lo, j);                                                \
                lo = i;                                                             \
            } else {                                                                \
                N##_quick(a, i, hi);                                                \
                hi = j;                                                             \
            }                                                                       \
        }                                                                           \
        N##_insertion(a + lo, hi - lo + 1);                                         \
    }                                                                               \
    NOINLINE i32 N##_is_sorted(const T *a, i32 n) {                                 \
        for (i32 i = 1; i < n; i++)                                                 \
            if (LESS(a[i], a[i - 1])) return 0;                                          \
        return 1;                                                                   \
    }

#define LESS_PLAIN(x, y) ((x) < (y))
#define DEFINE_SORTS(T, N) DEFINE_SORTS_BY(T, N, LESS_PLAIN)

/* LSD radix sort for unsigned keys of `B` bytes (signed ones are biased). */
#define DEFINE_RADIX(T, U, N, B, BIAS)                                              \
    NOINLINE void N##_radix(T *a, T *tmp, i32 n) {                                  \
        for (i32 pass = 0; pass < B; pass++) {                                      \
            i32 count[257];                                                         \
            for (i32 i = 0; i < 257; i++) count[i] = 0;                             \
            for (i32 i = 0; i < n; i++)                                             \
                count[(((U)a[i] ^ (BIAS)) >> (8 * pass) & 0xff) + 1]++;             \
            for (i32 i = 0; i < 256; i++) count[i + 1] += count[i];                 \
            for (i32 i = 0; i < n; i++)                                             \
                tmp[count[((U)a[i] ^ (BIAS)) >> (8 * pass) & 0xff]++] = a[i];       \
            for (i32 i = 0; i < n; i++) a[i] = tmp[i];                              \
        }                                                                           \
    }

/* Fill, run every sort on the same data, check, checksum. */
#define DEFINE_SORT_BENCH(T, N, MAKE, HAS_RADIX)                                    \
    NOINLINE u32 N##_bench(u32 acc, i32 n) {                                        \
        static T a[4096], b[4096], tmp[4096];                                       \
        for (i32 i = 0; i < n; i++) a[i] = (T)(MAKE);                               \
        for (i32 algo = 0; algo < 6; algo++) {                                      \
            for (i32 i = 0; i < n; i++) b[i] = a[i];                                \
            switch (algo) {                                                         \
            case 0: N##_insertion(b, n < 512 ? n : 512); break;                     \
            case 1: N##_shell(b, n); break;                                         \
            case 2: N##_heap(b, n); break;                                          \
            case 3: N##_merge(b, tmp, n); break;                                    \
            case 4: N##_quick(b, 0, n - 1); break;                                  \
            default: if (HAS_RADIX) N##_radix_or_quick(b, tmp, n); break;           \
            }                                                                       \
            i32 m = algo == 0 && n > 512 ? 512 : n;                                 \
            acc = mix32(acc, (u32)N##_is_sorted(b, m));                             \
            acc = mix64(acc, (u64)(i64)b[m / 2]);                                   \
            acc = mix64(acc, (u64)(i64)b[m - 1]);                                   \
        }                                                                           \
        return acc;                                                                 \
    }

#define RADIX_FOR(T, U, N, B, BIAS)                                                 \
    DEFINE_RADIX(T, U, N, B, BIAS)                                                  \
    static void N##_radix_or_quick(T *a, T *tmp, i32 n) { N##_radix(a, tmp, n); }
#define NO_RADIX(T, N)                                                              \
    static void N##_radix_or_quick(T *a, T *tmp, i32 n) {                           \
        (void)tmp;                                                                  \
        N##_quick(a, 0, n - 1);                                                     \
    }

DEFINE_SORTS(i8, s_i8)
RADIX_FOR(i8, u8, s_i8, 1, 0x80u)
DEFINE_SORT_BENCH(i8, s_i8, rnd(), 1)
DEFINE_SORTS(u8, s_u8)
RADIX_FOR(u8, u8, s_u8, 1, 0u)
DEFINE_SORT_BENCH(u8, s_u8, rnd(), 1)
DEFINE_SORTS(short, s_i16)
RADIX_FOR(short, unsigned short, s_i16, 2, 0x8000u)
DEFINE_SORT_BENCH(short, s_i16, rnd(), 1)
DEFINE_SORTS(unsigned short, s_u16)
RADIX_FOR(unsigned short, unsigned short, s_u16, 2, 0u)
DEFINE_SORT_BENCH(unsigned short, s_u16, rnd(), 1)
DEFINE_SORTS(i32, s_i32)
RADIX_FOR(i32, u32, s_i32, 4, 0x80000000u)
DEFINE_SORT_BENCH(i32, s_i32, rnd(), 1)
DEFINE_SORTS(u32, s_u32)
RADIX_FOR(u32, u32, s_u32, 4, 0u)
DEFINE_SORT_BENCH(u32, s_u32, rnd(), 1)
DEFINE_SORTS(i64, s_i64)
RADIX_FOR(i64, u64, s_i64, 8, 0x8000000000000000ull)
DEFINE_SORT_BENCH(i64, s_i64, ((u64)rnd() << 32) | rnd(), 1)
DEFINE_SORTS(u64, s_u64)
RADIX_FOR(u64, u64, s_u64, 8, 0ull)
DEFINE_SORT_BENCH(u64, s_u64, ((u64)rnd() << 32) | rnd(), 1)
DEFINE_SORTS(float, s_f32)
NO_RADIX(float, s_f32)
DEFINE_SORT_BENCH(float, s_f32, (float)(i32)rnd() / 65536.0f, 0)
DEFINE_SORTS(double, s_f64)
NO_RADIX(double, s_f64)
DEFINE_SORT_BENCH(double, s_f64, (double)(i32)rnd() / 3.0, 0)


/* Records sorted by one field or another, as a table of rows would be. */
typedef struct { u32 key; u32 val; } rec_kv;
typedef struct { double score; i32 id; } rec_score;
typedef struct { u64 stamp; unsigned short tag; u8 flags; } rec_event;
typedef struct { i32 x, y, z; } rec_point;
#define BY_KEY(a, b) ((a).key < (b).key)
#define BY_VAL_DESC(a, b) ((a).val > (b).val)
#define BY_KEY_THEN_VAL(a, b) ((a).key != (b).key ? (a).key < (b).key : (a).val < (b).val)
#define BY_SCORE(a, b) ((a).score < (b).score)
#define BY_SCORE_DESC_ID(a, b) ((a).score != (b).score ? (a).score > (b).score : (a).id < (b).id)
#define BY_STAMP(a, b) ((a).stamp < (b).stamp)
#define BY_TAG_STAMP(a, b) ((a).tag != (b).tag ? (a).tag < (b).tag : (a).stamp < (b).stamp)
#define BY_FLAGS(a, b) ((a).flags < (b).flags)
#define BY_X(a, b) ((a).x < (b).x)
#define BY_ZYX(a, b) ((a).z != (b).z ? (a).z < (b).z : (a).y != (b).y ? (a).y < (b).y : (a).x < (b).x)
#define BY_NORM(a, b) ((i64)(a).x * (a).x + (i64)(a).y * (a).y < (i64)(b).x * (b).x + (i64)(b).y * (b).y)

#define DEFINE_RECORD_BENCH(T, N, LESS, FILL, FOLD)                                 \
    DEFINE_SORTS_BY(T, N, LESS)                                                     \
    NOINLINE u32 N##_bench(u32 acc, i32 n) {                                        \
        static T a[2048], b[2048], tmp[2048];                                       \
        for (i32 i = 0; i < n; i++) { T *r = &a[i]; FILL; }                         \
        for (i32 algo = 0; algo < 5; algo++) {                                      \
            for (i32 i = 0; i < n; i++) b[i] = a[i];                                \
            switch (algo) {                                                         \
            case 0: N##_insertion(b, n < 256 ? n : 256); break;                     \
            case 1: N##_shell(b, n); break;                                         \
            case 2: N##_heap(b, n); break;                                          \
            case 3: N##_merge(b, tmp, n); break;                                    \
            default: N##_quick(b, 0, n - 1); break;                                 \
            }                                                                       \
            i32 m = algo == 0 && n > 256 ? 256 : n;                                 \
            acc = mix32(acc, (u32)N##_is_sorted(b, m));                             \
            { T *r = &b[m / 2]; FOLD; }                                             \
        }                                                                           \
        return acc;                                                                 \
    }

#define FILL_KV r->key = rnd() % 1000; r->val = rnd()
#define FOLD_KV acc = mix32(mix32(acc, r->key), r->val)
#define FILL_SCORE r->score = (double)(rnd() % 5000) / 7.0; r->id = (i32)(rnd() % 100000)
#define FOLD_SCORE acc = mix64(mix32(acc, (u32)r->id), f64_bits(r->score))
#define FILL_EVENT r->stamp = ((u64)rnd() << 20) | rnd(); r->tag = (unsigned short)(rnd() % 50); r->flags = (u8)rnd()
#define FOLD_EVENT acc = mix64(mix32(acc, r->tag), r->stamp)
#define FILL_POINT r->x = (i32)(rnd() % 20001) - 10000; r->y = (i32)(rnd() % 20001) - 10000; r->z = (i32)(rnd() % 7)
#define FOLD_POINT acc = mix32(mix32(mix32(acc, (u32)r->x), (u32)r->y), (u32)r->z)

DEFINE_RECORD_BENCH(rec_kv, r_kv_key, BY_KEY, FILL_KV, FOLD_KV)
DEFINE_RECORD_BENCH(rec_kv, r_kv_val, BY_VAL_DESC, FILL_KV, FOLD_KV)
DEFINE_RECORD_BENCH(rec_kv, r_kv_both, BY_KEY_THEN_VAL, FILL_KV, FOLD_KV)
DEFINE_RECORD_BENCH(rec_score, r_sc, BY_SCORE, FILL_SCORE, FOLD_SCORE)
DEFINE_RECORD_BENCH(rec_score, r_sc_desc, BY_SCORE_DESC_ID, FILL_SCORE, FOLD_SCORE)
DEFINE_RECORD_BENCH(rec_event, r_ev_stamp, BY_STAMP, FILL_EVENT, FOLD_EVENT)
DEFINE_RECORD_BENCH(rec_event, r_ev_tag, BY_TAG_STAMP, FILL_EVENT, FOLD_EVENT)
DEFINE_RECORD_BENCH(rec_event, r_ev_flags, BY_FLAGS, FILL_EVENT, FOLD_EVENT)
DEFINE_RECORD_BENCH(rec_point, r_pt_x, BY_X, FILL_POINT, FOLD_POINT)
DEFINE_RECORD_BENCH(rec_point, r_pt_zyx, BY_ZYX, FILL_POINT, FOLD_POINT)
DEFINE_RECORD_BENCH(rec_point, r_pt_norm, BY_NORM, FILL_POINT, FOLD_POINT)

/* ---- hash maps ------------------------------------------------------------ */

/* Open addressing with capacity 2^BITS; PROBE(h, i) is the i-th slot tried. */
#define PROBE_LINEAR(h, i) ((h) + (i))
#define PROBE_QUADRATIC(h, i) ((h) + (i) * ((i) + 1) / 2)
#define PROBE_DOUBLE(h, i) ((h) + (i) * (((h) >> 7) | 1))

#define DEFINE_MAP(K, V, N, BITS, PROBE, HASH)                                      \
    typedef struct {                                                                \
        K keys[1 << BITS];                                                          \
        V vals[1 << BITS];                                                          \
        u8 used[1 << BITS];                                                         \
        i32 count;                                                                  \
    } N##_map;                                                                      \
    static N##_map N##_m;                                                           \
    NOINLINE void N##_clear(N##_map *m) {                                           \
        for (i32 i = 0; i < (1 << BITS); i++) m->used[i] = 0;                       \
        m->count = 0;                                                               \
    }                                                                               \
    NOINLINE i32 N##_slot(const N##_map *m, K k) {                                  \
        u32 h = HASH(k);                                                            \
        for (u32 i = 0; i < (1u << BITS); i++) {                                    \
            u32 s = PROBE(h, i) & ((1u << BITS) - 1);                               \
            if (!m->used[s] || m->keys[s] == k) return (i32)s;                      \
        }                                                                           \
        return -1;                                                                  \
    }                                                                               \
    NOINLINE i32 N##_put(N##_map *m, K k, V v) {                                    \
        if (m->count * 4 >= (1 << BITS) * 3) return 0;                              \
        i32 s = N##_slot(m, k);                                                     \
        if (s < 0) return 0;                                                        \
        if (!m->used[s]) {                                                          \
            m->used[s] = 1;                                                         \
            m->keys[s] = k;                                                         \
            m->count++;                                                             \
        }                                                                           \
        m->vals[s] = v;                                                             \
        return 1;                                                                   \
    }                                                                               \
    NOINLINE i32 N##_get(const N##_map *m, K k, V *out) {                           \
        i32 s = N##_slot(m, k);                                                     \
        if (s < 0 || !m->used[s]) return 0;                                         \
        *out = m->vals[s];                                                          \
        return 1;                                                                   \
    }                                                                               \
    NOINLINE u32 N##_bench(u32 acc, i32 rounds) {                                   \
        for (i32 r = 0; r < rounds; r++) {                                          \
            N##_clear(&N##_m);                                                      \
            u32 seed = 0x9e3779b9u * (u32)(r + 1);                                  \
            i32 n = ((1 << BITS) * 5) / 8;                                          \
            for (i32 i = 0; i < n; i++) {                                           \
                K k = (K)xorshift32(&seed);                                         \
                N##_put(&N##_m, k, (V)(i * 3 + r));                                 \
            }                                                                       \
            seed = 0x9e3779b9u * (u32)(r + 1);                                      \
            u32 found = 0, sum = 0;                                                 \
            for (i32 i = 0; i < n * 2; i++) {                                       \
                K k = (K)(i < n ? xorshift32(&seed) : (u32)i * 2654435761u);        \
                V v;                                                                \
                if (N##_get(&N##_m, k, &v)) {                                       \
                    found++;                                                        \
                    sum += (u32)v;                                                  \
                }                                                                   \
            }                                                                       \
            acc = mix32(acc, found);                                                \
            acc = mix32(acc, sum);                                                  \
            acc = mix32(acc, (u32)N##_m.count);                                     \
        }                                                                           \
        return acc;                                                                 \
    }

static inline u32 hash_u32(u32 k) {
    k ^= k >> 16;
    k *= 0x7feb352du;
    k ^= k >> 15;
    k *= 0x846ca68bu;
    return k ^ (k >> 16);
}
static inline u32 hash_u64(u64 k) { return hash_u32((u32)k ^ hash_u32((u32)(k >> 32))); }
static inline u32 hash_mul(u32 k) { return k * 2654435761u; }

DEFINE_MAP(u32, u32, m_lin32, 12, PROBE_LINEAR, hash_u32)
DEFINE_MAP(u32, u32, m_quad32, 12, PROBE_QUADRATIC, hash_u32)
DEFINE_MAP(u32, u32, m_dbl32, 12, PROBE_DOUBLE, hash_u32)
DEFINE_MAP(u32, u64, m_lin32w, 11, PROBE_LINEAR, hash_mul)
DEFINE_MAP(u32, u64, m_quad32w, 11, PROBE_QUADRATIC, hash_mul)
DEFINE_MAP(u32, u64, m_dbl32w, 11, PROBE_DOUBLE, hash_mul)
DEFINE_MAP(u64, u32, m_lin64, 12, PROBE_LINEAR, hash_u64)
DEFINE_MAP(u64, u32, m_quad64, 12, PROBE_QUADRATIC, hash_u64)
DEFINE_MAP(u64, u32, m_dbl64, 12, PROBE_DOUBLE, hash_u64)
DEFINE_MAP(u64, double, m_lin64d, 10, PROBE_LINEAR, hash_u64)
DEFINE_MAP(u64, double, m_quad64d, 10, PROBE_QUADRATIC, hash_u64)
DEFINE_MAP(u64, double, m_dbl64d, 10, PROBE_DOUBLE, hash_u64)
DEFINE_MAP(unsigned short, u32, m_lin16, 10, PROBE_LINEAR, hash_u32)
DEFINE_MAP(unsigned short, u32, m_quad16, 10, PROBE_QUADRATIC, hash_u32)
DEFINE_MAP(unsigned short, u32, m_dbl16, 10, PROBE_DOUBLE, hash_u32)
DEFINE_MAP(u32, u32, m_lin32s, 9, PROBE_LINEAR, hash_mul)
DEFINE_MAP(u32, u32, m_quad32s, 9, PROBE_QUADRATIC, hash_mul)
DEFINE_MAP(u32, u32, m_dbl32s, 9, PROBE_DOUBLE, hash_mul)
DEFINE_MAP(u64, u64, m_lin64b, 13, PROBE_LINEAR, hash_u64)
DEFINE_MAP(u64, u64, m_quad64b, 13, PROBE_QUADRATIC, hash_u64)
DEFINE_MAP(u64, u64, m_dbl64b, 13, PROBE_DOUBLE, hash_u64)
DEFINE_MAP(u32, float, m_lin32f, 11, PROBE_LINEAR, hash_u32)
DEFINE_MAP(u32, float, m_quad32f, 11, PROBE_QUADRATIC, hash_u32)
DEFINE_MAP(u32, float, m_dbl32f, 11, PROBE_DOUBLE, hash_u32)

/* ---- vector kernels --------------------------------------------------------- */

#define DEFINE_VEC(T, N, ACC)                                                       \
    NOINLINE ACC N##_dot(const T *a, const T *b, i32 n) {                           \
        ACC s = 0;                                                                  \
        for (i32 i = 0; i < n; i++) s += (ACC)a[i] * (ACC)b[i];                     \
        return s;                                                                   \
    }                                                                               \
    NOINLINE void N##_axpy(T *y, const T *x, T alpha, i32 n) {                      \
        for (i32 i = 0; i < n; i++) y[i] = (T)(y[i] + alpha * x[i]);                \
    }                                                                               \
    NOINLINE void N##_matmul(T *c, const T *a, const T *b, i32 n) {                 \
        for (i32 i = 0; i < n; i++)                                                 \
            for (i32 j = 0; j < n; j++) {                                           \
                ACC s = 0;                                                          \
                for (i32 k = 0; k < n; k++) s += (ACC)a[i * n + k] * (ACC)b[k * n + j]; \
                c[i * n + j] = (T)s;                                                \
            }                                                                       \
    }                                                                               \
    NOINLINE void N##_convolve(T *out, const T *in, const T *kern, i32 n, i32 m) {  \
        for (i32 i = 0; i + m <= n; i++) {                                          \
            ACC s = 0;                                                              \
            for (i32 j = 0; j < m; j++) s += (ACC)in[i + j] * (ACC)kern[j];         \
            out[i] = (T)s;                                                          \
        }                                                                           \
    }                                                                               \
    NOINLINE void N##_prefix(T *a, i32 n) {                                         \
        for (i32 i = 1; i < n; i++) a[i] = (T)(a[i] + a[i - 1]);                    \
    }                                                                               \
    NOINLINE ACC N##_minmax_span(const T *a, i32 n) {                               \
        T lo = a[0], hi = a[0];                                                     \
        for (i32 i = 1; i < n; i++) {                                               \
            if (a[i] < lo) lo = a[i];                                               \
            if (a[i] > hi) hi = a[i];                                               \
        }                                                                           \
        return (ACC)hi - (ACC)lo;                                                   \
    }                                                                               \
    NOINLINE u32 N##_bench(u32 acc, i32 rounds) {                                   \
        static T a[1024], b[1024], c[1024];                                         \
        for (i32 r = 0; r < rounds; r++) {                                          \
            for (i32 i = 0; i < 1024; i++) {                                        \
                a[i] = (T)(rnd() % 97);                                             \
                b[i] = (T)(rnd() % 89);                                             \
            }                                                                       \
            acc = mix64(acc, (u64)(i64)N##_dot(a, b, 1024));                        \
            N##_axpy(b, a, (T)3, 1024);                                             \
            N##_matmul(c, a, b, 32);                                                \
            acc = mix64(acc, (u64)(i64)c[33 * (r % 31)]);                           \
            N##_convolve(c, a, b, 1024, 17);                                        \
            acc = mix64(acc, (u64)(i64)c[r % 1000]);                                \
            N##_prefix(c, 1000);                                                    \
            acc = mix64(acc, (u64)(i64)N##_minmax_span(c, 1000));                   \
        }                                                                           \
        return acc;                                                                 \
    }

DEFINE_VEC(i8, v_i8, i32)
DEFINE_VEC(u8, v_u8, u32)
DEFINE_VEC(short, v_i16, i32)
DEFINE_VEC(unsigned short, v_u16, u32)
DEFINE_VEC(i32, v_i32, i64)
DEFINE_VEC(u32, v_u32, u64)
DEFINE_VEC(i64, v_i64, i64)
DEFINE_VEC(u64, v_u64, u64)
DEFINE_VEC(float, v_f32, double)
DEFINE_VEC(double, v_f64, double)


/* ---- fixed-size matrices ------------------------------------------------------ */

/* Square matrices of a compile-time size, as graphics and geometry libraries
 * instantiate them; the compiler unrolls the small loops. */
#define DEFINE_FIXED(T, N, DIM)                                                     \
    typedef struct { T m[DIM][DIM]; } N##_mat;                                      \
    NOINLINE void N##_mul(N##_mat *r, const N##_mat *a, const N##_mat *b) {         \
        N##_mat t;                                                                  \
        for (i32 i = 0; i < DIM; i++)                                               \
            for (i32 j = 0; j < DIM; j++) {                                         \
                T s = 0;                                                            \
                for (i32 k = 0; k < DIM; k++) s += a->m[i][k] * b->m[k][j];         \
                t.m[i][j] = s;                                                      \
            }                                                                       \
        *r = t;                                                                     \
    }                                                                               \
    NOINLINE void N##_transpose(N##_mat *r, const N##_mat *a) {                     \
        for (i32 i = 0; i < DIM; i++)                                               \
            for (i32 j = 0; j < DIM; j++) r->m[j][i] = a->m[i][j];                  \
    }                                                                               \
    NOINLINE void N##_apply(T *out, const N##_mat *a, const T *v) {                 \
        for (i32 i = 0; i < DIM; i++) {                                             \
            T s = 0;                                                                \
            for (i32 k = 0; k < DIM; k++) s += a->m[i][k] * v[k];                   \
            out[i] = s;                                                             \
        }                                                                           \
    }                                                                               \
    NOINLINE T N##_trace(const N##_mat *a) {                                        \
        T s = 0;                                                                    \
        for (i32 i = 0; i < DIM; i++) s += a->m[i][i];                              \
        return s;                                                                   \
    }                                                                               \
    NOINLINE u32 N##_bench(u32 acc, i32 rounds) {                                   \
        N##_mat a, b, c;                                                            \
        T v[DIM], w[DIM];                                                           \
        for (i32 i = 0; i < DIM; i++) {                                             \
            v[i] = (T)(rnd() % 5);                                                  \
            for (i32 j = 0; j < DIM; j++) {                                         \
                a.m[i][j] = (T)(rnd() % 3);                                         \
                b.m[i][j] = (T)(rnd() % 3);                                         \
            }                                                                       \
        }                                                                           \
        for (i32 r = 0; r < rounds; r++) {                                          \
            N##_mul(&c, &a, &b);                                                    \
            N##_transpose(&b, &c);                                                  \
            N##_apply(w, &b, v);                                                    \
            for (i32 i = 0; i < DIM; i++) v[i] = (T)(w[i] / (T)(DIM * 4) + (T)1);   \
            a.m[r % DIM][(r / DIM) % DIM] += (T)1;                                  \
        }                                                                           \
        acc = mix64(acc, (u64)(i64)N##_trace(&b));                                  \
        for (i32 i = 0; i < DIM; i++) acc = mix64(acc, (u64)(i64)v[i]);             \
        return acc;                                                                 \
    }
DEFINE_FIXED(i32, fx_i2, 2)
DEFINE_FIXED(i32, fx_i3, 3)
DEFINE_FIXED(i32, fx_i4, 4)
DEFINE_FIXED(i32, fx_i5, 5)
DEFINE_FIXED(i32, fx_i6, 6)
DEFINE_FIXED(i32, fx_i7, 7)
DEFINE_FIXED(i32, fx_i8, 8)
DEFINE_FIXED(i32, fx_i9, 9)
DEFINE_FIXED(i32, fx_i10, 10)
DEFINE_FIXED(i32, fx_i11, 11)
DEFINE_FIXED(i32, fx_i12, 12)
DEFINE_FIXED(u32, fx_u2, 2)
DEFINE_FIXED(u32, fx_u3, 3)
DEFINE_FIXED(u32, fx_u4, 4)
DEFINE_FIXED(u32, fx_u5, 5)
DEFINE_FIXED(u32, fx_u6, 6)
DEFINE_FIXED(u32, fx_u7, 7)
DEFINE_FIXED(u32, fx_u8, 8)
DEFINE_FIXED(u32, fx_u9, 9)
DEFINE_FIXED(u32, fx_u10, 10)
DEFINE_FIXED(u32, fx_u11, 11)
DEFINE_FIXED(u32, fx_u12, 12)
DEFINE_FIXED(short, fx_s2, 2)
DEFINE_FIXED(short, fx_s3, 3)
DEFINE_FIXED(short, fx_s4, 4)
DEFINE_FIXED(short, fx_s5, 5)
DEFINE_FIXED(short, fx_s6, 6)
DEFINE_FIXED(short, fx_s7, 7)
DEFINE_FIXED(short, fx_s8, 8)
DEFINE_FIXED(short, fx_s9, 9)
DEFINE_FIXED(short, fx_s10, 10)
DEFINE_FIXED(short, fx_s11, 11)
DEFINE_FIXED(short, fx_s12, 12)
DEFINE_FIXED(i64, fx_l2, 2)
DEFINE_FIXED(i64, fx_l3, 3)
DEFINE_FIXED(i64, fx_l4, 4)
DEFINE_FIXED(i64, fx_l5, 5)
DEFINE_FIXED(i64, fx_l6, 6)
DEFINE_FIXED(i64, fx_l7, 7)
DEFINE_FIXED(i64, fx_l8, 8)
DEFINE_FIXED(i64, fx_l9, 9)
DEFINE_FIXED(i64, fx_l10, 10)
DEFINE_FIXED(i64, fx_l11, 11)
DEFINE_FIXED(i64, fx_l12, 12)
DEFINE_FIXED(float, fx_f2, 2)
DEFINE_FIXED(float, fx_f3, 3)
DEFINE_FIXED(float, fx_f4, 4)
DEFINE_FIXED(float, fx_f5, 5)
DEFINE_FIXED(float, fx_f6, 6)
DEFINE_FIXED(float, fx_f7, 7)
DEFINE_FIXED(float, fx_f8, 8)
DEFINE_FIXED(float, fx_f9, 9)
DEFINE_FIXED(float, fx_f10, 10)
DEFINE_FIXED(float, fx_f11, 11)
DEFINE_FIXED(float, fx_f12, 12)
DEFINE_FIXED(double, fx_d2, 2)
DEFINE_FIXED(double, fx_d3, 3)
DEFINE_FIXED(double, fx_d4, 4)
DEFINE_FIXED(double, fx_d5, 5)
DEFINE_FIXED(double, fx_d6, 6)
DEFINE_FIXED(double, fx_d7, 7)
DEFINE_FIXED(double, fx_d8, 8)
DEFINE_FIXED(double, fx_d9, 9)
DEFINE_FIXED(double, fx_d10, 10)
DEFINE_FIXED(double, fx_d11, 11)
DEFINE_FIXED(double, fx_d12, 12)

/* ---- multi-precision arithmetic ------------------------------------------- */

/* Little-endian numbers of LIMBS limbs of type L; D holds two limbs. */
#define DEFINE_BIGNUM(L, D, N, LIMBS)                                               \
    typedef struct { L v[LIMBS]; } N##_t;                                           \
    NOINLINE L N##_add(N##_t *r, const N##_t *a, const N##_t *b) {                  \
        D carry = 0;                                                                \
        for (i32 i = 0; i < LIMBS; i++) {                                           \
            D s = (D)a->v[i] + b->v[i] + carry;                                     \
            r->v[i] = (L)s;                                                         \
            carry = s >> (8 * sizeof(L));                                           \
        }                                                                           \
        return (L)carry;                                                            \
    }                                                                               \
    NOINLINE L N##_sub(N##_t *r, const N##_t *a, const N##_t *b) {                  \
        L borrow = 0;                                                               \
        for (i32 i = 0; i < LIMBS; i++) {                                           \
            D d = (D)a->v[i] - b->v[i] - borrow;                                    \
            r->v[i] = (L)d;                                                         \
            borrow = (L)((d >> (8 * sizeof(L))) & 1);                               \
        }                                                                           \
        return borrow;                                                              \
    }                                                                               \
    /* The low LIMBS limbs of a * b. */                                             \
    NOINLINE void N##_mul(N##_t *r, const N##_t *a, const N##_t *b) {               \
        L out[LIMBS];                                                               \
        for (i32 i = 0; i < LIMBS; i++) out[i] = 0;                                 \
        for (i32 i = 0; i < LIMBS; i++) {                                           \
            D carry = 0;                                                            \
            for (i32 j = 0; i + j < LIMBS; j++) {                                   \
                D t = (D)a->v[i] * b->v[j] + out[i + j] + carry;                    \
                out[i + j] = (L)t;                                                  \
                carry = t >> (8 * sizeof(L));                                       \
            }                                                                       \
        }                                                                           \
        for (i32 i = 0; i < LIMBS; i++) r->v[i] = out[i];                           \
    }                                                                               \
    NOINLINE i32 N##_cmp(const N##_t *a, const N##_t *b) {                          \
        for (i32 i = LIMBS - 1; i >= 0; i--)                                        \
            if (a->v[i] != b->v[i]) return a->v[i] < b->v[i] ? -1 : 1;              \
        return 0;                                                                   \
    }                                                                               \
    NOINLINE void N##_shr1(N##_t *a) {                                              \
        for (i32 i = 0; i < LIMBS; i++) {                                           \
            L hi = i + 1 < LIMBS ? a->v[i + 1] : 0;                                 \
            a->v[i] = (L)((a->v[i] >> 1) | (L)(hi << (8 * sizeof(L) - 1)));         \
        }                                                                           \
    }                                                                               \
    /* base^exp (mod 2^(LIMBS*bits)) by square and multiply. */                     \
    NOINLINE void N##_pow(N##_t *r, const N##_t *base, u32 exp) {                   \
        N##_t b = *base;                                                            \
        for (i32 i = 0; i < LIMBS; i++) r->v[i] = 0;                                \
        r->v[0] = 1;                                                                \
        while (exp) {                                                               \
            if (exp & 1) N##_mul(r, r, &b);                                         \
            N##_mul(&b, &b, &b);                                                    \
            exp >>= 1;                                                              \
        }                                                                           \
    }                                                                               \
    NOINLINE u32 N##_bench(u32 acc, i32 rounds) {                                   \
        N##_t a, b, c, d;                                                           \
        for (i32 r = 0; r < rounds; r++) {                                          \
            for (i32 i = 0; i < LIMBS; i++) {                                       \
                a.v[i] = (L)rnd();                                                  \
                b.v[i] = (L)rnd();                                                  \
            }                                                                       \
            acc = mix32(acc, (u32)N##_add(&c, &a, &b));                             \
            acc = mix32(acc, (u32)N##_sub(&d, &c, &b));                             \
            acc = mix32(acc, (u32)(N##_cmp(&d, &a) + 1));                           \
            N##_mul(&c, &a, &b);                                                    \
            N##_pow(&d, &c, 65537u + (u32)r);                                       \
            N##_shr1(&d);                                                           \
            for (i32 i = 0; i < LIMBS; i++) acc = mix32(acc, (u32)d.v[i]);          \
        }                                                                           \
        return acc;                                                                 \
    }

DEFINE_BIGNUM(u8, u32, bn8x32, 32)
DEFINE_BIGNUM(unsigned short, u32, bn16x16, 16)
DEFINE_BIGNUM(unsigned short, u32, bn16x64, 64)
DEFINE_BIGNUM(u32, u64, bn32x8, 8)
DEFINE_BIGNUM(u32, u64, bn32x32, 32)
DEFINE_BIGNUM(u32, u64, bn32x128, 128)
DEFINE_BIGNUM(u8, u32, bn8x64, 64)
DEFINE_BIGNUM(unsigned short, u32, bn16x32, 32)
DEFINE_BIGNUM(u32, u64, bn32x16, 16)
DEFINE_BIGNUM(u32, u64, bn32x64, 64)
DEFINE_BIGNUM(u64, unsigned __int128, bn64x4, 4)
DEFINE_BIGNUM(u64, unsigned __int128, bn64x16, 16)
DEFINE_BIGNUM(u64, unsigned __int128, bn64x32, 32)

/* ---- LZ77 compression ------------------------------------------------------- */

/* Greedy LZ77 with a hash of the next MINLEN bytes (HBITS bits) into a
 * window of 2^WBITS; tokens: literal byte, or (0xff marker, offset, length). */
#define DEFINE_LZ(N, WBITS, HBITS, MINLEN)                                          \
    NOINLINE i32 N##_compress(const u8 *in, i32 n, u8 *out) {                       \
        static i32 head[1 << HBITS];                                                \
        for (i32 i = 0; i < (1 << HBITS); i++) head[i] = -1;                        \
        i32 o = 0, i = 0;                                                           \
        while (i < n) {                                                             \
            i32 best = 0, best_off = 0;                                             \
            if (i + MINLEN <= n) {                                                  \
                u32 h = 0;                                                          \
                for (i32 k = 0; k < MINLEN; k++) h = h * 257u + in[i + k];          \
                h = (h * 2654435761u) >> (32 - HBITS);                              \
                i32 cand = head[h];                                                 \
                head[h] = i;                                                        \
                if (cand >= 0 && i - cand < (1 << WBITS)) {                         \
                    i32 len = 0;                                                    \
                    while (i + len < n && len < 255 && in[cand + len] == in[i + len]) \
                        len++;                                                      \
                    if (len >= MINLEN) {                                            \
                        best = len;                                                 \
                        best_off = i - cand;                                        \
                    }                                                               \
                }                                                                   \
            }                                                                       \
            if (best) {                                                             \
                out[o++] = 0xff;                                                    \
                out[o++] = (u8)best_off;                                            \
                out[o++] = (u8)(best_off >> 8);                                     \
                out[o++] = (u8)(best_off >> 16);                                    \
                out[o++] = (u8)best;                                                \
                i += best;                                                          \
            } else {                                                                \
                if (in[i] == 0xff) out[o++] = 0xff, out[o++] = 0, out[o++] = 0,     \
                                   out[o++] = 0, out[o++] = 0;                      \
                else out[o++] = in[i];                                              \
                i++;                                                                \
            }                                                                       \
        }                                                                           \
        return o;                                                                   \
    }                                                                               \
    NOINLINE i32 N##_decompress(const u8 *in, i32 n, u8 *out) {                     \
        i32 o = 0;                                                                  \
        for (i32 i = 0; i < n;) {                                                   \
            if (in[i] != 0xff) {                                                    \
                out[o++] = in[i++];                                                 \
                continue;                                                           \
            }                                                                       \
            i32 off = in[i + 1] | in[i + 2] << 8 | in[i + 3] << 16;                 \
            i32 len = in[i + 4];                                                    \
            i += 5;                                                                 \
            if (len == 0) {                                                         \
                out[o++] = 0xff;                                                    \
                continue;                                                           \
            }                                                                       \
            for (i32 k = 0; k < len; k++, o++) out[o] = out[o - off];               \
        }                                                                           \
        return o;                                                                   \
    }                                                                               \
    NOINLINE u32 N##_bench(u32 acc, const u8 *data, i32 n) {                        \
        static u8 packed[5 * 65536 + 16], back[65536];                              \
        i32 m = N##_compress(data, n, packed);                                      \
        i32 k = N##_decompress(packed, m, back);                                    \
        i32 same = k == n;                                                          \
        for (i32 i = 0; same && i < n; i++) same = back[i] == data[i];              \
        acc = mix32(acc, (u32)m);                                                   \
        return mix32(acc, (u32)same);                                               \
    }

DEFINE_LZ(lz_w10_h10, 10, 10, 3)
DEFINE_LZ(lz_w12_h12, 12, 12, 4)
DEFINE_LZ(lz_w15_h14, 15, 14, 4)
DEFINE_LZ(lz_w16_h16, 16, 16, 5)
DEFINE_LZ(lz_w10_h12, 10, 12, 4)
DEFINE_LZ(lz_w12_h10, 12, 10, 3)
DEFINE_LZ(lz_w14_h12, 14, 12, 3)
DEFINE_LZ(lz_w14_h16, 14, 16, 6)
DEFINE_LZ(lz_w16_h12, 16, 12, 4)
DEFINE_LZ(lz_w16_h14, 16, 14, 3)
DEFINE_LZ(lz_w8_h8, 8, 8, 3)
DEFINE_LZ(lz_w11_h11, 11, 11, 5)

/* Text-like data: words from a small vocabulary with occasional noise. */
static void make_text(u8 *out, i32 n) {
    static const char *words[] = {"the ", "kiln ", "fires ", "clay ", "at ", "dawn ", "and ",
                                  "glaze ", "runs ", "thin ", "over ", "bowls ", "\n"};
    i32 o = 0;
    while (o < n) {
        const char *w = words[rnd() % 13];
        while (*w && o < n) out[o++] = (u8)*w++;
        if (rnd() % 16 == 0 && o < n) out[o++] = (u8)rnd();
    }
}

int run(void) {
    u32 acc = 0x67656e65u;
    for (i32 round = 0; round < ROUNDS; round++) {
        acc = s_i8_bench(acc, 4096);
        acc = s_u8_bench(acc, 4096);
        acc = s_i16_bench(acc, 4096);
        acc = s_u16_bench(acc, 4096);
        acc = s_i32_bench(acc, 4096);
        acc = s_u32_bench(acc, 4096);
        acc = s_i64_bench(acc, 4096);
        acc = s_u64_bench(acc, 4096);
        acc = s_f32_bench(acc, 4096);
        acc = s_f64_bench(acc, 4096);
        acc = r_kv_key_bench(acc, 2048);
        acc = r_kv_val_bench(acc, 2048);
        acc = r_kv_both_bench(acc, 2048);
        acc = r_sc_bench(acc, 2048);
        acc = r_sc_desc_bench(acc, 2048);
        acc = r_ev_stamp_bench(acc, 2048);
        acc = r_ev_tag_bench(acc, 2048);
        acc = r_ev_flags_bench(acc, 2048);
        acc = r_pt_x_bench(acc, 2048);
        acc = r_pt_zyx_bench(acc, 2048);
        acc = r_pt_norm_bench(acc, 2048);
        acc = m_lin32_bench(acc, 4);
        acc = m_quad32_bench(acc, 4);
        acc = m_dbl32_bench(acc, 4);
        acc = m_lin32w_bench(acc, 4);
        acc = m_quad32w_bench(acc, 4);
        acc = m_dbl32w_bench(acc, 4);
        acc = m_lin64_bench(acc, 4);
        acc = m_quad64_bench(acc, 4);
        acc = m_dbl64_bench(acc, 4);
        acc = m_lin64d_bench(acc, 4);
        acc = m_quad64d_bench(acc, 4);
        acc = m_dbl64d_bench(acc, 4);
        acc = m_lin16_bench(acc, 4);
        acc = m_quad16_bench(acc, 4);
        acc = m_dbl16_bench(acc, 4);
        acc = m_lin32s_bench(acc, 8);
        acc = m_quad32s_bench(acc, 8);
        acc = m_dbl32s_bench(acc, 8);
        acc = m_lin64b_bench(acc, 2);
        acc = m_quad64b_bench(acc, 2);
        acc = m_dbl64b_bench(acc, 2);
        acc = m_lin32f_bench(acc, 4);
        acc = m_quad32f_bench(acc, 4);
        acc = m_dbl32f_bench(acc, 4);
        acc = v_i8_bench(acc, 4);
        acc = v_u8_bench(acc, 4);
        acc = v_i16_bench(acc, 4);
        acc = v_u16_bench(acc, 4);
        acc = v_i32_bench(acc, 4);
        acc = v_u32_bench(acc, 4);
        acc = v_i64_bench(acc, 4);
        acc = v_u64_bench(acc, 4);
        acc = v_f32_bench(acc, 4);
        acc = v_f64_bench(acc, 4);
        acc = fx_i2_bench(acc, 200);
        acc = fx_i3_bench(acc, 200);
        acc = fx_i4_bench(acc, 200);
        acc = fx_i5_bench(acc, 200);
        acc = fx_i6_bench(acc, 200);
        acc = fx_i7_bench(acc, 200);
        acc = fx_i8_bench(acc, 200);
        acc = fx_i9_bench(acc, 200);
        acc = fx_i10_bench(acc, 200);
        acc = fx_i11_bench(acc, 200);
        acc = fx_i12_bench(acc, 200);
        acc = fx_u2_bench(acc, 200);
        acc = fx_u3_bench(acc, 200);
        acc = fx_u4_bench(acc, 200);
        acc = fx_u5_bench(acc, 200);
        acc = fx_u6_bench(acc, 200);
        acc = fx_u7_bench(acc, 200);
        acc = fx_u8_bench(acc, 200);
        acc = fx_u9_bench(acc, 200);
        acc = fx_u10_bench(acc, 200);
        acc = fx_u11_bench(acc, 200);
        acc = fx_u12_bench(acc, 200);
        acc = fx_s2_bench(acc, 200);
        acc = fx_s3_bench(acc, 200);
        acc = fx_s4_bench(acc, 200);
        acc = fx_s5_bench(acc, 200);
        acc = fx_s6_bench(acc, 200);
        acc = fx_s7_bench(acc, 200);
        acc = fx_s8_bench(acc, 200);
        acc = fx_s9_bench(acc, 200);
        acc = fx_s10_bench(acc, 200);
        acc = fx_s11_bench(acc, 200);
        acc = fx_s12_bench(acc, 200);
        acc = fx_l2_bench(acc, 200);
        acc = fx_l3_bench(acc, 200);
        acc = fx_l4_bench(acc, 200);
        acc = fx_l5_bench(acc, 200);
        acc = fx_l6_bench(acc, 200);
        acc = fx_l7_bench(acc, 200);
        acc = fx_l8_bench(acc, 200);
        acc = fx_l9_bench(acc, 200);
        acc = fx_l10_bench(acc, 200);
        acc = fx_l11_bench(acc, 200);
        acc = fx_l12_bench(acc, 200);
        acc = fx_f2_bench(acc, 200);
        acc = fx_f3_bench(acc, 200);
        acc = fx_f4_bench(acc, 200);
        acc = fx_f5_bench(acc, 200);
        acc = fx_f6_bench(acc, 200);
        acc = fx_f7_bench(acc, 200);
        acc = fx_f8_bench(acc, 200);
        acc = fx_f9_bench(acc, 200);
        acc = fx_f10_bench(acc, 200);
        acc = fx_f11_bench(acc, 200);
        acc = fx_f12_bench(acc, 200);
        acc = fx_d2_bench(acc, 200);
        acc = fx_d3_bench(acc, 200);
        acc = fx_d4_bench(acc, 200);
        acc = fx_d5_bench(acc, 200);
        acc = fx_d6_bench(acc, 200);
        acc = fx_d7_bench(acc, 200);
        acc = fx_d8_bench(acc, 200);
        acc = fx_d9_bench(acc, 200);
        acc = fx_d10_bench(acc, 200);
        acc = fx_d11_bench(acc, 200);
        acc = fx_d12_bench(acc, 200);
        acc = bn8x32_bench(acc, 8);
        acc = bn16x16_bench(acc, 8);
        acc = bn16x64_bench(acc, 8);
        acc = bn32x8_bench(acc, 8);
        acc = bn32x32_bench(acc, 8);
        acc = bn32x128_bench(acc, 2);
        acc = bn8x64_bench(acc, 4);
        acc = bn16x32_bench(acc, 8);
        acc = bn32x16_bench(acc, 8);
        acc = bn32x64_bench(acc, 4);
        acc = bn64x4_bench(acc, 8);
        acc = bn64x16_bench(acc, 8);
        acc = bn64x32_bench(acc, 4);
        static u8 text[65536];
        make_text(text, 65536);
        acc = lz_w10_h10_bench(acc, text, 65536);
        acc = lz_w12_h12_bench(acc, text, 65536);
        acc = lz_w15_h14_bench(acc, text, 65536);
        acc = lz_w16_h16_bench(acc, text, 65536);
        acc = lz_w10_h12_bench(acc, text, 65536);
        acc = lz_w12_h10_bench(acc, text, 65536);
        acc = lz_w14_h12_bench(acc, text, 65536);
        acc = lz_w14_h16_bench(acc, text, 65536);
        acc = lz_w16_h12_bench(acc, text, 65536);
        acc = lz_w16_h14_bench(acc, text, 65536);
        acc = lz_w8_h8_bench(acc, text, 65536);
        acc = lz_w11_h11_bench(acc, text, 65536);
    }
    return (int)acc;
}
