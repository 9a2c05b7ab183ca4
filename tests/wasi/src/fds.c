/*
 * The descriptor table itself: the preopens (fd_prestat_get /
 * fd_prestat_dir_name, walked from fd 3 the way wasi-libc does at start-up;
 * the harness gives `--dir=sandbox --map-dir=/second::../second`), fdstat
 * and rights (get, drop, refusal after dropping, inheriting rights),
 * proc_raise, and the sock_* calls on descriptors that are not sockets.
 */
#include "check.h"
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

/* This wasi-libc no longer declares proc_raise; the import still exists in
 * preview1. */
int32_t raw_proc_raise(int32_t)
    __attribute__((__import_module__("wasi_snapshot_preview1"), __import_name__("proc_raise")));

#define RW (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE)

int main(void) {
    /* The preopens, in order, until the first EBADF. */
    int found = 0;
    __wasi_fd_t fd;
    for (fd = 3; fd < 64; fd++) {
        __wasi_prestat_t ps;
        __wasi_errno_t e = __wasi_fd_prestat_get(fd, &ps);
        if (e == __WASI_ERRNO_BADF) break;
        char name[64], what[96];
        memset(name, 0, sizeof name);
        snprintf(what, sizeof what, "fd_prestat_get(%u): a directory", fd);
        check(e == 0 && ps.tag == __WASI_PREOPENTYPE_DIR && ps.u.dir.pr_name_len < sizeof name,
              what);
        check(__wasi_fd_prestat_dir_name(fd, (uint8_t *)name, ps.u.dir.pr_name_len) == 0 &&
                  strlen(name) == ps.u.dir.pr_name_len,
              "fd_prestat_dir_name: pr_name_len bytes, no NUL needed");
        printf("  preopen %u: %s\n", fd, name);
        /* A buffer shorter than the name: preview1 does not say what
         * happens; hosts answer ENAMETOOLONG or ENOBUFS, or truncate. */
        memset(name, 0, sizeof name);
        e = __wasi_fd_prestat_dir_name(fd, (uint8_t *)name, 1);
        check_detail(e != 0 || strlen(name) <= 1, "fd_prestat_dir_name into a 1-byte buffer", "%s",
                     e ? errname(e) : "truncated");
        found++;
    }
    check(found == 2, "exactly the two preopens, then EBADF");
    __wasi_prestat_t ps;
    check_wasi(__wasi_fd_prestat_get(1, &ps), "fd_prestat_get(stdout)", __WASI_ERRNO_BADF, -1);
    check_wasi(__wasi_fd_prestat_get(fd + 10, &ps), "fd_prestat_get of an unused number",
               __WASI_ERRNO_BADF, -1);

    /* fdstat of a preopen and of a file. */
    __wasi_fdstat_t st;
    check(__wasi_fd_fdstat_get(3, &st) == 0 && st.fs_filetype == __WASI_FILETYPE_DIRECTORY,
          "fd_fdstat_get: a preopen is a directory");
    check((st.fs_rights_base & __WASI_RIGHTS_PATH_OPEN) &&
              (st.fs_rights_base & __WASI_RIGHTS_FD_READDIR),
          "with the path_open and fd_readdir rights");
    check((st.fs_rights_inheriting & RW) == RW, "and fd_read/fd_write to hand down");
    check_wasi(__wasi_fd_fdstat_get(77, &st), "fd_fdstat_get of an unused number",
               __WASI_ERRNO_BADF, -1);

    int f = open("sandbox/r.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
    check(__wasi_fd_fdstat_get(f, &st) == 0 && st.fs_filetype == __WASI_FILETYPE_REGULAR_FILE,
          "an opened file is a regular file");
    check((st.fs_rights_base & RW) == RW, "O_RDWR gives fd_read and fd_write");
    check(__wasi_fd_fdstat_set_rights(f, st.fs_rights_base & ~__WASI_RIGHTS_FD_WRITE,
                                      st.fs_rights_inheriting) == 0,
          "fd_fdstat_set_rights drops fd_write");
    __wasi_fdstat_t st2;
    check(__wasi_fd_fdstat_get(f, &st2) == 0 &&
              st2.fs_rights_base == (st.fs_rights_base & ~__WASI_RIGHTS_FD_WRITE),
          "fd_fdstat_get shows it gone");
    __wasi_ciovec_t one = {(const uint8_t *)"x", 1};
    __wasi_size_t nw;
    check_wasi(__wasi_fd_write(f, &one, 1, &nw), "then fd_write", __WASI_ERRNO_NOTCAPABLE, -1);
    check_wasi(__wasi_fd_fdstat_set_rights(f, st.fs_rights_base, st.fs_rights_inheriting),
               "fd_fdstat_set_rights cannot add it back", __WASI_ERRNO_NOTCAPABLE, -1);
    uint8_t b1[1];
    __wasi_iovec_t in = {b1, 1};
    check(__wasi_fd_read(f, &in, 1, &nw) == 0 && nw == 0, "fd_read still works");
    close(f);
    unlink("sandbox/r.txt");

    /* Inheriting rights: a directory descriptor whose inheriting rights
     * lack fd_write cannot hand out a descriptor with it. */
    __wasi_fd_t dir, g;
    check(__wasi_path_open(3, 0, ".", __WASI_OFLAGS_DIRECTORY,
                           __WASI_RIGHTS_PATH_OPEN | __WASI_RIGHTS_PATH_CREATE_FILE,
                           __WASI_RIGHTS_FD_READ, 0, &dir) == 0,
          "path_open the preopen again with narrow rights");
    check_wasi(__wasi_path_open(dir, 0, "n.txt", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE, 0, 0,
                                &g),
               "through it, path_open asking for fd_write", __WASI_ERRNO_NOTCAPABLE, -1);
    check(__wasi_path_open(dir, 0, "n.txt", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_READ, 0, 0,
                           &g) == 0,
          "asking for fd_read only works");
    check_wasi(__wasi_path_unlink_file(dir, "n.txt"), "path_unlink_file without its right",
               __WASI_ERRNO_NOTCAPABLE, -1);
    check_wasi(__wasi_path_create_directory(dir, "sub"), "path_create_directory without its right",
               __WASI_ERRNO_NOTCAPABLE, -1);
    check(__wasi_fd_close(g) == 0 && __wasi_fd_close(dir) == 0, "fd_close both");
    check(unlink("sandbox/n.txt") == 0, "the file made through it is there");
    check_wasi(__wasi_fd_close(dir), "fd_close twice", __WASI_ERRNO_BADF, -1);

    /* Many descriptors at once: 200 opens of one file, all distinct and
     * all usable, then closed. */
    static int many[200];
    f = open("sandbox/m.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
    check(f >= 0 && write(f, "m", 1) == 1 && close(f) == 0, "create m.txt");
    int opened = 0, distinct = 1, usable = 1;
    for (int i = 0; i < 200; i++) {
        many[i] = open("sandbox/m.txt", O_RDONLY);
        if (many[i] < 0) break;
        opened++;
        for (int k = 0; k < i; k++) distinct &= many[k] != many[i];
    }
    for (int i = 0; i < opened; i++) {
        char m = 0;
        usable &= pread(many[i], &m, 1, 0) == 1 && m == 'm';
    }
    check(opened == 200 && distinct, "200 descriptors open at once, all distinct");
    check(usable, "each reads the file");
    int closed = 1;
    for (int i = 0; i < opened; i++) closed &= close(many[i]) == 0;
    check(closed, "and each closes");
    unlink("sandbox/m.txt");

    /* proc_raise is gone from later WASI versions; preview1 hosts answer
     * ENOSYS or ENOTSUP (and do not raise anything). */
    check_wasi(raw_proc_raise(15), "proc_raise(SIGTERM)", __WASI_ERRNO_NOSYS, __WASI_ERRNO_NOTSUP,
               -1);

    /* Sockets: none of these descriptors is one. ENOTSOCK, or the rights
     * check first: ENOTCAPABLE, or EBADF from a host without sockets. */
    __wasi_fd_t conn;
    check_wasi(__wasi_sock_accept(3, 0, &conn), "sock_accept on a directory",
               __WASI_ERRNO_NOTSOCK, __WASI_ERRNO_BADF, __WASI_ERRNO_NOTCAPABLE, -1);
    check_wasi(__wasi_sock_accept(77, 0, &conn), "sock_accept on an unused number",
               __WASI_ERRNO_BADF, -1);
    check_wasi(__wasi_sock_shutdown(1, __WASI_SDFLAGS_WR), "sock_shutdown on stdout",
               __WASI_ERRNO_NOTSOCK, __WASI_ERRNO_BADF, __WASI_ERRNO_NOTCAPABLE, -1);
    uint8_t b[4];
    __wasi_iovec_t iov = {b, 4};
    __wasi_ciovec_t ciov = {b, 4};
    __wasi_size_t got;
    __wasi_roflags_t rof;
    check_wasi(__wasi_sock_recv(0, &iov, 1, 0, &got, &rof), "sock_recv on stdin",
               __WASI_ERRNO_NOTSOCK, __WASI_ERRNO_BADF, __WASI_ERRNO_NOTCAPABLE, -1);
    check_wasi(__wasi_sock_send(1, &ciov, 1, 0, &got), "sock_send on stdout",
               __WASI_ERRNO_NOTSOCK, __WASI_ERRNO_BADF, __WASI_ERRNO_NOTCAPABLE, -1);
    f = open("sandbox/s.txt", O_CREAT | O_RDWR, 0644);
    check_wasi(__wasi_sock_send(f, &ciov, 1, 0, &got), "sock_send on a file",
               __WASI_ERRNO_NOTSOCK, __WASI_ERRNO_BADF, __WASI_ERRNO_NOTCAPABLE, -1);
    close(f);
    unlink("sandbox/s.txt");
    return finish();
}
