//! The interpreter's compact code: register-style ops over frame slots.
//!
//! A function's frame is an array of 64-bit slots: its locals first
//! (parameters at the bottom), then the operand stack, whose depth is known
//! at each instruction. A `v128` takes two adjacent slots. Every op names
//! its operand and result slots directly, branches carry resolved code
//! indices (in the finished code, relative to the branch op:
//! `target` is added to the op's own index, wrapping), and nothing is decoded or validated at run time. Ops that need
//! more than three 32-bit fields are followed by an [`Op::Arg`] word.

use super::simd::{BinOp as SimdBinOp, UnOp as SimdUnOp};
use super::simd::{ExtractOp, LaneWidth, LoadKind, ReplaceOp, ShiftOp, SplatOp, TernOp, TestOp};

/// Index of a 64-bit slot in the current frame.
pub type Slot = u32;

define_ops! {
    with_dst {
        Copy { src: Slot },
        Copy128 { src: Slot },
        Const32 { value: u32 },
        Const64 { lo: u32, hi: u32 },
        ConstV128 { index: u32 },
        /// Followed by `Arg { a: cond }`.
        Select { a: Slot, b: Slot },
        /// Followed by `Arg { a: cond }`.
        Select128 { a: Slot, b: Slot },
        /// `a` if `x op y` (`i32`) else `b`; followed by `Arg { a: x, b: y }`.
        SelectI32Eq { a: Slot, b: Slot }, SelectI32LtS { a: Slot, b: Slot },
        SelectI32GtS { a: Slot, b: Slot }, SelectI32LtU { a: Slot, b: Slot },
        SelectI32GtU { a: Slot, b: Slot },
        GlobalGet { index: u32 },
        GlobalGet128 { index: u32 },
        RefIsNull { a: Slot },
        RefFunc { func: u32 },

        I32Eqz { a: Slot }, I32Clz { a: Slot }, I32Ctz { a: Slot }, I32Popcnt { a: Slot },
        I32Extend8S { a: Slot }, I32Extend16S { a: Slot },
        I64Eqz { a: Slot }, I64Clz { a: Slot }, I64Ctz { a: Slot }, I64Popcnt { a: Slot },
        I64Extend8S { a: Slot }, I64Extend16S { a: Slot }, I64Extend32S { a: Slot },
        I32WrapI64 { a: Slot }, I64ExtendI32S { a: Slot },
        F32Abs { a: Slot }, F32Neg { a: Slot }, F32Ceil { a: Slot }, F32Floor { a: Slot },
        F32Trunc { a: Slot }, F32Nearest { a: Slot }, F32Sqrt { a: Slot },
        F64Abs { a: Slot }, F64Neg { a: Slot }, F64Ceil { a: Slot }, F64Floor { a: Slot },
        F64Trunc { a: Slot }, F64Nearest { a: Slot }, F64Sqrt { a: Slot },
        I32TruncF32S { a: Slot }, I32TruncF32U { a: Slot }, I32TruncF64S { a: Slot }, I32TruncF64U { a: Slot },
        I64TruncF32S { a: Slot }, I64TruncF32U { a: Slot }, I64TruncF64S { a: Slot }, I64TruncF64U { a: Slot },
        I32TruncSatF32S { a: Slot }, I32TruncSatF32U { a: Slot }, I32TruncSatF64S { a: Slot }, I32TruncSatF64U { a: Slot },
        I64TruncSatF32S { a: Slot }, I64TruncSatF32U { a: Slot }, I64TruncSatF64S { a: Slot }, I64TruncSatF64U { a: Slot },
        F32ConvertI32S { a: Slot }, F32ConvertI32U { a: Slot }, F32ConvertI64S { a: Slot }, F32ConvertI64U { a: Slot },
        F64ConvertI32S { a: Slot }, F64ConvertI32U { a: Slot }, F64ConvertI64S { a: Slot }, F64ConvertI64U { a: Slot },
        F32DemoteF64 { a: Slot }, F64PromoteF32 { a: Slot },

        I32Add { a: Slot, b: Slot }, I32Sub { a: Slot, b: Slot }, I32Mul { a: Slot, b: Slot },
        I32DivS { a: Slot, b: Slot }, I32DivU { a: Slot, b: Slot }, I32RemS { a: Slot, b: Slot }, I32RemU { a: Slot, b: Slot },
        I32And { a: Slot, b: Slot }, I32Or { a: Slot, b: Slot }, I32Xor { a: Slot, b: Slot },
        I32Shl { a: Slot, b: Slot }, I32ShrS { a: Slot, b: Slot }, I32ShrU { a: Slot, b: Slot },
        I32Rotl { a: Slot, b: Slot }, I32Rotr { a: Slot, b: Slot },
        I32Eq { a: Slot, b: Slot }, I32Ne { a: Slot, b: Slot }, I32LtS { a: Slot, b: Slot }, I32LtU { a: Slot, b: Slot },
        I32GtS { a: Slot, b: Slot }, I32GtU { a: Slot, b: Slot }, I32LeS { a: Slot, b: Slot }, I32LeU { a: Slot, b: Slot },
        I32GeS { a: Slot, b: Slot }, I32GeU { a: Slot, b: Slot },
        I64Add { a: Slot, b: Slot }, I64Sub { a: Slot, b: Slot }, I64Mul { a: Slot, b: Slot },
        I64DivS { a: Slot, b: Slot }, I64DivU { a: Slot, b: Slot }, I64RemS { a: Slot, b: Slot }, I64RemU { a: Slot, b: Slot },
        I64And { a: Slot, b: Slot }, I64Or { a: Slot, b: Slot }, I64Xor { a: Slot, b: Slot },
        I64Shl { a: Slot, b: Slot }, I64ShrS { a: Slot, b: Slot }, I64ShrU { a: Slot, b: Slot },
        I64Rotl { a: Slot, b: Slot }, I64Rotr { a: Slot, b: Slot },
        I64Eq { a: Slot, b: Slot }, I64Ne { a: Slot, b: Slot }, I64LtS { a: Slot, b: Slot }, I64LtU { a: Slot, b: Slot },
        I64GtS { a: Slot, b: Slot }, I64GtU { a: Slot, b: Slot }, I64LeS { a: Slot, b: Slot }, I64LeU { a: Slot, b: Slot },
        I64GeS { a: Slot, b: Slot }, I64GeU { a: Slot, b: Slot },
        F32Add { a: Slot, b: Slot }, F32Sub { a: Slot, b: Slot }, F32Mul { a: Slot, b: Slot }, F32Div { a: Slot, b: Slot },
        F32Min { a: Slot, b: Slot }, F32Max { a: Slot, b: Slot }, F32Copysign { a: Slot, b: Slot },
        F32Eq { a: Slot, b: Slot }, F32Ne { a: Slot, b: Slot }, F32Lt { a: Slot, b: Slot },
        F32Gt { a: Slot, b: Slot }, F32Le { a: Slot, b: Slot }, F32Ge { a: Slot, b: Slot },
        F64Add { a: Slot, b: Slot }, F64Sub { a: Slot, b: Slot }, F64Mul { a: Slot, b: Slot }, F64Div { a: Slot, b: Slot },
        F64Min { a: Slot, b: Slot }, F64Max { a: Slot, b: Slot }, F64Copysign { a: Slot, b: Slot },
        F64Eq { a: Slot, b: Slot }, F64Ne { a: Slot, b: Slot }, F64Lt { a: Slot, b: Slot },
        F64Gt { a: Slot, b: Slot }, F64Le { a: Slot, b: Slot }, F64Ge { a: Slot, b: Slot },

        I32AddImm { a: Slot, imm: i32 }, I32MulImm { a: Slot, imm: i32 },
        I32AndImm { a: Slot, imm: i32 }, I32OrImm { a: Slot, imm: i32 }, I32XorImm { a: Slot, imm: i32 },
        I32ShlImm { a: Slot, imm: i32 }, I32ShrSImm { a: Slot, imm: i32 }, I32ShrUImm { a: Slot, imm: i32 },
        I32EqImm { a: Slot, imm: i32 }, I32NeImm { a: Slot, imm: i32 },
        I32LtSImm { a: Slot, imm: i32 }, I32LtUImm { a: Slot, imm: i32 },
        I32GtSImm { a: Slot, imm: i32 }, I32GtUImm { a: Slot, imm: i32 },
        I32LeSImm { a: Slot, imm: i32 }, I32LeUImm { a: Slot, imm: i32 },
        I32GeSImm { a: Slot, imm: i32 }, I32GeUImm { a: Slot, imm: i32 },
        I64AddImm { a: Slot, imm: i32 }, I64MulImm { a: Slot, imm: i32 }, I64AndImm { a: Slot, imm: i32 },
        I64ShlImm { a: Slot, imm: i32 }, I64ShrSImm { a: Slot, imm: i32 }, I64ShrUImm { a: Slot, imm: i32 },
        I64EqImm { a: Slot, imm: i32 }, I64NeImm { a: Slot, imm: i32 },
        I64LtSImm { a: Slot, imm: i32 }, I64LtUImm { a: Slot, imm: i32 },
        I64GtSImm { a: Slot, imm: i32 }, I64GtUImm { a: Slot, imm: i32 },
        I32RotlImm { a: Slot, imm: i32 }, I32RotrImm { a: Slot, imm: i32 },
        I64RotlImm { a: Slot, imm: i32 }, I64RotrImm { a: Slot, imm: i32 },
        /// Loads at `(a + imm) mod 2^32` (a fused `i32.add` with an offset-0 load).
        I32LoadW { a: Slot, imm: i32 }, I64LoadW { a: Slot, imm: i32 },
        I32Load8UW { a: Slot, imm: i32 }, I32Load8SW { a: Slot, imm: i32 },
        I32Load16UW { a: Slot, imm: i32 }, I32Load16SW { a: Slot, imm: i32 },
        /// `dst = a op b` (`f64`), also stored at `addr + offset` (an
        /// `f64.store` of the result just computed).
        F64AddStore { a: u16, b: u16, addr: u16, offset: u32 },
        F64SubStore { a: u16, b: u16, addr: u16, offset: u32 },
        F64MulStore { a: u16, b: u16, addr: u16, offset: u32 },
        /// As `F64AddStore`, for `i64` (an `i64.store` of the result).
        I64AddStore { a: u16, b: u16, addr: u16, offset: u32 },
        I64SubStore { a: u16, b: u16, addr: u16, offset: u32 },
        I64MulStore { a: u16, b: u16, addr: u16, offset: u32 },
        I64AndStore { a: u16, b: u16, addr: u16, offset: u32 },
        I64OrStore { a: u16, b: u16, addr: u16, offset: u32 },
        I64XorStore { a: u16, b: u16, addr: u16, offset: u32 },
        /// `dst = a op m` (`f64`), `m` read from `addr + offset` and the
        /// result written back there (`p[i] += a`).
        F64AddToMem { a: u16, addr: u16, offset: u32 }, F64SubToMem { a: u16, addr: u16, offset: u32 },
        F64MulToMem { a: u16, addr: u16, offset: u32 },
        /// `a op f64.load(addr + offset)` (a load fused into its consumer).
        F64AddLoad { a: u16, addr: u16, offset: u32 }, F64SubLoad { a: u16, addr: u16, offset: u32 },
        F64MulLoad { a: u16, addr: u16, offset: u32 },
        /// `a op f64.load((addr + imm) mod 2^32)`.
        F64AddLoadW { a: u16, addr: u16, imm: i32 }, F64SubLoadW { a: u16, addr: u16, imm: i32 },
        F64MulLoadW { a: u16, addr: u16, imm: i32 },
        /// `(a op1 b) op2 c`, and in the `R` forms `c op2 (a op1 b)`: an
        /// f64 add, sub or mul (`op2`) of the result of another one (`op1`)
        /// just computed, each rounded as the two ops would be.
        F64AddAdd { a: u16, b: u16, c: u16 }, F64AddAddR { a: u16, b: u16, c: u16 }, F64AddSub { a: u16, b: u16, c: u16 },
        F64AddSubR { a: u16, b: u16, c: u16 }, F64AddMul { a: u16, b: u16, c: u16 }, F64AddMulR { a: u16, b: u16, c: u16 },
        F64SubAdd { a: u16, b: u16, c: u16 }, F64SubAddR { a: u16, b: u16, c: u16 }, F64SubSub { a: u16, b: u16, c: u16 },
        F64SubSubR { a: u16, b: u16, c: u16 }, F64SubMul { a: u16, b: u16, c: u16 }, F64SubMulR { a: u16, b: u16, c: u16 },
        F64MulAdd { a: u16, b: u16, c: u16 }, F64MulAddR { a: u16, b: u16, c: u16 }, F64MulSub { a: u16, b: u16, c: u16 },
        F64MulSubR { a: u16, b: u16, c: u16 }, F64MulMul { a: u16, b: u16, c: u16 }, F64MulMulR { a: u16, b: u16, c: u16 },
        /// `c + (a op b)` (`i32`): a comparison fused into the add counting it.
        /// `c + (a + b)`, `c + a * b` (`i32`).
        I32AddAdd { a: u16, b: u16, c: u16 }, I32MulAdd { a: u16, b: u16, c: u16 },
        I32AddEq { a: u16, b: u16, c: u16 }, I32AddNe { a: u16, b: u16, c: u16 }, I32AddLtS { a: u16, b: u16, c: u16 },
        I32AddLtU { a: u16, b: u16, c: u16 }, I32AddGtS { a: u16, b: u16, c: u16 }, I32AddGtU { a: u16, b: u16, c: u16 },
        I32AddLeS { a: u16, b: u16, c: u16 }, I32AddLeU { a: u16, b: u16, c: u16 }, I32AddGeS { a: u16, b: u16, c: u16 },
        I32AddGeU { a: u16, b: u16, c: u16 },
        /// `a op (b shift imm)`: a shift or rotate by a constant fused into
        /// the xor, add or or that consumes it (`imm < 32`).
        I32XorRotl { imm: u8, a: Slot, b: Slot }, I32XorShl { imm: u8, a: Slot, b: Slot },
        I32XorShrU { imm: u8, a: Slot, b: Slot }, I32AddRotl { imm: u8, a: Slot, b: Slot },
        I32AddShl { imm: u8, a: Slot, b: Slot }, I32AddShrU { imm: u8, a: Slot, b: Slot },
        I32OrRotl { imm: u8, a: Slot, b: Slot }, I32OrShl { imm: u8, a: Slot, b: Slot },
        I32OrShrU { imm: u8, a: Slot, b: Slot },
        /// Loads at `(a + b * scale) mod 2^32` (fused address arithmetic;
        /// `scale` is a power of two, from a shift).
        I32LoadIdx { scale: u8, a: Slot, b: Slot }, I64LoadIdx { scale: u8, a: Slot, b: Slot },
        I32Load8UIdx { scale: u8, a: Slot, b: Slot },
        /// `((a << shift) + imm) mod 2^32` (a constant shift fused into the
        /// `i32.add` of a constant using it; `shift < 32`).
        I32ShlAddImm { shift: u8, a: Slot, imm: i32 },
        /// Loads at `((a << shift) + imm) mod 2^32` (an `I32ShlAddImm`
        /// fused into the offset-0 load whose address it is).
        I32LoadShlW { shift: u8, a: Slot, imm: i32 }, I64LoadShlW { shift: u8, a: Slot, imm: i32 },
        /// `((byte << shift) + imm) mod 2^32`, `byte` loaded (zero-extended)
        /// from `addr + off`: an `i32.load8_u` fused into the
        /// `I32ShlAddImm` using it (a register number read by a VM).
        I32Load8UShlAddImm { off: u8, shift: u8, addr: Slot, imm: i32 },
        /// Loads at an `I32Load8UShlAddImm`'s result. Followed by an `Arg`
        /// word, unused, so that each of the two loads traps at an op index
        /// of its own (the outer load's is the `Arg`'s).
        I32LoadByteShl { off: u8, shift: u8, addr: Slot, imm: i32 },
        I64LoadByteShl { off: u8, shift: u8, addr: Slot, imm: i32 },

        I32Load { addr: Slot, offset: u32 }, I64Load { addr: Slot, offset: u32 },
        I32Load8S { addr: Slot, offset: u32 }, I32Load8U { addr: Slot, offset: u32 },
        I32Load16S { addr: Slot, offset: u32 }, I32Load16U { addr: Slot, offset: u32 },
        I64Load8S { addr: Slot, offset: u32 }, I64Load8U { addr: Slot, offset: u32 },
        I64Load16S { addr: Slot, offset: u32 }, I64Load16U { addr: Slot, offset: u32 },
        I64Load32S { addr: Slot, offset: u32 }, I64Load32U { addr: Slot, offset: u32 },
        V128Load { addr: Slot, offset: u32 },
        V128LoadKind { kind: LoadKind, addr: Slot, offset: u32 },
        /// Followed by `Arg { a: vector }`.
        V128LoadLane { width: LaneWidth, lane: u8, addr: Slot, offset: u32 },
        MemorySize { },
        MemoryGrow { delta: Slot },

        TableGet { table: u32, index: Slot },
        TableSize { table: u32 },
        /// Followed by `Arg { a: delta }`.
        TableGrow { table: u32, init: Slot },

        SimdUnary { op: SimdUnOp, a: Slot },
        SimdBinary { op: SimdBinOp, a: Slot, b: Slot },
        /// Followed by `Arg { a: third operand }`.
        SimdTernary { op: TernOp, a: Slot, b: Slot },
        SimdShift { op: ShiftOp, a: Slot, amount: Slot },
        SimdTest { op: TestOp, a: Slot },
        SimdSplat { op: SplatOp, a: Slot },
        SimdExtract { op: ExtractOp, lane: u8, a: Slot },
        SimdReplace { op: ReplaceOp, lane: u8, a: Slot, x: Slot },
        /// Followed by `Arg { a: constant-pool index of the lane selectors }`.
        SimdShuffle { a: Slot, b: Slot },
    }
    branches {
        Br { },
        /// An entry of the table after a `BrTable*`, which reads it rather
        /// than running it (run, it is a `Br`): `next` is the op code at
        /// its target, so that the switch need not load it from there.
        BrEntry { next: OpCode },
        /// Copies slot `src` to slot `dst`, then jumps (a `Copy` fused into
        /// the `Br` after it).
        CopyBr { dst: Slot, src: Slot },
        BrIfNez { cond: Slot },
        BrIfEqz { cond: Slot },
        BrI32Eq { a: Slot, b: Slot }, BrI32Ne { a: Slot, b: Slot },
        BrI32LtS { a: Slot, b: Slot }, BrI32LtU { a: Slot, b: Slot },
        BrI32GtS { a: Slot, b: Slot }, BrI32GtU { a: Slot, b: Slot },
        BrI32LeS { a: Slot, b: Slot }, BrI32LeU { a: Slot, b: Slot },
        BrI32GeS { a: Slot, b: Slot }, BrI32GeU { a: Slot, b: Slot },
        BrI32EqImm { a: Slot, imm: i32 }, BrI32NeImm { a: Slot, imm: i32 },
        BrI32LtSImm { a: Slot, imm: i32 }, BrI32LtUImm { a: Slot, imm: i32 },
        BrI32GtSImm { a: Slot, imm: i32 }, BrI32GtUImm { a: Slot, imm: i32 },
        BrI32LeSImm { a: Slot, imm: i32 }, BrI32LeUImm { a: Slot, imm: i32 },
        BrI32GeSImm { a: Slot, imm: i32 }, BrI32GeUImm { a: Slot, imm: i32 },
        /// Branches if `a & imm` is not (is) 0: an `i32.and` with a
        /// constant fused into the `br_if` on it (a flag test).
        BrI32AndNezImm { a: Slot, imm: i32 }, BrI32AndEqzImm { a: Slot, imm: i32 },
        BrI64Eq { a: Slot, b: Slot }, BrI64Ne { a: Slot, b: Slot },
        BrI64LtS { a: Slot, b: Slot }, BrI64LtU { a: Slot, b: Slot },
        BrI64GtS { a: Slot, b: Slot }, BrI64GtU { a: Slot, b: Slot },
        BrI64LeS { a: Slot, b: Slot }, BrI64LeU { a: Slot, b: Slot },
        BrI64GeS { a: Slot, b: Slot }, BrI64GeU { a: Slot, b: Slot },
        BrI64Eqz { a: Slot }, BrI64Nez { a: Slot },
        BrF64Lt { a: Slot, b: Slot }, BrF64Gt { a: Slot, b: Slot },
        BrF64Le { a: Slot, b: Slot }, BrF64Ge { a: Slot, b: Slot },
        /// Taken when the comparison is false (also when an operand is NaN).
        BrF64NotLt { a: Slot, b: Slot }, BrF64NotGt { a: Slot, b: Slot },
        BrF64NotLe { a: Slot, b: Slot }, BrF64NotGe { a: Slot, b: Slot },
        /// Branches if `(x + y) op b` (`f64`; `Not*` when the comparison is
        /// false): an `f64.add` fused into the compare-and-branch on its sum.
        BrF64AddLt { x: u16, y: u16, b: u16 }, BrF64AddGt { x: u16, y: u16, b: u16 },
        BrF64AddLe { x: u16, y: u16, b: u16 }, BrF64AddGe { x: u16, y: u16, b: u16 },
        BrF64AddNotLt { x: u16, y: u16, b: u16 }, BrF64AddNotGt { x: u16, y: u16, b: u16 },
        BrF64AddNotLe { x: u16, y: u16, b: u16 }, BrF64AddNotGe { x: u16, y: u16, b: u16 },
        /// Branches if the byte at `addr + offset` is (is not) `cmp` (a
        /// fused `i32.load8_u`, compare and branch).
        BrLoad8UEqImm { addr: u16, cmp: u16, offset: u32 },
        BrLoad8UNeImm { addr: u16, cmp: u16, offset: u32 },
        /// Branches if the byte at `addr + offset` is (is not) the value
        /// of slot `b`.
        BrLoad8UEq { addr: u16, b: u16, offset: u32 },
        BrLoad8UNe { addr: u16, b: u16, offset: u32 },
        /// As `BrLoad8UEqImm`, the byte at `(a + imm) mod 2^32`.
        BrLoad8UWEqImm { a: u16, cmp: u16, imm: i32 },
        BrLoad8UWNeImm { a: u16, cmp: u16, imm: i32 },
        /// Adds `imm` to slot `a` in place and branches if the result is non-zero.
        AddImmBrNez { a: Slot, imm: i32 },
        /// Adds `add` to slot `x` in place, then as `AddImmBrNez` (`i32`).
        AddImm2BrNez { x: u16, add: i16, a: u16, imm: i16 },
        /// Adds `add` to slot `x` in place, then branches if `a op b` (a
        /// loop's `i += k; if (i < n) continue`, or `p += 4` next to it).
        AddBrI32Eq { x: u16, a: u16, b: u16, add: i16 }, AddBrI32Ne { x: u16, a: u16, b: u16, add: i16 },
        AddBrI32LtS { x: u16, a: u16, b: u16, add: i16 }, AddBrI32LtU { x: u16, a: u16, b: u16, add: i16 },
        AddBrI32GtS { x: u16, a: u16, b: u16, add: i16 }, AddBrI32GtU { x: u16, a: u16, b: u16, add: i16 },
        AddBrI32LeS { x: u16, a: u16, b: u16, add: i16 }, AddBrI32LeU { x: u16, a: u16, b: u16, add: i16 },
        AddBrI32GeS { x: u16, a: u16, b: u16, add: i16 }, AddBrI32GeU { x: u16, a: u16, b: u16, add: i16 },
        /// Adds slot `y` to slot `x` in place (`i64`), then branches if
        /// `a op b` (`i64`).
        AddBrI64Eq { x: u16, y: u16, a: u16, b: u16 }, AddBrI64Ne { x: u16, y: u16, a: u16, b: u16 },
        AddBrI64LtS { x: u16, y: u16, a: u16, b: u16 }, AddBrI64LtU { x: u16, y: u16, a: u16, b: u16 },
        AddBrI64GtS { x: u16, y: u16, a: u16, b: u16 }, AddBrI64GtU { x: u16, y: u16, a: u16, b: u16 },
        AddBrI64LeS { x: u16, y: u16, a: u16, b: u16 }, AddBrI64LeU { x: u16, y: u16, a: u16, b: u16 },
        AddBrI64GeS { x: u16, y: u16, a: u16, b: u16 }, AddBrI64GeU { x: u16, y: u16, a: u16, b: u16 },
        /// Adds `add` to slot `x` in place (`i64`), then branches if `a op b` (`i64`).
        AddImmBrI64Eq { x: u16, a: u16, b: u16, add: i16 }, AddImmBrI64Ne { x: u16, a: u16, b: u16, add: i16 },
        AddImmBrI64LtS { x: u16, a: u16, b: u16, add: i16 }, AddImmBrI64LtU { x: u16, a: u16, b: u16, add: i16 },
        AddImmBrI64GtS { x: u16, a: u16, b: u16, add: i16 }, AddImmBrI64GtU { x: u16, a: u16, b: u16, add: i16 },
        AddImmBrI64LeS { x: u16, a: u16, b: u16, add: i16 }, AddImmBrI64LeU { x: u16, a: u16, b: u16, add: i16 },
        AddImmBrI64GeS { x: u16, a: u16, b: u16, add: i16 }, AddImmBrI64GeU { x: u16, a: u16, b: u16, add: i16 },
        /// Adds `add` to slot `a` in place, then branches if `a op imm`.
        AddBrI32EqImm { a: u16, add: i16, imm: i32 }, AddBrI32NeImm { a: u16, add: i16, imm: i32 },
        AddBrI32LtSImm { a: u16, add: i16, imm: i32 }, AddBrI32LtUImm { a: u16, add: i16, imm: i32 },
        AddBrI32GtSImm { a: u16, add: i16, imm: i32 }, AddBrI32GtUImm { a: u16, add: i16, imm: i32 },
        AddBrI32LeSImm { a: u16, add: i16, imm: i32 }, AddBrI32LeUImm { a: u16, add: i16, imm: i32 },
        AddBrI32GeSImm { a: u16, add: i16, imm: i32 }, AddBrI32GeUImm { a: u16, add: i16, imm: i32 },
    }
    others {
        /// Copies slot `x` to slot `old`, then adds `imm` to slot `x` in
        /// place (`i32`): a post-increment, `old = x++`.
        I32PostAddImm { x: u16, old: u16, imm: i32 },
        /// `x += y`, then `z += imm` (`i32`): two induction variables
        /// stepped one after the other, as in `j += d; d += 2`.
        I32AddAddImm { imm: i16, x: Slot, y: Slot, z: Slot },
        /// Two copies in a row, for slots that fit in 16 bits.
        Copy2 { dst1: u16, src1: u16, dst2: u16, src2: u16 },
        /// Copies the byte at slot `from` plus `offset` (`CopyByteW`: at
        /// `(from + imm) mod 2^32`) to where its `Arg { a: to, b: x, c: w }`
        /// says: slot `to` plus `x` (`w` 0) or `(to + x) mod 2^32` (`w` 1).
        CopyByte { from: Slot, offset: u32 }, CopyByteW { from: Slot, imm: i32 },
        /// Stores (`i32`) slot `a` if `x op y` else slot `b` at slot
        /// `addr` plus `offset`; followed by `Arg { a: x, b: y, c: addr }`.
        SelectI32EqStore { a: Slot, b: Slot, offset: u32 }, SelectI32LtSStore { a: Slot, b: Slot, offset: u32 },
        SelectI32GtSStore { a: Slot, b: Slot, offset: u32 }, SelectI32LtUStore { a: Slot, b: Slot, offset: u32 },
        SelectI32GtUStore { a: Slot, b: Slot, offset: u32 },
        /// Extra operands of the preceding op; never executed.
        Arg { a: u32, b: u32, c: u32 },
        Unreachable { },
        /// Followed by `len + 1` `Br` ops; index `i` jumps to entry `min(i, len)`.
        BrTable { index: Slot, len: u32 },
        /// `BrTable` on the byte at `addr + offset` (a fused `i32.load8_u`).
        BrTableByte { addr: Slot, offset: u32, len: u32 },
        /// Adds `add` to slot `x` in place, then as `BrTableByte`.
        BrTableByteStep { addr: u16, offset: u32, x: u16, add: i16, len: u16 },
        /// `BrTable` on `(index + imm) mod 2^32` (a fused `i32.add` of a constant).
        BrTableImm { index: Slot, imm: i32, len: u32 },
        /// `BrTableImm` on the byte at `addr + offset` (a switch on a
        /// letter: `s[k] - 'a'`).
        BrTableByteImm { addr: u16, imm: i16, offset: u32, len: u32 },
        /// Results are already in slots `0..`.
        Return { },
        /// Copies slot `src` to slot 0 and returns (the copy of a single
        /// result fused into the `Return` after it).
        ReturnSlot { src: Slot },
        /// The callee's frame starts at `base`, where the arguments are.
        Call { func: u32, base: Slot },
        /// Followed by `Arg { a: table }`.
        CallIndirect { type_index: u32, index: Slot, base: Slot },
        GlobalSet { index: u32, src: Slot },
        GlobalSet128 { index: u32, src: Slot },
        /// Stores at `(addr + imm) mod 2^32` (a fused `i32.add` with an offset-0 store).
        I32StoreW { addr: Slot, value: Slot, imm: i32 },
        I64StoreW { addr: Slot, value: Slot, imm: i32 },
        I32Store8W { addr: Slot, value: Slot, imm: i32 },
        /// Stores, then adds slot `step` to slot `addr` in place (a pointer
        /// stepped after each store).
        I32StoreStep { addr: u16, value: u16, step: u16, offset: u32 },
        I64StoreStep { addr: u16, value: u16, step: u16, offset: u32 },
        I32Store8Step { addr: u16, value: u16, step: u16, offset: u32 },
        I32Store { addr: Slot, value: Slot, offset: u32 },
        I64Store { addr: Slot, value: Slot, offset: u32 },
        I32Store8 { addr: Slot, value: Slot, offset: u32 },
        I32Store16 { addr: Slot, value: Slot, offset: u32 },
        I64Store32 { addr: Slot, value: Slot, offset: u32 },
        V128Store { addr: Slot, value: Slot, offset: u32 },
        V128StoreLane { width: LaneWidth, lane: u8, addr: Slot, value: Slot, offset: u32 },
        MemoryFill { dst: Slot, value: Slot, len: Slot },
        MemoryCopy { dst: Slot, src: Slot, len: Slot },
        /// Followed by `Arg { a: len }`.
        MemoryInit { segment: u32, dst: Slot, src: Slot },
        DataDrop { segment: u32 },
        TableSet { table: u32, index: Slot, value: Slot },
        /// Followed by `Arg { a: len }`.
        TableFill { table: u32, index: Slot, value: Slot },
        /// Followed by `Arg { a: src, b: len }`.
        TableCopy { dst_table: u32, src_table: u32, dst: Slot },
        /// Followed by `Arg { a: src, b: len }`.
        TableInit { segment: u32, table: u32, dst: Slot },
        ElemDrop { segment: u32 },
    }
}

const _: () = assert!(std::mem::size_of::<Op>() == 16);

/// A translated function, ready to execute.
pub(crate) struct CompiledFunc {
    pub code: Box<[Op]>,
    /// Slots the frame needs, locals and operand stack together.
    pub frame_size: u32,
    /// Slots taken by the parameters.
    pub param_slots: u32,
    /// Initial contents of the slots after the parameters: zeroed locals,
    /// then the constant slots, then zeroes up to a whole number of groups
    /// of `translate::INIT_GROUP` slots (all inside the frame).
    pub init: Box<[u64]>,
    /// `v128` constants and shuffle lane selectors.
    pub consts: Box<[u128]>,
    /// (first op index, module offset) of each wasm operator that emitted
    /// ops, by ascending op index: read only for backtraces (see `trace`).
    pub offsets: Box<[(u32, u32)]>,
}

impl Op {
    /// The op's tag.
    #[inline(always)]
    pub fn code(&self) -> OpCode {
        // SAFETY: `Op` is `repr(u16)`, so every variant starts with its tag,
        // a `u16` whose values are exactly `OpCode`'s (same variants, same order).
        unsafe { *(self as *const Op as *const OpCode) }
    }
}
