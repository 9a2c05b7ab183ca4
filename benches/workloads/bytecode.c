/*
 * bytecode: a small register-machine interpreter (switch dispatch) running
 * a loop-heavy program. The program walks the Collatz sequence of every
 * start value in [1, LIMIT), counting steps and FNV-hashing the values it
 * visits. Exercises a dispatch loop (br_table in wasm), unpredictable
 * branches, 64-bit integer arithmetic and loads from the instruction array.
 *
 * Checksum: the program's final step count and hash, folded together.
 */
#include "common.h"

#define LIMIT 200000
#define NREGS 8

enum opcode {
    OP_CONST, /* r[a] = imm */
    OP_MOV,   /* r[a] = r[b] */
    OP_ADDI,  /* r[a] = r[b] + imm */
    OP_MULI,  /* r[a] = r[b] * imm */
    OP_XOR,   /* r[a] = r[b] ^ r[c] */
    OP_ANDI,  /* r[a] = r[b] & imm */
    OP_SHRI,  /* r[a] = r[b] >> imm (logical) */
    OP_JMP,   /* pc = target */
    OP_JEQI,  /* if r[a] == imm: pc = target */
    OP_JGE,   /* if r[a] >= r[b] (unsigned): pc = target */
    OP_HALT,
};

struct insn {
    u8 op, a, b, c;
    i32 target;
    u64 imm;
};

/* Register roles. */
enum { R_I, R_LIMIT, R_STEPS, R_N, R_BIT, R_HASH };

/* Instruction indexes of the jump targets. */
enum { L_OUTER = 4, L_INNER = 6, L_EVEN = 14, L_NEXT = 16, L_END = 18 };

#define FNV_OFFSET 14695981039346656037ull
#define FNV_PRIME 1099511628211ull

/*
 *   for (i = 1; i < limit; i++)
 *       for (n = i; n != 1; steps++)
 *           hash = (hash ^ n) * FNV_PRIME;
 *           n = odd(n) ? (3n + 1) / 2 : n / 2;
 */
static const struct insn program_template[] = {
    /*  0 */ {OP_CONST, R_I, 0, 0, 0, 1},
    /*  1 */ {OP_CONST, R_LIMIT, 0, 0, 0, 0 /* patched */},
    /*  2 */ {OP_CONST, R_STEPS, 0, 0, 0, 0},
    /*  3 */ {OP_CONST, R_HASH, 0, 0, 0, FNV_OFFSET},
    /*  4 outer */ {OP_JGE, R_I, R_LIMIT, 0, L_END, 0},
    /*  5 */ {OP_MOV, R_N, R_I, 0, 0, 0},
    /*  6 inner */ {OP_JEQI, R_N, 0, 0, L_NEXT, 1},
    /*  7 */ {OP_XOR, R_HASH, R_HASH, R_N, 0, 0},
    /*  8 */ {OP_MULI, R_HASH, R_HASH, 0, 0, FNV_PRIME},
    /*  9 */ {OP_ADDI, R_STEPS, R_STEPS, 0, 0, 1},
    /* 10 */ {OP_ANDI, R_BIT, R_N, 0, 0, 1},
    /* 11 */ {OP_JEQI, R_BIT, 0, 0, L_EVEN, 0},
    /* 12 */ {OP_MULI, R_N, R_N, 0, 0, 3},
    /* 13 */ {OP_ADDI, R_N, R_N, 0, 0, 1},
    /* 14 even */ {OP_SHRI, R_N, R_N, 0, 0, 1},
    /* 15 */ {OP_JMP, 0, 0, 0, L_INNER, 0},
    /* 16 next */ {OP_ADDI, R_I, R_I, 0, 0, 1},
    /* 17 */ {OP_JMP, 0, 0, 0, L_OUTER, 0},
    /* 18 end */ {OP_HALT, 0, 0, 0, 0, 0},
};

#define PROGRAM_LEN (sizeof(program_template) / sizeof(program_template[0]))

/* Mutable copy, so the compiler cannot specialise the interpreter on it. */
static struct insn program[PROGRAM_LEN];
static u64 regs[NREGS];

__attribute__((noinline)) static void execute(const struct insn *code, u64 *r) {
    i32 pc = 0;
    for (;;) {
        const struct insn *in = &code[pc++];
        switch (in->op) {
        case OP_CONST: r[in->a] = in->imm; break;
        case OP_MOV: r[in->a] = r[in->b]; break;
        case OP_ADDI: r[in->a] = r[in->b] + in->imm; break;
        case OP_MULI: r[in->a] = r[in->b] * in->imm; break;
        case OP_XOR: r[in->a] = r[in->b] ^ r[in->c]; break;
        case OP_ANDI: r[in->a] = r[in->b] & in->imm; break;
        case OP_SHRI: r[in->a] = r[in->b] >> in->imm; break;
        case OP_JMP: pc = in->target; break;
        case OP_JEQI:
            if (r[in->a] == in->imm) pc = in->target;
            break;
        case OP_JGE:
            if (r[in->a] >= r[in->b]) pc = in->target;
            break;
        case OP_HALT: return;
        default: return;
        }
    }
}

int run(void) {
    for (u32 i = 0; i < PROGRAM_LEN; i++) program[i] = program_template[i];
    program[1].imm = LIMIT;
    for (int i = 0; i < NREGS; i++) regs[i] = 0;

    execute(program, regs);

    u32 acc = 0x62797465u;
    acc = mix64(acc, regs[R_STEPS]);
    acc = mix64(acc, regs[R_HASH]);
    return (int)acc;
}
