//! Tables: growable arrays of pointer-sized references (0 is null).

use super::VMTableDefinition;
use crate::types::TableType;

/// Tables never grow past this many elements, whatever their maximum says.
const TABLE_LIMIT: u32 = 10_000_000;

/// A table. `def` is first so a `*mut VMTableDefinition` is also a pointer
/// to the whole table.
#[repr(C)]
pub(crate) struct Table {
    pub def: VMTableDefinition,
    pub ty: TableType,
    elements: Vec<usize>,
}

// SAFETY: the element vector is owned by this value; access is synchronised
// by the owning store.
unsafe impl Send for Table {}

impl Table {
    /// A table of `ty.min` copies of `init`; `None` if it is too large.
    pub fn new(ty: TableType, init: usize) -> Option<Table> {
        if ty.min > u64::from(TABLE_LIMIT) {
            return None;
        }
        let mut t = Table {
            def: VMTableDefinition {
                base: std::ptr::null_mut(),
                length: 0,
            },
            ty,
            elements: vec![init; ty.min as usize],
        };
        t.sync();
        Some(t)
    }

    fn sync(&mut self) {
        self.def.base = self.elements.as_mut_ptr();
        self.def.length = self.elements.len() as u32;
    }

    /// The elements.
    pub fn elements(&self) -> &[usize] {
        &self.elements
    }

    /// The elements, mutably.
    pub fn elements_mut(&mut self) -> &mut [usize] {
        &mut self.elements
    }

    /// Grows by `delta` copies of `init`; returns the old size or `None`.
    pub fn grow(&mut self, delta: u32, init: usize) -> Option<u32> {
        let old = self.elements.len() as u32;
        let new = old.checked_add(delta)?;
        if u64::from(new) > self.ty.max.unwrap_or(u64::MAX) || new > TABLE_LIMIT {
            return None;
        }
        self.elements.resize(new as usize, init);
        self.sync();
        Some(old)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::RefType;

    #[test]
    fn grow_respects_maximum_and_updates_definition() {
        let ty = TableType::new(RefType::FuncRef, 2, Some(4));
        let mut t = Table::new(ty, 0).unwrap();
        assert_eq!(t.grow(2, 9), Some(2));
        assert_eq!(t.def.length, 4);
        assert_eq!(t.elements(), &[0, 0, 9, 9]);
        assert_eq!(t.def.base as *const usize, t.elements().as_ptr());
        assert_eq!(t.grow(1, 0), None);
    }
}
