//! The mapping from each wasm operator to interpreter ops.

use super::control::CtrlKind;
use super::Translator;
use crate::interp::code::{Op, Slot};
use crate::interp::simd::{self, SimdOp};
use crate::types::ValType;
use wasmparser::Operator as O;

use ValType::{F32, F64, I32, I64, V128};

type Un = fn(Slot, Slot) -> Op;
type Bin = fn(Slot, Slot, Slot) -> Op;
type Imm = fn(Slot, Slot, i32) -> Op;
type Indexed = fn(Slot, Slot, Slot, u8) -> Op;

macro_rules! un {
    ($v:ident) => {
        (|dst, a| Op::$v { dst, a }) as Un
    };
}
macro_rules! bin {
    ($v:ident) => {
        (|dst, a, b| Op::$v { dst, a, b }) as Bin
    };
}
macro_rules! imm {
    ($v:ident) => {
        Some((|dst, a, imm| Op::$v { dst, a, imm }) as Imm)
    };
}
macro_rules! load {
    ($t:ident, $ty:expr, $m:expr, $v:ident) => {
        $t.load(
            $ty,
            |dst, addr, offset| Op::$v { dst, addr, offset },
            None,
            $m,
        )
    };
    ($t:ident, $ty:expr, $m:expr, $v:ident, $w:ident) => {
        $t.load(
            $ty,
            |dst, addr, offset| Op::$v { dst, addr, offset },
            imm!($w),
            $m,
        )
    };
}
macro_rules! store {
    ($t:ident, $m:expr, $v:ident) => {
        $t.store(
            |addr, value, offset| Op::$v {
                addr,
                value,
                offset,
            },
            None,
            $m,
        )
    };
    ($t:ident, $m:expr, $v:ident, $w:ident) => {
        $t.store(
            |addr, value, offset| Op::$v {
                addr,
                value,
                offset,
            },
            Some(|addr, value, imm| Op::$w { addr, value, imm }),
            $m,
        )
    };
}

