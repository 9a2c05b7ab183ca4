//! The native calling convention of compiled wasm functions and the
//! signatures of the runtime intrinsics compiled code calls.
//!
//! # Wasm functions
//!
//! A wasm function of type `[p0 .. pn] -> [r0 .. rm]` becomes a native
//! function with the target's C calling convention:
//!
//! ```text
//! r0 kiln_func_<index>(ptr vmctx, p0, .., pn [, ptr ret_area])
//! ```
//!
//! - `vmctx` is the callee's VMContext (from `VMFuncRef::vmctx`).
//! - Values map to native types: `i32` -> `i32`, `i64` -> `i64`,
//!   `f32` -> `float`, `f64` -> `double`, `v128` -> `<4 x i32>` (a vector
//!   register), `funcref`/`externref` -> `ptr` (null is 0).
//! - No results: the native function returns `void`. One or more results:
//!   it returns `r0` in registers.
//! - Two or more results: the caller passes a trailing `ret_area` pointer to
//!   `(m - 1) * 16` bytes, 16-byte aligned; the callee stores `r1 .. rm` into
//!   consecutive 16-byte value slots (`kiln_format::ValueSlot` layout: the
//!   value's little-endian bits in the low bytes; the high bytes are left
//!   unspecified) before returning. `r1` is at offset 0.
//! - `<index>` is the function's index in the module's function space
//!   (imports first); only defined functions have symbols.
//!
//! # Intrinsics (provided by the runtime, resolved by the loader)
//!
//! ```text
//! void kiln_rt_trap(ptr vmctx, i32 code)                        ; noreturn, cold, nounwind
//! i32  kiln_rt_memory_grow(ptr vmctx, i32 memory, i32 delta) ; old size in pages or -1
//! ```
//!
//! `code` is a `kiln_format::TrapCode`. `kiln_rt_trap` must not return: it
//! unwinds (e.g. longjmp) to the innermost host-to-wasm entry; only compiled
//! wasm frames lie between, and they need no cleanup.

use crate::env::ModuleEnv;
use inkwell::context::Context;
use inkwell::types::{BasicMetadataTypeEnum, BasicType, BasicTypeEnum, FunctionType};
use inkwell::AddressSpace;
use wasmparser::{FuncType, ValType};

/// Name of the trap intrinsic.
pub const TRAP_SYMBOL: &str = "kiln_rt_trap";
/// Name of the memory-grow intrinsic.
pub const MEMORY_GROW_SYMBOL: &str = "kiln_rt_memory_grow";
/// Size of one return-area slot.
pub const RET_SLOT_SIZE: u32 = kiln_format::SLOT_SIZE as u32;

/// The symbol of function `index` (in the full function index space).
pub fn func_symbol(index: u32) -> String {
    format!("kiln_func_{index}")
}

/// The native type of a wasm value type.
pub fn value_type<'ctx>(ctx: &'ctx Context, ty: ValType) -> BasicTypeEnum<'ctx> {
    match ty {
        ValType::I32 => ctx.i32_type().into(),
        ValType::I64 => ctx.i64_type().into(),
        ValType::F32 => ctx.f32_type().into(),
        ValType::F64 => ctx.f64_type().into(),
        ValType::V128 => ctx.i32_type().vec_type(4).into(),
        ValType::Ref(_) => ctx.ptr_type(AddressSpace::default()).into(),
    }
}

/// The native function type of a wasm function type.
pub fn function_type<'ctx>(ctx: &'ctx Context, ty: &FuncType) -> FunctionType<'ctx> {
    let ptr = ctx.ptr_type(AddressSpace::default());
    let mut params: Vec<BasicMetadataTypeEnum> = vec![ptr.into()];
    params.extend(
        ty.params()
            .iter()
            .map(|t| BasicMetadataTypeEnum::from(value_type(ctx, *t))),
    );
    if ty.results().len() > 1 {
        params.push(ptr.into());
    }
    match ty.results().first() {
        None => ctx.void_type().fn_type(&params, false),
        Some(r) => value_type(ctx, *r).fn_type(&params, false),
    }
}

/// The native type of function `index` of `env`.
pub fn function_type_of<'ctx>(
    ctx: &'ctx Context,
    env: &ModuleEnv,
    index: u32,
) -> FunctionType<'ctx> {
    function_type(ctx, env.func_type(index))
}

/// `void kiln_rt_trap(ptr vmctx, i32 code)`.
pub fn trap_type(ctx: &Context) -> FunctionType<'_> {
    let ptr = ctx.ptr_type(AddressSpace::default());
    ctx.void_type()
        .fn_type(&[ptr.into(), ctx.i32_type().into()], false)
}

/// `i32 kiln_rt_memory_grow(ptr vmctx, i32 memory, i32 delta)`.
pub fn memory_grow_type(ctx: &Context) -> FunctionType<'_> {
    let ptr = ctx.ptr_type(AddressSpace::default());
    let i32t = ctx.i32_type();
    i32t.fn_type(&[ptr.into(), i32t.into(), i32t.into()], false)
}
