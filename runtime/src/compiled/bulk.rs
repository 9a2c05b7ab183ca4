//! The bulk memory and table intrinsics of compiled code (`compiler::abi`):
//! `memory.init`, `data.drop`, `table.grow`, `table.fill`, `table.copy`,
//! `table.init` and `elem.drop`.
//!
//! Each finds the calling instance through its VMContext's `runtime`
//! pointer and reaches memories and tables through the VMContext's pointer
//! arrays (whose definitions are the first field of a `LinearMemory` or
//! `Table`), so imported entities need no special case. The range checks
//! are shared with the interpreter ([`crate::vm::bulk`]); a failed one unwinds
//! with [`raise_trap`] once nothing owned is left on these frames.
//! (`memory.fill`, `memory.copy`, `table.get`, `table.set` and `table.size`
//! are inline in compiled code.)

use crate::instance::InstanceEntity;
use crate::vm::bulk;
use crate::vm::table::Table;
use crate::vm::traps::raise_trap;
use crate::vm::LinearMemory;
use kiln_format::records::VMContextHeader;
use kiln_format::TrapCode;

/// The instance whose VMContext is `vmctx`.
///
/// # Safety
/// `vmctx` must be the VMContext of a live instance (compiled code passes
/// its own).
unsafe fn instance(vmctx: *mut u8) -> *mut InstanceEntity {
    // SAFETY: guaranteed by the caller; the header is at the block's start.
    unsafe { (*(vmctx as *const VMContextHeader)).runtime as *mut InstanceEntity }
}

/// Table `index` of the instance behind `vmctx`.
///
/// # Safety
/// As for [`instance`]; `index` must be a valid table index (validation
/// guarantees it for compiled code).
unsafe fn table(vmctx: *mut u8, index: u32) -> *mut Table {
    // SAFETY: guaranteed by the caller; a table's definition is its first field.
    unsafe { (*instance(vmctx)).vmctx.table(index) as *mut Table }
}

/// Unwinds with `code` if `result` is a trap.
///
/// # Safety
/// Called from an intrinsic entered by compiled code inside `catch_traps`,
/// with nothing owned on the Rust frames in between.
unsafe fn check(result: Result<(), TrapCode>) {
    if let Err(code) = result {
        // SAFETY: guaranteed by the caller.
        unsafe { raise_trap(code) }
    }
}

/// `void kiln_rt_memory_init(vmctx, memory, segment, dst, src, len)`.
unsafe extern "C" fn kiln_rt_memory_init(
    vmctx: *mut u8,
    memory: u32,
    segment: u32,
    dst: u32,
    src: u32,
    len: u32,
) {
    // SAFETY: compiled code passes its own VMContext and validated indices;
    // the memory is not part of the instance record, so the two references
    // do not overlap, and both end before `check` may unwind.
    let result = unsafe {
        let inst = instance(vmctx);
        let mem = (*inst).vmctx.memory(memory) as *mut LinearMemory;
        bulk::memory_init(&*inst, &mut *mem, segment, dst, src, len)
    };
    // SAFETY: entered from compiled code; `result` owns nothing.
    unsafe { check(result) }
}

/// `void kiln_rt_data_drop(vmctx, segment)`.
unsafe extern "C" fn kiln_rt_data_drop(vmctx: *mut u8, segment: u32) {
    // SAFETY: compiled code passes its own VMContext and a validated index.
    unsafe { (&mut *instance(vmctx)).data_dropped[segment as usize] = true }
}

/// `i32 kiln_rt_table_grow(vmctx, table, init, delta)`: the old size or -1.
unsafe extern "C" fn kiln_rt_table_grow(
    vmctx: *mut u8,
    table_index: u32,
    init: usize,
    delta: u32,
) -> i32 {
    // SAFETY: compiled code passes its own VMContext and a validated index;
    // compiled code reloads the definition's base and length after the call.
    unsafe {
        (*table(vmctx, table_index))
            .grow(delta, init)
            .map_or(-1, |old| old as i32)
    }
}

/// `void kiln_rt_table_fill(vmctx, table, dst, value, len)`.
unsafe extern "C" fn kiln_rt_table_fill(
    vmctx: *mut u8,
    table_index: u32,
    dst: u32,
    value: usize,
    len: u32,
) {
    // SAFETY: compiled code passes its own VMContext and a validated index.
    let result = unsafe { bulk::table_fill(&mut *table(vmctx, table_index), dst, value, len) };
    // SAFETY: entered from compiled code; `result` owns nothing.
    unsafe { check(result) }
}

/// `void kiln_rt_table_copy(vmctx, dst_table, src_table, dst, src, len)`.
unsafe extern "C" fn kiln_rt_table_copy(
    vmctx: *mut u8,
    dst_table: u32,
    src_table: u32,
    dst: u32,
    src: u32,
    len: u32,
) {
    // SAFETY: compiled code passes its own VMContext and validated indices;
    // `table_copy` handles the two tables being the same one.
    let result = unsafe {
        let (d, s) = (table(vmctx, dst_table), table(vmctx, src_table));
        bulk::table_copy(d, s, dst, src, len)
    };
    // SAFETY: entered from compiled code; `result` owns nothing.
    unsafe { check(result) }
}

/// `void kiln_rt_table_init(vmctx, table, segment, dst, src, len)`.
unsafe extern "C" fn kiln_rt_table_init(
    vmctx: *mut u8,
    table_index: u32,
    segment: u32,
    dst: u32,
    src: u32,
    len: u32,
) {
    // SAFETY: compiled code passes its own VMContext and validated indices;
    // tables are not part of the instance record, so the references do not
    // overlap, and both end before `check` may unwind.
    let result = unsafe {
        let inst = instance(vmctx);
        let t = table(vmctx, table_index);
        bulk::table_init(&*inst, &mut *t, segment, dst, src, len)
    };
    // SAFETY: entered from compiled code; `result` owns nothing.
    unsafe { check(result) }
}

/// `void kiln_rt_elem_drop(vmctx, segment)`.
unsafe extern "C" fn kiln_rt_elem_drop(vmctx: *mut u8, segment: u32) {
    // SAFETY: compiled code passes its own VMContext and a validated index.
    unsafe { (&mut *instance(vmctx)).elems[segment as usize] = Box::default() }
}

/// The address of bulk intrinsic `name`, for the loader.
pub(super) fn resolve(name: &str) -> Option<usize> {
    use kiln_format::intrinsics as k;
    let bulk = [
        (k::MEMORY_INIT, kiln_rt_memory_init as *const () as usize),
        (k::DATA_DROP, kiln_rt_data_drop as *const () as usize),
        (k::TABLE_GROW, kiln_rt_table_grow as *const () as usize),
        (k::TABLE_FILL, kiln_rt_table_fill as *const () as usize),
        (k::TABLE_COPY, kiln_rt_table_copy as *const () as usize),
        (k::TABLE_INIT, kiln_rt_table_init as *const () as usize),
        (k::ELEM_DROP, kiln_rt_elem_drop as *const () as usize),
    ];
    bulk.iter().find(|(i, _)| i.name == name).map(|(_, a)| *a)
}
