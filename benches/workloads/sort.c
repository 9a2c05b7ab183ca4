/*
 * sort: sorting pseudo-random 32-bit integers, alternating between an
 * in-place quicksort (median-of-three, insertion sort for short ranges,
 * recursion on the smaller side only) and a bottom-up merge sort with a
 * scratch buffer. Exercises data-dependent branches, loads/stores and
 * (for quicksort) recursive calls.
 *
 * Checksum: per round, a sortedness check and a position-weighted sum of
 * the sorted array, folded together.
 */
#include "common.h"

#define COUNT 200000
#define ROUNDS 16
#define INSERTION_CUTOFF 16

static i32 data[COUNT];
static i32 scratch[COUNT];

static void insertion_sort(i32 *a, i32 lo, i32 hi) {
    for (i32 i = lo + 1; i <= hi; i++) {
        i32 v = a[i];
        i32 j = i - 1;
        while (j >= lo && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

static inline void swap(i32 *a, i32 i, i32 j) {
    i32 t = a[i];
    a[i] = a[j];
    a[j] = t;
}

/* Sorts a[lo..=hi]. Recurses on the smaller part, loops on the larger, so
 * the stack depth stays logarithmic. */
static void quicksort(i32 *a, i32 lo, i32 hi) {
    while (hi - lo > INSERTION_CUTOFF) {
        i32 mid = lo + (hi - lo) / 2;
        if (a[mid] < a[lo]) swap(a, mid, lo);
        if (a[hi] < a[lo]) swap(a, hi, lo);
        if (a[hi] < a[mid]) swap(a, hi, mid);
        i32 pivot = a[mid];

        i32 i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i <= j) {
                swap(a, i, j);
                i++;
                j--;
            }
        }
        if (j - lo < hi - i) {
            quicksort(a, lo, j);
            lo = i;
        } else {
            quicksort(a, i, hi);
            hi = j;
        }
    }
    insertion_sort(a, lo, hi);
}

/* Bottom-up merge sort of a[0..n), ping-ponging between a and tmp. */
static void merge_sort(i32 *a, i32 *tmp, i32 n) {
    i32 *src = a, *dst = tmp;
    for (i32 width = 1; width < n; width *= 2) {
        for (i32 lo = 0; lo < n; lo += 2 * width) {
            i32 mid = lo + width < n ? lo + width : n;
            i32 hi = lo + 2 * width < n ? lo + 2 * width : n;
            i32 i = lo, j = mid, k = lo;
            while (i < mid && j < hi) dst[k++] = src[i] <= src[j] ? src[i++] : src[j++];
            while (i < mid) dst[k++] = src[i++];
            while (j < hi) dst[k++] = src[j++];
        }
        i32 *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        for (i32 i = 0; i < n; i++) a[i] = src[i];
}

int run(void) {
    u32 seed = 0x50127u;
    u32 acc = 0x736f7274u;
    for (int r = 0; r < ROUNDS; r++) {
        /* Narrow the value range on some rounds to get many duplicates. */
        u32 mask = (r % 3 == 2) ? 0xffffu : 0xffffffffu;
        for (i32 i = 0; i < COUNT; i++) data[i] = (i32)(xorshift32(&seed) & mask);

        if (r % 2 == 0)
            quicksort(data, 0, COUNT - 1);
        else
            merge_sort(data, scratch, COUNT);

        u32 sorted = 1;
        u32 weighted = 0;
        for (i32 i = 0; i < COUNT; i++) {
            if (i > 0 && data[i - 1] > data[i]) sorted = 0;
            weighted += (u32)data[i] * (u32)(i + 1);
        }
        acc = mix32(acc, sorted);
        acc = mix32(acc, weighted);
        acc = mix32(acc, (u32)data[COUNT / 2]);
    }
    return (int)acc;
}
