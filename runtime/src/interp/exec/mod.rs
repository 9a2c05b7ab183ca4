//! The executor: one handler function per [`Op`], with its own call stack.
//!
//! Wasm calls never recurse on the Rust stack: a call pushes a [`Frame`]
//! record and switches `code`, `pc` and `fp`; a return pops one. The value
//! stack is a slice of 64-bit slots handed in by the caller; running out of
//! it (or of frame records) is the "call stack exhausted" trap.
//!
//! Each op has a handler (written by `dispatch!` from the lists below, see
//! [`dispatch`]) that runs it and jumps to the next op's handler through
//! [`TABLE`]. Each calls an `#[inline(always)]` function of the op's family
//! file: `control` (branches), `calls`, `variables`, `memory`, `integer`,
//! `float`, `convert`, `table` (references too); the rare families (table,
//! bulk, SIMD) each go through one out-of-line sub-match. Adding an op
//! means adding its function to its family file and its name to its
//! family's list here (calls' and returns' general paths: `slow_paths`).

#![deny(unsafe_op_in_unsafe_fn)]

#[macro_use]
mod slots;
#[macro_use]
mod dispatch;

pub(crate) mod bulk;
mod bytes;
mod calls;
mod control;
mod convert;
mod entry;
mod float;
pub(super) mod frame;
mod handler_table;
mod host;
mod integer;
mod memory;
mod state;
mod table;
#[cfg(all(test, target_arch = "x86_64", not(debug_assertions)))]
mod tail_call_guard;
mod variables;
mod vector;

pub(crate) use entry::{execute, ExecEnv};
use handler_table::{arg_word, Handler, TABLE};
pub(crate) use host::HostBuffers;
use slow_paths::{call_slow, return_slot_slow, return_slow};

use super::code::{Op, OpCode};
use control::jump;
use frame::{memory_of, table_of, view_of, Frame};
use kiln_format::TrapCode;
use memory::View;
use slots::g32;
use state::{finish, trap_at, Done, State};
use {control as ctl, memory as mm, variables as var};

/// A call of function `func` whose code is cached, with its arguments at
/// slot `base`: the callee's frame set up by `push` and its code run next;
/// `otherwise` when it is not cached or `push` declines.
macro_rules! call_cached {
    (($pc:ident, $fp:ident, $st:ident), $func:ident, $base:ident, $push:path, $otherwise:expr) => {{
        let args = $fp.add($base as usize);
        let caller = $st.caller($pc, $fp);
        match calls::cached_callee($st.inst, $func) {
            Some(cf) if $push($st, caller, cf, args) => {
                ($pc, $fp) = (cf.code.as_ptr(), args);
                ($st.code, $st.consts) = ($pc, cf.consts.as_ptr());
            }
            _ => $otherwise,
        }
    }};
}

