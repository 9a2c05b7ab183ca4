/*
 * mandelbrot: escape-time iteration over a grid of points in the complex
 * plane, in double precision. Tight FP loop with a data-dependent exit.
 *
 * Checksum: every pixel's iteration count, folded row by row.
 */
#include "common.h"

#define WIDTH 800
#define HEIGHT 600
#define MAX_ITER 1000

static int iterations(double cr, double ci) {
    double zr = 0.0, zi = 0.0;
    int n = 0;
    while (n < MAX_ITER) {
        double zr2 = zr * zr, zi2 = zi * zi;
        if (zr2 + zi2 > 4.0) break;
        zi = 2.0 * zr * zi + ci;
        zr = zr2 - zi2 + cr;
        n++;
    }
    return n;
}

int run(void) {
    const double x0 = -2.2, x1 = 1.0, y0 = -1.2, y1 = 1.2;
    const double dx = (x1 - x0) / WIDTH, dy = (y1 - y0) / HEIGHT;
    u32 acc = 0x6d616e64u;
    u32 total = 0;
    for (int y = 0; y < HEIGHT; y++) {
        double ci = y0 + dy * y;
        u32 row = 0;
        for (int x = 0; x < WIDTH; x++) {
            u32 n = (u32)iterations(x0 + dx * x, ci);
            row = row * 31u + n;
            total += n;
        }
        acc = mix32(acc, row);
    }
    return (int)mix32(acc, total);
}
