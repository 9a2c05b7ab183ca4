;; Float arithmetic whose operand is a constant but not a literal (a lane
;; extracted from a `v128.const` is a constant expression to LLVM): the
;; compiler once read it as a literal and crashed the host process.

(module
  (func (export "f64-lane-add") (param f64) (result f64)
    (f64.add
      (f64x2.extract_lane 0 (v128.const i32x4 1422240376 1279064831 1868744968 760721737))
      (local.get 0)))
  (func (export "f32-lane-mul") (param f32) (result f32)
    (f32.mul (local.get 0) (f32x4.extract_lane 3 (v128.const f32x4 0 0 0 1.0))))
  (func (export "f64-lane-sub-zero") (result f64)
    (f64.sub
      (f64x2.extract_lane 1 (v128.const i64x2 0 0x7ff4000000000000))
      (f64x2.extract_lane 0 (v128.const f64x2 0 0))))
)

(assert_return (invoke "f64-lane-add" (f64.const 0.5)) (f64.const 0x1.cfaff54c5aa78p+196))
(assert_return (invoke "f32-lane-mul" (f32.const -2.5)) (f32.const -2.5))
;; A signalling NaN minus zero is an arithmetic (quiet) NaN.
(assert_return (invoke "f64-lane-sub-zero") (f64.const nan:arithmetic))
