/*
 * Directories and names in the preopened `sandbox`: mkdir/rmdir, listing
 * (readdir, and raw fd_readdir through small buffers resumed by cookie),
 * rename, hard and symbolic links, readlink, stat vs lstat
 * (path_filestat_get with and without symlink_follow), unlink, and the
 * errno of each wrong call. Listings are sorted before comparing and leave
 * out `.` and `..`, whose presence the spec does not fix.
 */
#include "check.h"
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define P(name) "sandbox/" name

static void touch(const char *path, const char *text) {
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
        printf("FAIL - setup: cannot write %s\n", path);
        checks_failed++;
    }
    close(fd);
}

static int cmp(const void *a, const void *b) { return strcmp(*(char **)a, *(char **)b); }

static int is_dot(const char *name) { return !strcmp(name, ".") || !strcmp(name, ".."); }

/* The sorted names in `dir` without . and .., joined by spaces. */
static void listing(const char *dir, char *out, size_t size) {
    char *names[64];
    int n = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) && n < 64)
        if (!is_dot(e->d_name)) names[n++] = strdup(e->d_name);
    if (d) closedir(d);
    qsort(names, n, sizeof names[0], cmp);
    snprintf(out, size, "%s", d ? "" : "(opendir failed)");
    for (int i = 0; i < n; i++) {
        snprintf(out + strlen(out), size - strlen(out), "%s%s", i ? " " : "", names[i]);
        free(names[i]);
    }
}

/* Everything raw fd_readdir returns from `cookie` on, through a buffer of
 * `bufsize` bytes: names (in order, with . and ..), types and the cookie
 * after each. Returns the number of entries, or -errno. */
#define MAXENT 64
struct entry {
    char name[64];
    __wasi_inode_t ino;
    __wasi_filetype_t type;
    __wasi_dircookie_t next;
};

static int read_dir(int fd, size_t bufsize, __wasi_dircookie_t cookie, struct entry *out) {
    static uint8_t buf[4096];
    int n = 0;
    for (;;) {
        __wasi_size_t used = 0;
        __wasi_errno_t e = __wasi_fd_readdir(fd, buf, bufsize, cookie, &used);
        if (e) return -e;
        if (used > bufsize) return -1000;
        size_t off = 0;
        int progressed = 0;
        while (off + sizeof(__wasi_dirent_t) <= used) {
            __wasi_dirent_t d;
            memcpy(&d, buf + off, sizeof d); /* entries are not aligned */
            if (off + sizeof d + d.d_namlen > used) break; /* truncated: read again */
            if (n == MAXENT || d.d_namlen >= sizeof out[n].name) return -1001;
            memcpy(out[n].name, buf + off + sizeof d, d.d_namlen);
            out[n].name[d.d_namlen] = 0;
            out[n].type = d.d_type;
            out[n].ino = d.d_ino;
            out[n].next = cookie = d.d_next;
            n++;
            off += sizeof d + d.d_namlen;
            progressed = 1;
        }
        if (used < bufsize) return n; /* a short read: the end */
        if (!progressed) return -1002; /* not even one entry fits */
    }
}

#define NMANY 40
static const char *many_name(int i) {
    static char name[64];
    snprintf(name, sizeof name, "entry-with-a-long-name-%02d", i);
    return name;
}

/* The entries are exactly the NMANY files and `zz-dir` (plus, maybe, . and
 * ..), each once, with the right types. */
static int many_ok(const struct entry *e, int n) {
    int seen[NMANY + 1] = {0};
    for (int i = 0; i < n; i++) {
        if (is_dot(e[i].name)) {
            if (e[i].type != __WASI_FILETYPE_DIRECTORY) return 0;
            continue;
        }
        int k;
        if (!strcmp(e[i].name, "zz-dir")) {
            k = NMANY;
            if (e[i].type != __WASI_FILETYPE_DIRECTORY) return 0;
        } else {
            for (k = 0; k < NMANY && strcmp(e[i].name, many_name(k)); k++) {}
            if (k == NMANY || e[i].type != __WASI_FILETYPE_REGULAR_FILE) return 0;
        }
        seen[k]++;
    }
    for (int k = 0; k <= NMANY; k++)
        if (seen[k] != 1) return 0;
    return 1;
}

