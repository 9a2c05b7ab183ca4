//! Trap backtraces in every mode: `tests/backtrace/trap.wat` traps three
//! calls deep in five ways, and each trap carries its wasm frames, innermost
//! first, with names and module offsets; a trap crossing a host function
//! carries the frames on both sides of it.

use kiln_runtime::{
    Caller, Engine, Error, FrameInfo, Func, FuncType, Linker, Module, Store, Trap, TrapCode, Val,
    ValType, WasmBacktrace,
};
use kiln_tests::Mode;
use wasmparser::{Operator, Parser, Payload};

const TRAP_WAT: &str = include_str!("../backtrace/trap.wat");

/// Defined functions of trap.wat (no imports: index = definition order).
const INNER: u32 = 0;
const MIDDLE: u32 = 1;
const MAIN: u32 = 2;
const RECURSE: u32 = 3;

/// By function body, the module offset and the name of each operator.
type Ops = Vec<Vec<(usize, String)>>;

/// The module offsets of every operator of each function body.
fn operators(wasm: &[u8]) -> Ops {
    let mut bodies = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        if let Payload::CodeSectionEntry(body) = payload.unwrap() {
            let mut ops = Vec::new();
            let mut reader = body.get_operators_reader().unwrap();
            while !reader.eof() {
                let (op, offset) = reader.read_with_offset().unwrap();
                let name = match op {
                    Operator::Call { .. } => "call".to_string(),
                    other => format!("{other:?}"),
                };
                ops.push((offset as usize, name));
            }
            bodies.push(ops);
        }
    }
    bodies
}

/// The offset of the first operator of function `func` whose debug form
/// starts with `what`.
fn offset_of(ops: &Ops, func: u32, what: &str) -> usize {
    ops[func as usize]
        .iter()
        .find(|(_, name)| name.starts_with(what))
        .unwrap_or_else(|| panic!("no {what} in function {func}"))
        .0
}

/// (function index, name, offset) of a frame.
fn shape(f: &FrameInfo) -> (u32, Option<&str>, Option<usize>) {
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

/// trap.wat instantiated in `mode`: the engine, the store, its `main`
/// and the offsets of its operators; `None` when the mode is not built.
fn instantiate(mode: Mode) -> Option<(Engine, Store<()>, Func, Ops)> {
    if mode.check().is_err() {
        eprintln!("skipped: {} is not supported here", mode.name());
        return None;
    }
    let engine = kiln_tests::engine_for(mode).unwrap();
    let wasm = wat::parse_str(TRAP_WAT).unwrap();
    let module = kiln_tests::compile_in(&engine, mode, &wasm).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new().instantiate(&mut store, &module).unwrap();
    let main = instance.get_func(&store, "main").unwrap();
    Some((engine, store, main, operators(&wasm)))
}

/// Runs `main(kind)` of trap.wat in `mode` and checks every trap's frames.
fn check_mode(mode: Mode) {
    let Some((_engine, mut store, main, ops)) = instantiate(mode) else {
        return;
    };
    let middle_call = offset_of(&ops, MIDDLE, "call");
    let main_call = offset_of(&ops, MAIN, "call");
    let outer = [
        (MIDDLE, Some("middle"), Some(middle_call)),
        (MAIN, Some("main"), Some(main_call)),
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
        assert_eq!(trap_of(&e).code(), *code, "{}: {e}", mode.name());
        let frames: Vec<_> = backtrace(&e).frames().iter().map(shape).collect();
        let inner = (INNER, Some("inner"), Some(offset_of(&ops, INNER, op)));
        assert_eq!(frames, [inner, outer[0], outer[1]], "{}: {op}", mode.name());
    }
    let mut r = [Val::I32(0)];
    let e = main.call(&mut store, &[Val::I32(4)], &mut r).unwrap_err();
    assert_eq!(
        trap_of(&e).code(),
        TrapCode::StackOverflow,
        "{}",
        mode.name()
    );
    check_overflow(backtrace(&e), &ops, outer, mode);
}

/// A stack overflow: `recurse` at its start, then at its call of itself,
/// many times over, then `inner` at its call of it, `middle`, `main`.
fn check_overflow(
    bt: &WasmBacktrace,
    ops: &Ops,
    outer: [(u32, Option<&str>, Option<usize>); 2],
    mode: Mode,
) {
    let frames: Vec<_> = bt.frames().iter().map(shape).collect();
    let n = frames.len();
    let name = mode.name();
    assert!(bt.elided() > 1000, "{name}: {} elided", bt.elided());
    assert_eq!(n, WasmBacktrace::HEAD + WasmBacktrace::TAIL, "{name}");
    let start = ops[RECURSE as usize][0].0;
    let again = (
        RECURSE,
        Some("recurse"),
        Some(offset_of(ops, RECURSE, "call")),
    );
    assert_eq!(frames[0], (RECURSE, Some("recurse"), Some(start)), "{name}");
    assert!(
        frames[1..n - 3].iter().all(|f| *f == again),
        "{name}: {frames:?}"
    );
    let inner = (INNER, Some("inner"), Some(offset_of(ops, INNER, "call")));
    assert_eq!(frames[n - 3..], [inner, outer[0], outer[1]], "{name}");
}

/// `via_host` of a second module calls a host function that calls `main`
/// of trap.wat, which traps: the frames of both modules, in order.
fn check_through_host(mode: Mode) {
    let Some((engine, mut store, main, ops)) = instantiate(mode) else {
        return;
    };
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
    let outer_module: Module = kiln_tests::compile_in(&engine, mode, &outer_wasm).unwrap();
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
    assert_eq!(
        frames,
        [
            (
                INNER,
                Some("inner"),
                Some(offset_of(&ops, INNER, "Unreachable"))
            ),
            (
                MIDDLE,
                Some("middle"),
                Some(offset_of(&ops, MIDDLE, "call"))
            ),
            (MAIN, Some("main"), Some(offset_of(&ops, MAIN, "call"))),
            (1, Some("via_host"), Some(outer_call)),
        ],
        "{}",
        mode.name()
    );
    let modules: Vec<_> = bt.frames().iter().map(FrameInfo::module_name).collect();
    assert_eq!(
        modules,
        [None, None, None, Some("outer")],
        "{}",
        mode.name()
    );
}

/// Both checks in the mode named `name`.
fn check(name: &str) {
    let mode: Mode = name.parse().unwrap();
    check_mode(mode);
    check_through_host(mode);
}

#[test]
fn interp_backtraces() {
    check("interp");
}
