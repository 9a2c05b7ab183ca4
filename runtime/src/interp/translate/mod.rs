//! Translation of one wasm function body into interpreter code.
//!
//! The translator walks the validated operators once, tracking the operand
//! stack at compile time. Each operand has a *home* slot fixed by its stack
//! position; an operand may also stand for a local (`local.get` emits
//! nothing) or a small constant (fused into an immediate form where one
//! exists) until something forces it into its home. Results go straight to
//! their home, or into a local when `local.set` directly follows.

#![deny(unsafe_op_in_unsafe_fn)]

// First: its macros (`un!`, `bin!`, `imm!`) are used by the family files.
#[macro_use]
mod operators;

mod arith_store;
mod bulk;
mod bytes;
mod call;
mod chain;
mod control;
mod convert;
mod counts;
mod float;
mod float_branch;
mod frame;
mod fuse;
mod integer;
mod loops;
mod memory;
mod reference;
mod select;
mod stack;
mod store_address;
mod switch_heads;
mod table;
mod variables;
mod vector;

use super::code::{CompiledFunc, Op, Slot};
use crate::error::{Error, Result};
use crate::module::ModuleInner;
use crate::types::ValType;
use frame::Ctrl;
use stack::Operand;
use std::collections::HashMap;
use wasmparser::{BinaryReader, FunctionBody};

/// Slots a value of `ty` occupies.
pub(crate) fn width(ty: ValType) -> u32 {
    if ty == ValType::V128 {
        2
    } else {
        1
    }
}

pub(crate) struct Translator<'m> {
    module: &'m ModuleInner,
    code: Vec<Op>,
    consts: Vec<u128>,
    locals: Vec<(ValType, Slot)>,
    local_slots: u32,
    /// First slot of the operand stack; constant slots sit between the
    /// locals and here.
    stack_base: Slot,
    /// Constants used inside loops, kept in read-only frame slots.
    const_slots: HashMap<u64, Slot>,
    const_values: Vec<u64>,
    const_cap: u32,
    stack: Vec<Operand>,
    ctrls: Vec<Ctrl>,
    max_slot: u32,
    /// The last op's index and result slot, if its result is the stack top
    /// and no label was bound since (so its destination may be redirected).
    last_result: Option<(usize, Slot)>,
    /// Code index of the most recent branch target; ops before it may not
    /// be fused with ops after it.
    label_at: usize,
    /// Code index of the most recent op control may arrive at other than
    /// from the op before it (a bound label, a loop's start, a `br_table`
    /// stub); unlike `label_at`, not moved by a block's start.
    target_at: usize,
    /// Set when the operator being translated removed the ops of earlier
    /// operators to fuse them into its own, from this code index on: the
    /// fused op traps as this operator (a load whose address add it took).
    fused_from: Option<usize>,
    /// Set when the operator being translated removed the op at this code
    /// index (an earlier operator's): the ops after it moved down by one.
    removed_at: Option<usize>,
}

/// Translates defined function `def_index` of `module`.
pub(crate) fn translate(module: &ModuleInner, def_index: u32) -> Result<CompiledFunc> {
    let func_index = module.num_imported_funcs + def_index;
    let ty = module.func_type(func_index).clone();
    let range = module.bodies[def_index as usize].clone();
    let body = FunctionBody::new(BinaryReader::new(
        &module.bytes[range.clone()],
        range.start as u64,
    ));
    let mut t = Translator {
        module,
        code: Vec::new(),
        consts: Vec::new(),
        locals: Vec::new(),
        local_slots: 0,
        stack_base: 0,
        const_slots: HashMap::new(),
        const_values: Vec::new(),
        const_cap: 0,
        stack: Vec::new(),
        ctrls: Vec::new(),
        max_slot: 0,
        last_result: None,
        label_at: 0,
        target_at: 0,
        fused_from: None,
        removed_at: None,
    };
    for p in ty.params() {
        t.add_local(*p);
    }
    let param_slots = t.local_slots;
    for local in body.get_locals_reader()? {
        let (count, vt) = local?;
        for _ in 0..count {
            t.add_local(ValType::from(vt));
        }
    }
    t.const_cap = count_loop_consts(&body)?.min(MAX_CONST_SLOTS);
    t.stack_base = t.local_slots + t.const_cap;
    let result_slots: u32 = ty.results().iter().map(|r| width(*r)).sum();
    t.max_slot = t.stack_base.max(result_slots);
    t.push_func_ctrl(ty.results().to_vec());
    let mut reader = body.get_operators_reader()?;
    let mut offsets = Vec::new();
    while !reader.eof() {
        let (op, offset) = reader.read_with_offset()?;
        super::trace::record(&mut offsets, t.code.len(), offset as usize);
        t.operator(op).map_err(|message| Error::Compile {
            offset: offset as usize,
            message,
        })?;
        if let Some(at) = t.removed_at.take() {
            super::trace::removed(&mut offsets, at);
        }
        if let Some(at) = t.fused_from.take() {
            super::trace::record(&mut offsets, at, offset as usize);
        }
    }
    switch_heads::copy_switch_heads(&mut t.code, &mut offsets);
    thread_jumps(&mut t.code);
    relative_targets(&mut t.code);
    entry_codes(&mut t.code);
    if crate::log::enabled("interp") {
        dump(func_index, &t.code);
    }
    let mut init = vec![0u64; (t.stack_base - param_slots) as usize];
    let const_start = (t.local_slots - param_slots) as usize;
    init[const_start..const_start + t.const_values.len()].copy_from_slice(&t.const_values);
    // Whole groups of `INIT_GROUP` slots, as a call copies them (the slots
    // past the constants are operand slots, written before they are read).
    init.resize(init.len().next_multiple_of(INIT_GROUP), 0);
    Ok(CompiledFunc {
        code: t.code.into_boxed_slice(),
        frame_size: t.max_slot.max(param_slots + init.len() as u32).max(1),
        param_slots,
        init: init.into_boxed_slice(),
        consts: t.consts.into_boxed_slice(),
        offsets: offsets.into_boxed_slice(),
    })
}

