//! Executes compiled x86_64 code in-process (MCJIT) and checks results and
//! traps against wasm semantics.

#![cfg(target_arch = "x86_64")]

mod support;

use kiln_format::TrapCode;
use support::{status_in_child, Jit};

type FnI32I32 = extern "C" fn(*mut u8, i32) -> i32;
type FnI32I32I32 = extern "C" fn(*mut u8, i32, i32) -> i32;
type FnI64I64I64 = extern "C" fn(*mut u8, i64, i64) -> i64;
type FnF64F64F64 = extern "C" fn(*mut u8, f64, f64) -> f64;
type FnF32F32 = extern "C" fn(*mut u8, f32) -> f32;
type FnF64I32 = extern "C" fn(*mut u8, f64) -> i32;

/// Casts a JIT address to a function pointer of type `F`.
///
/// # Safety
/// `addr` must be a function with exactly the native signature `F`.
unsafe fn cast<F: Copy>(addr: usize) -> F {
    assert_eq!(std::mem::size_of::<F>(), std::mem::size_of::<usize>());
    // SAFETY: guaranteed by the caller; `F` is a function pointer type.
    unsafe { std::mem::transmute_copy(&addr) }
}

fn trap_status(code: TrapCode) -> i32 {
    100 + code.as_u32() as i32
}

#[test]
fn fib_recursion_through_the_function_table() {
    let mut jit = Jit::new(
        r#"(module
          (func $fib (param $n i32) (result i32)
            (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
              (then (local.get $n))
              (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                             (call $fib (i32.sub (local.get $n) (i32.const 2))))))))"#,
        false,
        &[],
    );
    // SAFETY: function 0 is `(i32) -> i32`.
    let fib: FnI32I32 = unsafe { cast(jit.func(0)) };
    let vmctx = jit.vmctx();
    assert_eq!(fib(vmctx, 20), 6765);
    assert_eq!(fib(vmctx, 1), 1);
}

#[test]
fn loops_br_table_and_multi_value_blocks() {
    let mut jit = Jit::new(
        r#"(module
          (func (param $n i32) (result i32) (local $acc i32)
            (block $done
              (loop $top
                (br_if $done (i32.eqz (local.get $n)))
                (local.set $acc (i32.add (local.get $acc) (local.get $n)))
                (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                (br $top)))
            (local.get $acc))
          (func (param i32) (result i32)
            (block $c (block $b (block $a
              (br_table $a $b $c (local.get 0)))
              (return (i32.const 10)))
              (return (i32.const 20)))
            (i32.const 30))
          (func (param i32 i32) (result i32)
            (local.get 0) (local.get 1)
            (block (param i32 i32) (result i32 i32)
              (br_if 0 (i32.const 1))
              (drop) (drop) (i32.const 0) (i32.const 0))
            (i32.sub))
          (func (param i32) (result i32)
            (i32.const 5)
            (br_table 0 0 0 (local.get 0))))"#,
        false,
        &[],
    );
    let vmctx = jit.vmctx();
    // SAFETY: the signatures match the module's functions.
    let (sum, table, multi, valued): (FnI32I32, FnI32I32, FnI32I32I32, FnI32I32) = unsafe {
        (
            cast(jit.func(0)),
            cast(jit.func(1)),
            cast(jit.func(2)),
            cast(jit.func(3)),
        )
    };
    assert_eq!(sum(vmctx, 100), 5050);
    assert_eq!(table(vmctx, 0), 10);
    assert_eq!(table(vmctx, 1), 20);
    assert_eq!(table(vmctx, 2), 30);
    assert_eq!(table(vmctx, 99), 30);
    assert_eq!(multi(vmctx, 9, 4), 5);
    assert_eq!(valued(vmctx, 7), 5);
}

