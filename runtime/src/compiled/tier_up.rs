//! Tier-up (the multi-tier JIT): Fast JIT code counts function entries
//! and loop iterations down from the threshold
//! ([`crate::Config::tier_up_threshold`]); a counter that runs out calls
//! [`kiln_rt_tier_up`], which queues that one function for LLVM on the
//! background workers ([`super::tier_pool`]). LLVM compiles it alone,
//! without direct calls (every call still goes through the table), into a
//! partial artifact; once it is mapped and registered for traps, the
//! function's code slot gets its address with one atomic store, and its
//! Fast JIT entry jumps there from then on.
//!
//! With `--cache`, tiered functions are kept and start from LLVM code in
//! the next run ([`super::tier_cache`]). Not yet: transfers into LLVM code
//! in the middle of a hot loop, batches of several functions.

use super::CompiledCode;
use crate::engine::Engine;
use crate::error::Trap;
use crate::instance::InstanceEntity;
use crate::vm::host_context::stash_trap;
use crate::vm::traps::raise_trap;
use crate::vm::vmcontext::VMContextHeader;
use kiln_format::TrapCode;
use std::sync::atomic::{AtomicI32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// The tier-up state of one module compiled by the Fast JIT.
pub(crate) struct TierUp {
    /// Hotness left before tier-up, by function index.
    counters: Box<[AtomicI32]>,
    /// LLVM code to enter instead of the Fast JIT's, by function index (0: none).
    slots: Box<[AtomicUsize]>,
    /// Every counter's first value (the threshold less one).
    initial: i32,
    num_imported_funcs: u32,
    engine: Engine,
    /// The module's wasm, kept from the first hot function on.
    wasm: OnceLock<Arc<[u8]>>,
    /// The LLVM code made so far, kept as long as the module.
    code: Mutex<Vec<CompiledCode>>,
    /// Where tiered functions are kept between runs (`--cache`).
    cache: Option<std::path::PathBuf>,
    stats: Stats,
}

/// What tier-up did, for `--tier-stats`.
#[derive(Default)]
struct Stats {
    /// Functions whose counter ran out.
    hot: AtomicU64,
    /// Functions that now enter LLVM code.
    tiered: AtomicU64,
    /// Functions LLVM could not compile.
    failed: AtomicU64,
    /// Time the background compiles took, in microseconds.
    compile_micros: AtomicU64,
}

impl TierUp {
    /// Counters at `engine`'s threshold for a module of `num_funcs`
    /// functions, the first `num_imported_funcs` of them imported.
    pub fn new(
        engine: &Engine,
        wasm: &[u8],
        num_funcs: usize,
        num_imported_funcs: u32,
    ) -> Arc<TierUp> {
        let threshold = engine.config().tier_up_threshold.clamp(1, i32::MAX as u32) as i32;
        let tier = Arc::new(TierUp {
            // The counter is decremented before it is tested: a threshold
            // of 1 fires on the first entry.
            counters: (0..num_funcs)
                .map(|_| AtomicI32::new(threshold - 1))
                .collect(),
            slots: (0..num_funcs).map(|_| AtomicUsize::new(0)).collect(),
            initial: threshold - 1,
            num_imported_funcs,
            engine: engine.clone(),
            wasm: OnceLock::new(),
            code: Mutex::new(Vec::new()),
            cache: cache_dir(engine, wasm),
            stats: Stats::default(),
        });
        tier.load_cached(wasm);
        tier
    }

    /// Starts the functions kept by an earlier run from their LLVM code.
    fn load_cached(&self, wasm: &[u8]) {
        #[cfg(feature = "llvm")]
        if let Some(dir) = &self.cache {
            for code in super::tier_cache::load(dir, wasm) {
                self.install(&code, 0..self.slots.len() as u32);
                if let Ok(mut kept) = self.code.lock() {
                    kept.push(code);
                }
            }
        }
        let _ = wasm;
    }

    /// Points the slot of each of `indices` that `code` holds at it
    /// (`code` must then be kept as long as the module). Fast JIT code
    /// entered later jumps there before it counts.
    fn install(&self, code: &CompiledCode, indices: impl Iterator<Item = u32>) {
        for index in indices {
            let (Some(addr), Some(slot)) = (code.func(index), self.slots.get(index as usize))
            else {
                continue;
            };
            slot.store(addr, Ordering::Release);
            self.stats.tiered.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// The addresses the Fast JIT's code uses.
    pub fn hooks(&self) -> kiln_fast_jit::TierUp {
        kiln_fast_jit::TierUp {
            counters: self.counters.as_ptr() as usize,
            slots: self.slots.as_ptr() as usize,
            hook: kiln_rt_tier_up as *const () as usize,
        }
    }

    /// How much function `index` has run since it became hot (its counter
    /// goes on counting down from `i32::MAX`).
    pub fn heat(&self, index: u32) -> i64 {
        self.counters
            .get(index as usize)
            .map_or(0, |c| i32::MAX as i64 - c.load(Ordering::Relaxed) as i64)
    }

    /// `--jit-threads` of the engine.
    pub fn jit_threads(&self) -> usize {
        self.engine.config().jit_threads
    }

    /// Function `index` ran out of hotness: queue it for LLVM (or, with
    /// `Config::tier_up_sync`, compile it now).
    fn hot(self: &Arc<Self>, index: u32, wasm: &[u8]) {
        let Some(counter) = self.counters.get(index as usize) else {
            return;
        };
        counter.store(i32::MAX, Ordering::Relaxed);
        self.stats.hot.fetch_add(1, Ordering::Relaxed);
        self.wasm.get_or_init(|| wasm.into());
        if self.engine.config().tier_up_sync {
            self.compile(&[index]);
        } else {
            super::tier_pool::submit(Arc::downgrade(self), index);
        }
    }

    /// Compiles functions `indices` (ascending) with LLVM, in one batch,
    /// and gives them the code.
    pub fn compile(&self, indices: &[u32]) {
        let (Some(wasm), Some(&first)) = (self.wasm.get(), indices.first()) else {
            return;
        };
        let defs: Vec<u32> = indices
            .iter()
            .map(|i| i - self.num_imported_funcs)
            .collect();
        let start = std::time::Instant::now();
        let code = llvm_functions(&self.engine, wasm, defs);
        self.stats
            .compile_micros
            .fetch_add(start.elapsed().as_micros() as u64, Ordering::Relaxed);
        match code {
            Ok((code, bytes)) => {
                #[cfg(feature = "llvm")]
                if let Some(dir) = &self.cache {
                    super::tier_cache::store(dir, first, &bytes);
                }
                let _ = (bytes, first);
                self.install(&code, indices.iter().copied());
                if let Ok(mut kept) = self.code.lock() {
                    kept.push(code);
                }
            }
            Err(e) => {
                self.stats
                    .failed
                    .fetch_add(indices.len() as u64, Ordering::Relaxed);
                if crate::log::enabled("tier") {
                    eprintln!("kiln: tier-up: LLVM could not compile functions {indices:?}: {e}");
                }
            }
        }
    }

    /// A snapshot of the statistics.
    pub fn snapshot(&self) -> TierStats {
        let hot = self.stats.hot.load(Ordering::Relaxed);
        let tiered = self.stats.tiered.load(Ordering::Relaxed);
        let failed = self.stats.failed.load(Ordering::Relaxed);
        let ran = self
            .counters
            .iter()
            .filter(|c| c.load(Ordering::Relaxed) != self.initial)
            .count();
        TierStats {
            ran_fast_jit: ran as u64,
            hot,
            tiered,
            failed,
            background_compile: std::time::Duration::from_micros(
                self.stats.compile_micros.load(Ordering::Relaxed),
            ),
            queued: hot.saturating_sub(tiered + failed) as usize,
        }
    }
}

/// LLVM's code of defined functions `defs` of `wasm` (validated when the
/// Fast JIT's module was read), calling through the table; and the
/// partial artifact it was loaded from.
#[cfg(feature = "llvm")]
fn llvm_functions(
    engine: &Engine,
    wasm: &[u8],
    defs: Vec<u32>,
) -> Result<(CompiledCode, Vec<u8>), String> {
    let opts = super::tier_cache::options(engine, defs)?;
    let bytes = kiln_compiler::compile_artifact(wasm, &opts).map_err(|e| e.to_string())?;
    let artifact = super::load_artifact(&bytes, Some(wasm), true).map_err(|e| e.to_string())?;
    let code = super::artifact_code(artifact).map_err(|e| e.to_string())?;
    Ok((code, bytes))
}

#[cfg(not(feature = "llvm"))]
fn llvm_functions(
    _engine: &Engine,
    _wasm: &[u8],
    _defs: Vec<u32>,
) -> Result<(CompiledCode, Vec<u8>), String> {
    Err("this build of kiln has no LLVM".into())
}

#[cfg(feature = "llvm")]
fn cache_dir(engine: &Engine, wasm: &[u8]) -> Option<std::path::PathBuf> {
    super::tier_cache::module_dir(engine, wasm)
}

#[cfg(not(feature = "llvm"))]
fn cache_dir(_engine: &Engine, _wasm: &[u8]) -> Option<std::path::PathBuf> {
    None
}

/// `void kiln_rt_tier_up(vmctx, index)`: a hotness counter ran out.
///
/// # Safety
/// Called only by Fast JIT code compiled with tier-up, with its own
/// `vmctx` (a live instance of the module) and its function index.
pub(crate) unsafe extern "C" fn kiln_rt_tier_up(vmctx: *mut u8, index: u32) {
    // SAFETY: `vmctx` is a live instance's context (the caller's contract),
    // whose `runtime` field is its InstanceEntity.
    let inst = unsafe { &*((*(vmctx as *const VMContextHeader)).runtime as *const InstanceEntity) };
    let m = &inst.module.inner;
    match m.code.as_ref().and_then(|c| c.tier_up()) {
        Some(t) => t.hot(index, &m.bytes),
        None => {
            stash_trap(Trap::host("tier-up hook of a module without tier-up"));
            // SAFETY: compiled code only runs inside `catch_traps`.
            unsafe { raise_trap(TrapCode::HostError) }
        }
    }
}

/// What tier-up did for one module ([`crate::Module::tier_stats`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TierStats {
    /// Functions whose Fast JIT code ran.
    pub ran_fast_jit: u64,
    /// Functions whose hotness counter ran out.
    pub hot: u64,
    /// Functions whose Fast JIT entry now jumps to LLVM code.
    pub tiered: u64,
    /// Functions LLVM could not compile (they stay in the Fast JIT).
    pub failed: u64,
    /// Time the background LLVM compiles took, summed.
    pub background_compile: std::time::Duration,
    /// Hot functions still waiting for LLVM code.
    pub queued: usize,
}
