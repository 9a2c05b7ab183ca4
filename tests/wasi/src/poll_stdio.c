/*
 * poll_oneoff with clock and descriptor subscriptions, sched_yield, and
 * the standard streams: stdin (the harness feeds "line one\nline two\n"),
 * stdout and stderr written without buffering.
 */
#include "check.h"
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <wasi/api.h>

static __wasi_timestamp_t now(void) {
    __wasi_timestamp_t t;
    __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t);
    return t;
}

int main(void) {
    __wasi_subscription_t subs[3];
    __wasi_event_t events[3];
    __wasi_size_t n = 0;
    memset(subs, 0, sizeof subs);

    /* A relative 10 ms timeout. */
    subs[0].userdata = 42;
    subs[0].u.tag = __WASI_EVENTTYPE_CLOCK;
    subs[0].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
    subs[0].u.u.clock.timeout = 10000000;
    __wasi_timestamp_t start = now();
    check(__wasi_poll_oneoff(subs, events, 1, &n) == 0 && n == 1, "poll on one relative clock");
    check(now() - start >= 10000000, "it waited at least 10 ms");
    check(events[0].userdata == 42 && events[0].type == __WASI_EVENTTYPE_CLOCK &&
              events[0].error == 0,
          "the clock event carries its userdata");

    /* An absolute deadline 5 ms ahead, and a later one: only the first fires. */
    subs[0].u.u.clock.timeout = now() + 5000000;
    subs[0].u.u.clock.flags = __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME;
    subs[1] = subs[0];
    subs[1].userdata = 7;
    subs[1].u.u.clock.flags = 0;
    subs[1].u.u.clock.timeout = 5000000000ull;
    check(__wasi_poll_oneoff(subs, events, 2, &n) == 0 && n == 1 && events[0].userdata == 42,
          "of two clocks only the earlier fires");

    /* A regular file is always ready, with the bytes left to read. */
    int fd = open("sandbox/poll.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
    write(fd, "0123456789", 10);
    lseek(fd, 4, SEEK_SET);
    memset(subs, 0, sizeof subs);
    subs[0].userdata = 1;
    subs[0].u.tag = __WASI_EVENTTYPE_FD_READ;
    subs[0].u.u.fd_read.file_descriptor = fd;
    subs[1].userdata = 2;
    subs[1].u.tag = __WASI_EVENTTYPE_CLOCK;
    subs[1].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
    subs[1].u.u.clock.timeout = 5000000000ull;
    start = now();
    check(__wasi_poll_oneoff(subs, events, 2, &n) == 0 && n == 1 && events[0].userdata == 1,
          "a file is ready to read at once");
    check(events[0].fd_readwrite.nbytes == 6, "with the 6 bytes after the position");
    check(now() - start < 1000000000ull, "without waiting for the clock");
    subs[0].u.tag = __WASI_EVENTTYPE_FD_WRITE;
    subs[0].u.u.fd_write.file_descriptor = fd;
    check(__wasi_poll_oneoff(subs, events, 2, &n) == 0 && n == 1 &&
              events[0].type == __WASI_EVENTTYPE_FD_WRITE,
          "and ready to write");
    close(fd);
    unlink("sandbox/poll.txt");
    subs[0].u.u.fd_read.file_descriptor = 99;
    subs[0].u.tag = __WASI_EVENTTYPE_FD_READ;
    check(__wasi_poll_oneoff(subs, events, 2, &n) == 0 && n == 1 &&
              events[0].error == __WASI_ERRNO_BADF,
          "a closed descriptor is reported with EBADF");
    check(__wasi_poll_oneoff(subs, events, 0, &n) == __WASI_ERRNO_INVAL,
          "no subscriptions is EINVAL");

    /* stdin: the harness pipes two lines in. */
    struct pollfd p = {0, POLLIN, 0};
    check(poll(&p, 1, 5000) == 1 && (p.revents & POLLIN), "poll() sees stdin readable");
    char line[64];
    check(fgets(line, sizeof line, stdin) && strcmp(line, "line one\n") == 0, "read stdin line 1");
    check(fgets(line, sizeof line, stdin) && strcmp(line, "line two\n") == 0, "read stdin line 2");
    check(fgets(line, sizeof line, stdin) == NULL && feof(stdin), "then end of input");

    check(sched_yield() == 0, "sched_yield");
    /* Unbuffered at the host: what the guest writes with write() appears
     * in order with stdio output flushed before it. */
    fflush(stdout);
    check(write(1, "raw write to stdout\n", 20) == 20, "write() to stdout");
    check(write(2, "raw write to stderr\n", 20) == 20, "write() to stderr");
    __wasi_fdstat_t fs;
    check(__wasi_fd_fdstat_get(1, &fs) == 0 && !(fs.fs_rights_base & __WASI_RIGHTS_FD_SEEK),
          "stdout cannot seek");
    __wasi_filesize_t pos;
    check(__wasi_fd_seek(1, 0, __WASI_WHENCE_SET, &pos) == __WASI_ERRNO_NOTCAPABLE,
          "so fd_seek on stdout is ENOTCAPABLE");
    check_errno(lseek(1, 0, SEEK_SET) < 0, ESPIPE, "which wasi-libc's lseek() reports as ESPIPE");
    return finish();
}
