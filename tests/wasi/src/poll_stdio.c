/*
 * poll_oneoff with clock subscriptions (relative and absolute, monotonic
 * and realtime; through nanosleep/clock_nanosleep and raw) and descriptor
 * subscriptions (a file, stdout, a closed number), sched_yield, and the
 * standard streams: stdin (the harness feeds "line one\nline two\n" and
 * closes it), stdout and stderr.
 */
#include "check.h"
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define MS 1000000ull

static __wasi_timestamp_t now(__wasi_clockid_t clock) {
    __wasi_timestamp_t t = 0;
    if (__wasi_clock_time_get(clock, 1, &t) != 0) t = 0;
    return t;
}

static __wasi_subscription_t clock_sub(__wasi_userdata_t userdata, __wasi_clockid_t clock,
                                       __wasi_timestamp_t timeout, __wasi_subclockflags_t flags) {
    __wasi_subscription_t s;
    memset(&s, 0, sizeof s);
    s.userdata = userdata;
    s.u.tag = __WASI_EVENTTYPE_CLOCK;
    s.u.u.clock.id = clock;
    s.u.u.clock.timeout = timeout;
    s.u.u.clock.flags = flags;
    return s;
}

static __wasi_subscription_t fd_sub(__wasi_userdata_t userdata, __wasi_eventtype_t type, int fd) {
    __wasi_subscription_t s;
    memset(&s, 0, sizeof s);
    s.userdata = userdata;
    s.u.tag = type;
    if (type == __WASI_EVENTTYPE_FD_READ) {
        s.u.u.fd_read.file_descriptor = fd;
    } else {
        s.u.u.fd_write.file_descriptor = fd;
    }
    return s;
}

