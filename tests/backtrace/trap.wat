;; Traps three calls deep, for backtrace tests: `main(kind)` calls
;; `middle`, which calls `inner`, which traps by `kind`:
;;   0 out-of-bounds load, 1 unreachable, 2 i32.div_s by zero,
;;   3 call_indirect signature mismatch, 4 stack overflow (`recurse`
;;   calls itself until the stack runs out).
;; `middle` has no name of its own: backtraces name it by its export.
(module
  (type $v (func))
  (type $ii (func (param i32) (result i32)))
  (memory 1)
  (table 1 funcref)
  (elem (i32.const 0) $recurse)
  (func $inner (param $kind i32) (result i32)
    (block $overflow
      (block $mismatch
        (block $div
          (block $unreachable
            (block $oob
              (br_table $oob $unreachable $div $mismatch $overflow (local.get $kind)))
            (return (i32.load (i32.const 65536))))
          unreachable)
        (return (i32.div_s (i32.const 1) (i32.sub (local.get $kind) (i32.const 2)))))
      (call_indirect (type $v) (i32.const 0))
      (return (i32.const 0)))
    (call $recurse (i32.const 0)))
  (func (export "middle") (param i32) (result i32)
    (i32.add (call $inner (local.get 0)) (i32.const 1)))
  (func $main (export "main") (param i32) (result i32)
    (i32.add (call 1 (local.get 0)) (i32.const 1)))
  (func $recurse (param $depth i32) (result i32)
    ;; Memory is zero: always recurses; the store after the call keeps it
    ;; a real call.
    (if (i32.eqz (i32.load (i32.const 4)))
      (then (drop (call $recurse (i32.add (local.get $depth) (i32.const 1))))))
    (i32.store (i32.const 8) (local.get $depth))
    (local.get $depth)))
