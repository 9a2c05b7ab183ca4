/*
 * Directories and names in the preopened `sandbox`: mkdir/rmdir, listing
 * (readdir), rename, hard and symbolic links, readlink, stat vs lstat,
 * unlink, and their errno values.
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
    write(fd, text, strlen(text));
    close(fd);
}

static int cmp(const void *a, const void *b) { return strcmp(*(char **)a, *(char **)b); }

/* The sorted names in `dir`, joined by spaces, into `out`. */
static void listing(const char *dir, char *out) {
    char *names[32];
    int n = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) && n < 32) names[n++] = strdup(e->d_name);
    if (d) closedir(d);
    qsort(names, n, sizeof names[0], cmp);
    out[0] = 0;
    for (int i = 0; i < n; i++) {
        strcat(out, i ? " " : "");
        strcat(out, names[i]);
        free(names[i]);
    }
}

int main(void) {
    char list[512];
    check(mkdir(P("d"), 0755) == 0, "mkdir");
    check_errno(mkdir(P("d"), 0755) < 0, EEXIST, "mkdir of an existing name is EEXIST");
    check_errno(mkdir(P("no/such"), 0755) < 0, ENOENT, "mkdir under a missing parent is ENOENT");
    touch(P("d/one.txt"), "1");
    touch(P("d/two.txt"), "22");
    check(mkdir(P("d/sub"), 0755) == 0, "mkdir a subdirectory");
    listing(P("d"), list);
    check(strcmp(list, ". .. one.txt sub two.txt") == 0, "readdir lists . .. and the entries");
    printf("  listing: %s\n", list);

    struct stat st;
    check(stat(P("d/sub"), &st) == 0 && S_ISDIR(st.st_mode), "stat of a directory");
    check(stat(P("d/two.txt"), &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 2,
          "stat of a file");
    check_errno(stat(P("d/none"), &st) < 0, ENOENT, "stat of a missing name is ENOENT");

    check(rename(P("d/one.txt"), P("d/sub/uno.txt")) == 0, "rename a file into a subdirectory");
    check(access(P("d/sub/uno.txt"), F_OK) == 0 && access(P("d/one.txt"), F_OK) != 0,
          "the file moved");
    check(rename(P("d/sub"), P("d/sub2")) == 0, "rename a directory");
    check(rename(P("d/two.txt"), P("d/sub2/uno.txt")) == 0, "rename over an existing file");
    check(stat(P("d/sub2/uno.txt"), &st) == 0 && st.st_size == 2, "the target was replaced");

    check(link(P("d/sub2/uno.txt"), P("d/hard")) == 0, "link");
    check(stat(P("d/hard"), &st) == 0 && st.st_nlink == 2, "two links to one inode");
    check(symlink("sub2/uno.txt", P("d/soft")) == 0, "symlink (relative target)");
    char target[64] = {0};
    check(readlink(P("d/soft"), target, sizeof target) == 12 && strcmp(target, "sub2/uno.txt") == 0,
          "readlink");
    check(readlink(P("d/soft"), target, 4) == 4 && memcmp(target, "sub2", 4) == 0,
          "readlink truncates to the buffer");
    check(stat(P("d/soft"), &st) == 0 && S_ISREG(st.st_mode), "stat follows the link");
    check(lstat(P("d/soft"), &st) == 0 && S_ISLNK(st.st_mode), "lstat does not");
    int fd = open(P("d/soft"), O_RDONLY | O_NOFOLLOW);
    check_errno(fd < 0, ELOOP, "O_NOFOLLOW on a symlink is ELOOP");
    check_errno(readlink(P("d/hard"), target, sizeof target) < 0, EINVAL,
                "readlink of a non-link is EINVAL");

    check_errno(rmdir(P("d/sub2")) < 0, ENOTEMPTY, "rmdir of a non-empty directory is ENOTEMPTY");
    check_errno(unlink(P("d/sub2")) < 0, EISDIR, "unlink of a directory is EISDIR");
    check_errno(rmdir(P("d/hard")) < 0, ENOTDIR, "rmdir of a file is ENOTDIR");
    check(unlink(P("d/soft")) == 0 && unlink(P("d/hard")) == 0 &&
              unlink(P("d/sub2/uno.txt")) == 0 && unlink(P("d/sub2/uno.txt")) != 0,
          "unlink the links and the file");
    check(rmdir(P("d/sub2")) == 0 && rmdir(P("d")) == 0, "rmdir the emptied directories");
    listing("sandbox", list);
    check(strcmp(list, ". ..") == 0, "the sandbox is empty again");

    /* A directory of many entries, read back through small fd_readdir
     * buffers (wasi-libc resumes by cookie). */
    mkdir(P("many"), 0755);
    char name[64];
    for (int i = 0; i < 40; i++) {
        snprintf(name, sizeof name, P("many/entry-with-a-long-name-%02d"), i);
        touch(name, "");
    }
    int count = 0;
    DIR *d = opendir(P("many"));
    struct dirent *e;
    while ((e = readdir(d))) count++;
    closedir(d);
    check(count == 42, "readdir returns all 40 entries plus . and ..");
    for (int i = 0; i < 40; i++) {
        snprintf(name, sizeof name, P("many/entry-with-a-long-name-%02d"), i);
        unlink(name);
    }
    check(rmdir(P("many")) == 0, "rmdir after removing them all");
    return finish();
}
