//! The x86-64 backend: [`MacroAssembler`] on iced-x86's `Encoder`.
//!
//! Instructions go straight into the encoder's buffer (no allocation per
//! instruction); branches are emitted with 32-bit displacements (8-bit
//! when the target is already bound and near) and patched once in
//! [`X64::finish`]. Registers `r10`, `r11`, `xmm14` and `xmm15` are
//! scratch, never handed to the allocator. The family files hold the
//! instruction selection: [`int`], [`float`], [`frame`].

mod encode;
#[cfg(test)]
mod encode_tests;
mod features;
mod float;
mod frame;
mod int;
mod int_unary;
mod regs;
mod simd;

pub use features::Features;
pub(crate) use regs::*;

use crate::masm::*;
use iced_x86::{Code, Encoder, IcedError, Instruction};
use kiln_format::TrapCode;
use wasmparser::Operator;

#[derive(Clone, Copy)]
enum Fixup {
    /// A rel32 field at this offset, relative to its own end.
    Rel32(usize, Label),
    /// A jump-table entry at this offset: target minus the table's start.
    Table(usize, Label, usize),
}

/// The x86-64 macro-assembler.
pub struct X64 {
    /// Encodes the instructions not written directly ([`encode`]); made on
    /// first use (its tables cost a quarter of a millisecond to set up).
    enc: Option<Encoder>,
    /// The code so far.
    code: Vec<u8>,
    labels: Vec<usize>,
    fixups: Vec<Fixup>,
    error: Option<IcedError>,
    pub(crate) features: Features,
}

const UNBOUND: usize = usize::MAX;

impl X64 {
    /// An empty assembler for a host with `features`.
    pub fn new(features: Features) -> X64 {
        X64 {
            enc: None,
            code: Vec::new(),
            labels: Vec::new(),
            fixups: Vec::new(),
            error: None,
            features,
        }
    }

    /// Reserves room for `bytes` of code up front (one allocation per module).
    pub fn reserve(&mut self, bytes: usize) {
        self.code.reserve(bytes);
    }

    /// The first encoding error, if any (a bug in instruction selection).
    pub fn error(&self) -> Option<String> {
        self.error.as_ref().map(|e| e.to_string())
    }

    /// Encodes one instruction.
    pub(crate) fn emit(&mut self, i: Result<Instruction, IcedError>) {
        let enc = self.enc.get_or_insert_with(|| Encoder::new(64));
        match i.and_then(|i| enc.encode(&i, self.code.len() as u64)) {
            Ok(_) => {
                let mut bytes = enc.take_buffer();
                self.code.extend_from_slice(&bytes);
                bytes.clear();
                enc.set_buffer(bytes);
            }
            Err(e) => {
                self.error.get_or_insert(e);
            }
        }
    }

    /// Appends raw bytes.
    pub(crate) fn raw(&mut self, bytes: &[u8]) {
        self.code.extend_from_slice(bytes);
    }

    /// Appends the low `len` bytes of `bytes` (little-endian; `len <= 8`),
    /// with one fixed-size store.
    #[inline(always)]
    pub(crate) fn put_u64(&mut self, bytes: u64, len: usize) {
        let mut buf = [0u8; 16];
        buf[..8].copy_from_slice(&bytes.to_le_bytes());
        self.put(&buf, len.min(8));
    }

    /// Appends the first `len` bytes of `buf` (one instruction), copying
    /// all 16 so that the copy is a single fixed-size store.
    #[inline(always)]
    pub(crate) fn put(&mut self, buf: &[u8; 16], len: usize) {
        self.code.reserve(16);
        let at = self.code.len();
        let spare = self.code.spare_capacity_mut();
        for (dst, src) in spare[..16].iter_mut().zip(buf) {
            dst.write(*src);
        }
        // SAFETY: `reserve(16)` made room for 16 more bytes and all 16 were
        // just initialised; `len <= 16`, so the new length covers only
        // initialised bytes.
        unsafe { self.code.set_len(at + len.min(16)) };
    }

