//! One module whose functions run in three tiers at once — the
//! interpreter, the Fast JIT and the LLVM JIT — calling each other
//! directly, through `call_indirect` and through a host function, with a
//! trap crossing the tiers (`Config::function_tiers`).

#![cfg(all(feature = "fast-jit", feature = "llvm"))]

use kiln_runtime::{
    Caller, Config, Engine, Error, Extern, Func, FuncType, Linker, Module, RunningMode, Store,
    TierChoice, Trap, TrapCode, Val, ValType,
};
use std::sync::Arc;

/// Function indices: 0 the host import; then interp, fast, llvm, via_host,
/// trap_in_interp, div (each named after the tier that runs it).
const MODULE: &str = r#"(module
  (type $ii (func (param i32) (result i32)))
  (import "env" "twice_interp" (func $host (param i32) (result i32)))
  (table 8 funcref)
  (elem (i32.const 0) $interp $fast $llvm $via_host $trap_in_interp $div)
  ;; interp(n) = fast(n) + 1, a direct call
  (func $interp (export "interp") (param i32) (result i32)
    (i32.add (call $fast (local.get 0)) (i32.const 1)))
  ;; fast(0) = 100; fast(n) = llvm(n - 1), through the table
  (func $fast (export "fast") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 100))
      (else (call_indirect (type $ii) (i32.sub (local.get 0) (i32.const 1)) (i32.const 2)))))
  ;; llvm(n) = 2 * interp(n), a direct call
  (func $llvm (export "llvm") (param i32) (result i32)
    (i32.mul (call $interp (local.get 0)) (i32.const 2)))
  ;; via_host(n) = host(n) + 3, where the host calls interp twice
  (func $via_host (export "via_host") (param i32) (result i32)
    (i32.add (call $host (local.get 0)) (i32.const 3)))
  ;; traps inside the interpreter, three tiers deep
  (func $trap_in_interp (export "trap_in_interp") (param i32) (result i32)
    (i32.add (call $div (local.get 0)) (i32.const 1)))
  (func $div (param i32) (result i32)
    (i32.div_u (i32.const 7) (local.get 0)))
  ;; the deep call chain ending in the trap: fast -> llvm -> interp
  (func (export "chain_to_trap") (param i32) (result i32)
    (call_indirect (type $ii) (local.get 0) (i32.const 4))))"#;

/// The tier of each function index (see `MODULE`).
fn tier(index: u32) -> RunningMode {
    match index {
        1 | 5 => RunningMode::Interp,
        2 | 7 => RunningMode::FastJit,
        3 | 6 => RunningMode::LlvmJit,
        _ => RunningMode::FastJit,
    }
}

/// `interp(n)` by the definitions above, computed in Rust.
fn expected_interp(n: i32) -> i32 {
    let mut fast = 100;
    for _ in 0..n {
        fast = 2 * (fast + 1);
    }
    fast + 1
}

fn setup() -> (Store<()>, kiln_runtime::Instance) {
    let config = Config {
        default_mode: Some(RunningMode::FastJit),
        function_tiers: Some(TierChoice(Arc::new(tier))),
        ..Config::default()
    };
    let engine = Engine::new(config).unwrap();
    let wasm = wat::parse_str(MODULE).unwrap();
    let module = Module::new(&engine, &wasm).unwrap();
    let mut store = Store::new(&engine, ());
    let ty = FuncType::new([ValType::I32], [ValType::I32]);
    // Calls the instance's `interp` twice from the host.
    let host = Func::new(&mut store, ty, |mut caller: Caller<'_, ()>, args, out| {
        let Some(Extern::Func(f)) = caller.get_export("interp") else {
            return Err(Trap::host("no interp export"));
        };
        let mut r = [Val::I32(0)];
        f.call(&mut caller, args, &mut r)
            .map_err(|e| Trap::host(e.to_string()))?;
        let first = r[0].i32().unwrap_or(0);
        f.call(&mut caller, args, &mut r)
            .map_err(|e| Trap::host(e.to_string()))?;
        out[0] = Val::I32(first + r[0].i32().unwrap_or(0));
        Ok(())
    });
    let mut linker = Linker::new();
    linker.define("env", "twice_interp", host);
    let instance = linker.instantiate(&mut store, &module).unwrap();
    (store, instance)
}

fn call(
    store: &mut Store<()>,
    instance: kiln_runtime::Instance,
    name: &str,
    n: i32,
) -> Result<i32, Error> {
    let f = instance.get_func(&*store, name).unwrap();
    let mut r = [Val::I32(0)];
    f.call(store, &[Val::I32(n)], &mut r)?;
    Ok(r[0].i32().unwrap())
}

