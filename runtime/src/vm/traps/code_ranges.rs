//! The registry of address ranges holding compiled wasm code, readable from
//! a signal handler (fixed slots of atomics, no locks, no allocation).

use std::sync::atomic::{AtomicUsize, Ordering};

const SLOTS: usize = 1024;

static STARTS: [AtomicUsize; SLOTS] = [const { AtomicUsize::new(0) }; SLOTS];
static ENDS: [AtomicUsize; SLOTS] = [const { AtomicUsize::new(0) }; SLOTS];

/// A registered code range; unregistered on drop.
pub(crate) struct CodeRange {
    slot: usize,
}

impl CodeRange {
    /// Registers `[start, end)` as wasm code; `None` if the registry is full.
    pub fn register(start: usize, end: usize) -> Option<CodeRange> {
        for slot in 0..SLOTS {
            if STARTS[slot]
                .compare_exchange(0, start, Ordering::AcqRel, Ordering::Relaxed)
                .is_ok()
            {
                ENDS[slot].store(end, Ordering::Release);
                return Some(CodeRange { slot });
            }
        }
        None
    }
}

impl Drop for CodeRange {
    fn drop(&mut self) {
        ENDS[self.slot].store(0, Ordering::Release);
        STARTS[self.slot].store(0, Ordering::Release);
    }
}

/// Whether `pc` lies in registered wasm code. Async-signal-safe.
pub(super) fn contains(pc: usize) -> bool {
    (0..SLOTS).any(|i| {
        let start = STARTS[i].load(Ordering::Acquire);
        start != 0 && pc >= start && pc < ENDS[i].load(Ordering::Acquire)
    })
}
