;; `switch (code[pc++])` in a bytecode loop: the interpreter steps the
;; counter in the switch op itself. The step must happen before the byte
;; is read (a switch on the new counter sees the new value), the switch's
;; own blocks start in between, and a fetch out of bounds traps.
;;
;; Opcodes: 0 halt, 1 n += 1, 2 n += 2 (anything larger halts).

(module
  (memory 1)
  (data (i32.const 0) "\01\01\02\00")
  (data (i32.const 100) "\02\02\02\01\05")

  ;; Reads code[pc] through a copy p, then pc++: counts until halt.
  (func (export "run") (param $pc i32) (result i32)
    (local $p i32) (local $n i32)
    (block $halt
      (loop $next
        (local.set $p (i32.add (i32.shl (local.get $pc) (i32.const 0)) (i32.const 0)))
        (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
        (block $one
          (block $two
            (br_table $halt $one $two $halt (i32.load8_u (local.get $p))))
          (local.set $n (i32.add (local.get $n) (i32.const 2)))
          (br $next))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $next)))
    (i32.add (i32.mul (local.get $n) (i32.const 1000)) (local.get $pc)))

  ;; Steps pc first, then switches on code[pc] (the new pc).
  (func (export "run-new") (param $pc i32) (result i32)
    (local $n i32)
    (block $halt
      (loop $next
        (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
        (block $one
          (block $two
            (br_table $halt $one $two $halt (i32.load8_u (local.get $pc))))
          (local.set $n (i32.add (local.get $n) (i32.const 2)))
          (br $next))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $next)))
    (i32.add (i32.mul (local.get $n) (i32.const 1000)) (local.get $pc))))

(assert_return (invoke "run" (i32.const 0)) (i32.const 4004))
(assert_return (invoke "run" (i32.const 2)) (i32.const 2004))
(assert_return (invoke "run" (i32.const 100)) (i32.const 7105))
(assert_return (invoke "run-new" (i32.const -1)) (i32.const 4003))
(assert_return (invoke "run-new" (i32.const 0)) (i32.const 3003))
(assert_return (invoke "run-new" (i32.const 99)) (i32.const 7104))
(assert_return (invoke "run" (i32.const 65535)) (i32.const 65536))
(assert_trap (invoke "run" (i32.const 65536)) "out of bounds memory access")
(assert_trap (invoke "run-new" (i32.const 65535)) "out of bounds memory access")
