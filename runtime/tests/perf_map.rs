//! `ProfilingStrategy::PerfMap`: running a module with named functions in
//! every compiled mode appends an entry per function to
//! `/tmp/perf-PID.map`, named `wasm[MODULE]::NAME [TIER]`, with nonzero
//! sizes and no two ranges overlapping.
//!
//! One test, so that nothing else in this process writes the map while it
//! runs; the map is removed at the end, pass or fail.

#![cfg(feature = "fast-jit")]

use kiln_runtime::{
    is_running_mode_supported, Config, Engine, Instance, Linker, Module, ProfilingStrategy,
    RunningMode, Store, Val,
};

/// `$hot` loops calling `$helper`; the export `cold` has no name of its
/// own, so its export name stands in.
fn wat(module: &str) -> String {
    format!(
        r#"(module ${module}
  (func $hot (export "run") (param i32) (result i32) (local i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get 0)))
        (local.set 1 (call $helper (local.get 1) (local.get 0)))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (br $next)))
    (i32.add (local.get 1) (call 2)))
  (func $helper (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1)))
  (func (export "cold") (result i32) (i32.const 0)))"#
    )
}

fn engine(mode: RunningMode, eager: bool) -> Engine {
    Engine::new(Config {
        default_mode: Some(mode),
        allow_incomplete_modes: true,
        fast_jit_eager: eager,
        tier_up_threshold: 1,
        tier_up_sync: true,
        profiling: ProfilingStrategy::PerfMap,
        ..Config::default()
    })
    .expect("mode is built")
}

/// Runs `run(10)` of `module` in a new store; returns what must stay alive
/// for the map's addresses to stay meaningful.
fn run(engine: &Engine, module: Module) -> (Module, Store<()>, Instance) {
    let mut store = Store::new(engine, ());
    let inst = Linker::new().instantiate(&mut store, &module).unwrap();
    let f = inst.get_func(&store, "run").unwrap();
    let mut out = [Val::I32(0)];
    f.call(&mut store, &[Val::I32(10)], &mut out).unwrap();
    assert_eq!(out[0], Val::I32(55));
    (module, store, inst)
}

/// Removes the map when dropped.
struct RemoveMap(std::path::PathBuf);

impl Drop for RemoveMap {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// `(start, size, name)` of each line.
fn parse(map: &str) -> Vec<(u64, u64, String)> {
    map.lines()
        .map(|line| {
            let mut parts = line.splitn(3, ' ');
            let mut hex = || u64::from_str_radix(parts.next().unwrap(), 16).unwrap();
            let (start, size) = (hex(), hex());
            (start, size, parts.next().unwrap().to_string())
        })
        .collect()
}

#[test]
fn every_mode_names_its_functions_in_the_perf_map() {
    let path = std::path::PathBuf::from(format!("/tmp/perf-{}.map", std::process::id()));
    let _remove = RemoveMap(path.clone());
    let llvm = is_running_mode_supported(RunningMode::LlvmJit);
    let mut alive = Vec::new();
    // (module name, tiers its functions must be listed under)
    let mut expected: Vec<(&str, Vec<&str>)> = Vec::new();

    let e = engine(RunningMode::FastJit, false);
    let m = Module::new(&e, &wat::parse_str(wat("lazy")).unwrap()).unwrap();
    alive.push(run(&e, m));
    expected.push(("lazy", vec!["fast-jit"]));

    let e = engine(RunningMode::FastJit, true);
    let m = Module::new(&e, &wat::parse_str(wat("eager")).unwrap()).unwrap();
    alive.push(run(&e, m));
    expected.push(("eager", vec!["fast-jit"]));

    #[cfg(feature = "llvm")]
    if llvm {
        let e = engine(RunningMode::LlvmJit, false);
        let m = Module::new(&e, &wat::parse_str(wat("llvm")).unwrap()).unwrap();
        alive.push(run(&e, m));
        expected.push(("llvm", vec!["llvm"]));

        let e = engine(RunningMode::MultiTierJit, false);
        let m = Module::new(&e, &wat::parse_str(wat("tiers")).unwrap()).unwrap();
        alive.push(run(&e, m));
        expected.push(("tiers", vec!["fast-jit", "tier-up"]));

        let e = engine(RunningMode::LlvmJit, false);
        let wasm = wat::parse_str(wat("aot")).unwrap();
        let artifact = e.precompile_module(&wasm).unwrap();
        let m = Module::from_artifact(&e, &artifact, Some(&wasm)).unwrap();
        alive.push(run(&e, m));
        expected.push(("aot", vec!["aot"]));
    }
    if !llvm {
        eprintln!("no LLVM in this build: only the Fast JIT's entries are checked");
    }

    let map = std::fs::read_to_string(&path).expect("the perf map was written");
    let mut entries = parse(&map);
    for (module, tiers) in &expected {
        for tier in tiers {
            for func in ["hot", "helper", "cold"] {
                let name = format!("wasm[{module}]::{func} [{tier}]");
                assert!(
                    entries.iter().any(|(_, size, n)| *n == name && *size > 0),
                    "no entry `{name}` in\n{map}"
                );
            }
        }
    }
    if llvm {
        assert!(
            map.contains("trampoline[array_call type"),
            "no trampoline in\n{map}"
        );
    }
    entries.sort();
    for pair in entries.windows(2) {
        let ((a, a_size, a_name), (b, _, b_name)) = (&pair[0], &pair[1]);
        assert!(a + a_size <= *b, "`{a_name}` overlaps `{b_name}`");
    }
    drop(alive);
}
