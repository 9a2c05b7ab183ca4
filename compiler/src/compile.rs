//! The compilation pipeline: validate, translate, verify, optimise, emit.
//!
//! The defined functions are split into contiguous chunks (how many
//! depends only on the function count); worker threads take chunks in
//! turn, each built, verified and optimised in its own LLVM context and
//! handed back as bitcode, which is linked in order into one module for
//! code generation. Calls to defined functions are direct, so LLVM may
//! inline within a chunk; because the chunks never depend on the thread
//! count, neither does the artifact.

use crate::env::ModuleEnv;
use crate::error::{CompileError, Result};
use crate::module_gen::{add_osr_entries, build_module, verify};
use crate::options::CompileOptions;
use crate::translate::TranslateConfig;
use inkwell::context::Context;
use inkwell::memory_buffer::MemoryBuffer;
use inkwell::module::Module;
use inkwell::passes::PassBuilderOptions;
use inkwell::targets::{FileType, TargetMachine};
use kiln_format::VMOffsets;
use std::ops::Range;
use std::time::{Duration, Instant};

/// What `compile` produces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputKind {
    /// An ELF relocatable object.
    Object,
    /// LLVM IR text before optimisation.
    LlvmIrUnopt,
    /// LLVM IR text after the pass pipeline.
    LlvmIrOpt,
}

