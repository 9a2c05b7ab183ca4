//! Compiling a module to objects on worker threads.
//!
//! The defined functions are split into chunks, the light ones
//! ([`crate::pipeline`]) apart from the others, each set in index order
//! (how many chunks depends only on the set's size); each chunk is translated,
//! verified, optimised and emitted to its own object, in its own LLVM
//! context with its own `TargetMachine` (neither may be shared between
//! threads). The trampolines are one more object. Workers take the units
//! largest first, and each object lands in its unit's slot, so the objects
//! and their order depend neither on the thread count nor on which thread
//! ran what. Calls inside a chunk are direct and may be inlined; a call to
//! a function of another chunk is a relocation that the artifact writer
//! binds to the callee's definition (`artifact::merge`).

use crate::env::ModuleEnv;
use crate::error::{CompileError, Result};
use crate::module_gen::{build_module, verify, ModuleParts};
use crate::options::CompileOptions;
use crate::translate::TranslateConfig;
use inkwell::context::Context;
use inkwell::targets::FileType;
use kiln_format::artifact::SymbolSites;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// One object to emit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Unit {
    /// These defined functions (0-based among the defined ones), all light
    /// ([`crate::pipeline`]) or all not.
    Chunk { funcs: Vec<u32>, light: bool },
    /// `opts.only_defined` and `opts.osr_entries` (tier-up).
    Partial,
    /// The trampolines of the whole module (SPEC.md 4.11).
    Trampolines,
}

/// Named phase times, in order.
pub(crate) type Timings = Vec<(&'static str, Duration)>;

/// Thread time spent per phase, summed over the units.
#[derive(Default)]
struct Spent {
    translate: Duration,
    optimize: Duration,
    emit: Duration,
    sites: Duration,
}

/// One unit's object and the sites of its functions.
type Emitted = (Vec<u8>, Vec<SymbolSites>);

/// The units of a compile of `env`'s defined functions with `opts`: the
/// light functions in chunks of their own, emitted at codegen level 2 at
/// most, and the others (light functions are too large to inline, so the
/// split costs no inlining).
pub(crate) fn units(env: &ModuleEnv<'_>, opts: &CompileOptions) -> Vec<Unit> {
    if opts.only_defined.is_some() {
        return vec![Unit::Partial];
    }
    let n = env.num_defined_funcs();
    let (light, full): (Vec<u32>, Vec<u32>) = (0..n).partition(|&d| {
        crate::pipeline::splits(opts)
            && env
                .bodies
                .get(d as usize)
                .is_some_and(crate::pipeline::is_light)
    });
    let mut units = Vec::new();
    for (funcs, light) in [(full, false), (light, true)] {
        let count = funcs.len() as u32;
        units.extend(
            chunks(count, chunk_count(count))
                .into_iter()
                .map(|r| Unit::Chunk {
                    funcs: funcs[r.start as usize..r.end as usize].to_vec(),
                    light,
                }),
        );
    }
    units.push(Unit::Trampolines);
    units
}

/// Emits one object per unit on up to `threads` workers; returns the
/// objects in unit order, the sites of their functions (when
/// `config.wasm_offsets`) and the time per phase, summed over threads.
pub(crate) fn emit_objects(
    env: &ModuleEnv<'_>,
    config: &TranslateConfig,
    opts: &CompileOptions,
    units: &[Unit],
    threads: usize,
    tick: &(dyn Fn() + Sync),
) -> Result<(Vec<Vec<u8>>, Vec<SymbolSites>, Timings)> {
    // Largest first, so that the last unit to start is a short one.
    let cost = |u: &Unit| -> u64 {
        match u {
            Unit::Chunk { funcs, .. } => funcs
                .iter()
                .filter_map(|&d| env.bodies.get(d as usize))
                .map(|b| b.range().end - b.range().start)
                .sum(),
            Unit::Partial => 0,
            Unit::Trampolines => env.types.len() as u64 * 64,
        }
    };
    let mut order: Vec<usize> = (0..units.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(cost(&units[i])), i));
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<Result<Emitted>>>> =
        units.iter().map(|_| Mutex::new(None)).collect();
    let spent = Mutex::new(Spent::default());
    let start = Instant::now();
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads.clamp(1, units.len().max(1)))
            .map(|_| {
                s.spawn(|| {
                    while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                        let mut mine = Spent::default();
                        let out = emit_unit(env, config, opts, &units[i], tick, &mut mine);
                        *slots[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(out);
                        let mut total = spent.lock().unwrap_or_else(|e| e.into_inner());
                        total.translate += mine.translate;
                        total.optimize += mine.optimize;
                        total.emit += mine.emit;
                        total.sites += mine.sites;
                    }
                })
            })
            .collect();
        for w in workers {
            if w.join().is_err() {
                // The unit it held stays empty and is reported below.
            }
        }
    });
    let wall = start.elapsed();
    let mut objects = Vec::with_capacity(slots.len());
    let mut sites = Vec::new();
    for slot in slots {
        let (object, s) = slot
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .unwrap_or_else(|| Err(CompileError::Llvm("a compile worker panicked".into())))?;
        objects.push(object);
        sites.extend(s);
    }
    let spent = spent.into_inner().unwrap_or_else(|e| e.into_inner());
    let timings = vec![
        ("translate+verify (thread time)", spent.translate),
        ("optimize (thread time)", spent.optimize),
        ("emit (thread time)", spent.emit),
        ("read module offsets (thread time)", spent.sites),
        ("translate..emit (wall)", wall),
    ];
    Ok((objects, sites, timings))
}

