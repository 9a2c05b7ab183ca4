//! `kiln run`: instantiate a module, call one export, print its results.

use crate::cli::RunArgs;
use crate::load::read_module;
use crate::values;
use kiln_runtime::{Config, Engine, Linker, RunningMode, Store, Val};

/// The running mode chosen by the mode flags, if any.
pub fn selected_mode(a: &RunArgs) -> Result<Option<RunningMode>, String> {
    let flags = [
        (a.interp, RunningMode::Interp),
        (a.fast_jit, RunningMode::FastJit),
        (a.llvm_jit, RunningMode::LlvmJit),
        (a.multi_tier_jit, RunningMode::MultiTierJit),
    ];
    let mut chosen = flags.iter().filter(|(on, _)| *on).map(|(_, m)| *m);
    match (chosen.next(), chosen.next()) {
        (first, None) => Ok(first),
        _ => Err(
            "choose at most one of --interp, --fast-jit, --llvm-jit and --multi-tier-jit".into(),
        ),
    }
}

/// Runs `a`, printing each result on its own line.
pub fn run(a: &RunArgs) -> Result<(), String> {
    // An unsupported mode is refused by `Engine::new`, naming it.
    let mut config = Config {
        default_mode: selected_mode(a)?,
        ..Config::default()
    };
    if let Some(size) = a.stack_size {
        config.stack_size = size;
    }
    if let Some(level) = a.llvm_jit_opt_level {
        config.llvm_opt_level = level;
    }
    let engine = Engine::new(config).map_err(|e| e.to_string())?;
    let module = read_module(&engine, &a.file, a.aot.as_deref())?;
    let mut store = Store::new(&engine, ());
    let instance = Linker::new()
        .instantiate(&mut store, &module)
        .map_err(|e| e.to_string())?;
    let (name, args) = match &a.function {
        Some(f) => (f.as_str(), a.args.as_slice()),
        None => ("_start", &[][..]),
    };
    let func = instance
        .get_func(&store, name)
        .ok_or_else(|| match &a.function {
            Some(_) => format!("the module exports no function `{name}`"),
            None => "the module exports no `_start` function (use -f FUNC to call another export)"
                .to_string(),
        })?;
    let ty = func.ty(&store);
    if ty.params().len() != args.len() {
        return Err(format!(
            "`{name}` takes {} argument(s) ({}), {} given",
            ty.params().len(),
            ty,
            args.len()
        ));
    }
    let params = ty
        .params()
        .iter()
        .zip(args)
        .map(|(t, s)| values::parse(*t, s))
        .collect::<Result<Vec<_>, _>>()?;
    let mut results: Vec<Val> = ty.results().iter().map(|t| Val::default_for(*t)).collect();
    func.call(&mut store, &params, &mut results)
        .map_err(|e| e.to_string())?;
    for r in &results {
        println!("{}", values::show(r));
    }
    Ok(())
}
