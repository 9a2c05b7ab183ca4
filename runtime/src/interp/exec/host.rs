//! Calls from interpreted code into host functions.

use super::slots::{g128, s128};
use crate::error::Trap;
use crate::func::FuncEntity;
use crate::instance::Instance;
use crate::instance::InstanceEntity;
use crate::interp::translate::width;
use crate::store::StoreOpaque;
use crate::types::ValType;
use crate::values::Val;
use crate::vm::table::Table;
use kiln_format::TrapCode;

/// Reusable buffers for host-call arguments and results.
#[derive(Default)]
pub(crate) struct HostBuffers {
    params: Vec<Val>,
    results: Vec<Val>,
}

/// Calls compiled wasm function `callee` from interpreted code, with the
/// arguments in `args` (a frame base) and the results written back there.
///
/// # Safety
/// As for [`call_host`].
#[inline(never)]
pub(super) unsafe fn call_compiled(
    store: *mut StoreOpaque,
    erased: *mut (),
    bufs: &mut HostBuffers,
    callee: *const FuncEntity,
    args: *mut u64,
) -> Result<(), Trap> {
    // SAFETY: the caller guarantees a live store owning `callee` and `args` holding its
    // parameter and result slots, with no reference into the store live.
    unsafe {
        let ty = (*callee).ty.clone();
        let mut params = std::mem::take(&mut bufs.params);
        let mut results = std::mem::take(&mut bufs.results);
        params.clear();
        results.clear();
        read_args(store, ty.params(), args, &mut params);
        results.extend(ty.results().iter().map(|t| Val::default_for(*t)));
        let outcome = crate::compiled::call_compiled(store, erased, callee, &params, &mut results);
        if outcome.is_ok() {
            write_results(store, ty.results(), &results, args);
        }
        bufs.params = params;
        bufs.results = results;
        outcome.map_err(|e| match e {
            crate::error::Error::Trap(t) => t,
            other => Trap::host(other.to_string()),
        })
    }
}

unsafe fn read_args(
    store: *mut StoreOpaque,
    types: &[ValType],
    args: *mut u64,
    out: &mut Vec<Val>,
) {
    // SAFETY: `store` is live and `args` holds a slot (two for `v128`) per parameter
    // type, both the caller's guarantees.
    unsafe {
        let mut slot = 0;
        for t in types {
            let raw = if *t == ValType::V128 {
                g128(args, slot)
            } else {
                *args.add(slot as usize) as u128
            };
            out.push(Val::from_raw(raw, *t, &*store));
            slot += width(*t);
        }
    }
}

unsafe fn write_results(store: *mut StoreOpaque, types: &[ValType], vals: &[Val], args: *mut u64) {
    // SAFETY: `store` is live and `args` has room for a slot (two for `v128`) per
    // result type, both the caller's guarantees.
    unsafe {
        let mut slot = 0;
        for (v, t) in vals.iter().zip(types) {
            let raw = v.to_raw(&*store);
            if *t == ValType::V128 {
                s128(args, slot, raw);
            } else {
                *args.add(slot as usize) = raw as u64;
            }
            slot += width(*t);
        }
    }
}

/// Calls host function `callee` with arguments in `args` (a frame base) and
/// writes its results back there.
///
/// # Safety
/// `store` and `erased` must point to the live store that owns `callee`,
/// `args` must hold the callee's parameter slots and room for its results,
/// and no reference into the store may be live across this call.
#[inline(never)]
pub(super) unsafe fn call_host(
    store: *mut StoreOpaque,
    erased: *mut (),
    bufs: &mut HostBuffers,
    callee: *const FuncEntity,
    caller: Option<Instance>,
    args: *mut u64,
) -> Result<(), Trap> {
    // SAFETY: the caller guarantees a live store owning `callee` and `args` holding its
    // parameter and result slots, with no reference into the store live.
    unsafe {
        let entity = &*callee;
        let crate::func::FuncKind::Host(f) = &entity.kind else {
            unreachable!("call_host on a wasm function")
        };
        let ty = entity.ty.clone();
        let mut params = std::mem::take(&mut bufs.params);
        let mut results = std::mem::take(&mut bufs.results);
        params.clear();
        results.clear();
        read_args(store, ty.params(), args, &mut params);
        results.extend(ty.results().iter().map(|t| Val::default_for(*t)));
        let mut status = f(erased, caller, &params, &mut results);
        if status.is_ok() {
            if let Some((v, t)) = results
                .iter()
                .zip(ty.results())
                .find(|(v, t)| v.ty() != **t)
            {
                status = Err(Trap::host(format!(
                    "host function returned a {} where its type says {t}",
                    v.ty()
                )));
            } else {
                write_results(store, ty.results(), &results, args);
            }
        }
        bufs.params = params;
        bufs.results = results;
        status
    }
}

/// The function `call_indirect` calls: element `index` of `table`, which
/// must be a function (trap otherwise) of the signature `type_index` of
/// `inst` (trap otherwise).
///
/// # Safety
/// `inst` must be the live current instance, which has signature
/// `type_index`, and `table` one of its live tables.
#[inline(always)]
pub(super) unsafe fn indirect_callee(
    inst: *mut InstanceEntity,
    table: *mut Table,
    type_index: u32,
    index: u32,
) -> Result<*const FuncEntity, TrapCode> {
    // SAFETY: the caller's guarantees; a non-null funcref element is the
    // address of a live function entity of the store.
    unsafe {
        let Some(&raw) = (*table).elements().get(index as usize) else {
            return Err(TrapCode::UndefinedElement);
        };
        if raw == 0 {
            return Err(TrapCode::UninitializedElement);
        }
        let callee = raw as *const FuncEntity;
        if (*callee).vmref.type_id != *(&*inst).sig_ids.get_unchecked(type_index as usize) {
            return Err(TrapCode::IndirectCallTypeMismatch);
        }
        Ok(callee)
    }
}
