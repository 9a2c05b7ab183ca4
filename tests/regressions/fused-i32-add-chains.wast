;; An i32.add of the result of an i32.add or i32.mul just computed: the
;; interpreter fuses the two into one op. Results wrap modulo 2^32 on
;; either side, with the other operand a local, a constant or a value
;; computed before.

(module
  (func (export "add-add") (param $a i32) (param $b i32) (param $c i32) (result i32)
    (i32.add (i32.add (local.get $a) (local.get $b)) (local.get $c)))
  (func (export "add-add-r") (param $a i32) (param $b i32) (param $c i32) (result i32)
    (i32.add (local.get $c) (i32.add (local.get $a) (local.get $b))))
  (func (export "mul-add") (param $a i32) (param $b i32) (param $c i32) (result i32)
    (i32.add (i32.mul (local.get $a) (local.get $b)) (local.get $c)))
  (func (export "mul-add-r") (param $a i32) (param $b i32) (param $c i32) (result i32)
    (i32.add (local.get $c) (i32.mul (local.get $a) (local.get $b))))
  ;; A constant on the left, a computed value on the left.
  (func (export "const-mul") (param $a i32) (param $b i32) (result i32)
    (i32.add (i32.const 0x7fffffff) (i32.mul (local.get $a) (local.get $b))))
  (func (export "sum-of-products") (param $a i32) (param $b i32) (param $c i32) (param $d i32) (result i32)
    (i32.add (i32.mul (local.get $a) (local.get $b)) (i32.mul (local.get $c) (local.get $d))))
  ;; An index computation in a loop: s += i * 7 + i + k, ten times.
  (func (export "loop") (param $k i32) (result i32)
    (local $i i32) (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s)
        (i32.add (i32.add (i32.mul (local.get $i) (i32.const 7)) (local.get $i)) (local.get $k))))
      (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 10))))
    (local.get $s)))

(assert_return (invoke "add-add" (i32.const 1) (i32.const 2) (i32.const 3)) (i32.const 6))
(assert_return (invoke "add-add" (i32.const -1) (i32.const 1) (i32.const 0x7fffffff)) (i32.const 0x7fffffff))
(assert_return (invoke "add-add" (i32.const 0x80000000) (i32.const 0x80000000) (i32.const 5)) (i32.const 5))
(assert_return (invoke "add-add-r" (i32.const 10) (i32.const 20) (i32.const -30)) (i32.const 0))
(assert_return (invoke "mul-add" (i32.const 6) (i32.const 7) (i32.const 8)) (i32.const 50))
(assert_return (invoke "mul-add" (i32.const 0x10000) (i32.const 0x10000) (i32.const 9)) (i32.const 9))
(assert_return (invoke "mul-add" (i32.const -3) (i32.const 5) (i32.const 1)) (i32.const -14))
(assert_return (invoke "mul-add-r" (i32.const 0x10001) (i32.const 0x10001) (i32.const -1)) (i32.const 0x20000))
(assert_return (invoke "const-mul" (i32.const 1) (i32.const 1)) (i32.const 0x80000000))
(assert_return (invoke "const-mul" (i32.const -1) (i32.const 1)) (i32.const 0x7ffffffe))
(assert_return (invoke "sum-of-products" (i32.const 2) (i32.const 3) (i32.const 4) (i32.const 5)) (i32.const 26))
(assert_return (invoke "sum-of-products" (i32.const 0x40000000) (i32.const 4) (i32.const -1) (i32.const 1)) (i32.const -1))
(assert_return (invoke "loop" (i32.const 0)) (i32.const 360))
(assert_return (invoke "loop" (i32.const -36)) (i32.const 0))
