//! After optimisation, before code generation: the instructions a
//! backtrace can stop at get column [`STOP_COLUMN`] in their debug
//! location, so that [`crate::sites`] keeps only their line rows.
//!
//! They are calls (a return address or a trap's call lies in one) and
//! volatile or atomic accesses (linear memory: a fault lies in one). A
//! volatile load may also be folded by instruction selection into the
//! instruction that uses its value (x86 `add eax, [rcx + r9]`), which then
//! faults and carries its own location, not the load's: so the user of
//! exactly one volatile load takes the load's location (it cannot stop
//! anywhere else); the user of several gets line 0 (unknown), since which
//! load is folded is not known here. Done after the pass pipeline, these
//! are the instructions as they reach code generation. Only debug
//! locations change, never the code.

use crate::debug_loc::STOP_COLUMN;
use inkwell::context::AsContextRef;
use inkwell::llvm_sys::debuginfo::{
    LLVMDIBuilderCreateDebugLocation, LLVMDILocationGetInlinedAt, LLVMDILocationGetLine,
    LLVMDILocationGetScope, LLVMInstructionGetDebugLoc, LLVMInstructionSetDebugLoc,
};
use inkwell::llvm_sys::prelude::LLVMMetadataRef;
use inkwell::module::Module;
use inkwell::values::{AsValueRef, BasicValue, InstructionOpcode, InstructionValue};
use inkwell::AtomicOrdering;

/// Marks the stops of every function of `module`.
pub(crate) fn mark(module: &Module<'_>) {
    let ctx = module.get_context();
    for f in module.get_functions() {
        for block in f.get_basic_blocks() {
            let mut inst = block.get_first_instruction();
            while let Some(i) = inst {
                let from = if may_stop(i) {
                    Some((location(i), STOP_COLUMN))
                } else if i.get_opcode() != InstructionOpcode::Phi {
                    let loads: Vec<_> = (0..i.get_num_operands())
                        .filter_map(|k| i.get_operand(k)?.value()?.as_instruction_value())
                        .filter(|v| is_volatile_load(*v))
                        .collect();
                    match loads[..] {
                        [] => None,
                        [load] => Some((location(load), STOP_COLUMN)),
                        _ => Some((location(i), u32::MAX)),
                    }
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
