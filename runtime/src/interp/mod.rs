//! The interpreter (being written).
use crate::error::Result;
use crate::store::StoreOpaque;
use crate::values::Val;

pub(crate) struct CompiledFunc;

pub(crate) unsafe fn call_from_host(
    _store: *mut StoreOpaque,
    _erased: *mut (),
    _func: u32,
    _params: &[Val],
    _results: &mut [Val],
) -> Result<()> {
    Err(crate::error::Error::usage("interpreter not yet written"))
}
