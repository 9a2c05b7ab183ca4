//! Per-signature trampolines between value slots and the native calling
//! convention (SPEC.md section 5), generic over the target:
//!
//! - `array_call(vmctx, callee, slots)`: host to wasm; parameters from
//!   16-byte slots, results back into them.
//! - `wasm_call(ctx, params.. [, ret_area])`: wasm to host; the wasm
//!   convention of the type, spilling the parameters to slots on its stack
//!   and calling `kiln_rt_call_host(ctx, slots)`.

use crate::codegen::stack::width;
use crate::masm::*;
use wasmparser::FuncType;

const SLOT: i32 = kiln_format::SLOT_SIZE as i32;

fn kinds(ty: &FuncType) -> (Vec<Kind>, Vec<Kind>) {
    let results = ty.results().iter().map(|t| Kind::of(*t)).collect();
    (abi_kinds(ty), results)
}

fn reg(loc: ArgLoc) -> Reg {
    match loc {
        ArgLoc::Reg(r) => r,
        ArgLoc::Stack(_) => unreachable!("the first arguments are in registers"),
    }
}

/// Emits `array_call` for `ty`.
pub(crate) fn array_call<M: MacroAssembler>(masm: &mut M, ty: &FuncType) {
    let (hold, vmctx) = (M::LOCAL_GPRS[0], M::LOCAL_GPRS[1]);
    let saved = [hold, vmctx];
    let patch = masm.prologue(&saved, None);
    let incoming = M::call_layout(&[Kind::I64; 3]);
    masm.mov(Kind::I64, vmctx, reg(incoming.args[0]));
    masm.mov(Kind::I64, hold, reg(incoming.args[2]));
    masm.mov(Kind::I64, M::CALL_TARGET, reg(incoming.args[1]));
    let (args, results) = kinds(ty);
    let layout = M::call_layout(&args);
    let ret_area = layout.stack_bytes as i32;
    let n = ty.params().len();
    for stack_pass in [true, false] {
        for (i, loc) in layout.args.iter().enumerate().skip(1) {
            let slot = Mem::at(hold, SLOT * (i as i32 - 1));
            match (*loc, i <= n, stack_pass) {
                (ArgLoc::Stack(s), true, true) => {
                    masm.mem_copy(args[i], Mem::at(M::SP, s as i32), slot)
                }
                (ArgLoc::Reg(r), true, false) => masm.load(LoadKind::Full(args[i]), r, slot),
                (ArgLoc::Reg(r), false, false) => masm.lea(r, Mem::at(M::SP, ret_area)),
                (ArgLoc::Stack(s), false, true) => {
                    // The context's register is free until the call.
                    let tmp = reg(layout.args[0]);
                    masm.lea(tmp, Mem::at(M::SP, ret_area));
                    masm.store(8, Mem::at(M::SP, s as i32), tmp);
                }
                _ => {}
            }
        }
    }
    masm.mov(Kind::I64, reg(layout.args[0]), vmctx);
    masm.call_reg(M::CALL_TARGET);
    for (j, k) in results.iter().enumerate() {
        let slot = Mem::at(hold, SLOT * j as i32);
        if j == 0 {
            let r = if k.is_float() { M::RET_FPR } else { M::RET_GPR };
            masm.store(width(*k), slot, r);
        } else {
            masm.mem_copy(*k, slot, Mem::at(M::SP, ret_area + SLOT * (j as i32 - 1)));
        }
    }
    masm.epilogue(&saved);
    let area = results.len().saturating_sub(1) as u32 * SLOT as u32;
    masm.patch_frame(patch, saved.len(), layout.stack_bytes + area);
}

/// Emits `wasm_call` for `ty`, calling `call_host`.
pub(crate) fn wasm_call<M: MacroAssembler>(masm: &mut M, ty: &FuncType, call_host: usize) {
    let hold = M::LOCAL_GPRS[0];
    let saved = [hold];
    let patch = masm.prologue(&saved, None);
    let (args, results) = kinds(ty);
    let layout = M::call_layout(&args);
    let n = ty.params().len();
    let incoming = M::incoming_stack_base() as i32;
    for i in 0..n {
        let slot = Mem::at(M::SP, SLOT * i as i32);
        match layout.args[i + 1] {
            ArgLoc::Reg(r) => masm.store(width(args[i + 1]), slot, r),
            ArgLoc::Stack(s) => {
                masm.mem_copy(args[i + 1], slot, Mem::at(M::FP, incoming + s as i32))
            }
        }
    }
    if results.len() > 1 {
        match layout.args[n + 1] {
            ArgLoc::Reg(r) => masm.mov(Kind::I64, hold, r),
            ArgLoc::Stack(s) => {
                let src = Mem::at(M::FP, incoming + s as i32);
                masm.load(LoadKind::Full(Kind::I64), hold, src)
            }
        }
    }
    let host = M::call_layout(&[Kind::I64, Kind::I64]);
    masm.mov(Kind::I64, reg(host.args[0]), reg(layout.args[0]));
    masm.lea(reg(host.args[1]), Mem::at(M::SP, 0));
    masm.call_abs(call_host);
    for (j, k) in results.iter().enumerate().skip(1) {
        let src = Mem::at(M::SP, SLOT * j as i32);
        masm.mem_copy(*k, Mem::at(hold, SLOT * (j as i32 - 1)), src);
    }
    if let Some(k) = results.first() {
        let r = if k.is_float() { M::RET_FPR } else { M::RET_GPR };
        masm.load(LoadKind::Full(*k), r, Mem::at(M::SP, 0));
    }
    masm.epilogue(&saved);
    let slots = n.max(results.len()).max(1) as u32;
    masm.patch_frame(patch, saved.len(), slots * SLOT as u32);
}
