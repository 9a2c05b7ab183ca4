/*
 * clock_time_get and clock_res_get on every clock (raw and through
 * clock_gettime/clock_getres/time), and random_get (raw, getentropy,
 * arc4random). Nothing time- or random-valued is printed, only whether it
 * behaves.
 */
#include "check.h"
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define SEC 1000000000ull
#define Y2020 1577836800ull /* 2020-01-01T00:00:00Z */

static long long ns_between(struct timespec a, struct timespec b) {
    return (b.tv_sec - a.tv_sec) * 1000000000ll + (b.tv_nsec - a.tv_nsec);
}

int main(void) {
    __wasi_timestamp_t t = 0, t2 = 0, res = 0;

    /* Raw calls. */
    check(__wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &t) == 0, "clock_time_get realtime");
    check(t > Y2020 * SEC, "realtime is after 2020");
    check(__wasi_clock_res_get(__WASI_CLOCKID_REALTIME, &res) == 0 && res > 0 && res <= SEC,
          "clock_res_get realtime: between 1 ns and 1 s");
    check(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t) == 0, "clock_time_get monotonic");
    int ok = 1;
    for (int i = 0; i < 1000; i++) {
        if (__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t2) != 0 || t2 < t) ok = 0;
        t = t2;
    }
    check(ok, "monotonic never goes back over 1000 reads");
    check(__wasi_clock_res_get(__WASI_CLOCKID_MONOTONIC, &res) == 0 && res > 0 && res <= SEC,
          "clock_res_get monotonic: between 1 ns and 1 s");
    check(__wasi_clock_time_get(__WASI_CLOCKID_PROCESS_CPUTIME_ID, 1, &t) == 0,
          "clock_time_get process cputime");
    check(__wasi_clock_res_get(__WASI_CLOCKID_PROCESS_CPUTIME_ID, &res) == 0 && res > 0,
          "clock_res_get process cputime");
    check(__wasi_clock_time_get(__WASI_CLOCKID_THREAD_CPUTIME_ID, 1, &t) == 0,
          "clock_time_get thread cputime");
    check(__wasi_clock_res_get(__WASI_CLOCKID_THREAD_CPUTIME_ID, &res) == 0 && res > 0,
          "clock_res_get thread cputime");
    check_wasi(__wasi_clock_time_get(4, 1, &t), "clock_time_get of clock id 4 (none)",
               __WASI_ERRNO_INVAL, -1);
    check_wasi(__wasi_clock_res_get(0xffffffffu, &res), "clock_res_get of clock id 0xffffffff",
               __WASI_ERRNO_INVAL, -1);

    /* Through wasi-libc. */
    struct timespec a, b, r;
    check(clock_gettime(CLOCK_REALTIME, &a) == 0 && (unsigned long long)a.tv_sec > Y2020 &&
              a.tv_nsec >= 0 && a.tv_nsec < 1000000000,
          "clock_gettime(CLOCK_REALTIME) after 2020, tv_nsec in range");
    time_t now = time(NULL);
    check((unsigned long long)now > Y2020 && now - a.tv_sec <= 60, "time() agrees with it");
    check(clock_getres(CLOCK_REALTIME, &r) == 0 && (r.tv_sec > 0 || r.tv_nsec > 0),
          "clock_getres(CLOCK_REALTIME)");
    check(clock_getres(CLOCK_MONOTONIC, &r) == 0 && (r.tv_sec > 0 || r.tv_nsec > 0),
          "clock_getres(CLOCK_MONOTONIC)");
    check(clock_gettime(CLOCK_MONOTONIC, &a) == 0, "clock_gettime(CLOCK_MONOTONIC)");
    check(usleep(20000) == 0, "usleep(20 ms) (a poll_oneoff clock subscription)");
    clock_gettime(CLOCK_MONOTONIC, &b);
    check(ns_between(a, b) >= 20000000ll, "monotonic advanced by at least 20 ms");
    check(ns_between(a, b) < 20ll * 1000000000ll, "and by less than 20 s");
    check(clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a) == 0,
          "clock_gettime(CLOCK_PROCESS_CPUTIME_ID)");

    /* Randomness: two draws differ, the bytes are not constant. */
    uint8_t x[64], y[64];
    memset(x, 0, sizeof x);
    memset(y, 0, sizeof y);
    check(__wasi_random_get(x, sizeof x) == 0 && __wasi_random_get(y, sizeof y) == 0,
          "random_get");
    check(memcmp(x, y, sizeof x) != 0, "two random_get draws differ");
    int zeros = 0;
    for (int i = 0; i < 64; i++) zeros += x[i] == 0;
    check(zeros < 16, "random bytes are not mostly zero");
    check(__wasi_random_get(x, 0) == 0, "random_get of 0 bytes");
    static uint8_t big[65536];
    check(__wasi_random_get(big, sizeof big) == 0, "random_get of 64 KiB");
    int counts[256] = {0}, maxc = 0;
    for (size_t i = 0; i < sizeof big; i++) counts[big[i]]++;
    for (int i = 0; i < 256; i++) maxc = counts[i] > maxc ? counts[i] : maxc;
    check(maxc < 512, "no byte value dominates 64 KiB (expected ~256 each)");

    memset(x, 0, sizeof x);
    memset(y, 0, sizeof y);
    check(getentropy(x, 32) == 0 && getentropy(y, 32) == 0 && memcmp(x, y, 32) != 0,
          "getentropy: two draws differ");
    check(getentropy(x, 256) == 0, "getentropy of 256 bytes (its maximum)");
    check_errno(getentropy(x, 257) < 0, EIO, "getentropy of 257 bytes is EIO (wasi-libc)");
    uint32_t r1 = arc4random(), r2 = arc4random(), r3 = arc4random(), r4 = arc4random();
    check(!(r1 == r2 && r2 == r3 && r3 == r4), "arc4random: four draws are not all equal");
    memset(x, 0, sizeof x);
    memset(y, 0, sizeof y);
    arc4random_buf(x, sizeof x);
    arc4random_buf(y, sizeof y);
    check(memcmp(x, y, sizeof x) != 0, "arc4random_buf: two draws differ");
    int in_range = 1;
    for (int i = 0; i < 1000; i++) in_range &= arc4random_uniform(10) < 10;
    check(in_range, "arc4random_uniform(10) stays below 10");
    return finish();
}