    /// Patches every branch whose label is bound; keeps the others.
    fn resolve_fixups(&mut self) {
        let mut fixups = std::mem::take(&mut self.fixups);
        fixups.retain(|f| {
            let (at, label, from) = match *f {
                Fixup::Rel32(at, l) => (at, l, at + 4),
                Fixup::Table(at, l, start) => (at, l, start),
            };
            let target = self.labels[label.0 as usize];
            if target == UNBOUND {
                return true;
            }
            self.patch32(at, (target as i64 - from as i64) as i32);
            false
        });
        self.fixups = fixups;
    }

    /// Overwrites 4 bytes at `at` (only before [`X64::finish`] takes the buffer).
    fn patch32(&mut self, at: usize, value: i32) {
        self.code[at..at + 4].copy_from_slice(&value.to_le_bytes());
    }

    pub(crate) fn cc(cond: Cond) -> u8 {
        match cond {
            Cond::Eq | Cond::FEq => 0x4,
            Cond::Ne | Cond::FNe => 0x5,
            Cond::LtU => 0x2,
            Cond::GeU => 0x3,
            Cond::LeU => 0x6,
            Cond::GtU => 0x7,
            Cond::LtS => 0xc,
            Cond::GeS => 0xd,
            Cond::LeS => 0xe,
            Cond::GtS => 0xf,
        }
    }

    /// `jcc` on a raw condition code (`None`: `jmp`).
    fn branch(&mut self, cc: Option<u8>, target: Label) {
        let bound = self.labels[target.0 as usize];
        if bound != UNBOUND {
            let rel = bound as i64 - (self.code.len() + 2) as i64;
            if rel >= -128 {
                match cc {
                    Some(c) => self.raw(&[0x70 | c, rel as i8 as u8]),
                    None => self.raw(&[0xeb, rel as i8 as u8]),
                }
                return;
            }
        }
        match cc {
            Some(c) => self.raw(&[0x0f, 0x80 | c, 0, 0, 0, 0]),
            None => self.raw(&[0xe9, 0, 0, 0, 0]),
        }
        self.fixups.push(Fixup::Rel32(self.code.len() - 4, target));
    }

    /// A jump-table entry (4 bytes): `target` relative to `start`.
    pub(crate) fn table_entry(&mut self, target: Label, start: usize) {
        self.raw(&[0; 4]);
        self.fixups
            .push(Fixup::Table(self.code.len() - 4, target, start));
    }

    /// A rel32 field referring to `target` (the last 4 bytes emitted).
    pub(crate) fn rel32_fixup(&mut self, target: Label) {
        self.fixups.push(Fixup::Rel32(self.code.len() - 4, target));
    }

    /// `mov r11, imm64` (or shorter) for a constant the next instruction uses.
    pub(crate) fn scratch_const(&mut self, r: Reg, value: u64) {
        let rex_b = (r.0 >> 3) & 1;
        if value <= u32::MAX as u64 {
            // mov r32, imm32
            if rex_b != 0 {
                self.raw(&[0x41]);
            }
            self.raw(&[0xb8 | (r.0 & 7)]);
            self.raw(&(value as u32).to_le_bytes());
        } else if value as i64 >= i32::MIN as i64 && (value as i64) < 0 {
            // mov r/m64, sign-extended imm32
            encode::op_rm(self, &[0xc7], true, 0, encode::Rm::Reg(r), false);
            self.raw(&(value as u32).to_le_bytes());
        } else {
            // mov r64, imm64
            self.raw(&[0x48 | rex_b, 0xb8 | (r.0 & 7)]);
            self.raw(&value.to_le_bytes());
        }
    }
}

