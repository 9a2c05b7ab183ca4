;; Runs of local-to-local copies: the interpreter joins two in one op,
;; which must still copy one after the other (a later copy reads what an
;; earlier one wrote), also at a loop's back edge.

(module
  ;; a = b; b = c; c = a: (1, 2, 3) -> (2, 3, 2).
  (func (export "chain") (param $a i32) (param $b i32) (param $c i32) (result i32)
    (local.set $a (local.get $b))
    (local.set $b (local.get $c))
    (local.set $c (local.get $a))
    (i32.add (i32.add (i32.mul (local.get $a) (i32.const 100))
      (i32.mul (local.get $b) (i32.const 10))) (local.get $c)))
  ;; Four variables rotated n times: t = d; d = c; c = b; b = a; a = t + 1.
  (func (export "rotate") (param $n i32) (result i32)
    (local $a i32) (local $b i32) (local $c i32) (local $d i32) (local $t i32)
    (local.set $a (i32.const 1)) (local.set $b (i32.const 2))
    (local.set $c (i32.const 3)) (local.set $d (i32.const 4))
    (loop $l
      (local.set $t (local.get $d))
      (local.set $d (local.get $c))
      (local.set $c (local.get $b))
      (local.set $b (local.get $a))
      (local.set $a (i32.add (local.get $t) (i32.const 1)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i32.add (i32.add (i32.mul (local.get $a) (i32.const 1000))
      (i32.mul (local.get $b) (i32.const 100)))
      (i32.add (i32.mul (local.get $c) (i32.const 10)) (local.get $d)))))

(assert_return (invoke "chain" (i32.const 1) (i32.const 2) (i32.const 3)) (i32.const 232))
(assert_return (invoke "chain" (i32.const 7) (i32.const 0) (i32.const 5)) (i32.const 50))
(assert_return (invoke "rotate" (i32.const 1)) (i32.const 5123))
(assert_return (invoke "rotate" (i32.const 2)) (i32.const 4512))
(assert_return (invoke "rotate" (i32.const 5)) (i32.const 6234))