/// The result of a compilation.
#[derive(Clone, Debug)]
pub struct CompiledObject {
    /// The object file or IR text.
    pub bytes: Vec<u8>,
    /// What `bytes` holds.
    pub kind: OutputKind,
    /// Number of defined functions (one `kiln_func_<index>` symbol each).
    pub num_defined_funcs: u32,
    /// Number of imported functions (the first defined function's index).
    pub num_imported_funcs: u32,
    /// Whether memory accesses were compiled with explicit bounds checks.
    pub bounds_checks: bool,
    /// Wall-clock time per phase, in order.
    pub timings: Vec<(&'static str, Duration)>,
}

/// Compiles `wasm` to an ELF relocatable object for `opts.target`.
pub fn compile_module(wasm: &[u8], opts: &CompileOptions) -> Result<CompiledObject> {
    compile(wasm, opts, OutputKind::Object)
}

/// Compiles `wasm` to the output `kind`.
pub fn compile(wasm: &[u8], opts: &CompileOptions, kind: OutputKind) -> Result<CompiledObject> {
    opts.validate()?;
    let mut timings = Vec::new();
    let total = std::sync::atomic::AtomicUsize::new(0);
    let phase = |name: &str| {
        if let Some(report) = opts.progress {
            report(name, 0, 0)
        }
    };
    let done = std::sync::atomic::AtomicUsize::new(0);
    let tick = || {
        if let Some(report) = opts.progress {
            let d = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            report(
                "translating",
                d,
                total.load(std::sync::atomic::Ordering::Relaxed),
            )
        }
    };
    phase("validating");
    let start = Instant::now();
    let env = read_env(wasm, opts)?;
    timings.push(("parse+validate", start.elapsed()));

    let config = TranslateConfig {
        offsets: VMOffsets::new(opts.target.pointer_bytes(), env.counts()),
        bounds_checks: opts.bounds_checks(),
        direct_calls: opts.direct_calls,
    };
    let machine = opts.target.target_machine(opts.opt_level)?;
    let ctx = Context::create();
    let optimize = kind != OutputKind::LlvmIrUnopt;
    let n = env.num_defined_funcs();
    total.store(n as usize, std::sync::atomic::Ordering::Relaxed);
    let threads = opts.thread_count().min(n.max(1) as usize).max(1);

    phase("translating");
    let start = Instant::now();
    // The chunks depend only on the function count, never on the thread
    // count, so the artifact is the same for every `-j`: calls inside a
    // chunk are direct and may be inlined, and which calls those are must
    // not change with the machine.
    if let Some(only) = &opts.only_defined {
        if only.iter().any(|d| *d >= n) || !only.windows(2).all(|w| w[0] < w[1]) {
            return Err(CompileError::Options(format!(
                "functions {only:?} are not distinct ones, in order, among the {n} defined"
            )));
        }
        if let Some((d, _)) = opts.osr_entries.iter().find(|(d, _)| *d >= n) {
            return Err(CompileError::Options(format!(
                "OSR entry of function {d}, which is not among the {n} defined"
            )));
        }
    }
    let ranges = chunks(n, chunk_count(n));
    let module = if opts.only_defined.is_some() || ranges.len() <= 1 {
        let m = match &opts.only_defined {
            Some(only) => {
                let m = build_module(
                    &ctx,
                    &env,
                    &config,
                    &machine,
                    only.iter().copied(),
                    "kiln",
                    &tick,
                )?;
                add_osr_entries(&ctx, &m, &env, &config, &opts.osr_entries)?;
                m
            }
            None => build_module(&ctx, &env, &config, &machine, 0..n, "kiln", &tick)?,
        };
        verify(&m)?;
        timings.push(("translate+verify", start.elapsed()));
        if optimize {
            phase("optimizing");
            let start = Instant::now();
            run_pipeline(&m, &machine, opts)?;
            timings.push(("optimize", start.elapsed()));
        }
        m
    } else {
        let m = build_parallel(&ctx, &env, &config, opts, &ranges, threads, optimize, &tick)?;
        timings.push(("translate+verify+optimize (chunks)", start.elapsed()));
        m
    };

    // The trampolines are added after optimisation: each is a handful of
    // loads, one call and stores, with nothing for the pipeline to improve.
    // A partial artifact (tier-up) is entered through its caller's
    // trampolines, which it does not repeat.
    if opts.only_defined.is_none() {
        crate::trampolines::add_trampolines(&ctx, &module, &env)?;
    }
    phase("generating code");
    let start = Instant::now();
    let bytes = match kind {
        OutputKind::Object => machine
            .write_to_memory_buffer(&module, FileType::Object)?
            .as_slice()
            .to_vec(),
        OutputKind::LlvmIrUnopt | OutputKind::LlvmIrOpt => {
            module.print_to_string().to_bytes().to_vec()
        }
    };
    timings.push(("emit", start.elapsed()));
    Ok(CompiledObject {
        bytes,
        kind,
        num_defined_funcs: n,
        num_imported_funcs: env.num_imported_funcs,
        bounds_checks: config.bounds_checks,
        timings,
    })
}

/// Validates and translates `wasm` into one verified module of `ctx`,
/// optimised with the options' pipeline when `optimize` is set, with the
/// trampolines of an artifact (`kiln_array_call_<T>`, `kiln_wasm_call_<T>`). Runs on the
/// calling thread; meant for in-process JIT use and tests.
pub fn build_llvm_module<'ctx>(
    ctx: &'ctx Context,
    wasm: &[u8],
    opts: &CompileOptions,
    optimize: bool,
) -> Result<Module<'ctx>> {
    opts.validate()?;
    let env = read_env(wasm, opts)?;
    let config = TranslateConfig {
        offsets: VMOffsets::new(opts.target.pointer_bytes(), env.counts()),
        bounds_checks: opts.bounds_checks(),
        direct_calls: opts.direct_calls,
    };
    let machine = opts.target.target_machine(opts.opt_level)?;
    let n = env.num_defined_funcs();
    let module = build_module(ctx, &env, &config, &machine, 0..n, "kiln", &|| {})?;
    verify(&module)?;
    if optimize {
        run_pipeline(&module, &machine, opts)?;
    }
    crate::trampolines::add_trampolines(ctx, &module, &env)?;
    Ok(module)
}

/// The environment of `wasm`, validated first unless the caller has
/// (`opts.wasm_validated`).
fn read_env<'w>(wasm: &'w [u8], opts: &CompileOptions) -> Result<ModuleEnv<'w>> {
    Ok(if opts.wasm_validated {
        ModuleEnv::read(wasm)?
    } else {
        ModuleEnv::parse(wasm)?
    })
}

