//! Trap backtraces in every mode: `tests/backtrace/trap.wat` traps three
//! calls deep in five ways, and each trap carries its wasm frames, innermost
//! first, with names and module offsets (LLVM code too, inlined functions
//! included); a trap crossing a host function carries the frames on both
//! sides of it.

use kiln_runtime::{
    Caller, Config, Engine, Error, FrameInfo, Func, FuncType, Linker, Module, RunningMode, Store,
    Trap, TrapCode, Val, ValType, WasmBacktrace,
};
use kiln_tests::operators::{nth_offset, operators, Operators};
use kiln_tests::Mode;

const TRAP_WAT: &str = include_str!("../backtrace/trap.wat");

/// Defined functions of trap.wat (no imports: index = definition order).
const INNER: u32 = 0;
const MIDDLE: u32 = 1;
const MAIN: u32 = 2;
const RECURSE: u32 = 3;

type Ops = Operators;

/// The offset of the first operator of function `func` whose debug form
/// starts with `what`.
fn offset_of(ops: &Ops, func: u32, what: &str) -> usize {
    nth_offset(ops, func, what, 0)
}

/// (function index, name, offset) of a frame.
type Shape<'a> = (u32, Option<&'a str>, Option<usize>);

fn shape(f: &FrameInfo) -> Shape<'_> {
    (f.func_index(), f.func_name(), f.module_offset())
}

fn trap_of(e: &Error) -> &Trap {
    e.as_trap().unwrap_or_else(|| panic!("not a trap: {e}"))
}

fn backtrace(e: &Error) -> &WasmBacktrace {
    trap_of(e)
        .backtrace()
        .unwrap_or_else(|| panic!("no backtrace: {e}"))
}

/// Asserts that `got` shows the frames `want`: functions, names and
/// module offsets (every mode records them; LLVM code through
/// `.kiln.sites`, with the frames of functions it inlined).
fn assert_frames(got: &[Shape<'_>], want: &[Shape<'_>], what: &str) {
    assert_eq!(got, want, "{what}");
}

/// trap.wat instantiated with `engine` in `mode`: the store, its `main`
/// and the offsets of its operators.
fn instantiate(engine: &Engine, mode: Mode) -> (Store<()>, Func, Ops, Module) {
    let wasm = wat::parse_str(TRAP_WAT).unwrap();
    let module = kiln_tests::compile_in(engine, mode, &wasm).unwrap();
    let mut store = Store::new(engine, ());
    let instance = Linker::new().instantiate(&mut store, &module).unwrap();
    let main = instance.get_func(&store, "main").unwrap();
    (store, main, operators(&wasm), module)
}

/// Runs `main(kind)` of trap.wat with `engine` in `mode` and checks every
/// trap's frames; returns the module.
fn check_mode(engine: &Engine, mode: Mode) -> Module {
    let (mut store, main, ops, module) = instantiate(engine, mode);
    let name = mode.name();
    let outer = [
        (
            MIDDLE,
            Some("middle"),
            Some(offset_of(&ops, MIDDLE, "call")),
        ),
        (MAIN, Some("main"), Some(offset_of(&ops, MAIN, "call"))),
    ];
    let cases = [
        (TrapCode::MemoryOutOfBounds, "I32Load"),
        (TrapCode::Unreachable, "Unreachable"),
        (TrapCode::IntegerDivideByZero, "I32DivS"),
        (TrapCode::IndirectCallTypeMismatch, "CallIndirect"),
    ];
    for (kind, (code, op)) in cases.iter().enumerate() {
        let mut r = [Val::I32(0)];
        let e = main
            .call(&mut store, &[Val::I32(kind as i32)], &mut r)
            .unwrap_err();
        assert_eq!(trap_of(&e).code(), *code, "{name}: {e}");
        let frames: Vec<_> = backtrace(&e).frames().iter().map(shape).collect();
        let inner = (INNER, Some("inner"), Some(offset_of(&ops, INNER, op)));
        assert_frames(
            &frames,
            &[inner, outer[0], outer[1]],
            &format!("{name}: {op}"),
        );
    }
    let mut r = [Val::I32(0)];
    let e = main.call(&mut store, &[Val::I32(4)], &mut r).unwrap_err();
    assert_eq!(trap_of(&e).code(), TrapCode::StackOverflow, "{name}");
    let bt = backtrace(&e);
    let frames: Vec<_> = bt.frames().iter().map(shape).collect();
    let n = frames.len();
    assert!(bt.elided() > 1000, "{name}: {} elided", bt.elided());
    assert_eq!(n, WasmBacktrace::HEAD + WasmBacktrace::TAIL, "{name}");
    // `recurse` at its start, at its call of itself many times over, then
    // `inner` at its call of it, `middle`, `main`.
    let start = (RECURSE, Some("recurse"), Some(ops[RECURSE as usize][0].0));
    let again = (
        RECURSE,
        Some("recurse"),
        Some(offset_of(&ops, RECURSE, "call")),
    );
    let inner = (INNER, Some("inner"), Some(offset_of(&ops, INNER, "call")));
    let mut want = vec![start];
    want.extend(std::iter::repeat_n(again, WasmBacktrace::HEAD - 1));
    assert_frames(
        &frames[..WasmBacktrace::HEAD],
        &want,
        &format!("{name}: overflow, innermost"),
    );
    let tail = &frames[WasmBacktrace::HEAD..];
    let mut want = vec![again; tail.len() - 3];
    want.extend([inner, outer[0], outer[1]]);
    assert_frames(tail, &want, &format!("{name}: overflow, outermost"));
    module
}

