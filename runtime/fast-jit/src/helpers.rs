//! Helpers Fast JIT code calls for operators too long to emit inline.
//! Each returns 0 or the trap code to raise.

use kiln_format::records::VMMemoryDefinition;
use kiln_format::TrapCode;

/// The bytes `[start, start + len)` of `def`'s memory, if in bounds.
fn range(def: &VMMemoryDefinition, start: u32, len: u32) -> Option<*mut u8> {
    let end = start as u64 + len as u64;
    // SAFETY: `base` is valid for `length` bytes and the range is inside it.
    (end <= def.length as u64).then(|| unsafe { def.base.add(start as usize) })
}

/// `memory.fill`: `len` bytes at `dst` set to `value`.
///
/// # Safety
/// `def` points to a live memory definition of the calling instance.
pub(crate) unsafe extern "C" fn memory_fill(
    def: *const VMMemoryDefinition,
    dst: u32,
    value: u32,
    len: u32,
) -> u32 {
    // SAFETY: see the function's contract.
    let def = unsafe { &*def };
    match range(def, dst, len) {
        // SAFETY: the range is inside the memory.
        Some(p) => unsafe {
            std::ptr::write_bytes(p, value as u8, len as usize);
            0
        },
        None => TrapCode::MemoryOutOfBounds.as_u32(),
    }
}

/// `memory.copy`: `len` bytes from `src` in `src_def` to `dst` in `dst_def`.
///
/// # Safety
/// Both point to live memory definitions of the calling instance.
pub(crate) unsafe extern "C" fn memory_copy(
    dst_def: *const VMMemoryDefinition,
    src_def: *const VMMemoryDefinition,
    dst: u32,
    src: u32,
    len: u32,
) -> u32 {
    // SAFETY: see the function's contract.
    let (dd, sd) = unsafe { (&*dst_def, &*src_def) };
    match (range(dd, dst, len), range(sd, src, len)) {
        // SAFETY: both ranges are inside their memories; `copy` allows overlap.
        (Some(d), Some(s)) => unsafe {
            std::ptr::copy(s, d, len as usize);
            0
        },
        _ => TrapCode::MemoryOutOfBounds.as_u32(),
    }
}
