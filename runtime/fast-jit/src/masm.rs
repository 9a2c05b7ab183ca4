//! The interface between the target-independent code generator and a
//! target backend: a macro-assembler over abstract registers.
//!
//! The code generator ([`crate::codegen`]) owns the value stack, the
//! register allocation and the control flow; it asks the backend for
//! instructions at the level of single wasm operations on registers,
//! immediates and memory operands. A backend is one implementation of
//! [`MacroAssembler`] (x86-64 today, [`crate::x64`]); a new target is one
//! new implementation, not a new code generator.

use kiln_format::TrapCode;
use wasmparser::Operator;

/// A machine register, numbered by the backend. General-purpose registers
/// are `0..16`, floating-point/vector registers `16..32`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Reg(pub u8);

impl Reg {
    /// Whether this is a floating-point/vector register.
    pub fn is_fpr(self) -> bool {
        self.0 >= 16
    }

    /// The register's bit in a [`RegSet`].
    pub fn bit(self) -> u32 {
        1 << self.0
    }
}

/// A set of registers, one bit per [`Reg`] number.
pub type RegSet = u32;

/// The machine type of a value: wasm's value types with references as
/// pointer-sized integers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// 32-bit integer, kept zero-extended in 64-bit registers.
    I32,
    /// 64-bit integer or reference.
    I64,
    /// 32-bit float.
    F32,
    /// 64-bit float.
    F64,
    /// 128-bit vector.
    V128,
}

impl Kind {
    /// The kind of a wasm value type.
    pub fn of(ty: wasmparser::ValType) -> Kind {
        match ty {
            wasmparser::ValType::I32 => Kind::I32,
            wasmparser::ValType::I64 | wasmparser::ValType::Ref(_) => Kind::I64,
            wasmparser::ValType::F32 => Kind::F32,
            wasmparser::ValType::F64 => Kind::F64,
            wasmparser::ValType::V128 => Kind::V128,
        }
    }

    /// Whether values of this kind live in floating-point registers.
    pub fn is_float(self) -> bool {
        matches!(self, Kind::F32 | Kind::F64 | Kind::V128)
    }

    /// Whether this is a 64-bit scalar (`I64` or `F64`).
    pub fn is_64(self) -> bool {
        matches!(self, Kind::I64 | Kind::F64)
    }
}

/// A memory operand: `base + index + disp`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mem {
    /// Base register.
    pub base: Reg,
    /// Index register added to the base (zero-extended 32-bit for wasm addresses).
    pub index: Option<Reg>,
    /// Displacement.
    pub disp: i32,
}

impl Mem {
    /// `[base + disp]`.
    pub fn at(base: Reg, disp: i32) -> Mem {
        Mem {
            base,
            index: None,
            disp,
        }
    }
}

/// The second operand of a binary integer operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operand {
    /// A register.
    Reg(Reg),
    /// A sign-extended 32-bit immediate.
    Imm(i32),
}

/// A branch target inside one function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Label(pub u32);

/// A condition on the flags set by the last compare.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cond {
    /// Integer equal.
    Eq,
    /// Integer not equal.
    Ne,
    /// Signed less than.
    LtS,
    /// Unsigned less than.
    LtU,
    /// Signed greater than.
    GtS,
    /// Unsigned greater than.
    GtU,
    /// Signed less or equal.
    LeS,
    /// Unsigned less or equal.
    LeU,
    /// Signed greater or equal.
    GeS,
    /// Unsigned greater or equal.
    GeU,
    /// Float equal (ordered).
    FEq,
    /// Float not equal (or unordered).
    FNe,
}

impl Cond {
    /// The condition that holds exactly when `self` does not.
    pub fn negate(self) -> Cond {
        use Cond::*;
        match self {
            Eq => Ne,
            Ne => Eq,
            LtS => GeS,
            LtU => GeU,
            GtS => LeS,
            GtU => LeU,
            LeS => GtS,
            LeU => GtU,
            GeS => LtS,
            GeU => LtU,
            FEq => FNe,
            FNe => FEq,
        }
    }
}

/// Binary integer operations with one result and no trap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntOp {
    Add,
    Sub,
    Mul,
    And,
    Or,
    Xor,
    Shl,
    ShrS,
    ShrU,
    Rotl,
    Rotr,
}

/// Integer division and remainder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DivOp {
    DivS,
    DivU,
    RemS,
    RemU,
}

/// Unary integer operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntUnOp {
    Clz,
    Ctz,
    Popcnt,
    /// Sign-extend the low 8 bits.
    Extend8S,
    /// Sign-extend the low 16 bits.
    Extend16S,
    /// Sign-extend the low 32 bits (64-bit only).
    Extend32S,
}

