/*
 * Wild pointers and lengths passed straight to the raw WASI calls: every
 * one must come back as an error (EFAULT for memory outside the guest's),
 * never a crash of the host, never a write somewhere else. The program
 * then checks that it still runs normally.
 */
#include "check.h"
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <wasi/api.h>

/* The raw imports, for (pointer, length) pairs the libc wrappers would
 * compute with strlen (which would trap in the guest first). */
#define RAW(name) __attribute__((__import_module__("wasi_snapshot_preview1"), __import_name__(name)))
int32_t raw_path_open(int32_t, int32_t, int32_t, int32_t, int32_t, int64_t, int64_t, int32_t,
                      int32_t) RAW("path_open");
int32_t raw_path_create_directory(int32_t, int32_t, int32_t) RAW("path_create_directory");
int32_t raw_path_filestat_get(int32_t, int32_t, int32_t, int32_t, int32_t) RAW("path_filestat_get");
int32_t raw_path_unlink_file(int32_t, int32_t, int32_t) RAW("path_unlink_file");

/* Addresses past the end of any memory this program has. */
#define WILD ((void *)0xfffffff0u)
#define WILD2 ((void *)0x7ffffff0u)

static void fault(__wasi_errno_t e, const char *what) {
    char line[160];
    snprintf(line, sizeof line, "%s -> errno %u", what, e);
    check(e == __WASI_ERRNO_FAULT, line);
}

int main(void) {
    uint8_t buf[16];
    __wasi_size_t n;
    __wasi_iovec_t iov = {WILD, 16};
    __wasi_ciovec_t ciov = {WILD, 16};
    __wasi_ciovec_t huge = {buf, 0xfffffff0u};

    fault(__wasi_args_get(WILD, WILD), "args_get into wild buffers");
    fault(__wasi_args_sizes_get(WILD, &n), "args_sizes_get to a wild pointer");
    /* The harness passes one variable, so there is something to write. */
    fault(__wasi_environ_get(WILD2, WILD2), "environ_get into wild buffers");
    fault(__wasi_environ_sizes_get(&n, WILD), "environ_sizes_get to a wild pointer");
    fault(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, WILD), "clock_time_get result");
    fault(__wasi_clock_res_get(__WASI_CLOCKID_MONOTONIC, WILD), "clock_res_get result");
    fault(__wasi_random_get(WILD, 16), "random_get into a wild buffer");
    fault(__wasi_random_get(buf, 0xfffffff0u), "random_get with a huge length");
    fault(__wasi_fd_write(1, &ciov, 1, &n), "fd_write of a wild iovec buffer");
    fault(__wasi_fd_write(1, &huge, 1, &n), "fd_write of a huge length");
    fault(__wasi_fd_write(1, WILD, 1, &n), "fd_write with the iovec array wild");
    fault(__wasi_fd_write(1, (void *)buf, 0x20000000u, &n), "fd_write with a huge iovec count");
    fault(__wasi_fd_read(0, &iov, 1, &n), "fd_read into a wild buffer");
    fault(__wasi_fd_fdstat_get(1, WILD), "fd_fdstat_get result");
    fault(__wasi_fd_filestat_get(1, WILD), "fd_filestat_get result");
    fault(__wasi_fd_prestat_get(3, WILD), "fd_prestat_get result");
    fault(__wasi_fd_prestat_dir_name(3, WILD, 64), "fd_prestat_dir_name into a wild buffer");
    fault(__wasi_fd_readdir(3, WILD, 4096, 0, &n), "fd_readdir into a wild buffer");
    fault(__wasi_fd_readdir(3, buf, 0xfffffff0u, 0, &n), "fd_readdir with a huge length");

    __wasi_fd_t fd;
    __wasi_filestat_t fst;
    int32_t wild = (int32_t)(uintptr_t)WILD, p = (int32_t)(uintptr_t)buf;
    fault(raw_path_open(3, 0, wild, 8, 0, __WASI_RIGHTS_FD_READ, 0, 0, (int32_t)(uintptr_t)&fd),
          "path_open with a wild path");
    fault(raw_path_open(3, 0, p, 0x7fffffff, 0, __WASI_RIGHTS_FD_READ, 0, 0,
                        (int32_t)(uintptr_t)&fd),
          "path_open with a huge path length");
    fault(raw_path_create_directory(3, wild, 4), "path_create_directory with a wild path");
    fault(raw_path_filestat_get(3, 0, p, -1, (int32_t)(uintptr_t)&fst),
          "path_filestat_get with path length 0xffffffff");
    fault(raw_path_unlink_file(3, (int32_t)(uintptr_t)WILD2, 16), "path_unlink_file with a wild path");

    int f = open("sandbox/w.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
    fault(__wasi_fd_pwrite(f, &ciov, 1, 0, &n), "fd_pwrite of a wild buffer");
    fault(__wasi_fd_pread(f, &iov, 1, 0, &n), "fd_pread into a wild buffer");
    fault(__wasi_fd_seek(f, 0, __WASI_WHENCE_SET, WILD), "fd_seek result");
    fault(__wasi_fd_tell(f, WILD), "fd_tell result");
    fault(__wasi_path_open(3, 0, "w.txt", 0, __WASI_RIGHTS_FD_READ, 0, 0, WILD),
          "path_open result pointer");
    symlink("w.txt", "sandbox/wl");
    fault(__wasi_path_readlink(3, "wl", WILD, 16, &n), "path_readlink into a wild buffer");
    unlink("sandbox/wl");

    __wasi_event_t ev;
    fault(__wasi_poll_oneoff(WILD, &ev, 1, &n), "poll_oneoff with wild subscriptions");
    __wasi_subscription_t sub;
    memset(&sub, 0, sizeof sub);
    sub.u.tag = __WASI_EVENTTYPE_CLOCK;
    fault(__wasi_poll_oneoff(&sub, WILD, 1, &n), "poll_oneoff with wild events");
    fault(__wasi_poll_oneoff(&sub, &ev, 0x10000000u, &n), "poll_oneoff with a huge count");

    /* Still alive, and the sandbox file is intact and usable. */
    check(write(f, "fine", 4) == 4, "the program still writes");
    check(lseek(f, 0, SEEK_SET) == 0 && read(f, buf, 4) == 4 && memcmp(buf, "fine", 4) == 0,
          "and reads back what it wrote");
    close(f);
    unlink("sandbox/w.txt");
    return finish();
}
