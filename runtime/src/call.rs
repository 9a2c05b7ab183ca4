//! Calls from the host into a store's functions, whatever runs them:
//! compiled code (artifacts, the JITs), host functions, or the
//! interpreter when it is built (feature `wasm`).

use crate::error::Result;
use crate::store::StoreOpaque;
use crate::values::Val;

/// Calls function `func` of `store` from the host.
///
/// # Safety
/// `store` and `erased` must point to the same live store (the latter to its
/// `StoreInner<T>`), borrowed exclusively for the duration of the call.
#[cfg(feature = "wasm")]
pub(crate) unsafe fn call_from_host(
    store: *mut StoreOpaque,
    erased: *mut (),
    func: u32,
    params: &[Val],
    results: &mut [Val],
) -> Result<()> {
    // SAFETY: guaranteed by the caller.
    unsafe { crate::interp::call_from_host(store, erased, func, params, results) }
}

/// Calls function `func` of `store` from the host: without the
/// interpreter, every wasm function has compiled code (modules come only
/// from artifacts).
///
/// # Safety
/// As above.
#[cfg(not(feature = "wasm"))]
pub(crate) unsafe fn call_from_host(
    store: *mut StoreOpaque,
    erased: *mut (),
    func: u32,
    params: &[Val],
    results: &mut [Val],
) -> Result<()> {
    use crate::error::Error;
    use crate::func::{FuncEntity, FuncKind};
    // SAFETY: the store is live; the entity is boxed in it.
    let entity: *const FuncEntity = unsafe { &*(&(*store)).funcs[func as usize] };
    // SAFETY: as above.
    let entity_ref = unsafe { &*entity };
    if !entity_ref.vmref.array_call.is_null() {
        // SAFETY: guaranteed by the caller; the function has compiled code.
        return unsafe { crate::compiled::call_compiled(store, erased, entity, params, results) };
    }
    match &entity_ref.kind {
        FuncKind::Host(f) => f(erased, None, params, results).map_err(Error::Trap),
        FuncKind::Wasm { .. } => Err(Error::usage(
            "this build of kiln has no interpreter (feature `wasm`) and the function has no compiled code",
        )),
    }
}
