//! The optimisation pipeline, chosen per function.
//!
//! The wasm was optimised by its own compiler already; what LLVM adds is
//! cleaning up the translation (locals to SSA, repeated loads of the
//! memory base, address arithmetic) and, in loops, what wasm cannot say
//! (hoisting, vectorising, unrolling). A large function without loops
//! gets little from `default<O2/O3>`'s repeated simplification beyond
//! that cleanup, yet pays for all of it: on a switch-heavy module (a
//! trie of nested switches) the full pipeline took 40% of `kilnc`'s
//! instructions and its code ran 9% *more* instructions than the light
//! pipeline's.
//!
//! So at `-O2`/`-O3` (speed, no `--enable-llvm-passes`), a defined
//! function with no `loop` and at least [`LIGHT_MIN_BYTES`] of body is
//! marked light ([`mark_light`]) and [`run`] optimises the module in two
//! runs: the full pipeline with the light functions set aside, then
//! [`LIGHT`] with the others set aside. A set-aside function is
//! `optnone` + `noinline` for the run (LLVM's passes skip it and do not
//! inline it); the marks come off before code generation. Small
//! functions stay on the full pipeline, where the inliner can still
//! fold them into loops.

use crate::error::{CompileError, Result};
use crate::options::CompileOptions;
use inkwell::attributes::{Attribute, AttributeLoc};
use inkwell::module::Module;
use inkwell::passes::PassBuilderOptions;
use inkwell::targets::TargetMachine;
use inkwell::values::FunctionValue;
use wasmparser::{FunctionBody, Operator};

/// The smallest body (bytes of wasm) a loop-free function needs to take
/// the light pipeline; smaller ones are inlining candidates.
pub(crate) const LIGHT_MIN_BYTES: u64 = 512;

/// The string attribute that marks a light function.
const LIGHT_MARK: &str = "kiln-light";

/// The light pipeline: locals to SSA, common loads and expressions,
/// branch and instruction clean-up, redundant loads and stores.
pub(crate) const LIGHT: &str = "function(sroa<modify-cfg>,early-cse<memssa>,simplifycfg,\
instcombine<max-iterations=1;no-verify-fixpoint>,gvn,dse,simplifycfg)";

/// Whether the function of `body` takes the light pipeline: no `loop`,
/// at least [`LIGHT_MIN_BYTES`] long. A body that does not read is not
/// light (translating it reports the error).
pub(crate) fn is_light(body: &FunctionBody<'_>) -> bool {
    let range = body.range();
    if range.end - range.start < LIGHT_MIN_BYTES {
        return false;
    }
    let Ok(mut reader) = body.get_operators_reader() else {
        return false;
    };
    while !reader.eof() {
        match reader.read() {
            Ok(Operator::Loop { .. }) | Err(_) => return false,
            Ok(_) => {}
        }
    }
    true
}

/// Whether `opts` give light functions their own pipeline: a speed level
/// of 2 or 3 and LLVM's default pipeline.
pub(crate) fn splits(opts: &CompileOptions) -> bool {
    opts.llvm_passes.is_none() && opts.opt_level >= 2 && opts.size_level == 0
}

/// Marks `f` for the light pipeline.
pub(crate) fn mark_light(f: FunctionValue<'_>) {
    let ctx = f.get_type().get_context();
    f.add_attribute(
        AttributeLoc::Function,
        ctx.create_string_attribute(LIGHT_MARK, ""),
    );
}

fn is_marked(f: FunctionValue<'_>) -> bool {
    f.get_string_attribute(AttributeLoc::Function, LIGHT_MARK)
        .is_some()
}

/// Runs the optimisation pipeline on `module`: per function when
/// [`CompileOptions::pipeline`] is a speed level and light functions
/// exist, else that pipeline on everything.
pub fn run(module: &Module<'_>, machine: &TargetMachine, opts: &CompileOptions) -> Result<()> {
    let full = opts.pipeline();
    let split = splits(opts);
    let defined: Vec<FunctionValue<'_>> = module
        .get_functions()
        .filter(|f| f.count_basic_blocks() > 0)
        .collect();
    let (light, rest): (Vec<_>, Vec<_>) = defined.into_iter().partition(|&f| is_marked(f));
    if !split || light.is_empty() {
        return passes(module, machine, &full);
    }
    if !rest.is_empty() {
        let aside = SetAside::new(&light);
        passes(module, machine, &full)?;
        drop(aside);
    }
    let aside = SetAside::new(&rest);
    passes(module, machine, LIGHT)?;
    drop(aside);
    Ok(())
}

/// Runs the pipeline `pipeline` on `module`.
fn passes(module: &Module<'_>, machine: &TargetMachine, pipeline: &str) -> Result<()> {
    module
        .run_passes(pipeline, machine, PassBuilderOptions::create())
        .map_err(|e| {
            CompileError::Llvm(format!(
                "pass pipeline `{pipeline}`: {}",
                e.to_string().trim_end()
            ))
        })
}

/// Functions made `optnone` + `noinline` until dropped; `noinline` comes
/// off only where this added it.
struct SetAside<'ctx> {
    functions: Vec<(FunctionValue<'ctx>, bool)>,
}

fn kind(name: &str) -> u32 {
    Attribute::get_named_enum_kind_id(name)
}

impl<'ctx> SetAside<'ctx> {
    fn new(functions: &[FunctionValue<'ctx>]) -> Self {
        let (optnone, noinline) = (kind("optnone"), kind("noinline"));
        let functions = functions
            .iter()
            .map(|&f| {
                let ctx = f.get_type().get_context();
                let had_noinline = f
                    .get_enum_attribute(AttributeLoc::Function, noinline)
                    .is_some();
                if !had_noinline {
                    f.add_attribute(
                        AttributeLoc::Function,
                        ctx.create_enum_attribute(noinline, 0),
                    );
                }
                f.add_attribute(
                    AttributeLoc::Function,
                    ctx.create_enum_attribute(optnone, 0),
                );
                (f, had_noinline)
            })
            .collect();
        SetAside { functions }
    }
}

impl Drop for SetAside<'_> {
    fn drop(&mut self) {
        let (optnone, noinline) = (kind("optnone"), kind("noinline"));
        for &(f, had_noinline) in &self.functions {
            f.remove_enum_attribute(AttributeLoc::Function, optnone);
            if !had_noinline {
                f.remove_enum_attribute(AttributeLoc::Function, noinline);
            }
        }
    }
}
