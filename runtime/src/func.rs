//! Functions: wasm functions of an instance and host functions written as
//! Rust closures, and calling them from the host.

use crate::compiled::host_callee::HostCallee;
use crate::error::{Error, Result, Trap};
use crate::externals::Extern;
use crate::instance::{Instance, InstanceEntity};
use crate::store::{AsStore, AsStoreMut, StoreInner, StoreOpaque};
use crate::types::FuncType;
use crate::values::Val;
use crate::vm::VMFuncRef;
use std::sync::Arc;

/// A function handle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Func(pub(crate) u32);

/// The type-erased form of a host closure: store pointer, calling instance, params, results.
pub(crate) type HostFunc =
    Box<dyn Fn(*mut (), Option<Instance>, &[Val], &mut [Val]) -> Result<(), Trap>>;

pub(crate) enum FuncKind {
    Wasm {
        instance: *mut InstanceEntity,
        def_index: u32,
    },
    Host(HostFunc),
}

/// A function's record. `vmref` is first and `handle` second, so a
/// funcref value (a pointer to the `VMFuncRef`) is also a pointer to the
/// entity, or to a [`HostImport`](crate::compiled::host_callee::HostImport)
/// laid out the same way.
#[repr(C)]
pub(crate) struct FuncEntity {
    pub vmref: VMFuncRef,
    pub handle: u32,
    pub ty: Arc<FuncType>,
    pub kind: FuncKind,
    /// For a host function called from compiled code: `vmref.vmctx`
    /// points here (no calling instance known).
    pub callee: HostCallee,
}

/// What a host function sees of its caller: the store and the calling instance.
pub struct Caller<'a, T> {
    pub(crate) inner: &'a mut StoreInner<T>,
    pub(crate) instance: Option<Instance>,
}

impl<T> Caller<'_, T> {
    /// The store's host data.
    pub fn data(&self) -> &T {
        &self.inner.data
    }

    /// The store's host data, mutably.
    pub fn data_mut(&mut self) -> &mut T {
        &mut self.inner.data
    }

    /// An export of the calling instance (e.g. its `memory`).
    pub fn get_export(&self, name: &str) -> Option<Extern> {
        let inst = self.instance?;
        inst.get_export(self, name)
    }
}

impl<T> AsStore for Caller<'_, T> {
    fn opaque(&self) -> &StoreOpaque {
        &self.inner.opaque
    }
}

impl<T> AsStoreMut for Caller<'_, T> {
    type Data = T;
    fn opaque_mut(&mut self) -> &mut StoreOpaque {
        &mut self.inner.opaque
    }
    fn inner_mut(&mut self) -> &mut StoreInner<T> {
        self.inner
    }
}

impl StoreOpaque {
    /// Adds a function of type `ty`, whose interned signature is
    /// `type_id` (see `Engine::intern_signature`).
    pub(crate) fn push_func(
        &mut self,
        ty: Arc<FuncType>,
        type_id: u32,
        kind: FuncKind,
        vmctx: *mut u8,
        index: u32,
    ) -> Func {
        let handle = self.funcs.len() as u32;
        self.funcs.push(Box::new(FuncEntity {
            vmref: VMFuncRef {
                wasm_call: std::sync::atomic::AtomicPtr::new(std::ptr::null_mut()),
                array_call: std::ptr::null(),
                vmctx,
                type_id,
                func_index: index,
            },
            handle,
            ty,
            kind,
            callee: HostCallee {
                func: std::ptr::null(),
                caller: std::ptr::null(),
            },
        }));
        let entity = &mut **self.funcs.last_mut().unwrap();
        entity.callee.func = entity as *const FuncEntity;
        Func(handle)
    }
}

impl Func {
    /// A host function of type `ty` calling `f` with the caller, params and result slots.
    pub fn new<T: 'static>(
        store: &mut impl AsStoreMut<Data = T>,
        ty: FuncType,
        f: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<(), Trap> + 'static,
    ) -> Func {
        let erased: HostFunc = Box::new(move |store_ptr, instance, params, results| {
            // SAFETY: a host function is only ever invoked with the pointer to
            // the StoreInner<T> of the store that created it (see interp and
            // `call`), and no other reference to that store is live meanwhile.
            let inner = unsafe { &mut *(store_ptr as *mut StoreInner<T>) };
            f(Caller { inner, instance }, params, results)
        });
        let store = store.opaque_mut();
        let type_id = store.engine.intern_signature(&ty);
        store.push_func(
            Arc::new(ty),
            type_id,
            FuncKind::Host(erased),
            std::ptr::null_mut(),
            0,
        )
    }

    /// The function's signature.
    pub fn ty(&self, store: &impl AsStore) -> FuncType {
        (*store.opaque().funcs[self.0 as usize].ty).clone()
    }

    /// Calls the function with `params`, writing its results into `results`.
    pub fn call(
        &self,
        store: &mut impl AsStoreMut,
        params: &[Val],
        results: &mut [Val],
    ) -> Result<()> {
        let ty = store.opaque().funcs[self.0 as usize].ty.clone();
        if params.len() != ty.params().len() || results.len() != ty.results().len() {
            return Err(Error::usage(format!(
                "function {} called with {} arguments and {} result slots",
                ty,
                params.len(),
                results.len()
            )));
        }
        for (i, (p, t)) in params.iter().zip(ty.params()).enumerate() {
            if p.ty() != *t {
                return Err(Error::usage(format!(
                    "argument {i} has type {} but the function expects {t}",
                    p.ty()
                )));
            }
        }
        let inner = store.inner_mut();
        let erased = inner as *mut StoreInner<_> as *mut ();
        let opaque: *mut StoreOpaque = &mut inner.opaque;
        // SAFETY: `opaque` and `erased` point into the store borrowed mutably
        // for this whole call; `self` is a handle of that store.
        unsafe { crate::call::call_from_host(opaque, erased, self.0, params, results) }
    }

    /// The tier that runs this function: the interpreter, the Fast JIT, or
    /// LLVM code (the LLVM JIT's or an AOT artifact's); `None` for host
    /// functions.
    pub fn tier(&self, store: &impl AsStore) -> Option<crate::RunningMode> {
        let entity = &store.opaque().funcs[self.0 as usize];
        let FuncKind::Wasm {
            instance,
            def_index,
        } = entity.kind
        else {
            return None;
        };
        // SAFETY: a wasm function's instance lives as long as its store.
        let module = unsafe { &(*instance).module.inner };
        Some(crate::compiled::tier_of(module, def_index, &entity.vmref))
    }

    /// A typed view of the function, checked against its signature.
    pub fn typed<P: crate::typed::WasmParams, R: crate::typed::WasmResults>(
        &self,
        store: &impl AsStore,
    ) -> Result<crate::typed::TypedFunc<P, R>> {
        crate::typed::TypedFunc::new(*self, &self.ty(store))
    }
}
