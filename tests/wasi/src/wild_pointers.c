/*
 * Wild pointers and lengths passed straight to the raw WASI calls. Each
 * call must come back with an errno, never crash the host or touch memory
 * outside the guest's:
 *   - a pointer to memory the guest does not have, or a range that runs
 *     past the end of memory: EFAULT (printed, checked exactly);
 *   - a length or count so large that the range wraps or cannot exist:
 *     EFAULT, EINVAL or EOVERFLOW (printed; the expected file accepts any).
 * Ranges that end exactly at the end of memory are fine and must work.
 * (A trap would also be allowed by the spec, but this program expects the
 * runtime to answer EFAULT, so it can go on.) Run with --dir=sandbox and
 * one --env variable.
 */
#include "check.h"
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

/* The raw imports, for (pointer, length) pairs that the wasi-libc
 * wrappers would compute with strlen (which would trap in the guest). */
#define RAW(name)                                                                                  \
    __attribute__((__import_module__("wasi_snapshot_preview1"), __import_name__(name)))
typedef int32_t i32;
typedef int64_t i64;
i32 raw_path_open(i32, i32, i32, i32, i32, i64, i64, i32, i32) RAW("path_open");
i32 raw_path_create_directory(i32, i32, i32) RAW("path_create_directory");
i32 raw_path_filestat_get(i32, i32, i32, i32, i32) RAW("path_filestat_get");
i32 raw_path_filestat_set_times(i32, i32, i32, i32, i64, i64, i32) RAW("path_filestat_set_times");
i32 raw_path_unlink_file(i32, i32, i32) RAW("path_unlink_file");
i32 raw_path_remove_directory(i32, i32, i32) RAW("path_remove_directory");
i32 raw_path_rename(i32, i32, i32, i32, i32, i32) RAW("path_rename");
i32 raw_path_link(i32, i32, i32, i32, i32, i32, i32) RAW("path_link");
i32 raw_path_symlink(i32, i32, i32, i32, i32) RAW("path_symlink");
i32 raw_path_readlink(i32, i32, i32, i32, i32, i32) RAW("path_readlink");

#define I(p) ((i32)(uintptr_t)(p))
/* Addresses far past the end of this program's memory. */
#define WILD ((void *)0xfffffff0u)
#define WILD2 ((void *)0x7ffffff0u)
#define HUGE 0xfffffff0u

/* A pointer outside memory: EFAULT exactly. */
static void fault(__wasi_errno_t e, const char *what) {
    check_wasi(e, what, __WASI_ERRNO_FAULT, -1);
}

/* An impossible length or count: EFAULT, EINVAL or EOVERFLOW. */
static void too_big(__wasi_errno_t e, const char *what) {
    check_wasi(e, what, __WASI_ERRNO_FAULT, __WASI_ERRNO_INVAL, __WASI_ERRNO_OVERFLOW, -1);
}

