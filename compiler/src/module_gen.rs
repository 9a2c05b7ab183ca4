//! Building one LLVM module from a range of defined functions.
//!
//! Each defined function becomes a hidden, externally visible symbol
//! `kiln_func_<index>` with the wasm calling convention of [`crate::abi`],
//! `nounwind` (traps never unwind through compiled frames), frame pointers
//! kept (so the runtime can walk wasm frames for backtraces) and tail calls
//! disabled (a runaway recursion must hit the stack limit, not loop).
//! Tier-up adds OSR entries `kiln_osr_<F>_<L>` the same way. With
//! `TranslateConfig::wasm_offsets`, every function carries the module
//! offsets of its operators as debug locations ([`crate::debug_loc`]).

use crate::abi;
use crate::debug_loc::OffsetDebug;
use crate::env::ModuleEnv;
use crate::error::{CompileError, Result};
use crate::translate::{translate_function, FunctionTarget, TranslateConfig};
use inkwell::attributes::{Attribute, AttributeLoc};
use inkwell::context::Context;
use inkwell::module::{FlagBehavior, Linkage, Module};
use inkwell::targets::TargetMachine;
use inkwell::GlobalVisibility;
use kiln_format::artifact::KilnSymbol;

/// What goes into one LLVM module: the defined functions `defined`
/// (0-based among defined functions), then the OSR entries `osr` (each a
/// defined function and a loop ordinal), in a module named `name`.
pub struct ModuleParts<'p, I> {
    pub defined: I,
    pub osr: &'p [(u32, u32)],
    pub name: &'p str,
}

/// Translates `parts` of `env` into a new module of `ctx` for `machine`,
/// calling `tick` after each defined function.
pub fn build_module<'ctx>(
    ctx: &'ctx Context,
    env: &ModuleEnv<'_>,
    config: &TranslateConfig,
    machine: &TargetMachine,
    parts: ModuleParts<'_, impl IntoIterator<Item = u32>>,
    tick: &(dyn Fn() + Sync),
) -> Result<Module<'ctx>> {
    let module = ctx.create_module(parts.name);
    module.set_triple(&machine.get_triple());
    module.set_data_layout(&machine.get_target_data().get_data_layout());
    // RISC-V would put small constants in `.srodata`, which an artifact
    // cannot hold (SPEC.md 4.2); a limit of 0 keeps them in `.rodata`.
    // Other targets ignore the flag.
    module.add_basic_value_flag(
        "SmallDataLimit",
        FlagBehavior::Error,
        ctx.i32_type().const_zero(),
    );
    let debug = config.wasm_offsets.then(|| OffsetDebug::new(ctx, &module));
    for def in parts.defined {
        let index = env.num_imported_funcs + def;
        let ty = abi::function_type_of(ctx, env, index);
        // A call from an earlier function may have declared it already.
        let name = abi::func_symbol(index);
        let f = module
            .get_function(&name)
            .unwrap_or_else(|| module.add_function(&name, ty, Some(Linkage::External)));
        set_attributes(ctx, f);
        let body = body_of(env, def)?;
        if crate::pipeline::is_light(body) {
            crate::pipeline::mark_light(f);
        }
        let target = FunctionTarget {
            index,
            function: f,
            osr_loop: None,
            debug: debug.as_ref(),
        };
        translate_function(ctx, &module, env, config, target, body)?;
        tick();
    }
    for &(def, loop_index) in parts.osr {
        let index = env.num_imported_funcs + def;
        let name = KilnSymbol::Osr {
            func: index,
            loop_index,
        }
        .to_string();
        let ty = abi::osr_function_type(ctx, env, index);
        let f = module.add_function(&name, ty, Some(Linkage::External));
        set_attributes(ctx, f);
        let target = FunctionTarget {
            index,
            function: f,
            osr_loop: Some(loop_index),
            debug: debug.as_ref(),
        };
        translate_function(ctx, &module, env, config, target, body_of(env, def)?)?;
    }
    if let Some(debug) = &debug {
        debug.finalize();
    }
    Ok(module)
}

/// The body of defined function `def`.
fn body_of<'e, 'w>(env: &'e ModuleEnv<'w>, def: u32) -> Result<&'e wasmparser::FunctionBody<'w>> {
    env.bodies.get(def as usize).ok_or_else(|| {
        CompileError::InvalidWasm(format!(
            "no body for function {}",
            env.num_imported_funcs + def
        ))
    })
}

/// Hidden visibility and the attributes every compiled function has.
fn set_attributes(ctx: &Context, f: inkwell::values::FunctionValue<'_>) {
    let nounwind = ctx.create_enum_attribute(Attribute::get_named_enum_kind_id("nounwind"), 0);
    let frame_pointer = ctx.create_string_attribute("frame-pointer", "all");
    // Unbounded recursion must exhaust the stack and trap, so a call in
    // tail position must not become a jump.
    let no_tail_calls = ctx.create_string_attribute("disable-tail-calls", "true");
    f.as_global_value().set_visibility(GlobalVisibility::Hidden);
    f.add_attribute(AttributeLoc::Function, nounwind);
    f.add_attribute(AttributeLoc::Function, frame_pointer);
    f.add_attribute(AttributeLoc::Function, no_tail_calls);
}

/// Verifies `module`, turning LLVM's report into an error.
pub fn verify(module: &Module<'_>) -> Result<()> {
    module
        .verify()
        .map_err(|e| CompileError::Llvm(format!("invalid IR: {}", e.to_string().trim_end())))
}
