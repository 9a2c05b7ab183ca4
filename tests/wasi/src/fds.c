/*
 * The descriptor table itself: preopens (fd_prestat_get/dir_name), fdstat
 * and rights (get, set, and refusal after dropping one), proc_raise and
 * the sock_* calls on a host that offers no sockets.
 */
#include "check.h"
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <wasi/api.h>

/* This wasi-libc no longer declares proc_raise; the import still exists. */
int32_t raw_proc_raise(int32_t)
    __attribute__((__import_module__("wasi_snapshot_preview1"), __import_name__("proc_raise")));

int main(void) {
    /* Walk the preopens the way wasi-libc does at start-up. */
    int found = 0;
    for (__wasi_fd_t fd = 3; fd < 64; fd++) {
        __wasi_prestat_t ps;
        __wasi_errno_t e = __wasi_fd_prestat_get(fd, &ps);
        if (e == __WASI_ERRNO_BADF) break;
        char name[64] = {0};
        check(e == 0 && ps.tag == __WASI_PREOPENTYPE_DIR, "fd_prestat_get of a preopen");
        check(__wasi_fd_prestat_dir_name(fd, (uint8_t *)name, ps.u.dir.pr_name_len) == 0,
              "fd_prestat_dir_name");
        printf("  preopen %u: %s\n", fd, name);
        check(__wasi_fd_prestat_dir_name(fd, (uint8_t *)name, 1) == __WASI_ERRNO_NAMETOOLONG ||
                  ps.u.dir.pr_name_len <= 1,
              "a short buffer is ENAMETOOLONG");
        found++;
    }
    check(found == 2, "exactly the two preopens");
    __wasi_prestat_t ps;
    check(__wasi_fd_prestat_get(1, &ps) == __WASI_ERRNO_BADF, "stdout is not a preopen");

    __wasi_fdstat_t st;
    check(__wasi_fd_fdstat_get(3, &st) == 0 && st.fs_filetype == __WASI_FILETYPE_DIRECTORY,
          "a preopen is a directory");
    check(st.fs_rights_base & __WASI_RIGHTS_PATH_OPEN, "with the path_open right");

    int fd = open("sandbox/r.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
    check(__wasi_fd_fdstat_get(fd, &st) == 0 && st.fs_filetype == __WASI_FILETYPE_REGULAR_FILE,
          "an opened file is a regular file");
    check((st.fs_rights_base & (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE)) ==
              (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE),
          "O_RDWR gives read and write rights");
    check(__wasi_fd_fdstat_set_rights(fd, st.fs_rights_base & ~__WASI_RIGHTS_FD_WRITE,
                                      st.fs_rights_inheriting) == 0,
          "drop the write right");
    __wasi_ciovec_t one = {(const uint8_t *)"x", 1};
    __wasi_size_t nw;
    check(__wasi_fd_write(fd, &one, 1, &nw) == __WASI_ERRNO_NOTCAPABLE,
          "then fd_write is ENOTCAPABLE");
    check(__wasi_fd_fdstat_set_rights(fd, st.fs_rights_base, st.fs_rights_inheriting) ==
              __WASI_ERRNO_NOTCAPABLE,
          "and the right cannot come back");
    close(fd);
    unlink("sandbox/r.txt");

    /* A directory whose inheriting rights lack fd_write hands out
     * descriptors without it. */
    __wasi_fd_t dir;
    check(__wasi_path_open(3, 0, ".", __WASI_OFLAGS_DIRECTORY,
                           __WASI_RIGHTS_PATH_OPEN | __WASI_RIGHTS_PATH_CREATE_FILE,
                           __WASI_RIGHTS_FD_READ, 0, &dir) == 0,
          "open the preopen again with narrow inheriting rights");
    __wasi_fd_t f;
    check(__wasi_path_open(dir, 0, "n.txt", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE, 0, 0,
                           &f) == __WASI_ERRNO_NOTCAPABLE,
          "asking it for fd_write is ENOTCAPABLE");
    check(__wasi_path_open(dir, 0, "n.txt", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_READ, 0, 0,
                           &f) == 0,
          "asking for fd_read is fine");
    check(__wasi_path_unlink_file(dir, "n.txt") == __WASI_ERRNO_NOTCAPABLE,
          "it has no path_unlink_file right");
    __wasi_fd_close(f);
    __wasi_fd_close(dir);
    unlink("sandbox/n.txt");

    check(raw_proc_raise(15) == __WASI_ERRNO_NOSYS, "proc_raise (SIGTERM) is ENOSYS");
    __wasi_fd_t conn;
    check(__wasi_sock_accept(3, 0, &conn) == __WASI_ERRNO_NOTSOCK, "sock_accept on a directory");
    check(__wasi_sock_accept(77, 0, &conn) == __WASI_ERRNO_BADF, "sock_accept on a closed fd");
    check(__wasi_sock_shutdown(1, __WASI_SDFLAGS_WR) == __WASI_ERRNO_NOTSOCK,
          "sock_shutdown on stdout");
    uint8_t b[4];
    __wasi_iovec_t iov = {b, 4};
    __wasi_ciovec_t ciov = {b, 4};
    __wasi_size_t got;
    __wasi_roflags_t rof;
    check(__wasi_sock_recv(0, &iov, 1, 0, &got, &rof) == __WASI_ERRNO_NOTSOCK, "sock_recv on stdin");
    check(__wasi_sock_send(1, &ciov, 1, 0, &got) == __WASI_ERRNO_NOTSOCK, "sock_send on stdout");
    return finish();
}
