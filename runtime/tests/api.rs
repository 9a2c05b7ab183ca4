//! The embedding API: externs, host errors, re-entrancy, running modes.

#![cfg(feature = "wasm")]

use kiln_runtime::*;

fn module(engine: &Engine, wat: &str) -> Module {
    Module::new(engine, &wat::parse_str(wat).unwrap()).unwrap()
}

#[test]
fn memories_globals_and_tables_through_the_api() {
    let engine = Engine::default();
    let m = module(
        &engine,
        r#"(module (memory (export "mem") 1 3) (global (export "g") (mut i32) (i32.const 7))
             (table (export "t") 2 funcref) (func (export "f") (result i32) (global.get 0)))"#,
    );
    let mut store = Store::new(&engine, ());
    let inst = Instance::new(&mut store, &m, &[]).unwrap();
    let mem = inst.get_memory(&store, "mem").unwrap();
    assert_eq!(mem.size(&store), 1);
    mem.data_mut(&mut store)[100] = 42;
    assert_eq!(mem.grow(&mut store, 2).unwrap(), 1);
    assert_eq!(mem.data(&store)[100], 42);
    assert!(mem.grow(&mut store, 1).is_err(), "the maximum is 3 pages");
    let g = inst.get_global(&store, "g").unwrap();
    g.set(&mut store, Val::I32(9)).unwrap();
    let f = inst
        .get_func(&store, "f")
        .unwrap()
        .typed::<(), i32>(&store)
        .unwrap();
    assert_eq!(f.call(&mut store, ()).unwrap(), 9);
    assert!(
        g.set(&mut store, Val::I64(1)).is_err(),
        "wrong type is refused"
    );
    let t = inst.get_table(&store, "t").unwrap();
    assert_eq!(t.size(&store), 2);
    let func = inst.get_func(&store, "f").unwrap();
    t.set(&mut store, 1, Val::FuncRef(Some(func))).unwrap();
    assert!(matches!(t.get(&store, 1), Some(Val::FuncRef(Some(_)))));
    assert!(t.get(&store, 2).is_none());
}

#[test]
fn host_errors_become_traps_and_the_store_stays_usable() {
    let engine = Engine::default();
    let m = module(
        &engine,
        r#"(module (import "env" "fail" (func $fail (param i32)))
             (func (export "go") (param i32) (result i32) (call $fail (local.get 0)) (local.get 0)))"#,
    );
    let mut store = Store::new(&engine, ());
    let fail = Func::new(&mut store, FuncType::new([ValType::I32], []), |_, p, _| {
        if p[0].i32() == Some(0) {
            Err(Trap::host("refused zero"))
        } else {
            Ok(())
        }
    });
    let inst = Instance::new(&mut store, &m, &[fail.into()]).unwrap();
    let go = inst
        .get_func(&store, "go")
        .unwrap()
        .typed::<i32, i32>(&store)
        .unwrap();
    let err = go.call(&mut store, 0).unwrap_err();
    let trap = err.as_trap().unwrap();
    assert_eq!(trap.code(), TrapCode::HostError);
    assert!(trap.message().contains("refused zero"));
    assert_eq!(go.call(&mut store, 5).unwrap(), 5);
}

#[test]
fn host_functions_can_call_back_into_wasm() {
    let engine = Engine::default();
    let m = module(
        &engine,
        r#"(module (import "env" "back" (func $back (param i32) (result i32)))
             (func (export "double") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
             (func (export "go") (param i32) (result i32) (call $back (local.get 0))))"#,
    );
    let mut store = Store::new(&engine, ());
    let ty = FuncType::new([ValType::I32], [ValType::I32]);
    let back = Func::new(&mut store, ty, |mut caller, p, r| {
        let double = caller.get_export("double").unwrap().into_func().unwrap();
        let mut out = [Val::I32(0)];
        double
            .call(&mut caller, &[p[0]], &mut out)
            .map_err(|e| Trap::host(e.to_string()))?;
        r[0] = out[0];
        Ok(())
    });
    let inst = Instance::new(&mut store, &m, &[back.into()]).unwrap();
    let go = inst
        .get_func(&store, "go")
        .unwrap()
        .typed::<i32, i32>(&store)
        .unwrap();
    assert_eq!(go.call(&mut store, 21).unwrap(), 42);
}

