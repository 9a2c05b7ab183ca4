// Traps three calls deep, for the source-line backtrace test
// (tests/tests/backtrace_lines.rs): main -> outer -> middle -> inner, which
// stores through a wild pointer. Built, with its wasm committed beside it:
//   clang-19 --target=wasm32-wasi --sysroot=/usr -g -O0 \
//       -fdebug-prefix-map=$PWD=. deep.c -o deep.wasm
int *volatile wild = (int *)0xfffffff0;

int inner(int x) {
    *wild = x;
    return x + 1;
}

int middle(int x) {
    int r = inner(x * 2);
    return r - 1;
}

int outer(int x) {
    int r = middle(x + 3);
    return r * 2;
}

int main(void) {
    return outer(1);
}
