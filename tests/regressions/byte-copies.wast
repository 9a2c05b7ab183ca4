;; i32.store8 of a byte just loaded by i32.load8_u: the interpreter copies
;; it in one op. The load and the store each trap at their own place (a
;; load out of bounds stores nothing; a store out of bounds after the
;; bytes before it were copied), addresses wrap where the add did, the
;; copy may overlap itself, and a byte also kept in a local is not lost.

(module
  (memory 1)
  (data (i32.const 0) "abcdefgh")
  (func $get (export "get") (param $p i32) (result i32) (i32.load8_u (local.get $p)))

  ;; Copies n bytes from s to d, four at a time (n a multiple of 4), as
  ;; an unrolled memcpy; returns the last byte written.
  (func (export "copy4") (param $d i32) (param $s i32) (param $n i32) (result i32)
    (local $k i32)
    (loop $l
      (i32.store8 (i32.add (local.get $d) (local.get $k)) (i32.load8_u (i32.add (local.get $s) (local.get $k))))
      (i32.store8 (i32.add (i32.add (local.get $d) (local.get $k)) (i32.const 1))
        (i32.load8_u (i32.add (i32.add (local.get $s) (local.get $k)) (i32.const 1))))
      (i32.store8 offset=2 (i32.add (local.get $d) (local.get $k))
        (i32.load8_u offset=2 (i32.add (local.get $s) (local.get $k))))
      (i32.store8 (i32.add (i32.add (local.get $d) (local.get $k)) (i32.const 3))
        (i32.load8_u offset=3 (i32.add (local.get $s) (local.get $k))))
      (br_if $l (i32.ne (local.tee $k (i32.add (local.get $k) (i32.const 4))) (local.get $n))))
    (call $get (i32.sub (i32.add (local.get $d) (local.get $n)) (i32.const 1))))

  ;; One byte, the byte also kept: 1000 * copied + kept.
  (func (export "kept") (param $d i32) (param $s i32) (result i32)
    (local $b i32)
    (i32.store8 (local.get $d) (local.tee $b (i32.load8_u (local.get $s))))
    (i32.add (i32.mul (call $get (local.get $d)) (i32.const 1000)) (local.get $b)))

  ;; One byte to d + 1, the address computed before the load.
  (func (export "wrap1") (param $d i32) (param $s i32) (result i32)
    (local $t i32)
    (local.set $t (i32.xor (local.get $d) (local.get $s)))
    (i32.store8 (i32.add (local.get $d) (i32.const 1)) (i32.load8_u (local.get $s)))
    (call $get (i32.add (local.get $d) (i32.const 1))))

  ;; To a constant address.
  (func (export "to100") (param $s i32) (result i32)
    (i32.store8 (i32.const 100) (i32.load8_u (local.get $s)))
    (call $get (i32.const 100))))

(assert_return (invoke "copy4" (i32.const 200) (i32.const 0) (i32.const 8)) (i32.const 0x68))
(assert_return (invoke "get" (i32.const 200)) (i32.const 0x61))
(assert_return (invoke "get" (i32.const 203)) (i32.const 0x64))
;; Overlapping, one byte ahead: "aaaa" after copying 4 from 0 to 1.
(assert_return (invoke "copy4" (i32.const 1) (i32.const 0) (i32.const 4)) (i32.const 0x61))
(assert_return (invoke "get" (i32.const 2)) (i32.const 0x61))
(assert_return (invoke "get" (i32.const 5)) (i32.const 0x66))
;; The source runs off the end: the first four bytes are copied, then the
;; load traps before its store.
(assert_trap (invoke "copy4" (i32.const 300) (i32.const 65532) (i32.const 8)) "out of bounds memory access")
(assert_return (invoke "get" (i32.const 303)) (i32.const 0))
;; The destination runs off the end at its last byte.
(assert_trap (invoke "copy4" (i32.const 65533) (i32.const 0) (i32.const 4)) "out of bounds memory access")
(assert_return (invoke "get" (i32.const 65535)) (i32.const 0x61))
;; d + 1 wraps to 0 (the add wrapped; an offset would not).
(assert_return (invoke "wrap1" (i32.const -1) (i32.const 6)) (i32.const 0x67))
(assert_return (invoke "get" (i32.const 0)) (i32.const 0x67))
(assert_return (invoke "kept" (i32.const 50) (i32.const 6)) (i32.const 103103))
(assert_return (invoke "to100" (i32.const 7)) (i32.const 0x68))
