//! The OSR entries of one module under tier-up: which (function, loop)
//! entries were asked for, which exist (and where), which LLVM could not
//! make, and which to ask for next ([`OsrEntries::choose`]). At most
//! [`MAX_PER_FUNCTION`] are asked for per function, so that a function
//! with many loops does not cost many compiles.

use kiln_format::osr::NO_LOOP;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// OSR entries asked for per function, at most.
pub(crate) const MAX_PER_FUNCTION: usize = 4;

/// How long a function must stay hot in its loops before an OSR entry is
/// made for it.
pub(crate) const CONFIRM_AFTER: Duration = Duration::from_millis(1);

/// How long a frame may stay in an inner loop while the entry of its
/// outermost loop exists (the frame does not get back there) before that
/// inner loop gets an entry of its own.
pub(crate) const INNER_AFTER: Duration = Duration::from_millis(20);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Queued,
    /// Made, at this address, at this time.
    Ready(usize, Instant),
    Failed,
}

/// The entries, by (function index, loop ordinal).
#[derive(Default)]
pub(crate) struct OsrEntries {
    entries: Mutex<HashMap<(u32, u32), State>>,
    /// When each function was first found hot in a loop.
    first_hot: Mutex<HashMap<u32, Instant>>,
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

    /// Whether `func`, hot in a loop now, was first found so less than
    /// [`CONFIRM_AFTER`] ago: the caller waits before asking for an entry.
    pub fn confirming(&self, func: u32) -> bool {
        self.first_hot.lock().is_ok_and(|mut hot| {
            hot.entry(func).or_insert_with(Instant::now).elapsed() < CONFIRM_AFTER
        })
    }

    /// Which entry of `func` to ask for, if any, from a hook at loop `here`
    /// whose outermost enclosing loop that can have one is `outer`: the
    /// outer one (entered there, no loop of the function is entered from
    /// the side, so LLVM optimises all of them), or `here` itself once the
    /// outer one has existed for [`INNER_AFTER`] without the frame
    /// getting back to it.
    pub fn choose(&self, func: u32, here: u32, outer: u32) -> Option<u32> {
        if outer == NO_LOOP {
            return None;
        }
        if self.request(func, outer) {
            return Some(outer);
        }
        if here == outer || here == NO_LOOP {
            return None;
        }
        let since = match self.entries.lock().ok()?.get(&(func, outer)) {
            Some(State::Ready(_, at)) => at.elapsed(),
            _ => return None,
        };
        (since >= INNER_AFTER && self.request(func, here)).then_some(here)
    }

    /// Records the entry made for `func` at `ordinal`, or that there is none.
    pub fn set(&self, func: u32, ordinal: u32, addr: Option<usize>) {
        if let Ok(mut entries) = self.entries.lock() {
            let state = addr.map_or(State::Failed, |a| State::Ready(a, Instant::now()));
            entries.insert((func, ordinal), state);
        }
    }

    /// The address of the entry of `func` at `ordinal`, once made.
    pub fn ready(&self, func: u32, ordinal: u32) -> Option<usize> {
        match self.entries.lock().ok()?.get(&(func, ordinal)) {
            Some(State::Ready(addr, _)) => Some(*addr),
            _ => None,
        }
    }

    /// Whether some entry of `func` was made.
    pub fn any_ready(&self, func: u32) -> bool {
        self.entries.lock().is_ok_and(|e| {
            e.iter()
                .any(|((f, _), s)| *f == func && matches!(s, State::Ready(..)))
        })
    }

    /// How many entries were made.
    pub fn made(&self) -> u64 {
        self.entries.lock().map_or(0, |e| {
            e.values().filter(|s| matches!(s, State::Ready(..))).count() as u64
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
        assert!(osr.confirming(3));
        assert!(osr.confirming(3));
        std::thread::sleep(CONFIRM_AFTER);
        assert!(!osr.confirming(3));
    }

    #[test]
    fn the_outer_loop_first_then_an_inner_one_the_frame_stays_in() {
        let osr = OsrEntries::default();
        assert_eq!(osr.choose(1, 2, 0), Some(0));
        assert_eq!(osr.choose(1, 2, 0), None, "asked for already");
        assert!(!osr.any_ready(1));
        osr.set(1, 0, Some(0x10));
        assert!(osr.any_ready(1));
        assert_eq!(
            osr.choose(1, 2, 0),
            None,
            "the frame may get back to loop 0"
        );
        std::thread::sleep(INNER_AFTER);
        assert_eq!(osr.choose(1, 2, 0), Some(2));
        assert_eq!(osr.choose(1, 2, 0), None);
        assert_eq!(osr.choose(1, 7, NO_LOOP), None);
    }
}