/// Builds, verifies, optimises and emits `unit` in a context of its own.
fn emit_unit(
    env: &ModuleEnv<'_>,
    config: &TranslateConfig,
    opts: &CompileOptions,
    unit: &Unit,
    tick: &(dyn Fn() + Sync),
    spent: &mut Spent,
) -> Result<Emitted> {
    let start = Instant::now();
    let level = match unit {
        Unit::Chunk { light: true, .. } => opts.opt_level.min(LIGHT_CODEGEN_LEVEL),
        _ => opts.opt_level,
    };
    let machine = opts.target.target_machine(level)?;
    let ctx = Context::create();
    let m = match unit {
        Unit::Chunk { funcs, light } => {
            let first = funcs.first().copied().unwrap_or(0);
            let name = format!("kiln.{}{first}", if *light { "light." } else { "" });
            let parts = ModuleParts {
                defined: funcs.iter().copied(),
                osr: &[],
                name: &name,
            };
            build_module(&ctx, env, config, &machine, parts, tick)?
        }
        Unit::Partial => {
            let parts = ModuleParts {
                defined: opts.only_defined.iter().flatten().copied(),
                osr: &opts.osr_entries,
                name: "kiln",
            };
            build_module(&ctx, env, config, &machine, parts, tick)?
        }
        Unit::Trampolines => {
            let parts = ModuleParts {
                defined: 0..0,
                osr: &[],
                name: "kiln.trampolines",
            };
            let m = build_module(&ctx, env, config, &machine, parts, tick)?;
            // Each is a handful of loads, one call and stores, with nothing
            // for the pipeline to improve; each is verified as it is made.
            crate::trampolines::add_trampolines(&ctx, &m, env)?;
            spent.translate += start.elapsed();
            let start = Instant::now();
            let bytes = machine.write_to_memory_buffer(&m, FileType::Object)?;
            spent.emit += start.elapsed();
            return Ok((bytes.as_slice().to_vec(), Vec::new()));
        }
    };
    verify(&m)?;
    spent.translate += start.elapsed();
    let start = Instant::now();
    crate::compile::run_pipeline(&m, &machine, opts)?;
    if config.wasm_offsets {
        crate::stops::mark(&m);
    }
    spent.optimize += start.elapsed();
    let start = Instant::now();
    let bytes = machine.write_to_memory_buffer(&m, FileType::Object)?;
    spent.emit += start.elapsed();
    let start = Instant::now();
    let sites = if config.wasm_offsets {
        crate::sites::read_sites(bytes.as_slice())?
    } else {
        Vec::new()
    };
    spent.sites += start.elapsed();
    Ok((bytes.as_slice().to_vec(), sites))
}

/// Splits `0..n` into `parts` contiguous, non-empty chunks.
pub(crate) fn chunks(n: u32, parts: usize) -> Vec<Range<u32>> {
    let parts = parts.max(1) as u32;
    (0..parts)
        .map(|i| (n * i / parts)..(n * (i + 1) / parts))
        .filter(|r| !r.is_empty())
        .collect()
}

/// The codegen level of light chunks: level 3's aggressive tail
/// duplication during block placement cost keywords.wasm 12% of its
/// code generation instructions, and its code ran 0.15% fewer
/// instructions for it.
const LIGHT_CODEGEN_LEVEL: u8 = 2;

/// Most chunks the defined functions (light ones, others) are split into.
const CHUNKS: usize = 8;
/// Fewest functions in a chunk, so small modules keep their calls direct.
const MIN_CHUNK: u32 = 16;

/// How many chunks `n` functions are split into: a function of `n` alone,
/// so the output never depends on the thread count.
pub(crate) fn chunk_count(n: u32) -> usize {
    (n.div_ceil(MIN_CHUNK) as usize).clamp(1, CHUNKS)
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
