//! A host function sees the instance whose code called it, not the one
//! entered from the host: module `outer` calls `inner`, which calls the
//! host, and the host reads `inner`'s memory. In every built mode.

use kiln_runtime::{
    Caller, Engine, Extern, Func, FuncType, Linker, Module, Store, Trap, Val, ValType,
};
use kiln_tests::Mode;

const INNER: &str = r#"(module
  (import "host" "peek" (func $peek (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\02")
  (func (export "f") (result i32) (call $peek)))"#;

const OUTER: &str = r#"(module
  (import "inner" "f" (func $f (result i32)))
  (import "host" "peek" (func $peek (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\01")
  (func (export "through_inner") (result i32) (call $f))
  (func (export "direct") (result i32) (call $peek)))"#;

fn compile(engine: &Engine, mode: Mode, text: &str) -> Module {
    let wasm = wat::parse_str(text).unwrap();
    kiln_tests::compile_in(engine, mode, &wasm).unwrap()
}

/// The first byte of the calling instance's `memory`.
fn peek(caller: Caller<'_, ()>, _: &[Val], out: &mut [Val]) -> Result<(), Trap> {
    let Some(Extern::Memory(m)) = caller.get_export("memory") else {
        return Err(Trap::host("no memory"));
    };
    out[0] = Val::I32(i32::from(m.data(&caller)[0]));
    Ok(())
}

#[test]
fn host_functions_see_their_direct_caller_in_every_mode() {
    for mode in kiln_tests::built_modes() {
        let engine = kiln_tests::engine_for(mode).unwrap();
        let mut store = Store::new(&engine, ());
        let mut linker = Linker::new();
        let ty = FuncType::new([], [ValType::I32]);
        let host = Func::new(&mut store, ty, peek);
        linker.define("host", "peek", host);
        let inner = linker
            .instantiate(&mut store, &compile(&engine, mode, INNER))
            .unwrap();
        linker.instance(&store, "inner", inner);
        let outer = linker
            .instantiate(&mut store, &compile(&engine, mode, OUTER))
            .unwrap();
        let call = |store: &mut Store<()>, name: &str| {
            let f = outer.get_func(&*store, name).unwrap();
            let mut r = [Val::I32(0)];
            f.call(store, &[], &mut r).unwrap();
            r[0]
        };
        assert_eq!(call(&mut store, "direct"), Val::I32(1), "{}", mode.name());
        assert_eq!(
            call(&mut store, "through_inner"),
            Val::I32(2),
            "{}: the host saw the entered instance, not its caller",
            mode.name()
        );
    }
}
