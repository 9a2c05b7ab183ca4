//! The `spectest` module every script may import from.

use kiln_runtime::*;

/// Defines `spectest` in `linker`: print functions, globals, a table and a memory.
pub fn define(store: &mut Store<()>, linker: &mut Linker<()>) -> Result<(), Error> {
    use ValType::*;
    let prints: [(&str, Vec<ValType>); 7] = [
        ("print", vec![]),
        ("print_i32", vec![I32]),
        ("print_i64", vec![I64]),
        ("print_f32", vec![F32]),
        ("print_f64", vec![F64]),
        ("print_i32_f32", vec![I32, F32]),
        ("print_f64_f64", vec![F64, F64]),
    ];
    for (name, params) in prints {
        let f = Func::new(store, FuncType::new(params, []), |_, _, _| Ok(()));
        linker.define("spectest", name, f);
    }
    let globals = [
        ("global_i32", I32, Val::I32(666)),
        ("global_i64", I64, Val::I64(666)),
        ("global_f32", F32, Val::F32(666.6f32.to_bits())),
        ("global_f64", F64, Val::F64(666.6f64.to_bits())),
    ];
    for (name, content, v) in globals {
        let g = Global::new(
            store,
            GlobalType {
                val: content,
                mutable: false,
            },
            v,
        )?;
        linker.define("spectest", name, g);
    }
    let table = Table::new(
        store,
        TableType::new(RefType::FuncRef, 10, Some(20)),
        Val::FuncRef(None),
    )?;
    linker.define("spectest", "table", table);
    let memory = Memory::new(store, MemoryType::new(1, Some(2)))?;
    linker.define("spectest", "memory", memory);
    Ok(())
}
