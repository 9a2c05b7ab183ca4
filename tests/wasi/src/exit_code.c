/*
 * proc_exit: exits with the status given as argv[1] (through exit(),
 * which calls proc_exit), after writing one line to each stream.
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    int status = argc > 1 ? atoi(argv[1]) : 0;
    printf("exiting with %d\n", status);
    fprintf(stderr, "to stderr\n");
    exit(status);
}