/// Prints a translated function's ops to stderr (`KILN_LOG=interp`).
fn dump(func_index: u32, code: &[Op]) {
    use std::fmt::Write;
    let mut out = format!("interp: func {func_index}, {} ops\n", code.len());
    for (i, op) in code.iter().enumerate() {
        let _ = writeln!(out, "  {i:5}  {op:?}");
    }
    eprint!("{out}");
}

/// Constant slots per function at most (each costs a store per call).
const MAX_CONST_SLOTS: u32 = 32;

/// A frame's initial slots (`CompiledFunc::init`) come in groups of this
/// many, which a call copies without a loop.
pub(crate) const INIT_GROUP: usize = 4;

/// Counts the constant instructions inside loops: an upper bound on the
/// constant slots the function can use.
fn count_loop_consts(body: &FunctionBody) -> Result<u32> {
    use wasmparser::Operator as O;
    let mut reader = body.get_operators_reader()?;
    let mut loops: Vec<bool> = Vec::new();
    let mut count = 0;
    while !reader.eof() {
        match reader.read()? {
            O::Loop { .. } => loops.push(true),
            O::Block { .. } | O::If { .. } => loops.push(false),
            O::End => {
                loops.pop();
            }
            O::I32Const { .. } | O::I64Const { .. } | O::F32Const { .. } | O::F64Const { .. }
                if loops.contains(&true) =>
            {
                count += 1
            }
            _ => {}
        }
    }
    Ok(count)
}

/// Retargets branches that land on an unconditional `Br` to its target.
fn thread_jumps(code: &mut [Op]) {
    for i in 0..code.len() {
        let Some(mut t) = code[i].target_mut().map(|t| *t) else {
            continue;
        };
        for _ in 0..8 {
            match code.get(t as usize) {
                Some(Op::Br { target }) if *target != t => t = *target,
                _ => break,
            }
        }
        *code[i].target_mut().expect("branch") = t;
    }
}

/// Makes each branch target relative to its branch op, as the executor
/// takes it (it jumps by an offset from the op, with no code base at hand).
fn relative_targets(code: &mut [Op]) {
    for (i, op) in code.iter_mut().enumerate() {
        if let Some(t) = op.target_mut() {
            *t = t.wrapping_sub(i as u32);
        }
    }
}

/// Writes into each `br_table` entry the op code at its (relative) target.
fn entry_codes(code: &mut [Op]) {
    for i in 0..code.len() {
        if let Op::BrEntry { target, .. } = code[i] {
            let at = code[(i as u32).wrapping_add(target) as usize].code();
            if let Op::BrEntry { next, .. } = &mut code[i] {
                *next = at;
            }
        }
    }
}

impl Translator<'_> {
    fn add_local(&mut self, ty: ValType) {
        self.locals.push((ty, self.local_slots));
        self.local_slots += width(ty);
    }

    fn pc(&self) -> usize {
        self.code.len()
    }

    fn emit(&mut self, op: Op) -> usize {
        self.last_result = None;
        let fused = self.pair_copies(op).or_else(|| self.return_slot(op));
        if let Some(pair) = fused.or_else(|| self.copy_br(op)) {
            let last = self.code.len() - 1;
            self.code[last] = pair;
            return last;
        }
        self.code.push(op);
        self.code.len() - 1
    }

    /// `Copy2` for a copy directly following another one.
    fn pair_copies(&self, op: Op) -> Option<Op> {
        let Op::Copy { dst: d2, src: s2 } = op else {
            return None;
        };
        let last = self.code.len().checked_sub(1)?;
        let Op::Copy { dst: d1, src: s1 } = self.code[last] else {
            return None;
        };
        if last < self.label_at {
            return None;
        }
        let small = |x: Slot| u16::try_from(x).ok();
        Some(Op::Copy2 {
            dst1: small(d1)?,
            src1: small(s1)?,
            dst2: small(d2)?,
            src2: small(s2)?,
        })
    }

    /// `ReturnSlot` for a `Return` directly following a copy to slot 0.
    fn return_slot(&self, op: Op) -> Option<Op> {
        let Op::Return {} = op else {
            return None;
        };
        let last = self.code.len().checked_sub(1)?;
        match self.code[last] {
            Op::Copy { dst: 0, src } if last >= self.label_at => Some(Op::ReturnSlot { src }),
            _ => None,
        }
    }

    /// `CopyBr` for a `Br` directly following a copy.
    fn copy_br(&self, op: Op) -> Option<Op> {
        let Op::Br { target } = op else {
            return None;
        };
        let last = self.code.len().checked_sub(1)?;
        match self.code[last] {
            Op::Copy { dst, src } if last >= self.label_at => Some(Op::CopyBr { target, dst, src }),
            _ => None,
        }
    }

    fn emit_arg(&mut self, a: u32, b: u32, c: u32) {
        self.code.push(Op::Arg { a, b, c });
    }

    fn add_const(&mut self, v: u128) -> u32 {
        self.consts.push(v);
        self.consts.len() as u32 - 1
    }
}