/// Binary float operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FloatOp {
    Add,
    Sub,
    Mul,
    Div,
    Min,
    Max,
    Copysign,
}

/// Unary float operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FloatUnOp {
    Abs,
    Neg,
    Sqrt,
    Ceil,
    Floor,
    Trunc,
    Nearest,
}

/// Loads from linear memory, by width and extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoadKind {
    /// A full-width load of the kind.
    Full(Kind),
    /// 8-bit, sign-extended to 32 or 64 bits (`true`: 64).
    I8S(bool),
    /// 8-bit, zero-extended.
    I8U(bool),
    /// 16-bit, sign-extended.
    I16S(bool),
    /// 16-bit, zero-extended.
    I16U(bool),
    /// 32-bit into a 64-bit register, sign-extended.
    I32S,
    /// 32-bit into a 64-bit register, zero-extended.
    I32U,
}

impl LoadKind {
    /// Bytes read.
    pub fn width(self) -> u32 {
        match self {
            LoadKind::Full(k) => match k {
                Kind::I32 | Kind::F32 => 4,
                Kind::I64 | Kind::F64 => 8,
                Kind::V128 => 16,
            },
            LoadKind::I8S(_) | LoadKind::I8U(_) => 1,
            LoadKind::I16S(_) | LoadKind::I16U(_) => 2,
            LoadKind::I32S | LoadKind::I32U => 4,
        }
    }
}

/// Conversions between kinds that cannot trap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Convert {
    /// `i32.wrap_i64`.
    Wrap,
    /// `i64.extend_i32_s`.
    ExtendS,
    /// `i64.extend_i32_u`.
    ExtendU,
    /// `f32.demote_f64`.
    Demote,
    /// `f64.promote_f32`.
    Promote,
    /// Signed integer (of the source kind) to float (of the destination kind).
    IntToFloatS,
    /// Unsigned integer to float.
    IntToFloatU,
    /// Bit pattern of a float as an integer, or the reverse.
    Reinterpret,
    /// Saturating float to signed integer.
    TruncSatS,
    /// Saturating float to unsigned integer.
    TruncSatU,
}

/// The trap stubs an operation may jump to: (first, second), as each
/// operation documents (division: by zero, overflow; truncation: NaN,
/// out of range).
#[derive(Clone, Copy, Debug)]
pub struct TrapLabels(pub Label, pub Label);

/// Where an argument or result of a native call lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgLoc {
    /// In a register.
    Reg(Reg),
    /// On the stack at this offset from the stack pointer at the call
    /// (from the frame base `[fp + offset]` on the callee's side).
    Stack(u32),
}

/// The native calling convention of a target, for wasm functions,
/// trampolines and runtime calls (SPEC.md section 5: the C convention).
pub struct CallLayout {
    /// Where each argument goes, in order.
    pub args: Vec<ArgLoc>,
    /// Bytes of stack the arguments need (a multiple of 16).
    pub stack_bytes: u32,
}

/// The native argument kinds of a wasm function of type `ty` (SPEC.md
/// section 5): the context, the parameters, and a return-area pointer when
/// there are several results.
pub fn abi_kinds(ty: &wasmparser::FuncType) -> Vec<Kind> {
    let mut kinds = vec![Kind::I64];
    kinds.extend(ty.params().iter().map(|t| Kind::of(*t)));
    if ty.results().len() > 1 {
        kinds.push(Kind::I64);
    }
    kinds
}

/// A place in the code to patch once the frame size is known.
#[derive(Clone, Copy, Debug)]
pub struct FramePatch(pub usize);

/// What the code generator needs from a target.
pub trait MacroAssembler {
    /// Registers the allocator hands out for values.
    const GPRS: &'static [Reg];
    /// Floating-point/vector registers the allocator hands out.
    const FPRS: &'static [Reg];
    /// Callee-saved registers for a function's most used integer locals.
    const LOCAL_GPRS: &'static [Reg];
    /// Caller-saved general-purpose registers for further integer locals
    /// used in loops (kept out of allocation, saved around calls; never
    /// parameters, which may arrive in them).
    const LOCAL_GPRS_CALLER_SAVED: &'static [Reg];
    /// Vector registers for a function's most used float locals (kept out
    /// of allocation; saved around calls when caller-saved).
    const LOCAL_FPRS: &'static [Reg];
    /// The register holding the function's `VMContext`.
    const VMCTX: Reg;
    /// The register holding the base of memory 0 (when the function uses it).
    const MEMBASE: Reg;
    /// The frame pointer; locals and spill slots are addressed from it.
    const FP: Reg;
    /// The stack pointer; outgoing stack arguments are addressed from it.
    const SP: Reg;
    /// Integer result register.
    const RET_GPR: Reg;
    /// Float/vector result register.
    const RET_FPR: Reg;
    /// A general-purpose register that carries no argument: holds a
    /// callee's address while the arguments are placed.
    const CALL_TARGET: Reg;

