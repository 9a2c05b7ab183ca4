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
//! A counter that runs out at a loop header whose operand stack is empty
//! also asks for an OSR entry at that loop ([`super::tier_osr`]): once it
//! is installed, the function's counter is set to 0, so a frame still
//! looping in Fast JIT code asks the hook again at its next loop header,
//! gets the entry, and moves to LLVM code with its locals.
//!
//! With `--cache`, tiered functions and entries are kept and start from
//! LLVM code in the next run ([`super::tier_cache`]).

use super::tier_osr::OsrEntries;
use super::CompiledCode;
use crate::engine::Engine;
use crate::error::Trap;
use crate::instance::InstanceEntity;
use crate::vm::host_context::stash_trap;
use crate::vm::traps::raise_trap;
use crate::vm::vmcontext::VMContextHeader;
use kiln_format::osr::NO_LOOP;
use kiln_format::TrapCode;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// The tier-up state of one module compiled by the Fast JIT.
pub(crate) struct TierUp {
    /// Hotness left before tier-up, by function index.
    counters: Box<[AtomicI32]>,
    /// LLVM code to enter instead of the Fast JIT's, by function index (0: none).
    slots: Box<[AtomicUsize]>,
    /// Whether each function was queued for LLVM, by function index.
    queued: Box<[AtomicBool]>,
    /// The loop whose OSR entry was made last, by function index
    /// (`NO_LOOP`: none); an outermost loop of that ordinal calls the hook.
    armed: Box<[AtomicU32]>,
    /// Transfers into OSR entries, by function index.
    transfers: Box<[AtomicU32]>,
    /// OSR entries asked for and made.
    osr: OsrEntries,
    /// Every counter's first value (the threshold less one).
    initial: i32,
    num_imported_funcs: u32,
    engine: Engine,
    /// The module's wasm, kept from the first hot function on.
    wasm: OnceLock<Arc<[u8]>>,
    /// The LLVM code made so far, kept as long as the module.
    code: Mutex<Vec<CompiledCode>>,
    /// Where tiered functions are kept between runs (`--cache`).
    #[cfg(feature = "llvm")]
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
    /// Fast JIT frames that moved to an OSR entry.
    transfers: AtomicU64,
}

/// Transfers into a function's OSR entries after which its loop is no
/// longer armed (see [`TierUp::transfer`]).
const ARMED_TRANSFERS: u32 = 16;

/// Stores of 0 into a counter that Fast JIT code may be decrementing, at
/// most (see [`TierUp::wake`]).
const WAKE_ATTEMPTS: usize = 1000;