/// Runs the optimisation pipeline (or `--enable-llvm-passes`) on `module`.
pub fn run_pipeline(
    module: &Module<'_>,
    machine: &TargetMachine,
    opts: &CompileOptions,
) -> Result<()> {
    let pipeline = opts.pipeline();
    module
        .run_passes(&pipeline, machine, PassBuilderOptions::create())
        .map_err(|e| {
            CompileError::Llvm(format!(
                "pass pipeline `{pipeline}`: {}",
                e.to_string().trim_end()
            ))
        })
}

/// Splits `0..n` into `parts` contiguous, non-empty chunks.
fn chunks(n: u32, parts: usize) -> Vec<Range<u32>> {
    let parts = parts.max(1) as u32;
    (0..parts)
        .map(|i| (n * i / parts)..(n * (i + 1) / parts))
        .filter(|r| !r.is_empty())
        .collect()
}

/// Most chunks the defined functions are split into.
const CHUNKS: usize = 8;
/// Fewest functions in a chunk, so small modules keep their calls direct.
const MIN_CHUNK: u32 = 16;

/// How many chunks `n` functions are split into: a function of `n` alone,
/// so the output never depends on the thread count (see `compile`).
fn chunk_count(n: u32) -> usize {
    (n.div_ceil(MIN_CHUNK) as usize).clamp(1, CHUNKS)
}

/// Builds and optimises `ranges` of functions, each in its own LLVM
/// context, on `threads` workers taking chunks in turn, then links them in
/// order into one module of `ctx`.
#[allow(clippy::too_many_arguments)]
fn build_parallel<'ctx>(
    ctx: &'ctx Context,
    env: &ModuleEnv<'_>,
    config: &TranslateConfig,
    opts: &CompileOptions,
    ranges: &[Range<u32>],
    threads: usize,
    optimize: bool,
    tick: &(dyn Fn() + Sync),
) -> Result<Module<'ctx>> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let slots: Vec<std::sync::Mutex<Option<Result<Vec<u8>>>>> =
        ranges.iter().map(|_| std::sync::Mutex::new(None)).collect();
    let build_chunk = |i: usize| -> Result<Vec<u8>> {
        let machine = opts.target.target_machine(opts.opt_level)?;
        let ctx = Context::create();
        let name = format!("kiln.{i}");
        let m = build_module(&ctx, env, config, &machine, ranges[i].clone(), &name, tick)?;
        verify(&m)?;
        if optimize {
            run_pipeline(&m, &machine, opts)?;
        }
        Ok(m.write_bitcode_to_memory().as_slice().to_vec())
    };
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads.clamp(1, ranges.len()))
            .map(|_| {
                s.spawn(|| loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if i >= ranges.len() {
                        break;
                    }
                    let out = build_chunk(i);
                    *slots[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(out);
                })
            })
            .collect();
        for w in workers {
            if w.join().is_err() {
                // The chunk it held stays empty and is reported below.
            }
        }
    });
    let mut linked: Option<Module<'ctx>> = None;
    for (i, slot) in slots.into_iter().enumerate() {
        let bc = slot
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .unwrap_or_else(|| Err(CompileError::Llvm("a compile worker panicked".into())))?;
        let buf = MemoryBuffer::create_from_memory_range_copy(&bc, &format!("kiln.{i}"));
        let m = Module::parse_bitcode_from_buffer(&buf, ctx)?;
        match &linked {
            None => linked = Some(m),
            Some(main) => main.link_in_module(m)?,
        }
    }
    linked.ok_or_else(|| CompileError::Llvm("no module produced".into()))
}

#[cfg(test)]
mod tests {
    use super::chunks;

    #[test]
    fn chunks_cover_the_range_without_gaps() {
        let c = chunks(10, 3);
        assert_eq!(c, vec![0..3, 3..6, 6..10]);
        assert_eq!(chunks(2, 4), vec![0..1, 1..2]);
        assert!(chunks(0, 4).is_empty());
    }
}
