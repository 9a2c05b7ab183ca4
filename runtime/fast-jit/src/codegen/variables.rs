//! Locals, globals, `drop`, `select`, references and tables.

use super::call::NativeArg;
use super::stack::{width, Loc, LocalHome, Src};
use super::FuncGen;
use crate::masm::*;
use crate::CompileError;
use kiln_format::TrapCode;
use wasmparser::Operator;

impl<M: MacroAssembler> FuncGen<'_, M> {
    /// Variable, parametric, reference and table operators; returns
    /// whether `op` was one.
    pub(super) fn variable(&mut self, op: &Operator<'_>) -> Result<bool, CompileError> {
        use Operator as O;
        match *op {
            O::LocalGet { local_index } => {
                let kind = self.local_kinds[local_index as usize];
                self.push(kind, Loc::Local(local_index));
            }
            O::LocalSet { local_index } => self.local_set(local_index, false),
            O::LocalTee { local_index } => self.local_set(local_index, true),
            O::GlobalGet { global_index } => {
                let kind = Kind::of(self.env.globals[global_index as usize].content_type);
                let ptr = self.global_ptr(global_index);
                let dst = if kind.is_float() {
                    self.alloc_for(kind)
                } else {
                    ptr
                };
                let at = self.offsets.global_value() as i32;
                self.masm.load(LoadKind::Full(kind), dst, Mem::at(ptr, at));
                if dst != ptr {
                    self.free(ptr);
                }
                self.push_reg(kind, dst);
            }
            O::GlobalSet { global_index } => {
                let kind = Kind::of(self.env.globals[global_index as usize].content_type);
                let value = self.pop_src();
                let value = self.src_reg(value, kind);
                let ptr = self.global_ptr(global_index);
                let at = self.offsets.global_value() as i32;
                let r = value.reg().expect("in a register");
                self.masm.store(width(kind), Mem::at(ptr, at), r);
                self.free(ptr);
                self.free_src(value);
            }
            O::Drop => {
                if let Loc::Reg(r) = self.pop().loc {
                    self.free(r);
                }
            }
            O::Select | O::TypedSelect { .. } => self.select(),
            O::RefNull { .. } => self.push(Kind::I64, Loc::Const(0)),
            O::RefIsNull => {
                let s = self.pop_src();
                let s = self.src_reg(s, Kind::I64);
                self.masm.int_test(true, s.reg().expect("in a register"));
                self.free_src(s);
                self.push(Kind::I32, Loc::Flags(Cond::Eq));
            }
            O::RefFunc { function_index } => {
                let r = self.alloc(false);
                let refs = self.offsets.func_refs() as i32;
                self.masm
                    .load(LoadKind::Full(Kind::I64), r, Mem::at(M::VMCTX, refs));
                let at = self.offsets.func_ref(function_index) as i32;
                self.masm.load(LoadKind::Full(Kind::I64), r, Mem::at(r, at));
                self.push_reg(Kind::I64, r);
            }
            O::TableGet { table } => {
                let (def, index) = self.table_element(table);
                let elem = Mem {
                    base: def,
                    index: Some(index),
                    disp: 0,
                };
                self.masm.load(LoadKind::Full(Kind::I64), index, elem);
                self.free(def);
                self.push_reg(Kind::I64, index);
            }
            O::TableSet { table } => {
                let value = self.pop_src();
                let value = self.src_reg(value, Kind::I64);
                let (def, index) = self.table_element(table);
                let elem = Mem {
                    base: def,
                    index: Some(index),
                    disp: 0,
                };
                self.masm
                    .store(8, elem, value.reg().expect("in a register"));
                self.free(def);
                self.free(index);
                self.free_src(value);
            }
            O::TableSize { table } => {
                let r = self.alloc(false);
                let def = self.offsets.table(table) as i32;
                self.masm
                    .load(LoadKind::Full(Kind::I64), r, Mem::at(M::VMCTX, def));
                let len = self.offsets.table_length() as i32;
                self.masm
                    .load(LoadKind::Full(Kind::I32), r, Mem::at(r, len));
                self.push_reg(Kind::I32, r);
            }
            O::TableGrow { table } => {
                let args = [
                    NativeArg::Vmctx,
                    NativeArg::Imm(table as u64),
                    NativeArg::Value(0),
                    NativeArg::Value(1),
                ];
                self.call_native(self.rt.table_grow, &args, 2, Some(Kind::I32));
            }
            O::TableFill { table } => {
                let args = [
                    NativeArg::Vmctx,
                    NativeArg::Imm(table as u64),
                    NativeArg::Value(0),
                    NativeArg::Value(1),
                    NativeArg::Value(2),
                ];
                self.call_native(self.rt.table_fill, &args, 3, None);
            }
            O::TableCopy {
                dst_table,
                src_table,
            } => {
                let args = [
                    NativeArg::Vmctx,
                    NativeArg::Imm(dst_table as u64),
                    NativeArg::Imm(src_table as u64),
                    NativeArg::Value(0),
                    NativeArg::Value(1),
                    NativeArg::Value(2),
                ];
                self.call_native(self.rt.table_copy, &args, 3, None);
            }
            O::TableInit { elem_index, table } => {
                let args = [
                    NativeArg::Vmctx,
                    NativeArg::Imm(table as u64),
                    NativeArg::Imm(elem_index as u64),
                    NativeArg::Value(0),
                    NativeArg::Value(1),
                    NativeArg::Value(2),
                ];
                self.call_native(self.rt.table_init, &args, 3, None);
            }
            O::ElemDrop { elem_index } => {
                let args = [NativeArg::Vmctx, NativeArg::Imm(elem_index as u64)];
                self.call_native(self.rt.elem_drop, &args, 0, None);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn local_set(&mut self, l: u32, tee: bool) {
        self.capture_local(l);
        let kind = self.local_kinds[l as usize];
        let e = self.pop();
        match self.local_homes[l as usize] {
            LocalHome::Reg(h) => {
                let depth = self.stack.len();
                self.load_into(e, depth, h);
                if let Loc::Reg(r) = e.loc {
                    self.free(r);
                }
            }
            LocalHome::Frame(off) => {
                let m = Mem::at(M::FP, off);
                match e.loc {
                    Loc::Const(bits) => self.masm.store_const(kind, m, bits),
                    _ => {
                        let depth = self.stack.len();
                        let r = self.materialize(e, depth);
                        self.masm.store(width(kind), m, r);
                        if tee {
                            // Keep the value in its register for the tee.
                            self.push_reg(kind, r);
                            return;
                        }
                        self.free(r);
                    }
                }
            }
        }
        if tee {
            self.push(kind, Loc::Local(l));
        }
    }

    /// A register holding the address of global `g`'s definition.
    fn global_ptr(&mut self, g: u32) -> Reg {
        let r = self.alloc(false);
        let at = self.offsets.global(g) as i32;
        self.masm
            .load(LoadKind::Full(Kind::I64), r, Mem::at(M::VMCTX, at));
        r
    }

    /// Pops a table index, checks it and returns the element array and
    /// the byte offset of the element (both registers the caller owns).
    fn table_element(&mut self, table: u32) -> (Reg, Reg) {
        let index = self.pop_src();
        let index = match self.src_reg(index, Kind::I32) {
            Src::Temp(r) => r,
            fixed => self.owned(fixed, Kind::I32),
        };
        let def = self.alloc(false);
        let len = self.alloc(false);
        self.table_slot(table, index, def, len, TrapCode::TableOutOfBounds);
        self.free(len);
        (def, index)
    }

    fn select(&mut self) {
        let cond = self.pop();
        let kind = self.stack.last().expect("validated: select operands").kind;
        let b = self.pop_src();
        let a = self.pop_src();
        let (dst, a_reg) = match self.src_reg(a, kind) {
            Src::Temp(r) => (r, r),
            Src::Fixed(f) => (self.alloc_for(kind), f),
            Src::Const(_) => unreachable!(),
        };
        self.masm.mov(kind, dst, a_reg);
        let b = self.src_reg(b, kind);
        let b_reg = b.reg().expect("in a register");
        // dst = cond ? a : b
        let cond_holds = match cond.loc {
            Loc::Flags(c) => c,
            _ => {
                let depth = self.stack.len() + 2;
                let r = self.materialize(cond, depth);
                self.masm.int_test(false, r);
                self.free(r);
                Cond::Ne
            }
        };
        if kind.is_float() || matches!(cond_holds, Cond::FEq | Cond::FNe) {
            let done = self.masm.new_label();
            self.masm.jump_if(cond_holds, done);
            self.masm.mov(kind, dst, b_reg);
            self.masm.bind(done);
        } else {
            self.masm
                .cmov(cond_holds.negate(), kind == Kind::I64, dst, b_reg);
        }
        self.free_src(b);
        self.push_reg(kind, dst);
    }
}

impl<M: MacroAssembler> FuncGen<'_, M> {
    /// Checks `index` against table `table`'s length (trapping with
    /// `code`), then leaves the element array in `base` and the element's
    /// byte offset in `index`; `tmp` is clobbered.
    pub(super) fn table_slot(
        &mut self,
        table: u32,
        index: Reg,
        base: Reg,
        tmp: Reg,
        code: TrapCode,
    ) {
        let o = self.offsets;
        let def = Mem::at(M::VMCTX, o.table(table) as i32);
        self.masm.load(LoadKind::Full(Kind::I64), base, def);
        let len = Mem::at(base, o.table_length() as i32);
        self.masm.load(LoadKind::Full(Kind::I32), tmp, len);
        self.masm.int_cmp(false, index, Operand::Reg(tmp));
        let trap = self.trap_label(code);
        self.masm.jump_if(Cond::GeU, trap);
        let elements = Mem::at(base, o.table_base() as i32);
        self.masm.load(LoadKind::Full(Kind::I64), base, elements);
        let shift = o.size_of_table_element().trailing_zeros() as i32;
        self.masm
            .int_op(IntOp::Shl, true, index, index, Operand::Imm(shift));
    }
}
