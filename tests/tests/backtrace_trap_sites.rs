//! Exact module offsets of traps in LLVM code: a function with two
//! division sites of the same trap code, a small callee LLVM inlines that
//! traps like its caller does, and a faulting load whose value a
//! sign-extension chain uses, and one whose address add the interpreter
//! fuses into it. Each trap reports the operator that trapped
//! (and the call it was inlined at) in every mode, as the interpreter does.

use kiln_runtime::{Error, FrameInfo, Linker, Store, TrapCode, Val};
use kiln_tests::operators::{nth_offset, operators};
use kiln_tests::Mode;

const WAT: &str = r#"(module
  (memory 1)
  ;; Two sites that trap with the same code.
  (func $two_divs (export "two_divs") (param $a i32) (param $b i32) (param $c i32) (result i32)
    (i32.add
      (i32.div_s (local.get $a) (local.get $b))
      (i32.div_s (local.get $a) (local.get $c))))
  ;; Inlined into $caller, which traps with the same codes.
  (func $callee (param $x i32) (result i32)
    (if (i32.eq (local.get $x) (i32.const 3)) (then unreachable))
    (i32.div_u (i32.const 100) (local.get $x)))
  (func $caller (export "caller") (param $x i32) (param $y i32) (result i32)
    (if (i32.eq (local.get $y) (i32.const 3)) (then unreachable))
    (i32.add
      (call $callee (local.get $x))
      (i32.div_u (i32.const 7) (local.get $y))))
  ;; A store, then a load whose value only a sign-extension chain uses.
  (func $load (export "load") (param $p i32) (param $v i32) (result i64)
    (i32.store (i32.const 0) (local.get $v))
    (i64.extend8_s (i64.extend_i32_u (i32.load (local.get $p)))))
  ;; The interpreter fuses the address add into the load.
  (func $add_load (export "add_load") (param $p i32) (param $v i32) (result i32)
    (i32.load (i32.add (local.get $p) (i32.const 4)))))"#;

/// Function indices (no imports).
const TWO_DIVS: u32 = 0;
const CALLEE: u32 = 1;
const CALLER: u32 = 2;
const LOAD: u32 = 3;
const ADD_LOAD: u32 = 4;

/// Calls `name(args)`, which must trap with `code`; its frames as
/// (function, offset).
fn frames(
    store: &mut Store<()>,
    instance: &kiln_runtime::Instance,
    name: &str,
    args: &[Val],
    code: TrapCode,
) -> Vec<(u32, Option<usize>)> {
    let f = instance.get_func(&*store, name).unwrap();
    let mut r = [Val::I32(0)];
    let e = f.call(store, args, &mut r).unwrap_err();
    let Error::Trap(trap) = &e else {
        panic!("{name}: not a trap: {e}");
    };
    assert_eq!(trap.code(), code, "{name}: {e}");
    let bt = trap
        .backtrace()
        .unwrap_or_else(|| panic!("no backtrace: {e}"));
    bt.frames()
        .iter()
        .map(|f: &FrameInfo| (f.func_index(), f.module_offset()))
        .collect()
}

fn check(mode_name: &str) {
    let mode: Mode = mode_name.parse().unwrap();
    if mode.check().is_err() {
        eprintln!("skipped: {mode_name} is not supported here");
        return;
    }
    let wasm = wat::parse_str(WAT).unwrap();
    let ops = operators(&wasm);
    let engine = kiln_tests::engine_for(mode).unwrap();
    let module = kiln_tests::compile_in(&engine, mode, &wasm).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new().instantiate(&mut store, &module).unwrap();
    let div = TrapCode::IntegerDivideByZero;
    let i = Val::I32;
    let cases = [
        (
            "two_divs",
            [i(1), i(0), i(1)],
            div,
            vec![(TWO_DIVS, nth_offset(&ops, TWO_DIVS, "I32DivS", 0))],
        ),
        (
            "two_divs",
            [i(1), i(1), i(0)],
            div,
            vec![(TWO_DIVS, nth_offset(&ops, TWO_DIVS, "I32DivS", 1))],
        ),
        (
            "caller",
            [i(0), i(1), i(0)],
            div,
            vec![
                (CALLEE, nth_offset(&ops, CALLEE, "I32DivU", 0)),
                (CALLER, nth_offset(&ops, CALLER, "call", 0)),
            ],
        ),
        (
            "caller",
            [i(1), i(0), i(0)],
            div,
            vec![(CALLER, nth_offset(&ops, CALLER, "I32DivU", 0))],
        ),
        (
            "caller",
            [i(3), i(1), i(0)],
            TrapCode::Unreachable,
            vec![
                (CALLEE, nth_offset(&ops, CALLEE, "Unreachable", 0)),
                (CALLER, nth_offset(&ops, CALLER, "call", 0)),
            ],
        ),
        (
            "caller",
            [i(1), i(3), i(0)],
            TrapCode::Unreachable,
            vec![(CALLER, nth_offset(&ops, CALLER, "Unreachable", 0))],
        ),
        (
            "load",
            [i(-8), i(5), i(0)],
            TrapCode::MemoryOutOfBounds,
            vec![(LOAD, nth_offset(&ops, LOAD, "I32Load", 0))],
        ),
        (
            "add_load",
            [i(65534), i(0), i(0)],
            TrapCode::MemoryOutOfBounds,
            vec![(ADD_LOAD, nth_offset(&ops, ADD_LOAD, "I32Load", 0))],
        ),
    ];
    for (name, args, code, want) in cases {
        let args = if name == "two_divs" {
            &args[..]
        } else {
            &args[..2]
        };
        let got = frames(&mut store, &instance, name, args, code);
        let want: Vec<_> = want.into_iter().map(|(f, o)| (f, Some(o))).collect();
        assert_eq!(got, want, "{mode_name}: {name}{args:?}");
    }
}

#[test]
fn interp_trap_sites() {
    check("interp");
}

#[test]
fn llvm_jit_trap_sites() {
    check("llvm-jit");
}

#[test]
fn aot_trap_sites() {
    check("aot");
}
