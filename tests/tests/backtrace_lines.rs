//! Source lines in backtraces (`Config::backtrace_details`):
//! `tests/backtrace/deep.c`, built with `clang -g` into `deep.wasm`, stores
//! through a wild pointer three calls deep; in every mode each frame gives
//! its file and line from the module's DWARF, also for an artifact loaded
//! without its wasm (from `.kiln.debug`); without the switch, none.

use kiln_runtime::wasi::{self, WasiCtx};
use kiln_runtime::{Config, Engine, Error, Linker, Module, RunningMode, Store, TrapCode};
use kiln_tests::Mode;

const DEEP: &[u8] = include_bytes!("../backtrace/deep.wasm");

/// (function, line) of the innermost frames, as deep.c has them.
const WANT: [(&str, u32); 4] = [
    ("inner", 9),
    ("middle", 14),
    ("outer", 19),
    ("__original_main", 24),
];

/// Runs deep.wasm's `_start` and returns the frames of its trap as
/// (function, file, line).
fn frames(engine: &Engine, module: &Module) -> Vec<(String, Option<String>, Option<u32>)> {
    let mut store = Store::new(engine, WasiCtx::builder().arg("deep").build());
    let mut linker = Linker::new();
    wasi::add_to_linker(&mut linker, &mut store, |c| c);
    let instance = linker.instantiate(&mut store, module).unwrap();
    let start = instance.get_func(&store, "_start").unwrap();
    let e = start.call(&mut store, &[], &mut []).unwrap_err();
    let trap = match &e {
        Error::Trap(t) => t,
        other => panic!("not a trap: {other}"),
    };
    assert_eq!(trap.code(), TrapCode::MemoryOutOfBounds);
    let bt = trap.backtrace().expect("a backtrace");
    bt.frames()
        .iter()
        .map(|f| {
            (
                f.func_name().unwrap_or("?").to_string(),
                f.source_file().map(str::to_string),
                f.source_line(),
            )
        })
        .collect()
}

fn engine(mode: Mode, details: bool) -> Engine {
    let running = match mode {
        Mode::Running(m) => m,
        Mode::Aot => RunningMode::Interp,
    };
    Engine::new(Config {
        backtrace_details: details,
        ..kiln_tests::config_for(running)
    })
    .unwrap()
}

fn assert_lines(got: &[(String, Option<String>, Option<u32>)], what: &str) {
    assert!(got.len() >= WANT.len(), "{what}: {got:?}");
    for ((name, file, line), (want_name, want_line)) in got.iter().zip(WANT) {
        assert_eq!(name, want_name, "{what}: {got:?}");
        assert!(
            file.as_deref().is_some_and(|f| f.ends_with("deep.c")),
            "{what}: {got:?}"
        );
        assert_eq!(*line, Some(want_line), "{what}: {got:?}");
    }
}

/// Every built mode, multi-tier included.
fn modes() -> Vec<Mode> {
    let mut modes = kiln_tests::built_modes();
    let multi: Mode = "multi-tier".parse().unwrap();
    if multi.check().is_ok() {
        modes.push(multi);
    }
    modes
}

#[test]
fn every_mode_shows_source_lines() {
    for mode in modes() {
        let engine = engine(mode, true);
        let module = kiln_tests::compile_in(&engine, mode, DEEP).unwrap();
        assert_lines(&frames(&engine, &module), mode.name());
    }
}

/// Multi-tier with every function moved to LLVM code on its first call:
/// the lines of tier-up's code come from the wasm.
#[test]
fn tiered_up_code_shows_source_lines() {
    let mode: Mode = "multi-tier".parse().unwrap();
    if mode.check().is_err() {
        return;
    }
    let engine = Engine::new(Config {
        backtrace_details: true,
        tier_up_threshold: 1,
        tier_up_sync: true,
        ..kiln_tests::config_for(RunningMode::MultiTierJit)
    })
    .unwrap();
    let module = Module::new(&engine, DEEP).unwrap();
    assert_lines(&frames(&engine, &module), "tiered up");
    let tiered = module.tier_stats().map_or(0, |t| t.tiered);
    assert!(tiered > 0, "no function moved to LLVM code");
}

#[test]
fn an_artifact_alone_shows_source_lines() {
    let mode: Mode = "aot".parse().unwrap();
    if mode.check().is_err() {
        eprintln!("skipped: no LLVM here");
        return;
    }
    let engine = engine(mode, true);
    let artifact = engine.precompile_module(DEEP).unwrap();
    let module = Module::from_artifact(&engine, &artifact, None).unwrap();
    assert_lines(&frames(&engine, &module), "artifact without its wasm");
}

#[test]
fn no_lines_without_the_switch() {
    for mode in modes() {
        let engine = engine(mode, false);
        let module = kiln_tests::compile_in(&engine, mode, DEEP).unwrap();
        let got = frames(&engine, &module);
        assert!(
            got.iter().all(|f| f.1.is_none() && f.2.is_none()),
            "{got:?}"
        );
        let names: Vec<_> = got.iter().take(4).map(|f| f.0.as_str()).collect();
        assert_eq!(names, WANT.map(|w| w.0), "{}", mode.name());
    }
}