/// `via_host` of a second module calls a host function that calls `main`
/// of trap.wat, which traps: the frames of both modules, in order.
fn check_through_host(engine: &Engine, mode: Mode) {
    let (mut store, main, ops, _) = instantiate(engine, mode);
    let ty = FuncType::new([ValType::I32], [ValType::I32]);
    let reenter = Func::new(&mut store, ty, move |mut caller: Caller<'_, ()>, p, r| {
        main.call(&mut caller, p, r).map_err(|e| match e {
            Error::Trap(t) => t,
            other => Trap::host(other.to_string()),
        })
    });
    let outer_wat = r#"(module $outer
      (import "env" "reenter" (func $reenter (param i32) (result i32)))
      (func $via_host (export "via_host") (param i32) (result i32)
        (i32.add (call $reenter (local.get 0)) (i32.const 1))))"#;
    let outer_wasm = wat::parse_str(outer_wat).unwrap();
    let outer_module: Module = kiln_tests::compile_in(engine, mode, &outer_wasm).unwrap();
    let mut linker = Linker::new();
    linker.define("env", "reenter", reenter);
    let outer = linker.instantiate(&mut store, &outer_module).unwrap();
    let via_host = outer.get_func(&store, "via_host").unwrap();
    let mut r = [Val::I32(0)];
    let e = via_host
        .call(&mut store, &[Val::I32(1)], &mut r)
        .unwrap_err();
    assert_eq!(
        trap_of(&e).code(),
        TrapCode::Unreachable,
        "{}: {e}",
        mode.name()
    );
    let bt = backtrace(&e);
    let frames: Vec<_> = bt.frames().iter().map(shape).collect();
    let outer_call = offset_of(&operators(&outer_wasm), 0, "call");
    let want = [
        (
            INNER,
            Some("inner"),
            Some(offset_of(&ops, INNER, "Unreachable")),
        ),
        (
            MIDDLE,
            Some("middle"),
            Some(offset_of(&ops, MIDDLE, "call")),
        ),
        (MAIN, Some("main"), Some(offset_of(&ops, MAIN, "call"))),
        (1, Some("via_host"), Some(outer_call)),
    ];
    assert_frames(
        &frames,
        &want,
        &format!("{}: through a host function", mode.name()),
    );
    let modules: Vec<_> = bt.frames().iter().map(FrameInfo::module_name).collect();
    let (last, inside) = modules.split_last().unwrap();
    assert_eq!(*last, Some("outer"), "{}", mode.name());
    assert!(
        inside.iter().all(Option::is_none),
        "{}: {modules:?}",
        mode.name()
    );
}

/// Both checks in the mode named `name`.
fn check(name: &str) {
    let mode: Mode = name.parse().unwrap();
    if mode.check().is_err() {
        eprintln!("skipped: {name} is not supported here");
        return;
    }
    let engine = kiln_tests::engine_for(mode).unwrap();
    check_mode(&engine, mode);
    check_through_host(&engine, mode);
}

#[test]
fn interp_backtraces() {
    check("interp");
}

#[test]
fn fast_jit_backtraces() {
    check("fast-jit");
}

#[test]
fn llvm_jit_backtraces() {
    check("llvm-jit");
}

#[test]
fn aot_backtraces() {
    check("aot");
}

/// Multi-tier, as a program starts: Fast JIT code.
#[test]
fn multi_tier_backtraces() {
    check("multi-tier");
}

