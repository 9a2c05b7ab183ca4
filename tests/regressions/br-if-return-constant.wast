;; A `br_if` out of the function whose value is a constant, not taken, then
;; a later branch returning that value: the interpreter materialised the
;; constant only on the taken path of the first `br_if`, so the second one
;; returned a stale slot (found by differential fuzzing, seed 18302).

(module
  (func (export "const-then-return") (param i32) (result i64)
    (i64.const 1)
    (br_if 0 (local.get 0))
    (br_if 0 (i32.const 1))
    (drop)
    (i64.const 2))
  (func (export "const-then-fallthrough") (param i32) (result i64)
    (i64.const 7)
    (br_if 0 (local.get 0))
    (i64.const 3)
    (i64.add))
  (func (export "two-constants") (param i32) (result i32 f64)
    (i32.const 5)
    (f64.const 2.5)
    (br_if 0 (local.get 0))
    (return))
)

(assert_return (invoke "const-then-return" (i32.const 0)) (i64.const 1))
(assert_return (invoke "const-then-return" (i32.const 1)) (i64.const 1))
(assert_return (invoke "const-then-fallthrough" (i32.const 0)) (i64.const 10))
(assert_return (invoke "const-then-fallthrough" (i32.const 1)) (i64.const 7))
(assert_return (invoke "two-constants" (i32.const 0)) (i32.const 5) (f64.const 2.5))
(assert_return (invoke "two-constants" (i32.const 1)) (i32.const 5) (f64.const 2.5))
