//! Instantiation: resolving imports, allocating entities, building the
//! `VMContext`, applying segments and running the start function.

use crate::compiled::host_callee::HostImport;
use crate::engine::{check_running_mode, RunningMode};
use crate::error::{Error, Result};
use crate::externals::{Extern, Global, Memory, Table};
use crate::func::{Func, FuncEntity, FuncKind};
#[cfg(feature = "wasm")]
use crate::interp::CompiledFunc;
use crate::module::{DataMode, ElementItems, ElementMode, ExternKind, Module};
use crate::store::{AsStore, AsStoreMut, StoreOpaque};
use crate::types::{ExternType, TableType};
use crate::vm::{table::Table as TableData, LinearMemory, VMContext, VMFuncRef};
use kiln_format::vmoffsets::VMCounts;
use kiln_format::TrapCode;
use std::collections::HashMap;

/// An instance handle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Instance(pub(crate) u32);

/// An instance's record; `vmctx.runtime` points here.
pub(crate) struct InstanceEntity {
    pub handle: u32,
    pub module: Module,
    pub vmctx: VMContext,
    pub func_refs: Box<[*const VMFuncRef]>,
    /// The interpreter's direct-call cache, by function index: the
    /// translated code of a function whose calls from this instance's
    /// interpreted code take the fast path, set by the first such call;
    /// null until then and for every other function.
    #[cfg(feature = "wasm")]
    pub interp_callees: Box<[std::cell::Cell<*const CompiledFunc>]>,
    /// This instance's own records of the host functions its compiled code
    /// imports (`func_refs` points at them).
    pub host_imports: Box<[HostImport]>,
    pub sig_ids: Box<[u32]>,
    pub funcs: Vec<Func>,
    pub memories: Vec<Memory>,
    pub tables: Vec<Table>,
    pub globals: Vec<Global>,
    /// Resolved references of each element segment; emptied by `elem.drop`.
    pub elems: Vec<Box<[usize]>>,
    /// Whether each data segment has been dropped.
    pub data_dropped: Vec<bool>,
    pub exports: HashMap<String, Extern>,
    pub mode: RunningMode,
}

fn limits_match(min: u64, max: Option<u64>, want_min: u64, want_max: Option<u64>) -> bool {
    min >= want_min
        && match want_max {
            None => true,
            Some(w) => max.is_some_and(|m| m <= w),
        }
}

fn import_matches(actual: &ExternType, wanted: &ExternType) -> bool {
    match (actual, wanted) {
        (ExternType::Func(a), ExternType::Func(w)) => a == w,
        (ExternType::Global(a), ExternType::Global(w)) => a == w,
        (ExternType::Memory(a), ExternType::Memory(w)) => limits_match(a.min, a.max, w.min, w.max),
        (ExternType::Table(a), ExternType::Table(w)) => {
            a.elem == w.elem && limits_match(a.min, a.max, w.min, w.max)
        }
        _ => false,
    }
}

impl Instance {
    /// Instantiates `module` with `imports` given in the module's import order.
    pub fn new(
        store: &mut impl AsStoreMut,
        module: &Module,
        imports: &[Extern],
    ) -> Result<Instance> {
        let inner = store.inner_mut();
        let erased = inner as *mut _ as *mut ();
        let opaque = &mut inner.opaque;
        let instance = allocate(opaque, module, imports)?;
        initialize(opaque, instance)?;
        if let Some(start) = module.inner.start {
            let f = opaque.instance(instance).funcs[start as usize];
            // SAFETY: the store is borrowed mutably for this whole call.
            unsafe { crate::call::call_from_host(opaque, erased, f.0, &[], &mut [])? };
        }
        Ok(instance)
    }

    /// The export called `name`.
    pub fn get_export(&self, store: &impl AsStore, name: &str) -> Option<Extern> {
        store.opaque().instance(*self).exports.get(name).copied()
    }

    /// The exported function `name`.
    pub fn get_func(&self, store: &impl AsStore, name: &str) -> Option<Func> {
        self.get_export(store, name)?.into_func()
    }

    /// The exported memory `name`.
    pub fn get_memory(&self, store: &impl AsStore, name: &str) -> Option<Memory> {
        self.get_export(store, name)?.into_memory()
    }

    /// The exported global `name`.
    pub fn get_global(&self, store: &impl AsStore, name: &str) -> Option<Global> {
        self.get_export(store, name)?.into_global()
    }

    /// The exported table `name`.
    pub fn get_table(&self, store: &impl AsStore, name: &str) -> Option<Table> {
        self.get_export(store, name)?.into_table()
    }