/// Multi-tier with every function moved to LLVM code on its first call
/// (compiled at once): frames of both tiers, calling each other.
#[test]
fn multi_tier_tiered_up_backtraces() {
    let mode: Mode = "multi-tier".parse().unwrap();
    if mode.check().is_err() {
        return;
    }
    let config = Config {
        tier_up_threshold: 1,
        tier_up_sync: true,
        ..kiln_tests::config_for(RunningMode::MultiTierJit)
    };
    let engine = Engine::new(config).unwrap();
    let module = check_mode(&engine, mode);
    let tiered = module.tier_stats().map_or(0, |t| t.tiered);
    assert!(tiered > 0, "no function moved to LLVM code");
    check_through_host(&engine, mode);
}

/// Compiles `wasm` in `mode` and calls its export `name(arg) -> i32`,
/// which must fail: the error, and the module.
fn call_failing(engine: &Engine, mode: Mode, wasm: &[u8], name: &str, arg: i32) -> (Error, Module) {
    let module = kiln_tests::compile_in(engine, mode, wasm).unwrap();
    let mut store = Store::new(engine, ());
    let instance = Linker::new().instantiate(&mut store, &module).unwrap();
    let f = instance.get_func(&store, name).unwrap();
    let mut r = [Val::I32(0)];
    let e = f.call(&mut store, &[Val::I32(arg)], &mut r).unwrap_err();
    (e, module)
}

/// A loop LLVM code versions (a fast copy while every access stays in
/// bounds, the precise copy after): its fault has the load's offset in
/// every mode.
#[test]
fn versioned_loop_faults_at_its_load() {
    let wat = r#"(module (memory 1)
      (func $sum (export "sum") (param $n i32) (result i32) (local $i i32) (local $s i32)
        (loop $l
          (local.set $s (i32.add (local.get $s)
            (i32.load (i32.mul (local.get $i) (i32.const 4)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.ne (local.get $i) (local.get $n))))
        (local.get $s)))"#;
    let wasm = wat::parse_str(wat).unwrap();
    let load = offset_of(&operators(&wasm), 0, "I32Load");
    for name in ["interp", "fast-jit", "llvm-jit", "aot", "multi-tier"] {
        let mode: Mode = name.parse().unwrap();
        if mode.check().is_err() {
            continue;
        }
        let engine = kiln_tests::engine_for(mode).unwrap();
        let (e, _) = call_failing(&engine, mode, &wasm, "sum", 20000);
        assert_eq!(trap_of(&e).code(), TrapCode::MemoryOutOfBounds, "{name}");
        let frames: Vec<_> = backtrace(&e).frames().iter().map(shape).collect();
        assert_eq!(frames, [(0, Some("sum"), Some(load))], "{name}");
    }
}

/// A trap in an OSR entry (tier-up in the middle of a loop): the Fast JIT
/// frame that moved into it is the same activation, not a frame of its own.
#[test]
fn osr_entry_is_one_frame() {
    let mode: Mode = "multi-tier".parse().unwrap();
    if mode.check().is_err() {
        return;
    }
    let wat = r#"(module (memory 1)
      (func $sum (param $n i32) (result i32) (local $i i32) (local $s i32)
        (loop $l
          (local.set $s (i32.add (local.get $s)
            (i32.load (i32.mul (local.get $i) (i32.const 4)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.ne (local.get $i) (local.get $n))))
        (local.get $s))
      (func $main (export "main") (param $n i32) (result i32)
        (call $sum (local.get $n))))"#;
    let wasm = wat::parse_str(wat).unwrap();
    let ops = operators(&wasm);
    let (load, call) = (offset_of(&ops, 0, "I32Load"), offset_of(&ops, 1, "call"));
    let config = Config {
        tier_up_threshold: 1,
        tier_up_sync: true,
        ..kiln_tests::config_for(RunningMode::MultiTierJit)
    };
    let engine = Engine::new(config).unwrap();
    let (e, module) = call_failing(&engine, mode, &wasm, "main", 20000);
    assert_eq!(trap_of(&e).code(), TrapCode::MemoryOutOfBounds);
    let stats = module.tier_stats().unwrap();
    assert!(
        stats.loop_transfers > 0,
        "no frame moved into an OSR entry: {stats:?}"
    );
    let frames: Vec<_> = backtrace(&e).frames().iter().map(shape).collect();
    assert_eq!(
        frames,
        [(0, Some("sum"), Some(load)), (1, Some("main"), Some(call))]
    );
}
