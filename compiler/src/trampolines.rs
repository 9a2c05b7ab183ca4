//! Per-signature trampolines between value slots and the wasm calling
//! convention (SPEC.md section 5).
//!
//! - `kiln_array_call_<T>(vmctx, callee, slots)`: host to wasm. Reads the
//!   parameters from 16-byte value slots, calls `callee` (a function of
//!   type `T`), writes the results back to the slots.
//! - `kiln_wasm_call_<T>(ctx, params.. [, ret_area])`: wasm to host. Has the
//!   wasm convention of type `T`, spills its parameters to slots on its
//!   stack and calls `kiln_rt_call_host(ctx, slots)`, then returns the
//!   results found in the slots.

use crate::abi;
use crate::env::ModuleEnv;
use crate::error::{CompileError, Result};
use inkwell::attributes::{Attribute, AttributeLoc};
use inkwell::builder::Builder;
use inkwell::context::Context;
use inkwell::module::{Linkage, Module};
use inkwell::types::BasicTypeEnum;
use inkwell::values::{
    AsValueRef, BasicMetadataValueEnum, BasicValueEnum, FunctionValue, InstructionValue,
    PointerValue,
};
use inkwell::{AddressSpace, GlobalVisibility};
use kiln_format::artifact::KilnSymbol;
use wasmparser::FuncType;

const SLOT: u64 = kiln_format::SLOT_SIZE as u64;

fn llvm_err(e: impl std::fmt::Display) -> CompileError {
    CompileError::Llvm(e.to_string())
}

/// Adds the trampolines `env` needs to `module` (SPEC.md 4.11): an
/// `array_call` for every type index that is the type of some function
/// (defined or imported: a host may call any function value), a
/// `wasm_call` for every type index of an imported function.
pub fn add_trampolines<'ctx>(
    ctx: &'ctx Context,
    module: &Module<'ctx>,
    env: &ModuleEnv<'_>,
) -> Result<()> {
    for t in env.array_call_types() {
        checked(array_call(ctx, module, t, &env.types[t as usize])?)?;
    }
    for t in env.host_call_types() {
        checked(wasm_call(ctx, module, t, &env.types[t as usize])?)?;
    }
    Ok(())
}

/// Runs LLVM's verifier on one trampoline (cheaper than the whole module).
fn checked(f: FunctionValue<'_>) -> Result<()> {
    if f.verify(false) {
        Ok(())
    } else {
        let name = f.get_name().to_string_lossy().into_owned();
        Err(CompileError::Llvm(format!(
            "invalid IR in trampoline {name}"
        )))
    }
}

fn define<'ctx>(
    ctx: &'ctx Context,
    module: &Module<'ctx>,
    name: &str,
    ty: inkwell::types::FunctionType<'ctx>,
) -> FunctionValue<'ctx> {
    let f = module.add_function(name, ty, Some(Linkage::External));
    f.as_global_value().set_visibility(GlobalVisibility::Hidden);
    let nounwind = ctx.create_enum_attribute(Attribute::get_named_enum_kind_id("nounwind"), 0);
    f.add_attribute(AttributeLoc::Function, nounwind);
    f.add_attribute(
        AttributeLoc::Function,
        ctx.create_string_attribute("frame-pointer", "all"),
    );
    f
}

/// The address of slot `i` of `base`.
fn slot_ptr<'ctx>(
    ctx: &'ctx Context,
    b: &Builder<'ctx>,
    base: PointerValue<'ctx>,
    i: u64,
) -> Result<PointerValue<'ctx>> {
    let offset = ctx.i64_type().const_int(i * SLOT, false);
    // SAFETY: the slot arrays have at least `i + 1` slots (SPEC.md section 5).
    unsafe { b.build_gep(ctx.i8_type(), base, &[offset], "slot") }.map_err(llvm_err)
}

fn load_slot<'ctx>(
    ctx: &'ctx Context,
    b: &Builder<'ctx>,
    base: PointerValue<'ctx>,
    i: u64,
    ty: BasicTypeEnum<'ctx>,
) -> Result<BasicValueEnum<'ctx>> {
    let p = slot_ptr(ctx, b, base, i)?;
    let v = b.build_load(ty, p, "v").map_err(llvm_err)?;
    align16(v.as_value_ref())?;
    Ok(v)
}

/// Stores `v` into slot `i` of `base`, the bytes above its width zeroed
/// (SPEC.md section 2).
fn store_slot<'ctx>(
    ctx: &'ctx Context,
    b: &Builder<'ctx>,
    base: PointerValue<'ctx>,
    i: u64,
    v: BasicValueEnum<'ctx>,
) -> Result<()> {
    let p = slot_ptr(ctx, b, base, i)?;
    if !v.is_vector_value() {
        let zero = b
            .build_store(p, ctx.i128_type().const_zero())
            .map_err(llvm_err)?;
        zero.set_alignment(16).map_err(llvm_err)?;
    }
    let st = b.build_store(p, v).map_err(llvm_err)?;
    st.set_alignment(16).map_err(llvm_err)?;
    Ok(())
}

