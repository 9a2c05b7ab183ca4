//! The executor: one loop dispatching on [`Op`], with its own call stack.
//!
//! Wasm calls never recurse on the Rust stack: a call pushes a [`Frame`]
//! record and switches `code`, `pc` and `fp`; a return pops one. The value
//! stack is a slice of 64-bit slots handed in by the caller; running out of
//! it (or of frame records) is the "call stack exhausted" trap.

pub(crate) mod bulk;
mod host;
mod numeric;
mod slots;
mod vector;

pub(crate) use host::HostBuffers;

use super::code::{CompiledFunc, Op};
use super::num;
use crate::error::Trap;
use crate::func::{FuncEntity, FuncKind};
use crate::instance::{Instance, InstanceEntity};
use crate::store::StoreOpaque;
use crate::vm::memory::WASM_PAGE;
use crate::vm::table::Table;
use crate::vm::LinearMemory;
use kiln_format::TrapCode;
use numeric::*;
use slots::*;
use std::ptr;

struct Frame {
    code: *const Op,
    consts: *const u128,
    pc: *const Op,
    fp: *mut u64,
    inst: *mut InstanceEntity,
}

/// What one activation of the executor needs from its caller.
pub(crate) struct ExecEnv<'a> {
    pub store: *mut StoreOpaque,
    pub erased: *mut (),
    pub host: &'a mut HostBuffers,
    pub max_frames: usize,
}

/// The translated code of defined function `def` of `inst`, translating it on first use.
///
/// # Safety
/// `inst` must point to a live instance.
pub(crate) unsafe fn compiled(
    inst: *mut InstanceEntity,
    def: u32,
) -> Result<*const CompiledFunc, Trap> {
    super::translated(&(&*inst).module.inner, def).map(|c| c as *const CompiledFunc)
}

unsafe fn memory_of(inst: *mut InstanceEntity) -> *mut LinearMemory {
    if (&*inst).module.inner.memories.is_empty() {
        ptr::null_mut()
    } else {
        (&*inst).vmctx.memory(0) as *mut LinearMemory
    }
}

unsafe fn table_of(inst: *mut InstanceEntity, index: u32) -> *mut Table {
    (&*inst).vmctx.table(index) as *mut Table
}

unsafe fn global_of(inst: *mut InstanceEntity, index: u32) -> *mut u64 {
    (&*inst).vmctx.global(index) as *mut u64
}

