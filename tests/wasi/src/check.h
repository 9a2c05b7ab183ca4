/*
 * Shared by the WASI test programs: each check prints one line, `ok - ...`
 * or `FAIL - ...`, and `finish()` prints the count and gives the exit
 * status (1 if anything failed). Output never depends on time, random
 * bytes or the host, so every running mode must print exactly the same.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

static int checks_passed, checks_failed;

__attribute__((unused)) static void check(int ok, const char *what) {
    if (ok) {
        checks_passed++;
        printf("ok - %s\n", what);
    } else {
        checks_failed++;
        printf("FAIL - %s (errno %d: %s)\n", what, errno, strerror(errno));
    }
}

/* `call` failed with exactly `want` as errno. */
__attribute__((unused)) static void check_errno(int failed, int want, const char *what) {
    int got = errno;
    if (failed && got == want) {
        checks_passed++;
        printf("ok - %s\n", what);
    } else {
        checks_failed++;
        printf("FAIL - %s (failed=%d, errno %d, wanted %d)\n", what, failed, got, want);
    }
}

static int finish(void) {
    printf("%d checks passed, %d failed\n", checks_passed, checks_failed);
    return checks_failed ? 1 : 0;
}