#[test]
fn multi_value_results_use_the_return_area() {
    let mut jit = Jit::new(
        r#"(module
          (func $three (param i32) (result i32 i64 f64)
            (local.get 0) (i64.const 40) (f64.const 0.5))
          (func (param i32) (result i32) (local $a i32) (local $b i64) (local $c f64)
            (call $three (local.get 0))
            (local.set $c) (local.set $b) (local.set $a)
            (i32.add (local.get $a)
              (i32.add (i32.trunc_f64_s (f64.mul (local.get $c) (f64.const 2)))
                       (i32.wrap_i64 (i64.add (local.get $b) (i64.const 2)))))))"#,
        false,
        &[],
    );
    let vmctx = jit.vmctx();
    // SAFETY: function 1 is `(i32) -> i32`.
    let f: FnI32I32 = unsafe { cast(jit.func(1)) };
    assert_eq!(f(vmctx, 100), 143);
}

#[test]
fn integer_and_float_semantics() {
    let mut jit = Jit::new(
        r#"(module
          (func (param i64 i64) (result i64) (i64.rem_s (local.get 0) (local.get 1)))
          (func (param i64 i64) (result i64) (i64.rotl (local.get 0) (local.get 1)))
          (func (param f64 f64) (result f64) (f64.min (local.get 0) (local.get 1)))
          (func (param f64 f64) (result f64) (f64.max (local.get 0) (local.get 1)))
          (func (param f32) (result f32) (f32.nearest (local.get 0)))
          (func (param f64) (result i32) (i32.trunc_sat_f64_u (local.get 0)))
          (func (param i32 i32) (result i32) (i32.shl (local.get 0) (local.get 1))))"#,
        false,
        &[],
    );
    let vmctx = jit.vmctx();
    // SAFETY: the signatures match the module's functions.
    unsafe {
        let rem: FnI64I64I64 = cast(jit.func(0));
        assert_eq!(rem(vmctx, i64::MIN, -1), 0);
        assert_eq!(rem(vmctx, -7, 2), -1);
        let rotl: FnI64I64I64 = cast(jit.func(1));
        assert_eq!(rotl(vmctx, 1, 65), 2);
        let min: FnF64F64F64 = cast(jit.func(2));
        assert!(min(vmctx, f64::NAN, 1.0).is_nan());
        assert!(min(vmctx, 0.0, -0.0).is_sign_negative());
        let max: FnF64F64F64 = cast(jit.func(3));
        assert!(max(vmctx, -0.0, 0.0).is_sign_positive());
        assert!(max(vmctx, 1.0, f64::NAN).is_nan());
        let nearest: FnF32F32 = cast(jit.func(4));
        assert_eq!(nearest(vmctx, 2.5), 2.0);
        assert_eq!(nearest(vmctx, -3.5), -4.0);
        assert!(nearest(vmctx, -0.2).is_sign_negative());
        let sat: FnF64I32 = cast(jit.func(5));
        assert_eq!(sat(vmctx, 1e12), -1);
        assert_eq!(sat(vmctx, -5.0), 0);
        assert_eq!(sat(vmctx, f64::NAN), 0);
        let shl: FnI32I32I32 = cast(jit.func(6));
        assert_eq!(shl(vmctx, 1, 33), 2);
    }
}

#[test]
fn memory_globals_and_grow() {
    let mut jit = Jit::new(
        r#"(module
          (memory 1 4)
          (global $g (mut i64) (i64.const 0))
          (func (param i32 i32) (result i32)
            (i32.store16 offset=3 (local.get 0) (local.get 1))
            (global.set $g (i64.load16_s offset=3 (local.get 0)))
            (i32.wrap_i64 (global.get $g)))
          (func (param i32) (result i32)
            (drop (memory.grow (local.get 0)))
            (memory.size)))"#,
        true,
        &[],
    );
    let vmctx = jit.vmctx();
    // SAFETY: the signatures match the module's functions.
    let (store, grow): (FnI32I32I32, FnI32I32) = unsafe { (cast(jit.func(0)), cast(jit.func(1))) };
    assert_eq!(store(vmctx, 100, 0xffff), -1);
    assert_eq!(jit.memory[103], 0xff);
    assert_eq!(
        u64::from_le_bytes(jit.globals[0].bits[..8].try_into().unwrap()),
        u64::MAX
    );
    assert_eq!(grow(vmctx, 2), 3);
    assert_eq!(jit.memory_length(), 3 * 65536);
    assert_eq!(grow(vmctx, 5), 3);
}

