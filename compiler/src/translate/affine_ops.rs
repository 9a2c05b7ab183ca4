//! Which operators the loop-body analysis ([`super::affine`]) takes as
//! they are: scalar loads and stores, and operators that only compute on
//! the operand stack (with their fixed arities from wasmparser).

use wasmparser::{BlockType, MemArg, Operator};

/// The memory argument, access size and direction of a scalar load or store.
pub(super) fn scalar_access<'a>(op: &'a Operator<'_>) -> Option<(&'a MemArg, u64, bool)> {
    use Operator as O;
    Some(match op {
        O::I32Load8S { memarg }
        | O::I32Load8U { memarg }
        | O::I64Load8S { memarg }
        | O::I64Load8U { memarg } => (memarg, 1, false),
        O::I32Load16S { memarg }
        | O::I32Load16U { memarg }
        | O::I64Load16S { memarg }
        | O::I64Load16U { memarg } => (memarg, 2, false),
        O::I32Load { memarg }
        | O::F32Load { memarg }
        | O::I64Load32S { memarg }
        | O::I64Load32U { memarg } => (memarg, 4, false),
        O::I64Load { memarg } | O::F64Load { memarg } => (memarg, 8, false),
        O::I32Store8 { memarg } | O::I64Store8 { memarg } => (memarg, 1, true),
        O::I32Store16 { memarg } | O::I64Store16 { memarg } => (memarg, 2, true),
        O::I32Store { memarg } | O::F32Store { memarg } | O::I64Store32 { memarg } => {
            (memarg, 4, true)
        }
        O::I64Store { memarg } | O::F64Store { memarg } => (memarg, 8, true),
        _ => return None,
    })
}

/// The wasm proposal an operator belongs to.
fn proposal(op: &Operator<'_>) -> &'static str {
    macro_rules! proposal_of {
        ($(@$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*))*) => {
            match op {
                $(Operator::$op { .. } => stringify!($proposal),)*
                _ => "unknown",
            }
        };
    }
    wasmparser::for_each_operator!(proposal_of)
}

/// Whether `op` only computes on the operand stack (or reads a global or
/// the memory size): nothing that can touch memory, call, or grow memory.
pub(super) fn is_plain(op: &Operator<'_>) -> bool {
    use Operator as O;
    if matches!(
        op,
        O::Call { .. }
            | O::CallIndirect { .. }
            | O::MemoryGrow { .. }
            | O::BrTable { .. }
            | O::Loop { .. }
    ) {
        return false;
    }
    matches!(
        proposal(op),
        "mvp" | "sign_extension" | "saturating_float_to_int"
    )
}

/// Arity lookups for the fixed-arity operators only.
pub(super) struct NoModule;

impl wasmparser::ModuleArity for NoModule {
    fn sub_type_at(&self, _: u32) -> Option<&wasmparser::SubType> {
        None
    }
    fn tag_type_arity(&self, _: u32) -> Option<(u32, u32)> {
        None
    }
    fn type_index_of_function(&self, _: u32) -> Option<u32> {
        None
    }
    fn func_type_of_cont_type(&self, _: &wasmparser::ContType) -> Option<&wasmparser::FuncType> {
        None
    }
    fn sub_type_of_ref_type(&self, _: &wasmparser::RefType) -> Option<&wasmparser::SubType> {
        None
    }
    fn control_stack_height(&self) -> u32 {
        0
    }
    fn label_block(&self, _: u32) -> Option<(BlockType, wasmparser::FrameKind)> {
        None
    }
}
