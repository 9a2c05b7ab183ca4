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
//! void kiln_rt_memory_init(ptr vmctx, i32 memory, i32 segment, i32 dst, i32 src, i32 len)
//! void kiln_rt_data_drop(ptr vmctx, i32 segment)
//! i32  kiln_rt_table_grow(ptr vmctx, i32 table, ptr init, i32 delta) ; old size or -1
//! void kiln_rt_table_fill(ptr vmctx, i32 table, i32 dst, ptr value, i32 len)
//! void kiln_rt_table_copy(ptr vmctx, i32 dst_table, i32 src_table, i32 dst, i32 src, i32 len)
//! void kiln_rt_table_init(ptr vmctx, i32 table, i32 segment, i32 dst, i32 src, i32 len)
//! void kiln_rt_elem_drop(ptr vmctx, i32 segment)
//! ```
//!
//! The bulk intrinsics (`memory_init` .. `elem_drop`) implement the wasm
//! operators of the same names on entities of the calling instance (`vmctx`
//! is the caller's own VMContext; indices are in its index spaces). Those
//! that copy or fill check their whole ranges first and, if either is out of
//! bounds, trap (`MemoryOutOfBounds` for `memory_init`, `TableOutOfBounds`
//! for the table ones) through the same unwinding as `kiln_rt_trap`, without
//! writing anything; they return normally otherwise. A dropped segment
//! behaves as an empty one. `ptr` references are `funcref`/`externref`
//! values (null is 0). `memory.fill`, `memory.copy`, `table.get`,
//! `table.set`, `table.size` and `ref.func` need no intrinsic: compiled code
//! checks their bounds inline (`memory.fill`/`memory.copy` then call the C
//! `memset`/`memmove`, which the loader also resolves).
//!
//! `code` is a `kiln_format::TrapCode`. `kiln_rt_trap` must not return: it
//! unwinds (e.g. longjmp) to the innermost host-to-wasm entry; only compiled
//! wasm frames lie between, and they need no cleanup.

use crate::env::ModuleEnv;
use inkwell::context::Context;
use inkwell::types::{BasicMetadataTypeEnum, BasicType, BasicTypeEnum, FunctionType};
use inkwell::AddressSpace;
use kiln_format::intrinsics::{AbiType, Intrinsic};
use wasmparser::{FuncType, ValType};

/// Size of one return-area slot.
pub const RET_SLOT_SIZE: u32 = kiln_format::SLOT_SIZE as u32;

/// The symbol of function `index` (in the full function index space).
pub fn func_symbol(index: u32) -> String {
    kiln_format::artifact::KilnSymbol::Func(index).to_string()
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

/// The native type of function `index`'s OSR entries
/// (`kiln_osr_<F>_<L>(ptr vmctx, ptr locals [, ptr ret_area])`, format-spec
/// `osr`): `index`'s results and return area, its locals in a buffer.
pub fn osr_function_type<'ctx>(
    ctx: &'ctx Context,
    env: &ModuleEnv,
    index: u32,
) -> FunctionType<'ctx> {
    let ty = env.func_type(index);
    let ptr = ctx.ptr_type(AddressSpace::default());
    let mut params: Vec<BasicMetadataTypeEnum> = vec![ptr.into(), ptr.into()];
    if ty.results().len() > 1 {
        params.push(ptr.into());
    }
    match ty.results().first() {
        None => ctx.void_type().fn_type(&params, false),
        Some(r) => value_type(ctx, *r).fn_type(&params, false),
    }
}

/// The native type of a runtime intrinsic (`kiln_format::intrinsics`).
pub fn intrinsic_type<'ctx>(ctx: &'ctx Context, intrinsic: &Intrinsic) -> FunctionType<'ctx> {
    let native = |t: AbiType| -> BasicTypeEnum<'ctx> {
        match t {
            AbiType::Ptr => ctx.ptr_type(AddressSpace::default()).into(),
            AbiType::I32 => ctx.i32_type().into(),
        }
    };
    let params: Vec<BasicMetadataTypeEnum> =
        intrinsic.params.iter().map(|t| native(*t).into()).collect();
    match intrinsic.result {
        Some(r) => native(r).fn_type(&params, false),
        None => ctx.void_type().fn_type(&params, false),
    }
}
