//! Runs an export of a module with no arguments and prints its results and
//! the time taken: `cargo run --release --example run_export -- FILE [FUNC]`.

use kiln_runtime::*;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: run_export FILE [FUNC]")?;
    let func = args.next().unwrap_or_else(|| "run".into());
    let engine = Engine::default();
    let module = Module::new(&engine, &std::fs::read(path)?)?;
    let mut store = Store::new(&engine, ());
    let instance = Linker::new().instantiate(&mut store, &module)?;
    let f = instance.get_func(&store, &func).ok_or("no such export")?;
    let mut results = vec![Val::I32(0); f.ty(&store).results().len()];
    let start = Instant::now();
    f.call(&mut store, &[], &mut results)?;
    println!("{results:?} in {:?}", start.elapsed());
    Ok(())
}