int main(void) {
    __wasi_subscription_t subs[3];
    __wasi_event_t ev[3];
    __wasi_size_t n = 0;
    const __wasi_clockid_t MONO = __WASI_CLOCKID_MONOTONIC, REAL = __WASI_CLOCKID_REALTIME;
    const __wasi_subclockflags_t ABS = __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME;

    /* Clocks. */
    subs[0] = clock_sub(42, MONO, 10 * MS, 0);
    __wasi_timestamp_t start = now(MONO);
    check(__wasi_poll_oneoff(subs, ev, 1, &n) == 0 && n == 1,
          "poll_oneoff on one relative monotonic clock");
    check(now(MONO) - start >= 10 * MS, "it waited at least 10 ms");
    check(ev[0].userdata == 42 && ev[0].type == __WASI_EVENTTYPE_CLOCK && ev[0].error == 0,
          "the clock event carries its userdata and no error");

    subs[0] = clock_sub(1, MONO, now(MONO) + 5 * MS, ABS);
    subs[1] = clock_sub(2, MONO, 5000 * MS, 0);
    start = now(MONO);
    check(__wasi_poll_oneoff(subs, ev, 2, &n) == 0 && n == 1 && ev[0].userdata == 1,
          "of an absolute deadline 5 ms ahead and a relative 5 s, only the first fires");
    check(now(MONO) - start < 4000 * MS, "without waiting for the second");

    subs[0] = clock_sub(3, REAL, now(REAL) + 10 * MS, ABS);
    start = now(MONO);
    check(__wasi_poll_oneoff(subs, ev, 1, &n) == 0 && n == 1 && ev[0].userdata == 3,
          "an absolute realtime deadline 10 ms ahead");
    check(now(MONO) - start >= 5 * MS, "waits (at least 5 ms of the 10, allowing clock skew)");

    /* Half of now: in the past even if the clock started at 0. */
    subs[0] = clock_sub(4, MONO, now(MONO) / 2, ABS);
    start = now(MONO);
    check(__wasi_poll_oneoff(subs, ev, 1, &n) == 0 && n == 1 && ev[0].userdata == 4 &&
              now(MONO) - start < 4000 * MS,
          "an absolute deadline in the past fires at once");
    subs[0] = clock_sub(5, MONO, 0, 0);
    check(__wasi_poll_oneoff(subs, ev, 1, &n) == 0 && n == 1 && ev[0].userdata == 5,
          "a relative timeout of 0 fires at once");
    subs[1] = clock_sub(6, REAL, 0, 0);
    check(__wasi_poll_oneoff(subs, ev, 2, &n) == 0 && n == 2 &&
              ev[0].userdata + ev[1].userdata == 11 && ev[0].userdata != ev[1].userdata,
          "two clocks due at once both fire in one call");

    struct timespec a, b, d = {0, 15 * MS};
    clock_gettime(CLOCK_MONOTONIC, &a);
    check(nanosleep(&d, NULL) == 0, "nanosleep 15 ms");
    clock_gettime(CLOCK_MONOTONIC, &b);
    check((b.tv_sec - a.tv_sec) * 1000000000ll + (b.tv_nsec - a.tv_nsec) >= 15 * (long long)MS,
          "slept at least 15 ms");
    clock_gettime(CLOCK_MONOTONIC, &a);
    d = a;
    d.tv_nsec += 15 * MS;
    if (d.tv_nsec >= 1000000000) {
        d.tv_sec++;
        d.tv_nsec -= 1000000000;
    }
    check(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &d, NULL) == 0,
          "clock_nanosleep TIMER_ABSTIME 15 ms ahead");
    clock_gettime(CLOCK_MONOTONIC, &b);
    check(b.tv_sec > d.tv_sec || (b.tv_sec == d.tv_sec && b.tv_nsec >= d.tv_nsec),
          "woke at or after the deadline");

    /* Descriptors: a regular file is always ready. */
    int fd = open("sandbox/poll.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
    check(fd >= 0 && write(fd, "0123456789", 10) == 10 && lseek(fd, 4, SEEK_SET) == 4,
          "a 10-byte file, positioned at 4");
    subs[0] = fd_sub(1, __WASI_EVENTTYPE_FD_READ, fd);
    subs[1] = clock_sub(2, MONO, 5000 * MS, 0);
    start = now(MONO);
    check(__wasi_poll_oneoff(subs, ev, 2, &n) == 0 && n == 1 && ev[0].userdata == 1 &&
              ev[0].type == __WASI_EVENTTYPE_FD_READ && ev[0].error == 0,
          "a file is ready to read at once");
    /* nbytes is "the number of bytes available": the 6 after the position,
     * or 0 from a host that does not say. */
    check_detail(ev[0].fd_readwrite.nbytes == 6 || ev[0].fd_readwrite.nbytes == 0,
                 "fd_read event nbytes", "%llu", (unsigned long long)ev[0].fd_readwrite.nbytes);
    check(now(MONO) - start < 4000 * MS, "without waiting for the clock");
    subs[0] = fd_sub(1, __WASI_EVENTTYPE_FD_WRITE, fd);
    check(__wasi_poll_oneoff(subs, ev, 2, &n) == 0 && n == 1 &&
              ev[0].type == __WASI_EVENTTYPE_FD_WRITE && ev[0].error == 0,
          "and ready to write");
    subs[0] = fd_sub(7, __WASI_EVENTTYPE_FD_READ, fd);
    subs[1] = fd_sub(8, __WASI_EVENTTYPE_FD_WRITE, fd);
    subs[2] = clock_sub(9, MONO, 5000 * MS, 0);
    int both = __wasi_poll_oneoff(subs, ev, 3, &n) == 0 && n == 2;
    both = both && ev[0].userdata + ev[1].userdata == 15 && ev[0].userdata != ev[1].userdata;
    check(both, "read and write subscriptions on it both fire in one call");
    close(fd);
    unlink("sandbox/poll.txt");

    /* stdout (a pipe or a terminal) is writable. */
    subs[0] = fd_sub(11, __WASI_EVENTTYPE_FD_WRITE, 1);
    subs[1] = clock_sub(12, MONO, 5000 * MS, 0);
    check(__wasi_poll_oneoff(subs, ev, 2, &n) == 0 && n >= 1 && ev[0].userdata == 11 &&
              ev[0].type == __WASI_EVENTTYPE_FD_WRITE && ev[0].error == 0,
          "stdout is ready to write");

    /* A closed number: either its event carries EBADF, or the whole call
     * fails with EBADF. */
    subs[0] = fd_sub(13, __WASI_EVENTTYPE_FD_READ, 99);
    subs[1] = clock_sub(14, MONO, 5000 * MS, 0);
    __wasi_errno_t e = __wasi_poll_oneoff(subs, ev, 2, &n);
    if (e == 0) {
        check_detail(n >= 1 && ev[0].userdata == 13 && ev[0].error == __WASI_ERRNO_BADF,
                     "poll_oneoff on a closed descriptor", "its event has EBADF");
    } else {
        check_detail(e == __WASI_ERRNO_BADF, "poll_oneoff on a closed descriptor",
                     "the call fails with %s", errname(e));
    }
    /* No subscriptions: nothing to wait for. Hosts refuse it (EINVAL) or
     * return at once with no events; it must not block. */
    n = 99;
    e = __wasi_poll_oneoff(subs, ev, 0, &n);
    check_detail(e == __WASI_ERRNO_INVAL || (e == 0 && n == 0), "poll_oneoff of no subscriptions",
                 "%s", e ? errname(e) : "no events");

    /* stdin: the harness pipes two lines in. */
    struct pollfd p = {0, POLLIN, 0};
    check(poll(&p, 1, 5000) == 1 && (p.revents & POLLIN), "poll() sees stdin readable");
    char line[64];
    check(fgets(line, sizeof line, stdin) && strcmp(line, "line one\n") == 0, "read stdin line 1");
    check(fgets(line, sizeof line, stdin) && strcmp(line, "line two\n") == 0, "read stdin line 2");
    check(fgets(line, sizeof line, stdin) == NULL && feof(stdin), "then end of input");
    char c;
    check(read(0, &c, 1) == 0, "read() at the end of stdin returns 0");

    check(sched_yield() == 0, "sched_yield");
    check(__wasi_sched_yield() == 0, "raw sched_yield");

    /* Raw writes land in order with stdio output flushed before them. */
    fflush(stdout);
    check(write(1, "raw write to stdout\n", 20) == 20, "write() to stdout");
    check(write(2, "raw write to stderr\n", 20) == 20, "write() to stderr");
    fprintf(stderr, "fprintf to stderr\n");
    __wasi_ciovec_t iov[2] = {{(const uint8_t *)"two iovecs ", 11},
                              {(const uint8_t *)"to stdout\n", 10}};
    __wasi_size_t nw = 0;
    fflush(stdout);
    check(__wasi_fd_write(1, iov, 2, &nw) == 0 && nw == 21, "fd_write of two iovecs to stdout");
    /* Seeking stdout: no fd_seek right (ENOTCAPABLE) or a pipe (ESPIPE);
     * wasi-libc's lseek() says ESPIPE either way. */
    __wasi_filesize_t pos;
    check_wasi(__wasi_fd_seek(1, 0, __WASI_WHENCE_CUR, &pos), "fd_seek on stdout",
               __WASI_ERRNO_NOTCAPABLE, __WASI_ERRNO_SPIPE, -1);
    check_errno(lseek(1, 0, SEEK_SET) < 0, ESPIPE, "lseek() on stdout is ESPIPE");
    return finish();
}
