/*
 * Tries every way out of the preopened directory and prints each refusal
 * as `refused - <attempt>: <strerror>`; an attempt that works prints
 * `ESCAPED - <attempt>: ...` (with what it read) and the exit status is 1.
 *
 *     sandbox.wasm ROOT OUTSIDE
 *
 * ROOT is the guest name of the only preopen (the host directory given
 * with --dir, or `/sandbox` with --map-dir); OUTSIDE is the host's absolute
 * path of `outside.txt`, which sits next to that directory (with an empty
 * directory `empty-outside`). The harness also plants symlinks in the
 * directory before the run:
 *     planted-abs -> OUTSIDE            planted-etc -> /etc/passwd
 *     planted-up -> ../outside.txt      planted-root -> /
 *     planted-parent -> ..              planted-new -> ../created-through-planted.txt
 * No attempt may read, create or change anything outside; the harness
 * checks the host side too.
 */
#include "check.h"
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* Raw path_open, taking (pointer, length) so that any path can be given. */
int32_t raw_path_open(int32_t, int32_t, int32_t, int32_t, int32_t, int64_t, int64_t, int32_t,
                      int32_t)
    __attribute__((__import_module__("wasi_snapshot_preview1"), __import_name__("path_open")));

static int refusals, escapes;
static const char *root;

/* ROOT/rel, in one of two rotating buffers. */
static const char *in(const char *rel) {
    static char bufs[2][512];
    static int k;
    k ^= 1;
    snprintf(bufs[k], sizeof bufs[k], "%s/%s", root, rel);
    return bufs[k];
}

/* `failed` says the attempt failed, with errno set. */
static void attempt(int failed, const char *what) {
    if (failed) {
        refusals++;
        printf("refused - %s: %s\n", what, strerror(errno));
    } else {
        escapes++;
        printf("ESCAPED - %s\n", what);
    }
}

/* An attempt to open `path`; if it opens, show what it could read. */
static void open_attempt(const char *path, int flags, const char *what) {
    int fd = open(path, flags, 0644);
    if (fd < 0) {
        attempt(1, what);
        return;
    }
    char text[64] = {0};
    ssize_t n = read(fd, text, sizeof text - 1);
    escapes++;
    printf("ESCAPED - %s: opened, read %zd bytes: %s\n", what, n, n > 0 ? text : "");
    close(fd);
}

/* Makes a symlink for the attempts that follow it. The runtime may refuse
 * to make it; then each of those attempts is printed as refused by that. */
static int link_errno;
static int made_link(const char *target, const char *rel) {
    if (symlink(target, in(rel)) == 0) return 1;
    link_errno = errno;
    return 0;
}
static void link_refused(const char *what) {
    refusals++;
    printf("refused - %s: (the symlink itself was refused: %s)\n", what, strerror(link_errno));
}