/// Sets 16-byte alignment on the load or alloca instruction `v`.
fn align16(v: inkwell::llvm_sys::prelude::LLVMValueRef) -> Result<()> {
    // SAFETY: `v` was just returned by the builder as an instruction.
    let inst = unsafe { InstructionValue::new(v) };
    inst.set_alignment(16).map_err(llvm_err)
}

/// A 16-aligned stack array of `n` value slots.
fn slot_array<'ctx>(
    ctx: &'ctx Context,
    b: &Builder<'ctx>,
    n: u64,
    name: &str,
) -> Result<PointerValue<'ctx>> {
    let ty = ctx.i8_type().array_type((n * SLOT) as u32);
    let p = b.build_alloca(ty, name).map_err(llvm_err)?;
    align16(p.as_value_ref())?;
    Ok(p)
}

fn array_call<'ctx>(
    ctx: &'ctx Context,
    module: &Module<'ctx>,
    t: u32,
    ty: &FuncType,
) -> Result<FunctionValue<'ctx>> {
    let ptr = ctx.ptr_type(AddressSpace::default());
    let fty = ctx
        .void_type()
        .fn_type(&[ptr.into(), ptr.into(), ptr.into()], false);
    let f = define(ctx, module, &KilnSymbol::ArrayCall(t).to_string(), fty);
    let b = ctx.create_builder();
    b.position_at_end(ctx.append_basic_block(f, "entry"));
    let param = |i: u32| f.get_nth_param(i).expect("declared").into_pointer_value();
    let (vmctx, callee, slots) = (param(0), param(1), param(2));
    let mut args: Vec<BasicMetadataValueEnum> = vec![vmctx.into()];
    for (i, p) in ty.params().iter().enumerate() {
        args.push(load_slot(ctx, &b, slots, i as u64, abi::value_type(ctx, *p))?.into());
    }
    let extra = ty.results().len().saturating_sub(1) as u64;
    let ret_area = if extra > 0 {
        let area = slot_array(ctx, &b, extra, "ret_area")?;
        args.push(area.into());
        Some(area)
    } else {
        None
    };
    let call = b
        .build_indirect_call(abi::function_type(ctx, ty), callee, &args, "r")
        .map_err(llvm_err)?;
    if let Some(r0) = call.try_as_basic_value().basic() {
        store_slot(ctx, &b, slots, 0, r0)?;
    }
    if let Some(area) = ret_area {
        for (j, r) in ty.results().iter().enumerate().skip(1) {
            let v = load_slot(ctx, &b, area, j as u64 - 1, abi::value_type(ctx, *r))?;
            store_slot(ctx, &b, slots, j as u64, v)?;
        }
    }
    b.build_return(None).map_err(llvm_err)?;
    Ok(f)
}

fn wasm_call<'ctx>(
    ctx: &'ctx Context,
    module: &Module<'ctx>,
    t: u32,
    ty: &FuncType,
) -> Result<FunctionValue<'ctx>> {
    let f = define(
        ctx,
        module,
        &KilnSymbol::WasmCall(t).to_string(),
        abi::function_type(ctx, ty),
    );
    let call_host = &kiln_format::intrinsics::CALL_HOST;
    let host = module.get_function(call_host.name).unwrap_or_else(|| {
        let hty = abi::intrinsic_type(ctx, call_host);
        module.add_function(call_host.name, hty, Some(Linkage::External))
    });
    let b = ctx.create_builder();
    b.position_at_end(ctx.append_basic_block(f, "entry"));
    let n = ty.params().len().max(ty.results().len()).max(1) as u64;
    let slots = slot_array(ctx, &b, n, "slots")?;
    for i in 0..ty.params().len() {
        let v = f.get_nth_param(i as u32 + 1).expect("declared");
        store_slot(ctx, &b, slots, i as u64, v)?;
    }
    let host_ctx = f.get_nth_param(0).expect("declared");
    b.build_call(host, &[host_ctx.into(), slots.into()], "")
        .map_err(llvm_err)?;
    if ty.results().len() > 1 {
        let area = f
            .get_nth_param(ty.params().len() as u32 + 1)
            .expect("declared")
            .into_pointer_value();
        for (j, r) in ty.results().iter().enumerate().skip(1) {
            let v = load_slot(ctx, &b, slots, j as u64, abi::value_type(ctx, *r))?;
            store_slot(ctx, &b, area, j as u64 - 1, v)?;
        }
    }
    match ty.results().first() {
        Some(r) => {
            let v = load_slot(ctx, &b, slots, 0, abi::value_type(ctx, *r))?;
            b.build_return(Some(&v)).map_err(llvm_err)?;
        }
        None => {
            b.build_return(None).map_err(llvm_err)?;
        }
    }
    Ok(f)
}
