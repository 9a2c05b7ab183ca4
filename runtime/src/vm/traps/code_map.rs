//! Which wasm function, and which instruction in it, a code address
//! belongs to: for backtraces of compiled code.
//!
//! Every code image that holds wasm functions registers a [`CodeMap`]
//! (each function's code range and its (code offset, module offset)
//! sites); images of trampolines only register their range, so that a
//! frame walk passes through them. The sites of an artifact's code are
//! made on the first walk that needs them ([`LateSites`]), so that loading
//! pays nothing for them. The registry is read on the trap path only,
//! outside signal handlers, under a read lock.

use crate::backtrace::{ModuleNames, WasmBacktrace};
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, RwLock};

/// One function's code in an image.
pub(crate) struct FuncCode {
    /// Its function index.
    pub func: u32,
    /// Its code's addresses.
    pub code: Range<usize>,
    /// Its sites (empty in a map with [`LateSites`]).
    pub sites: FuncSites,
    /// An OSR entry: the function's frame continued from a lower tier's,
    /// which called it and waits for its result.
    pub osr: bool,
}

/// Where the code of a function's wasm instructions lies.
#[derive(Default)]
pub(crate) struct FuncSites {
    /// (code offset from `code.start`, module offset) where each wasm
    /// instruction's code starts, by ascending code offset; empty when
    /// the tier records none (frames then have no offset). Module offset
    /// 0 means unknown.
    pub sites: Box<[(u32, u32)]>,
    /// For the sites where other functions were inlined (by ascending code
    /// offset, each also in `sites`): the inlined frames, innermost first,
    /// as (function index, module offset).
    pub inlined: Box<[(u32, Frames)]>,
}

/// Frames as (function index, module offset; 0 unknown), innermost first.
pub(crate) type Frames = Box<[(u32, u32)]>;

/// A module offset as frames give it: 0 is unknown.
fn known(offset: u32) -> Option<usize> {
    (offset != 0).then_some(offset as usize)
}

/// Makes the sites of a map's functions, given them in the map's order.
pub(crate) type MakeSites = Box<dyn Fn(&[FuncCode]) -> Vec<FuncSites> + Send + Sync>;

/// Sites made when a walk first needs them.
pub(crate) struct LateSites {
    make: MakeSites,
    made: OnceLock<Vec<FuncSites>>,
}

impl LateSites {
    /// Sites that `make` will make.
    pub fn new(make: MakeSites) -> LateSites {
        LateSites {
            make,
            made: OnceLock::new(),
        }
    }
}

/// The wasm functions of one code image.
pub(crate) struct CodeMap {
    names: Arc<ModuleNames>,
    /// By ascending start address.
    funcs: Vec<FuncCode>,
    late: Option<LateSites>,
}

impl CodeMap {
    /// The map of functions `funcs` of the module named by `names`; their
    /// sites come from `late` if given.
    pub fn new(
        names: Arc<ModuleNames>,
        mut funcs: Vec<FuncCode>,
        late: Option<LateSites>,
    ) -> CodeMap {
        funcs.sort_unstable_by_key(|f| f.code.start);
        CodeMap { names, funcs, late }
    }

    /// The sites of function `i` (in map order).
    fn sites(&self, i: usize) -> Option<&FuncSites> {
        match &self.late {
            Some(late) => late.made.get_or_init(|| (late.make)(&self.funcs)).get(i),
            None => Some(&self.funcs[i].sites),
        }
    }