dispatch! {
    handlers (pc, fp, view, st) {
        // Control: jumps, calls, returns (branch conditions below).
        Unreachable {} => trap!(TrapCode::Unreachable),
        Br { target } => pc = jump(pc, target),
        BrEntry { target, .. } => pc = jump(pc, target),
        CopyBr { target, dst, src } => pc = jump(pc, { var::copy(fp, dst, src); target }),
        BrIfNez { target, cond } => br_if!(target, g32(fp, cond) != 0),
        BrIfEqz { target, cond } => br_if!(target, g32(fp, cond) == 0),
        BrI64Eqz { target, a } => br_if!(target, slots::g64(fp, a) == 0),
        BrI64Nez { target, a } => br_if!(target, slots::g64(fp, a) != 0),
        AddImmBrNez { target, a, imm } => br_if!(target, ctl::add_imm_nez(fp, a, imm)),
        AddImm2BrNez { target, x, add, a, imm } => br_if!(target, {
            ctl::add_in_place(fp, x.into(), add.into());
            ctl::add_imm_nez(fp, a.into(), imm.into())
        }),
        BrLoad8UEqImm { target, addr, cmp, offset } => {
            br_if!(target, tri!(bytes::byte(fp, view, addr.into(), offset)) == u32::from(cmp))
        },
        BrLoad8UNeImm { target, addr, cmp, offset } => {
            br_if!(target, tri!(bytes::byte(fp, view, addr.into(), offset)) != u32::from(cmp))
        },
        BrLoad8UEq { target, addr, b, offset } => {
            br_if!(target, tri!(bytes::byte(fp, view, addr.into(), offset)) == g32(fp, b.into()))
        },
        BrLoad8UNe { target, addr, b, offset } => {
            br_if!(target, tri!(bytes::byte(fp, view, addr.into(), offset)) != g32(fp, b.into()))
        },
        BrLoad8UWEqImm { target, a, cmp, imm } => {
            br_if!(target, tri!(bytes::byte_w(fp, view, a.into(), imm)) == u32::from(cmp))
        },
        BrLoad8UWNeImm { target, a, cmp, imm } => {
            br_if!(target, tri!(bytes::byte_w(fp, view, a.into(), imm)) != u32::from(cmp))
        },
        BrTable { index, len } => switch!(ctl::br_table(pc, g32(fp, index).min(len))),
        BrTableByte { addr, offset, len } => {
            switch!(ctl::br_table(pc, tri!(bytes::byte(fp, view, addr, offset)).min(len)))
        },
        BrTableByteStep { addr, offset, x, add, len } => switch!({
            ctl::add_in_place(fp, x.into(), add.into());
            ctl::br_table(pc, tri!(bytes::byte(fp, view, addr.into(), offset)).min(len.into()))
        }),
        BrTableImm { index, imm, len } => switch!(ctl::br_table(pc, g32(fp, index).wrapping_add(imm as u32).min(len))),
        BrTableByteImm { addr, imm, offset, len } => switch!(ctl::br_table(pc, tri!(bytes::byte_add(fp, view, addr, offset, imm)).min(len))),
        // A return to and a call in the same instance, of a translated
        // function, run here; the rest in `return_slow`, `call_slow`.
        Return {} => match calls::pop_fast(&mut st.frames, st.inst) {
            Some(f) => ((pc, fp), (st.code, st.consts)) = ((f.pc, f.fp), (f.code, f.consts)),
            None => slow!(return_slow),
        },
        ReturnSlot { src } => match (var::copy(fp, 0, src), calls::pop_fast(&mut st.frames, st.inst)) {
            ((), Some(f)) => ((pc, fp), (st.code, st.consts)) = ((f.pc, f.fp), (f.code, f.consts)),
            ((), None) => slow!(return_slot_slow),
        },
        Call { func, base } => call_cached!((pc, fp, st), func, base, calls::push_fast, slow!(call_slow)),
        CallIndirect { type_index, index, base } => {
            let table = table_of(st.inst, arg!().0);
            let callee = host::indirect_callee(st.inst, table, type_index, g32(fp, index));
            enter!(tri!(callee), base)
        },

        // Variables: copies, constants, select, globals, references.
        Copy { dst, src } => var::copy(fp, dst, src),
        Copy2 { dst1, src1, dst2, src2 } => var::copy2(fp, dst1, src1, dst2, src2),
        I32PostAddImm { x, old, imm } => integer::post_add_imm(fp, x.into(), old.into(), imm),
        I32AddAddImm { imm, x, y, z } => integer::add_add_imm(fp, x, y, z, imm),
        Copy128 { dst, src } => var::copy128(fp, dst, src),
        Const32 { dst, value } => var::const32(fp, dst, value),
        Const64 { dst, lo, hi } => var::const64(fp, dst, lo, hi),
        ConstV128 { dst, index } => var::const128(fp, dst, st.consts, index),
        Select { dst, a, b } => var::select(fp, dst, a, b, arg!().0),
        Select128 { dst, a, b } => var::select128(fp, dst, a, b, arg!().0),
        SelectI32Eq { dst, a, b } => var::select_cmp(fp, dst, a, b, arg!(), |x, y| x == y),
        SelectI32LtS { dst, a, b } => var::select_cmp(fp, dst, a, b, arg!(), |x, y| (x as i32) < (y as i32)),
        SelectI32GtS { dst, a, b } => var::select_cmp(fp, dst, a, b, arg!(), |x, y| (x as i32) > (y as i32)),
        SelectI32LtU { dst, a, b } => var::select_cmp(fp, dst, a, b, arg!(), |x, y| x < y),
        SelectI32GtU { dst, a, b } => var::select_cmp(fp, dst, a, b, arg!(), |x, y| x > y),
        SelectI32EqStore { a, b, offset } => tri!(mm::select_store(fp, view, a, b, offset, arg!(), |x, y| x == y)),
        SelectI32LtSStore { a, b, offset } => tri!(mm::select_store(fp, view, a, b, offset, arg!(), |x, y| (x as i32) < (y as i32))),
        SelectI32GtSStore { a, b, offset } => tri!(mm::select_store(fp, view, a, b, offset, arg!(), |x, y| (x as i32) > (y as i32))),
        SelectI32LtUStore { a, b, offset } => tri!(mm::select_store(fp, view, a, b, offset, arg!(), |x, y| x < y)),
        SelectI32GtUStore { a, b, offset } => tri!(mm::select_store(fp, view, a, b, offset, arg!(), |x, y| x > y)),
        GlobalGet { dst, index } => var::global_get(fp, st.inst, dst, index, false),
        GlobalGet128 { dst, index } => var::global_get(fp, st.inst, dst, index, true),
        GlobalSet { index, src } => var::global_set(fp, st.inst, index, src, false),
        GlobalSet128 { index, src } => var::global_set(fp, st.inst, index, src, true),
        RefIsNull { dst, a } => table::ref_is_null(fp, dst, a),
        RefFunc { dst, func } => table::ref_func(fp, st.inst, dst, func),

        // Memory: size and grow (loads and stores below).
        I32ShlAddImm { dst, a, shift, imm } => integer::i32_shl_add_imm(fp, dst, a, shift, imm),
        I32LoadShlW { dst, a, shift, imm } => tri!(mm::i32_load_shl_w(fp, view, dst, a, shift, imm)),
        I64LoadShlW { dst, a, shift, imm } => tri!(mm::i64_load_shl_w(fp, view, dst, a, shift, imm)),
        I32Load8UShlAddImm { dst, off, shift, addr, imm } => {
            slots::s32(fp, dst, tri!(bytes::index(fp, view, addr, off, shift, imm)))
        },
        // Each steps past its `Arg` word before the second load, which then
        // traps as the operator the `Arg` stands for.
        I32LoadByteShl { dst, off, shift, addr, imm } => {
            let ea = tri!(bytes::index(fp, view, addr, off, shift, imm));
            pc = pc.add(1);
            tri!(bytes::load::<u32>(fp, view, dst, ea))
        },
        I64LoadByteShl { dst, off, shift, addr, imm } => {
            let ea = tri!(bytes::index(fp, view, addr, off, shift, imm));
            pc = pc.add(1);
            tri!(bytes::load::<u64>(fp, view, dst, ea))
        },
        // The store traps as the operator its `Arg` word stands for (`arg!` steps past it).
        CopyByte { from, offset } => tri!(bytes::put_byte(fp, view, tri!(bytes::byte(fp, view, from, offset)), arg!())),
        CopyByteW { from, imm } => tri!(bytes::put_byte(fp, view, tri!(bytes::byte_w(fp, view, from, imm)), arg!())),
        I32StoreStep { addr, value, step, offset } => {
            tri!(mm::i32_store(fp, view, addr.into(), value.into(), offset));
            integer::add_slot_in_place(fp, addr.into(), step.into())
        },
        I64StoreStep { addr, value, step, offset } => {
            tri!(mm::i64_store(fp, view, addr.into(), value.into(), offset));
            integer::add_slot_in_place(fp, addr.into(), step.into())
        },
        I32Store8Step { addr, value, step, offset } => {
            tri!(mm::i32_store8(fp, view, addr.into(), value.into(), offset));
            integer::add_slot_in_place(fp, addr.into(), step.into())
        },
        MemorySize { dst } => mm::size(fp, view, dst),
        MemoryGrow { dst, delta } => view = mm::grow(fp, st.mem, dst, delta),

        // The rare families, each through one out-of-line sub-match.
        TableGet { .. } => pc = tri!(table::execute(pc, fp, st.inst)),
        TableSet { .. } => pc = tri!(table::execute(pc, fp, st.inst)),
        TableSize { .. } => pc = tri!(table::execute(pc, fp, st.inst)),
        TableGrow { .. } => pc = tri!(table::execute(pc, fp, st.inst)),
        MemoryFill { .. } => pc = tri!(bulk::execute(pc, fp, st.inst, st.mem)),
        MemoryCopy { .. } => pc = tri!(bulk::execute(pc, fp, st.inst, st.mem)),
        MemoryInit { .. } => pc = tri!(bulk::execute(pc, fp, st.inst, st.mem)),
        DataDrop { .. } => pc = tri!(bulk::execute(pc, fp, st.inst, st.mem)),
        TableFill { .. } => pc = tri!(bulk::execute(pc, fp, st.inst, st.mem)),
        TableCopy { .. } => pc = tri!(bulk::execute(pc, fp, st.inst, st.mem)),
        TableInit { .. } => pc = tri!(bulk::execute(pc, fp, st.inst, st.mem)),
        ElemDrop { .. } => pc = tri!(bulk::execute(pc, fp, st.inst, st.mem)),
        V128LoadKind { .. } => pc = tri!(vector::memory(pc, fp, view)),
        V128LoadLane { .. } => pc = tri!(vector::memory(pc, fp, view)),
        V128StoreLane { .. } => pc = tri!(vector::memory(pc, fp, view)),
        SimdUnary { .. } => pc = vector::execute(pc, fp, st.consts),
        SimdBinary { .. } => pc = vector::execute(pc, fp, st.consts),
        SimdTernary { .. } => pc = vector::execute(pc, fp, st.consts),
        SimdShift { .. } => pc = vector::execute(pc, fp, st.consts),
        SimdTest { .. } => pc = vector::execute(pc, fp, st.consts),
        SimdSplat { .. } => pc = vector::execute(pc, fp, st.consts),
        SimdExtract { .. } => pc = vector::execute(pc, fp, st.consts),
        SimdReplace { .. } => pc = vector::execute(pc, fp, st.consts),
        SimdShuffle { .. } => pc = vector::execute(pc, fp, st.consts),
    }
    branch ctl {
        BrI32Eq => i32_eq, BrI32Ne => i32_ne, BrI32LtS => i32_lt_s, BrI32LtU => i32_lt_u,
        BrI32GtS => i32_gt_s, BrI32GtU => i32_gt_u, BrI32LeS => i32_le_s,
        BrI32LeU => i32_le_u, BrI32GeS => i32_ge_s, BrI32GeU => i32_ge_u,
        BrI64Eq => i64_eq, BrI64Ne => i64_ne, BrI64LtS => i64_lt_s, BrI64LtU => i64_lt_u,
        BrI64GtS => i64_gt_s, BrI64GtU => i64_gt_u, BrI64LeS => i64_le_s,
        BrI64LeU => i64_le_u, BrI64GeS => i64_ge_s, BrI64GeU => i64_ge_u,
        BrF64Lt => f64_lt, BrF64Gt => f64_gt, BrF64Le => f64_le, BrF64Ge => f64_ge,
        BrF64NotLt => f64_not_lt, BrF64NotGt => f64_not_gt,
        BrF64NotLe => f64_not_le, BrF64NotGe => f64_not_ge,
    }
    branch_imm ctl {
        BrI32EqImm => i32_eq_imm, BrI32NeImm => i32_ne_imm,
        BrI32LtSImm => i32_lt_s_imm, BrI32LtUImm => i32_lt_u_imm,
        BrI32GtSImm => i32_gt_s_imm, BrI32GtUImm => i32_gt_u_imm,
        BrI32LeSImm => i32_le_s_imm, BrI32LeUImm => i32_le_u_imm,
        BrI32GeSImm => i32_ge_s_imm, BrI32GeUImm => i32_ge_u_imm,
        BrI32AndNezImm => i32_and_nez_imm, BrI32AndEqzImm => i32_and_eqz_imm,
    }
    sum_branch ctl { BrF64AddLt => f64_add_lt, BrF64AddGt => f64_add_gt, BrF64AddLe => f64_add_le,
        BrF64AddGe => f64_add_ge, BrF64AddNotLt => f64_add_not_lt, BrF64AddNotGt => f64_add_not_gt,
        BrF64AddNotLe => f64_add_not_le, BrF64AddNotGe => f64_add_not_ge }
    add_branch ctl(add64_imm_in_place) {
        AddImmBrI64Eq => i64_eq, AddImmBrI64Ne => i64_ne, AddImmBrI64LtS => i64_lt_s,
        AddImmBrI64LtU => i64_lt_u, AddImmBrI64GtS => i64_gt_s, AddImmBrI64GtU => i64_gt_u,
        AddImmBrI64LeS => i64_le_s, AddImmBrI64LeU => i64_le_u, AddImmBrI64GeS => i64_ge_s,
        AddImmBrI64GeU => i64_ge_u,
    }
    add_branch ctl(add_in_place) {
        AddBrI32Eq => i32_eq, AddBrI32Ne => i32_ne, AddBrI32LtS => i32_lt_s, AddBrI32LtU => i32_lt_u,
        AddBrI32GtS => i32_gt_s, AddBrI32GtU => i32_gt_u, AddBrI32LeS => i32_le_s, AddBrI32LeU => i32_le_u,
        AddBrI32GeS => i32_ge_s, AddBrI32GeU => i32_ge_u,
    }
    add_branch64 ctl {
        AddBrI64Eq => i64_eq, AddBrI64Ne => i64_ne, AddBrI64LtS => i64_lt_s, AddBrI64LtU => i64_lt_u,
        AddBrI64GtS => i64_gt_s, AddBrI64GtU => i64_gt_u, AddBrI64LeS => i64_le_s, AddBrI64LeU => i64_le_u,
        AddBrI64GeS => i64_ge_s, AddBrI64GeU => i64_ge_u,
    }
    add_branch_imm ctl {
        AddBrI32EqImm => i32_eq_imm, AddBrI32NeImm => i32_ne_imm, AddBrI32LtSImm => i32_lt_s_imm,
        AddBrI32LtUImm => i32_lt_u_imm, AddBrI32GtSImm => i32_gt_s_imm, AddBrI32GtUImm => i32_gt_u_imm,
        AddBrI32LeSImm => i32_le_s_imm, AddBrI32LeUImm => i32_le_u_imm, AddBrI32GeSImm => i32_ge_s_imm,
        AddBrI32GeUImm => i32_ge_u_imm,
    }
    load mm {
        I32Load => i32_load, I64Load => i64_load, I32Load8S => i32_load8_s,
        I32Load8U => i32_load8_u, I32Load16S => i32_load16_s, I32Load16U => i32_load16_u,
        I64Load8S => i64_load8_s, I64Load8U => i64_load8_u, I64Load16S => i64_load16_s,
        I64Load16U => i64_load16_u, I64Load32S => i64_load32_s,
        I64Load32U => i64_load32_u, V128Load => v128_load,
    }
    load_w mm {
        I32LoadW => i32_load_w, I64LoadW => i64_load_w, I32Load8UW => i32_load8_u_w,
        I32Load8SW => i32_load8_s_w, I32Load16UW => i32_load16_u_w,
        I32Load16SW => i32_load16_s_w,
    }
    load_idx mm {
        I32LoadIdx => i32_load_idx, I64LoadIdx => i64_load_idx,
        I32Load8UIdx => i32_load8_u_idx,
    }
    store mm {
        I32Store => i32_store, I64Store => i64_store, I32Store8 => i32_store8,
        I32Store16 => i32_store16, I64Store32 => i64_store32, V128Store => v128_store,
    }
    store_w mm { I32StoreW => i32_store_w, I64StoreW => i64_store_w, I32Store8W => i32_store8_w }
    load_arith mm { F64AddLoad => f64_add_load, F64SubLoad => f64_sub_load, F64MulLoad => f64_mul_load,
        F64AddToMem => f64_add_to_mem, F64SubToMem => f64_sub_to_mem, F64MulToMem => f64_mul_to_mem }
    arith_store mm {
        F64AddStore => f64_add_store, F64SubStore => f64_sub_store, F64MulStore => f64_mul_store,
        I64AddStore => i64_add_store, I64SubStore => i64_sub_store, I64MulStore => i64_mul_store,
        I64AndStore => i64_and_store, I64OrStore => i64_or_store, I64XorStore => i64_xor_store,
    }
    load_arith_w mm {
        F64AddLoadW => f64_add_load_w, F64SubLoadW => f64_sub_load_w,
        F64MulLoadW => f64_mul_load_w,
    }
    unary integer {
        I32Eqz => i32_eqz, I32Clz => i32_clz, I32Ctz => i32_ctz, I32Popcnt => i32_popcnt,
        I64Eqz => i64_eqz, I64Clz => i64_clz, I64Ctz => i64_ctz, I64Popcnt => i64_popcnt,
    }
    binary integer {
        I32Add => i32_add, I32Sub => i32_sub, I32Mul => i32_mul, I32And => i32_and,
        I32Or => i32_or, I32Xor => i32_xor, I32Shl => i32_shl, I32ShrS => i32_shr_s,
        I32ShrU => i32_shr_u, I32Rotl => i32_rotl, I32Rotr => i32_rotr,
        I32Eq => i32_eq, I32Ne => i32_ne, I32LtS => i32_lt_s, I32LtU => i32_lt_u,
        I32GtS => i32_gt_s, I32GtU => i32_gt_u, I32LeS => i32_le_s, I32LeU => i32_le_u,
        I32GeS => i32_ge_s, I32GeU => i32_ge_u,
        I64Add => i64_add, I64Sub => i64_sub, I64Mul => i64_mul, I64And => i64_and,
        I64Or => i64_or, I64Xor => i64_xor, I64Shl => i64_shl, I64ShrS => i64_shr_s,
        I64ShrU => i64_shr_u, I64Rotl => i64_rotl, I64Rotr => i64_rotr,
        I64Eq => i64_eq, I64Ne => i64_ne, I64LtS => i64_lt_s, I64LtU => i64_lt_u,
        I64GtS => i64_gt_s, I64GtU => i64_gt_u, I64LeS => i64_le_s, I64LeU => i64_le_u,
        I64GeS => i64_ge_s, I64GeU => i64_ge_u,
    }
    binary_try integer {
        I32DivS => i32_div_s, I32DivU => i32_div_u, I32RemS => i32_rem_s,
        I32RemU => i32_rem_u, I64DivS => i64_div_s, I64DivU => i64_div_u,
        I64RemS => i64_rem_s, I64RemU => i64_rem_u,
    }
    imm integer {
        I32AddImm => i32_add_imm, I32MulImm => i32_mul_imm, I32AndImm => i32_and_imm,
        I32OrImm => i32_or_imm, I32XorImm => i32_xor_imm, I32ShlImm => i32_shl_imm,
        I32ShrSImm => i32_shr_s_imm, I32ShrUImm => i32_shr_u_imm,
        I32RotlImm => i32_rotl_imm, I32RotrImm => i32_rotr_imm,
        I32EqImm => i32_eq_imm, I32NeImm => i32_ne_imm, I32LtSImm => i32_lt_s_imm,
        I32LtUImm => i32_lt_u_imm, I32GtSImm => i32_gt_s_imm, I32GtUImm => i32_gt_u_imm,
        I32LeSImm => i32_le_s_imm, I32LeUImm => i32_le_u_imm, I32GeSImm => i32_ge_s_imm,
        I32GeUImm => i32_ge_u_imm,
        I64AddImm => i64_add_imm, I64MulImm => i64_mul_imm, I64AndImm => i64_and_imm,
        I64ShlImm => i64_shl_imm, I64ShrSImm => i64_shr_s_imm,
        I64ShrUImm => i64_shr_u_imm, I64RotlImm => i64_rotl_imm,
        I64RotrImm => i64_rotr_imm, I64EqImm => i64_eq_imm, I64NeImm => i64_ne_imm,
        I64LtSImm => i64_lt_s_imm, I64LtUImm => i64_lt_u_imm,
        I64GtSImm => i64_gt_s_imm, I64GtUImm => i64_gt_u_imm,
    }
    shifted integer {
        I32XorRotl => i32_xor_rotl, I32XorShl => i32_xor_shl, I32XorShrU => i32_xor_shr_u,
        I32AddRotl => i32_add_rotl, I32AddShl => i32_add_shl, I32AddShrU => i32_add_shr_u,
        I32OrRotl => i32_or_rotl, I32OrShl => i32_or_shl, I32OrShrU => i32_or_shr_u,
    }
    unary float {
        F32Abs => f32_abs, F32Neg => f32_neg, F32Ceil => f32_ceil, F32Floor => f32_floor,
        F32Trunc => f32_trunc, F32Nearest => f32_nearest, F32Sqrt => f32_sqrt,
        F64Abs => f64_abs, F64Neg => f64_neg, F64Ceil => f64_ceil, F64Floor => f64_floor,
        F64Trunc => f64_trunc, F64Nearest => f64_nearest, F64Sqrt => f64_sqrt,
    }
    binary float {
        F32Add => f32_add, F32Sub => f32_sub, F32Mul => f32_mul, F32Div => f32_div,
        F32Min => f32_min, F32Max => f32_max, F32Copysign => f32_copysign,
        F32Eq => f32_eq, F32Ne => f32_ne, F32Lt => f32_lt, F32Gt => f32_gt,
        F32Le => f32_le, F32Ge => f32_ge,
        F64Add => f64_add, F64Sub => f64_sub, F64Mul => f64_mul, F64Div => f64_div,
        F64Min => f64_min, F64Max => f64_max, F64Copysign => f64_copysign,
        F64Eq => f64_eq, F64Ne => f64_ne, F64Lt => f64_lt, F64Gt => f64_gt,
        F64Le => f64_le, F64Ge => f64_ge,
    }
    chain integer {
        I32AddAdd => i32_add_add, I32MulAdd => i32_mul_add,
        I32AddEq => i32_add_eq, I32AddNe => i32_add_ne, I32AddLtS => i32_add_lt_s, I32AddLtU => i32_add_lt_u,
        I32AddGtS => i32_add_gt_s, I32AddGtU => i32_add_gt_u, I32AddLeS => i32_add_le_s, I32AddLeU => i32_add_le_u,
        I32AddGeS => i32_add_ge_s, I32AddGeU => i32_add_ge_u,
    }
    chain float {
        F64AddAdd => f64_add_add, F64AddAddR => f64_add_add_r, F64AddSub => f64_add_sub,
        F64AddSubR => f64_add_sub_r, F64AddMul => f64_add_mul, F64AddMulR => f64_add_mul_r,
        F64SubAdd => f64_sub_add, F64SubAddR => f64_sub_add_r, F64SubSub => f64_sub_sub,
        F64SubSubR => f64_sub_sub_r, F64SubMul => f64_sub_mul, F64SubMulR => f64_sub_mul_r,
        F64MulAdd => f64_mul_add, F64MulAddR => f64_mul_add_r, F64MulSub => f64_mul_sub,
        F64MulSubR => f64_mul_sub_r, F64MulMul => f64_mul_mul, F64MulMulR => f64_mul_mul_r,
    }
    unary convert {
        I32Extend8S => i32_extend8_s, I32Extend16S => i32_extend16_s,
        I64Extend8S => i64_extend8_s, I64Extend16S => i64_extend16_s,
        I64Extend32S => i64_extend32_s, I32WrapI64 => i32_wrap_i64,
        I64ExtendI32S => i64_extend_i32_s,
        I32TruncSatF32S => i32_trunc_sat_f32_s, I32TruncSatF32U => i32_trunc_sat_f32_u,
        I32TruncSatF64S => i32_trunc_sat_f64_s, I32TruncSatF64U => i32_trunc_sat_f64_u,
        I64TruncSatF32S => i64_trunc_sat_f32_s, I64TruncSatF32U => i64_trunc_sat_f32_u,
        I64TruncSatF64S => i64_trunc_sat_f64_s, I64TruncSatF64U => i64_trunc_sat_f64_u,
        F32ConvertI32S => f32_convert_i32_s, F32ConvertI32U => f32_convert_i32_u,
        F32ConvertI64S => f32_convert_i64_s, F32ConvertI64U => f32_convert_i64_u,
        F64ConvertI32S => f64_convert_i32_s, F64ConvertI32U => f64_convert_i32_u,
        F64ConvertI64S => f64_convert_i64_s, F64ConvertI64U => f64_convert_i64_u,
        F32DemoteF64 => f32_demote_f64, F64PromoteF32 => f64_promote_f32,
    }
    unary_try convert {
        I32TruncF32S => i32_trunc_f32_s, I32TruncF32U => i32_trunc_f32_u,
        I32TruncF64S => i32_trunc_f64_s, I32TruncF64U => i32_trunc_f64_u,
        I64TruncF32S => i64_trunc_f32_s, I64TruncF32U => i64_trunc_f32_u,
        I64TruncF64S => i64_trunc_f64_s, I64TruncF64U => i64_trunc_f64_u,
    }
}

mod slow_paths; // after the macros above, which it uses too
