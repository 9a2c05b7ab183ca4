//! The store: owner of every instance, function, memory, table and global.
//!
//! Handles such as [`Func`] or [`Memory`] are indices into a store. Each
//! entity is boxed, so raw pointers to it (held by `VMContext`s, tables and
//! the interpreter) stay valid for the store's whole life.

use crate::engine::{check_running_mode, Engine, RunningMode};
use crate::error::Result;
use crate::externals::GlobalEntity;
use crate::func::{Func, FuncEntity};
use crate::instance::{Instance, InstanceEntity};
use crate::values::ExternRef;
use crate::vm::{table::Table, LinearMemory, VMFuncRef};
use std::any::Any;

/// The part of a store that does not depend on the host data type.
///
/// Entities are boxed on purpose: their addresses must not move when the
/// vectors grow, because `VMContext`s and funcref values point at them.
#[allow(clippy::vec_box)]
pub struct StoreOpaque {
    pub(crate) engine: Engine,
    pub(crate) funcs: Vec<Box<FuncEntity>>,
    pub(crate) memories: Vec<Box<LinearMemory>>,
    pub(crate) tables: Vec<Box<Table>>,
    pub(crate) globals: Vec<Box<GlobalEntity>>,
    pub(crate) instances: Vec<Box<InstanceEntity>>,
    externs: Vec<Box<dyn Any + Send + Sync>>,
    /// Value stacks not in use, reused by the next call from the host.
    #[cfg(feature = "wasm")]
    pub(crate) stack_pool: Vec<Vec<u64>>,
    /// How many host-to-wasm calls are active (host functions may call back).
    #[cfg(feature = "wasm")]
    pub(crate) nesting: u32,
    pub(crate) running_mode: Option<RunningMode>,
}

impl StoreOpaque {
    pub(crate) fn func_ref_ptr(&self, f: Func) -> *const VMFuncRef {
        &self.funcs[f.0 as usize].vmref as *const VMFuncRef
    }

    pub(crate) fn func_from_ptr(&self, raw: usize) -> Option<Func> {
        if raw == 0 {
            return None;
        }
        // SAFETY: every non-null funcref value points at the `vmref` field
        // of a FuncEntity boxed in this store, or of an instance's
        // HostImport; both are repr(C) with `handle` right after `vmref`
        // (tested in host_callee), so only that u32 is read.
        let handle = unsafe {
            *((raw as *const u8).add(std::mem::offset_of!(FuncEntity, handle)) as *const u32)
        };
        Some(Func(handle))
    }

    pub(crate) fn new_extern(&mut self, value: Box<dyn Any + Send + Sync>) -> ExternRef {
        self.externs.push(value);
        ExternRef(self.externs.len() as u32 - 1)
    }

    pub(crate) fn extern_data(&self, r: ExternRef) -> &(dyn Any + Send + Sync) {
        &*self.externs[r.0 as usize]
    }

    pub(crate) fn instance(&self, i: Instance) -> &InstanceEntity {
        &self.instances[i.0 as usize]
    }

    /// The engine this store belongs to.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Sets the default running mode for instances created in this store.
    pub fn set_running_mode(&mut self, mode: RunningMode) -> Result<()> {
        check_running_mode(mode)?;
        self.running_mode = Some(mode);
        Ok(())
    }

    /// The mode a new instance gets: the store's, else the engine default.
    pub fn running_mode(&self) -> RunningMode {
        self.running_mode
            .unwrap_or_else(|| self.engine.default_running_mode())
    }
}

/// A store's contents; reached only through [`Store`] and [`Caller`](crate::Caller).
#[doc(hidden)]
#[repr(C)]
pub struct StoreInner<T> {
    pub(crate) opaque: StoreOpaque,
    pub(crate) data: T,
}

/// A store with host data `T`.
pub struct Store<T> {
    pub(crate) inner: Box<StoreInner<T>>,
}

impl<T> Store<T> {
    /// An empty store on `engine` holding `data`.
    pub fn new(engine: &Engine, data: T) -> Store<T> {
        Store {
            inner: Box::new(StoreInner {
                opaque: StoreOpaque {
                    engine: engine.clone(),
                    funcs: Vec::new(),
                    memories: Vec::new(),
                    tables: Vec::new(),
                    globals: Vec::new(),
                    instances: Vec::new(),
                    externs: Vec::new(),
                    #[cfg(feature = "wasm")]
                    stack_pool: Vec::new(),
                    #[cfg(feature = "wasm")]
                    nesting: 0,
                    running_mode: None,
                },
                data,
            }),
        }
    }

    /// The host data.
    pub fn data(&self) -> &T {
        &self.inner.data
    }

    /// The host data, mutably.
    pub fn data_mut(&mut self) -> &mut T {
        &mut self.inner.data
    }

    /// The engine.
    pub fn engine(&self) -> &Engine {
        &self.inner.opaque.engine
    }

    /// Sets the default running mode of instances created from now on.
    pub fn set_running_mode(&mut self, mode: RunningMode) -> Result<()> {
        self.inner.opaque.set_running_mode(mode)
    }
}

/// Read access to a store (a [`Store`] or a [`Caller`](crate::Caller)).
pub trait AsStore {
    /// The type-independent part of the store.
    fn opaque(&self) -> &StoreOpaque;
}

/// Write access to a store.
pub trait AsStoreMut: AsStore {
    /// The host data type.
    type Data;
    /// The type-independent part of the store, mutably.
    fn opaque_mut(&mut self) -> &mut StoreOpaque;
    #[doc(hidden)]
    fn inner_mut(&mut self) -> &mut StoreInner<Self::Data>;
}

impl<T> AsStore for Store<T> {
    fn opaque(&self) -> &StoreOpaque {
        &self.inner.opaque
    }
}

impl<T> AsStoreMut for Store<T> {
    type Data = T;
    fn opaque_mut(&mut self) -> &mut StoreOpaque {
        &mut self.inner.opaque
    }
    fn inner_mut(&mut self) -> &mut StoreInner<T> {
        &mut self.inner
    }
}

impl<S: AsStore + ?Sized> AsStore for &S {
    fn opaque(&self) -> &StoreOpaque {
        (**self).opaque()
    }
}

impl<S: AsStore + ?Sized> AsStore for &mut S {
    fn opaque(&self) -> &StoreOpaque {
        (**self).opaque()
    }
}

impl<S: AsStoreMut + ?Sized> AsStoreMut for &mut S {
    type Data = S::Data;
    fn opaque_mut(&mut self) -> &mut StoreOpaque {
        (**self).opaque_mut()
    }
    fn inner_mut(&mut self) -> &mut StoreInner<S::Data> {
        (**self).inner_mut()
    }
}

impl AsStore for StoreOpaque {
    fn opaque(&self) -> &StoreOpaque {
        self
    }
}
