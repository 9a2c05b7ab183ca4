//! After optimisation, before code generation: the instructions a
//! backtrace can stop at get column [`STOP_COLUMN`] in their debug
//! location, so that [`crate::sites`] keeps only their line rows.
//!
//! They are calls (a return address or a trap's call lies in one) and
//! volatile or atomic accesses (linear memory: a fault lies in one). A
//! volatile load may also be folded by instruction selection into an
//! instruction computed from its value (x86 `add eax, [rcx + r9]`), or
//! remade by it with the location of one (a DAG combine turns
//! `sext (shl (trunc (load)))` into an extending load that carries the
//! `sext`'s location), which then faults with that location, not the
//! load's. Instruction selection sees one block at a time, so every
//! instruction of a block computed from exactly one volatile load of the
//! block (through operands of the block, not through other stops), or
//! directly from one of another block, takes that load's location; one
//! computed from several gets line 0 (unknown), since which load ends up
//! in it is not known here. A call of an LLVM intrinsic computed from a
//! volatile load is such an instruction too (`llvm.minimum.f32` becomes
//! a `vminss` that may read memory), not a stop of its own.
//!
//! Code generation also makes instructions without a location (see
//! [`crate::llvm_options`] for how their offset stays unknown, not
//! wrong). Done after the pass pipeline, these are the instructions as
//! they reach code generation. Only debug locations change, never the
//! code.

use crate::debug_loc::STOP_COLUMN;
use inkwell::basic_block::BasicBlock;
use inkwell::context::AsContextRef;
use inkwell::llvm_sys::debuginfo::{
    LLVMDIBuilderCreateDebugLocation, LLVMDILocationGetInlinedAt, LLVMDILocationGetLine,
    LLVMDILocationGetScope, LLVMInstructionGetDebugLoc, LLVMInstructionSetDebugLoc,
};
use inkwell::llvm_sys::prelude::{LLVMMetadataRef, LLVMValueRef};
use inkwell::module::Module;
use inkwell::values::{
    AsValueRef, BasicValue, BasicValueEnum, InstructionOpcode, InstructionValue,
};
use inkwell::AtomicOrdering;
use std::collections::HashMap;

/// Marks the stops of every function of `module`.
pub(crate) fn mark(module: &Module<'_>) {
    let ctx = module.get_context();
    for f in module.get_functions() {
        for block in f.get_basic_blocks() {
            // The volatile loads of the block each instruction so far is
            // computed from.
            let mut reach: HashMap<LLVMValueRef, Reach<'_>> = HashMap::new();
            let mut inst = block.get_first_instruction();
            while let Some(i) = inst {
                let operands = || operand_reach(i, block, &reach);
                let intrinsic = is_intrinsic_call(i);
                let from = if may_stop(i) && !(intrinsic && operands() != Reach::None) {
                    if is_volatile_load(i) {
                        reach.insert(i.as_value_ref(), Reach::One(i));
                    }
                    Some((location(i), STOP_COLUMN))
                } else if i.get_opcode() != InstructionOpcode::Phi {
                    let r = operands();
                    let from = match r {
                        Reach::None => None,
                        Reach::One(load) => Some((location(load), STOP_COLUMN)),
                        Reach::Many => Some((location(i), u32::MAX)),
                    };
                    reach.insert(i.as_value_ref(), r);
                    from
                } else {
                    None
                };
                if let Some((Some(loc), column)) = from {
                    relabel(ctx.as_ctx_ref(), i, loc, column);
                }
                inst = i.get_next_instruction();
            }
        }
    }
}

/// The volatile loads an instruction is computed from.
#[derive(Clone, Copy, PartialEq)]
enum Reach<'ctx> {
    None,
    One(InstructionValue<'ctx>),
    Many,
}

