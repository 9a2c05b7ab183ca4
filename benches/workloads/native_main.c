/*
 * Native driver for a benchmark workload: calls the workload's `run` once
 * and prints its int32 checksum as a signed decimal on its own line, the
 * same form `kiln run -f run` prints, so the harness can compare them.
 */
#include <stdio.h>

int run(void);

int main(void) {
    printf("%d\n", run());
    return 0;
}
