//! What compiled code hands `kiln_rt_call_host` as `ctx`: the host
//! function, and the instance whose code is calling it.
//!
//! A host function's own `VMFuncRef` (the one `funcref` values and tables
//! hold) has a [`HostCallee`] without an instance: called through a table,
//! the host function sees the instance entered from the host. Each compiled
//! instance that imports a host function gets its own [`HostImport`], a
//! copy of that `VMFuncRef` for its `call`s whose callee names the
//! instance, so a host function (WASI's, say) reaches the memory of the
//! module that called it even when another module was entered first.

use crate::func::FuncEntity;
use crate::instance::InstanceEntity;
use crate::vm::VMFuncRef;

/// `ctx` of a host call.
#[repr(C)]
pub(crate) struct HostCallee {
    /// The host function.
    pub func: *const FuncEntity,
    /// The calling instance, or null when unknown (calls through tables).
    pub caller: *const InstanceEntity,
}

/// An instance's own `VMFuncRef` for an imported host function. Laid out
/// like the start of [`FuncEntity`] (`vmref`, then `handle`), so that a
/// `funcref` made from it (`ref.func` of the import) still names the
/// function (`StoreOpaque::func_from_ptr`).
#[repr(C)]
pub(crate) struct HostImport {
    pub vmref: VMFuncRef,
    pub handle: u32,
    pub callee: HostCallee,
    /// Its index among the instance's functions (an import).
    pub import_index: u32,
}

impl HostImport {
    /// A copy of `entity`'s `VMFuncRef` whose calls name `caller`; its
    /// `vmctx` is set by [`HostImport::fix_context`] once it has its final
    /// address.
    pub fn new(
        entity: &FuncEntity,
        caller: *const InstanceEntity,
        import_index: u32,
    ) -> HostImport {
        HostImport {
            vmref: VMFuncRef {
                wasm_call: std::sync::atomic::AtomicPtr::new(entity.vmref.wasm_call().cast_mut()),
                array_call: entity.vmref.array_call,
                vmctx: std::ptr::null_mut(),
                type_id: entity.vmref.type_id,
                func_index: entity.vmref.func_index,
            },
            handle: entity.handle,
            callee: HostCallee {
                func: entity,
                caller,
            },
            import_index,
        }
    }

    /// Points `vmctx` at this record's own callee.
    pub fn fix_context(&mut self) {
        self.vmref.vmctx = &mut self.callee as *mut HostCallee as *mut u8;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::mem::offset_of;

    #[test]
    fn a_host_import_starts_like_a_func_entity() {
        assert_eq!(offset_of!(HostImport, vmref), offset_of!(FuncEntity, vmref));
        assert_eq!(
            offset_of!(HostImport, handle),
            offset_of!(FuncEntity, handle)
        );
    }
}
