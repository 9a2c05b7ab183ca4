//! Backtraces of interpreted code. The translator keeps, beside each
//! function's code, where each wasm operator's ops start ([`record`]);
//! nothing is done at run time until a trap, when [`trapped`] names the
//! running function and each suspended caller, from the op each was at.

use super::code::{CompiledFunc, Op};
use super::exec::frame::Frame;
use crate::error::Trap;
use crate::instance::InstanceEntity;
use crate::module::ModuleInner;
use kiln_format::TrapCode;

/// Notes that the operator at module offset `offset` starts at op index
/// `at` (the operators before it may have been fused into fewer ops: their
/// entries from `at` on are dropped).
pub(super) fn record(offsets: &mut Vec<(u32, u32)>, at: usize, offset: usize) {
    let (at, offset) = (at as u32, offset as u32);
    while offsets.last().is_some_and(|l| l.0 >= at) {
        offsets.pop();
    }
    offsets.push((at, offset));
}

/// Notes that op `at` was removed: later ops moved down by one, and an
/// index that two operators now claim is the later one's. Only the
/// entries after `at` (the last few: ops are removed near the end) move.
pub(super) fn removed(offsets: &mut Vec<(u32, u32)>, at: usize) {
    let first = offsets
        .iter()
        .rposition(|e| e.0 as usize <= at)
        .map_or(0, |i| i + 1);
    for entry in &mut offsets[first..] {
        entry.0 -= 1;
    }
    // The moved entries stay in strictly increasing order; only the first
    // can now share its index with the entry before it.
    if first > 0
        && offsets
            .get(first)
            .is_some_and(|e| e.0 == offsets[first - 1].0)
    {
        offsets[first - 1].1 = offsets[first].1;
        offsets.remove(first);
    }
}

/// The module offset of the operator op `index` belongs to, in a table of
/// `(first op index, module offset)` as [`record`] builds it.
pub(super) fn offset_in(offsets: &[(u32, u32)], index: usize) -> Option<u32> {
    let i = offsets.partition_point(|(at, _)| *at as usize <= index);
    i.checked_sub(1).map(|i| offsets[i].1)
}

/// The module offset of the operator op `index` of `cf` belongs to.
fn offset_of(cf: &CompiledFunc, index: usize) -> Option<usize> {
    offset_in(&cf.offsets, index).map(|o| o as usize)
}

/// The defined function of `module` whose code starts at `code`.
fn function_of(module: &ModuleInner, code: *const Op) -> Option<(u32, &CompiledFunc)> {
    module.compiled.iter().enumerate().find_map(|(def, cell)| {
        let cf = cell.get()?;
        (cf.code.as_ptr() == code).then_some((def as u32, &**cf))
    })
}

/// The frame of the function running `code`, stopped after op `pc`.
///
/// # Safety
/// `inst` must be live and `code` its translated code, `pc` inside it.
unsafe fn frame_at(inst: *mut InstanceEntity, code: *const Op, pc: *const Op) -> crate::FrameInfo {
    // SAFETY: the caller's guarantees.
    let module = unsafe { &(*inst).module.inner };
    // SAFETY: as above: `pc` lies in the code starting at `code`.
    let index = unsafe { pc.offset_from(code) }.max(1) as usize - 1;
    let func = function_of(module, code);
    let func_index = func.map_or(u32::MAX, |(def, _)| module.num_imported_funcs + def);
    let offset = func.and_then(|(_, cf)| offset_of(cf, index));
    module.frame_names().frame(func_index, offset)
}

/// `trap`, raised in the function running `code` just before `pc` of
/// instance `inst`, with this activation's frames added: that function,
/// then the suspended callers in `frames`, innermost first.
///
/// # Safety
/// The state must be the executor's: live instances, each frame's `pc`
/// just past the call it is suspended at.
#[cold]
#[inline(never)]
pub(super) unsafe fn trapped(
    mut trap: Trap,
    code: *const Op,
    pc: *const Op,
    inst: *mut InstanceEntity,
    frames: &[Frame],
) -> Trap {
    let n = frames.len() + 1;
    trap.backtrace_mut().extend(n, |j| match j {
        // SAFETY: the caller's guarantees.
        0 => unsafe { frame_at(inst, code, pc) },
        _ => {
            let f = &frames[n - 1 - j];
            // SAFETY: as above.
            unsafe { frame_at(f.inst, f.code, f.pc) }
        }
    });
    trap
}

/// The module offset of the first operator of defined function `def`.
fn first_operator(module: &ModuleInner, def: u32) -> Option<usize> {
    let range = module.bodies.get(def as usize)?.clone();
    let reader =
        wasmparser::BinaryReader::new(module.bytes.get(range.clone())?, range.start as u64);
    let body = wasmparser::FunctionBody::new(reader);
    Some(body.get_operators_reader().ok()?.original_position() as usize)
}

/// The stack-overflow trap of a call of defined function `def` of `inst`,
/// with that function as its innermost frame, at its first operator (where
/// compiled code checks the stack).
///
/// # Safety
/// `inst` must be live.
#[cold]
#[inline(never)]
pub(super) unsafe fn overflow(inst: *mut InstanceEntity, def: u32) -> Trap {
    // SAFETY: the caller's guarantee.
    let module = unsafe { &(*inst).module.inner };
    let mut trap = Trap::new(TrapCode::StackOverflow);
    let offset = first_operator(module, def);
    let frame = module
        .frame_names()
        .frame(module.num_imported_funcs + def, offset);
    trap.backtrace_mut().push(frame);
    trap
}

#[cfg(test)]
mod tests {
    use super::{offset_in, removed};

    #[test]
    fn removing_an_op_moves_the_later_entries_down() {
        // Operators at ops 0, 3 (two ops), 5, 6; op 4 removed.
        let mut offsets = vec![(0, 10), (3, 20), (5, 30), (6, 40)];
        removed(&mut offsets, 4);
        assert_eq!(offsets, vec![(0, 10), (3, 20), (4, 30), (5, 40)]);
        assert_eq!(offset_in(&offsets, 4), Some(30));
    }

    #[test]
    fn the_later_operator_keeps_an_index_two_now_claim() {
        // Op 3 (the operator at offset 20, one op) removed: op 4 moves to 3.
        let mut offsets = vec![(0, 10), (3, 20), (4, 30), (7, 40)];
        removed(&mut offsets, 3);
        assert_eq!(offsets, vec![(0, 10), (3, 30), (6, 40)]);
        // Removing the last op moves nothing.
        removed(&mut offsets, 9);
        assert_eq!(offsets, vec![(0, 10), (3, 30), (6, 40)]);
    }
}
