//! On-stack replacement in the multi-tier JIT: a function called once
//! whose loop runs long moves from Fast JIT code into LLVM code in the
//! middle of the loop, with every local (of every type), its memory and
//! its results intact, traps included; with the background compiler too.

#![cfg(all(feature = "fast-jit", feature = "llvm"))]

use kiln_runtime::{
    Config, Engine, Func, FuncType, Instance, Linker, Module, RunningMode, Store, TrapCode, Val,
    ValType,
};
use std::time::{Duration, Instant};

const MODULE: &str = r#"(module
  (import "env" "poll" (func $poll (param i32) (result i32)))
  (memory 1)
  ;; Nested loops over locals of every type; two results.
  (func (export "kernel") (param $n i32) (result i32 f64)
    (local $i i32) (local $j i32) (local $x i64) (local $f f32) (local $d f64) (local $v v128)
    (local.set $v (v128.const i32x4 1 2 3 4))
    (loop $outer
      (local.set $j (i32.const 0))
      (loop $inner
        (i32.store (i32.and (i32.shl (local.get $j) (i32.const 2)) (i32.const 0xfff))
          (i32.add (local.get $i) (local.get $j)))
        (local.set $x (i64.add (i64.mul (local.get $x) (i64.const 31))
          (i64.load32_u (i32.and (i32.shl (local.get $j) (i32.const 2)) (i32.const 0xfff)))))
        (local.set $f (f32.add (local.get $f) (f32.const 0.5)))
        (local.set $d (f64.add (local.get $d) (f64.convert_i32_u (local.get $j))))
        (local.set $v (i32x4.add (local.get $v) (i32x4.splat (local.get $j))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $inner (i32.lt_u (local.get $j) (i32.const 100))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $outer (i32.lt_u (local.get $i) (local.get $n))))
    (i32.add
      (i32.wrap_i64 (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 32))))
      (i32.add (i32.trunc_f32_u (local.get $f)) (i32x4.extract_lane 3 (local.get $v))))
    (local.get $d))
  ;; Divides by n - i: traps once i reaches n.
  (func (export "countdown") (param $n i32) (param $stop i32) (result i32)
    (local $i i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (local.get $acc) (i32.div_u (i32.const 1000000) (i32.sub (local.get $n) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $stop))))
    (local.get $acc))
  ;; Loops until the host says stop (asked every 65536 iterations).
  (func (export "spin") (result i64 i32)
    (local $k i32) (local $acc i64)
    (loop $l
      (local.set $acc (i64.add (i64.rotl (local.get $acc) (i64.const 5)) (i64.extend_i32_u (local.get $k))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (if (i32.eqz (i32.and (local.get $k) (i32.const 0xffff)))
        (then (if (call $poll (local.get $k))
          (then (return (local.get $acc) (local.get $k))))))
      (br $l))
    unreachable)
  ;; An outer loop entered once around an inner one that runs until the
  ;; host says stop: the frame never gets back to the outer loop's header.
  ;; (An innermost loop nested in others does not count; this inner one
  ;; holds a short loop of its own, so it does.)
  (func (export "phases") (result i64 i32)
    (local $k i32) (local $acc i64) (local $phase i32) (local $r i32)
    (loop $outer
      (loop $inner
        (local.set $r (i32.const 3))
        (loop $short
          (local.set $acc (i64.add (i64.rotl (local.get $acc) (i64.const 3)) (i64.extend_i32_u (local.get $k))))
          (local.set $r (i32.sub (local.get $r) (i32.const 1)))
          (br_if $short (local.get $r)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br_if $inner (i32.and (local.get $k) (i32.const 0xffff)))
        (br_if $inner (i32.eqz (call $poll (local.get $k)))))
      (local.set $phase (i32.add (local.get $phase) (i32.const 1)))
      (br_if $outer (i32.lt_u (local.get $phase) (i32.const 2))))
    (local.get $acc) (local.get $k)))"#;

fn engine(mode: RunningMode, sync: bool) -> Engine {
    Engine::new(Config {
        default_mode: Some(mode),
        allow_incomplete_modes: true,
        tier_up_threshold: 1,
        tier_up_sync: sync,
        ..Config::default()
    })
    .expect("the mode is built")
}

/// An instance whose `poll` answers `stop(module)`.
fn instantiate(
    engine: &Engine,
    stop: impl Fn(&Module) -> bool + Send + Sync + 'static,
) -> (Module, Store<()>, Instance) {
    let wasm = wat::parse_str(MODULE).expect("wat");
    let module = Module::new(engine, &wasm).expect("compiles");
    let mut store = Store::new(engine, ());
    let polled = module.clone();
    let ty = FuncType::new([ValType::I32], [ValType::I32]);
    let poll = Func::new(&mut store, ty, move |_, _, out| {
        out[0] = Val::I32(stop(&polled) as i32);
        Ok(())
    });
    let mut linker = Linker::new();
    linker.define("env", "poll", poll);
    let inst = linker
        .instantiate(&mut store, &module)
        .expect("instantiates");
    (module, store, inst)
}

fn call(store: &mut Store<()>, inst: &Instance, name: &str, args: &[Val], n: usize) -> Vec<Val> {
    let f = inst.get_func(&*store, name).expect("export");
    let mut out = vec![Val::I32(0); n];
    f.call(store, args, &mut out).expect("runs");
    out
}

fn bits(v: &[Val]) -> Vec<String> {
    v.iter().map(|v| format!("{v:?}")).collect()
}

#[test]
fn a_loop_moves_to_llvm_code_with_every_local() {
    let (_, mut s, i) = instantiate(&engine(RunningMode::Interp, false), |_| true);
    let want = call(&mut s, &i, "kernel", &[Val::I32(300)], 2);
    let (module, mut s, i) = instantiate(&engine(RunningMode::MultiTierJit, true), |_| true);
    let got = call(&mut s, &i, "kernel", &[Val::I32(300)], 2);
    assert_eq!(bits(&got), bits(&want));
    let stats = module.tier_stats().expect("multi-tier");
    assert!(stats.osr_entries >= 1, "{stats:?}");
    assert!(stats.loop_transfers >= 1, "{stats:?}");
    // Called again: the function itself now starts in LLVM code.
    let again = call(&mut s, &i, "kernel", &[Val::I32(300)], 2);
    assert_eq!(bits(&again), bits(&want));
}

#[test]
fn a_trap_after_the_transfer_is_the_same_trap() {
    let (module, mut s, i) = instantiate(&engine(RunningMode::MultiTierJit, true), |_| true);
    let f = i.get_func(&s, "countdown").expect("export");
    let mut out = [Val::I32(0)];
    let err = f
        .call(&mut s, &[Val::I32(50), Val::I32(100)], &mut out)
        .unwrap_err();
    assert_eq!(
        err.as_trap().expect("a trap").code(),
        TrapCode::IntegerDivideByZero
    );
    assert!(module.tier_stats().expect("multi-tier").loop_transfers >= 1);
    let ok = call(&mut s, &i, "countdown", &[Val::I32(50), Val::I32(40)], 1);
    let want: i32 = (0..40).map(|i| 1_000_000 / (50 - i)).sum();
    assert_eq!(bits(&ok), bits(&[Val::I32(want)]));
}

/// `spin`'s results after `k` iterations.
fn spin(k: i32) -> (i64, i32) {
    let mut acc: i64 = 0;
    for i in 0..k as u32 {
        acc = acc.rotate_left(5).wrapping_add(i as i64);
    }
    (acc, k)
}

/// A multi-tier instance with the background compiler, whose `poll` says
/// stop once a loop moved to LLVM code (or after a minute, which the
/// tests then report).
fn instantiate_polling_until_moved() -> (Module, Store<()>, Instance) {
    let start = Instant::now();
    instantiate(&engine(RunningMode::MultiTierJit, false), move |m| {
        let moved = m.tier_stats().is_some_and(|t| t.loop_transfers > 0);
        moved || start.elapsed() > Duration::from_secs(60)
    })
}

#[test]
fn a_running_loop_moves_when_the_background_compiler_is_done() {
    let (module, mut s, i) = instantiate_polling_until_moved();
    let got = call(&mut s, &i, "spin", &[], 2);
    let (Val::I64(acc), Val::I32(k)) = (&got[0], &got[1]) else {
        panic!("unexpected results {got:?}")
    };
    let stats = module.tier_stats().expect("multi-tier");
    assert_eq!((*acc, *k), spin(*k), "{stats:?}");
    assert_eq!(stats.loop_transfers, 1, "{stats:?}");
}

#[test]
fn a_frame_that_stays_in_an_inner_loop_moves_there() {
    let (module, mut s, i) = instantiate_polling_until_moved();
    let got = call(&mut s, &i, "phases", &[], 2);
    let stats = module.tier_stats().expect("multi-tier");
    assert!(stats.loop_transfers >= 1, "{stats:?}");
    assert_eq!(
        stats.osr_entries, 2,
        "the outer loop's, then the inner one's"
    );
    let (Val::I64(acc), Val::I32(k)) = (&got[0], &got[1]) else {
        panic!("unexpected results {got:?}")
    };
    let mut want: i64 = 0;
    for i in 0..*k as u32 {
        for _ in 0..3 {
            want = want.rotate_left(3).wrapping_add(i as i64);
        }
    }
    assert_eq!(*acc, want, "after {k} iterations");
}
