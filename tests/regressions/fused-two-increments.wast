;; A pointer stepped by a constant in place right before the counter step
;; that closes the loop (`p += k; if (n += d) continue`): the interpreter
;; fuses both adds and the branch into one op. The adds must still happen
;; in order, wrap around 2^32, happen when the same local is stepped
;; twice, and not be fused when a branch lands between them.

(module
  (memory 1)
  (data (i32.const 0) "\01\02\03\04\05\06\07\08")

  ;; The sum of n bytes from p.
  (func (export "sum") (param $p i32) (param $n i32) (result i32)
    (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.load8_u (local.get $p))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br_if $l (local.tee $n (i32.add (local.get $n) (i32.const -1)))))
    (local.get $s))

  ;; p after n steps of 3 (wrapping).
  (func (export "end") (param $p i32) (param $n i32) (result i32)
    (loop $l
      (local.set $p (i32.add (local.get $p) (i32.const 3)))
      (br_if $l (local.tee $n (i32.add (local.get $n) (i32.const -1)))))
    (local.get $p))

  ;; A step too large for the fused op's field: the ops stay apart.
  (func (export "end-far") (param $p i32) (param $n i32) (result i32)
    (loop $l
      (local.set $p (i32.add (local.get $p) (i32.const 70000)))
      (br_if $l (local.tee $n (i32.add (local.get $n) (i32.const -1)))))
    (local.get $p))

  ;; x += 2, then x -= 3 and loop while x != 0: iterations until x is 0.
  (func (export "same") (param $x i32) (result i32)
    (local $n i32)
    (loop $l
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (if (i32.ge_u (local.get $n) (i32.const 1000)) (then (return (local.get $n))))
      (local.set $x (i32.add (local.get $x) (i32.const 2)))
      (br_if $l (local.tee $x (i32.add (local.get $x) (i32.const -3)))))
    (local.get $n))

  ;; p += 10 only on even n: the branch that skips the step lands
  ;; between the step and the loop's test.
  (func (export "skip") (param $p i32) (param $n i32) (result i32)
    (loop $l
      (block $b
        (br_if $b (i32.and (local.get $n) (i32.const 1)))
        (local.set $p (i32.add (local.get $p) (i32.const 10))))
      (br_if $l (local.tee $n (i32.add (local.get $n) (i32.const -1)))))
    (local.get $p)))

(assert_return (invoke "sum" (i32.const 0) (i32.const 5)) (i32.const 15))
(assert_return (invoke "sum" (i32.const 3) (i32.const 5)) (i32.const 30))
(assert_return (invoke "sum" (i32.const 65530) (i32.const 6)) (i32.const 0))
(assert_trap (invoke "sum" (i32.const 65534) (i32.const 5)) "out of bounds memory access")
(assert_return (invoke "end" (i32.const 0) (i32.const 4)) (i32.const 12))
(assert_return (invoke "end" (i32.const -1) (i32.const 2)) (i32.const 5))
(assert_return (invoke "end" (i32.const 7) (i32.const 1)) (i32.const 10))
(assert_return (invoke "end-far" (i32.const 0) (i32.const 3)) (i32.const 210000))
(assert_return (invoke "end-far" (i32.const -70000) (i32.const 2)) (i32.const 70000))
(assert_return (invoke "same" (i32.const 5)) (i32.const 5))
(assert_return (invoke "same" (i32.const 1)) (i32.const 1))
(assert_return (invoke "same" (i32.const -2)) (i32.const 1000))
(assert_return (invoke "skip" (i32.const 0) (i32.const 4)) (i32.const 20))
(assert_return (invoke "skip" (i32.const 100) (i32.const 5)) (i32.const 120))
(assert_return (invoke "skip" (i32.const 0) (i32.const 1)) (i32.const 0))
