/*
 * args_get / args_sizes_get / environ_get / environ_sizes_get, through
 * wasi-libc's argv and environ and through the raw calls.
 *
 * The harness runs it as
 *     kiln run --env=KILN_TEST=yes --env=EMPTY= --env=EQ=a=b args_env.wasm \
 *         first "two words" "" --dir=not-a-flag ünï
 * with the host's own environment left out.
 */
#include "check.h"
#include <stdlib.h>

extern char **environ;

static const char *const want_args[] = {"first", "two words", "", "--dir=not-a-flag",
                                        "\xc3\xbcn\xc3\xaf"};
#define NARGS (1 + sizeof want_args / sizeof want_args[0])
static const char *const want_env[] = {"KILN_TEST=yes", "EMPTY=", "EQ=a=b"};
#define NENV (sizeof want_env / sizeof want_env[0])

/* The string at `p` lies wholly in buf[0..size). */
static int inside(const char *p, const char *buf, size_t size) {
    return p >= buf && p < buf + size && p + strlen(p) < buf + size;
}

int main(int argc, char **argv) {
    check(argc == (int)NARGS, "argc counts argv[0] and the five arguments");
    const char *base = strrchr(argv[0], '/');
    base = base ? base + 1 : argv[0];
    check(strcmp(base, "args_env.wasm") == 0 || strcmp(base, "args_env.aot") == 0,
          "argv[0] is the program file as given");
    int same = argc == (int)NARGS;
    for (int i = 1; same && i < argc; i++) same = strcmp(argv[i], want_args[i - 1]) == 0;
    check(same, "the arguments arrive unchanged (spaces, an empty one, UTF-8)");
    check(argc == (int)NARGS && strcmp(argv[4], "--dir=not-a-flag") == 0,
          "words after the file are the program's, not kiln's");
    check(argv[argc] == NULL, "argv ends with NULL");

    const char *v = getenv("KILN_TEST");
    check(v && strcmp(v, "yes") == 0, "getenv of a --env variable");
    v = getenv("EMPTY");
    check(v && *v == 0, "an empty value is kept");
    v = getenv("EQ");
    check(v && strcmp(v, "a=b") == 0, "a value may contain '='");
    check(getenv("PATH") == NULL && getenv("HOME") == NULL,
          "the host's environment is not passed through");
    size_t n = 0;
    for (char **e = environ; *e; e++) n++;
    check(n == NENV, "environ has exactly the three variables");
    /* The order is not specified; each variable must be there once. */
    for (size_t i = 0; i < NENV; i++) {
        char what[64];
        int seen = 0;
        for (size_t k = 0; k < n; k++) seen += strcmp(environ[k], want_env[i]) == 0;
        snprintf(what, sizeof what, "environ holds %s once", want_env[i]);
        check(seen == 1, what);
    }

    /* The raw calls: sizes count the NUL terminators, and the pointers
     * written by *_get point into the buffer, one string after another. */
    __wasi_size_t count = 0, size = 0;
    size_t want_size = strlen(argv[0]) + 1;
    for (size_t i = 0; i < NARGS - 1; i++) want_size += strlen(want_args[i]) + 1;
    check(__wasi_args_sizes_get(&count, &size) == 0, "args_sizes_get");
    check(count == NARGS, "args_sizes_get counts the arguments");
    check(size == want_size, "args_sizes_get counts the bytes with terminators");
    char *ptrs[NARGS + 1];
    char buf[256];
    memset(buf, 0x7f, sizeof buf);
    check(size <= sizeof buf && __wasi_args_get((uint8_t **)ptrs, (uint8_t *)buf) == 0,
          "args_get");
    same = 1;
    for (size_t i = 0; i < NARGS; i++)
        same &= inside(ptrs[i], buf, size) && !strcmp(ptrs[i], argv[i]);
    check(same, "args_get: each pointer is to its string, inside the buffer");
    check((unsigned char)buf[size] == 0x7f, "args_get writes no byte past the size it gave");

    want_size = 0;
    for (size_t i = 0; i < NENV; i++) want_size += strlen(want_env[i]) + 1;
    check(__wasi_environ_sizes_get(&count, &size) == 0 && count == NENV && size == want_size,
          "environ_sizes_get");
    memset(buf, 0x7f, sizeof buf);
    check(__wasi_environ_get((uint8_t **)ptrs, (uint8_t *)buf) == 0, "environ_get");
    same = 1;
    for (size_t i = 0; i < NENV; i++)
        same &= inside(ptrs[i], buf, size) && i < n && !strcmp(ptrs[i], environ[i]);
    check(same, "environ_get: each pointer is to its KEY=VALUE, inside the buffer");
    check((unsigned char)buf[size] == 0x7f, "environ_get writes no byte past the size it gave");
    return finish();
}
