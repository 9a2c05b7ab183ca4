;; A bytecode interpreter written in wasm: a loop whose head loads the next
;; opcode and switches on it, every handler jumping back to the head. The
;; interpreter gives each of those jumps its own copy of the head; the
;; program's result, and a trap raised inside a copy (the opcode fetch out
;; of bounds), must be what the plain reading gives.
;;
;; Opcodes (one byte each, operand in the next byte): 0 halt, 1 push
;; imm, 2 add, 3 mul, 4 jump back imm bytes if top != 0 (decrementing it),
;; 5 dup, 6 swap.

(module
  (memory 1)
  (data (i32.const 0) "\01\05\01\03\03\00\00\00")
  ;; 5 * 3 = 15
  (data (i32.const 16) "\01\03\04\01\00")
  ;; push 3, then jnz back onto itself until the top is 0: leaves 0
  (func $run (export "run") (param $pc i32) (result i32)
    (local $sp i32) (local $op i32)
    (local.set $sp (i32.const 1024))
    (loop $next
      (local.set $op (i32.load8_u (local.get $pc)))
      (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
      (block $halt (block $push (block $add (block $mul (block $jnz (block $dup (block $swap
        (br_table $halt $push $add $mul $jnz $dup $swap $halt (local.get $op)))
        ;; swap
        (i64.store (i32.const 2048) (i64.load (i32.sub (local.get $sp) (i32.const 8))))
        (i64.store (i32.sub (local.get $sp) (i32.const 8)) (i64.load (i32.sub (local.get $sp) (i32.const 16))))
        (i64.store (i32.sub (local.get $sp) (i32.const 16)) (i64.load (i32.const 2048)))
        (br $next))
        ;; dup
        (i64.store (local.get $sp) (i64.load (i32.sub (local.get $sp) (i32.const 8))))
        (local.set $sp (i32.add (local.get $sp) (i32.const 8)))
        (br $next))
        ;; jnz: if top != 0 { top -= 1; pc -= imm }
        (if (i64.ne (i64.load (i32.sub (local.get $sp) (i32.const 8))) (i64.const 0))
          (then
            (i64.store (i32.sub (local.get $sp) (i32.const 8))
              (i64.sub (i64.load (i32.sub (local.get $sp) (i32.const 8))) (i64.const 1)))
            (local.set $pc (i32.sub (local.get $pc) (i32.load8_u (local.get $pc))))
            (br $next)))
        (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
        (br $next))
        ;; mul
        (local.set $sp (i32.sub (local.get $sp) (i32.const 8)))
        (i64.store (i32.sub (local.get $sp) (i32.const 8))
          (i64.mul (i64.load (i32.sub (local.get $sp) (i32.const 8))) (i64.load (local.get $sp))))
        (br $next))
        ;; add
        (local.set $sp (i32.sub (local.get $sp) (i32.const 8)))
        (i64.store (i32.sub (local.get $sp) (i32.const 8))
          (i64.add (i64.load (i32.sub (local.get $sp) (i32.const 8))) (i64.load (local.get $sp))))
        (br $next))
        ;; push imm (sign-extended byte)
        (i64.store (local.get $sp) (i64.extend_i32_s (i32.load8_s (local.get $pc))))
        (local.set $sp (i32.add (local.get $sp) (i32.const 8)))
        (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
        (br $next))
      ;; halt: the top of the stack
      (return (i32.wrap_i64 (i64.load (i32.sub (local.get $sp) (i32.const 8))))))
    (unreachable))
  (func (export "poke") (param $at i32) (param $b i32)
    (i32.store8 (local.get $at) (local.get $b)))
)

(assert_return (invoke "run" (i32.const 0)) (i32.const 15))
(assert_return (invoke "run" (i32.const 16)) (i32.const 0))
;; A jump back far enough to leave memory: the next opcode fetch traps.
(invoke "poke" (i32.const 40) (i32.const 1))
(invoke "poke" (i32.const 41) (i32.const 1))
(invoke "poke" (i32.const 42) (i32.const 4))
(invoke "poke" (i32.const 43) (i32.const 200))
(assert_trap (invoke "run" (i32.const 40)) "out of bounds memory access")
;; Swap and the catch-all entry.
(invoke "poke" (i32.const 48) (i32.const 1))
(invoke "poke" (i32.const 49) (i32.const 7))
(invoke "poke" (i32.const 50) (i32.const 1))
(invoke "poke" (i32.const 51) (i32.const 2))
(invoke "poke" (i32.const 52) (i32.const 6))
(invoke "poke" (i32.const 53) (i32.const 9))
(assert_return (invoke "run" (i32.const 48)) (i32.const 7))
