//! End-to-end checks of the interpreter through the public API.

#![cfg(feature = "wasm")]

use kiln_runtime::*;

fn instance(wat: &str) -> (Store<()>, Instance) {
    let engine = Engine::default();
    let module = Module::new(&engine, &wat::parse_str(wat).unwrap()).unwrap();
    let mut store = Store::new(&engine, ());
    let inst = Instance::new(&mut store, &module, &[]).unwrap();
    (store, inst)
}

#[test]
fn recursive_fib() {
    let (mut store, inst) = instance(
        r#"(module (func $fib (export "fib") (param i32) (result i32)
            (if (result i32) (i32.lt_s (local.get 0) (i32.const 2))
              (then (local.get 0))
              (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                             (call $fib (i32.sub (local.get 0) (i32.const 2))))))))"#,
    );
    let fib = inst
        .get_func(&store, "fib")
        .unwrap()
        .typed::<i32, i32>(&store)
        .unwrap();
    assert_eq!(fib.call(&mut store, 20).unwrap(), 6765);
}

#[test]
fn loop_with_memory() {
    let (mut store, inst) = instance(
        r#"(module (memory 1)
          (func (export "sum") (param $n i32) (result i64) (local $i i32) (local $acc i64)
            (loop $l
              (i32.store (i32.mul (local.get $i) (i32.const 4)) (local.get $i))
              (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (i32.load (i32.mul (local.get $i) (i32.const 4))))))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
            (local.get $acc)))"#,
    );
    let f = inst
        .get_func(&store, "sum")
        .unwrap()
        .typed::<i32, i64>(&store)
        .unwrap();
    assert_eq!(f.call(&mut store, 1000).unwrap(), 499500);
    let err = f.call(&mut store, 20000).unwrap_err();
    assert_eq!(err.as_trap().unwrap().code(), TrapCode::MemoryOutOfBounds);
}

#[test]
fn infinite_recursion_traps() {
    let (mut store, inst) = instance(r#"(module (func $f (export "f") (call $f)))"#);
    let f = inst.get_func(&store, "f").unwrap();
    let err = f.call(&mut store, &[], &mut []).unwrap_err();
    assert_eq!(err.as_trap().unwrap().code(), TrapCode::StackOverflow);
}

#[test]
fn host_function_called_from_wasm() {
    let engine = Engine::default();
    let module = Module::new(
        &engine,
        &wat::parse_str(
            r#"(module (import "env" "twice" (func $t (param i32) (result i32)))
                 (func (export "go") (param i32) (result i32) (i32.add (call $t (local.get 0)) (i32.const 1))))"#,
        )
        .unwrap(),
    )
    .unwrap();
    let mut store = Store::new(&engine, 0u32);
    let ty = FuncType::new([ValType::I32], [ValType::I32]);
    let twice = Func::new(&mut store, ty, |mut caller, params, results| {
        *caller.data_mut() += 1;
        results[0] = Val::I32(params[0].i32().unwrap() * 2);
        Ok(())
    });
    let mut linker = Linker::new();
    linker.define("env", "twice", twice);
    let inst = linker.instantiate(&mut store, &module).unwrap();
    let go = inst
        .get_func(&store, "go")
        .unwrap()
        .typed::<i32, i32>(&store)
        .unwrap();
    assert_eq!(go.call(&mut store, 20).unwrap(), 41);
    assert_eq!(*store.data(), 1);
}
