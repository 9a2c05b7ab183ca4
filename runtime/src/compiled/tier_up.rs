//! Tier-up (the multi-tier JIT, first version): Fast JIT code counts
//! function entries and loop iterations down from the threshold
//! ([`crate::Config::tier_up_threshold`]); a counter that runs out calls
//! [`kiln_rt_tier_up`], which queues the module for LLVM on the background
//! workers ([`super::tier_pool`]). When LLVM's code of the module (compiled
//! without direct calls, so every call still goes through the table) is
//! ready, each hot function's code slot gets its LLVM code with one atomic
//! store, and the function's Fast JIT entry jumps there from then on.
//!
//! Not yet: compiling only the hot functions (the whole module is compiled
//! once), transfers into LLVM code in the middle of a hot loop, and keeping
//! tiered code in the cache.

use super::CompiledCode;
use crate::engine::Engine;
use crate::error::Trap;
use crate::instance::InstanceEntity;
use crate::vm::host_context::stash_trap;
use crate::vm::traps::raise_trap;
use crate::vm::vmcontext::VMContextHeader;
use kiln_format::TrapCode;
use std::sync::atomic::{AtomicI32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// The tier-up state of one module compiled by the Fast JIT.
pub(crate) struct TierUp {
    /// Hotness left before tier-up, by function index.
    counters: Box<[AtomicI32]>,
    /// LLVM code to enter instead of the Fast JIT's, by function index (0: none).
    slots: Box<[AtomicUsize]>,
    engine: Engine,
    state: Mutex<State>,
    pub stats: Stats,
}

#[derive(Default)]
struct State {
    /// Whether the module has been queued for LLVM.
    requested: bool,
    /// Hot functions waiting for the LLVM code.
    pending: Vec<u32>,
    /// The LLVM code once compiled (`Err`: it could not be).
    llvm: Option<Result<CompiledCode, String>>,
}

/// What tier-up did, for `--tier-stats`.
#[derive(Default)]
pub(crate) struct Stats {
    /// Functions whose counter ran out.
    pub hot: AtomicU64,
    /// Functions that now enter LLVM code.
    pub tiered: AtomicU64,
    /// Time the background compile took, in microseconds.
    pub compile_micros: AtomicU64,
}

impl TierUp {
    /// Counters at `engine`'s threshold for a module of `num_funcs` functions.
    pub fn new(engine: &Engine, num_funcs: usize) -> Arc<TierUp> {
        let threshold = engine.config().tier_up_threshold.clamp(1, i32::MAX as u32) as i32;
        Arc::new(TierUp {
            // The counter is decremented before it is tested: a threshold
            // of 1 fires on the first entry.
            counters: (0..num_funcs)
                .map(|_| AtomicI32::new(threshold - 1))
                .collect(),
            slots: (0..num_funcs).map(|_| AtomicUsize::new(0)).collect(),
            engine: engine.clone(),
            state: Mutex::new(State::default()),
            stats: Stats::default(),
        })
    }

    /// The addresses the Fast JIT's code uses.
    pub fn hooks(&self) -> kiln_fast_jit::TierUp {
        kiln_fast_jit::TierUp {
            counters: self.counters.as_ptr() as usize,
            slots: self.slots.as_ptr() as usize,
            hook: kiln_rt_tier_up as *const () as usize,
        }
    }

    /// Function `index` ran out of hotness: give it LLVM code, now or when
    /// the module's LLVM code is ready.
    fn hot(self: &Arc<Self>, index: u32, wasm: &[u8]) {
        if let Some(c) = self.counters.get(index as usize) {
            c.store(i32::MAX, Ordering::Relaxed);
        }
        self.stats.hot.fetch_add(1, Ordering::Relaxed);
        let Ok(mut st) = self.state.lock() else {
            return;
        };
        match &st.llvm {
            Some(Ok(code)) => self.install(code, index),
            Some(Err(_)) => {}
            None => {
                st.pending.push(index);
                if !st.requested {
                    st.requested = true;
                    if self.engine.config().tier_up_sync {
                        drop(st);
                        self.compile(wasm);
                    } else {
                        super::tier_pool::submit(Arc::downgrade(self), wasm.into());
                    }
                }
            }
        }
    }

    fn install(&self, code: &CompiledCode, index: u32) {
        if let (Some(addr), Some(slot)) = (code.func(index), self.slots.get(index as usize)) {
            slot.store(addr, Ordering::Release);
            self.stats.tiered.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Compiles the module with LLVM (on a background worker) and gives
    /// the functions that became hot meanwhile their code.
    pub fn compile(&self, wasm: &[u8]) {
        let start = std::time::Instant::now();
        let code = llvm_code(&self.engine, wasm);
        self.stats
            .compile_micros
            .fetch_add(start.elapsed().as_micros() as u64, Ordering::Relaxed);
        if let Err(e) = &code {
            if crate::log::enabled("tier") {
                eprintln!("kiln: tier-up: LLVM could not compile the module: {e}");
            }
        }
        let Ok(mut st) = self.state.lock() else {
            return;
        };
        let pending = std::mem::take(&mut st.pending);
        if let Ok(code) = &code {
            for index in pending {
                self.install(code, index);
            }
        }
        st.llvm = Some(code);
    }

    /// `--jit-threads` of the engine.
    pub fn jit_threads(&self) -> usize {
        self.engine.config().jit_threads
    }

    /// Hot functions still waiting for LLVM code.
    pub fn queued(&self) -> usize {
        self.state.lock().map_or(0, |st| st.pending.len())
    }
}

#[cfg(feature = "llvm")]
fn llvm_code(engine: &Engine, wasm: &[u8]) -> Result<CompiledCode, String> {
    // `wasm` was validated when the Fast JIT's module was read.
    super::llvm_code(engine, wasm, false).map_err(|e| e.to_string())
}

#[cfg(not(feature = "llvm"))]
fn llvm_code(_engine: &Engine, _wasm: &[u8]) -> Result<CompiledCode, String> {
    Err("this build of kiln has no LLVM".into())
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
    /// Functions whose hotness counter ran out.
    pub hot: u64,
    /// Functions whose Fast JIT entry now jumps to LLVM code.
    pub tiered: u64,
    /// Time the background LLVM compile took.
    pub background_compile: std::time::Duration,
    /// Hot functions still waiting for LLVM code.
    pub queued: usize,
}

impl TierUp {
    /// A snapshot of the statistics.
    pub fn snapshot(&self) -> TierStats {
        TierStats {
            hot: self.stats.hot.load(Ordering::Relaxed),
            tiered: self.stats.tiered.load(Ordering::Relaxed),
            background_compile: std::time::Duration::from_micros(
                self.stats.compile_micros.load(Ordering::Relaxed),
            ),
            queued: self.queued(),
        }
    }
}