/* The planted symlink `rel` must be there (the harness makes it). */
static int planted(const char *rel) {
    struct stat st;
    int ok = lstat(in(rel), &st) == 0 && S_ISLNK(st.st_mode);
    if (!ok) {
        printf("FAIL - planted symlink %s is missing (run this through the harness)\n", rel);
        checks_failed++;
    }
    return ok;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        printf("usage: sandbox.wasm ROOT OUTSIDE\n");
        return 2;
    }
    root = argv[1];
    const char *outside = argv[2];
    __wasi_fd_t pre = 3;
    __wasi_prestat_t ps;
    check(__wasi_fd_prestat_get(pre, &ps) == 0 && __wasi_fd_prestat_get(pre + 1, &ps) != 0,
          "one preopen, fd 3");

    /* What is inside stays usable. */
    struct stat st;
    check(stat(root, &st) == 0 && S_ISDIR(st.st_mode), "stat of the preopen itself");
    check(mkdir(in("sub"), 0755) == 0, "mkdir sub");
    int fd = open(in("inside.txt"), O_CREAT | O_WRONLY | O_TRUNC, 0644);
    check(fd >= 0 && write(fd, "inside\n", 7) == 7, "create inside.txt");
    close(fd);
    fd = open(in("sub/../inside.txt"), O_RDONLY);
    check(fd >= 0, "sub/../inside.txt: a '..' that stays inside is fine");
    close(fd);

    /* Plain paths out. */
    open_attempt(in("../outside.txt"), O_RDONLY, "open ../outside.txt");
    open_attempt(in("sub/../../outside.txt"), O_RDONLY, "open sub/../../outside.txt");
    open_attempt(in("./sub/./../.././outside.txt"), O_RDONLY, "open ./sub/./../.././outside.txt");
    open_attempt(in("../../../../../../../../etc/passwd"), O_RDONLY,
                 "open ../../../../../../../../etc/passwd");
    open_attempt("/etc/passwd", O_RDONLY, "open /etc/passwd");
    open_attempt(outside, O_RDONLY, "open the host path of outside.txt");
    attempt(stat(in("../outside.txt"), &st) < 0, "stat ../outside.txt");
    attempt(access(in("../outside.txt"), F_OK) < 0, "access ../outside.txt");

    /* The same through raw path_open on the preopen. */
    __wasi_fd_t out;
    const char *raw[] = {"../outside.txt", "/etc/passwd", outside, "sub/../../outside.txt"};
    for (int i = 0; i < 4; i++) {
        char what[96];
        snprintf(what, sizeof what, "path_open(preopen, %s)",
                 raw[i] == outside ? "host path of outside.txt" : raw[i]);
        __wasi_errno_t e = raw_path_open(pre, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW,
                                         (int32_t)(uintptr_t)raw[i], strlen(raw[i]), 0,
                                         __WASI_RIGHTS_FD_READ, 0, 0, (int32_t)(uintptr_t)&out);
        errno = e;
        attempt(e != 0, what);
        if (!e) close(out);
    }
    __wasi_errno_t e = __wasi_path_open(pre, 0, "..", __WASI_OFLAGS_DIRECTORY,
                                        __WASI_RIGHTS_FD_READDIR | __WASI_RIGHTS_PATH_OPEN, 0, 0,
                                        &out);
    errno = e;
    attempt(e != 0, "path_open(preopen, \"..\") as a directory");
    if (!e) close(out);
    /* Relative to a directory descriptor below the preopen. */
    int sub = open(in("sub"), O_RDONLY | O_DIRECTORY);
    check(sub >= 0, "open sub as a directory");
    fd = openat(sub, "../../outside.txt", O_RDONLY);
    attempt(fd < 0, "openat(sub, ../../outside.txt)");
    if (fd >= 0) close(fd);
    fd = openat(sub, "../../../../../../../../etc/passwd", O_RDONLY);
    attempt(fd < 0, "openat(sub, ../../../../../../../../etc/passwd)");
    if (fd >= 0) close(fd);
    attempt(mkdirat(sub, "../../made-outside", 0755) < 0, "mkdirat(sub, ../../made-outside)");
    close(sub);
    DIR *d = opendir(in(".."));
    attempt(d == NULL, "opendir ..");
    if (d) closedir(d);
    d = opendir(in("sub/../.."));
    attempt(d == NULL, "opendir sub/../..");
    if (d) closedir(d);

    /* Symlinks the program makes. */
    const char *what = "follow a symlink to /etc/passwd";
    if (made_link("/etc/passwd", "abs")) {
        open_attempt(in("abs"), O_RDONLY, what);
    } else {
        link_refused(what);
    }
    what = "follow a symlink to the host path of outside.txt";
    if (made_link(outside, "abs2")) {
        open_attempt(in("abs2"), O_RDONLY, what);
    } else {
        link_refused(what);
    }
    const char *what2 = "stat through a symlink to ../outside.txt";
    what = "follow a symlink to ../outside.txt";
    if (made_link("../outside.txt", "up")) {
        open_attempt(in("up"), O_RDONLY, what);
        attempt(stat(in("up"), &st) < 0, what2);
    } else {
        link_refused(what);
        link_refused(what2);
    }
    what = "open sub/top/outside.txt (top -> ../..)";
    what2 = "opendir sub/top (top -> ../..)";
    if (made_link("../..", "sub/top")) {
        open_attempt(in("sub/top/outside.txt"), O_RDONLY, what);
        d = opendir(in("sub/top"));
        attempt(d == NULL, what2);
        if (d) closedir(d);
    } else {
        link_refused(what);
        link_refused(what2);
    }
    what = "create through a symlink to ../made-through-link.txt";
    if (made_link("../made-through-link.txt", "mk")) {
        open_attempt(in("mk"), O_CREAT | O_WRONLY, what);
    } else {
        link_refused(what);
    }

    /* Symlinks the harness planted. */
    if (planted("planted-abs"))
        open_attempt(in("planted-abs"), O_RDONLY, "follow planted-abs (host path of outside.txt)");
    if (planted("planted-etc"))
        open_attempt(in("planted-etc"), O_RDONLY, "follow planted-etc (/etc/passwd)");
    if (planted("planted-up")) {
        open_attempt(in("planted-up"), O_RDONLY, "follow planted-up (../outside.txt)");
        char target[64] = {0};
        check(readlink(in("planted-up"), target, sizeof target) == 14 &&
                  !memcmp(target, "../outside.txt", 14),
              "readlink of planted-up gives its text (not an escape)");
    }
    if (planted("planted-root")) {
        d = opendir(in("planted-root"));
        attempt(d == NULL, "opendir planted-root (/)");
        if (d) closedir(d);
        open_attempt(in("planted-root/etc/passwd"), O_RDONLY, "open planted-root/etc/passwd");
    }
    if (planted("planted-parent"))
        open_attempt(in("planted-parent/outside.txt"), O_RDONLY,
                     "open planted-parent/outside.txt (planted-parent -> ..)");
    if (planted("planted-new"))
        open_attempt(in("planted-new"), O_CREAT | O_WRONLY,
                     "create through planted-new (../created-through-planted.txt)");

    /* Making and changing things outside. */
    attempt(mkdir(in("../made-outside"), 0755) < 0, "mkdir ../made-outside");
    open_attempt(in("../created.txt"), O_CREAT | O_WRONLY, "create ../created.txt");
    open_attempt(in("../outside.txt"), O_WRONLY | O_APPEND, "append to ../outside.txt");
    attempt(truncate(in("../outside.txt"), 0) < 0, "truncate ../outside.txt");
    struct timespec times[2] = {{0, 0}, {0, 0}};
    attempt(utimensat(AT_FDCWD, in("../outside.txt"), times, 0) < 0,
            "utimensat ../outside.txt");
    attempt(rename(in("inside.txt"), in("../moved.txt")) < 0, "rename inside.txt to ../moved.txt");
    attempt(rename(in("../outside.txt"), in("stolen.txt")) < 0,
            "rename ../outside.txt into the sandbox");
    attempt(link(in("inside.txt"), in("../linked.txt")) < 0, "link inside.txt to ../linked.txt");
    attempt(link(in("../outside.txt"), in("stolen.txt")) < 0,
            "link ../outside.txt into the sandbox");
    attempt(symlink("inside.txt", in("../made-link")) < 0, "symlink at ../made-link");
    attempt(unlink(in("../outside.txt")) < 0, "unlink ../outside.txt");
    attempt(rmdir(in("../empty-outside")) < 0, "rmdir ../empty-outside (an empty directory)");

    /* Clean up what was legitimately made inside. */
    const char *mine[] = {"abs", "abs2", "up", "sub/top", "mk", "inside.txt"};
    for (int i = 0; i < 6; i++) unlink(in(mine[i]));
    check(rmdir(in("sub")) == 0, "clean up inside");
    printf("%d attempts refused, %d escaped\n", refusals, escapes);
    int status = finish();
    return escapes ? 1 : status;
}
