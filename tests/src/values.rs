//! Converting script arguments to values and matching results against patterns.

use kiln_runtime::{ExternRef, Store, Val};
use std::collections::HashMap;
use wast::core::{NanPattern, V128Pattern, WastArgCore, WastRetCore};
use wast::{WastArg, WastRet};

/// The host value behind `ref.extern N`.
#[derive(Debug, PartialEq, Eq)]
pub struct HostRef(pub u32);

/// Extern references created so far, so equal `N` gives the same reference.
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

pub fn arg(store: &mut Store<()>, refs: &mut ExternRefs, a: &WastArg) -> Result<Val, String> {
    let WastArg::Core(a) = a else {
        return Err("component arguments are not supported".into());
    };
    Ok(match a {
        WastArgCore::I32(v) => Val::I32(*v),
        WastArgCore::I64(v) => Val::I64(*v),
        WastArgCore::F32(v) => Val::F32(v.bits),
        WastArgCore::F64(v) => Val::F64(v.bits),
        WastArgCore::V128(v) => Val::V128(u128::from_le_bytes(v.to_le_bytes())),
        WastArgCore::RefNull(wast::core::HeapType::Abstract {
            ty: wast::core::AbstractHeapType::Func,
            ..
        }) => Val::FuncRef(None),
        WastArgCore::RefNull(_) => Val::ExternRef(None),
        WastArgCore::RefExtern(n) => Val::ExternRef(Some(refs.get(store, *n))),
        WastArgCore::RefHost(n) => Val::ExternRef(Some(refs.get(store, *n))),
    })
}

fn f32_matches(bits: u32, p: &NanPattern<wast::token::F32>) -> bool {
    match p {
        NanPattern::CanonicalNan => bits & 0x7fff_ffff == 0x7fc0_0000,
        NanPattern::ArithmeticNan => bits & 0x7fc0_0000 == 0x7fc0_0000,
        NanPattern::Value(v) => v.bits == bits,
    }
}

fn f64_matches(bits: u64, p: &NanPattern<wast::token::F64>) -> bool {
    const QUIET: u64 = 0x7ff8_0000_0000_0000;
    match p {
        NanPattern::CanonicalNan => bits & !(1 << 63) == QUIET,
        NanPattern::ArithmeticNan => bits & QUIET == QUIET,
        NanPattern::Value(v) => v.bits == bits,
    }
}

fn v128_matches(v: u128, p: &V128Pattern) -> bool {
    let b = v.to_le_bytes();
    let lane = |i: usize, n: usize| -> u64 {
        let mut x = [0u8; 8];
        x[..n].copy_from_slice(&b[i * n..i * n + n]);
        u64::from_le_bytes(x)
    };
    match p {
        V128Pattern::I8x16(l) => l
            .iter()
            .enumerate()
            .all(|(i, e)| lane(i, 1) == *e as u8 as u64),
        V128Pattern::I16x8(l) => l
            .iter()
            .enumerate()
            .all(|(i, e)| lane(i, 2) == *e as u16 as u64),
        V128Pattern::I32x4(l) => l
            .iter()
            .enumerate()
            .all(|(i, e)| lane(i, 4) == *e as u32 as u64),
        V128Pattern::I64x2(l) => l.iter().enumerate().all(|(i, e)| lane(i, 8) == *e as u64),
        V128Pattern::F32x4(l) => l
            .iter()
            .enumerate()
            .all(|(i, e)| f32_matches(lane(i, 4) as u32, e)),
        V128Pattern::F64x2(l) => l
            .iter()
            .enumerate()
            .all(|(i, e)| f64_matches(lane(i, 8), e)),
    }
}

fn core_matches(store: &Store<()>, v: &Val, r: &WastRetCore) -> bool {
    match (r, v) {
        (WastRetCore::I32(e), Val::I32(x)) => e == x,
        (WastRetCore::I64(e), Val::I64(x)) => e == x,
        (WastRetCore::F32(p), Val::F32(x)) => f32_matches(*x, p),
        (WastRetCore::F64(p), Val::F64(x)) => f64_matches(*x, p),
        (WastRetCore::V128(p), Val::V128(x)) => v128_matches(*x, p),
        (WastRetCore::RefNull(_), Val::FuncRef(None) | Val::ExternRef(None)) => true,
        (WastRetCore::RefFunc(None), Val::FuncRef(Some(_))) => true,
        (WastRetCore::RefExtern(None), Val::ExternRef(Some(_))) => true,
        (WastRetCore::RefExtern(Some(n)), Val::ExternRef(Some(e))) => {
            e.data(store).downcast_ref::<HostRef>() == Some(&HostRef(*n))
        }
        (WastRetCore::Either(alts), v) => alts.iter().any(|a| core_matches(store, v, a)),
        _ => false,
    }
}

pub fn matches(store: &Store<()>, v: &Val, r: &WastRet) -> bool {
    match r {
        WastRet::Core(c) => core_matches(store, v, c),
        #[allow(unreachable_patterns)]
        _ => false,
    }
}
