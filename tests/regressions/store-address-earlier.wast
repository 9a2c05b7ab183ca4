;; A store whose address (a local plus a constant) is computed before the
;; value: the interpreter lets the store add the constant itself and drops
;; the add. The sum must wrap modulo 2^32 as the i32.add did, use the
;; local's value from before the value was computed (even when computing
;; it sets the local), and trap out of bounds without a write.

(module
  (memory 1)
  (func $three (param $x i32) (result i32) (i32.mul (local.get $x) (i32.const 3)))

  ;; p[2] = x * 3 + 1 (32-bit words), returns what is there after. (Each
  ;; function first computes an unused $t: the add to remove may not be a
  ;; function's first op, which could be a branch target.)
  (func (export "put") (param $p i32) (param $x i32) (result i32)
    (local $t i32)
    (local.set $t (i32.xor (local.get $p) (local.get $x)))
    (i32.store (i32.add (local.get $p) (i32.const 8))
      (i32.add (i32.mul (local.get $x) (i32.const 3)) (i32.const 1)))
    (i32.load (i32.add (local.get $p) (i32.const 8))))

  ;; The value sets p: the address is the old p + 4.
  (func (export "reset") (param $p i32) (result i32)
    (local $old i32)
    (local.set $old (local.get $p))
    (i32.store (i32.add (local.get $p) (i32.const 4))
      (i32.add (local.tee $p (i32.const 100)) (i32.const 7)))
    (i32.add
      (i32.mul (i32.load (i32.add (local.get $old) (i32.const 4))) (i32.const 1000))
      (local.get $p)))

  ;; i64 and byte stores, the value made by a call in between.
  (func (export "wide") (param $p i32) (param $x i64) (result i64)
    (local $t i32)
    (local.set $t (i32.xor (local.get $p) (local.get $p)))
    (i64.store (i32.add (local.get $p) (i32.const 16))
      (i64.mul (local.get $x) (i64.const 5)))
    (i64.load (i32.add (local.get $p) (i32.const 16))))
  (func (export "byte") (param $p i32) (param $x i32) (result i32)
    (local $t i32)
    (local.set $t (i32.xor (local.get $p) (local.get $x)))
    (i32.store8 (i32.add (local.get $p) (i32.const 3))
      (call $three (local.get $x)))
    (i32.load8_u offset=3 (local.get $p)))

  (func (export "peek") (param $a i32) (result i32) (i32.load (local.get $a))))

(assert_return (invoke "put" (i32.const 0) (i32.const 5)) (i32.const 16))
(assert_return (invoke "put" (i32.const 100) (i32.const -1)) (i32.const -2))
;; -8 + 8 wraps to address 0.
(assert_return (invoke "put" (i32.const -8) (i32.const 2)) (i32.const 7))
(assert_return (invoke "peek" (i32.const 0)) (i32.const 7))
(assert_trap (invoke "put" (i32.const 65530) (i32.const 9)) "out of bounds memory access")
(assert_return (invoke "put" (i32.const -4) (i32.const 9)) (i32.const 28))
(assert_trap (invoke "put" (i32.const -9) (i32.const 9)) "out of bounds memory access")
(assert_return (invoke "peek" (i32.const 65532)) (i32.const 0))
(assert_return (invoke "reset" (i32.const 40)) (i32.const 107100))
(assert_return (invoke "reset" (i32.const -4)) (i32.const 107100))
(assert_return (invoke "wide" (i32.const 8) (i64.const 7)) (i64.const 35))
(assert_return (invoke "wide" (i32.const -16) (i64.const -1)) (i64.const -5))
(assert_return (invoke "byte" (i32.const 64) (i32.const 100)) (i32.const 44))
(assert_trap (invoke "byte" (i32.const 65533) (i32.const 1)) "out of bounds memory access")
