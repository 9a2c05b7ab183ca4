//! Integer arithmetic, bitwise and comparison operators (`i32.*`, `i64.*`).
//!
//! Most binary operators have an immediate form used when the right
//! operand is a small constant; `x - c` becomes `x + (-c)`. Comparisons
//! produce an `i32` that a following branch may take over (see
//! [`super::fuse`]).

use super::fuse::Shift;
use super::operators::{Bin, Imm};
use super::Translator;
use crate::interp::code::Op;
use crate::types::ValType;
use wasmparser::Operator as O;

use ValType::{I32, I64};

impl Translator<'_> {
    /// Translates the integer operators; false for any other.
    pub(super) fn integer_op(&mut self, op: &O) -> bool {
        match *op {
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
            O::I32Clz => self.unary(I32, un!(I32Clz)),
            O::I32Ctz => self.unary(I32, un!(I32Ctz)),
            O::I32Popcnt => self.unary(I32, un!(I32Popcnt)),
            O::I32Add => self.shifted_or(bin!(I32Add), imm!(I32AddImm), Combine::Add),
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
            // A byte just loaded is already all its low 8 bits.
            O::I32And if self.top_imm() == Some(0xff) && self.under_top_is_byte() => {
                self.pop_operand();
            }
            O::I32And => self.binary_imm(I32, bin!(I32And), imm!(I32AndImm)),
            O::I32Or => self.shifted_or(bin!(I32Or), imm!(I32OrImm), Combine::Or),
            O::I32Xor => self.shifted_or(bin!(I32Xor), imm!(I32XorImm), Combine::Xor),
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
            _ => return false,
        }
        true
    }

    /// An `i32` xor, add or or (`f`, `fi`), taking over a constant shift or
    /// rotate that computed one of its operands (see [`super::fuse`]).
    fn shifted_or(&mut self, f: Bin, fi: Option<Imm>, c: Combine) {
        if let (Combine::Add, Some(imm)) = (c, self.top_imm()) {
            if let Some((a, shift)) = self.take_shl_under_imm() {
                let dst = self.push_result(I32);
                // The shift read the byte just loaded into its own slot.
                let byte = (a == dst).then(|| self.take_byte_into(a)).flatten();
                self.emit_result(match byte {
                    Some((addr, off)) => Op::I32Load8UShlAddImm {
                        dst,
                        off,
                        shift,
                        addr,
                        imm,
                    },
                    None => Op::I32ShlAddImm { dst, a, shift, imm },
                });
                return;
            }
        }
        if self.top_imm().is_none() {
            if let Some((a, b, imm, shift)) = self.take_shifted() {
                let dst = self.push_result(I32);
                self.emit_result(c.with(shift, dst, a, b, imm));
                return;
            }
        }
        if matches!(c, Combine::Add) && self.add_compare() {
            return;
        }
        if matches!(c, Combine::Add) && self.top_imm().is_none() && self.fuse_i32_add_chain() {
            return;
        }
        self.binary_imm(I32, f, fi)
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
}

/// The `i32` ops that take a shifted operand.
#[derive(Clone, Copy)]
enum Combine {
    Xor,
    Add,
    Or,
}

impl Combine {
    /// `dst = a op (b shift imm)`.
    fn with(self, shift: Shift, dst: u32, a: u32, b: u32, imm: u8) -> Op {
        macro_rules! pick {
            ($($c:ident, $s:ident => $v:ident;)*) => {
                match (self, shift) {
                    $((Combine::$c, Shift::$s) => Op::$v { imm, a, b, dst },)*
                }
            };
        }
        pick! {
            Xor, Rotl => I32XorRotl; Xor, Shl => I32XorShl; Xor, ShrU => I32XorShrU;
            Add, Rotl => I32AddRotl; Add, Shl => I32AddShl; Add, ShrU => I32AddShrU;
            Or, Rotl => I32OrRotl; Or, Shl => I32OrShl; Or, ShrU => I32OrShrU;
        }
    }
}
