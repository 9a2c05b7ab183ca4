//! The debug location of each operator: its module byte offset
//! ([`crate::debug_loc`]), set on the builder before the operator is
//! translated, so that every instruction it emits carries it.
//!
//! Operators are translated in order, each once, except an innermost loop
//! that is versioned (`loop_version`): its operators are translated twice,
//! the fast copy (with `fast_loop` set) and the slow one. The position
//! therefore goes back to the loop's first operator whenever translation
//! switches between the copies, so both carry the same offsets.
//!
//! Every location has column 0; after optimisation, the instructions a
//! backtrace can stop at get column 1 ([`crate::stops`]).
//!
//! A trap block belongs to one operator (`emit::trap_block`), so its call
//! has that operator's location.

use super::FuncTranslator;
use crate::debug_loc::OffsetDebug;
use inkwell::debug_info::DISubprogram;

/// Where translation is, for debug locations.
pub(crate) struct Locations<'ctx, 'a> {
    debug: &'a OffsetDebug<'ctx>,
    scope: DISubprogram<'ctx>,
    /// The module offset of each operator of the body.
    offsets: Vec<u32>,
    /// The position of the next operator to translate.
    next: usize,
    /// The position `translate_from` started at.
    from: usize,
    /// Whether the last operator translated was in a fast loop copy.
    in_fast_copy: bool,
    /// The offset of the operator being translated.
    current: u32,
}

impl<'ctx, 'a> Locations<'ctx, 'a> {
    /// Locations in subprogram `scope` of operators at `offsets`.
    pub fn new(debug: &'a OffsetDebug<'ctx>, scope: DISubprogram<'ctx>, offsets: Vec<u32>) -> Self {
        let current = offsets.first().copied().unwrap_or(0);
        Locations {
            debug,
            scope,
            offsets,
            next: 0,
            from: 0,
            in_fast_copy: false,
            current,
        }
    }
}

impl<'ctx> FuncTranslator<'ctx, '_> {
    /// Sets the builder's location to module offset `offset`.
    fn set_location(&self, offset: u32) {
        if let Some(l) = &self.locations {
            let loc = l.debug.location(self.ctx, offset, l.scope);
            self.builder.set_current_debug_location(loc);
        }
    }

    /// The prologue's location: the first operator's.
    pub(super) fn locate_prologue(&self) {
        if let Some(l) = &self.locations {
            self.set_location(l.current);
        }
    }

    /// Before `translate_from(ops, i)`: operator `i` comes next (what is
    /// emitted before it, such as a versioned loop's check, is its).
    pub(super) fn locate_at(&mut self, i: usize) {
        let Some(l) = self.locations.as_mut() else {
            return;
        };
        l.next = i;
        l.from = i;
        l.current = l.offsets.get(i).copied().unwrap_or(0);
        let offset = l.current;
        self.set_location(offset);
    }

    /// In `translate`: the location of the operator about to be translated.
    pub(super) fn locate_next(&mut self) {
        let fast = self.fast_loop.is_some();
        let Some(l) = self.locations.as_mut() else {
            return;
        };
        if fast != l.in_fast_copy {
            l.in_fast_copy = fast;
            l.next = l.from;
        }
        l.current = l.offsets.get(l.next).copied().unwrap_or(0);
        l.next += 1;
        let offset = l.current;
        self.set_location(offset);
    }
}
