/*
 * How a program ends, and the status kiln exits with:
 *     exit_code N          exit(N) (wasi-libc calls proc_exit(N))
 *     exit_code return N   returns N from main (_start calls proc_exit(N))
 *     exit_code trap       traps (kiln reports it and exits with 1)
 * Each writes one line to stdout and one to stderr first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    const char *how = argc > 1 ? argv[1] : "0";
    fprintf(stderr, "to stderr\n");
    if (strcmp(how, "return") == 0) {
        int status = argc > 2 ? atoi(argv[2]) : 0;
        printf("returning %d from main\n", status);
        return status;
    }
    if (strcmp(how, "trap") == 0) {
        printf("about to trap\n");
        fflush(stdout); /* a trap skips exit()'s flush */
        __builtin_trap();
    }
    int status = atoi(how);
    printf("exiting with %d\n", status);
    exit(status);
}