    /// The native locations of arguments of these kinds.
    fn call_layout(kinds: &[Kind]) -> CallLayout;
    /// Where callee-side stack arguments start, from the frame pointer.
    fn incoming_stack_base() -> u32;
    /// Registers an integer operation needs for itself (evicted first).
    fn fixed_regs_int(op: IntOp, rhs_is_imm: bool) -> RegSet;
    /// Registers a division needs for itself.
    fn fixed_regs_div() -> RegSet;

    /// Bytes emitted so far.
    fn offset(&self) -> usize;
    /// A new unbound label.
    fn new_label(&mut self) -> Label;
    /// Binds `label` to the current offset.
    fn bind(&mut self, label: Label);
    /// Pads with no-ops to a multiple of `align` bytes.
    fn align_code(&mut self, align: usize);
    /// Resolves every branch and returns the code.
    fn finish(&mut self) -> Vec<u8>;
    /// Resolves the branches of a finished function, so that its labels'
    /// bookkeeping can be dropped: labels made before are invalid after.
    fn end_function(&mut self);

    /// Function entry: saves `saved`, reserves a frame (patched later) and,
    /// given `(offset, overflow)`, checks the frame's lowest address
    /// against the stack limit at `offset` in the context that arrives as
    /// the first argument, jumping to `overflow` when it is below.
    fn prologue(&mut self, saved: &[Reg], stack_check: Option<(i32, Label)>) -> FramePatch;
    /// Sets the frame size (bytes below the saved registers) reserved at `patch`.
    fn patch_frame(&mut self, patch: FramePatch, saved: usize, frame: u32);
    /// Restores `saved` and returns.
    fn epilogue(&mut self, saved: &[Reg]);
    /// A trap stub: aligns the stack and calls `trap_fn(vmctx, code)`.
    fn trap_stub(&mut self, trap_fn: usize, code: TrapCode);
    /// A trap stub whose code is in the integer result register.
    fn trap_stub_dynamic(&mut self, trap_fn: usize);

    /// `dst = src` for values of `kind`.
    fn mov(&mut self, kind: Kind, dst: Reg, src: Reg);
    /// `dst = bits`, without touching the flags.
    fn mov_const(&mut self, kind: Kind, dst: Reg, bits: u128);
    /// `dst = [mem]`.
    fn load(&mut self, kind: LoadKind, dst: Reg, mem: Mem);
    /// `[mem] = src`, the low `width` bytes.
    fn store(&mut self, width: u32, mem: Mem, src: Reg);
    /// `[dst] = [src]` for a value of `kind`, without touching the flags.
    fn mem_copy(&mut self, kind: Kind, dst: Mem, src: Mem);
    /// `[mem] = bits` for a value of `kind`, without touching the flags.
    fn store_const(&mut self, kind: Kind, mem: Mem, bits: u128);
    /// `dst = address of mem`.
    fn lea(&mut self, dst: Reg, mem: Mem);
    /// `dst = zero-extended 32-bit src` (64-bit index from a wasm address).
    fn zero_extend_32(&mut self, dst: Reg, src: Reg);

    /// `dst = lhs op rhs` (64-bit when `wide`).
    fn int_op(&mut self, op: IntOp, wide: bool, dst: Reg, lhs: Reg, rhs: Operand);
    /// `dst = lhs op rhs` with the traps of division.
    fn int_div(&mut self, op: DivOp, wide: bool, dst: Reg, lhs: Reg, rhs: Reg, traps: TrapLabels);
    /// `dst = op src`.
    fn int_unop(&mut self, op: IntUnOp, wide: bool, dst: Reg, src: Reg);
    /// Compares `lhs` with `rhs`, setting the flags.
    fn int_cmp(&mut self, wide: bool, lhs: Reg, rhs: Operand);
    /// Tests `src` against zero, setting the flags.
    fn int_test(&mut self, wide: bool, src: Reg);
    /// Compares floats, setting the flags as an unsigned compare of `lhs`
    /// with `rhs` would, where "unordered" satisfies only `LtU`, `LeU` and
    /// `FNe`: so `GtU`, `GeU` and `FEq` are the ordered tests.
    fn float_cmp(&mut self, wide: bool, lhs: Reg, rhs: Reg);
    /// `dst = cond ? 1 : 0` (32-bit).
    fn set_cond(&mut self, cond: Cond, dst: Reg);
    /// `dst = cond ? src : dst` for integers (not for `FEq`/`FNe`).
    fn cmov(&mut self, cond: Cond, wide: bool, dst: Reg, src: Reg);