    /// All exports, in the module's order.
    pub fn exports(&self, store: &impl AsStore) -> Vec<(String, Extern)> {
        let inst = store.opaque().instance(*self);
        inst.module
            .exports()
            .iter()
            .map(|e| (e.name.clone(), inst.exports[&e.name]))
            .collect()
    }

    /// The module this instance was made from.
    pub fn module(&self, store: &impl AsStore) -> Module {
        store.opaque().instance(*self).module.clone()
    }

    /// The instance's running mode.
    pub fn running_mode(&self, store: &impl AsStore) -> RunningMode {
        store.opaque().instance(*self).mode
    }

    /// Sets the instance's running mode; an unsupported mode is an error
    /// naming it. The mode is fixed when the instance is created (set it on
    /// the store before instantiating), so only the same mode is accepted.
    pub fn set_running_mode(&self, store: &mut impl AsStoreMut, mode: RunningMode) -> Result<()> {
        check_running_mode(mode)?;
        let current = store.opaque().instances[self.0 as usize].mode;
        if mode != current {
            return Err(Error::usage(format!(
                "this instance was created in running mode `{current}`; set `{mode}` on the store before instantiating"
            )));
        }
        Ok(())
    }
}

fn allocate(store: &mut StoreOpaque, module: &Module, imports: &[Extern]) -> Result<Instance> {
    let m = &module.inner;
    if !m.engine.same(&store.engine) {
        return Err(Error::usage("module and store belong to different engines"));
    }
    if imports.len() != m.imports.len() {
        return Err(Error::Link(format!(
            "module expects {} imports, {} given",
            m.imports.len(),
            imports.len()
        )));
    }
    let counts = VMCounts {
        num_types: m.types.len() as u32,
        num_funcs: m.funcs.len() as u32,
        num_memories: m.memories.len() as u32,
        num_tables: m.tables.len() as u32,
        num_globals: m.globals.len() as u32,
    };
    let mode = store.running_mode();
    let sig_ids: Box<[u32]> = m
        .types
        .iter()
        .map(|t| store.engine.intern_signature(t))
        .collect();
    let handle = Instance(store.instances.len() as u32);
    store.instances.push(Box::new(InstanceEntity {
        handle: handle.0,
        module: module.clone(),
        vmctx: VMContext::new(counts),
        func_refs: Box::default(),
        #[cfg(feature = "wasm")]
        interp_callees: Box::default(),
        host_imports: Box::default(),
        sig_ids,
        funcs: Vec::new(),
        memories: Vec::new(),
        tables: Vec::new(),
        globals: Vec::new(),
        elems: Vec::new(),
        data_dropped: vec![false; m.datas.len()],
        exports: HashMap::new(),
        mode,
    }));
    let inst_ptr: *mut InstanceEntity = &mut *store.instances[handle.0 as usize];
    // SAFETY: the entity is boxed, so its address is stable while the store lives.
    let vmctx_ptr = unsafe { (*inst_ptr).vmctx.as_ptr() };

    let (mut funcs, mut memories, mut tables, mut globals) = (vec![], vec![], vec![], vec![]);
    for (import, ext) in m.imports.iter().zip(imports) {
        let actual = ext.ty(&*store);
        if !import_matches(&actual, &import.ty) {
            return Err(Error::Link(format!(
                "incompatible import type for `{}`.`{}`: expected {} {:?}, found {} {:?}",
                import.module,
                import.name,
                import.ty.kind_name(),
                import.ty,
                actual.kind_name(),
                actual
            )));
        }
        match *ext {
            Extern::Func(f) => funcs.push(f),
            Extern::Memory(x) => memories.push(x),
            Extern::Table(x) => tables.push(x),
            Extern::Global(x) => globals.push(x),
        }
    }
    // Native code runs unless the instance is to be interpreted (an
    // artifact without bodies always runs natively).
    let code = m
        .code
        .as_ref()
        .filter(|_| mode != RunningMode::Interp || m.bodies.is_empty());
    let mut host_imports: Box<[HostImport]> = match code {
        Some(code) => link_compiled_imports(store, m, code, &funcs, inst_ptr)?,
        None => Box::default(),
    };
    // Interpreted functions get the interpreter's entry as their native
    // code, so native code of any tier can call them, when this engine
    // compiles code (an engine that only interprets needs none).
    #[cfg(feature = "fast-jit")]
    let interp_entries = match code {
        None if m.engine.default_running_mode() != RunningMode::Interp => {
            let types: Vec<&crate::types::FuncType> = (0..m.num_defined_funcs() as u32)
                .map(|d| &**m.func_type(m.num_imported_funcs + d))
                .collect();
            crate::interp::native_entry::entry_for(&types)
        }
        _ => None,
    };
    for def in 0..m.num_defined_funcs() as u32 {
        let index = m.num_imported_funcs + def;
        let ty = m.func_type(index).clone();
        let kind = FuncKind::Wasm {
            instance: inst_ptr,
            def_index: def,
        };
        // SAFETY: `inst_ptr` points at the boxed entity pushed above.
        let type_id = unsafe { (*inst_ptr).sig_ids[m.funcs[index as usize] as usize] };
        let f = store.push_func(ty, type_id, kind, vmctx_ptr, index);
        if let Some(code) = code {
            let entity: *mut FuncEntity = &mut *store.funcs[f.0 as usize];
            let type_index = m.funcs[index as usize];
            let c = crate::compiled::function_code(m, code, index, type_index, entity);
            let vmref = &mut store.funcs[f.0 as usize].vmref;
            vmref.set_wasm_call(c.wasm_call as *const u8);
            vmref.array_call = c.array_call as *const u8;
            if let Some(ctx) = c.vmctx {
                vmref.vmctx = ctx;
            }
        }
        #[cfg(feature = "fast-jit")]
        if let Some(entries) = &interp_entries {
            let entity: *mut FuncEntity = &mut *store.funcs[f.0 as usize];
            let vmref = &mut store.funcs[f.0 as usize].vmref;
            vmref.set_wasm_call(entries[def as usize] as *const u8);
            vmref.vmctx = entity as *mut u8;
        }
        funcs.push(f);
    }
    for ty in &m.memories[m.num_imported_memories as usize..] {
        store.memories.push(Box::new(LinearMemory::new(*ty)?));
        memories.push(Memory(store.memories.len() as u32 - 1));
    }
    let func_raw = |s: &StoreOpaque, i: u32| s.func_ref_ptr(funcs[i as usize]) as usize as u128;
    for i in m.num_imported_globals as usize..m.globals.len() {
        let raw = m.global_inits[i].eval(
            |g| store.globals[globals[g as usize].0 as usize].def.get(),
            |f| func_raw(store, f),
        );
        globals.push(store.new_global(m.globals[i], raw));
    }
    for i in m.num_imported_tables as usize..m.tables.len() {
        let ty: TableType = m.tables[i];
        let init = match &m.table_inits[i] {
            Some(e) => e.eval(
                |g| store.globals[globals[g as usize].0 as usize].def.get(),
                |f| func_raw(store, f),
            ) as usize,
            None => 0,
        };
        let t =
            TableData::new(ty, init).ok_or_else(|| Error::Resource("table too large".into()))?;
        store.tables.push(Box::new(t));
        tables.push(Table(store.tables.len() as u32 - 1));
    }
    let elems: Vec<Box<[usize]>> = m
        .elems
        .iter()
        .map(|seg| match &seg.items {
            ElementItems::Functions(f) => f.iter().map(|&f| func_raw(store, f) as usize).collect(),
            ElementItems::Exprs(x) => x
                .iter()
                .map(|e| {
                    e.eval(
                        |g| store.globals[globals[g as usize].0 as usize].def.get(),
                        |f| func_raw(store, f),
                    ) as usize
                })
                .collect(),
        })
        .collect();
    let mut func_refs: Box<[*const VMFuncRef]> =
        funcs.iter().map(|f| store.func_ref_ptr(*f)).collect();
    for import in host_imports.iter_mut() {
        import.fix_context();
        func_refs[import.import_index as usize] = &import.vmref;
    }
    let mut exports = HashMap::new();
    for e in &m.exports {
        let i = e.index as usize;
        let ext = match e.kind {
            ExternKind::Func => Extern::Func(funcs[i]),
            ExternKind::Memory => Extern::Memory(memories[i]),
            ExternKind::Table => Extern::Table(tables[i]),
            ExternKind::Global => Extern::Global(globals[i]),
        };
        exports.insert(e.name.clone(), ext);
    }
    let mem_defs: Vec<_> = memories
        .iter()
        .map(|x| &mut store.memories[x.0 as usize].def as *mut _)
        .collect();
    let table_defs: Vec<_> = tables
        .iter()
        .map(|x| &mut store.tables[x.0 as usize].def as *mut _)
        .collect();
    let global_defs: Vec<_> = globals
        .iter()
        .map(|x| &mut store.globals[x.0 as usize].def as *mut _)
        .collect();
    let inst = &mut *store.instances[handle.0 as usize];
    for (i, d) in mem_defs.into_iter().enumerate() {
        inst.vmctx.set_memory(i as u32, d);
    }
    for (i, d) in table_defs.into_iter().enumerate() {
        inst.vmctx.set_table(i as u32, d);
    }
    for (i, d) in global_defs.into_iter().enumerate() {
        inst.vmctx.set_global(i as u32, d);
    }
    #[cfg(feature = "wasm")]
    {
        let null = std::cell::Cell::new(std::ptr::null());
        inst.interp_callees = vec![null; func_refs.len()].into_boxed_slice();
    }
    inst.func_refs = func_refs;
    inst.host_imports = host_imports;
    let header = inst.vmctx.header_mut();
    header.runtime = inst_ptr as *mut u8;
    header.func_refs = inst.func_refs.as_ptr();
    header.sig_ids = inst.sig_ids.as_ptr();
    inst.funcs = funcs;
    inst.memories = memories;
    inst.tables = tables;
    inst.globals = globals;
    inst.elems = elems;
    inst.exports = exports;
    Ok(handle)
}