int main(void) {
    /* A page of our own at the end of memory, so that ranges can end
     * exactly at, or run just past, the end. */
    size_t pages = __builtin_wasm_memory_grow(0, 1);
    check(pages != (size_t)-1, "memory.grow one page");
    uint8_t *end = (uint8_t *)((pages + 1) * 65536);
    check(__builtin_wasm_memory_size(0) * 65536 == (size_t)end, "memory now ends there");

    uint8_t buf[64];
    uint8_t *ptrs[16];
    __wasi_size_t n = 0, n2 = 0;

    /* args and environ. */
    fault(__wasi_args_sizes_get(WILD, &n), "args_sizes_get, count pointer wild");
    fault(__wasi_args_sizes_get(&n, WILD), "args_sizes_get, size pointer wild");
    fault(__wasi_args_get(WILD, buf), "args_get, argv array wild");
    fault(__wasi_args_get(ptrs, WILD), "args_get, string buffer wild");
    check(__wasi_args_sizes_get(&n, &n2) == 0 && n2 > 2, "args_sizes_get");
    fault(__wasi_args_get(ptrs, end - 2), "args_get, string buffer running past the end");
    fault(__wasi_args_get((uint8_t **)(end - 2), buf), "args_get, argv array running past the end");
    fault(__wasi_environ_sizes_get(&n, WILD), "environ_sizes_get, size pointer wild");
    fault(__wasi_environ_get(WILD2, WILD2), "environ_get, both wild");
    fault(__wasi_environ_get(ptrs, end - 2), "environ_get, string buffer running past the end");

    /* Clocks and randomness. */
    __wasi_timestamp_t t;
    fault(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, WILD), "clock_time_get, result wild");
    fault(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, (void *)(end - 7)),
          "clock_time_get, result running 1 byte past the end");
    check(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, (void *)(end - 8)) == 0,
          "clock_time_get, result in the last 8 bytes: fine");
    fault(__wasi_clock_res_get(__WASI_CLOCKID_MONOTONIC, WILD), "clock_res_get, result wild");
    check(__wasi_clock_res_get(__WASI_CLOCKID_MONOTONIC, &t) == 0, "clock_res_get");
    fault(__wasi_random_get(WILD, 16), "random_get into a wild buffer");
    fault(__wasi_random_get(end - 15, 16), "random_get running 1 byte past the end");
    check(__wasi_random_get(end - 16, 16) == 0, "random_get into the last 16 bytes: fine");
    check(__wasi_random_get(end, 0) == 0, "random_get of 0 bytes at the very end: fine");
    too_big(__wasi_random_get(buf, HUGE), "random_get with length 0xfffffff0");

    /* Writing and reading. Ranges that start in bounds go to a file, so a
     * partial write could not reach stdout. */
    int f = open("sandbox/w.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
    check(f >= 0, "create sandbox/w.txt");
    __wasi_ciovec_t cw = {WILD, 16}, cend = {end - 4, 8}, chuge = {buf, HUGE}, cnone = {buf, 0};
    __wasi_iovec_t iw = {WILD, 16}, iend = {end - 4, 8};
    fault(__wasi_fd_write(1, &cw, 1, &n), "fd_write to stdout, iovec buffer wild");
    fault(__wasi_fd_write(1, WILD, 1, &n), "fd_write to stdout, iovec array wild");
    fault(__wasi_fd_write(1, &cnone, 1, WILD), "fd_write to stdout, result wild");
    fault(__wasi_fd_write(f, &cend, 1, &n), "fd_write, iovec buffer running past the end");
    fault(__wasi_fd_write(f, (void *)(end - 4), 1, &n),
          "fd_write, iovec array running past the end");
    too_big(__wasi_fd_write(f, &chuge, 1, &n), "fd_write, iovec length 0xfffffff0");
    too_big(__wasi_fd_write(f, (void *)buf, 0x20000000u, &n),
            "fd_write, 0x20000000 iovecs (the array size wraps to 0)");
    check(__wasi_fd_write(f, &cnone, 1, &n) == 0 && n == 0, "fd_write of 0 bytes: fine");
    __wasi_ciovec_t clast = {end - 4, 4};
    check(__wasi_fd_write(f, &clast, 1, &n) == 0 && n == 4, "fd_write of the last 4 bytes: fine");
    fault(__wasi_fd_read(0, &iw, 1, &n), "fd_read from stdin into a wild buffer");
    fault(__wasi_fd_read(0, &iend, 1, &n), "fd_read from stdin running past the end");
    fault(__wasi_fd_pwrite(f, &cw, 1, 0, &n), "fd_pwrite of a wild buffer");
    fault(__wasi_fd_pwrite(f, &cend, 1, 0, &n), "fd_pwrite running past the end");
    fault(__wasi_fd_pread(f, &iw, 1, 0, &n), "fd_pread into a wild buffer");
    fault(__wasi_fd_pread(f, &iend, 1, 0, &n), "fd_pread running past the end");
    fault(__wasi_fd_seek(f, 0, __WASI_WHENCE_SET, WILD), "fd_seek, result wild");
    fault(__wasi_fd_tell(f, WILD), "fd_tell, result wild");

    /* Descriptor and preopen information. */
    fault(__wasi_fd_fdstat_get(1, WILD), "fd_fdstat_get, result wild");
    fault(__wasi_fd_fdstat_get(1, (void *)(end - 8)), "fd_fdstat_get, result running past the end");
    fault(__wasi_fd_filestat_get(f, WILD), "fd_filestat_get, result wild");
    fault(__wasi_fd_filestat_get(f, (void *)(end - 32)),
          "fd_filestat_get, result running past the end");
    fault(__wasi_fd_prestat_get(3, WILD), "fd_prestat_get, result wild");
    __wasi_prestat_t ps;
    check(__wasi_fd_prestat_get(3, &ps) == 0 && ps.u.dir.pr_name_len == 7,
          "fd_prestat_get: the preopen `sandbox`");
    fault(__wasi_fd_prestat_dir_name(3, WILD, 7), "fd_prestat_dir_name into a wild buffer");
    fault(__wasi_fd_prestat_dir_name(3, end - 2, 7), "fd_prestat_dir_name running past the end");
    check(__wasi_fd_prestat_dir_name(3, end - 7, 7) == 0 && !memcmp(end - 7, "sandbox", 7),
          "fd_prestat_dir_name into the last 7 bytes: fine");
    fault(__wasi_fd_readdir(3, WILD, 4096, 0, &n), "fd_readdir into a wild buffer");
    fault(__wasi_fd_readdir(3, end - 8, 64, 0, &n), "fd_readdir running past the end");
    fault(__wasi_fd_readdir(3, buf, sizeof buf, 0, WILD), "fd_readdir, result wild");
    too_big(__wasi_fd_readdir(3, buf, HUGE, 0, &n), "fd_readdir with length 0xfffffff0");

    /* Paths. */
    __wasi_fd_t fd;
    __wasi_filestat_t fst;
    const __wasi_rights_t R = __WASI_RIGHTS_FD_READ;
    fault(raw_path_open(3, 0, I(WILD), 8, 0, R, 0, 0, I(&fd)), "path_open, path wild");
    memcpy(end - 5, "w.txt", 5);
    fault(raw_path_open(3, 0, I(end - 5), 6, 0, R, 0, 0, I(&fd)),
          "path_open, path running 1 byte past the end");
    check(raw_path_open(3, 0, I(end - 5), 5, 0, R, 0, 0, I(&fd)) == 0 && close(fd) == 0,
          "path_open, path in the last 5 bytes (no NUL needed): fine");
    too_big(raw_path_open(3, 0, I(buf), 0x7fffffff, 0, R, 0, 0, I(&fd)),
            "path_open, path length 0x7fffffff");
    too_big(raw_path_open(3, 0, I(buf), -1, 0, R, 0, 0, I(&fd)),
            "path_open, path length 0xffffffff");
    fault(raw_path_open(3, 0, I("w.txt"), 5, 0, R, 0, 0, I(WILD)), "path_open, result wild");
    fault(raw_path_open(3, 0, I("w.txt"), 5, 0, R, 0, 0, I(end - 2)),
          "path_open, result running past the end");
    fault(raw_path_create_directory(3, I(WILD), 4), "path_create_directory, path wild");
    fault(raw_path_filestat_get(3, 0, I(WILD), 4, I(&fst)), "path_filestat_get, path wild");
    too_big(raw_path_filestat_get(3, 0, I(buf), -1, I(&fst)),
            "path_filestat_get, path length 0xffffffff");
    fault(raw_path_filestat_get(3, 0, I("w.txt"), 5, I(WILD)), "path_filestat_get, result wild");
    fault(raw_path_filestat_set_times(3, 0, I(WILD), 5, 0, 0, __WASI_FSTFLAGS_MTIM_NOW),
          "path_filestat_set_times, path wild");
    fault(raw_path_unlink_file(3, I(WILD2), 16), "path_unlink_file, path wild");
    fault(raw_path_remove_directory(3, I(WILD), 3), "path_remove_directory, path wild");
    fault(raw_path_rename(3, I(WILD), 5, 3, I("x.txt"), 5), "path_rename, old path wild");
    fault(raw_path_rename(3, I("w.txt"), 5, 3, I(WILD), 5), "path_rename, new path wild");
    fault(raw_path_link(3, 0, I(WILD), 5, 3, I("x.txt"), 5), "path_link, old path wild");
    fault(raw_path_link(3, 0, I("w.txt"), 5, 3, I(WILD), 5), "path_link, new path wild");
    fault(raw_path_symlink(I(WILD), 5, 3, I("sl"), 2), "path_symlink, target wild");
    fault(raw_path_symlink(I("w.txt"), 5, 3, I(WILD), 2), "path_symlink, link path wild");
    check(symlink("w.txt", "sandbox/wl") == 0, "make a symlink to read");
    fault(raw_path_readlink(3, I(WILD), 2, I(buf), sizeof buf, I(&n)), "path_readlink, path wild");
    fault(raw_path_readlink(3, I("wl"), 2, I(WILD), 16, I(&n)), "path_readlink into a wild buffer");
    fault(raw_path_readlink(3, I("wl"), 2, I(end - 2), 16, I(&n)),
          "path_readlink running past the end");
    fault(raw_path_readlink(3, I("wl"), 2, I(buf), sizeof buf, I(WILD)),
          "path_readlink, result wild");
    check(unlink("sandbox/wl") == 0, "remove it");

    /* poll_oneoff. */
    __wasi_event_t ev;
    __wasi_subscription_t sub;
    memset(&sub, 0, sizeof sub);
    sub.u.tag = __WASI_EVENTTYPE_CLOCK;
    sub.u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
    fault(__wasi_poll_oneoff(WILD, &ev, 1, &n), "poll_oneoff, subscriptions wild");
    fault(__wasi_poll_oneoff((void *)(end - 16), &ev, 1, &n),
          "poll_oneoff, subscriptions running past the end");
    fault(__wasi_poll_oneoff(&sub, WILD, 1, &n), "poll_oneoff, events wild");
    fault(__wasi_poll_oneoff(&sub, (void *)(end - 8), 1, &n),
          "poll_oneoff, events running past the end");
    fault(__wasi_poll_oneoff(&sub, &ev, 1, WILD), "poll_oneoff, count pointer wild");
    too_big(__wasi_poll_oneoff(&sub, &ev, 0x10000000u, &n),
            "poll_oneoff, 0x10000000 subscriptions (the size wraps)");
    check(__wasi_poll_oneoff(&sub, &ev, 1, &n) == 0 && n == 1, "poll_oneoff, all valid: fine");

    /* Still alive, and the file holds exactly what the good calls wrote,
     * whatever the refused ones did. */
    check(lseek(f, 0, SEEK_END) >= 4, "the file has at least the 4 good bytes");
    check(lseek(f, 0, SEEK_SET) == 0 && ftruncate(f, 0) == 0 && write(f, "fine", 4) == 4,
          "the program still writes");
    check(lseek(f, 0, SEEK_SET) == 0 && read(f, buf, 8) == 4 && !memcmp(buf, "fine", 4),
          "and reads back what it wrote");
    close(f);
    unlink("sandbox/w.txt");
    unlink("sandbox/sl");
    unlink("sandbox/x.txt");
    return finish();
}