#[test]
fn functions_in_three_tiers_call_each_other() {
    let (mut store, instance) = setup();
    let tier = |store: &Store<()>, name: &str| instance.get_func(store, name).unwrap().tier(store);
    assert_eq!(tier(&store, "interp"), Some(RunningMode::Interp));
    assert_eq!(tier(&store, "fast"), Some(RunningMode::FastJit));
    assert_eq!(tier(&store, "llvm"), Some(RunningMode::LlvmJit));
    for n in 0..6 {
        assert_eq!(
            call(&mut store, instance, "interp", n).unwrap(),
            expected_interp(n)
        );
        // fast(n) = interp(n) - 1; llvm(n) = 2 * interp(n).
        assert_eq!(
            call(&mut store, instance, "fast", n).unwrap(),
            expected_interp(n) - 1
        );
        assert_eq!(
            call(&mut store, instance, "llvm", n).unwrap(),
            2 * expected_interp(n)
        );
        assert_eq!(
            call(&mut store, instance, "via_host", n).unwrap(),
            2 * expected_interp(n) + 3
        );
    }
}

#[test]
fn a_trap_crosses_the_tiers_with_its_code() {
    let (mut store, instance) = setup();
    assert_eq!(call(&mut store, instance, "chain_to_trap", 7).unwrap(), 2);
    for name in ["trap_in_interp", "chain_to_trap"] {
        let err = call(&mut store, instance, name, 0).unwrap_err();
        match err {
            Error::Trap(t) => assert_eq!(t.code(), TrapCode::IntegerDivideByZero, "{name}"),
            other => panic!("{name}: expected a trap, got {other}"),
        }
    }
    // The store stays usable after a trap.
    assert_eq!(
        call(&mut store, instance, "interp", 2).unwrap(),
        expected_interp(2)
    );
}

const PROVIDER: &str = r#"(module
  (table (export "table") 2 funcref)
  (elem (i32.const 0) $square $fail)
  (func $square (export "square") (param i32) (result i32)
    (i32.mul (local.get 0) (local.get 0)))
  (func $fail (param i32) (result i32) unreachable))"#;

const USER: &str = r#"(module
  (type $ii (func (param i32) (result i32)))
  (import "p" "square" (func $square (param i32) (result i32)))
  (import "p" "table" (table 2 funcref))
  (func (export "direct") (param i32) (result i32)
    (i32.add (call $square (local.get 0)) (i32.const 1)))
  (func (export "indirect") (param i32 i32) (result i32)
    (call_indirect (type $ii) (local.get 0) (local.get 1))))"#;

/// Compiled code imports an interpreted instance's function and calls
/// functions from its table, and a trap in the interpreter comes back
/// through the compiled caller.
#[test]
fn compiled_code_calls_an_interpreted_instance() {
    for user_mode in [RunningMode::FastJit, RunningMode::LlvmJit] {
        let engine = Engine::new(Config {
            default_mode: Some(user_mode),
            ..Config::default()
        })
        .unwrap();
        let mut store = Store::new(&engine, ());
        let provider = Module::new(&engine, &wat::parse_str(PROVIDER).unwrap()).unwrap();
        let user = Module::new(&engine, &wat::parse_str(USER).unwrap()).unwrap();
        store.set_running_mode(RunningMode::Interp).unwrap();
        let mut linker = Linker::new();
        let p = linker.instantiate(&mut store, &provider).unwrap();
        linker.instance(&store, "p", p);
        store.set_running_mode(user_mode).unwrap();
        let u = linker.instantiate(&mut store, &user).unwrap();
        let square = p.get_func(&store, "square").unwrap();
        assert_eq!(square.tier(&store), Some(RunningMode::Interp));
        let direct = u.get_func(&store, "direct").unwrap();
        assert_eq!(direct.tier(&store), Some(user_mode));
        let mut r = [Val::I32(0)];
        direct.call(&mut store, &[Val::I32(7)], &mut r).unwrap();
        assert_eq!(r[0], Val::I32(50), "{user_mode}");
        let indirect = u.get_func(&store, "indirect").unwrap();
        indirect
            .call(&mut store, &[Val::I32(9), Val::I32(0)], &mut r)
            .unwrap();
        assert_eq!(r[0], Val::I32(81), "{user_mode}");
        let err = indirect
            .call(&mut store, &[Val::I32(9), Val::I32(1)], &mut r)
            .unwrap_err();
        match err {
            Error::Trap(t) => assert_eq!(t.code(), TrapCode::Unreachable, "{user_mode}"),
            other => panic!("expected a trap, got {other}"),
        }
    }
}
