//! Values passed between the host and wasm, and their raw bit form.

use crate::func::Func;
use crate::store::StoreOpaque;
use crate::types::ValType;
use std::any::Any;

/// An opaque host reference (`externref`), owned by its store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ExternRef(pub(crate) u32);

impl ExternRef {
    /// Stores `value` in the store and returns a reference to it.
    pub fn new(store: &mut impl crate::AsStoreMut, value: impl Any + Send + Sync) -> ExternRef {
        store.opaque_mut().new_extern(Box::new(value))
    }

    /// The host value behind this reference.
    pub fn data<'a>(&self, store: &'a impl crate::AsStore) -> &'a (dyn Any + Send + Sync) {
        store.opaque().extern_data(*self)
    }
}

/// A wasm value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Val {
    /// An `i32`.
    I32(i32),
    /// An `i64`.
    I64(i64),
    /// An `f32`, as its bits (NaN payloads are kept).
    F32(u32),
    /// An `f64`, as its bits.
    F64(u64),
    /// A `v128`, lane 0 in the low bits.
    V128(u128),
    /// A nullable function reference.
    FuncRef(Option<Func>),
    /// A nullable host reference.
    ExternRef(Option<ExternRef>),
}

impl Val {
    /// The value's type.
    pub fn ty(&self) -> ValType {
        match self {
            Val::I32(_) => ValType::I32,
            Val::I64(_) => ValType::I64,
            Val::F32(_) => ValType::F32,
            Val::F64(_) => ValType::F64,
            Val::V128(_) => ValType::V128,
            Val::FuncRef(_) => ValType::FUNCREF,
            Val::ExternRef(_) => ValType::EXTERNREF,
        }
    }

    /// The zero (or null) value of `ty`.
    pub fn default_for(ty: ValType) -> Val {
        match ty {
            ValType::I32 => Val::I32(0),
            ValType::I64 => Val::I64(0),
            ValType::F32 => Val::F32(0),
            ValType::F64 => Val::F64(0),
            ValType::V128 => Val::V128(0),
            ValType::FUNCREF => Val::FuncRef(None),
            ValType::EXTERNREF => Val::ExternRef(None),
        }
    }

    /// The raw bits as stored in a slot, global or table.
    pub(crate) fn to_raw(self, store: &StoreOpaque) -> u128 {
        match self {
            Val::I32(v) => v as u32 as u128,
            Val::I64(v) => v as u64 as u128,
            Val::F32(v) => v as u128,
            Val::F64(v) => v as u128,
            Val::V128(v) => v,
            Val::FuncRef(None) | Val::ExternRef(None) => 0,
            Val::FuncRef(Some(f)) => store.func_ref_ptr(f) as usize as u128,
            Val::ExternRef(Some(e)) => e.0 as u128 + 1,
        }
    }

    /// Rebuilds a value of type `ty` from raw bits.
    pub(crate) fn from_raw(raw: u128, ty: ValType, store: &StoreOpaque) -> Val {
        match ty {
            ValType::I32 => Val::I32(raw as u32 as i32),
            ValType::I64 => Val::I64(raw as u64 as i64),
            ValType::F32 => Val::F32(raw as u32),
            ValType::F64 => Val::F64(raw as u64),
            ValType::V128 => Val::V128(raw),
            ValType::FUNCREF => Val::FuncRef(store.func_from_ptr(raw as usize)),
            ValType::EXTERNREF => {
                Val::ExternRef((raw != 0).then(|| ExternRef((raw as usize - 1) as u32)))
            }
        }
    }

    /// The `i32`, if this is one.
    pub fn i32(&self) -> Option<i32> {
        match self {
            Val::I32(v) => Some(*v),
            _ => None,
        }
    }

    /// The `i64`, if this is one.
    pub fn i64(&self) -> Option<i64> {
        match self {
            Val::I64(v) => Some(*v),
            _ => None,
        }
    }
}

impl From<i32> for Val {
    fn from(v: i32) -> Val {
        Val::I32(v)
    }
}

impl From<i64> for Val {
    fn from(v: i64) -> Val {
        Val::I64(v)
    }
}

impl From<f32> for Val {
    fn from(v: f32) -> Val {
        Val::F32(v.to_bits())
    }
}

impl From<f64> for Val {
    fn from(v: f64) -> Val {
        Val::F64(v.to_bits())
    }
}

/// A value slot's bits for a value of type `ty`, with the unspecified high
/// bytes of narrow values cleared.
pub(crate) fn raw_of(slot: &kiln_format::ValueSlot, ty: ValType) -> u128 {
    let raw = slot.as_u128();
    match ty {
        ValType::I32 | ValType::F32 => raw as u32 as u128,
        ValType::V128 => raw,
        _ => raw as u64 as u128,
    }
}
