//! The OSR entries of one module under tier-up: which (function, loop)
//! entries were asked for, which exist (and where), which LLVM could not
//! make. At most [`MAX_PER_FUNCTION`] are asked for per function, so that
//! a function with many loops does not cost many compiles.

use std::collections::HashMap;
use std::sync::Mutex;

/// OSR entries asked for per function, at most.
pub(crate) const MAX_PER_FUNCTION: usize = 4;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Queued,
    Ready(usize),
    Failed,
}

/// The entries, by (function index, loop ordinal).
#[derive(Default)]
pub(crate) struct OsrEntries {
    entries: Mutex<HashMap<(u32, u32), State>>,
}

impl OsrEntries {
    /// Asks for the entry of `func` at `ordinal`: true when it is new (the
    /// caller queues it), false when it was asked for before or `func` has
    /// asked for its share.
    pub fn request(&self, func: u32, ordinal: u32) -> bool {
        let Ok(mut entries) = self.entries.lock() else {
            return false;
        };
        if entries.contains_key(&(func, ordinal))
            || entries.keys().filter(|(f, _)| *f == func).count() >= MAX_PER_FUNCTION
        {
            return false;
        }
        entries.insert((func, ordinal), State::Queued);
        true
    }

    /// Records the entry made for `func` at `ordinal`, or that there is none.
    pub fn set(&self, func: u32, ordinal: u32, addr: Option<usize>) {
        if let Ok(mut entries) = self.entries.lock() {
            let state = addr.map_or(State::Failed, State::Ready);
            entries.insert((func, ordinal), state);
        }
    }

    /// The address of the entry of `func` at `ordinal`, once made.
    pub fn ready(&self, func: u32, ordinal: u32) -> Option<usize> {
        match self.entries.lock().ok()?.get(&(func, ordinal)) {
            Some(State::Ready(addr)) => Some(*addr),
            _ => None,
        }
    }

    /// How many entries were made.
    pub fn made(&self) -> u64 {
        self.entries.lock().map_or(0, |e| {
            e.values().filter(|s| matches!(s, State::Ready(_))).count() as u64
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_entry_is_asked_for_once_and_a_few_per_function() {
        let osr = OsrEntries::default();
        assert!(osr.request(3, 0));
        assert!(!osr.request(3, 0));
        assert_eq!(osr.ready(3, 0), None);
        osr.set(3, 0, Some(0x1234));
        assert_eq!(osr.ready(3, 0), Some(0x1234));
        for l in 1..MAX_PER_FUNCTION as u32 {
            assert!(osr.request(3, l));
        }
        assert!(!osr.request(3, 99), "over the share of function 3");
        assert!(osr.request(4, 99));
        osr.set(4, 99, None);
        assert_eq!(osr.ready(4, 99), None);
        assert_eq!(osr.made(), 1);
    }
}