/// One piece of LLVM work: a function (by index), or with a loop ordinal,
/// its OSR entry at that loop.
pub(crate) type Work = (u32, Option<u32>);

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
            queued: (0..num_funcs).map(|_| AtomicBool::new(false)).collect(),
            armed: (0..num_funcs).map(|_| AtomicU32::new(NO_LOOP)).collect(),
            transfers: (0..num_funcs).map(|_| AtomicU32::new(0)).collect(),
            osr: OsrEntries::default(),
            initial: threshold - 1,
            num_imported_funcs,
            engine: engine.clone(),
            wasm: OnceLock::new(),
            code: Mutex::new(Vec::new()),
            #[cfg(feature = "llvm")]
            cache: super::tier_cache::module_dir(engine, wasm),
            stats: Stats::default(),
        });
        tier.load_cached(wasm);
        tier
    }

    /// Starts the functions kept by an earlier run from their LLVM code.
    fn load_cached(&self, wasm: &[u8]) {
        #[cfg(feature = "llvm")]
        if let Some(dir) = &self.cache {
            for code in super::tier_cache::load(&self.engine, dir, wasm) {
                // No frame runs yet: the entries wait for their counters.
                let work = Self::everything_in(&code, self.slots.len() as u32);
                self.install(&code, &work, false);
                if let Ok(mut kept) = self.code.lock() {
                    kept.push(code);
                }
            }
        }
        let _ = wasm;
    }

    /// Points the slot of each function of `work` that `code` holds at
    /// it, and records its OSR entries (`code` must then be kept as long as
    /// the module). Fast JIT code entered later jumps there before it
    /// counts; with `wake`, frames looping in the function's Fast JIT code
    /// call the hook at their next count (its counter is set to 0), to
    /// find the new OSR entry or to ask for one.
    fn install(&self, code: &CompiledCode, work: &[Work], wake: bool) {
        for &(index, osr) in work {
            let Some(slot) = self.slots.get(index as usize) else {
                continue;
            };
            match osr {
                None => {
                    if let Some(addr) = code.func(index) {
                        slot.store(addr, Ordering::Release);
                        self.stats.tiered.fetch_add(1, Ordering::Relaxed);
                        // A frame still looping in its Fast JIT code asks
                        // for an entry into a loop.
                        if wake {
                            self.wake(index);
                        }
                    }
                }
                Some(l) => {
                    let addr = code
                        .osr_entries()
                        .into_iter()
                        .find(|(k, _)| *k == (index, l));
                    self.osr.set(index, l, addr.map(|(_, a)| a));
                    if addr.is_some() {
                        if let Some(armed) = self.armed.get(index as usize) {
                            armed.store(l, Ordering::Release);
                        }
                        if wake {
                            self.wake(index);
                        }
                    }
                }
            }
        }
    }

    /// Sets function `index`'s counter to 0, so that its next count calls
    /// the hook. Fast JIT code decrements the counter without a locked
    /// instruction, so a thread looping there can write back its old value
    /// over this store: it is repeated until the counter stays away from
    /// where the hook left it (near `i32::MAX`), a bounded number of times.
    fn wake(&self, index: u32) {
        let Some(counter) = self.counters.get(index as usize) else {
            return;
        };
        for _ in 0..WAKE_ATTEMPTS {
            counter.store(0, Ordering::Relaxed);
            // Longer than a decrement in flight takes to land.
            std::thread::sleep(std::time::Duration::from_micros(20));
            if counter.load(Ordering::Relaxed) < i32::MAX / 2 {
                return;
            }
        }
    }

    /// Everything `code` (a kept partial artifact) holds.
    #[cfg(feature = "llvm")]
    fn everything_in(code: &CompiledCode, num_funcs: u32) -> Vec<Work> {
        let mut work: Vec<Work> = (0..num_funcs)
            .filter(|i| code.func(*i).is_some())
            .map(|i| (i, None))
            .collect();
        work.extend(code.osr_entries().iter().map(|((f, l), _)| (*f, Some(*l))));
        work
    }

    /// The addresses the Fast JIT's code uses.
    pub fn hooks(&self) -> kiln_fast_jit::TierUp {
        kiln_fast_jit::TierUp {
            counters: self.counters.as_ptr() as usize,
            slots: self.slots.as_ptr() as usize,
            armed: self.armed.as_ptr() as usize,
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

    /// Function `index` ran out of hotness at loop `here`, in the loop
    /// nest whose OSR entry would be at loop `outer` (either may be
    /// `NO_LOOP`): returns the OSR entry at `here` if there is one;
    /// otherwise queues what is missing for LLVM and returns 0 (with
    /// `Config::tier_up_sync`, compiles it first, and returns the entry it
    /// made). A function hot in a loop gets that entry first (sooner than
    /// the whole function), and its own code at its next hook.
    fn hook(self: &Arc<Self>, index: u32, here: u32, outer: u32, wasm: &[u8]) -> usize {
        let (Some(counter), Some(queued)) = (
            self.counters.get(index as usize),
            self.queued.get(index as usize),
        ) else {
            return 0;
        };
        let sync = self.engine.config().tier_up_sync;
        let mut work = Vec::new();
        let entry = self.transfer(index, here);
        if entry.is_none() && outer != NO_LOOP && !sync && self.osr.confirming(index) {
            // Hot in a loop only lately: ask again after as many counts, so
            // that a short loop (an initialisation) does not cost an entry
            // nobody uses. (Counts alone cannot tell: the innermost loops
            // of a nest do not count.)
            counter.store(self.initial, Ordering::Relaxed);
            return 0;
        }
        if entry.is_none() {
            if let Some(l) = self.osr.choose(index, here, outer) {
                work.push((index, Some(l)));
            }
        }
        if work.is_empty() && !queued.swap(true, Ordering::Relaxed) {
            self.stats.hot.fetch_add(1, Ordering::Relaxed);
            work.push((index, None));
        }
        // With an entry of this function in place, ask again after as many
        // counts as the threshold (the frame may reach that entry's loop,
        // or stay in another); otherwise count how hot it is while LLVM
        // works (see `heat`).
        let keep_asking = entry.is_some() || self.osr.any_ready(index);
        if work.is_empty() || keep_asking {
            counter.store(self.initial, Ordering::Relaxed);
        }
        if work.is_empty() {
            return entry.unwrap_or(0);
        }
        self.wasm.get_or_init(|| wasm.into());
        if sync {
            // Nothing waits in the queue: count from the threshold again, so
            // that a loop of this frame can still ask for its entry.
            counter.store(self.initial, Ordering::Relaxed);
            self.compile(&work);
            return entry.or_else(|| self.transfer(index, here)).unwrap_or(0);
        }
        if !keep_asking {
            counter.store(i32::MAX, Ordering::Relaxed);
        }
        for w in work {
            super::tier_pool::submit(Arc::downgrade(self), w);
        }
        entry.unwrap_or(0)
    }

    /// The OSR entry of `index` at loop `ordinal`, counted as a transfer.
    fn transfer(&self, index: u32, ordinal: u32) -> Option<usize> {
        if ordinal == NO_LOOP {
            return None;
        }
        let addr = self.osr.ready(index, ordinal)?;
        let (transfers, armed) = (
            self.transfers.get(index as usize)?,
            self.armed.get(index as usize)?,
        );
        if transfers.fetch_add(1, Ordering::Relaxed) + 1 >= ARMED_TRANSFERS {
            // Entered again and again, call after call: its own code is on
            // the way (queued at the first transfer); until then, the loop
            // header stops calling the hook on every entry.
            armed.store(NO_LOOP, Ordering::Relaxed);
        }
        self.stats.transfers.fetch_add(1, Ordering::Relaxed);
        Some(addr)
    }

    /// Compiles `work` (ascending) with LLVM, in one batch, and gives the
    /// functions their code.
    pub fn compile(&self, work: &[Work]) {
        let (Some(wasm), Some(&first)) = (self.wasm.get(), work.first()) else {
            return;
        };
        let imported = self.num_imported_funcs;
        let defs: Vec<u32> = work
            .iter()
            .filter(|(_, l)| l.is_none())
            .map(|(i, _)| i - imported)
            .collect();
        let osr: Vec<(u32, u32)> = work
            .iter()
            .filter_map(|(i, l)| l.map(|l| (i - imported, l)))
            .collect();
        let start = std::time::Instant::now();
        let code = llvm_functions(&self.engine, wasm, defs, osr);
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
                self.install(&code, work, true);
                if let Ok(mut kept) = self.code.lock() {
                    kept.push(code);
                }
            }
            Err(e) => {
                for &(index, osr) in work {
                    match osr {
                        None => self.stats.failed.fetch_add(1, Ordering::Relaxed),
                        Some(l) => {
                            self.osr.set(index, l, None);
                            0
                        }
                    };
                }
                if crate::log::enabled("tier") {
                    eprintln!("kiln: tier-up: LLVM could not compile {work:?}: {e}");
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
            .zip(self.queued.iter())
            .filter(|(c, q)| q.load(Ordering::Relaxed) || c.load(Ordering::Relaxed) != self.initial)
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
            osr_entries: self.osr.made(),
            loop_transfers: self.stats.transfers.load(Ordering::Relaxed),
        }
    }
}

/// LLVM's code of defined functions `defs` of `wasm` (validated when the
/// Fast JIT's module was read), calling through the table, and of the OSR
/// entries `osr` (defined function, loop); and the partial artifact it was
/// loaded from.
#[cfg(feature = "llvm")]
fn llvm_functions(
    engine: &Engine,
    wasm: &[u8],
    defs: Vec<u32>,
    osr: Vec<(u32, u32)>,
) -> Result<(CompiledCode, Vec<u8>), String> {
    let mut req = super::tier_cache::request(engine, defs);
    req.osr_entries = osr;
    let bytes = super::llvm_plugin::compile(wasm, req).map_err(|e| e.to_string())?;
    let artifact = super::load_artifact(&bytes, Some(wasm), true).map_err(|e| e.to_string())?;
    let lines = super::frames::lines(engine, &artifact, &bytes, Some(wasm));
    let code =
        super::artifact_code(engine, artifact, "tier-up", lines).map_err(|e| e.to_string())?;
    Ok((code, bytes))
}

#[cfg(not(feature = "llvm"))]
fn llvm_functions(
    _engine: &Engine,
    _wasm: &[u8],
    _defs: Vec<u32>,
    _osr: Vec<(u32, u32)>,
) -> Result<(CompiledCode, Vec<u8>), String> {
    Err("this build of kiln has no LLVM".into())
}

/// `usize kiln_rt_tier_up(vmctx, index, here, outer)`: a hotness counter
/// ran out at the entry of function `index` or at its loop `here`, whose
/// outermost enclosing loop that can have an OSR entry is `outer`
/// (format-spec SPEC.md 5); returns 0 or the OSR entry to move to.
///
/// # Safety
/// Called only by Fast JIT code compiled with tier-up, with its own
/// `vmctx` (a live instance of the module) and its function index.
pub(crate) unsafe extern "C" fn kiln_rt_tier_up(
    vmctx: *mut u8,
    index: u32,
    here: u32,
    outer: u32,
) -> usize {
    // SAFETY: `vmctx` is a live instance's context (the caller's contract),
    // whose `runtime` field is its InstanceEntity.
    let inst = unsafe { &*((*(vmctx as *const VMContextHeader)).runtime as *const InstanceEntity) };
    let m = &inst.module.inner;
    match m.code.as_ref().and_then(|c| c.tier_up()) {
        Some(t) => t.hook(index, here, outer, &m.bytes),
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
    /// OSR entries (a function's code from one of its loops on) made.
    pub osr_entries: u64,
    /// Fast JIT frames that moved into an OSR entry in the middle of a loop.
    pub loop_transfers: u64,
}
