;; An i32.store of a compare-select's result: the interpreter stores the
;; selected value in one op (a branchless merge's `out = x < y ? x : y`).
;; Every comparison, signed and unsigned, picks as the select did; a store
;; out of bounds traps and writes nothing; a result also kept in a local
;; stays there; a constant address still works.

(module
  (memory 1)
  (func $get (export "get") (param $p i32) (result i32) (i32.load (local.get $p)))

  (func (export "eq") (param $p i32) (param $x i32) (param $y i32) (result i32)
    (i32.store (local.get $p) (select (local.get $x) (local.get $y) (i32.eq (local.get $x) (local.get $y))))
    (call $get (local.get $p)))
  (func (export "lt_s") (param $p i32) (param $x i32) (param $y i32) (result i32)
    (i32.store (local.get $p) (select (local.get $x) (local.get $y) (i32.lt_s (local.get $x) (local.get $y))))
    (call $get (local.get $p)))
  (func (export "ge_s") (param $p i32) (param $x i32) (param $y i32) (result i32)
    (i32.store offset=4 (local.get $p) (select (local.get $x) (local.get $y) (i32.ge_s (local.get $x) (local.get $y))))
    (call $get (i32.add (local.get $p) (i32.const 4))))
  (func (export "gt_u") (param $p i32) (param $x i32) (param $y i32) (result i32)
    (i32.store (local.get $p) (select (local.get $x) (local.get $y) (i32.gt_u (local.get $x) (local.get $y))))
    (call $get (local.get $p)))
  (func (export "le_u") (param $p i32) (param $x i32) (param $y i32) (result i32)
    (i32.store (local.get $p) (select (local.get $x) (local.get $y) (i32.le_u (local.get $x) (local.get $y))))
    (call $get (local.get $p)))
  ;; The selected value is also kept in $m: 1000 * stored + $m.
  (func (export "kept") (param $p i32) (param $x i32) (param $y i32) (result i32)
    (local $m i32)
    (i32.store (local.get $p)
      (local.tee $m (select (local.get $x) (local.get $y) (i32.lt_u (local.get $x) (local.get $y)))))
    (i32.add (i32.mul (call $get (local.get $p)) (i32.const 1000)) (local.get $m)))
  ;; A constant address.
  (func (export "at16") (param $x i32) (param $y i32) (result i32)
    (i32.store (i32.const 16) (select (local.get $x) (local.get $y) (i32.gt_s (local.get $x) (local.get $y))))
    (call $get (i32.const 16))))

(assert_return (invoke "eq" (i32.const 0) (i32.const 5) (i32.const 5)) (i32.const 5))
(assert_return (invoke "eq" (i32.const 0) (i32.const 5) (i32.const 6)) (i32.const 6))
(assert_return (invoke "lt_s" (i32.const 8) (i32.const -1) (i32.const 1)) (i32.const -1))
(assert_return (invoke "lt_s" (i32.const 8) (i32.const 3) (i32.const -7)) (i32.const -7))
(assert_return (invoke "ge_s" (i32.const 8) (i32.const -1) (i32.const 1)) (i32.const 1))
(assert_return (invoke "ge_s" (i32.const 8) (i32.const 2) (i32.const 2)) (i32.const 2))
(assert_return (invoke "gt_u" (i32.const 12) (i32.const -1) (i32.const 1)) (i32.const -1))
(assert_return (invoke "gt_u" (i32.const 12) (i32.const 1) (i32.const 2)) (i32.const 2))
(assert_return (invoke "le_u" (i32.const 12) (i32.const -1) (i32.const 1)) (i32.const 1))
(assert_return (invoke "le_u" (i32.const 12) (i32.const 7) (i32.const 7)) (i32.const 7))
(assert_trap (invoke "lt_s" (i32.const 65533) (i32.const 1) (i32.const 2)) "out of bounds memory access")
(assert_return (invoke "get" (i32.const 65532)) (i32.const 0))
(assert_trap (invoke "ge_s" (i32.const 65530) (i32.const 1) (i32.const 2)) "out of bounds memory access")
(assert_return (invoke "kept" (i32.const 20) (i32.const 3) (i32.const 9)) (i32.const 3003))
(assert_return (invoke "kept" (i32.const 20) (i32.const -3) (i32.const 9)) (i32.const 9009))
(assert_return (invoke "at16" (i32.const 4) (i32.const 9)) (i32.const 9))
(assert_return (invoke "at16" (i32.const 40) (i32.const 9)) (i32.const 40))
