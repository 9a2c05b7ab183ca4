/*
 * Tries every way out of the preopened directory and prints each refusal.
 * The harness preopens an empty directory whose parent holds
 * `outside.txt`; no attempt may read, create or change anything outside.
 * The guest name of the preopen is argv[1] (`sandbox` for --dir, `/sandbox`
 * for --map-dir).
 */
#include "check.h"
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

static int escaped;
static char path[256];

static const char *at(const char *root, const char *rel) {
    snprintf(path, sizeof path, "%s/%s", root, rel);
    return path;
}

/* `failed` must be true: the attempt was refused. */
static void refused(int failed, const char *attempt) {
    if (failed) {
        printf("refused - %s\n", attempt);
    } else {
        escaped++;
        printf("ESCAPED - %s\n", attempt);
    }
}

int main(int argc, char **argv) {
    const char *root = argc > 1 ? argv[1] : "sandbox";
    char buf[64];
    int fd;

    refused(open(at(root, "../outside.txt"), O_RDONLY) < 0, "open ../outside.txt");
    refused(open("/etc/passwd", O_RDONLY) < 0, "open /etc/passwd (absolute, not preopened)");
    refused(open(at(root, "sub/../../outside.txt"), O_RDONLY) < 0,
            "open sub/../../outside.txt");
    mkdir(at(root, "sub"), 0755);
    refused(open(at(root, "sub/../../outside.txt"), O_RDONLY) < 0,
            "open sub/../../outside.txt with sub existing");
    refused(open(at(root, "../../../../../../etc/passwd"), O_RDONLY) < 0,
            "open ../../../../../../etc/passwd");

    /* Raw path_open on the preopen (fd 3) with an absolute path. */
    __wasi_fd_t out;
    refused(__wasi_path_open(3, 0, "/etc/passwd", 0, __WASI_RIGHTS_FD_READ, 0, 0, &out) != 0,
            "path_open(3, \"/etc/passwd\")");
    refused(__wasi_path_open(3, 0, "..", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READDIR, 0, 0,
                             &out) != 0,
            "path_open(3, \"..\") as a directory");

    /* Symlinks inside pointing outside: creating one with an absolute
     * target, and following relative ones that climb out. */
    int made = symlink("/etc/passwd", at(root, "abs")) == 0;
    if (made) {
        refused(open(at(root, "abs"), O_RDONLY) < 0, "follow a symlink to /etc/passwd");
    } else {
        printf("refused - create a symlink to /etc/passwd\n");
    }
    check(symlink("../outside.txt", at(root, "up")) == 0, "a symlink whose target climbs out can be made");
    refused(open(at(root, "up"), O_RDONLY) < 0, "follow a symlink to ../outside.txt");
    check(symlink("../..", at(root, "sub/top")) == 0, "a symlink to ../.. can be made");
    refused(open(at(root, "sub/top/outside.txt"), O_RDONLY) < 0,
            "open through a symlink to ../..");
    refused(opendir(at(root, "sub/top")) == NULL, "opendir through a symlink to ../..");
    struct stat st;
    refused(stat(at(root, "up"), &st) < 0, "stat through a symlink to ../outside.txt");

    refused(opendir(at(root, "..")) == NULL, "opendir ..");
    refused(mkdir(at(root, "../made-outside"), 0755) < 0, "mkdir ../made-outside");
    int fd2 = open(at(root, "inside.txt"), O_CREAT | O_WRONLY, 0644);
    close(fd2);
    refused(rename(at(root, "inside.txt"), at(root, "../moved.txt")) < 0,
            "rename inside.txt to ../moved.txt");
    refused(link(at(root, "inside.txt"), at(root, "../linked.txt")) < 0,
            "link inside.txt to ../linked.txt");
    refused(link(at(root, "../outside.txt"), at(root, "stolen.txt")) < 0,
            "link ../outside.txt into the sandbox");
    refused(unlink(at(root, "../outside.txt")) < 0, "unlink ../outside.txt");
    refused(open(at(root, "../created.txt"), O_CREAT | O_WRONLY, 0644) < 0,
            "create ../created.txt");
    refused(symlink("x", at(root, "../made-link")) < 0, "symlink at ../made-link");
    fd = open(at(root, "."), O_RDONLY | O_DIRECTORY);
    refused(readlinkat(fd, "../outside.txt", buf, sizeof buf) < 0, "readlink ../outside.txt");
    close(fd);

    /* Clean up what was legitimately made inside. */
    unlink(at(root, "abs"));
    unlink(at(root, "up"));
    unlink(at(root, "sub/top"));
    unlink(at(root, "inside.txt"));
    rmdir(at(root, "sub"));
    printf("%d escapes\n", escaped);
    return escaped || finish();
}