impl MacroAssembler for X64 {
    const GPRS: &'static [Reg] = &[RSI, RDI, R8, R9, RAX, RDX, RCX];
    const FPRS: &'static [Reg] = &[
        xmm(0),
        xmm(1),
        xmm(2),
        xmm(3),
        xmm(4),
        xmm(5),
        xmm(6),
        xmm(7),
        xmm(8),
        xmm(9),
        xmm(10),
        xmm(11),
        xmm(12),
        xmm(13),
    ];
    const LOCAL_GPRS: &'static [Reg] = &[RBX, R12, R13];
    const LOCAL_GPRS_CALLER_SAVED: &'static [Reg] = &[R8, R9];
    const LOCAL_FPRS: &'static [Reg] = &[xmm(13), xmm(12), xmm(11), xmm(10), xmm(9), xmm(8)];
    const VMCTX: Reg = R14;
    const MEMBASE: Reg = R15;
    const FP: Reg = RBP;
    const SP: Reg = RSP;
    const RET_GPR: Reg = RAX;
    const RET_FPR: Reg = xmm(0);
    const CALL_TARGET: Reg = RAX;

    fn call_layout(kinds: &[Kind]) -> CallLayout {
        frame::call_layout(kinds)
    }
    fn incoming_stack_base() -> u32 {
        16
    }
    fn fixed_regs_int(op: IntOp, rhs_is_imm: bool) -> RegSet {
        match op {
            IntOp::Shl | IntOp::ShrS | IntOp::ShrU | IntOp::Rotl | IntOp::Rotr if !rhs_is_imm => {
                RCX.bit()
            }
            _ => 0,
        }
    }
    fn fixed_regs_div() -> RegSet {
        RAX.bit() | RDX.bit()
    }

    fn offset(&self) -> usize {
        self.code.len()
    }
    fn new_label(&mut self) -> Label {
        self.labels.push(UNBOUND);
        Label(self.labels.len() as u32 - 1)
    }
    fn bind(&mut self, label: Label) {
        self.labels[label.0 as usize] = self.code.len();
    }
    fn align_code(&mut self, align: usize) {
        while !self.code.len().is_multiple_of(align) {
            self.raw(&[0xcc]);
        }
    }
    fn finish(&mut self) -> Vec<u8> {
        self.resolve_fixups();
        debug_assert!(self.fixups.is_empty(), "a branch to an unbound label");
        self.fixups.clear();
        self.labels.clear();
        std::mem::take(&mut self.code)
    }
    fn end_function(&mut self) {
        self.resolve_fixups();
        if self.fixups.is_empty() {
            self.labels.clear();
        }
    }

    fn prologue(&mut self, saved: &[Reg], stack_check: Option<(i32, Label)>) -> FramePatch {
        frame::prologue(self, saved, stack_check)
    }
    fn patch_frame(&mut self, patch: FramePatch, saved: usize, frame_size: u32) {
        let total = (saved as u32 * 8 + frame_size).next_multiple_of(16);
        self.patch32(patch.0, -((total - saved as u32 * 8) as i32));
    }
    fn epilogue(&mut self, saved: &[Reg]) {
        frame::epilogue(self, saved)
    }
    fn trap_stub(&mut self, trap_fn: usize, code: TrapCode) {
        frame::trap_stub(self, trap_fn, Some(code))
    }
    fn trap_stub_dynamic(&mut self, trap_fn: usize) {
        frame::trap_stub(self, trap_fn, None)
    }

    fn mov(&mut self, kind: Kind, dst: Reg, src: Reg) {
        int::mov(self, kind, dst, src)
    }
    fn mov_const(&mut self, kind: Kind, dst: Reg, bits: u128) {
        int::mov_const(self, kind, dst, bits)
    }
    fn load(&mut self, kind: LoadKind, dst: Reg, m: Mem) {
        int::load(self, kind, dst, m)
    }
    fn store(&mut self, width: u32, m: Mem, src: Reg) {
        int::store(self, width, m, src)
    }
    fn mem_copy(&mut self, kind: Kind, dst: Mem, src: Mem) {
        let tmp = if kind.is_float() { XMM15 } else { R11 };
        let width = match kind {
            Kind::I32 | Kind::F32 => 4,
            Kind::I64 | Kind::F64 => 8,
            Kind::V128 => 16,
        };
        int::load(self, LoadKind::Full(kind), tmp, src);
        int::store(self, width, dst, tmp);
    }
    fn store_const(&mut self, kind: Kind, m: Mem, bits: u128) {
        int::store_const(self, kind, m, bits)
    }
    fn lea(&mut self, dst: Reg, m: Mem) {
        if encode::encodable(&m) {
            encode::op_rm(self, &[0x8d], true, dst.0, encode::Rm::Mem(m), false);
        } else {
            self.emit(Instruction::with2(Code::Lea_r64_m, q(dst), mem(m)));
        }
    }
    fn zero_extend_32(&mut self, dst: Reg, src: Reg) {
        encode::op_rm(self, &[0x89], false, src.0, encode::Rm::Reg(dst), false);
    }

    fn int_op(&mut self, op: IntOp, wide: bool, dst: Reg, lhs: Reg, rhs: Operand) {
        int::int_op(self, op, wide, dst, lhs, rhs)
    }
    fn int_div(&mut self, op: DivOp, wide: bool, dst: Reg, lhs: Reg, rhs: Reg, traps: TrapLabels) {
        int::int_div(self, op, wide, dst, lhs, rhs, traps)
    }
    fn int_unop(&mut self, op: IntUnOp, wide: bool, dst: Reg, src: Reg) {
        int_unary::int_unop(self, op, wide, dst, src)
    }
    fn int_cmp(&mut self, wide: bool, lhs: Reg, rhs: Operand) {
        int::int_cmp(self, wide, lhs, rhs)
    }
    fn int_test(&mut self, wide: bool, src: Reg) {
        encode::op_rm(self, &[0x85], wide, src.0, encode::Rm::Reg(src), false);
    }
    fn float_cmp(&mut self, wide: bool, lhs: Reg, rhs: Reg) {
        // ucomisd (66 0f 2e) / ucomiss (0f 2e)
        encode::sse_rr(self, wide.then_some(0x66), 0x2e, lhs, rhs);
    }
    fn set_cond(&mut self, cond: Cond, dst: Reg) {
        int::set_cond(self, cond, dst)
    }
    fn cmov(&mut self, cond: Cond, wide: bool, dst: Reg, src: Reg) {
        int::cmov(self, cond, wide, dst, src)
    }

    fn float_op(&mut self, op: FloatOp, wide: bool, dst: Reg, lhs: Reg, rhs: Reg) {
        float::float_op(self, op, wide, dst, lhs, rhs)
    }
    fn float_unop(&mut self, op: FloatUnOp, wide: bool, dst: Reg, src: Reg) {
        float::float_unop(self, op, wide, dst, src)
    }
    fn convert(&mut self, op: Convert, from: Kind, to: Kind, dst: Reg, src: Reg) {
        float::convert(self, op, from, to, dst, src)
    }
    fn trunc(&mut self, signed: bool, from: Kind, to: Kind, dst: Reg, src: Reg, traps: TrapLabels) {
        float::trunc(self, signed, from, to, dst, src, Some((traps.0, traps.1)))
    }

    fn jump(&mut self, target: Label) {
        self.branch(None, target)
    }
    fn jump_if(&mut self, cond: Cond, target: Label) {
        match cond {
            Cond::FEq => {
                let skip = self.new_label();
                self.branch(Some(0xa), skip);
                self.branch(Some(0x4), target);
                self.bind(skip);
            }
            Cond::FNe => {
                self.branch(Some(0xa), target);
                self.branch(Some(0x5), target);
            }
            c => self.branch(Some(Self::cc(c)), target),
        }
    }
    fn jump_table(&mut self, index: Reg, targets: &[Label], default: Label) {
        frame::jump_table(self, index, targets, default)
    }
    fn call_reg(&mut self, target: Reg) {
        encode::call_reg(self, target);
    }
    fn call_abs(&mut self, addr: usize) {
        self.scratch_const(R11, addr as u64);
        encode::call_reg(self, R11);
    }
    fn jump_if_set(&mut self, slot: usize) {
        // mov r11, slot; mov r11, [r11]; test r11, r11; jz +3; jmp r11
        self.scratch_const(R11, slot as u64);
        self.raw(&[
            0x4d, 0x8b, 0x1b, 0x4d, 0x85, 0xdb, 0x74, 0x03, 0x41, 0xff, 0xe3,
        ]);
    }
    fn count_down(&mut self, counter: usize, hot: Label) {
        // mov r11, counter; sub dword [r11], 1; js hot
        self.scratch_const(R11, counter as u64);
        self.raw(&[0x41, 0x83, 0x2b, 0x01]);
        self.branch(Some(0x8), hot);
    }
    fn jump_if_u32_eq(&mut self, addr: usize, value: u32, target: Label) {
        // mov r11, addr; cmp dword [r11], value; je target
        self.scratch_const(R11, addr as u64);
        match i8::try_from(value as i32) {
            Ok(small) => self.raw(&[0x41, 0x83, 0x3b, small as u8]),
            Err(_) => {
                self.raw(&[0x41, 0x81, 0x3b]);
                self.raw(&value.to_le_bytes());
            }
        }
        self.branch(Some(0x4), target);
    }

    fn lazy_stub(&mut self, index: u32, common: Label) {
        frame::lazy_stub(self, index, common)
    }
    fn lazy_common(&mut self, compile_fn: usize) {
        frame::lazy_common(self, compile_fn)
    }

    fn simd_unary(&mut self, op: &Operator<'_>, dst: Reg, src: Reg, tmp: Reg) -> bool {
        simd::unary(self, op, dst, src, tmp)
    }
    fn simd_binary(&mut self, op: &Operator<'_>, dst: Reg, lhs: Reg, rhs: Reg, tmp: Reg) -> bool {
        simd::binary(self, op, dst, lhs, rhs, tmp)
    }
    fn simd_ternary(&mut self, op: &Operator<'_>, dst: Reg, v: [Reg; 3], tmp: Reg) -> bool {
        simd::ternary(self, op, dst, v, tmp)
    }
    fn simd_shift(
        &mut self,
        op: &Operator<'_>,
        dst: Reg,
        src: Reg,
        amount: Operand,
        tmp: Reg,
    ) -> bool {
        simd::shift(self, op, dst, src, amount, tmp)
    }
    fn simd_test(&mut self, op: &Operator<'_>, dst: Reg, src: Reg, tmp: Reg) -> bool {
        simd::test(self, op, dst, src, tmp)
    }
    fn simd_splat(&mut self, op: &Operator<'_>, dst: Reg, src: Reg) -> bool {
        simd::splat(self, op, dst, src)
    }
    fn simd_extract(&mut self, op: &Operator<'_>, dst: Reg, src: Reg) -> bool {
        simd::extract(self, op, dst, src)
    }
    fn simd_replace(&mut self, op: &Operator<'_>, dst: Reg, vec: Reg, scalar: Reg) -> bool {
        simd::replace(self, op, dst, vec, scalar)
    }
    fn simd_load(&mut self, op: &Operator<'_>, dst: Reg, m: Mem) -> bool {
        simd::load(self, op, dst, m)
    }
    fn simd_load_lane(&mut self, op: &Operator<'_>, dst: Reg, vec: Reg, m: Mem) -> bool {
        simd::load_lane(self, op, dst, vec, m)
    }
    fn simd_store_lane(&mut self, op: &Operator<'_>, m: Mem, src: Reg) -> bool {
        simd::store_lane(self, op, m, src)
    }
}
