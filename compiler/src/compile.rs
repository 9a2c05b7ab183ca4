//! The compilation pipeline: validate, translate, verify, optimise, emit.
//!
//! Objects are emitted in parallel, one per chunk of functions plus one
//! for the trampolines ([`crate::parallel`]), and merged by the artifact
//! writer. LLVM IR output (`--format llvmir-*`) builds and optimises
//! contiguous chunks of functions (light and other functions together,
//! so its inlining can differ from the objects'), each in its own
//! context, and links them in order into one module to print. Calls to defined functions are direct, so LLVM may
//! inline within a chunk; because the chunks never depend on the thread
//! count, neither does the output.

use crate::env::ModuleEnv;
use crate::error::{CompileError, Result};
use crate::module_gen::{build_module, verify, ModuleParts};
use crate::options::CompileOptions;
use crate::parallel::{chunk_count, chunks, Timings};
use crate::translate::TranslateConfig;
use inkwell::context::Context;
use inkwell::memory_buffer::MemoryBuffer;
use inkwell::module::Module;
use inkwell::targets::TargetMachine;
use kiln_format::artifact::SymbolSites;
use kiln_format::VMOffsets;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
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
    /// Where each function's wasm instructions lie in its code (objects
    /// with `CompileOptions::wasm_offsets` only; the artifact's
    /// `.kiln.sites`).
    pub sites: Vec<SymbolSites>,
}

/// Compiles `wasm` to an ELF relocatable object for `opts.target`.
pub fn compile_module(wasm: &[u8], opts: &CompileOptions) -> Result<CompiledObject> {
    compile(wasm, opts, OutputKind::Object)
}

/// Compiles `wasm` to the output `kind`.
pub fn compile(wasm: &[u8], opts: &CompileOptions, kind: OutputKind) -> Result<CompiledObject> {
    if kind != OutputKind::Object {
        return compile_ir(wasm, opts, kind);
    }
    let (objects, mut compiled) = compile_objects(wasm, opts)?;
    let start = Instant::now();
    compiled.bytes = crate::artifact::write_object(&objects)?;
    compiled.timings.push(("merge objects", start.elapsed()));
    Ok(compiled)
}

/// Compiles `wasm` to one object per unit ([`crate::parallel`]), in unit
/// order, and the report of that compile (its `bytes` empty).
pub(crate) fn compile_objects(
    wasm: &[u8],
    opts: &CompileOptions,
) -> Result<(Vec<Vec<u8>>, CompiledObject)> {
    let (env, config, mut timings) = prepare(wasm, opts)?;
    let n = env.num_defined_funcs();
    let done = AtomicUsize::new(0);
    let tick = || {
        if let Some(report) = opts.progress {
            let d = done.fetch_add(1, Ordering::Relaxed) + 1;
            report("compiling", d, n as usize)
        }
    };
    let units = crate::parallel::units(&env, opts);
    let threads = opts.thread_count().min(units.len()).max(1);
    let (objects, sites, spent) =
        crate::parallel::emit_objects(&env, &config, opts, &units, threads, &tick)?;
    timings.extend(spent);
    let compiled = CompiledObject {
        bytes: Vec::new(),
        kind: OutputKind::Object,
        num_defined_funcs: n,
        num_imported_funcs: env.num_imported_funcs,
        bounds_checks: config.bounds_checks,
        timings,
        sites,
    };
    Ok((objects, compiled))
}

/// Validates `wasm` and checks `opts` against it: the module environment,
/// the translation settings and the time taken.
fn prepare<'w>(
    wasm: &'w [u8],
    opts: &CompileOptions,
) -> Result<(ModuleEnv<'w>, TranslateConfig, Timings)> {
    opts.validate()?;
    if let Some(report) = opts.progress {
        report("validating", 0, 0)
    }
    let start = Instant::now();
    let env = read_env(wasm, opts)?;
    let timings = vec![("parse+validate", start.elapsed())];
    let config = TranslateConfig {
        offsets: VMOffsets::new(opts.target.pointer_bytes(), env.counts()),
        bounds_checks: opts.bounds_checks(),
        direct_calls: opts.direct_calls,
        wasm_offsets: opts.wasm_offsets,
    };
    let n = env.num_defined_funcs();
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
    Ok((env, config, timings))
}

/// LLVM IR text of `wasm`: the chunks of [`crate::parallel`], each built
/// (and optimised, for `LlvmIrOpt`) in its own context, linked in order,
/// with the trampolines added.
fn compile_ir(wasm: &[u8], opts: &CompileOptions, kind: OutputKind) -> Result<CompiledObject> {
    let (env, config, mut timings) = prepare(wasm, opts)?;
    let machine = opts.target.target_machine(opts.opt_level)?;
    let ctx = Context::create();
    let optimize = kind != OutputKind::LlvmIrUnopt;
    let n = env.num_defined_funcs();
    let threads = opts.thread_count().min(n.max(1) as usize).max(1);
    let start = Instant::now();
    let ranges = chunks(n, chunk_count(n));
    let module = match &opts.only_defined {
        Some(only) => {
            let parts = ModuleParts {
                defined: only.iter().copied(),
                osr: &opts.osr_entries,
                name: "kiln",
            };
            let m = build_module(&ctx, &env, &config, &machine, parts, &|| {})?;
            verify(&m)?;
            if optimize {
                run_pipeline(&m, &machine, opts)?;
            }
            m
        }
        None => {
            let m = build_parallel(&ctx, &env, &config, opts, &ranges, threads, optimize)?;
            crate::trampolines::add_trampolines(&ctx, &m, &env)?;
            m
        }
    };
    timings.push(("translate+verify+optimize", start.elapsed()));
    let start = Instant::now();
    let bytes = module.print_to_string().to_bytes().to_vec();
    timings.push(("emit", start.elapsed()));
    Ok(CompiledObject {
        bytes,
        kind,
        num_defined_funcs: n,
        num_imported_funcs: env.num_imported_funcs,
        bounds_checks: config.bounds_checks,
        timings,
        sites: Vec::new(),
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
        wasm_offsets: opts.wasm_offsets,
    };
    let machine = opts.target.target_machine(opts.opt_level)?;
    let n = env.num_defined_funcs();
    let parts = ModuleParts {
        defined: 0..n,
        osr: &[],
        name: "kiln",
    };
    let module = build_module(ctx, &env, &config, &machine, parts, &|| {})?;
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

/// Runs the optimisation pipeline (or `--enable-llvm-passes`) on `module`
/// ([`crate::pipeline`]).
pub fn run_pipeline(
    module: &Module<'_>,
    machine: &TargetMachine,
    opts: &CompileOptions,
) -> Result<()> {
    crate::pipeline::run(module, machine, opts)
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
) -> Result<Module<'ctx>> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let slots: Vec<std::sync::Mutex<Option<Result<Vec<u8>>>>> =
        ranges.iter().map(|_| std::sync::Mutex::new(None)).collect();
    let build_chunk = |i: usize| -> Result<Vec<u8>> {
        let machine = opts.target.target_machine(opts.opt_level)?;
        let ctx = Context::create();
        let name = format!("kiln.{i}");
        let parts = ModuleParts {
            defined: ranges[i].clone(),
            osr: &[],
            name: &name,
        };
        let m = build_module(&ctx, env, config, &machine, parts, &|| {})?;
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
