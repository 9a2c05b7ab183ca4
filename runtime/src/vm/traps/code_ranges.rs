//! The registry of address ranges holding compiled wasm code, readable from
//! a signal handler (atomics, no locks, no allocation when read).
//!
//! Slots come in chunks allocated as registration needs them (never freed,
//! so a reader may follow a chunk pointer at any time): up to
//! `CHUNKS * CHUNK` ranges live at once, and a reader only scans the chunks
//! made so far.

use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

const CHUNK: usize = 1024;
const CHUNKS: usize = 64;

struct Chunk {
    starts: [AtomicUsize; CHUNK],
    ends: [AtomicUsize; CHUNK],
}

static TABLE: [AtomicPtr<Chunk>; CHUNKS] = [const { AtomicPtr::new(std::ptr::null_mut()) }; CHUNKS];

/// Chunk `c`, made now if it does not exist yet.
fn chunk_or_new(c: usize) -> &'static Chunk {
    let mut p = TABLE[c].load(Ordering::Acquire);
    if p.is_null() {
        let fresh = Box::into_raw(Box::new(Chunk {
            starts: [const { AtomicUsize::new(0) }; CHUNK],
            ends: [const { AtomicUsize::new(0) }; CHUNK],
        }));
        p = match TABLE[c].compare_exchange(
            std::ptr::null_mut(),
            fresh,
            Ordering::AcqRel,
            Ordering::Acquire,
        ) {
            Ok(_) => fresh,
            Err(winner) => {
                // SAFETY: `fresh` came from `Box::into_raw` above and was
                // never published.
                drop(unsafe { Box::from_raw(fresh) });
                winner
            }
        };
    }
    // SAFETY: published chunks are never freed.
    unsafe { &*p }
}

/// Chunk `c` if it has been made.
fn chunk(c: usize) -> Option<&'static Chunk> {
    let p = TABLE[c].load(Ordering::Acquire);
    // SAFETY: published chunks are never freed.
    (!p.is_null()).then(|| unsafe { &*p })
}

/// A registered code range; unregistered on drop.
pub(crate) struct CodeRange {
    chunk: &'static Chunk,
    slot: usize,
}

impl CodeRange {
    /// Registers `[start, end)` as wasm code; `None` if the registry is full.
    pub fn register(start: usize, end: usize) -> Option<CodeRange> {
        for c in 0..CHUNKS {
            let chunk = chunk_or_new(c);
            for slot in 0..CHUNK {
                if chunk.starts[slot]
                    .compare_exchange(0, start, Ordering::AcqRel, Ordering::Relaxed)
                    .is_ok()
                {
                    chunk.ends[slot].store(end, Ordering::Release);
                    return Some(CodeRange { chunk, slot });
                }
            }
        }
        None
    }
}

impl Drop for CodeRange {
    fn drop(&mut self) {
        self.chunk.ends[self.slot].store(0, Ordering::Release);
        self.chunk.starts[self.slot].store(0, Ordering::Release);
    }
}

/// Whether `pc` lies in registered wasm code. Async-signal-safe.
pub(super) fn contains(pc: usize) -> bool {
    (0..CHUNKS).map_while(chunk).any(|chunk| {
        (0..CHUNK).any(|i| {
            let start = chunk.starts[i].load(Ordering::Acquire);
            start != 0 && pc >= start && pc < chunk.ends[i].load(Ordering::Acquire)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// More ranges than one chunk holds, all found, then all gone.
    #[test]
    fn grows_beyond_one_chunk() {
        // Addresses no real code has: the top of the address space.
        let base = usize::MAX - 16 * (3 * CHUNK);
        let ranges: Vec<CodeRange> = (0..3 * CHUNK)
            .map(|i| CodeRange::register(base + 16 * i, base + 16 * i + 8).expect("room"))
            .collect();
        assert!(contains(base + 16 * (2 * CHUNK + 5) + 3));
        assert!(!contains(base + 16 * 7 + 9));
        drop(ranges);
        assert!(!contains(base + 16 * (2 * CHUNK + 5) + 3));
    }
}
