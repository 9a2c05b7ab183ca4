//! Private copies of a switch for each jump to it. An interpreter written
//! in wasm dispatches its own instructions with a loop whose head is a few
//! ops and a `br_table`, and every one of its handlers ends with a jump back
//! to that head. With one `br_table`, one indirect jump of the host picks
//! every handler and the processor predicts it poorly; a copy of the head
//! for each jump gives each handler its own indirect jump, which learns
//! what tends to follow that handler (as a C interpreter's computed `goto`
//! after each handler does). The copies go at the end of the code, so no
//! index moves; each records the module offsets of the ops it copies, so
//! a trap in a copy reports the operator the original belongs to.

use crate::interp::code::Op;
use crate::interp::trace;

/// Ops before the `br_table` a copied head may have at most.
const MAX_HEAD_OPS: usize = 3;
/// `br_table` entries a copied switch may have at most.
const MAX_ENTRIES: usize = 256;
/// Ops the copies of one function may add at least (more in a function
/// longer than this, up to its own length).
const MIN_BUDGET: usize = 4096;

/// Points each unconditional jump to a switch head at a copy of its own,
/// appended to `code`; appends to `offsets` the module offsets of the
/// copies. Stops before the copies would add more ops than the code had,
/// or [`MIN_BUDGET`] in a shorter function.
pub(super) fn copy_switch_heads(code: &mut Vec<Op>, offsets: &mut Vec<(u32, u32)>) {
    let budget = code.len().max(MIN_BUDGET);
    let mut added = 0;
    for i in 0..code.len() {
        let t = match code[i] {
            Op::Br { target } | Op::CopyBr { target, .. } => target as usize,
            _ => continue,
        };
        let Some(len) = head_len(code, t) else {
            continue;
        };
        if added + len > budget {
            return;
        }
        let start = code.len() as u32;
        for k in t..t + len {
            let at = code.len() as u32;
            if let Some(offset) = trace::offset_in(offsets, k) {
                offsets.push((at, offset));
            }
            code.push(code[k]);
        }
        added += len;
        *code[i].target_mut().expect("branch") = start;
    }
}

/// The number of ops of the switch head at `t` (its straight-line ops, the
/// `br_table` op and its entries), if `t` starts one.
fn head_len(code: &[Op], t: usize) -> Option<usize> {
    let ops = code.get(t..)?;
    let k = ops
        .iter()
        .take(MAX_HEAD_OPS + 1)
        .position(|op| !straight(op))?;
    let entries = match ops[k] {
        Op::BrTable { len, .. }
        | Op::BrTableByte { len, .. }
        | Op::BrTableImm { len, .. }
        | Op::BrTableByteImm { len, .. } => len as usize + 1,
        _ => return None,
    };
    (entries <= MAX_ENTRIES && ops.len() > k + entries).then_some(k + 1 + entries)
}

/// Whether `op` is one word, not a branch, and may be copied into a head.
fn straight(op: &Op) -> bool {
    matches!(
        op,
        Op::I32AddImm { .. }
            | Op::I32ShlAddImm { .. }
            | Op::I32Add { .. }
            | Op::I32ShlImm { .. }
            | Op::I32AndImm { .. }
            | Op::I32Load8U { .. }
            | Op::I32Load { .. }
            | Op::Copy { .. }
            | Op::Copy2 { .. }
    )
}
