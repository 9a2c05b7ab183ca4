//! Private copies of a switch for each jump to it. An interpreter written
//! in wasm dispatches its own instructions with a loop whose head is a few
//! ops and a `br_table`, and every one of its handlers ends with a jump back
//! to that head. With one `br_table`, one indirect jump of the host picks
//! every handler and the processor predicts it poorly; a copy of the head
//! for each jump gives each handler its own indirect jump, which learns
//! what tends to follow that handler (as a C interpreter's computed `goto`
//! after each handler does). Each copy takes the place of the jump (so
//! the jump's dispatch goes too), and its ops keep the module offsets of
//! the ops they copy, so a trap in a copy reports the operator the
//! original belongs to.

use crate::interp::code::Op;
use crate::interp::trace;

/// Ops before the `br_table` a copied head may have at most.
const MAX_HEAD_OPS: usize = 3;
/// `br_table` entries a copied switch may have at most.
const MAX_ENTRIES: usize = 256;
/// Ops the copies of one function may add at least (more in a function
/// longer than this, up to its own length).
const MIN_BUDGET: usize = 4096;

/// Replaces each unconditional jump to a switch head by a copy of the head
/// (a `CopyBr` by its copy, then the head), moving the ops after it and
/// every branch target along, and rewrites `offsets` (by op index) to
/// match. Stops before the copies would add more ops than the code had,
/// or [`MIN_BUDGET`] in a shorter function.
pub(super) fn copy_switch_heads(code: &mut Vec<Op>, offsets: &mut Vec<(u32, u32)>) {
    let budget = code.len().max(MIN_BUDGET);
    let mut plan = Vec::new();
    let mut added = 0;
    for (i, op) in code.iter().enumerate() {
        let (t, copy) = match *op {
            Op::Br { target } => (target as usize, None),
            Op::CopyBr { target, dst, src } => (target as usize, Some(Op::Copy { dst, src })),
            _ => continue,
        };
        let Some(len) = head_len(code, t) else {
            continue;
        };
        if added + len > budget {
            break;
        }
        added += len;
        plan.push((i, t, len, copy));
    }
    if plan.is_empty() {
        return;
    }
    // Where each op (and the end) lands once the jumps are replaced.
    let mut moved = Vec::with_capacity(code.len() + 1);
    let mut shift = 0;
    let mut next = plan.iter().peekable();
    for old in 0..=code.len() {
        moved.push((old + shift) as u32);
        if let Some(&&(_, _, len, copy)) = next.peek().filter(|p| p.0 == old) {
            shift += len + usize::from(copy.is_some()) - 1;
            next.next();
        }
    }
    let mut out = Vec::with_capacity(code.len() + added + plan.len());
    let mut out_offsets: Vec<(u32, u32)> = Vec::with_capacity(offsets.len() + 2 * plan.len());
    let note = |at: usize, from: usize, out_offsets: &mut Vec<(u32, u32)>| {
        if let Some(offset) = trace::offset_in(offsets, from) {
            if out_offsets.last().is_none_or(|l| l.1 != offset) {
                out_offsets.push((at as u32, offset));
            }
        }
    };
    let mut next = plan.iter().peekable();
    for (old, op) in code.iter().enumerate() {
        match next.peek().filter(|p| p.0 == old) {
            Some(&&(_, t, len, copy)) => {
                next.next();
                if let Some(c) = copy {
                    note(out.len(), old, &mut out_offsets);
                    out.push(c);
                }
                for (k, head_op) in code.iter().enumerate().skip(t).take(len) {
                    note(out.len(), k, &mut out_offsets);
                    out.push(*head_op);
                }
            }
            None => {
                note(out.len(), old, &mut out_offsets);
                out.push(*op);
            }
        }
    }
    for op in &mut out {
        if let Some(t) = op.target_mut() {
            *t = moved[*t as usize];
        }
    }
    *code = out;
    *offsets = out_offsets;
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
        Op::BrTableByteStep { len, .. } => usize::from(len) + 1,
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
