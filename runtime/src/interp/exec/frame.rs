//! Frame records and the instance state the dispatch loop caches: the
//! translated code of a callee, its frame's initial contents, and the
//! current instance's memory, tables and globals.

use super::memory::View;
use crate::error::Trap;
use crate::instance::InstanceEntity;
use crate::interp::code::{CompiledFunc, Op};
use crate::vm::table::Table;
use crate::vm::LinearMemory;
use std::ptr;

/// A suspended caller: where it resumes and what it runs with.
pub(in crate::interp) struct Frame {
    pub code: *const Op,
    pub consts: *const u128,
    pub pc: *const Op,
    pub fp: *mut u64,
    pub inst: *mut InstanceEntity,
}

/// The translated code of defined function `def` of `inst`, translating it on first use.
///
/// # Safety
/// `inst` must point to a live instance.
#[inline]
pub(super) unsafe fn compiled(
    inst: *mut InstanceEntity,
    def: u32,
) -> Result<*const CompiledFunc, Trap> {
    // SAFETY: `inst` is live (the caller's guarantee).
    let module = unsafe { &(*inst).module.inner };
    crate::interp::translated(module, def).map(|c| c as *const CompiledFunc)
}

/// The memory of `inst`, or null when it has none.
///
/// # Safety
/// `inst` must point to a live instance.
#[inline]
pub(super) unsafe fn memory_of(inst: *mut InstanceEntity) -> *mut LinearMemory {
    // SAFETY: `inst` is live (the caller's guarantee) and has memory 0 when
    // its module declares one.
    unsafe {
        if (&*inst).module.inner.memories.is_empty() {
            ptr::null_mut()
        } else {
            (*inst).vmctx.memory(0) as *mut LinearMemory
        }
    }
}

/// The current base and length of `mem` (empty when null).
///
/// # Safety
/// `mem` must be null or point to a live memory.
#[inline]
pub(super) unsafe fn view_of(mem: *mut LinearMemory) -> View {
    if mem.is_null() {
        View {
            base: ptr::null_mut(),
            len: 0,
        }
    } else {
        // SAFETY: `mem` is live (the caller's guarantee).
        unsafe {
            View {
                base: (*mem).def.base,
                len: (*mem).def.length,
            }
        }
    }
}

/// Table `index` of `inst`.
///
/// # Safety
/// `inst` must point to a live instance that has table `index` (validated).
#[inline]
pub(super) unsafe fn table_of(inst: *mut InstanceEntity, index: u32) -> *mut Table {
    // SAFETY: the caller's guarantee.
    unsafe { (*inst).vmctx.table(index) as *mut Table }
}

/// The value of global `index` of `inst`.
///
/// # Safety
/// `inst` must point to a live instance that has global `index` (validated).
#[inline]
pub(super) unsafe fn global_of(inst: *mut InstanceEntity, index: u32) -> *mut u64 {
    // SAFETY: the caller's guarantee.
    unsafe { (*inst).vmctx.global(index) as *mut u64 }
}

/// Zeroes the locals and fills the constant slots of a new frame.
///
/// # Safety
/// The frame at `fp` must hold `cf.frame_size` slots.
#[inline]
pub(super) unsafe fn zero_locals(fp: *mut u64, cf: &CompiledFunc) {
    let n = cf.init.len();
    if n > 0 {
        // SAFETY: `init` covers the slots from `param_slots` on, all inside
        // the frame (the caller's guarantee); the frame and `init` are disjoint.
        unsafe { ptr::copy_nonoverlapping(cf.init.as_ptr(), fp.add(cf.param_slots as usize), n) };
    }
}