/// Points imported functions at code a compiled module can call: a host
/// function gets this artifact's wasm-to-host trampoline for its type, and
/// this instance its own [`HostImport`] of it, whose calls name the
/// instance as the caller; a wasm function must already be compiled.
/// Returns the host imports.
fn link_compiled_imports(
    store: &mut StoreOpaque,
    m: &crate::module::ModuleInner,
    artifact: &crate::compiled::CompiledCode,
    funcs: &[Func],
    instance: *const InstanceEntity,
) -> Result<Box<[HostImport]>> {
    let mut host_imports = Vec::new();
    for (i, f) in funcs.iter().enumerate() {
        let type_index = m.funcs[i];
        let import = m
            .imports
            .iter()
            .filter(|im| matches!(im.ty, ExternType::Func(_)))
            .nth(i);
        let name = import.map_or(String::new(), |im| format!("`{}`.`{}`", im.module, im.name));
        let entity = &mut *store.funcs[f.0 as usize];
        match entity.kind {
            FuncKind::Host(_) => {
                let tramp = artifact.wasm_call(type_index).ok_or_else(|| {
                    Error::Link(format!(
                        "the compiled code has no host-call trampoline for import {name}"
                    ))
                })?;
                entity.vmref.vmctx = &mut entity.callee as *mut _ as *mut u8;
                entity.vmref.set_wasm_call(tramp as *const u8);
                host_imports.push(HostImport::new(entity, instance, i as u32));
            }
            FuncKind::Wasm { .. } if entity.vmref.wasm_call().is_null() => {
                return Err(Error::Link(format!(
                    "compiled code cannot import the interpreted function {name} in a build without the Fast JIT"
                )));
            }
            FuncKind::Wasm { .. } => {}
        }
    }
    Ok(host_imports.into_boxed_slice())
}

