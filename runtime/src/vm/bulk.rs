//! Bulk memory and table operations with wasm's bounds checks (range
//! copies, fills and segment inits): the one implementation the
//! interpreter's bulk ops and compiled code's intrinsics
//! (`compiled::bulk`) both call. A range out of bounds is an error before
//! anything is written.

use crate::instance::InstanceEntity;
use crate::vm::table::Table;
use crate::vm::LinearMemory;
use kiln_format::TrapCode;

fn range(start: u32, len: u32, size: usize) -> Result<std::ops::Range<usize>, TrapCode> {
    let (s, n) = (start as usize, len as usize);
    if s + n > size {
        return Err(TrapCode::MemoryOutOfBounds);
    }
    Ok(s..s + n)
}

fn table_range(start: u32, len: u32, size: usize) -> Result<std::ops::Range<usize>, TrapCode> {
    range(start, len, size).map_err(|_| TrapCode::TableOutOfBounds)
}

/// `memory.fill` (compiled code has it inline).
#[cfg(feature = "wasm")]
#[inline(never)]
pub(crate) fn memory_fill(
    mem: &mut LinearMemory,
    dst: u32,
    value: u8,
    len: u32,
) -> Result<(), TrapCode> {
    let data = mem.data_mut();
    let r = range(dst, len, data.len())?;
    data[r].fill(value);
    Ok(())
}

/// `memory.copy` (compiled code has it inline).
#[cfg(feature = "wasm")]
#[inline(never)]
pub(crate) fn memory_copy(
    mem: &mut LinearMemory,
    dst: u32,
    src: u32,
    len: u32,
) -> Result<(), TrapCode> {
    let data = mem.data_mut();
    let s = range(src, len, data.len())?;
    range(dst, len, data.len())?;
    data.copy_within(s, dst as usize);
    Ok(())
}

#[inline(never)]
pub(crate) fn memory_init(
    inst: &InstanceEntity,
    mem: &mut LinearMemory,
    segment: u32,
    dst: u32,
    src: u32,
    len: u32,
) -> Result<(), TrapCode> {
    let seg = &inst.module.inner.datas[segment as usize];
    let bytes = if inst.data_dropped[segment as usize] {
        &[][..]
    } else {
        inst.module.inner.data_bytes(seg)
    };
    let s = range(src, len, bytes.len())?;
    let data = mem.data_mut();
    let d = range(dst, len, data.len())?;
    data[d].copy_from_slice(&bytes[s]);
    Ok(())
}

#[inline(never)]
pub(crate) fn table_fill(t: &mut Table, dst: u32, value: usize, len: u32) -> Result<(), TrapCode> {
    let elems = t.elements_mut();
    let r = table_range(dst, len, elems.len())?;
    elems[r].fill(value);
    Ok(())
}

#[inline(never)]
pub(crate) fn table_copy(
    dst_t: *mut Table,
    src_t: *mut Table,
    dst: u32,
    src: u32,
    len: u32,
) -> Result<(), TrapCode> {
    // SAFETY: both pointers are live tables of the running instance; when
    // they are the same table only one reference is formed.
    unsafe {
        if dst_t == src_t {
            let elems = (*dst_t).elements_mut();
            let s = table_range(src, len, elems.len())?;
            table_range(dst, len, elems.len())?;
            elems.copy_within(s, dst as usize);
        } else {
            let from = (*src_t).elements();
            let s = table_range(src, len, from.len())?;
            let to = (*dst_t).elements_mut();
            let d = table_range(dst, len, to.len())?;
            to[d].copy_from_slice(&from[s]);
        }
    }
    Ok(())
}

#[inline(never)]
pub(crate) fn table_init(
    inst: &InstanceEntity,
    t: &mut Table,
    segment: u32,
    dst: u32,
    src: u32,
    len: u32,
) -> Result<(), TrapCode> {
    let items = &inst.elems[segment as usize];
    let s = table_range(src, len, items.len())?;
    let elems = t.elements_mut();
    let d = table_range(dst, len, elems.len())?;
    elems[d].copy_from_slice(&items[s]);
    Ok(())
}