#[test]
fn calls_with_wrong_arguments_are_errors_not_panics() {
    let engine = Engine::default();
    let m = module(
        &engine,
        r#"(module (func (export "f") (param i32) (result i32) (local.get 0)))"#,
    );
    let mut store = Store::new(&engine, ());
    let inst = Instance::new(&mut store, &m, &[]).unwrap();
    let f = inst.get_func(&store, "f").unwrap();
    let mut out = [Val::I32(0)];
    assert!(f.call(&mut store, &[], &mut out).is_err());
    assert!(f.call(&mut store, &[Val::I64(1)], &mut out).is_err());
    assert!(f.typed::<i64, i32>(&store).is_err());
    assert!(Linker::<()>::new()
        .instantiate(
            &mut store,
            &module(&engine, r#"(module (import "a" "b" (func)))"#)
        )
        .is_err());
}

#[test]
fn running_modes_follow_the_selection_order() {
    assert!(is_running_mode_supported(RunningMode::Interp));
    let multi_tier = is_running_mode_supported(RunningMode::MultiTierJit);
    assert_eq!(
        multi_tier,
        is_running_mode_supported(RunningMode::LlvmJit)
            && is_running_mode_supported(RunningMode::FastJit)
    );
    if let Err(e) = check_running_mode(RunningMode::MultiTierJit) {
        assert!(e.to_string().contains("multi-tier"), "{e}");
    }
    // The best built mode is the default: multi-tier when both JITs are
    // built, else the LLVM JIT, else the Fast JIT.
    let engine = Engine::default();
    let best = if multi_tier {
        RunningMode::MultiTierJit
    } else if is_running_mode_supported(RunningMode::LlvmJit) {
        RunningMode::LlvmJit
    } else if is_running_mode_supported(RunningMode::FastJit) {
        RunningMode::FastJit
    } else {
        RunningMode::Interp
    };
    assert_eq!(engine.default_running_mode(), best);
    let wat = r#"(module (func (export "f") (result i32) (i32.const 7)))"#;
    let m = module(&engine, wat);
    // The store's mode beats the engine default; the instance keeps its mode.
    let mut store = Store::new(&engine, ());
    assert_eq!(
        store.set_running_mode(RunningMode::MultiTierJit).is_ok(),
        multi_tier
    );
    store.set_running_mode(RunningMode::Interp).unwrap();
    let inst = Instance::new(&mut store, &m, &[]).unwrap();
    assert_eq!(inst.running_mode(&store), RunningMode::Interp);
    assert!(inst.set_running_mode(&mut store, best).is_err() || best == RunningMode::Interp);
    inst.set_running_mode(&mut store, RunningMode::Interp)
        .unwrap();
    let f = inst
        .get_func(&store, "f")
        .unwrap()
        .typed::<(), i32>(&store)
        .unwrap();
    assert_eq!(f.call(&mut store, ()).unwrap(), 7);
    // The same module in the engine's default mode runs natively when compiled.
    let mut native = Store::new(&engine, ());
    let inst = Instance::new(&mut native, &m, &[]).unwrap();
    assert_eq!(inst.running_mode(&native), best);
    let f = inst
        .get_func(&native, "f")
        .unwrap()
        .typed::<(), i32>(&native)
        .unwrap();
    assert_eq!(f.call(&mut native, ()).unwrap(), 7);
    assert_eq!(m.is_compiled(), best != RunningMode::Interp);
}

#[test]
fn stack_size_bounds_recursion_depth() {
    let wat = r#"(module (func $d (export "depth") (param i32) (result i32)
        (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
          (else (i32.add (i32.const 1) (call $d (i32.sub (local.get 0) (i32.const 1))))))))"#;
    let small = Engine::new(Config {
        stack_size: 64 << 10,
        ..Config::default()
    })
    .unwrap();
    let mut store = Store::new(&small, ());
    let inst = Instance::new(&mut store, &module(&small, wat), &[]).unwrap();
    let f = inst
        .get_func(&store, "depth")
        .unwrap()
        .typed::<i32, i32>(&store)
        .unwrap();
    assert_eq!(f.call(&mut store, 100).unwrap(), 100);
    let err = f.call(&mut store, 1_000_000).unwrap_err();
    assert_eq!(err.as_trap().unwrap().code(), TrapCode::StackOverflow);
    assert_eq!(
        f.call(&mut store, 10).unwrap(),
        10,
        "the store is usable after exhaustion"
    );
}
