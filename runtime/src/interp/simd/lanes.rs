//! Typed lane access to a [`V128`] and the lane-wise combinators built on
//! it, the generic (per-lane loop) form of most operators.

use super::V128;

/// One lane type: how to read lane `i` of a vector's bytes and how to write
/// it back.
pub(super) trait Lane: Copy {
    const BYTES: usize;
    const N: usize = 16 / Self::BYTES;
    fn load(v: &[u8; 16], i: usize) -> Self;
    fn store(self, v: &mut [u8; 16], i: usize);
}

macro_rules! lane_impl {
    ($($t:ty),*) => {$(
        impl Lane for $t {
            const BYTES: usize = size_of::<$t>();
            #[inline(always)]
            fn load(v: &[u8; 16], i: usize) -> Self {
                let mut b = [0; size_of::<$t>()];
                b.copy_from_slice(&v[i * Self::BYTES..][..Self::BYTES]);
                <$t>::from_le_bytes(b)
            }
            #[inline(always)]
            fn store(self, v: &mut [u8; 16], i: usize) {
                v[i * Self::BYTES..][..Self::BYTES].copy_from_slice(&self.to_le_bytes());
            }
        }
    )*};
}
lane_impl!(i8, u8, i16, u16, i32, u32, i64, u64, f32, f64);

#[inline(always)]
pub(super) fn lane<T: Lane>(v: V128, i: usize) -> T {
    T::load(&v.to_le_bytes(), i)
}

/// Builds a vector of `T` lanes from a function of the lane index.
#[inline(always)]
pub(super) fn build<T: Lane>(f: impl Fn(usize) -> T) -> V128 {
    let mut r = [0; 16];
    for i in 0..T::N {
        f(i).store(&mut r, i);
    }
    V128::from_le_bytes(r)
}

/// Lane-wise map between lane types of the same width.
#[inline(always)]
pub(super) fn map<T: Lane, R: Lane>(a: V128, f: impl Fn(T) -> R) -> V128 {
    let a = a.to_le_bytes();
    build(|i| f(T::load(&a, i)))
}

/// Lane-wise binary operation.
#[inline(always)]
pub(super) fn zip<T: Lane>(a: V128, b: V128, f: impl Fn(T, T) -> T) -> V128 {
    let (a, b) = (a.to_le_bytes(), b.to_le_bytes());
    build(|i| f(T::load(&a, i), T::load(&b, i)))
}

/// Lane-wise comparison producing all-ones or all-zeros lanes.
#[inline(always)]
pub(super) fn cmp<T: Lane>(a: V128, b: V128, f: impl Fn(T, T) -> bool) -> V128 {
    let (a, b) = (a.to_le_bytes(), b.to_le_bytes());
    let mut r = [0; 16];
    for (i, out) in r.chunks_exact_mut(T::BYTES).enumerate() {
        out.fill(0u8.wrapping_sub(u8::from(f(T::load(&a, i), T::load(&b, i)))));
    }
    V128::from_le_bytes(r)
}

/// The pair `(a, b)` as one 32-lane input to narrowing: lanes of `a` first.
#[inline(always)]
pub(super) fn concat<T: Lane>(a: V128, b: V128, i: usize) -> T {
    if i < T::N {
        lane(a, i)
    } else {
        lane(b, i - T::N)
    }
}
