//! Calls from the host into a store's functions, whatever runs them:
//! compiled code (artifacts, the JITs), host functions, or the
//! interpreter when it is built (feature `wasm`).

use crate::error::{Error, Result};
use crate::func::{FuncEntity, FuncKind};
use crate::store::StoreOpaque;
use crate::values::Val;

/// Calls function `func` of `store` from the host: its compiled code when
/// it has some, a host function directly, else the interpreter (without
/// it, modules come only from artifacts and every wasm function has code).
///
/// # Safety
/// `store` and `erased` must point to the same live store (the latter to its
/// `StoreInner<T>`), borrowed exclusively for the duration of the call.
pub(crate) unsafe fn call_from_host(
    store: *mut StoreOpaque,
    erased: *mut (),
    func: u32,
    params: &[Val],
    results: &mut [Val],
) -> Result<()> {
    // SAFETY: the store is live (the caller's guarantee); the entity is
    // boxed in it and outlives the call.
    let entity: *const FuncEntity = unsafe { &*(&(*store)).funcs[func as usize] };
    // SAFETY: as above.
    let entity_ref = unsafe { &*entity };
    if !entity_ref.vmref.array_call.is_null() {
        // SAFETY: guaranteed by the caller; the function has compiled code.
        return unsafe { crate::compiled::call_compiled(store, erased, entity, params, results) };
    }
    match &entity_ref.kind {
        FuncKind::Host(f) => f(erased, None, params, results).map_err(Error::Trap),
        // SAFETY: guaranteed by the caller; the function has no compiled code.
        #[cfg(feature = "wasm")]
        FuncKind::Wasm { .. } => unsafe {
            crate::interp::interpret_from_host(store, erased, func, params, results)
        },
        #[cfg(not(feature = "wasm"))]
        FuncKind::Wasm { .. } => Err(Error::usage(
            "this build of kiln has no interpreter (feature `wasm`) and the function has no compiled code",
        )),
    }
}
