/*
 * args_get / args_sizes_get / environ_get / environ_sizes_get, through
 * wasi-libc's argv and environ and through the raw calls. The harness
 * runs it as `args_env.wasm first "two words" --dir=not-a-flag` with
 * `--env=KILN_TEST=yes --env=EMPTY=`.
 */
#include "check.h"
#include <stdlib.h>
#include <wasi/api.h>

extern char **environ;

int main(int argc, char **argv) {
    check(argc == 4, "argc counts argv[0] and three arguments");
    const char *base = strrchr(argv[0], '/');
    base = base ? base + 1 : argv[0];
    check(strcmp(base, "args_env.wasm") == 0 || strcmp(base, "args_env.aot") == 0,
          "argv[0] is the program file");
    check(strcmp(argv[1], "first") == 0, "argv[1]");
    check(strcmp(argv[2], "two words") == 0, "an argument keeps its space");
    check(strcmp(argv[3], "--dir=not-a-flag") == 0, "words after the file are the program's");
    check(argv[4] == NULL, "argv ends with NULL");

    const char *v = getenv("KILN_TEST");
    check(v && strcmp(v, "yes") == 0, "getenv of a --env variable");
    v = getenv("EMPTY");
    check(v && *v == 0, "an empty value is kept");
    check(getenv("PATH") == NULL, "the host's environment is not passed through");
    int n = 0;
    for (char **e = environ; *e; e++) n++;
    check(n == 2, "environ has exactly the two variables");

    __wasi_size_t count, size;
    check(__wasi_args_sizes_get(&count, &size) == 0, "args_sizes_get");
    check(count == 4, "args_sizes_get count");
    check(size == strlen(argv[0]) + 1 + 6 + 10 + 17, "args_sizes_get counts the terminators");
    check(__wasi_environ_sizes_get(&count, &size) == 0, "environ_sizes_get");
    check(count == 2 && size == strlen("KILN_TEST=yes") + 1 + strlen("EMPTY=") + 1,
          "environ_sizes_get");
    return finish();
}