impl<'ctx> Reach<'ctx> {
    fn join(self, other: Reach<'ctx>) -> Reach<'ctx> {
        match (self, other) {
            (Reach::None, r) | (r, Reach::None) => r,
            (Reach::One(a), Reach::One(b)) if a == b => self,
            _ => Reach::Many,
        }
    }
}

/// The volatile loads `inst` (of `block`) is computed from: its operands
/// that are volatile loads, and those the operands of `block` reach.
fn operand_reach<'ctx>(
    inst: InstructionValue<'ctx>,
    block: BasicBlock<'ctx>,
    reach: &HashMap<LLVMValueRef, Reach<'ctx>>,
) -> Reach<'ctx> {
    (0..inst.get_num_operands())
        .filter_map(|k| inst.get_operand(k)?.value()?.as_instruction_value())
        .map(|v| {
            if is_volatile_load(v) {
                Reach::One(v)
            } else if v.get_parent() == Some(block) {
                reach.get(&v.as_value_ref()).copied().unwrap_or(Reach::None)
            } else {
                Reach::None
            }
        })
        .fold(Reach::None, Reach::join)
}

/// Whether a backtrace can stop at `inst` as it is.
fn may_stop(inst: InstructionValue<'_>) -> bool {
    match inst.get_opcode() {
        InstructionOpcode::Call
        | InstructionOpcode::AtomicRMW
        | InstructionOpcode::AtomicCmpXchg => true,
        InstructionOpcode::Load | InstructionOpcode::Store => {
            inst.get_volatile().unwrap_or(true)
                || inst
                    .get_atomic_ordering()
                    .is_ok_and(|o| o != AtomicOrdering::NotAtomic)
        }
        _ => false,
    }
}

/// Whether `inst` calls an LLVM intrinsic (`llvm.minimum.f32`): mostly
/// an instruction or two, into which a volatile load it is computed from
/// may be folded like into any other, so it is a stop only when computed
/// from none. Not the `llvm.mem*` ones, which may become calls.
fn is_intrinsic_call(inst: InstructionValue<'_>) -> bool {
    if inst.get_opcode() != InstructionOpcode::Call {
        return false;
    }
    let n = inst.get_num_operands();
    let callee = n.checked_sub(1).and_then(|k| inst.get_operand(k)?.value());
    let Some(BasicValueEnum::PointerValue(callee)) = callee else {
        return false;
    };
    let name = callee.get_name().to_bytes();
    // `llvm.memset` and `llvm.memmove` may become real calls.
    name.starts_with(b"llvm.") && !name.starts_with(b"llvm.mem")
}

fn is_volatile_load(inst: InstructionValue<'_>) -> bool {
    inst.get_opcode() == InstructionOpcode::Load && inst.get_volatile().unwrap_or(false)
}

/// The debug location of `inst`, if it has one.
fn location(inst: InstructionValue<'_>) -> Option<LLVMMetadataRef> {
    // SAFETY: `inst` is a live instruction; the result is null or its
    // location, owned by the context.
    let loc = unsafe { LLVMInstructionGetDebugLoc(inst.as_value_ref()) };
    (!loc.is_null()).then_some(loc)
}

/// Gives `inst` the location `loc` with column `column` (`u32::MAX`: line
/// 0, column 0: unknown), in `loc`'s scope and inlining.
fn relabel(
    ctx: inkwell::llvm_sys::prelude::LLVMContextRef,
    inst: InstructionValue<'_>,
    loc: LLVMMetadataRef,
    column: u32,
) {
    // SAFETY: `loc` is a DILocation of this context (from an instruction
    // of the module); its scope and inlined-at are that context's metadata
    // (the latter null or a DILocation); the new location is uniqued in
    // the context and outlives the instruction.
    unsafe {
        let (line, column) = match column {
            u32::MAX => (0, 0),
            c => (LLVMDILocationGetLine(loc), c),
        };
        let scope = LLVMDILocationGetScope(loc);
        let inlined_at = LLVMDILocationGetInlinedAt(loc);
        let new = LLVMDIBuilderCreateDebugLocation(ctx, line, column, scope, inlined_at);
        LLVMInstructionSetDebugLoc(inst.as_value_ref(), new);
    }
}