    /// The frames running at `pc`, innermost first, as (function, module
    /// offset): functions inlined there, then the function whose code
    /// `pc` lies in; `None` if it lies in no function's code.
    fn locate(&self, pc: usize) -> Option<(PcFrames, bool)> {
        let i = self
            .funcs
            .partition_point(|f| f.code.start <= pc)
            .checked_sub(1)?;
        let f = &self.funcs[i];
        if pc >= f.code.end {
            return None;
        }
        let at = (pc - f.code.start) as u32;
        let mut frames = Vec::new();
        let mut site = None;
        if let Some(s) = self.sites(i) {
            site = s
                .sites
                .partition_point(|(code, _)| *code <= at)
                .checked_sub(1)
                .map(|k| s.sites[k]);
            if let Some((code, _)) = site {
                if let Ok(k) = s.inlined.binary_search_by_key(&code, |(c, _)| *c) {
                    frames.extend(s.inlined[k].1.iter().map(|&(func, o)| (func, known(o))));
                }
            }
        }
        frames.push((f.func, site.and_then(|(_, o)| known(o))));
        Some((frames, f.osr))
    }
}

/// A registered image: its end, its functions (`None`: trampolines) and
/// the registration's identity.
type Entry = (usize, Option<Arc<CodeMap>>, u64);

static REGISTRY: RwLock<BTreeMap<usize, Entry>> = RwLock::new(BTreeMap::new());

/// Identities of registrations, never reused.
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// A registration of code for frame walks; undone on drop.
pub(crate) struct Registration {
    start: usize,
    id: u64,
}

impl Registration {
    /// Registers `[start, end)`, holding the functions of `map` (or only
    /// trampolines when `None`). It replaces a registration at the same
    /// start: that image's memory is gone, and new code was mapped there.
    pub fn new(start: usize, end: usize, map: Option<Arc<CodeMap>>) -> Registration {
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let mut registry = REGISTRY.write().unwrap_or_else(|e| e.into_inner());
        registry.insert(start, (end, map, id));
        Registration { start, id }
    }
}

impl Drop for Registration {
    /// Removes its own entry only: an image unmapped before its
    /// registration is dropped may already have been replaced by another
    /// image mapped at the same address (by another thread), whose frames
    /// must stay walkable.
    fn drop(&mut self) {
        let mut registry = REGISTRY.write().unwrap_or_else(|e| e.into_inner());
        if registry.get(&self.start).is_some_and(|e| e.2 == self.id) {
            registry.remove(&self.start);
        }
    }
}

/// The wasm frames at one pc, innermost first: (function, module offset).
type PcFrames = Vec<(u32, Option<usize>)>;

/// What a frame's pc is, to a walk.
pub(super) enum Code {
    /// Wasm code of `.0`: the frames there, innermost first, as (function,
    /// module offset); more than one where LLVM inlined calls. `.2`: the
    /// code is an OSR entry ([`FuncCode::osr`]).
    Wasm(Arc<CodeMap>, PcFrames, bool),
    /// Registered code that is not a wasm function (a trampoline): the walk
    /// goes on through it.
    Other,
}

/// The registry, read-locked for a walk.
pub(super) struct Reader(std::sync::RwLockReadGuard<'static, BTreeMap<usize, Entry>>);

impl Reader {
    pub fn new() -> Reader {
        Reader(REGISTRY.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// What `pc` is, if it is in registered code.
    pub fn lookup(&self, pc: usize) -> Option<Code> {
        let (_, (end, map, _)) = self.0.range(..=pc).next_back()?;
        if pc >= *end {
            return None;
        }
        Some(match map.as_ref().and_then(|m| Some((m, m.locate(pc)?))) {
            Some((m, (frames, osr))) => Code::Wasm(m.clone(), frames, osr),
            None => Code::Other,
        })
    }
}

/// The wasm frames a walk found, innermost first.
#[derive(Default)]
pub(crate) struct CompiledFrames(pub(super) Vec<(Arc<CodeMap>, u32, Option<usize>)>);

impl CompiledFrames {
    /// Adds the frames to `bt`, as its outermost so far.
    pub fn add_to(&self, bt: &mut WasmBacktrace) {
        bt.extend(self.0.len(), |j| {
            let (map, func, offset) = &self.0[j];
            map.names.frame(*func, *offset)
        });
    }
}