impl Translator<'_> {
    fn unary(&mut self, ty: ValType, f: Un) {
        let a = self.pop();
        let dst = self.push_result(ty);
        self.emit_result(f(dst, a));
    }

    fn binary(&mut self, ty: ValType, f: Bin) {
        self.binary_imm(ty, f, None)
    }

    /// A binary op, using the immediate form `fi` when the right operand is a small constant.
    fn binary_imm(&mut self, ty: ValType, f: Bin, fi: Option<Imm>) {
        if let (Some(fi), Some(imm)) = (fi, self.top_imm()) {
            self.pop_operand();
            let a = self.pop();
            let dst = self.push_result(ty);
            self.emit_result(fi(dst, a, imm));
            return;
        }
        let b = self.pop();
        let a = self.pop();
        let dst = self.push_result(ty);
        self.emit_result(f(dst, a, b));
    }

    /// An f64 add/sub/mul, fused with the load that produced an operand when possible.
    fn f64_arith(&mut self, f: Bin, kind: MemArith) {
        if !self.fuse_f64_load(kind) {
            self.binary(F64, f);
        }
    }

    /// `x - c` as `x + (-c)` when `-c` fits an immediate.
    fn sub_imm(&mut self, ty: ValType, f: Bin, add: Imm) {
        match self.top_imm() {
            Some(c) if c != i32::MIN => {
                self.pop_operand();
                let a = self.pop();
                let dst = self.push_result(ty);
                self.emit_result(add(dst, a, -c));
            }
            _ => self.binary(ty, f),
        }
    }

    fn load(
        &mut self,
        ty: ValType,
        f: fn(Slot, Slot, u32) -> Op,
        fw: Option<Imm>,
        m: wasmparser::MemArg,
    ) {
        if let (0, Some(fx)) = (m.offset, indexed_form(f)) {
            if let Some((a, b, shift)) = self.take_add_index() {
                let dst = self.push_result(ty);
                self.emit_result(fx(dst, a, b, shift));
                return;
            }
        }
        if let (0, Some(fw)) = (m.offset, fw) {
            if let Some((a, imm)) = self.take_add_imm() {
                let dst = self.push_result(ty);
                self.emit_result(fw(dst, a, imm));
                return;
            }
        }
        let addr = self.pop();
        let dst = self.push_result(ty);
        self.emit_result(f(dst, addr, m.offset as u32));
    }

    fn store(
        &mut self,
        f: fn(Slot, Slot, u32) -> Op,
        fw: Option<fn(Slot, Slot, i32) -> Op>,
        m: wasmparser::MemArg,
    ) {
        let value = self.pop();
        if let (0, Some(fw)) = (m.offset, fw) {
            if let Some((a, imm)) = self.take_add_imm() {
                self.emit(fw(a, value, imm));
                return;
            }
        }
        let addr = self.pop();
        self.emit(f(addr, value, m.offset as u32));
    }

    /// Retypes the top operand (reinterpretations and zero-extension are
    /// free because 32-bit values are kept zero-extended in their slots).
    fn retype(&mut self, ty: ValType) {
        let top = self.stack.last_mut().expect("validated stack");
        top.ty = ty;
    }

    /// Puts the top `n` operands in their homes and returns the first home.
    fn call_args(&mut self, n: usize) -> Slot {
        let first = self.stack.len() - n;
        for i in first..self.stack.len() {
            self.materialize(i);
        }
        let base = if n == 0 {
            self.next_home()
        } else {
            self.stack[first].home
        };
        self.stack.truncate(first);
        base
    }

    fn call(&mut self, func: u32) {
        let ty = self.module.func_type(func).clone();
        let base = self.call_args(ty.params().len());
        self.emit(Op::Call { func, base });
        for r in ty.results() {
            self.push_result(*r);
        }
    }

    fn call_indirect(&mut self, type_index: u32, table: u32) {
        let index = self.pop();
        let ty = self.module.types[type_index as usize].clone();
        let base = self.call_args(ty.params().len());
        self.emit(Op::CallIndirect {
            type_index,
            index,
            base,
        });
        self.emit_arg(table, 0, 0);
        for r in ty.results() {
            self.push_result(*r);
        }
    }

    fn select(&mut self) {
        let cond = self.pop();
        let b = self.pop();
        let ty = self.stack.last().expect("validated").ty;
        let a = self.pop();
        let dst = self.push_result(ty);
        let op = if ty == V128 {
            Op::Select128 { dst, a, b }
        } else {
            Op::Select { dst, a, b }
        };
        self.emit_result(op);
        self.emit_arg(cond, 0, 0);
    }

    fn simd(&mut self, op: SimdOp, original: &O) {
        match op {
            SimdOp::Unary(op) => {
                let a = self.pop();
                let dst = self.push_result(V128);
                self.emit_result(Op::SimdUnary { dst, op, a });
            }
            SimdOp::Binary(op) => {
                let b = self.pop();
                let a = self.pop();
                let dst = self.push_result(V128);
                self.emit_result(Op::SimdBinary { dst, op, a, b });
            }
            SimdOp::Ternary(op) => {
                let c = self.pop();
                let b = self.pop();
                let a = self.pop();
                let dst = self.push_result(V128);
                self.emit_result(Op::SimdTernary { dst, op, a, b });
                self.emit_arg(c, 0, 0);
            }
            SimdOp::Shift(op) => {
                let amount = self.pop();
                let a = self.pop();
                let dst = self.push_result(V128);
                self.emit_result(Op::SimdShift { dst, op, a, amount });
            }
            SimdOp::Test(op) => {
                let a = self.pop();
                let dst = self.push_result(I32);
                self.emit_result(Op::SimdTest { dst, op, a });
            }
            SimdOp::Splat(op) => {
                let a = self.pop();
                let dst = self.push_result(V128);
                self.emit_result(Op::SimdSplat { dst, op, a });
            }
            SimdOp::ExtractLane(op, lane) => {
                let a = self.pop();
                let ty = extract_type(original);
                let dst = self.push_result(ty);
                self.emit_result(Op::SimdExtract { dst, op, lane, a });
            }
            SimdOp::ReplaceLane(op, lane) => {
                let x = self.pop();
                let a = self.pop();
                let dst = self.push_result(V128);
                self.emit_result(Op::SimdReplace {
                    dst,
                    op,
                    lane,
                    a,
                    x,
                });
            }
            SimdOp::Shuffle(lanes) => {
                let b = self.pop();
                let a = self.pop();
                let index = self.add_const(u128::from_le_bytes(lanes));
                let dst = self.push_result(V128);
                self.emit_result(Op::SimdShuffle { dst, a, b });
                self.emit_arg(index, 0, 0);
            }
        }
    }

    /// Translates one operator; an `Err` is an internal limit, not a validation error.
    pub(super) fn operator(&mut self, op: O) -> Result<(), String> {
        if self.is_unreachable() {
            match op {
                O::Block { blockty } => self.open(CtrlKind::Block, blockty, None),
                O::Loop { blockty } => self.open(CtrlKind::Loop, blockty, None),
                O::If { blockty } => self.open(CtrlKind::If, blockty, None),
                O::Else => self.else_(),
                O::End => {
                    self.end();
                }
                _ => {}
            }
            return Ok(());
        }
        match op {
            O::Nop => {}
            O::Unreachable => self.unreachable(),
            O::Block { blockty } => self.open_block(CtrlKind::Block, blockty),
            O::Loop { blockty } => self.open_block(CtrlKind::Loop, blockty),
            O::If { blockty } => self.open_if(blockty),
            O::Else => self.else_(),
            O::End => {
                self.end();
            }
            O::Br { relative_depth } => self.br(relative_depth),
            O::BrIf { relative_depth } => self.br_if(relative_depth),
            O::BrTable { targets } => {
                let list = targets
                    .targets()
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| e.to_string())?;
                self.br_table(&list, targets.default());
            }
            O::Return => self.return_(),
            O::Call { function_index } => self.call(function_index),
            O::CallIndirect {
                type_index,
                table_index,
            } => self.call_indirect(type_index, table_index),
            O::Drop => self.drop_top(),
            O::Select | O::TypedSelect { .. } => self.select(),
            O::LocalGet { local_index } => self.push_local(local_index),
            O::LocalSet { local_index } => self.local_set(local_index, false),
            O::LocalTee { local_index } => self.local_set(local_index, true),
            O::GlobalGet { global_index } => {
                let ty = self.module.globals[global_index as usize].val;
                let dst = self.push_result(ty);
                let op = if ty == V128 {
                    Op::GlobalGet128 {
                        dst,
                        index: global_index,
                    }
                } else {
                    Op::GlobalGet {
                        dst,
                        index: global_index,
                    }
                };
                self.emit_result(op);
            }
            O::GlobalSet { global_index } => {
                let ty = self.module.globals[global_index as usize].val;
                let src = self.pop();
                self.emit(if ty == V128 {
                    Op::GlobalSet128 {
                        index: global_index,
                        src,
                    }
                } else {
                    Op::GlobalSet {
                        index: global_index,
                        src,
                    }
                });
            }

            O::I32Load { memarg } => load!(self, I32, memarg, I32Load, I32LoadW),
            O::I64Load { memarg } => load!(self, I64, memarg, I64Load, I64LoadW),
            O::F32Load { memarg } => load!(self, F32, memarg, I32Load, I32LoadW),
            O::F64Load { memarg } => load!(self, F64, memarg, I64Load, I64LoadW),
            O::I32Load8S { memarg } => load!(self, I32, memarg, I32Load8S, I32Load8SW),
            O::I32Load8U { memarg } => load!(self, I32, memarg, I32Load8U, I32Load8UW),
            O::I32Load16S { memarg } => load!(self, I32, memarg, I32Load16S, I32Load16SW),
            O::I32Load16U { memarg } => load!(self, I32, memarg, I32Load16U, I32Load16UW),
            O::I64Load8S { memarg } => load!(self, I64, memarg, I64Load8S),
            O::I64Load8U { memarg } => load!(self, I64, memarg, I64Load8U),
            O::I64Load16S { memarg } => load!(self, I64, memarg, I64Load16S),
            O::I64Load16U { memarg } => load!(self, I64, memarg, I64Load16U),
            O::I64Load32S { memarg } => load!(self, I64, memarg, I64Load32S),
            O::I64Load32U { memarg } => load!(self, I64, memarg, I64Load32U),
            O::I32Store { memarg } | O::F32Store { memarg } => {
                store!(self, memarg, I32Store, I32StoreW)
            }
            O::I64Store { memarg } | O::F64Store { memarg } => {
                store!(self, memarg, I64Store, I64StoreW)
            }
            O::I32Store8 { memarg } | O::I64Store8 { memarg } => {
                store!(self, memarg, I32Store8, I32Store8W)
            }
            O::I32Store16 { memarg } | O::I64Store16 { memarg } => store!(self, memarg, I32Store16),
            O::I64Store32 { memarg } => store!(self, memarg, I64Store32),
            O::V128Load { memarg } => load!(self, V128, memarg, V128Load),
            O::V128Store { memarg } => store!(self, memarg, V128Store),
            O::MemorySize { .. } => {
                let dst = self.push_result(I32);
                self.emit_result(Op::MemorySize { dst });
            }
            O::MemoryGrow { .. } => self.unary(I32, |dst, delta| Op::MemoryGrow { dst, delta }),
            O::MemoryFill { .. } => {
                let len = self.pop();
                let value = self.pop();
                let dst = self.pop();
                self.emit(Op::MemoryFill { dst, value, len });
            }
            O::MemoryCopy { .. } => {
                let len = self.pop();
                let src = self.pop();
                let dst = self.pop();
                self.emit(Op::MemoryCopy { dst, src, len });
            }
            O::MemoryInit { data_index, .. } => {
                let len = self.pop();
                let src = self.pop();
                let dst = self.pop();
                self.emit(Op::MemoryInit {
                    segment: data_index,
                    dst,
                    src,
                });
                self.emit_arg(len, 0, 0);
            }
            O::DataDrop { data_index } => {
                self.emit(Op::DataDrop {
                    segment: data_index,
                });
            }

            O::I32Const { value } => self.push_const(I32, value as u32 as u64),
            O::I64Const { value } => self.push_const(I64, value as u64),
            O::F32Const { value } => self.push_const(F32, value.bits() as u64),
            O::F64Const { value } => self.push_const(F64, value.bits()),
            O::V128Const { value } => {
                let index = self.add_const(value.i128() as u128);
                let dst = self.push_result(V128);
                self.emit_result(Op::ConstV128 { dst, index });
            }
            O::RefNull { hty } => {
                let ty = if hty == wasmparser::HeapType::FUNC {
                    ValType::FUNCREF
                } else {
                    ValType::EXTERNREF
                };
                self.push_const(ty, 0);
            }
            O::RefIsNull => self.unary(I32, |dst, a| Op::RefIsNull { dst, a }),
            O::RefFunc { function_index } => {
                let dst = self.push_result(ValType::FUNCREF);
                self.emit_result(Op::RefFunc {
                    dst,
                    func: function_index,
                });
            }

            O::TableGet { table } => {
                let ty = ValType::Ref(self.module.tables[table as usize].elem);
                self.unary(ty, move |dst, index| Op::TableGet {
                    dst,
                    table: 0,
                    index,
                });
                self.patch_table(table);
            }
            O::TableSet { table } => {
                let value = self.pop();
                let index = self.pop();
                self.emit(Op::TableSet {
                    table,
                    index,
                    value,
                });
            }
            O::TableSize { table } => {
                let dst = self.push_result(I32);
                self.emit_result(Op::TableSize { dst, table });
            }
            O::TableGrow { table } => {
                let delta = self.pop();
                let init = self.pop();
                let dst = self.push_result(I32);
                self.emit_result(Op::TableGrow { dst, table, init });
                self.emit_arg(delta, 0, 0);
            }
            O::TableFill { table } => {
                let len = self.pop();
                let value = self.pop();
                let index = self.pop();
                self.emit(Op::TableFill {
                    table,
                    index,
                    value,
                });
                self.emit_arg(len, 0, 0);
            }
            O::TableCopy {
                dst_table,
                src_table,
            } => {
                let len = self.pop();
                let src = self.pop();
                let dst = self.pop();
                self.emit(Op::TableCopy {
                    dst_table,
                    src_table,
                    dst,
                });
                self.emit_arg(src, len, 0);
            }
            O::TableInit { elem_index, table } => {
                let len = self.pop();
                let src = self.pop();
                let dst = self.pop();
                self.emit(Op::TableInit {
                    segment: elem_index,
                    table,
                    dst,
                });
                self.emit_arg(src, len, 0);
            }
            O::ElemDrop { elem_index } => {
                self.emit(Op::ElemDrop {
                    segment: elem_index,
                });
            }

            O::I32Eqz => self.unary(I32, un!(I32Eqz)),
            O::I32Eq => self.binary_imm(I32, bin!(I32Eq), imm!(I32EqImm)),
            O::I32Ne => self.binary_imm(I32, bin!(I32Ne), imm!(I32NeImm)),
            O::I32LtS => self.binary_imm(I32, bin!(I32LtS), imm!(I32LtSImm)),
            O::I32LtU => self.binary_imm(I32, bin!(I32LtU), imm!(I32LtUImm)),
            O::I32GtS => self.binary_imm(I32, bin!(I32GtS), imm!(I32GtSImm)),
            O::I32GtU => self.binary_imm(I32, bin!(I32GtU), imm!(I32GtUImm)),
            O::I32LeS => self.binary_imm(I32, bin!(I32LeS), imm!(I32LeSImm)),
            O::I32LeU => self.binary_imm(I32, bin!(I32LeU), imm!(I32LeUImm)),
            O::I32GeS => self.binary_imm(I32, bin!(I32GeS), imm!(I32GeSImm)),
            O::I32GeU => self.binary_imm(I32, bin!(I32GeU), imm!(I32GeUImm)),
            O::I64Eqz => self.unary(I32, un!(I64Eqz)),
            O::I64Eq => self.binary_imm(I32, bin!(I64Eq), imm!(I64EqImm)),
            O::I64Ne => self.binary_imm(I32, bin!(I64Ne), imm!(I64NeImm)),
            O::I64LtS => self.binary_imm(I32, bin!(I64LtS), imm!(I64LtSImm)),
            O::I64LtU => self.binary_imm(I32, bin!(I64LtU), imm!(I64LtUImm)),
            O::I64GtS => self.binary_imm(I32, bin!(I64GtS), imm!(I64GtSImm)),
            O::I64GtU => self.binary_imm(I32, bin!(I64GtU), imm!(I64GtUImm)),
            O::I64LeS => self.binary(I32, bin!(I64LeS)),
            O::I64LeU => self.binary(I32, bin!(I64LeU)),
            O::I64GeS => self.binary(I32, bin!(I64GeS)),
            O::I64GeU => self.binary(I32, bin!(I64GeU)),
            O::F32Eq => self.binary(I32, bin!(F32Eq)),
            O::F32Ne => self.binary(I32, bin!(F32Ne)),
            O::F32Lt => self.binary(I32, bin!(F32Lt)),
            O::F32Gt => self.binary(I32, bin!(F32Gt)),
            O::F32Le => self.binary(I32, bin!(F32Le)),
            O::F32Ge => self.binary(I32, bin!(F32Ge)),
            O::F64Eq => self.binary(I32, bin!(F64Eq)),
            O::F64Ne => self.binary(I32, bin!(F64Ne)),
            O::F64Lt => self.binary(I32, bin!(F64Lt)),
            O::F64Gt => self.binary(I32, bin!(F64Gt)),
            O::F64Le => self.binary(I32, bin!(F64Le)),
            O::F64Ge => self.binary(I32, bin!(F64Ge)),

            O::I32Clz => self.unary(I32, un!(I32Clz)),
            O::I32Ctz => self.unary(I32, un!(I32Ctz)),
            O::I32Popcnt => self.unary(I32, un!(I32Popcnt)),
            O::I32Add => self.binary_imm(I32, bin!(I32Add), imm!(I32AddImm)),
            O::I32Sub => self.sub_imm(I32, bin!(I32Sub), |dst, a, imm| Op::I32AddImm {
                dst,
                a,
                imm,
            }),
            O::I32Mul => self.binary_imm(I32, bin!(I32Mul), imm!(I32MulImm)),
            O::I32DivS => self.binary(I32, bin!(I32DivS)),
            O::I32DivU => self.binary(I32, bin!(I32DivU)),
            O::I32RemS => self.binary(I32, bin!(I32RemS)),
            O::I32RemU => self.binary(I32, bin!(I32RemU)),
            O::I32And => self.binary_imm(I32, bin!(I32And), imm!(I32AndImm)),
            O::I32Or => self.binary_imm(I32, bin!(I32Or), imm!(I32OrImm)),
            O::I32Xor => self.binary_imm(I32, bin!(I32Xor), imm!(I32XorImm)),
            O::I32Shl => self.binary_imm(I32, bin!(I32Shl), imm!(I32ShlImm)),
            O::I32ShrS => self.binary_imm(I32, bin!(I32ShrS), imm!(I32ShrSImm)),
            O::I32ShrU => self.binary_imm(I32, bin!(I32ShrU), imm!(I32ShrUImm)),
            O::I32Rotl => self.binary_imm(I32, bin!(I32Rotl), imm!(I32RotlImm)),
            O::I32Rotr => self.binary_imm(I32, bin!(I32Rotr), imm!(I32RotrImm)),
            O::I64Clz => self.unary(I64, un!(I64Clz)),
            O::I64Ctz => self.unary(I64, un!(I64Ctz)),
            O::I64Popcnt => self.unary(I64, un!(I64Popcnt)),
            O::I64Add => self.binary_imm(I64, bin!(I64Add), imm!(I64AddImm)),
            O::I64Sub => self.sub_imm(I64, bin!(I64Sub), |dst, a, imm| Op::I64AddImm {
                dst,
                a,
                imm,
            }),
            O::I64Mul => self.binary_imm(I64, bin!(I64Mul), imm!(I64MulImm)),
            O::I64DivS => self.binary(I64, bin!(I64DivS)),
            O::I64DivU => self.binary(I64, bin!(I64DivU)),
            O::I64RemS => self.binary(I64, bin!(I64RemS)),
            O::I64RemU => self.binary(I64, bin!(I64RemU)),
            O::I64And => self.binary_imm(I64, bin!(I64And), imm!(I64AndImm)),
            O::I64Or => self.binary(I64, bin!(I64Or)),
            O::I64Xor => self.binary(I64, bin!(I64Xor)),
            O::I64Shl => self.binary_imm(I64, bin!(I64Shl), imm!(I64ShlImm)),
            O::I64ShrS => self.binary_imm(I64, bin!(I64ShrS), imm!(I64ShrSImm)),
            O::I64ShrU => self.binary_imm(I64, bin!(I64ShrU), imm!(I64ShrUImm)),
            O::I64Rotl => self.binary_imm(I64, bin!(I64Rotl), imm!(I64RotlImm)),
            O::I64Rotr => self.binary_imm(I64, bin!(I64Rotr), imm!(I64RotrImm)),

            O::F32Abs => self.unary(F32, un!(F32Abs)),
            O::F32Neg => self.unary(F32, un!(F32Neg)),
            O::F32Ceil => self.unary(F32, un!(F32Ceil)),
            O::F32Floor => self.unary(F32, un!(F32Floor)),
            O::F32Trunc => self.unary(F32, un!(F32Trunc)),
            O::F32Nearest => self.unary(F32, un!(F32Nearest)),
            O::F32Sqrt => self.unary(F32, un!(F32Sqrt)),
            O::F32Add => self.binary(F32, bin!(F32Add)),
            O::F32Sub => self.binary(F32, bin!(F32Sub)),
            O::F32Mul => self.binary(F32, bin!(F32Mul)),
            O::F32Div => self.binary(F32, bin!(F32Div)),
            O::F32Min => self.binary(F32, bin!(F32Min)),
            O::F32Max => self.binary(F32, bin!(F32Max)),
            O::F32Copysign => self.binary(F32, bin!(F32Copysign)),
            O::F64Abs => self.unary(F64, un!(F64Abs)),
            O::F64Neg => self.unary(F64, un!(F64Neg)),
            O::F64Ceil => self.unary(F64, un!(F64Ceil)),
            O::F64Floor => self.unary(F64, un!(F64Floor)),
            O::F64Trunc => self.unary(F64, un!(F64Trunc)),
            O::F64Nearest => self.unary(F64, un!(F64Nearest)),
            O::F64Sqrt => self.unary(F64, un!(F64Sqrt)),
            O::F64Add => self.f64_arith(bin!(F64Add), MemArith::Add),
            O::F64Sub => self.f64_arith(bin!(F64Sub), MemArith::Sub),
            O::F64Mul => self.f64_arith(bin!(F64Mul), MemArith::Mul),
            O::F64Div => self.binary(F64, bin!(F64Div)),
            O::F64Min => self.binary(F64, bin!(F64Min)),
            O::F64Max => self.binary(F64, bin!(F64Max)),
            O::F64Copysign => self.binary(F64, bin!(F64Copysign)),

            O::I32WrapI64 => self.unary(I32, un!(I32WrapI64)),
            O::I32TruncF32S => self.unary(I32, un!(I32TruncF32S)),
            O::I32TruncF32U => self.unary(I32, un!(I32TruncF32U)),
            O::I32TruncF64S => self.unary(I32, un!(I32TruncF64S)),
            O::I32TruncF64U => self.unary(I32, un!(I32TruncF64U)),
            O::I64ExtendI32S => self.unary(I64, un!(I64ExtendI32S)),
            O::I64ExtendI32U => self.retype(I64),
            O::I64TruncF32S => self.unary(I64, un!(I64TruncF32S)),
            O::I64TruncF32U => self.unary(I64, un!(I64TruncF32U)),
            O::I64TruncF64S => self.unary(I64, un!(I64TruncF64S)),
            O::I64TruncF64U => self.unary(I64, un!(I64TruncF64U)),
            O::F32ConvertI32S => self.unary(F32, un!(F32ConvertI32S)),
            O::F32ConvertI32U => self.unary(F32, un!(F32ConvertI32U)),
            O::F32ConvertI64S => self.unary(F32, un!(F32ConvertI64S)),
            O::F32ConvertI64U => self.unary(F32, un!(F32ConvertI64U)),
            O::F32DemoteF64 => self.unary(F32, un!(F32DemoteF64)),
            O::F64ConvertI32S => self.unary(F64, un!(F64ConvertI32S)),
            O::F64ConvertI32U => self.unary(F64, un!(F64ConvertI32U)),
            O::F64ConvertI64S => self.unary(F64, un!(F64ConvertI64S)),
            O::F64ConvertI64U => self.unary(F64, un!(F64ConvertI64U)),
            O::F64PromoteF32 => self.unary(F64, un!(F64PromoteF32)),
            O::I32ReinterpretF32 => self.retype(I32),
            O::I64ReinterpretF64 => self.retype(I64),
            O::F32ReinterpretI32 => self.retype(F32),
            O::F64ReinterpretI64 => self.retype(F64),
            O::I32Extend8S => self.unary(I32, un!(I32Extend8S)),
            O::I32Extend16S => self.unary(I32, un!(I32Extend16S)),
            O::I64Extend8S => self.unary(I64, un!(I64Extend8S)),
            O::I64Extend16S => self.unary(I64, un!(I64Extend16S)),
            O::I64Extend32S => self.unary(I64, un!(I64Extend32S)),
            O::I32TruncSatF32S => self.unary(I32, un!(I32TruncSatF32S)),
            O::I32TruncSatF32U => self.unary(I32, un!(I32TruncSatF32U)),
            O::I32TruncSatF64S => self.unary(I32, un!(I32TruncSatF64S)),
            O::I32TruncSatF64U => self.unary(I32, un!(I32TruncSatF64U)),
            O::I64TruncSatF32S => self.unary(I64, un!(I64TruncSatF32S)),
            O::I64TruncSatF32U => self.unary(I64, un!(I64TruncSatF32U)),
            O::I64TruncSatF64S => self.unary(I64, un!(I64TruncSatF64S)),
            O::I64TruncSatF64U => self.unary(I64, un!(I64TruncSatF64U)),

            other => {
                if let Some(s) = simd::classify(&other) {
                    self.simd(s, &other);
                } else if let Some((kind, m)) = simd::load_kind(&other) {
                    let addr = self.pop();
                    let dst = self.push_result(V128);
                    self.emit_result(Op::V128LoadKind {
                        dst,
                        kind,
                        addr,
                        offset: m.offset as u32,
                    });
                } else if let Some((is_store, width, m, lane)) = simd::lane_access(&other) {
                    let vector = self.pop();
                    let addr = self.pop();
                    let offset = m.offset as u32;
                    if is_store {
                        self.emit(Op::V128StoreLane {
                            width,
                            lane,
                            addr,
                            value: vector,
                            offset,
                        });
                    } else {
                        let dst = self.push_result(V128);
                        self.emit_result(Op::V128LoadLane {
                            dst,
                            width,
                            lane,
                            addr,
                            offset,
                        });
                        self.emit_arg(vector, 0, 0);
                    }
                } else {
                    return Err(format!(
                        "operator {other:?} is not supported by the interpreter"
                    ));
                }
            }
        }
        Ok(())
    }

    /// Sets the table index of the `TableGet` just emitted.
    fn patch_table(&mut self, table: u32) {
        if let Some(Op::TableGet { table: t, .. }) = self.code.last_mut() {
            *t = table;
        }
    }
}

/// The f64 operations that take one operand straight from memory.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum MemArith {
    Add,
    Sub,
    Mul,
}

/// The indexed form of a plain load, for the loads that have one.
fn indexed_form(f: fn(Slot, Slot, u32) -> Op) -> Option<Indexed> {
    Some(match f(0, 0, 0) {
        Op::I32Load { .. } => |dst, a, b, shift| Op::I32LoadIdx { dst, a, b, shift },
        Op::I64Load { .. } => |dst, a, b, shift| Op::I64LoadIdx { dst, a, b, shift },
        Op::I32Load8U { .. } => |dst, a, b, shift| Op::I32Load8UIdx { dst, a, b, shift },
        _ => return None,
    })
}

/// The scalar type an `extract_lane` operator produces.
fn extract_type(op: &O) -> ValType {
    match op {
        O::I64x2ExtractLane { .. } => I64,
        O::F32x4ExtractLane { .. } => F32,
        O::F64x2ExtractLane { .. } => F64,
        _ => I32,
    }
}
