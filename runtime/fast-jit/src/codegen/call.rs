//! Calls: `call` and `call_indirect` through `VMFuncRef`s (so any tier's
//! code, a host trampoline or a swapped-in tier-up can be the callee), and
//! calls of runtime intrinsics and helpers.
//!
//! Every call spills the value stack first (all allocatable registers are
//! caller-saved), then loads the arguments from home slots, constants and
//! the context into their native locations: no parallel-move problem.

use super::stack::Loc;
use super::FuncGen;
use crate::masm::*;
use crate::CompileError;
use kiln_format::TrapCode;
use wasmparser::{FuncType, Operator};

/// An argument of a native call.
#[derive(Clone, Copy, Debug)]
pub(crate) enum NativeArg {
    /// This function's `VMContext`.
    Vmctx,
    /// A constant.
    Imm(u64),
    /// The `i`-th of the operands popped for the call (the deepest is 0).
    Value(usize),
    /// The address of memory `m`'s `VMMemoryDefinition`.
    MemoryDef(u32),
}

impl<M: MacroAssembler> FuncGen<'_, M> {
    /// Call operators; returns whether `op` was one.
    pub(super) fn call_op(&mut self, op: &Operator<'_>) -> Result<bool, CompileError> {
        match *op {
            Operator::Call { function_index } => {
                let env = self.env;
                let ty = env.func_type(function_index);
                let target = M::CALL_TARGET;
                self.spill_all();
                let refs = self.offsets.func_refs() as i32;
                self.masm
                    .load(LoadKind::Full(Kind::I64), target, Mem::at(M::VMCTX, refs));
                let at = self.offsets.func_ref(function_index) as i32;
                self.masm
                    .load(LoadKind::Full(Kind::I64), target, Mem::at(target, at));
                self.call_func_ref(ty);
            }
            Operator::CallIndirect {
                type_index,
                table_index,
            } => {
                let env = self.env;
                self.call_indirect(&env.types[type_index as usize], type_index, table_index);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn call_indirect(&mut self, ty: &FuncType, type_index: u32, table: u32) {
        let target = M::CALL_TARGET;
        self.evict(target.bit());
        self.reserved |= target.bit();
        let index = self.pop_reg();
        self.spill_all();
        let o = self.offsets;
        let tmp = self.alloc(false);
        self.table_slot(table, index, target, tmp, TrapCode::UndefinedElement);
        let element = Mem {
            base: target,
            index: Some(index),
            disp: 0,
        };
        self.masm.load(LoadKind::Full(Kind::I64), target, element);
        self.masm.int_test(true, target);
        let null = self.trap_label(TrapCode::UninitializedElement);
        self.masm.jump_if(Cond::Eq, null);
        self.masm.load(
            LoadKind::Full(Kind::I32),
            tmp,
            Mem::at(target, o.func_ref_type_id() as i32),
        );
        self.masm.load(
            LoadKind::Full(Kind::I64),
            index,
            Mem::at(M::VMCTX, o.sig_ids() as i32),
        );
        self.masm.load(
            LoadKind::Full(Kind::I32),
            index,
            Mem::at(index, o.sig_id(type_index) as i32),
        );
        self.masm.int_cmp(false, tmp, Operand::Reg(index));
        let mismatch = self.trap_label(TrapCode::IndirectCallTypeMismatch);
        self.masm.jump_if(Cond::Ne, mismatch);
        self.free(tmp);
        self.free(index);
        self.reserved &= !target.bit();
        self.call_func_ref(ty);
    }

    /// Calls the `VMFuncRef` in [`MacroAssembler::CALL_TARGET`] with the
    /// arguments on top of the (spilled) stack.
    fn call_func_ref(&mut self, ty: &FuncType) {
        let target = M::CALL_TARGET;
        let kinds = abi_kinds(ty);
        let layout = M::call_layout(&kinds);
        let n = ty.params().len();
        let base = self.stack.len() - n;
        let results: Vec<Kind> = ty.results().iter().map(|t| Kind::of(*t)).collect();
        let ret_area = layout.stack_bytes;
        // Before any argument register is written: some locals live in them.
        self.save_call_pins();
        self.call_area = self
            .call_area
            .max(ret_area + 16 * results.len().saturating_sub(1) as u32);
        self.reserved |= target.bit();
        // Stack arguments first: they may need a register to pass through.
        for stack_pass in [true, false] {
            for (i, loc) in layout.args.iter().enumerate().skip(1) {
                let kind = kinds[i];
                let home = self.home(base + i - 1);
                match (loc, i - 1 < n) {
                    (ArgLoc::Reg(r), true) if !stack_pass => {
                        self.masm.load(LoadKind::Full(kind), *r, home)
                    }
                    (ArgLoc::Stack(s), true) if stack_pass => {
                        self.masm.mem_copy(kind, Mem::at(M::SP, *s as i32), home)
                    }
                    (ArgLoc::Reg(r), false) if !stack_pass => {
                        self.masm.lea(*r, Mem::at(M::SP, ret_area as i32))
                    }
                    (ArgLoc::Stack(s), false) if stack_pass => {
                        let tmp = self.alloc(false);
                        self.masm.lea(tmp, Mem::at(M::SP, ret_area as i32));
                        self.masm.store(8, Mem::at(M::SP, *s as i32), tmp);
                        self.free(tmp);
                    }
                    _ => {}
                }
            }
        }
        self.reserved &= !target.bit();
        let ArgLoc::Reg(vmctx) = layout.args[0] else {
            unreachable!("the context is passed in a register")
        };
        let o = self.offsets;
        self.masm.load(
            LoadKind::Full(Kind::I64),
            vmctx,
            Mem::at(target, o.func_ref_vmctx() as i32),
        );
        self.masm.load(
            LoadKind::Full(Kind::I64),
            target,
            Mem::at(target, o.func_ref_wasm_call() as i32),
        );
        self.masm.call_reg(target);
        self.restore_call_pins();
        self.truncate(base);
        for (j, k) in results.iter().enumerate() {
            if j == 0 {
                let r = if k.is_float() { M::RET_FPR } else { M::RET_GPR };
                self.push_reg(*k, r);
            } else {
                let src = Mem::at(M::SP, (ret_area + 16 * (j as u32 - 1)) as i32);
                let home = self.home(self.stack.len());
                self.masm.mem_copy(*k, home, src);
                self.push(*k, Loc::Home);
            }
        }
    }

    /// Calls the native function at `addr` with `args`, `popped` of which
    /// come off the value stack; pushes the result of kind `result`.
    pub(super) fn call_native(
        &mut self,
        addr: usize,
        args: &[NativeArg],
        popped: usize,
        result: Option<Kind>,
    ) {
        self.spill_all();
        let base = self.stack.len() - popped;
        let kinds: Vec<Kind> = args
            .iter()
            .map(|a| match a {
                NativeArg::Value(i) => self.stack[base + i].kind,
                _ => Kind::I64,
            })
            .collect();
        let layout = M::call_layout(&kinds);
        self.call_area = self.call_area.max(layout.stack_bytes);
        self.save_call_pins();
        let o = self.offsets;
        for (k, (arg, loc)) in args.iter().zip(&layout.args).enumerate() {
            let kind = kinds[k];
            // (source memory operand or register, constant)
            let (mem, reg, imm) = match *arg {
                NativeArg::Vmctx => (None, Some(M::VMCTX), None),
                NativeArg::Imm(v) => (None, None, Some(v)),
                NativeArg::Value(i) => (Some(self.home(base + i)), None, None),
                NativeArg::MemoryDef(m) => {
                    (Some(Mem::at(M::VMCTX, o.memory(m) as i32)), None, None)
                }
            };
            match *loc {
                ArgLoc::Reg(r) => match (mem, reg, imm) {
                    (Some(m), _, _) => self.masm.load(LoadKind::Full(kind), r, m),
                    (_, Some(src), _) => self.masm.mov(Kind::I64, r, src),
                    (_, _, v) => self.masm.mov_const(Kind::I64, r, v.unwrap_or(0) as u128),
                },
                ArgLoc::Stack(s) => {
                    let dst = Mem::at(M::SP, s as i32);
                    match (mem, reg, imm) {
                        (Some(m), _, _) => self.masm.mem_copy(kind, dst, m),
                        (_, Some(src), _) => self.masm.store(8, dst, src),
                        (_, _, v) => self
                            .masm
                            .store_const(Kind::I64, dst, v.unwrap_or(0) as u128),
                    }
                }
            }
        }
        self.masm.call_abs(addr);
        self.restore_call_pins();
        self.truncate(base);
        if let Some(k) = result {
            let r = if k.is_float() { M::RET_FPR } else { M::RET_GPR };
            self.push_reg(k, r);
        }
    }

    /// Calls a helper returning 0 or a trap code, trapping on the latter.
    pub(super) fn call_checked(&mut self, addr: usize, args: &[NativeArg], popped: usize) {
        self.call_native(addr, args, popped, Some(Kind::I32));
        let r = self.pop_reg();
        self.masm.int_test(false, r);
        let trap = self.dynamic_trap_label();
        self.masm.jump_if(Cond::Ne, trap);
        self.free(r);
    }
}
