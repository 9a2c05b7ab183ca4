//! Memories, tables and globals as the embedder sees them, and [`Extern`].

use crate::error::{Error, Result};
use crate::func::Func;
use crate::store::{AsStore, AsStoreMut};
use crate::types::{ExternType, GlobalType, MemoryType, TableType, ValType};
use crate::values::Val;
use crate::vm::{table::Table as TableData, LinearMemory, VMGlobalDefinition};

/// Anything an instance can import or export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Extern {
    /// A function.
    Func(Func),
    /// A memory.
    Memory(Memory),
    /// A table.
    Table(Table),
    /// A global.
    Global(Global),
}

impl Extern {
    /// The extern's type.
    pub fn ty(&self, store: &impl AsStore) -> ExternType {
        let s = store.opaque();
        match self {
            Extern::Func(f) => ExternType::Func(f.ty(store)),
            Extern::Memory(m) => ExternType::Memory(s.memories[m.0 as usize].ty_now()),
            Extern::Table(t) => ExternType::Table(t.ty(store)),
            Extern::Global(g) => ExternType::Global(s.globals[g.0 as usize].ty),
        }
    }

    /// The function, if this is one.
    pub fn into_func(self) -> Option<Func> {
        match self {
            Extern::Func(f) => Some(f),
            _ => None,
        }
    }

    /// The memory, if this is one.
    pub fn into_memory(self) -> Option<Memory> {
        match self {
            Extern::Memory(m) => Some(m),
            _ => None,
        }
    }

    /// The global, if this is one.
    pub fn into_global(self) -> Option<Global> {
        match self {
            Extern::Global(g) => Some(g),
            _ => None,
        }
    }

    /// The table, if this is one.
    pub fn into_table(self) -> Option<Table> {
        match self {
            Extern::Table(t) => Some(t),
            _ => None,
        }
    }
}

impl From<Func> for Extern {
    fn from(f: Func) -> Extern {
        Extern::Func(f)
    }
}
impl From<Memory> for Extern {
    fn from(m: Memory) -> Extern {
        Extern::Memory(m)
    }
}
impl From<Table> for Extern {
    fn from(t: Table) -> Extern {
        Extern::Table(t)
    }
}
impl From<Global> for Extern {
    fn from(g: Global) -> Extern {
        Extern::Global(g)
    }
}

impl LinearMemory {
    /// The type with the current size as its minimum (for import matching).
    pub(crate) fn ty_now(&self) -> MemoryType {
        MemoryType {
            min: self.pages(),
            ..self.ty
        }
    }
}

/// A linear memory handle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Memory(pub(crate) u32);

impl Memory {
    /// A new memory of type `ty`.
    pub fn new(store: &mut impl AsStoreMut, ty: MemoryType) -> Result<Memory> {
        let s = store.opaque_mut();
        s.memories.push(Box::new(LinearMemory::new(ty)?));
        Ok(Memory(s.memories.len() as u32 - 1))
    }

    /// The memory's bytes.
    pub fn data<'a>(&self, store: &'a impl AsStore) -> &'a [u8] {
        store.opaque().memories[self.0 as usize].data()
    }

    /// The memory's bytes, mutably.
    pub fn data_mut<'a>(&self, store: &'a mut impl AsStoreMut) -> &'a mut [u8] {
        store.opaque_mut().memories[self.0 as usize].data_mut()
    }

    /// Current size in pages.
    pub fn size(&self, store: &impl AsStore) -> u64 {
        store.opaque().memories[self.0 as usize].pages()
    }

    /// Grows by `delta` pages, returning the old size.
    pub fn grow(&self, store: &mut impl AsStoreMut, delta: u64) -> Result<u64> {
        store.opaque_mut().memories[self.0 as usize]
            .grow(delta)
            .ok_or_else(|| Error::usage("memory cannot grow by that many pages"))
    }
}

/// A table handle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Table(pub(crate) u32);