    /// `dst = lhs op rhs` for floats.
    fn float_op(&mut self, op: FloatOp, wide: bool, dst: Reg, lhs: Reg, rhs: Reg);
    /// `dst = op src` for floats.
    fn float_unop(&mut self, op: FloatUnOp, wide: bool, dst: Reg, src: Reg);
    /// Conversions (`from` and `to` give the kinds).
    fn convert(&mut self, op: Convert, from: Kind, to: Kind, dst: Reg, src: Reg);
    /// Trapping float-to-int truncation.
    fn trunc(&mut self, signed: bool, from: Kind, to: Kind, dst: Reg, src: Reg, traps: TrapLabels);

    /// Unconditional jump.
    fn jump(&mut self, target: Label);
    /// Jump when `cond` holds.
    fn jump_if(&mut self, cond: Cond, target: Label);
    /// Jump through a table: `targets[index]`, or `default` when out of range.
    fn jump_table(&mut self, index: Reg, targets: &[Label], default: Label);
    /// Calls the code whose address is in `target`.
    fn call_reg(&mut self, target: Reg);
    /// Calls the absolute address `addr`.
    fn call_abs(&mut self, addr: usize);
    /// Jumps to the address held at `slot` when it is not zero (a
    /// function's first instruction: tiered-up code takes over with the
    /// arguments untouched). Uses only scratch registers.
    fn jump_if_set(&mut self, slot: usize);
    /// Decrements the `i32` at `counter`; jumps to `hot` if it went below
    /// zero.
    fn count_down(&mut self, counter: usize, hot: Label);
    /// Jumps to `target` when the `u32` at `addr` equals `value`. Uses only
    /// scratch registers.
    fn jump_if_u32_eq(&mut self, addr: usize, value: u32, target: Label);

    /// A lazy-compile stub for function `index`: passes the index to the
    /// shared entry at `common`.
    fn lazy_stub(&mut self, index: u32, common: Label);
    /// The shared entry of the stubs: saves the argument registers, calls
    /// `compile_fn(vmctx, index)`, restores them and jumps to the code it
    /// returns, as if the caller had called that code.
    fn lazy_common(&mut self, compile_fn: usize);

    // SIMD, by shape. Each selects instructions for the wasm operator `op`
    // and returns false for an operator it does not implement. `dst` is a
    // fresh register distinct from every input; `tmp` is a free vector
    // register the operation may clobber; inputs are left unchanged.

    /// `v128 -> v128`.
    fn simd_unary(&mut self, op: &Operator<'_>, dst: Reg, src: Reg, tmp: Reg) -> bool;
    /// `v128, v128 -> v128`.
    fn simd_binary(&mut self, op: &Operator<'_>, dst: Reg, lhs: Reg, rhs: Reg, tmp: Reg) -> bool;
    /// `v128, v128, v128 -> v128`.
    fn simd_ternary(&mut self, op: &Operator<'_>, dst: Reg, v: [Reg; 3], tmp: Reg) -> bool;
    /// `v128, i32 -> v128`: shifts by a register or constant amount.
    fn simd_shift(
        &mut self,
        op: &Operator<'_>,
        dst: Reg,
        src: Reg,
        amount: Operand,
        tmp: Reg,
    ) -> bool;
    /// `v128 -> i32` into a general-purpose `dst`.
    fn simd_test(&mut self, op: &Operator<'_>, dst: Reg, src: Reg, tmp: Reg) -> bool;
    /// Scalar (general-purpose or float register) -> `v128`.
    fn simd_splat(&mut self, op: &Operator<'_>, dst: Reg, src: Reg) -> bool;
    /// `v128` -> scalar in `dst` (general-purpose or float register).
    fn simd_extract(&mut self, op: &Operator<'_>, dst: Reg, src: Reg) -> bool;
    /// `v128`, scalar -> `v128`.
    fn simd_replace(&mut self, op: &Operator<'_>, dst: Reg, vec: Reg, scalar: Reg) -> bool;
    /// Loads from memory into `dst` (all `v128.load*` forms except lanes).
    fn simd_load(&mut self, op: &Operator<'_>, dst: Reg, mem: Mem) -> bool;
    /// `dst = vec` with one lane loaded from memory.
    fn simd_load_lane(&mut self, op: &Operator<'_>, dst: Reg, vec: Reg, mem: Mem) -> bool;
    /// Stores one lane of `src` to memory.
    fn simd_store_lane(&mut self, op: &Operator<'_>, mem: Mem, src: Reg) -> bool;
}
