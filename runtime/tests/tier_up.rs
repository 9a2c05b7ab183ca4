//! The multi-tier JIT: Fast JIT code counts entries and loop iterations,
//! hot functions move to LLVM code (their Fast JIT entry jumps there), and
//! results, traps and calls stay right across the swap, also with eight
//! threads calling while the background compiler swaps code in.

#![cfg(all(feature = "fast-jit", feature = "llvm"))]

use kiln_runtime::{Config, Engine, Error, Module, RunningMode, Store, TrapCode, Val};
use std::time::{Duration, Instant};

const MODULE: &str = r#"(module
  (table 2 funcref)
  (elem (i32.const 0) $sum $div)
  ;; sum(n) = 0 + 1 + ... + n-1, with a loop
  (func $sum (export "sum") (param i32) (result i32) (local i32 i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get 1) (local.get 0)))
        (local.set 2 (i32.add (local.get 2) (local.get 1)))
        (local.set 1 (i32.add (local.get 1) (i32.const 1)))
        (br $next)))
    (local.get 2))
  (func $div (export "div") (param i32) (result i32)
    (i32.div_u (i32.const 1000) (local.get 0)))
  ;; through the table: sum(n) + div(d)
  (func (export "both") (param i32 i32) (result i32)
    (i32.add
      (call_indirect (param i32) (result i32) (local.get 0) (i32.const 0))
      (call_indirect (param i32) (result i32) (local.get 1) (i32.const 1)))))"#;

fn engine(threshold: u32, sync: bool) -> Engine {
    Engine::new(Config {
        default_mode: Some(RunningMode::MultiTierJit),
        allow_incomplete_modes: true,
        tier_up_threshold: threshold,
        tier_up_sync: sync,
        ..Config::default()
    })
    .expect("multi-tier is built")
}

fn call(
    store: &mut Store<()>,
    inst: &kiln_runtime::Instance,
    name: &str,
    args: &[i32],
) -> Result<i32, Error> {
    let f = inst.get_func(store, name).expect("export");
    let params: Vec<Val> = args.iter().map(|a| Val::I32(*a)).collect();
    let mut out = [Val::I32(0)];
    f.call(store, &params, &mut out)?;
    match out[0] {
        Val::I32(v) => Ok(v),
        ref other => panic!("unexpected result {other:?}"),
    }
}

/// An instance of `MODULE` in a new store of `engine`, and the module.
fn instantiate(engine: &Engine) -> (Module, Store<()>, kiln_runtime::Instance) {
    let wasm = wat::parse_str(MODULE).expect("wat");
    let module = Module::new(engine, &wasm).expect("compiles");
    let mut store = Store::new(engine, ());
    let inst = kiln_runtime::Linker::new()
        .instantiate(&mut store, &module)
        .expect("instantiates");
    (module, store, inst)
}

fn sum(n: i32) -> i32 {
    (0..n).sum()
}

#[test]
fn hot_functions_move_to_llvm_code_and_keep_their_results() {
    let (module, mut store, inst) = instantiate(&engine(1, true));
    assert_eq!(module.tier_stats().expect("multi-tier").tiered, 0);
    // The first call finds `sum` hot and compiles the module; the loop
    // goes on in Fast JIT code, later calls enter LLVM code.
    for n in [10, 0, 1, 1000] {
        assert_eq!(call(&mut store, &inst, "sum", &[n]).unwrap(), sum(n));
    }
    assert_eq!(
        call(&mut store, &inst, "both", &[7, 8]).unwrap(),
        sum(7) + 125
    );
    let stats = module.tier_stats().expect("multi-tier");
    assert!(stats.hot >= 3, "{stats:?}");
    assert!(stats.tiered >= 3, "{stats:?}");
    assert_eq!(stats.queued, 0);
    // A trap inside the LLVM code of `div`, directly and through the table.
    for (name, args) in [("div", &[0][..]), ("both", &[3, 0][..])] {
        let err = call(&mut store, &inst, name, args).unwrap_err();
        let trap = err.as_trap().expect("a trap");
        assert_eq!(trap.code(), TrapCode::IntegerDivideByZero, "{name}");
    }
    assert_eq!(call(&mut store, &inst, "div", &[8]).unwrap(), 125);
}