#[test]
fn traps_report_their_codes() {
    let mut jit = Jit::new(
        r#"(module
          (type $ii (func (param i32) (result i32)))
          (type $v (func))
          (table 3 funcref)
          (memory 1)
          (func (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
          (func (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
          (func (param i32) (result i32) (i32.load offset=65533 (local.get 0)))
          (func (param i32) (result i32) (call_indirect (type $ii) (i32.const 7) (local.get 0)))
          (func $id (type $ii) (local.get 0))
          (func $nothing (type $v))
          (func $deep (param i32) (result i32) (call $deep (local.get 0)))
          (func (param i32) (result i32) unreachable))"#,
        true,
        &[Some(4), Some(5), None],
    );
    let vmctx = jit.vmctx() as usize;
    // SAFETY: the function has exactly this native signature.
    let div: FnI32I32I32 = unsafe { cast(jit.func(0)) };
    let st = |f: &dyn Fn()| status_in_child(f);
    assert_eq!(
        st(&|| {
            div(vmctx as *mut u8, 1, 0);
        }),
        trap_status(TrapCode::IntegerDivideByZero)
    );
    assert_eq!(
        st(&|| {
            div(vmctx as *mut u8, i32::MIN, -1);
        }),
        trap_status(TrapCode::IntegerOverflow)
    );
    assert_eq!(st(&|| assert_eq!(div(vmctx as *mut u8, 7, -2), -3)), 0);

    // SAFETY: the function has exactly this native signature.
    let trunc: FnF64I32 = unsafe { cast(jit.func(1)) };
    assert_eq!(
        st(&|| {
            trunc(vmctx as *mut u8, f64::NAN);
        }),
        trap_status(TrapCode::InvalidConversionToInteger)
    );
    assert_eq!(
        st(&|| {
            trunc(vmctx as *mut u8, 2147483648.0);
        }),
        trap_status(TrapCode::IntegerOverflow)
    );
    assert_eq!(
        st(&|| assert_eq!(trunc(vmctx as *mut u8, -2147483648.9), i32::MIN)),
        0
    );

    // SAFETY: the function has exactly this native signature.
    let load: FnI32I32 = unsafe { cast(jit.func(2)) };
    assert_eq!(
        st(&|| {
            load(vmctx as *mut u8, 0);
        }),
        trap_status(TrapCode::MemoryOutOfBounds)
    );

    // SAFETY: the function has exactly this native signature.
    let indirect: FnI32I32 = unsafe { cast(jit.func(3)) };
    assert_eq!(st(&|| assert_eq!(indirect(vmctx as *mut u8, 0), 7)), 0);
    assert_eq!(
        st(&|| {
            indirect(vmctx as *mut u8, 1);
        }),
        trap_status(TrapCode::IndirectCallTypeMismatch)
    );
    assert_eq!(
        st(&|| {
            indirect(vmctx as *mut u8, 2);
        }),
        trap_status(TrapCode::UninitializedElement)
    );
    assert_eq!(
        st(&|| {
            indirect(vmctx as *mut u8, 3);
        }),
        trap_status(TrapCode::UndefinedElement)
    );

    // SAFETY: the function has exactly this native signature.
    let deep: FnI32I32 = unsafe { cast(jit.func(6)) };
    assert_eq!(
        st(&|| {
            deep(vmctx as *mut u8, 0);
        }),
        trap_status(TrapCode::StackOverflow)
    );

    // SAFETY: the function has exactly this native signature.
    let unreachable: FnI32I32 = unsafe { cast(jit.func(7)) };
    assert_eq!(
        st(&|| {
            unreachable(vmctx as *mut u8, 0);
        }),
        trap_status(TrapCode::Unreachable)
    );
}
