/*
 * clock_time_get and clock_res_get on every clock, and random_get.
 * Nothing time- or random-valued is printed, only whether it behaves.
 */
#include "check.h"
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

int main(void) {
    __wasi_timestamp_t t, res, t2;
    check(__wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &t) == 0, "realtime clock");
    check(t > 1577836800ull * 1000000000ull, "realtime is after 2020");
    check(__wasi_clock_res_get(__WASI_CLOCKID_REALTIME, &res) == 0 && res > 0 &&
              res <= 1000000000ull,
          "realtime resolution within a second");
    check(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t) == 0, "monotonic clock");
    int ok = 1;
    for (int i = 0; i < 1000; i++) {
        if (__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t2) != 0 || t2 < t) ok = 0;
        t = t2;
    }
    check(ok, "monotonic never goes back over 1000 reads");
    check(__wasi_clock_time_get(__WASI_CLOCKID_PROCESS_CPUTIME_ID, 1, &t) == 0,
          "process cputime clock");
    check(__wasi_clock_time_get(__WASI_CLOCKID_THREAD_CPUTIME_ID, 1, &t) == 0,
          "thread cputime clock");
    check(__wasi_clock_time_get(9, 1, &t) == __WASI_ERRNO_INVAL, "an unknown clock is EINVAL");
    check(__wasi_clock_res_get(9, &res) == __WASI_ERRNO_INVAL, "its resolution too");

    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    usleep(20000);
    clock_gettime(CLOCK_MONOTONIC, &b);
    long long ns = (b.tv_sec - a.tv_sec) * 1000000000ll + (b.tv_nsec - a.tv_nsec);
    check(ns >= 20000000ll, "usleep(20 ms) sleeps at least 20 ms (poll_oneoff clock)");

    uint8_t x[64], y[64];
    memset(x, 0, sizeof x);
    memset(y, 0, sizeof y);
    check(__wasi_random_get(x, sizeof x) == 0 && __wasi_random_get(y, sizeof y) == 0,
          "random_get");
    check(memcmp(x, y, sizeof x) != 0, "two random draws differ");
    int zeros = 0;
    for (int i = 0; i < 64; i++) zeros += x[i] == 0;
    check(zeros < 16, "random bytes are not mostly zero");
    check(getentropy(x, 32) == 0, "getentropy");
    check(__wasi_random_get(x, 0) == 0, "random_get of nothing");
    return finish();
}