/// Applies active element and data segments in order, then drops them and
/// the declared ones. A range out of bounds traps; earlier writes stay.
fn initialize(store: &mut StoreOpaque, instance: Instance) -> Result<()> {
    let module = store.instance(instance).module.clone();
    let m = &module.inner;
    let global = |s: &StoreOpaque, g: u32| {
        let inst = s.instance(instance);
        s.globals[inst.globals[g as usize].0 as usize].def.get()
    };
    for (i, seg) in m.elems.iter().enumerate() {
        match &seg.mode {
            ElementMode::Active { table, offset } => {
                let offset = offset.eval(|g| global(store, g), |_| 0) as u32 as usize;
                let inst = store.instance(instance);
                let table = inst.tables[*table as usize];
                let items = inst.elems[i].clone();
                let t = &mut store.tables[table.0 as usize];
                let dst = t
                    .elements_mut()
                    .get_mut(offset..)
                    .and_then(|d| d.get_mut(..items.len()))
                    .ok_or(TrapCode::TableOutOfBounds)?;
                dst.copy_from_slice(&items);
                store.instances[instance.0 as usize].elems[i] = Box::default();
            }
            ElementMode::Declarative => {
                store.instances[instance.0 as usize].elems[i] = Box::default()
            }
            ElementMode::Passive => {}
        }
    }
    for (i, seg) in m.datas.iter().enumerate() {
        if let DataMode::Active { memory, offset } = &seg.mode {
            let offset = offset.eval(|g| global(store, g), |_| 0) as u32 as usize;
            let memory = store.instance(instance).memories[*memory as usize];
            let bytes = m.data_bytes(seg);
            let mem = store.memories[memory.0 as usize].data_mut();
            let dst = mem
                .get_mut(offset..)
                .and_then(|d| d.get_mut(..bytes.len()))
                .ok_or(TrapCode::MemoryOutOfBounds)?;
            dst.copy_from_slice(bytes);
            store.instances[instance.0 as usize].data_dropped[i] = true;
        }
    }
    Ok(())
}
