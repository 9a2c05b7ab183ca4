//! A quick pass before code generation: how often each local is used
//! (weighted by loop nesting) and whether the function touches linear
//! memory, to choose the locals kept in registers and whether to keep the
//! memory base in one.

use crate::CompileError;
use wasmparser::{FunctionBody, Operator};

pub(crate) struct Scan {
    pub weights: Vec<u32>,
    pub uses_memory: bool,
}

pub(crate) fn scan(body: &FunctionBody<'_>, num_locals: usize) -> Result<Scan, CompileError> {
    let mut s = Scan {
        weights: vec![0; num_locals],
        uses_memory: false,
    };
    // Loop nesting per open block, to weigh uses inside loops more.
    let mut blocks: Vec<bool> = Vec::new();
    let mut weight = 1u32;
    let mut reader = body.get_operators_reader()?;
    while !reader.eof() {
        match reader.read()? {
            Operator::Block { .. } | Operator::If { .. } => blocks.push(false),
            Operator::Loop { .. } => {
                blocks.push(true);
                weight = weight.saturating_mul(8).min(1 << 12);
            }
            Operator::End => {
                if blocks.pop() == Some(true) {
                    weight = (weight / 8).max(1);
                }
            }
            Operator::LocalGet { local_index }
            | Operator::LocalSet { local_index }
            | Operator::LocalTee { local_index } => {
                if let Some(w) = s.weights.get_mut(local_index as usize) {
                    *w = w.saturating_add(weight);
                }
            }
            op => {
                if !s.uses_memory && touches_memory(&op) {
                    s.uses_memory = true;
                }
            }
        }
    }
    Ok(s)
}

fn touches_memory(op: &Operator<'_>) -> bool {
    use Operator::*;
    matches!(
        op,
        I32Load { .. }
            | I64Load { .. }
            | F32Load { .. }
            | F64Load { .. }
            | I32Load8S { .. }
            | I32Load8U { .. }
            | I32Load16S { .. }
            | I32Load16U { .. }
            | I64Load8S { .. }
            | I64Load8U { .. }
            | I64Load16S { .. }
            | I64Load16U { .. }
            | I64Load32S { .. }
            | I64Load32U { .. }
            | I32Store { .. }
            | I64Store { .. }
            | F32Store { .. }
            | F64Store { .. }
            | I32Store8 { .. }
            | I32Store16 { .. }
            | I64Store8 { .. }
            | I64Store16 { .. }
            | I64Store32 { .. }
    ) || super::simd_shape::memarg(op).is_some()
}
