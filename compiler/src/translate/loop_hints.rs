//! Loop hints: the precise copy of a versioned loop runs only when the
//! check before it fails (an access could fault), so LLVM should not
//! spend compile time unrolling or vectorising it. Its back edges get an
//! `llvm.loop` node saying so (`llvm.loop.unroll.disable`,
//! `llvm.loop.vectorize.width` 1).

use crate::error::{CompileError, Result};
use inkwell::basic_block::BasicBlock;
use inkwell::context::{AsContextRef, Context};
use inkwell::llvm_sys::core::{
    LLVMConstInt, LLVMGetMDKindIDInContext, LLVMInt32TypeInContext, LLVMMDNodeInContext2,
    LLVMMDStringInContext2, LLVMMetadataAsValue, LLVMSetMetadata, LLVMValueAsMetadata,
};
use inkwell::llvm_sys::debuginfo::{LLVMMetadataReplaceAllUsesWith, LLVMTemporaryMDNode};
use inkwell::llvm_sys::prelude::LLVMMetadataRef;
use inkwell::values::{AsValueRef, InstructionOpcode};

/// Marks every branch in `function`'s blocks from `first` on that jumps
/// back to `header` as a loop LLVM should neither unroll nor vectorise.
pub(super) fn mark_cold_loop<'ctx>(
    ctx: &'ctx Context,
    first: BasicBlock<'ctx>,
    header: BasicBlock<'ctx>,
) -> Result<()> {
    let mut marked = false;
    let mut block = Some(first);
    let mut id = None;
    while let Some(b) = block {
        block = b.get_next_basic_block();
        let Some(term) = b.get_terminator() else {
            continue;
        };
        if term.get_opcode() != InstructionOpcode::Br {
            continue;
        }
        let back = (0..term.get_num_operands())
            .filter_map(|i| term.get_operand(i)?.block())
            .any(|target| target == header);
        if back && b != first {
            let node = *id.get_or_insert_with(|| cold_loop_id(ctx));
            let kind = b"llvm.loop";
            // SAFETY: `term` and `node` belong to `ctx`, which outlives
            // the call; the kind name is passed with its length.
            unsafe {
                let kind = LLVMGetMDKindIDInContext(
                    ctx.as_ctx_ref(),
                    kind.as_ptr().cast(),
                    kind.len() as u32,
                );
                LLVMSetMetadata(
                    term.as_value_ref(),
                    kind,
                    LLVMMetadataAsValue(ctx.as_ctx_ref(), node),
                );
            }
            marked = true;
        }
    }
    if marked || id.is_none() {
        Ok(())
    } else {
        Err(CompileError::Llvm("loop hint made but not used".into()))
    }
}

/// A distinct, self-referential loop id with the two hints.
fn cold_loop_id(ctx: &Context) -> LLVMMetadataRef {
    let c = ctx.as_ctx_ref();
    let string = |s: &str| {
        // SAFETY: `s` is passed with its length; LLVM copies it.
        unsafe { LLVMMDStringInContext2(c, s.as_ptr().cast(), s.len()) }
    };
    // SAFETY: every node and value here is made in `c`; the temporary
    // node is replaced by the finished one (so the id refers to itself)
    // before anything else sees it, as loop ids must.
    unsafe {
        let mut unroll = [string("llvm.loop.unroll.disable")];
        let unroll = LLVMMDNodeInContext2(c, unroll.as_mut_ptr(), 1);
        let one = LLVMValueAsMetadata(LLVMConstInt(LLVMInt32TypeInContext(c), 1, 0));
        let mut width = [string("llvm.loop.vectorize.width"), one];
        let width = LLVMMDNodeInContext2(c, width.as_mut_ptr(), 2);
        let temp = LLVMTemporaryMDNode(c, std::ptr::null_mut(), 0);
        let mut ops = [temp, unroll, width];
        let id = LLVMMDNodeInContext2(c, ops.as_mut_ptr(), 3);
        LLVMMetadataReplaceAllUsesWith(temp, id);
        id
    }
}
