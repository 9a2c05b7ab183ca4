/*
 * Shared by the WASI test programs. Every check prints one line:
 *
 *     ok - <what>                  the check passed
 *     ok - <what>: <detail>        it passed, and <detail> says which of the
 *                                  outcomes the spec allows was seen
 *     FAIL - <what>: <why>         it failed
 *
 * and finish() prints `N checks passed` (plus `, M FAILED` when some
 * failed) and returns the exit status, 1 if anything failed. Nothing
 * printed depends on time, random bytes or the host, so every running mode
 * must print exactly the same. In the expected files, a line ending in `*`
 * matches any line that starts with the text before the `*`: that is how a
 * `<detail>` the spec leaves open is accepted whatever it is.
 *
 * wasi-libc's errno values are WASI's, so one table names both.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

static int checks_passed, checks_failed;

static const char *const errno_names[] = {
    "SUCCESS",      "E2BIG",          "EACCES",        "EADDRINUSE",     "EADDRNOTAVAIL",
    "EAFNOSUPPORT", "EAGAIN",         "EALREADY",      "EBADF",          "EBADMSG",
    "EBUSY",        "ECANCELED",      "ECHILD",        "ECONNABORTED",   "ECONNREFUSED",
    "ECONNRESET",   "EDEADLK",        "EDESTADDRREQ",  "EDOM",           "EDQUOT",
    "EEXIST",       "EFAULT",         "EFBIG",         "EHOSTUNREACH",   "EIDRM",
    "EILSEQ",       "EINPROGRESS",    "EINTR",         "EINVAL",         "EIO",
    "EISCONN",      "EISDIR",         "ELOOP",         "EMFILE",         "EMLINK",
    "EMSGSIZE",     "EMULTIHOP",      "ENAMETOOLONG",  "ENETDOWN",       "ENETRESET",
    "ENETUNREACH",  "ENFILE",         "ENOBUFS",       "ENODEV",         "ENOENT",
    "ENOEXEC",      "ENOLCK",         "ENOLINK",       "ENOMEM",         "ENOMSG",
    "ENOPROTOOPT",  "ENOSPC",         "ENOSYS",        "ENOTCONN",       "ENOTDIR",
    "ENOTEMPTY",    "ENOTRECOVERABLE", "ENOTSOCK",     "ENOTSUP",        "ENOTTY",
    "ENXIO",        "EOVERFLOW",      "EOWNERDEAD",    "EPERM",          "EPIPE",
    "EPROTO",       "EPROTONOSUPPORT", "EPROTOTYPE",   "ERANGE",         "EROFS",
    "ESPIPE",       "ESRCH",          "ESTALE",        "ETIMEDOUT",      "ETXTBSY",
    "EXDEV",        "ENOTCAPABLE",
};
_Static_assert(sizeof errno_names / sizeof errno_names[0] == __WASI_ERRNO_NOTCAPABLE + 1,
               "one name per WASI errno");

/* The symbolic name of a WASI (= wasi-libc) errno value. */
__attribute__((unused)) static const char *errname(int e) {
    static char other[24];
    if (e >= 0 && e <= __WASI_ERRNO_NOTCAPABLE) return errno_names[e];
    snprintf(other, sizeof other, "errno %d", e);
    return other;
}

/* One line; `detail` may be NULL. */
static void report(int ok, const char *what, const char *detail) {
    if (ok) {
        checks_passed++;
    } else {
        checks_failed++;
    }
    printf("%s - %s%s%s\n", ok ? "ok" : "FAIL", what, detail ? ": " : "", detail ? detail : "");
}

/* A plain check; a failure shows errno (from the last libc call) to help. */
__attribute__((unused)) static void check(int ok, const char *what) {
    char why[64];
    snprintf(why, sizeof why, "errno %s", errname(errno));
    report(ok, what, ok ? NULL : why);
}

/* A check whose passing line names an outcome; printf-style detail. */
__attribute__((unused, format(printf, 3, 4))) static void check_detail(int ok, const char *what,
                                                                        const char *fmt, ...) {
    char detail[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    report(ok, what, detail);
}

/* A libc call failed (`failed` true) with exactly errno `want`. */
__attribute__((unused)) static void check_errno(int failed, int want, const char *what) {
    int got = errno;
    char why[96];
    if (failed && got == want) {
        report(1, what, NULL);
    } else if (!failed) {
        snprintf(why, sizeof why, "succeeded, wanted %s", errname(want));
        report(0, what, why);
    } else {
        snprintf(why, sizeof why, "got %s", errname(got));
        snprintf(why + strlen(why), sizeof why - strlen(why), ", wanted %s", errname(want));
        report(0, what, why);
    }
}

/* A raw WASI call returned `got`, which must be one of the errno values
 * that follow (end the list with -1). The line names the value seen, so an
 * expected line ending in `: *` accepts any of them, while one naming the
 * value (when only one is allowed) checks it exactly. */
__attribute__((unused)) static void check_wasi(int got, const char *what, ...) {
    va_list ap;
    int ok = 0;
    va_start(ap, what);
    for (int want; (want = va_arg(ap, int)) >= 0;) ok |= got == want;
    va_end(ap);
    report(ok, what, errname(got));
}

/* Same for a libc call: it failed and errno is one of the listed values. */
__attribute__((unused)) static void check_errno_in(int failed, const char *what, ...) {
    int got = errno;
    va_list ap;
    int ok = 0;
    va_start(ap, what);
    for (int want; (want = va_arg(ap, int)) >= 0;) ok |= got == want;
    va_end(ap);
    if (!failed) {
        report(0, what, "succeeded");
    } else {
        report(ok, what, errname(got));
    }
}

static int finish(void) {
    if (checks_failed) {
        printf("%d checks passed, %d FAILED\n", checks_passed, checks_failed);
        return 1;
    }
    printf("%d checks passed\n", checks_passed);
    return 0;
}