impl Table {
    /// A new table of type `ty` filled with `init`.
    pub fn new(store: &mut impl AsStoreMut, ty: TableType, init: Val) -> Result<Table> {
        if init.ty() != ValType::Ref(ty.elem) {
            return Err(Error::usage("table initial value has the wrong type"));
        }
        let s = store.opaque_mut();
        let raw = init.to_raw(s) as usize;
        let t = TableData::new(ty, raw).ok_or_else(|| Error::Resource("table too large".into()))?;
        s.tables.push(Box::new(t));
        Ok(Table(s.tables.len() as u32 - 1))
    }

    /// The table's type with its current size as minimum.
    pub fn ty(&self, store: &impl AsStore) -> TableType {
        let t = &store.opaque().tables[self.0 as usize];
        TableType {
            min: t.elements().len() as u64,
            ..t.ty
        }
    }

    /// Current size in elements.
    pub fn size(&self, store: &impl AsStore) -> u32 {
        store.opaque().tables[self.0 as usize].elements().len() as u32
    }

    /// Element `index`, or `None` if out of bounds.
    pub fn get(&self, store: &impl AsStore, index: u32) -> Option<Val> {
        let s = store.opaque();
        let t = &s.tables[self.0 as usize];
        let raw = *t.elements().get(index as usize)?;
        Some(Val::from_raw(raw as u128, ValType::Ref(t.ty.elem), s))
    }

    /// Sets element `index`.
    pub fn set(&self, store: &mut impl AsStoreMut, index: u32, val: Val) -> Result<()> {
        let s = store.opaque_mut();
        let elem_ty = ValType::Ref(s.tables[self.0 as usize].ty.elem);
        if val.ty() != elem_ty {
            return Err(Error::usage("table element has the wrong type"));
        }
        let raw = val.to_raw(s) as usize;
        let slot = s.tables[self.0 as usize]
            .elements_mut()
            .get_mut(index as usize)
            .ok_or_else(|| Error::usage("table index out of bounds"))?;
        *slot = raw;
        Ok(())
    }

    /// Grows by `delta` elements of `init`, returning the old size.
    pub fn grow(&self, store: &mut impl AsStoreMut, delta: u32, init: Val) -> Result<u32> {
        let s = store.opaque_mut();
        let raw = init.to_raw(s) as usize;
        s.tables[self.0 as usize]
            .grow(delta, raw)
            .ok_or_else(|| Error::usage("table cannot grow by that many elements"))
    }
}

/// A global's storage; `def` first so its pointer is the entity's.
#[repr(C)]
pub(crate) struct GlobalEntity {
    pub def: VMGlobalDefinition,
    pub ty: GlobalType,
}

/// A global handle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Global(pub(crate) u32);

impl Global {
    /// A new global of type `ty` holding `val`.
    pub fn new(store: &mut impl AsStoreMut, ty: GlobalType, val: Val) -> Result<Global> {
        if val.ty() != ty.val {
            return Err(Error::usage("global initial value has the wrong type"));
        }
        let s = store.opaque_mut();
        let raw = val.to_raw(s);
        Ok(s.new_global(ty, raw))
    }

    /// The global's type.
    pub fn ty(&self, store: &impl AsStore) -> GlobalType {
        store.opaque().globals[self.0 as usize].ty
    }

    /// The current value.
    pub fn get(&self, store: &impl AsStore) -> Val {
        let s = store.opaque();
        let g = &s.globals[self.0 as usize];
        Val::from_raw(g.def.get(), g.ty.val, s)
    }

    /// Sets the value; the global must be mutable and `val` of its type.
    pub fn set(&self, store: &mut impl AsStoreMut, val: Val) -> Result<()> {
        let s = store.opaque_mut();
        let ty = s.globals[self.0 as usize].ty;
        if !ty.mutable {
            return Err(Error::usage("global is immutable"));
        }
        if val.ty() != ty.val {
            return Err(Error::usage("global value has the wrong type"));
        }
        let raw = val.to_raw(s);
        s.globals[self.0 as usize].def.set(raw);
        Ok(())
    }
}

impl crate::store::StoreOpaque {
    pub(crate) fn new_global(&mut self, ty: GlobalType, raw: u128) -> Global {
        self.globals.push(Box::new(GlobalEntity {
            def: VMGlobalDefinition::new(raw),
            ty,
        }));
        Global(self.globals.len() as u32 - 1)
    }
}