int main(void) {
    char list[512];
    struct stat st;

    /* mkdir, listing, stat. */
    check(mkdir(P("d"), 0755) == 0, "mkdir");
    check_errno(mkdir(P("d"), 0755) < 0, EEXIST, "mkdir of an existing name is EEXIST");
    check_errno(mkdir(P("no/such"), 0755) < 0, ENOENT, "mkdir under a missing parent is ENOENT");
    touch(P("d/one.txt"), "1");
    touch(P("d/two.txt"), "22");
    check(mkdir(P("d/sub"), 0755) == 0, "mkdir a subdirectory");
    check_errno(mkdir(P("d/one.txt/x"), 0755) < 0, ENOTDIR, "mkdir under a file is ENOTDIR");
    listing(P("d"), list, sizeof list);
    check_detail(strcmp(list, "one.txt sub two.txt") == 0, "opendir/readdir lists the entries",
                 "%s", list);
    check(stat(P("d/sub"), &st) == 0 && S_ISDIR(st.st_mode), "stat of a directory");
    check(stat(P("d/two.txt"), &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 2,
          "stat of a file: regular, 2 bytes");
    check_errno(stat(P("d/none"), &st) < 0, ENOENT, "stat of a missing name is ENOENT");
    check_errno(opendir(P("d/two.txt")) == NULL, ENOTDIR, "opendir of a file is ENOTDIR");

    /* rename. */
    check(rename(P("d/one.txt"), P("d/sub/uno.txt")) == 0, "rename a file into a subdirectory");
    check(access(P("d/sub/uno.txt"), F_OK) == 0 && access(P("d/one.txt"), F_OK) != 0,
          "the file moved");
    check(rename(P("d/sub"), P("d/sub2")) == 0, "rename a directory");
    check(stat(P("d/sub2/uno.txt"), &st) == 0 && st.st_size == 1, "its content moved with it");
    check(rename(P("d/two.txt"), P("d/sub2/uno.txt")) == 0, "rename over an existing file");
    check(stat(P("d/sub2/uno.txt"), &st) == 0 && st.st_size == 2, "the target was replaced");
    check_errno(rename(P("d/nothing"), P("d/x")) < 0, ENOENT, "rename of a missing name is ENOENT");
    check(mkdir(P("d/e"), 0755) == 0, "mkdir another directory");
    touch(P("d/f.txt"), "");
    check_errno(rename(P("d/f.txt"), P("d/e")) < 0, EISDIR,
                "rename of a file over a directory is EISDIR");
    check_errno(rename(P("d/e"), P("d/f.txt")) < 0, ENOTDIR,
                "rename of a directory over a file is ENOTDIR");
    check(rename(P("d/e"), P("d/f.txt/")) < 0, "rename onto 'file/' fails");
    check(mkdir(P("d/e2"), 0755) == 0 && rename(P("d/e"), P("d/e2")) == 0 &&
              stat(P("d/e2"), &st) == 0 && stat(P("d/e"), &st) < 0,
          "rename of a directory over an empty one replaces it");
    check_errno(rename(P("d/sub2"), P("d/sub2/inner")) < 0, EINVAL,
                "rename of a directory into itself is EINVAL");
    check(rmdir(P("d/e2")) == 0 && unlink(P("d/f.txt")) == 0, "remove them");

    /* Hard and symbolic links. */
    check(link(P("d/sub2/uno.txt"), P("d/hard")) == 0, "link");
    check(stat(P("d/hard"), &st) == 0 && st.st_nlink == 2 && st.st_size == 2,
          "two links to one file");
    check_errno(link(P("d/sub2/uno.txt"), P("d/hard")) < 0, EEXIST,
                "link onto an existing name is EEXIST");
    check_errno(link(P("d/nothing"), P("d/x")) < 0, ENOENT, "link of a missing name is ENOENT");
    check(symlink("sub2/uno.txt", P("d/soft")) == 0, "symlink with a relative target");
    check_errno(symlink("x", P("d/soft")) < 0, EEXIST, "symlink onto an existing name is EEXIST");
    check(symlink("missing", P("d/dangling")) == 0, "a dangling symlink can be made");
    char target[64] = {0};
    check(readlink(P("d/soft"), target, sizeof target) == 12 &&
              memcmp(target, "sub2/uno.txt", 12) == 0,
          "readlink returns the target, without a NUL");
    /* POSIX truncates; preview1 does not say, and some hosts report ERANGE. */
    memset(target, 0, sizeof target);
    ssize_t r = readlink(P("d/soft"), target, 4);
    if (r >= 0) {
        check_detail(r == 4 && strcmp(target, "sub2") == 0, "readlink into a 4-byte buffer",
                     "truncated");
    } else {
        check_errno_in(1, "readlink into a 4-byte buffer", ERANGE, -1);
    }
    check(stat(P("d/soft"), &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 2,
          "stat follows the symlink");
    check(lstat(P("d/soft"), &st) == 0 && S_ISLNK(st.st_mode) && st.st_size == 12,
          "lstat does not: a symlink of 12 bytes");
    check_errno(stat(P("d/dangling"), &st) < 0, ENOENT, "stat of a dangling symlink is ENOENT");
    check(lstat(P("d/dangling"), &st) == 0 && S_ISLNK(st.st_mode), "lstat of it works");
    int fd = open(P("d/soft"), O_RDONLY);
    char c[8] = {0};
    check(fd >= 0 && read(fd, c, 4) == 2 && !strcmp(c, "22"), "open follows the symlink");
    close(fd);
    check_errno(open(P("d/soft"), O_RDONLY | O_NOFOLLOW) < 0, ELOOP,
                "O_NOFOLLOW on a symlink is ELOOP");
    check_errno(readlink(P("d/hard"), target, sizeof target) < 0, EINVAL,
                "readlink of a non-link is EINVAL");
    check_errno(readlink(P("d/none"), target, sizeof target) < 0, ENOENT,
                "readlink of a missing name is ENOENT");

    /* The lookup flags are obeyed: times and links of the symlink itself. */
    struct timespec old_times[2] = {{1100000000, 0}, {1100000000, 0}};
    check(utimensat(AT_FDCWD, P("d/soft"), old_times, AT_SYMLINK_NOFOLLOW) == 0,
          "utimensat AT_SYMLINK_NOFOLLOW on a symlink");
    struct stat lst;
    check(lstat(P("d/soft"), &lst) == 0 && lst.st_mtim.tv_sec == 1100000000 &&
              stat(P("d/soft"), &st) == 0 && st.st_mtim.tv_sec != 1100000000,
          "it set the symlink's times, not its target's");
    int sfd = open(P("d"), O_RDONLY | O_DIRECTORY);
    __wasi_filestat_t lfs;
    check(__wasi_path_link(sfd, 0, "soft", sfd, "soft-hard") == 0 &&
              __wasi_path_filestat_get(sfd, 0, "soft-hard", &lfs) == 0 &&
              lfs.filetype == __WASI_FILETYPE_SYMBOLIC_LINK,
          "path_link without symlink_follow links the symlink itself");
    check(unlink(P("d/soft-hard")) == 0, "remove that link");
    close(sfd);
    check_errno(open(P("d/dangling"), O_CREAT | O_EXCL | O_WRONLY, 0644) < 0, EEXIST,
                "O_CREAT|O_EXCL on a dangling symlink is EEXIST");
    check_errno(stat(P("d/missing"), &st) < 0, ENOENT, "and did not create its target");

    /* Chains and loops. */
    check(symlink("soft", P("d/l1")) == 0 && symlink("l1", P("d/l2")) == 0 &&
              symlink("l2", P("d/l3")) == 0 && symlink("l3", P("d/l4")) == 0,
          "a chain of symlinks l4 -> l3 -> l2 -> l1 -> soft -> sub2/uno.txt");
    fd = open(P("d/l4"), O_RDONLY);
    memset(c, 0, sizeof c);
    check(fd >= 0 && read(fd, c, 4) == 2 && !strcmp(c, "22"), "open resolves the whole chain");
    close(fd);
    check(symlink("sub2", P("d/dirlink")) == 0 && stat(P("d/dirlink/uno.txt"), &st) == 0 &&
              st.st_size == 2,
          "a symlink to a directory works as a path component");
    check(symlink("loop-b", P("d/loop-a")) == 0 && symlink("loop-a", P("d/loop-b")) == 0 &&
              symlink("self", P("d/self")) == 0,
          "make symlink loops a -> b -> a and self -> self");
    check_errno(open(P("d/loop-a"), O_RDONLY) < 0, ELOOP, "open of a symlink loop is ELOOP");
    check_errno(stat(P("d/self"), &st) < 0, ELOOP, "stat of a self-loop is ELOOP");
    check_errno(open(P("d/loop-b/x"), O_RDONLY) < 0, ELOOP, "a loop as a path component is ELOOP");
    const char *links[] = {"l1", "l2", "l3", "l4", "dirlink", "loop-a", "loop-b", "self"};
    int gone = 1;
    for (int i = 0; i < 8; i++) {
        snprintf(target, sizeof target, P("d/%s"), links[i]);
        gone &= unlink(target) == 0;
    }
    check(gone, "unlink them (the links, not what they point to)");

    /* The raw path_filestat_get, with and without symlink_follow. */
    int dfd = open(P("d"), O_RDONLY | O_DIRECTORY);
    check(dfd >= 0, "open the directory");
    __wasi_filestat_t fs1, fs2;
    check(__wasi_path_filestat_get(dfd, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "soft", &fs1) == 0 &&
              fs1.filetype == __WASI_FILETYPE_REGULAR_FILE && fs1.size == 2 && fs1.nlink == 2,
          "path_filestat_get following: the file, 2 bytes, 2 links");
    check(__wasi_path_filestat_get(dfd, 0, "soft", &fs2) == 0 &&
              fs2.filetype == __WASI_FILETYPE_SYMBOLIC_LINK && fs2.size == 12,
          "path_filestat_get not following: the symlink");
    check(__wasi_path_filestat_get(dfd, 0, "hard", &fs2) == 0 && fs2.ino == fs1.ino &&
              fs2.dev == fs1.dev,
          "the hard link has the same inode and device");
    check(__wasi_path_filestat_get(dfd, 0, "sub2", &fs2) == 0 &&
              fs2.filetype == __WASI_FILETYPE_DIRECTORY,
          "path_filestat_get of a directory");
    check_wasi(__wasi_path_filestat_get(dfd, 0, "none", &fs2),
               "path_filestat_get of a missing name", __WASI_ERRNO_NOENT, -1);
    close(dfd);

    /* Removing. */
    check_errno(rmdir(P("d/sub2")) < 0, ENOTEMPTY, "rmdir of a non-empty directory is ENOTEMPTY");
    check_errno(unlink(P("d/sub2")) < 0, EISDIR, "unlink of a directory is EISDIR");
    check_errno(rmdir(P("d/hard")) < 0, ENOTDIR, "rmdir of a file is ENOTDIR");
    check_errno(rmdir(P("d/nothing")) < 0, ENOENT, "rmdir of a missing name is ENOENT");
    check(unlink(P("d/soft")) == 0 && stat(P("d/sub2/uno.txt"), &st) == 0,
          "unlink of a symlink leaves its target");
    check(unlink(P("d/dangling")) == 0, "unlink of a dangling symlink");
    check(unlink(P("d/hard")) == 0 && stat(P("d/sub2/uno.txt"), &st) == 0 && st.st_nlink == 1,
          "unlink of a hard link leaves one link");
    check(unlink(P("d/sub2/uno.txt")) == 0, "unlink the file");
    check_errno(unlink(P("d/sub2/uno.txt")) < 0, ENOENT, "unlink again is ENOENT");
    check(rmdir(P("d/sub2")) == 0 && rmdir(P("d")) == 0, "rmdir the emptied directories");
    listing("sandbox", list, sizeof list);
    check_detail(list[0] == 0, "the sandbox is empty again", "[%s]", list);
    /* The preopen itself cannot be removed, even when empty (the host's
     * errno is passed on: not specified). */
    __wasi_errno_t e = __wasi_path_remove_directory(3, ".");
    check_detail(e != 0 && stat("sandbox", &st) == 0, "path_remove_directory(preopen, \".\") fails",
                 "%s", errname(e));
    check(rmdir("sandbox/.") < 0 && stat("sandbox", &st) == 0, "rmdir sandbox/. fails too");

    /* 40 nested directories: a path of 378 bytes. */
    char deep[512] = "sandbox";
    int made = 1;
    for (int i = 0; i < 40; i++) {
        snprintf(deep + strlen(deep), sizeof deep - strlen(deep), "/level-%02d", i);
        made &= mkdir(deep, 0755) == 0;
    }
    check(made, "mkdir 40 nested directories");
    size_t deep_len = strlen(deep);
    strcat(deep, "/bottom.txt");
    touch(deep, "deep");
    check_detail(stat(deep, &st) == 0 && st.st_size == 4, "stat of a file at the bottom",
                 "a %zu-byte path", strlen(deep));
    int removed = unlink(deep) == 0;
    deep[deep_len] = 0;
    for (int i = 0; i < 40; i++) {
        removed &= rmdir(deep) == 0;
        *strrchr(deep, '/') = 0;
    }
    check(removed, "remove them from the bottom up");

    /* Many entries, read back through raw fd_readdir. */
    check(mkdir(P("many"), 0755) == 0 && mkdir(P("many/zz-dir"), 0755) == 0,
          "make a directory of 40 files and a subdirectory");
    char name[96];
    for (int i = 0; i < NMANY; i++) {
        snprintf(name, sizeof name, P("many/%s"), many_name(i));
        touch(name, "");
    }
    int count = 0;
    DIR *d = opendir(P("many"));
    struct dirent *de;
    while (d && (de = readdir(d))) count += !is_dot(de->d_name);
    if (d) closedir(d);
    check(count == NMANY + 1, "readdir returns all 41 entries");

    fd = open(P("many"), O_RDONLY | O_DIRECTORY);
    static struct entry a[MAXENT], b[MAXENT];
    static uint8_t tiny[16];
    __wasi_size_t used = 0;
    check(__wasi_fd_readdir(fd, tiny, 10, 0, &used) == 0 && used == 10,
          "fd_readdir fills a 10-byte buffer completely (a truncated entry)");
    int n = read_dir(fd, 4096, 0, a);
    check_detail(n > 0 && many_ok(a, n), "fd_readdir through a 4096-byte buffer", "%s",
                 n > 0 ? "every entry once, with its type" : errname(-n));
    int n2 = read_dir(fd, 64, 0, b);
    int same = n2 == n;
    for (int i = 0; same && i < n; i++) same = !strcmp(a[i].name, b[i].name);
    check(same, "through a 64-byte buffer (one entry a call, resumed by cookie): the same");
    n2 = read_dir(fd, sizeof(__wasi_dirent_t) + 30, 0, b);
    same = n2 == n;
    for (int i = 0; same && i < n; i++) same = !strcmp(a[i].name, b[i].name);
    check(same, "through a 54-byte buffer: the same");
    n2 = n > 10 ? read_dir(fd, 4096, a[9].next, b) : -1;
    same = n2 == n - 10;
    for (int i = 0; same && i < n2; i++) same = !strcmp(a[10 + i].name, b[i].name);
    check(same, "from the cookie after the 10th entry: the rest, in the same order");
    used = 1;
    check(n > 0 && __wasi_fd_readdir(fd, tiny, sizeof tiny, a[n - 1].next, &used) == 0 && used == 0,
          "from the cookie after the last entry: nothing");
    int ino_ok = n > 0;
    for (int i = 0; i < n; i++) {
        if (is_dot(a[i].name)) continue;
        __wasi_filestat_t fs;
        ino_ok &= __wasi_path_filestat_get(fd, 0, a[i].name, &fs) == 0 && fs.ino == a[i].ino;
    }
    check(ino_ok, "each entry's d_ino is the inode path_filestat_get gives");
    close(fd);
    fd = open(P("many/entry-with-a-long-name-00"), O_RDONLY);
    check_wasi(__wasi_fd_readdir(fd, tiny, sizeof tiny, 0, &used), "fd_readdir of a file",
               __WASI_ERRNO_NOTDIR, __WASI_ERRNO_NOTCAPABLE, -1);
    close(fd);

    for (int i = 0; i < NMANY; i++) {
        snprintf(name, sizeof name, P("many/%s"), many_name(i));
        unlink(name);
    }
    check(rmdir(P("many/zz-dir")) == 0 && rmdir(P("many")) == 0, "rmdir after removing them all");
    return finish();
}
