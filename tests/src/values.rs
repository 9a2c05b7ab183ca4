//! Script arguments as values, results matched against expected patterns,
//! and both written out for failure messages.

use kiln_runtime::{ExternRef, Store, Val};
use std::collections::HashMap;
use wast::core::{AbstractHeapType, HeapType, NanPattern, V128Pattern, WastArgCore, WastRetCore};
use wast::token::{F32, F64};
use wast::{WastArg, WastRet};

/// The host value behind `ref.extern N`.
#[derive(Debug, PartialEq, Eq)]
pub struct HostRef(pub u32);

/// Extern references made so far, so that the same `N` is the same reference.
#[derive(Default)]
pub struct ExternRefs(HashMap<u32, ExternRef>);

impl ExternRefs {
    fn get(&mut self, store: &mut Store<()>, n: u32) -> ExternRef {
        *self
            .0
            .entry(n)
            .or_insert_with(|| ExternRef::new(store, HostRef(n)))
    }
}

/// The value of an `invoke` argument.
pub fn arg(store: &mut Store<()>, refs: &mut ExternRefs, a: &WastArg) -> Result<Val, String> {
    let WastArg::Core(a) = a else {
        return Err("component-model arguments are not supported".into());
    };
    Ok(match a {
        WastArgCore::I32(v) => Val::I32(*v),
        WastArgCore::I64(v) => Val::I64(*v),
        WastArgCore::F32(v) => Val::F32(v.bits),
        WastArgCore::F64(v) => Val::F64(v.bits),
        WastArgCore::V128(v) => Val::V128(u128::from_le_bytes(v.to_le_bytes())),
        WastArgCore::RefNull(ty) => match abstract_type(ty) {
            Some(AbstractHeapType::Func) => Val::FuncRef(None),
            Some(AbstractHeapType::Extern) => Val::ExternRef(None),
            _ => return Err(format!("unsupported argument `ref.null {ty:?}`")),
        },
        WastArgCore::RefExtern(n) | WastArgCore::RefHost(n) => {
            Val::ExternRef(Some(refs.get(store, *n)))
        }
    })
}

fn abstract_type(ty: &HeapType) -> Option<AbstractHeapType> {
    match ty {
        HeapType::Abstract { ty, .. } => Some(*ty),
        _ => None,
    }
}

fn f32_matches(bits: u32, p: &NanPattern<F32>) -> bool {
    const QUIET: u32 = 0x7fc0_0000;
    match p {
        NanPattern::CanonicalNan => bits & 0x7fff_ffff == QUIET,
        NanPattern::ArithmeticNan => bits & QUIET == QUIET,
        NanPattern::Value(v) => v.bits == bits,
    }
}

fn f64_matches(bits: u64, p: &NanPattern<F64>) -> bool {
    const QUIET: u64 = 0x7ff8_0000_0000_0000;
    match p {
        NanPattern::CanonicalNan => bits & !(1 << 63) == QUIET,
        NanPattern::ArithmeticNan => bits & QUIET == QUIET,
        NanPattern::Value(v) => v.bits == bits,
    }
}

/// Lane `i` of `v` when lanes are `bytes` wide, zero-extended.
fn lane(v: u128, i: usize, bytes: usize) -> u64 {
    let bits = bytes * 8;
    let mask = if bits == 64 {
        u64::MAX
    } else {
        (1u64 << bits) - 1
    };
    (v >> (i * bits)) as u64 & mask
}

fn v128_matches(v: u128, p: &V128Pattern) -> bool {
    fn all<T>(lanes: &[T], f: impl Fn(usize, &T) -> bool) -> bool {
        lanes.iter().enumerate().all(|(i, e)| f(i, e))
    }
    match p {
        V128Pattern::I8x16(l) => all(l, |i, e| lane(v, i, 1) == *e as u8 as u64),
        V128Pattern::I16x8(l) => all(l, |i, e| lane(v, i, 2) == *e as u16 as u64),
        V128Pattern::I32x4(l) => all(l, |i, e| lane(v, i, 4) == *e as u32 as u64),
        V128Pattern::I64x2(l) => all(l, |i, e| lane(v, i, 8) == *e as u64),
        V128Pattern::F32x4(l) => all(l, |i, e| f32_matches(lane(v, i, 4) as u32, e)),
        V128Pattern::F64x2(l) => all(l, |i, e| f64_matches(lane(v, i, 8), e)),
    }
}