#[test]
fn cold_functions_stay_in_the_fast_jit() {
    let (module, mut store, inst) = instantiate(&engine(1_000_000, true));
    assert_eq!(call(&mut store, &inst, "sum", &[100]).unwrap(), sum(100));
    let stats = module.tier_stats().expect("multi-tier");
    assert_eq!((stats.ran_fast_jit, stats.hot, stats.tiered), (1, 0, 0));
}

/// Threads, each with its own instance of one module, call hot functions
/// while the background compiler swaps their code: every result checked.
#[test]
fn threads_calling_while_code_is_swapped() {
    let engine = engine(50, false);
    let wasm = wat::parse_str(MODULE).expect("wat");
    let module = Module::new(&engine, &wasm).expect("compiles");
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let (engine, module) = (engine.clone(), module.clone());
            std::thread::spawn(move || {
                let mut store = Store::new(&engine, ());
                let inst = kiln_runtime::Linker::new()
                    .instantiate(&mut store, &module)
                    .expect("instantiates");
                let deadline = Instant::now() + Duration::from_secs(20);
                let mut calls = 0u32;
                // Until two functions run LLVM code (the test may end
                // while the third is being compiled: exit must cope).
                while Instant::now() < deadline
                    && !(calls > 2000 && module.tier_stats().is_some_and(|s| s.tiered >= 2))
                {
                    let n = (calls % 97) as i32 + t;
                    assert_eq!(call(&mut store, &inst, "sum", &[n]).unwrap(), sum(n));
                    let d = (calls % 13) as i32 + 1;
                    assert_eq!(
                        call(&mut store, &inst, "both", &[n, d]).unwrap(),
                        sum(n) + 1000 / d
                    );
                    calls += 1;
                }
                calls
            })
        })
        .collect();
    for t in threads {
        assert!(t.join().expect("no panic") > 0);
    }
    let stats = module.tier_stats().expect("multi-tier");
    assert!(
        stats.tiered >= 2,
        "the background compile never finished: {stats:?}"
    );
}

/// With a cache directory, a function that tiered up is kept, and the next
/// module made from the same wasm starts it from LLVM code before any call.
#[test]
fn tiered_functions_are_kept_in_the_cache() {
    let dir = std::env::temp_dir().join(format!("kiln-tier-cache-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let cached = |threshold| {
        Engine::new(Config {
            cache_dir: Some(dir.clone()),
            ..engine(threshold, true).config().clone()
        })
        .expect("engine")
    };
    let (module, mut store, inst) = instantiate(&cached(1));
    assert_eq!(call(&mut store, &inst, "sum", &[5]).unwrap(), sum(5));
    assert_eq!(module.tier_stats().expect("multi-tier").tiered, 1);
    // Never hot in this run, yet in LLVM code from the start.
    let (module, mut store, inst) = instantiate(&cached(1_000_000));
    assert_eq!(module.tier_stats().expect("multi-tier").tiered, 1);
    assert_eq!(call(&mut store, &inst, "sum", &[50]).unwrap(), sum(50));
    let stats = module.tier_stats().expect("multi-tier");
    // `sum` ran LLVM code only: its Fast JIT entry jumped there at once.
    assert_eq!((stats.ran_fast_jit, stats.hot, stats.tiered), (0, 0, 1));
    // The OSR entry its loop got in the first run is kept too.
    assert_eq!(stats.osr_entries, 1);
    // A damaged entry is skipped, never run.
    for e in std::fs::read_dir(&dir).unwrap().flatten() {
        if e.path().extension().is_some_and(|x| x == "tiered") {
            for f in std::fs::read_dir(e.path()).unwrap().flatten() {
                std::fs::write(f.path(), b"not an artifact").unwrap();
            }
        }
    }
    let (module, mut store, inst) = instantiate(&cached(1_000_000));
    assert_eq!(module.tier_stats().expect("multi-tier").tiered, 0);
    assert_eq!(call(&mut store, &inst, "sum", &[7]).unwrap(), sum(7));
    let _ = std::fs::remove_dir_all(&dir);
}
