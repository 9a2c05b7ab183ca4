/*
 * Files in a preopened directory (the harness preopens an empty temporary
 * directory as `sandbox`): open flags, read/write, seek/tell, pread/pwrite,
 * stat, truncate, times, sync, advise/allocate, fcntl flags, renumber,
 * and the errno of each wrong call.
 */
#include "check.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

#define P(name) "sandbox/" name

int main(void) {
    int fd = open(P("a.txt"), O_CREAT | O_EXCL | O_WRONLY, 0644);
    check(fd >= 0, "O_CREAT|O_EXCL creates a new file");
    check(write(fd, "hello, world\n", 13) == 13, "write 13 bytes");
    check(close(fd) == 0, "close");
    errno = 0;
    check_errno(open(P("a.txt"), O_CREAT | O_EXCL | O_WRONLY, 0644) < 0, EEXIST,
                "O_EXCL on an existing file is EEXIST");
    check_errno(open(P("missing.txt"), O_RDONLY) < 0, ENOENT, "a missing file is ENOENT");
    check_errno(open(P("a.txt/x"), O_RDONLY) < 0, ENOTDIR, "a file used as a directory is ENOTDIR");

    fd = open(P("a.txt"), O_RDWR);
    char buf[64] = {0};
    check(read(fd, buf, 5) == 5 && memcmp(buf, "hello", 5) == 0, "read the start");
    check(lseek(fd, 0, SEEK_CUR) == 5, "tell after reading 5");
    check(lseek(fd, 7, SEEK_SET) == 7, "seek SET");
    check(lseek(fd, -2, SEEK_END) == 11, "seek END");
    check(lseek(fd, -3, SEEK_CUR) == 8, "seek CUR");
    check_errno(lseek(fd, -100, SEEK_CUR) < 0, EINVAL, "seek before the start is EINVAL");
    check(pread(fd, buf, 5, 7) == 5 && memcmp(buf, "world", 5) == 0, "pread at 7");
    check(lseek(fd, 0, SEEK_CUR) == 8, "pread leaves the position");
    check(pwrite(fd, "WORLD", 5, 7) == 5, "pwrite at 7");
    check(pread(fd, buf, 13, 0) == 13 && memcmp(buf, "hello, WORLD\n", 13) == 0,
          "pwrite changed the bytes");
    check(read(fd, buf, sizeof buf) == 5, "read to the end");
    check(read(fd, buf, sizeof buf) == 0, "read at the end is 0");

    struct stat st;
    check(fstat(fd, &st) == 0 && st.st_size == 13 && S_ISREG(st.st_mode), "fstat size and type");
    check(ftruncate(fd, 5) == 0, "ftruncate to 5");
    check(fstat(fd, &st) == 0 && st.st_size == 5, "fstat sees 5");
    check(ftruncate(fd, 100) == 0 && fstat(fd, &st) == 0 && st.st_size == 100,
          "ftruncate grows");
    check(pread(fd, buf, 4, 50) == 4 && buf[0] == 0 && buf[3] == 0, "the grown part is zero");
    struct timespec times[2] = {{1000000000, 5}, {1200000000, 7}};
    check(futimens(fd, times) == 0, "futimens");
    check(fstat(fd, &st) == 0 && st.st_mtim.tv_sec == 1200000000 && st.st_atim.tv_sec == 1000000000,
          "fstat sees the new times");
    struct timespec keep[2] = {{0, UTIME_OMIT}, {1300000000, 0}};
    check(utimensat(AT_FDCWD, P("a.txt"), keep, 0) == 0, "utimensat");
    check(stat(P("a.txt"), &st) == 0 && st.st_mtim.tv_sec == 1300000000 &&
              st.st_atim.tv_sec == 1000000000,
          "stat sees mtime changed and atime kept");
    check(fsync(fd) == 0, "fsync");
    check(fdatasync(fd) == 0, "fdatasync");
    check(posix_fadvise(fd, 0, 10, POSIX_FADV_SEQUENTIAL) == 0, "posix_fadvise");
    check(posix_fallocate(fd, 0, 4096) == 0 && fstat(fd, &st) == 0 && st.st_size == 4096,
          "posix_fallocate grows the file");
    check(close(fd) == 0, "close");

    fd = open(P("a.txt"), O_WRONLY | O_APPEND);
    check(fd >= 0 && (fcntl(fd, F_GETFL) & O_APPEND), "O_APPEND shows in F_GETFL");
    check(write(fd, "END", 3) == 3 && fstat(fd, &st) == 0 && st.st_size == 4099,
          "an append goes to the end");
    check(fcntl(fd, F_SETFL, 0) == 0 && !(fcntl(fd, F_GETFL) & O_APPEND), "F_SETFL clears O_APPEND");
    check(lseek(fd, 0, SEEK_SET) == 0 && write(fd, "X", 1) == 1, "then writes go to the position");
    check(fcntl(fd, F_SETFL, O_NONBLOCK) == 0 && (fcntl(fd, F_GETFL) & O_NONBLOCK), "O_NONBLOCK");
    close(fd);

    fd = open(P("a.txt"), O_RDONLY);
    /* The call fails with the witx's ENOTCAPABLE, which wasi-libc's
     * write()/read() turn into POSIX's EBADF. */
    __wasi_ciovec_t one = {(const uint8_t *)"x", 1};
    __wasi_size_t nw;
    check(__wasi_fd_write(fd, &one, 1, &nw) == __WASI_ERRNO_NOTCAPABLE,
          "fd_write without the fd_write right is ENOTCAPABLE");
    check_errno(write(fd, "x", 1) < 0, EBADF, "so write() on a read-only descriptor is EBADF");
    int fd2 = open(P("b.txt"), O_CREAT | O_WRONLY | O_TRUNC, 0644);
    check_errno(read(fd2, buf, 1) < 0, EBADF, "read() on a write-only descriptor is EBADF");
    check(__wasi_fd_renumber(fd, fd2) == 0, "fd_renumber");
    check(read(fd2, buf, 1) == 1 && buf[0] == 'X', "the renumbered descriptor reads the first file");
    check_errno(close(fd) < 0, EBADF, "the old number is closed");
    check(__wasi_fd_renumber(fd2, 1000) == __WASI_ERRNO_BADF, "renumber onto a closed number is EBADF");
    close(fd2);
    check_errno(close(fd2) < 0, EBADF, "closing twice is EBADF");
    check_errno(read(999, buf, 1) < 0, EBADF, "an unknown descriptor is EBADF");

    fd = open(P("a.txt"), O_WRONLY | O_TRUNC);
    check(fd >= 0 && fstat(fd, &st) == 0 && st.st_size == 0, "O_TRUNC empties the file");
    close(fd);
    check_errno(open("sandbox", O_WRONLY) < 0, EISDIR, "a directory opened for writing is EISDIR");
    check(unlink(P("a.txt")) == 0 && unlink(P("b.txt")) == 0, "unlink both files");
    return finish();
}
