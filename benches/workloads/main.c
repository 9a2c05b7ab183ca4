/*
 * The driver every workload is linked with, natively and for WASI: calls
 * the workload's `run` once and prints its int32 checksum as a signed
 * decimal on its own line, so a workload is a whole program in both
 * builds and the harness compares the two outputs.
 */
#include <stdio.h>

int run(void);

int main(void) {
    printf("%d\n", run());
    return 0;
}