/// Runs wasm function `entry` with its arguments in `stack[0..]`, leaving
/// its results there.
///
/// # Safety
/// `env` must describe the live store owning `entry`; `entry` must be a wasm
/// function; no reference into the store may be live during the call.
// `!(a < b)` on floats is deliberate: the negated branches must be taken for NaN.
#[allow(clippy::neg_cmp_op_on_partial_ord)]
pub(crate) unsafe fn execute(
    env: &mut ExecEnv<'_>,
    entry: *const FuncEntity,
    stack: &mut [u64],
) -> Result<(), Trap> {
    let FuncKind::Wasm {
        instance,
        def_index,
    } = (*entry).kind
    else {
        unreachable!("execute on a host function")
    };
    let mut inst = instance;
    let cf = compiled(inst, def_index)?;
    if (*cf).frame_size as usize > stack.len() {
        return Err(TrapCode::StackOverflow.into());
    }
    let stack_end = stack.as_mut_ptr().add(stack.len());
    let mut fp = stack.as_mut_ptr();
    zero_locals(fp, &*cf);
    let mut code: *const Op = (*cf).code.as_ptr();
    let mut consts: *const u128 = (*cf).consts.as_ptr();
    let mut pc = code;
    let mut frames: Vec<Frame> = Vec::with_capacity(64);
    let mut mem = memory_of(inst);
    let (mut mem_base, mut mem_len) = mem_view(mem);

    macro_rules! trap {
        ($code:expr) => {
            return Err(Trap::from($code))
        };
    }
    macro_rules! tri {
        ($e:expr) => {
            match $e {
                Ok(v) => v,
                Err(c) => return Err(Trap::from(c)),
            }
        };
    }
    macro_rules! addr {
        ($addr:expr, $offset:expr, $size:expr) => {{
            let ea = g32(fp, $addr) as usize + $offset as usize;
            if ea + $size > mem_len {
                trap!(TrapCode::MemoryOutOfBounds);
            }
            mem_base.add(ea)
        }};
    }
    macro_rules! load_u64 {
        ($ea:expr) => {{
            let ea: usize = $ea;
            if ea + 8 > mem_len {
                trap!(TrapCode::MemoryOutOfBounds);
            }
            u64::from_le(ptr::read_unaligned(mem_base.add(ea) as *const u64))
        }};
    }
    macro_rules! load {
        ($dst:expr, $a:expr, $b:expr, $shift:expr, $t:ty, $set:ident, $($conv:ty),+; index) => {{
            let ea = g32(fp, $a).wrapping_add(g32(fp, $b) << $shift) as usize;
            if ea + std::mem::size_of::<$t>() > mem_len {
                trap!(TrapCode::MemoryOutOfBounds);
            }
            let v = <$t>::from_le(ptr::read_unaligned(mem_base.add(ea) as *const $t));
            $set(fp, $dst, v $(as $conv)+);
        }};
        ($dst:expr, $a:expr, $imm:expr, $t:ty, $set:ident, $($conv:ty),+; wrap) => {{
            let ea = g32(fp, $a).wrapping_add($imm as u32) as usize;
            if ea + std::mem::size_of::<$t>() > mem_len {
                trap!(TrapCode::MemoryOutOfBounds);
            }
            let v = <$t>::from_le(ptr::read_unaligned(mem_base.add(ea) as *const $t));
            $set(fp, $dst, v $(as $conv)+);
        }};
        ($dst:expr, $addr:expr, $offset:expr, $t:ty, $set:ident, $($conv:ty),+) => {{
            let p = addr!($addr, $offset, std::mem::size_of::<$t>());
            let v = <$t>::from_le(ptr::read_unaligned(p as *const $t));
            $set(fp, $dst, v $(as $conv)+);
        }};
    }
    macro_rules! store {
        ($a:expr, $value:expr, $imm:expr, $t:ty; wrap) => {{
            let v = g64(fp, $value) as $t;
            let ea = g32(fp, $a).wrapping_add($imm as u32) as usize;
            if ea + std::mem::size_of::<$t>() > mem_len {
                trap!(TrapCode::MemoryOutOfBounds);
            }
            ptr::write_unaligned(mem_base.add(ea) as *mut $t, v.to_le());
        }};
        ($addr:expr, $value:expr, $offset:expr, $t:ty) => {{
            let v = g64(fp, $value) as $t;
            let p = addr!($addr, $offset, std::mem::size_of::<$t>());
            ptr::write_unaligned(p as *mut $t, v.to_le());
        }};
    }
    macro_rules! arg {
        () => {{
            let Op::Arg { a, b, c } = *pc else {
                unreachable!("missing Arg word")
            };
            pc = pc.add(1);
            (a, b, c)
        }};
    }
    macro_rules! enter {
        ($callee:expr, $base:expr) => {{
            let callee: *const FuncEntity = $callee;
            let args = fp.add($base as usize);
            match &(*callee).kind {
                FuncKind::Wasm { .. } if !(*callee).vmref.array_call.is_null() => {
                    host::call_compiled(env.store, env.erased, env.host, callee, args)?;
                    (mem_base, mem_len) = mem_view(mem);
                }
                FuncKind::Wasm {
                    instance,
                    def_index,
                } => {
                    let cf = compiled(*instance, *def_index)?;
                    if args.add((*cf).frame_size as usize) > stack_end
                        || frames.len() >= env.max_frames
                    {
                        trap!(TrapCode::StackOverflow);
                    }
                    frames.push(Frame {
                        code,
                        consts,
                        pc,
                        fp,
                        inst,
                    });
                    fp = args;
                    zero_locals(fp, &*cf);
                    code = (*cf).code.as_ptr();
                    consts = (*cf).consts.as_ptr();
                    pc = code;
                    if *instance != inst {
                        inst = *instance;
                        mem = memory_of(inst);
                    }
                    (mem_base, mem_len) = mem_view(mem);
                }
                FuncKind::Host(_) => {
                    let caller = Some(Instance((&*inst).handle));
                    host::call_host(env.store, env.erased, env.host, callee, caller, args)?;
                    (mem_base, mem_len) = mem_view(mem);
                }
            }
        }};
    }

    #[cfg(feature = "interp-stats")]
    let mut executed: u64 = 0;
    loop {
        #[cfg(feature = "interp-stats")]
        {
            executed += 1;
            if matches!(*pc, Op::Return {}) && frames.is_empty() {
                eprintln!("kiln: interpreter ops executed: {executed}");
            }
        }
        let op = *pc;
        pc = pc.add(1);
        match op {
            Op::Arg { .. } => unreachable!("Arg words are skipped by their op"),
            Op::Unreachable {} => trap!(TrapCode::Unreachable),
            Op::Br { target } => pc = code.add(target as usize),
            Op::BrIfNez { target, cond } => {
                if g32(fp, cond) != 0 {
                    pc = code.add(target as usize);
                }
            }
            Op::BrIfEqz { target, cond } => {
                if g32(fp, cond) == 0 {
                    pc = code.add(target as usize);
                }
            }
            Op::BrI32Eq { target, a, b } => {
                if g32(fp, a) == g32(fp, b) {
                    pc = code.add(target as usize);
                }
            }
            Op::BrI32EqImm { target, a, imm } => {
                if g32(fp, a) == imm as u32 {
                    pc = code.add(target as usize);
                }
            }
            Op::BrI32Ne { target, a, b } => {
                if g32(fp, a) != g32(fp, b) {
                    pc = code.add(target as usize);
                }
            }
            Op::BrI32NeImm { target, a, imm } => {
                if g32(fp, a) != imm as u32 {
                    pc = code.add(target as usize);
                }
            }
            Op::BrI32LtS { target, a, b } => {
                if (g32(fp, a) as i32) < g32(fp, b) as i32 {
                    pc = code.add(target as usize);
                }
            }
            Op::BrI32LtSImm { target, a, imm } => {
                if (g32(fp, a) as i32) < imm {
                    pc = code.add(target as usize);
                }
            }
            Op::BrI32LtU { target, a, b } => {
                if g32(fp, a) < g32(fp, b) {
                    pc = code.add(target as usize);
                }
            }
            Op::BrI32LtUImm { target, a, imm } => {
                if g32(fp, a) < imm as u32 {
                    pc = code.add(target as usize);
                }
            }
            Op::BrI32GtS { target, a, b } => {
                if (g32(fp, a) as i32) > g32(fp, b) as i32 {
                    pc = code.add(target as usize);
                }
            }
            Op::BrI32GtSImm { target, a, imm } => {
                if (g32(fp, a) as i32) > imm {
                    pc = code.add(target as usize);
                }
            }
            Op::BrI32GtU { target, a, b } => {
                if g32(fp, a) > g32(fp, b) {
                    pc = code.add(target as usize);
                }
            }
            Op::BrI32GtUImm { target, a, imm } => {
                if g32(fp, a) > imm as u32 {
                    pc = code.add(target as usize);
                }
            }
            Op::BrI32LeS { target, a, b } => {
                if (g32(fp, a) as i32) <= g32(fp, b) as i32 {
                    pc = code.add(target as usize);
                }
            }
            Op::BrI32LeSImm { target, a, imm } => {
                if (g32(fp, a) as i32) <= imm {
                    pc = code.add(target as usize);
                }
            }
            Op::BrI32LeU { target, a, b } => {
                if g32(fp, a) <= g32(fp, b) {
                    pc = code.add(target as usize);
                }
            }
            Op::BrI32LeUImm { target, a, imm } => {
                if g32(fp, a) <= imm as u32 {
                    pc = code.add(target as usize);
                }
            }
            Op::BrI32GeS { target, a, b } => {
                if (g32(fp, a) as i32) >= g32(fp, b) as i32 {
                    pc = code.add(target as usize);
                }
            }
            Op::BrI32GeSImm { target, a, imm } => {
                if (g32(fp, a) as i32) >= imm {
                    pc = code.add(target as usize);
                }
            }
            Op::BrI32GeU { target, a, b } => {
                if g32(fp, a) >= g32(fp, b) {
                    pc = code.add(target as usize);
                }
            }
            Op::BrI32GeUImm { target, a, imm } => {
                if g32(fp, a) >= imm as u32 {
                    pc = code.add(target as usize);
                }
            }
            Op::BrI64Eq { target, a, b } => {
                if g64(fp, a) == g64(fp, b) {
                    pc = code.add(target as usize);
                }
            }
            Op::BrI64Ne { target, a, b } => {
                if g64(fp, a) != g64(fp, b) {
                    pc = code.add(target as usize);
                }
            }
            Op::BrI64LtS { target, a, b } => {
                if (g64(fp, a) as i64) < (g64(fp, b) as i64) {
                    pc = code.add(target as usize);
                }
            }
            Op::BrI64LtU { target, a, b } => {
                if g64(fp, a) < g64(fp, b) {
                    pc = code.add(target as usize);
                }
            }
            Op::BrI64GtS { target, a, b } => {
                if (g64(fp, a) as i64) > (g64(fp, b) as i64) {
                    pc = code.add(target as usize);
                }
            }
            Op::BrI64GtU { target, a, b } => {
                if g64(fp, a) > g64(fp, b) {
                    pc = code.add(target as usize);
                }
            }
            Op::BrI64LeS { target, a, b } => {
                if (g64(fp, a) as i64) <= (g64(fp, b) as i64) {
                    pc = code.add(target as usize);
                }
            }
            Op::BrI64LeU { target, a, b } => {
                if g64(fp, a) <= g64(fp, b) {
                    pc = code.add(target as usize);
                }
            }
            Op::BrI64GeS { target, a, b } => {
                if (g64(fp, a) as i64) >= (g64(fp, b) as i64) {
                    pc = code.add(target as usize);
                }
            }
            Op::BrI64GeU { target, a, b } => {
                if g64(fp, a) >= g64(fp, b) {
                    pc = code.add(target as usize);
                }
            }
            Op::BrF64Lt { target, a, b } => {
                if gf64(fp, a) < gf64(fp, b) {
                    pc = code.add(target as usize);
                }
            }
            Op::BrF64NotLt { target, a, b } => {
                if !(gf64(fp, a) < gf64(fp, b)) {
                    pc = code.add(target as usize);
                }
            }
            Op::BrF64Gt { target, a, b } => {
                if gf64(fp, a) > gf64(fp, b) {
                    pc = code.add(target as usize);
                }
            }
            Op::BrF64NotGt { target, a, b } => {
                if !(gf64(fp, a) > gf64(fp, b)) {
                    pc = code.add(target as usize);
                }
            }
            Op::BrF64Le { target, a, b } => {
                if gf64(fp, a) <= gf64(fp, b) {
                    pc = code.add(target as usize);
                }
            }
            Op::BrF64NotLe { target, a, b } => {
                if !(gf64(fp, a) <= gf64(fp, b)) {
                    pc = code.add(target as usize);
                }
            }
            Op::BrF64Ge { target, a, b } => {
                if gf64(fp, a) >= gf64(fp, b) {
                    pc = code.add(target as usize);
                }
            }
            Op::BrF64NotGe { target, a, b } => {
                if !(gf64(fp, a) >= gf64(fp, b)) {
                    pc = code.add(target as usize);
                }
            }
            Op::BrI64Eqz { target, a } => {
                if g64(fp, a) == 0 {
                    pc = code.add(target as usize);
                }
            }
            Op::BrI64Nez { target, a } => {
                if g64(fp, a) != 0 {
                    pc = code.add(target as usize);
                }
            }
            Op::AddImmBrNez { target, a, imm } => {
                let v = g32(fp, a).wrapping_add(imm as u32);
                s32(fp, a, v);
                if v != 0 {
                    pc = code.add(target as usize);
                }
            }
            Op::BrTable { index, len } => {
                let i = g32(fp, index).min(len);
                pc = pc.add(i as usize);
            }
            Op::Return {} => match frames.pop() {
                None => return Ok(()),
                Some(f) => {
                    code = f.code;
                    pc = f.pc;
                    fp = f.fp;
                    if f.inst != inst {
                        inst = f.inst;
                        mem = memory_of(inst);
                    }
                    consts = f.consts;
                    (mem_base, mem_len) = mem_view(mem);
                }
            },
            Op::Call { func, base } => {
                let callee = *(&*inst).func_refs.get_unchecked(func as usize) as *const FuncEntity;
                enter!(callee, base);
            }
            Op::CallIndirect {
                type_index,
                index,
                base,
            } => {
                let (table, _, _) = arg!();
                let t = table_of(inst, table);
                let i = g32(fp, index) as usize;
                let Some(&raw) = (*t).elements().get(i) else {
                    trap!(TrapCode::UndefinedElement)
                };
                if raw == 0 {
                    trap!(TrapCode::UninitializedElement);
                }
                let callee = raw as *const FuncEntity;
                if (*callee).vmref.type_id != *(&*inst).sig_ids.get_unchecked(type_index as usize) {
                    trap!(TrapCode::IndirectCallTypeMismatch);
                }
                enter!(callee, base);
            }

            Op::Copy { dst, src } => s64(fp, dst, g64(fp, src)),
            Op::Copy2 {
                dst1,
                src1,
                dst2,
                src2,
            } => {
                s64(fp, dst1 as u32, g64(fp, src1 as u32));
                s64(fp, dst2 as u32, g64(fp, src2 as u32));
            }
            Op::Copy128 { dst, src } => s128(fp, dst, g128(fp, src)),
            Op::Const32 { dst, value } => s32(fp, dst, value),
            Op::Const64 { dst, lo, hi } => s64(fp, dst, lo as u64 | (hi as u64) << 32),
            Op::ConstV128 { dst, index } => s128(fp, dst, *consts.add(index as usize)),
            Op::Select { dst, a, b } => {
                let (c, _, _) = arg!();
                let v = if g32(fp, c) != 0 {
                    g64(fp, a)
                } else {
                    g64(fp, b)
                };
                s64(fp, dst, v);
            }
            Op::Select128 { dst, a, b } => {
                let (c, _, _) = arg!();
                let v = if g32(fp, c) != 0 {
                    g128(fp, a)
                } else {
                    g128(fp, b)
                };
                s128(fp, dst, v);
            }
            Op::GlobalGet { dst, index } => s64(fp, dst, *global_of(inst, index)),
            Op::GlobalGet128 { dst, index } => {
                s128(fp, dst, ptr::read(global_of(inst, index) as *const u128))
            }
            Op::GlobalSet { index, src } => {
                ptr::write(global_of(inst, index) as *mut u128, g64(fp, src) as u128)
            }
            Op::GlobalSet128 { index, src } => {
                ptr::write(global_of(inst, index) as *mut u128, g128(fp, src))
            }
            Op::RefIsNull { dst, a } => s32(fp, dst, (g64(fp, a) == 0) as u32),
            Op::RefFunc { dst, func } => s64(
                fp,
                dst,
                *(&*inst).func_refs.get_unchecked(func as usize) as u64,
            ),

            Op::I32Eqz { dst, a } => s32(fp, dst, (g32(fp, a) == 0) as u32),
            Op::I32Clz { dst, a } => s32(fp, dst, g32(fp, a).leading_zeros()),
            Op::I32Ctz { dst, a } => s32(fp, dst, g32(fp, a).trailing_zeros()),
            Op::I32Popcnt { dst, a } => s32(fp, dst, g32(fp, a).count_ones()),
            Op::I32Extend8S { dst, a } => s32(fp, dst, g32(fp, a) as i8 as i32 as u32),
            Op::I32Extend16S { dst, a } => s32(fp, dst, g32(fp, a) as i16 as i32 as u32),
            Op::I64Eqz { dst, a } => s32(fp, dst, (g64(fp, a) == 0) as u32),
            Op::I64Clz { dst, a } => s64(fp, dst, g64(fp, a).leading_zeros() as u64),
            Op::I64Ctz { dst, a } => s64(fp, dst, g64(fp, a).trailing_zeros() as u64),
            Op::I64Popcnt { dst, a } => s64(fp, dst, g64(fp, a).count_ones() as u64),
            Op::I64Extend8S { dst, a } => s64(fp, dst, g64(fp, a) as i8 as i64 as u64),
            Op::I64Extend16S { dst, a } => s64(fp, dst, g64(fp, a) as i16 as i64 as u64),
            Op::I64Extend32S { dst, a } => s64(fp, dst, g64(fp, a) as i32 as i64 as u64),
            Op::I32WrapI64 { dst, a } => s32(fp, dst, g64(fp, a) as u32),
            Op::I64ExtendI32S { dst, a } => s64(fp, dst, g32(fp, a) as i32 as i64 as u64),
            Op::F32Abs { dst, a } => sf32(fp, dst, f32_abs(gf32(fp, a))),
            Op::F32Neg { dst, a } => sf32(fp, dst, f32_neg(gf32(fp, a))),
            Op::F32Ceil { dst, a } => sf32(fp, dst, num::f32_ceil(gf32(fp, a))),
            Op::F32Floor { dst, a } => sf32(fp, dst, num::f32_floor(gf32(fp, a))),
            Op::F32Trunc { dst, a } => sf32(fp, dst, num::f32_trunc(gf32(fp, a))),
            Op::F32Nearest { dst, a } => sf32(fp, dst, f32_nearest(gf32(fp, a))),
            Op::F32Sqrt { dst, a } => sf32(fp, dst, gf32(fp, a).sqrt()),
            Op::F64Abs { dst, a } => sf64(fp, dst, f64_abs(gf64(fp, a))),
            Op::F64Neg { dst, a } => sf64(fp, dst, f64_neg(gf64(fp, a))),
            Op::F64Ceil { dst, a } => sf64(fp, dst, num::f64_ceil(gf64(fp, a))),
            Op::F64Floor { dst, a } => sf64(fp, dst, num::f64_floor(gf64(fp, a))),
            Op::F64Trunc { dst, a } => sf64(fp, dst, num::f64_trunc(gf64(fp, a))),
            Op::F64Nearest { dst, a } => sf64(fp, dst, f64_nearest(gf64(fp, a))),
            Op::F64Sqrt { dst, a } => sf64(fp, dst, gf64(fp, a).sqrt()),
            Op::I32TruncF32S { dst, a } => s32(
                fp,
                dst,
                tri!(conv(num::i32_trunc_f32_s(gf32(fp, a)))) as u32,
            ),
            Op::I32TruncF32U { dst, a } => s32(
                fp,
                dst,
                tri!(conv(num::i32_trunc_f32_u(gf32(fp, a)))) as u32,
            ),
            Op::I32TruncF64S { dst, a } => s32(
                fp,
                dst,
                tri!(conv(num::i32_trunc_f64_s(gf64(fp, a)))) as u32,
            ),
            Op::I32TruncF64U { dst, a } => s32(
                fp,
                dst,
                tri!(conv(num::i32_trunc_f64_u(gf64(fp, a)))) as u32,
            ),
            Op::I64TruncF32S { dst, a } => s64(
                fp,
                dst,
                tri!(conv(num::i64_trunc_f32_s(gf32(fp, a)))) as u64,
            ),
            Op::I64TruncF32U { dst, a } => s64(
                fp,
                dst,
                tri!(conv(num::i64_trunc_f32_u(gf32(fp, a)))) as u64,
            ),
            Op::I64TruncF64S { dst, a } => s64(
                fp,
                dst,
                tri!(conv(num::i64_trunc_f64_s(gf64(fp, a)))) as u64,
            ),
            Op::I64TruncF64U { dst, a } => s64(
                fp,
                dst,
                tri!(conv(num::i64_trunc_f64_u(gf64(fp, a)))) as u64,
            ),
            Op::I32TruncSatF32S { dst, a } => {
                s32(fp, dst, num::i32_trunc_sat_f32_s(gf32(fp, a)) as u32)
            }
            Op::I32TruncSatF32U { dst, a } => {
                s32(fp, dst, num::i32_trunc_sat_f32_u(gf32(fp, a)) as u32)
            }
            Op::I32TruncSatF64S { dst, a } => {
                s32(fp, dst, num::i32_trunc_sat_f64_s(gf64(fp, a)) as u32)
            }
            Op::I32TruncSatF64U { dst, a } => {
                s32(fp, dst, num::i32_trunc_sat_f64_u(gf64(fp, a)) as u32)
            }
            Op::I64TruncSatF32S { dst, a } => {
                s64(fp, dst, num::i64_trunc_sat_f32_s(gf32(fp, a)) as u64)
            }
            Op::I64TruncSatF32U { dst, a } => {
                s64(fp, dst, num::i64_trunc_sat_f32_u(gf32(fp, a)) as u64)
            }
            Op::I64TruncSatF64S { dst, a } => {
                s64(fp, dst, num::i64_trunc_sat_f64_s(gf64(fp, a)) as u64)
            }
            Op::I64TruncSatF64U { dst, a } => {
                s64(fp, dst, num::i64_trunc_sat_f64_u(gf64(fp, a)) as u64)
            }
            Op::F32ConvertI32S { dst, a } => sf32(fp, dst, g32(fp, a) as i32 as f32),
            Op::F32ConvertI32U { dst, a } => sf32(fp, dst, g32(fp, a) as f32),
            Op::F32ConvertI64S { dst, a } => sf32(fp, dst, g64(fp, a) as i64 as f32),
            Op::F32ConvertI64U { dst, a } => sf32(fp, dst, g64(fp, a) as f32),
            Op::F64ConvertI32S { dst, a } => sf64(fp, dst, g32(fp, a) as i32 as f64),
            Op::F64ConvertI32U { dst, a } => sf64(fp, dst, g32(fp, a) as f64),
            Op::F64ConvertI64S { dst, a } => sf64(fp, dst, g64(fp, a) as i64 as f64),
            Op::F64ConvertI64U { dst, a } => sf64(fp, dst, g64(fp, a) as f64),
            Op::F32DemoteF64 { dst, a } => sf32(fp, dst, gf64(fp, a) as f32),
            Op::F64PromoteF32 { dst, a } => sf64(fp, dst, gf32(fp, a) as f64),

            Op::I32Add { dst, a, b } => s32(fp, dst, g32(fp, a).wrapping_add(g32(fp, b))),
            Op::I32Sub { dst, a, b } => s32(fp, dst, g32(fp, a).wrapping_sub(g32(fp, b))),
            Op::I32Mul { dst, a, b } => s32(fp, dst, g32(fp, a).wrapping_mul(g32(fp, b))),
            Op::I32DivS { dst, a, b } => s32(
                fp,
                dst,
                tri!(i32_div_s(g32(fp, a) as i32, g32(fp, b) as i32)) as u32,
            ),
            Op::I32DivU { dst, a, b } => s32(fp, dst, g32(fp, a) / tri!(nonzero(g32(fp, b)))),
            Op::I32RemS { dst, a, b } => s32(
                fp,
                dst,
                (g32(fp, a) as i32).wrapping_rem(tri!(nonzero(g32(fp, b) as i32))) as u32,
            ),
            Op::I32RemU { dst, a, b } => s32(fp, dst, g32(fp, a) % tri!(nonzero(g32(fp, b)))),
            Op::I32And { dst, a, b } => s32(fp, dst, g32(fp, a) & g32(fp, b)),
            Op::I32Or { dst, a, b } => s32(fp, dst, g32(fp, a) | g32(fp, b)),
            Op::I32Xor { dst, a, b } => s32(fp, dst, g32(fp, a) ^ g32(fp, b)),
            Op::I32Shl { dst, a, b } => s32(fp, dst, g32(fp, a).wrapping_shl(g32(fp, b))),
            Op::I32ShrS { dst, a, b } => {
                s32(fp, dst, (g32(fp, a) as i32).wrapping_shr(g32(fp, b)) as u32)
            }
            Op::I32ShrU { dst, a, b } => s32(fp, dst, g32(fp, a).wrapping_shr(g32(fp, b))),
            Op::I32Rotl { dst, a, b } => s32(fp, dst, g32(fp, a).rotate_left(g32(fp, b) % 32)),
            Op::I32Rotr { dst, a, b } => s32(fp, dst, g32(fp, a).rotate_right(g32(fp, b) % 32)),
            Op::I32Eq { dst, a, b } => s32(fp, dst, (g32(fp, a) == g32(fp, b)) as u32),
            Op::I32Ne { dst, a, b } => s32(fp, dst, (g32(fp, a) != g32(fp, b)) as u32),
            Op::I32LtS { dst, a, b } => {
                s32(fp, dst, ((g32(fp, a) as i32) < g32(fp, b) as i32) as u32)
            }
            Op::I32LtU { dst, a, b } => s32(fp, dst, (g32(fp, a) < g32(fp, b)) as u32),
            Op::I32GtS { dst, a, b } => {
                s32(fp, dst, (g32(fp, a) as i32 > g32(fp, b) as i32) as u32)
            }
            Op::I32GtU { dst, a, b } => s32(fp, dst, (g32(fp, a) > g32(fp, b)) as u32),
            Op::I32LeS { dst, a, b } => {
                s32(fp, dst, (g32(fp, a) as i32 <= g32(fp, b) as i32) as u32)
            }
            Op::I32LeU { dst, a, b } => s32(fp, dst, (g32(fp, a) <= g32(fp, b)) as u32),
            Op::I32GeS { dst, a, b } => {
                s32(fp, dst, (g32(fp, a) as i32 >= g32(fp, b) as i32) as u32)
            }
            Op::I32GeU { dst, a, b } => s32(fp, dst, (g32(fp, a) >= g32(fp, b)) as u32),
            Op::I64Add { dst, a, b } => s64(fp, dst, g64(fp, a).wrapping_add(g64(fp, b))),
            Op::I64Sub { dst, a, b } => s64(fp, dst, g64(fp, a).wrapping_sub(g64(fp, b))),
            Op::I64Mul { dst, a, b } => s64(fp, dst, g64(fp, a).wrapping_mul(g64(fp, b))),
            Op::I64DivS { dst, a, b } => s64(
                fp,
                dst,
                tri!(i64_div_s(g64(fp, a) as i64, g64(fp, b) as i64)) as u64,
            ),
            Op::I64DivU { dst, a, b } => s64(fp, dst, g64(fp, a) / tri!(nonzero(g64(fp, b)))),
            Op::I64RemS { dst, a, b } => s64(
                fp,
                dst,
                (g64(fp, a) as i64).wrapping_rem(tri!(nonzero(g64(fp, b) as i64))) as u64,
            ),
            Op::I64RemU { dst, a, b } => s64(fp, dst, g64(fp, a) % tri!(nonzero(g64(fp, b)))),
            Op::I64And { dst, a, b } => s64(fp, dst, g64(fp, a) & g64(fp, b)),
            Op::I64Or { dst, a, b } => s64(fp, dst, g64(fp, a) | g64(fp, b)),
            Op::I64Xor { dst, a, b } => s64(fp, dst, g64(fp, a) ^ g64(fp, b)),
            Op::I64Shl { dst, a, b } => s64(fp, dst, g64(fp, a).wrapping_shl(g64(fp, b) as u32)),
            Op::I64ShrS { dst, a, b } => s64(
                fp,
                dst,
                (g64(fp, a) as i64).wrapping_shr(g64(fp, b) as u32) as u64,
            ),
            Op::I64ShrU { dst, a, b } => s64(fp, dst, g64(fp, a).wrapping_shr(g64(fp, b) as u32)),
            Op::I64Rotl { dst, a, b } => {
                s64(fp, dst, g64(fp, a).rotate_left((g64(fp, b) % 64) as u32))
            }
            Op::I64Rotr { dst, a, b } => {
                s64(fp, dst, g64(fp, a).rotate_right((g64(fp, b) % 64) as u32))
            }
            Op::I64Eq { dst, a, b } => s32(fp, dst, (g64(fp, a) == g64(fp, b)) as u32),
            Op::I64Ne { dst, a, b } => s32(fp, dst, (g64(fp, a) != g64(fp, b)) as u32),
            Op::I64LtS { dst, a, b } => {
                s32(fp, dst, ((g64(fp, a) as i64) < g64(fp, b) as i64) as u32)
            }
            Op::I64LtU { dst, a, b } => s32(fp, dst, (g64(fp, a) < g64(fp, b)) as u32),
            Op::I64GtS { dst, a, b } => {
                s32(fp, dst, (g64(fp, a) as i64 > g64(fp, b) as i64) as u32)
            }
            Op::I64GtU { dst, a, b } => s32(fp, dst, (g64(fp, a) > g64(fp, b)) as u32),
            Op::I64LeS { dst, a, b } => {
                s32(fp, dst, (g64(fp, a) as i64 <= g64(fp, b) as i64) as u32)
            }
            Op::I64LeU { dst, a, b } => s32(fp, dst, (g64(fp, a) <= g64(fp, b)) as u32),
            Op::I64GeS { dst, a, b } => {
                s32(fp, dst, (g64(fp, a) as i64 >= g64(fp, b) as i64) as u32)
            }
            Op::I64GeU { dst, a, b } => s32(fp, dst, (g64(fp, a) >= g64(fp, b)) as u32),
            Op::F32Add { dst, a, b } => sf32(fp, dst, gf32(fp, a) + gf32(fp, b)),
            Op::F32Sub { dst, a, b } => sf32(fp, dst, gf32(fp, a) - gf32(fp, b)),
            Op::F32Mul { dst, a, b } => sf32(fp, dst, gf32(fp, a) * gf32(fp, b)),
            Op::F32Div { dst, a, b } => sf32(fp, dst, gf32(fp, a) / gf32(fp, b)),
            Op::F32Min { dst, a, b } => sf32(fp, dst, f32_min(gf32(fp, a), gf32(fp, b))),
            Op::F32Max { dst, a, b } => sf32(fp, dst, f32_max(gf32(fp, a), gf32(fp, b))),
            Op::F32Copysign { dst, a, b } => sf32(fp, dst, f32_copysign(gf32(fp, a), gf32(fp, b))),
            Op::F32Eq { dst, a, b } => s32(fp, dst, (gf32(fp, a) == gf32(fp, b)) as u32),
            Op::F32Ne { dst, a, b } => s32(fp, dst, (gf32(fp, a) != gf32(fp, b)) as u32),
            Op::F32Lt { dst, a, b } => s32(fp, dst, (gf32(fp, a) < gf32(fp, b)) as u32),
            Op::F32Gt { dst, a, b } => s32(fp, dst, (gf32(fp, a) > gf32(fp, b)) as u32),
            Op::F32Le { dst, a, b } => s32(fp, dst, (gf32(fp, a) <= gf32(fp, b)) as u32),
            Op::F32Ge { dst, a, b } => s32(fp, dst, (gf32(fp, a) >= gf32(fp, b)) as u32),
            Op::F64Add { dst, a, b } => sf64(fp, dst, gf64(fp, a) + gf64(fp, b)),
            Op::F64Sub { dst, a, b } => sf64(fp, dst, gf64(fp, a) - gf64(fp, b)),
            Op::F64Mul { dst, a, b } => sf64(fp, dst, gf64(fp, a) * gf64(fp, b)),
            Op::F64Div { dst, a, b } => sf64(fp, dst, gf64(fp, a) / gf64(fp, b)),
            Op::F64Min { dst, a, b } => sf64(fp, dst, f64_min(gf64(fp, a), gf64(fp, b))),
            Op::F64Max { dst, a, b } => sf64(fp, dst, f64_max(gf64(fp, a), gf64(fp, b))),
            Op::F64Copysign { dst, a, b } => sf64(fp, dst, f64_copysign(gf64(fp, a), gf64(fp, b))),
            Op::F64Eq { dst, a, b } => s32(fp, dst, (gf64(fp, a) == gf64(fp, b)) as u32),
            Op::F64Ne { dst, a, b } => s32(fp, dst, (gf64(fp, a) != gf64(fp, b)) as u32),
            Op::F64Lt { dst, a, b } => s32(fp, dst, (gf64(fp, a) < gf64(fp, b)) as u32),
            Op::F64Gt { dst, a, b } => s32(fp, dst, (gf64(fp, a) > gf64(fp, b)) as u32),
            Op::F64Le { dst, a, b } => s32(fp, dst, (gf64(fp, a) <= gf64(fp, b)) as u32),
            Op::F64Ge { dst, a, b } => s32(fp, dst, (gf64(fp, a) >= gf64(fp, b)) as u32),

            Op::I32AddImm { dst, a, imm } => s32(fp, dst, g32(fp, a).wrapping_add(imm as u32)),
            Op::I32MulImm { dst, a, imm } => s32(fp, dst, g32(fp, a).wrapping_mul(imm as u32)),
            Op::I32AndImm { dst, a, imm } => s32(fp, dst, g32(fp, a) & imm as u32),
            Op::I32OrImm { dst, a, imm } => s32(fp, dst, g32(fp, a) | imm as u32),
            Op::I32XorImm { dst, a, imm } => s32(fp, dst, g32(fp, a) ^ imm as u32),
            Op::I32ShlImm { dst, a, imm } => s32(fp, dst, g32(fp, a).wrapping_shl(imm as u32)),
            Op::I32ShrSImm { dst, a, imm } => {
                s32(fp, dst, (g32(fp, a) as i32).wrapping_shr(imm as u32) as u32)
            }
            Op::I32ShrUImm { dst, a, imm } => s32(fp, dst, g32(fp, a).wrapping_shr(imm as u32)),
            Op::I32EqImm { dst, a, imm } => s32(fp, dst, (g32(fp, a) == imm as u32) as u32),
            Op::I32NeImm { dst, a, imm } => s32(fp, dst, (g32(fp, a) != imm as u32) as u32),
            Op::I32LtSImm { dst, a, imm } => s32(fp, dst, ((g32(fp, a) as i32) < imm) as u32),
            Op::I32LtUImm { dst, a, imm } => s32(fp, dst, (g32(fp, a) < imm as u32) as u32),
            Op::I32GtSImm { dst, a, imm } => s32(fp, dst, (g32(fp, a) as i32 > imm) as u32),
            Op::I32GtUImm { dst, a, imm } => s32(fp, dst, (g32(fp, a) > imm as u32) as u32),
            Op::I32LeSImm { dst, a, imm } => s32(fp, dst, (g32(fp, a) as i32 <= imm) as u32),
            Op::I32LeUImm { dst, a, imm } => s32(fp, dst, (g32(fp, a) <= imm as u32) as u32),
            Op::I32GeSImm { dst, a, imm } => s32(fp, dst, (g32(fp, a) as i32 >= imm) as u32),
            Op::I32GeUImm { dst, a, imm } => s32(fp, dst, (g32(fp, a) >= imm as u32) as u32),
            Op::I64AddImm { dst, a, imm } => {
                s64(fp, dst, g64(fp, a).wrapping_add(imm as i64 as u64))
            }
            Op::I64MulImm { dst, a, imm } => {
                s64(fp, dst, g64(fp, a).wrapping_mul(imm as i64 as u64))
            }
            Op::I64AndImm { dst, a, imm } => s64(fp, dst, g64(fp, a) & imm as i64 as u64),
            Op::I64ShlImm { dst, a, imm } => s64(fp, dst, g64(fp, a).wrapping_shl(imm as u32)),
            Op::I64ShrSImm { dst, a, imm } => {
                s64(fp, dst, (g64(fp, a) as i64).wrapping_shr(imm as u32) as u64)
            }
            Op::I64ShrUImm { dst, a, imm } => s64(fp, dst, g64(fp, a).wrapping_shr(imm as u32)),
            Op::I64EqImm { dst, a, imm } => s32(fp, dst, (g64(fp, a) == imm as i64 as u64) as u32),
            Op::I64NeImm { dst, a, imm } => s32(fp, dst, (g64(fp, a) != imm as i64 as u64) as u32),
            Op::I64LtSImm { dst, a, imm } => {
                s32(fp, dst, ((g64(fp, a) as i64) < imm as i64) as u32)
            }
            Op::I64LtUImm { dst, a, imm } => s32(fp, dst, (g64(fp, a) < imm as i64 as u64) as u32),
            Op::I64GtSImm { dst, a, imm } => s32(fp, dst, (g64(fp, a) as i64 > imm as i64) as u32),
            Op::I32RotlImm { dst, a, imm } => s32(fp, dst, g32(fp, a).rotate_left(imm as u32 % 32)),
            Op::I32RotrImm { dst, a, imm } => {
                s32(fp, dst, g32(fp, a).rotate_right(imm as u32 % 32))
            }
            Op::I64RotlImm { dst, a, imm } => s64(fp, dst, g64(fp, a).rotate_left(imm as u32 % 64)),
            Op::I64RotrImm { dst, a, imm } => {
                s64(fp, dst, g64(fp, a).rotate_right(imm as u32 % 64))
            }
            Op::I64GtUImm { dst, a, imm } => s32(fp, dst, (g64(fp, a) > imm as i64 as u64) as u32),

            Op::F64AddLoad {
                dst,
                a,
                addr,
                offset,
            } => {
                let m = f64::from_bits(load_u64!(g32(fp, addr as u32) as usize + offset as usize));
                sf64(fp, dst, gf64(fp, a as u32) + m)
            }
            Op::F64SubLoad {
                dst,
                a,
                addr,
                offset,
            } => {
                let m = f64::from_bits(load_u64!(g32(fp, addr as u32) as usize + offset as usize));
                sf64(fp, dst, gf64(fp, a as u32) - m)
            }
            Op::F64MulLoad {
                dst,
                a,
                addr,
                offset,
            } => {
                let m = f64::from_bits(load_u64!(g32(fp, addr as u32) as usize + offset as usize));
                sf64(fp, dst, gf64(fp, a as u32) * m)
            }
            Op::F64AddLoadW { dst, a, addr, imm } => {
                let m = f64::from_bits(load_u64!(
                    g32(fp, addr as u32).wrapping_add(imm as u32) as usize
                ));
                sf64(fp, dst, gf64(fp, a as u32) + m)
            }
            Op::F64SubLoadW { dst, a, addr, imm } => {
                let m = f64::from_bits(load_u64!(
                    g32(fp, addr as u32).wrapping_add(imm as u32) as usize
                ));
                sf64(fp, dst, gf64(fp, a as u32) - m)
            }
            Op::F64MulLoadW { dst, a, addr, imm } => {
                let m = f64::from_bits(load_u64!(
                    g32(fp, addr as u32).wrapping_add(imm as u32) as usize
                ));
                sf64(fp, dst, gf64(fp, a as u32) * m)
            }
            Op::I32LoadIdx { dst, a, b, shift } => load!(dst, a, b, shift, u32, s32, u32; index),
            Op::I64LoadIdx { dst, a, b, shift } => load!(dst, a, b, shift, u64, s64, u64; index),
            Op::I32Load8UIdx { dst, a, b, shift } => load!(dst, a, b, shift, u8, s32, u32; index),
            Op::I32LoadW { dst, a, imm } => load!(dst, a, imm, u32, s32, u32; wrap),
            Op::I64LoadW { dst, a, imm } => load!(dst, a, imm, u64, s64, u64; wrap),
            Op::I32Load8UW { dst, a, imm } => load!(dst, a, imm, u8, s32, u32; wrap),
            Op::I32Load8SW { dst, a, imm } => load!(dst, a, imm, i8, s32, i32, u32; wrap),
            Op::I32Load16UW { dst, a, imm } => load!(dst, a, imm, u16, s32, u32; wrap),
            Op::I32Load16SW { dst, a, imm } => load!(dst, a, imm, i16, s32, i32, u32; wrap),
            Op::I32Load { dst, addr, offset } => load!(dst, addr, offset, u32, s32, u32),
            Op::I64Load { dst, addr, offset } => load!(dst, addr, offset, u64, s64, u64),
            Op::I32Load8S { dst, addr, offset } => load!(dst, addr, offset, i8, s32, i32, u32),
            Op::I32Load8U { dst, addr, offset } => load!(dst, addr, offset, u8, s32, u32),
            Op::I32Load16S { dst, addr, offset } => load!(dst, addr, offset, i16, s32, i32, u32),
            Op::I32Load16U { dst, addr, offset } => load!(dst, addr, offset, u16, s32, u32),
            Op::I64Load8S { dst, addr, offset } => load!(dst, addr, offset, i8, s64, i64, u64),
            Op::I64Load8U { dst, addr, offset } => load!(dst, addr, offset, u8, s64, u64),
            Op::I64Load16S { dst, addr, offset } => load!(dst, addr, offset, i16, s64, i64, u64),
            Op::I64Load16U { dst, addr, offset } => load!(dst, addr, offset, u16, s64, u64),
            Op::I64Load32S { dst, addr, offset } => load!(dst, addr, offset, i32, s64, i64, u64),
            Op::I64Load32U { dst, addr, offset } => load!(dst, addr, offset, u32, s64, u64),
            Op::V128Load { dst, addr, offset } => {
                let p = addr!(addr, offset, 16);
                s128(
                    fp,
                    dst,
                    u128::from_le(ptr::read_unaligned(p as *const u128)),
                );
            }
            Op::V128LoadKind { .. } | Op::V128LoadLane { .. } | Op::V128StoreLane { .. } => {
                pc = tri!(vector::memory(pc, fp, mem_base, mem_len))
            }
            Op::I32StoreW { addr, value, imm } => store!(addr, value, imm, u32; wrap),
            Op::I64StoreW { addr, value, imm } => store!(addr, value, imm, u64; wrap),
            Op::I32Store8W { addr, value, imm } => store!(addr, value, imm, u8; wrap),
            Op::I32Store {
                addr,
                value,
                offset,
            } => store!(addr, value, offset, u32),
            Op::I64Store {
                addr,
                value,
                offset,
            } => store!(addr, value, offset, u64),
            Op::I32Store8 {
                addr,
                value,
                offset,
            } => store!(addr, value, offset, u8),
            Op::I32Store16 {
                addr,
                value,
                offset,
            } => store!(addr, value, offset, u16),
            Op::I64Store32 {
                addr,
                value,
                offset,
            } => store!(addr, value, offset, u32),
            Op::V128Store {
                addr,
                value,
                offset,
            } => {
                let v = g128(fp, value);
                let p = addr!(addr, offset, 16);
                ptr::write_unaligned(p as *mut u128, v.to_le());
            }
            Op::MemorySize { dst } => s32(fp, dst, (mem_len / WASM_PAGE) as u32),
            Op::MemoryGrow { dst, delta } => {
                let r = (*mem)
                    .grow(g32(fp, delta) as u64)
                    .map_or(u32::MAX, |old| old as u32);
                (mem_base, mem_len) = mem_view(mem);
                s32(fp, dst, r);
            }
            Op::MemoryFill { dst, value, len } => {
                tri!(bulk::memory_fill(
                    &mut *mem,
                    g32(fp, dst),
                    g32(fp, value) as u8,
                    g32(fp, len)
                ))
            }
            Op::MemoryCopy { dst, src, len } => {
                tri!(bulk::memory_copy(
                    &mut *mem,
                    g32(fp, dst),
                    g32(fp, src),
                    g32(fp, len)
                ))
            }
            Op::MemoryInit { segment, dst, src } => {
                let (len, _, _) = arg!();
                tri!(bulk::memory_init(
                    &*inst,
                    &mut *mem,
                    segment,
                    g32(fp, dst),
                    g32(fp, src),
                    g32(fp, len)
                ))
            }
            Op::DataDrop { segment } => (&mut *inst).data_dropped[segment as usize] = true,

            Op::TableGet { dst, table, index } => {
                let t = table_of(inst, table);
                let Some(&v) = (*t).elements().get(g32(fp, index) as usize) else {
                    trap!(TrapCode::TableOutOfBounds)
                };
                s64(fp, dst, v as u64);
            }
            Op::TableSet {
                table,
                index,
                value,
            } => {
                let t = table_of(inst, table);
                let v = g64(fp, value) as usize;
                let Some(e) = (*t).elements_mut().get_mut(g32(fp, index) as usize) else {
                    trap!(TrapCode::TableOutOfBounds)
                };
                *e = v;
            }
            Op::TableSize { dst, table } => {
                s32(fp, dst, (*table_of(inst, table)).elements().len() as u32)
            }
            Op::TableGrow { dst, table, init } => {
                let (delta, _, _) = arg!();
                let t = table_of(inst, table);
                let r = (*t)
                    .grow(g32(fp, delta), g64(fp, init) as usize)
                    .unwrap_or(u32::MAX);
                s32(fp, dst, r);
            }
            Op::TableFill {
                table,
                index,
                value,
            } => {
                let (len, _, _) = arg!();
                let t = table_of(inst, table);
                tri!(bulk::table_fill(
                    &mut *t,
                    g32(fp, index),
                    g64(fp, value) as usize,
                    g32(fp, len)
                ))
            }
            Op::TableCopy {
                dst_table,
                src_table,
                dst,
            } => {
                let (src, len, _) = arg!();
                let (d, s) = (table_of(inst, dst_table), table_of(inst, src_table));
                tri!(bulk::table_copy(
                    d,
                    s,
                    g32(fp, dst),
                    g32(fp, src),
                    g32(fp, len)
                ))
            }
            Op::TableInit {
                segment,
                table,
                dst,
            } => {
                let (src, len, _) = arg!();
                let t = table_of(inst, table);
                tri!(bulk::table_init(
                    &*inst,
                    &mut *t,
                    segment,
                    g32(fp, dst),
                    g32(fp, src),
                    g32(fp, len)
                ))
            }
            Op::ElemDrop { segment } => (&mut *inst).elems[segment as usize] = Box::default(),

            Op::SimdUnary { .. }
            | Op::SimdBinary { .. }
            | Op::SimdTernary { .. }
            | Op::SimdShift { .. }
            | Op::SimdTest { .. }
            | Op::SimdSplat { .. }
            | Op::SimdExtract { .. }
            | Op::SimdReplace { .. }
            | Op::SimdShuffle { .. } => pc = vector::execute(pc, fp, consts),
        }
    }
}

unsafe fn mem_view(mem: *mut LinearMemory) -> (*mut u8, usize) {
    if mem.is_null() {
        (ptr::null_mut(), 0)
    } else {
        ((*mem).def.base, (*mem).def.length)
    }
}

/// Zeroes the locals and fills the constant slots of a new frame.
unsafe fn zero_locals(fp: *mut u64, cf: &CompiledFunc) {
    let n = cf.init.len();
    if n > 0 {
        ptr::copy_nonoverlapping(cf.init.as_ptr(), fp.add(cf.param_slots as usize), n);
    }
}