/// `ref.null` (of any type when none is given) against a null of that type.
fn null_matches(ty: Option<&HeapType>, v: &Val) -> bool {
    use AbstractHeapType as H;
    matches!(
        (ty.map(abstract_type), v),
        (None, Val::FuncRef(None) | Val::ExternRef(None))
            | (Some(Some(H::Func | H::NoFunc)), Val::FuncRef(None))
            | (Some(Some(H::Extern | H::NoExtern)), Val::ExternRef(None))
    )
}

fn core_matches(store: &Store<()>, v: &Val, r: &WastRetCore) -> bool {
    match (r, v) {
        (WastRetCore::I32(e), Val::I32(x)) => e == x,
        (WastRetCore::I64(e), Val::I64(x)) => e == x,
        (WastRetCore::F32(p), Val::F32(x)) => f32_matches(*x, p),
        (WastRetCore::F64(p), Val::F64(x)) => f64_matches(*x, p),
        (WastRetCore::V128(p), Val::V128(x)) => v128_matches(*x, p),
        (WastRetCore::RefNull(ty), v) => null_matches(ty.as_ref(), v),
        (WastRetCore::RefFunc(_), Val::FuncRef(Some(_))) => true,
        (WastRetCore::RefExtern(None), Val::ExternRef(Some(_))) => true,
        (WastRetCore::RefExtern(Some(n)) | WastRetCore::RefHost(n), Val::ExternRef(Some(e))) => {
            e.data(store).downcast_ref::<HostRef>() == Some(&HostRef(*n))
        }
        (WastRetCore::Either(alts), v) => alts.iter().any(|a| core_matches(store, v, a)),
        _ => false,
    }
}

/// Whether result `v` is what `r` expects.
pub fn matches(store: &Store<()>, v: &Val, r: &WastRet) -> bool {
    match r {
        WastRet::Core(c) => core_matches(store, v, c),
        #[allow(unreachable_patterns)]
        _ => false,
    }
}

fn show_f32(bits: u32) -> String {
    format!("f32 {} ({bits:#010x})", f32::from_bits(bits))
}

fn show_f64(bits: u64) -> String {
    format!("f64 {} ({bits:#018x})", f64::from_bits(bits))
}

/// A result value as text, e.g. `i32 -1 (0xffffffff)` or `ref.extern 3`.
pub fn show(store: &Store<()>, v: &Val) -> String {
    match v {
        Val::I32(x) => format!("i32 {x} ({:#x})", *x as u32),
        Val::I64(x) => format!("i64 {x} ({:#x})", *x as u64),
        Val::F32(b) => show_f32(*b),
        Val::F64(b) => show_f64(*b),
        Val::V128(x) => format!("v128 {x:#034x}"),
        Val::FuncRef(None) => "ref.null func".into(),
        Val::ExternRef(None) => "ref.null extern".into(),
        Val::FuncRef(Some(_)) => "ref.func".into(),
        Val::ExternRef(Some(e)) => match e.data(store).downcast_ref::<HostRef>() {
            Some(HostRef(n)) => format!("ref.extern {n}"),
            None => "ref.extern (foreign)".into(),
        },
    }
}

fn show_nan<T>(p: &NanPattern<T>, value: impl Fn(&T) -> String) -> String {
    match p {
        NanPattern::CanonicalNan => "nan:canonical".into(),
        NanPattern::ArithmeticNan => "nan:arithmetic".into(),
        NanPattern::Value(v) => value(v),
    }
}

