//! The value kinds of a block's parameters or results, kept inline for the
//! usual zero to three values so that opening a block or taking a branch
//! allocates nothing.

use crate::masm::Kind;

/// A short list of [`Kind`]s.
#[derive(Clone, Debug)]
pub(crate) enum Kinds {
    Inline { kinds: [Kind; 3], len: u8 },
    Heap(Vec<Kind>),
}

impl Kinds {
    pub const EMPTY: Kinds = Kinds::Inline {
        kinds: [Kind::I32; 3],
        len: 0,
    };

    pub fn one(k: Kind) -> Kinds {
        Kinds::Inline {
            kinds: [k; 3],
            len: 1,
        }
    }

    pub fn from_iter(iter: impl ExactSizeIterator<Item = Kind>) -> Kinds {
        let len = iter.len();
        if len > 3 {
            return Kinds::Heap(iter.collect());
        }
        let mut kinds = [Kind::I32; 3];
        for (slot, k) in kinds.iter_mut().zip(iter) {
            *slot = k;
        }
        Kinds::Inline {
            kinds,
            len: len as u8,
        }
    }
}

impl std::ops::Deref for Kinds {
    type Target = [Kind];

    fn deref(&self) -> &[Kind] {
        match self {
            Kinds::Inline { kinds, len } => &kinds[..*len as usize],
            Kinds::Heap(v) => v,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_what_it_was_given() {
        let all = [Kind::I64, Kind::F32, Kind::V128, Kind::F64, Kind::I32];
        for n in 0..=all.len() {
            let k = Kinds::from_iter(all[..n].iter().copied());
            assert_eq!(&*k, &all[..n]);
            assert_eq!(matches!(k, Kinds::Heap(_)), n > 3);
        }
        assert_eq!(&*Kinds::one(Kind::F64), &[Kind::F64]);
        assert!(Kinds::EMPTY.is_empty());
    }
}