fn show_lanes<T>(shape: &str, lanes: &[T], f: impl Fn(&T) -> String) -> String {
    let lanes: Vec<String> = lanes.iter().map(f).collect();
    format!("v128 {shape} {}", lanes.join(" "))
}

fn show_core(r: &WastRetCore) -> String {
    match r {
        WastRetCore::I32(x) => format!("i32 {x} ({:#x})", *x as u32),
        WastRetCore::I64(x) => format!("i64 {x} ({:#x})", *x as u64),
        WastRetCore::F32(NanPattern::Value(v)) => show_f32(v.bits),
        WastRetCore::F64(NanPattern::Value(v)) => show_f64(v.bits),
        WastRetCore::F32(p) => format!("f32 {}", show_nan(p, |_| String::new())),
        WastRetCore::F64(p) => format!("f64 {}", show_nan(p, |_| String::new())),
        WastRetCore::V128(p) => match p {
            V128Pattern::I8x16(l) => show_lanes("i8x16", l, |x| x.to_string()),
            V128Pattern::I16x8(l) => show_lanes("i16x8", l, |x| x.to_string()),
            V128Pattern::I32x4(l) => show_lanes("i32x4", l, |x| x.to_string()),
            V128Pattern::I64x2(l) => show_lanes("i64x2", l, |x| x.to_string()),
            V128Pattern::F32x4(l) => show_lanes("f32x4", l, |p| {
                show_nan(p, |v| f32::from_bits(v.bits).to_string())
            }),
            V128Pattern::F64x2(l) => show_lanes("f64x2", l, |p| {
                show_nan(p, |v| f64::from_bits(v.bits).to_string())
            }),
        },
        WastRetCore::RefNull(None) => "ref.null".into(),
        WastRetCore::RefNull(Some(ty)) => match abstract_type(ty) {
            Some(AbstractHeapType::Func) => "ref.null func".into(),
            Some(AbstractHeapType::Extern) => "ref.null extern".into(),
            _ => format!("ref.null {ty:?}"),
        },
        WastRetCore::RefFunc(_) => "ref.func".into(),
        WastRetCore::RefExtern(None) => "ref.extern".into(),
        WastRetCore::RefExtern(Some(n)) => format!("ref.extern {n}"),
        WastRetCore::RefHost(n) => format!("ref.host {n}"),
        WastRetCore::Either(alts) => {
            let alts: Vec<String> = alts.iter().map(show_core).collect();
            format!("either ({})", alts.join(") ("))
        }
        other => format!("{other:?}"),
    }
}

/// An expected result as text.
pub fn show_expected(r: &WastRet) -> String {
    match r {
        WastRet::Core(c) => show_core(c),
        #[allow(unreachable_patterns)]
        _ => "a component-model value".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nan_patterns() {
        let canon = NanPattern::CanonicalNan;
        let arith = NanPattern::ArithmeticNan;
        assert!(f32_matches(0x7fc0_0000, &canon));
        assert!(f32_matches(0xffc0_0000, &canon));
        assert!(!f32_matches(0x7fc0_0001, &canon));
        assert!(f32_matches(0x7fc0_0001, &arith));
        assert!(!f32_matches(0x7f80_0001, &arith));
        assert!(f64_matches(
            0xfff8_0000_0000_0000,
            &NanPattern::CanonicalNan
        ));
        assert!(!f64_matches(
            0x7ff0_0000_0000_0001,
            &NanPattern::ArithmeticNan
        ));
    }

    #[test]
    fn lanes_are_little_endian() {
        let v = 0x0102_0304_0506_0708_090a_0b0c_0d0e_0f10u128;
        assert_eq!(lane(v, 0, 1), 0x10);
        assert_eq!(lane(v, 1, 2), 0x0d0e);
        assert_eq!(lane(v, 3, 4), 0x0102_0304);
        assert_eq!(lane(v, 1, 8), 0x0102_0304_0506_0708);
        assert!(v128_matches(
            v,
            &V128Pattern::I32x4([0x0d0e_0f10, 0x090a_0b0c, 0x0506_0708, 0x0102_0304])
        ));
    }
}
