//! Translation of one wasm function body to LLVM IR.
//!
//! The translator keeps an abstract value stack of LLVM values and a stack
//! of control frames; locals are allocas in the entry block (promoted to
//! SSA by `mem2reg`/SROA in the optimisation pipeline). Operators are
//! dispatched by family to the submodules; code after an unconditional
//! branch is skipped until the `else`/`end` that makes it reachable again.
//! The native shape of the function follows [`crate::abi`].

mod access_groups;
mod affine;
mod affine_ops;
mod bulk;
mod call;
mod control;
mod convert;
mod emit;
mod float;
mod frame;
mod integer;
mod locations;
mod loop_hints;
mod loop_version;
mod memory;
mod osr;
mod prologue;
mod reference;
mod simd;
mod table;
mod variables;

use crate::debug_loc::OffsetDebug;
use crate::env::ModuleEnv;
use crate::error::{CompileError, Result};
use frame::Frame;
use inkwell::basic_block::BasicBlock;
use inkwell::builder::Builder;
use inkwell::context::Context;
use inkwell::module::Module;
use inkwell::types::BasicTypeEnum;
use inkwell::values::{BasicValueEnum, FunctionValue, PointerValue};
use kiln_format::VMOffsets;
use wasmparser::{FunctionBody, Operator, ValType};

/// Module-wide settings shared by every function translation.
pub struct TranslateConfig {
    /// The instance layout.
    pub offsets: VMOffsets,
    /// Explicit bounds checks on every memory access (no guard pages).
    pub bounds_checks: bool,
    /// Direct calls of defined functions (`CompileOptions::direct_calls`).
    pub direct_calls: bool,
    /// Module offsets as debug locations (`CompileOptions::wasm_offsets`).
    pub wasm_offsets: bool,
}

/// What one translation produces: the code of defined function `index`
/// (in the full function index space) into `function`, already declared
/// in the module; with `osr_loop`, its OSR entry at that loop ([`osr`]);
/// with `debug`, each operator's module offset as its debug location.
pub struct FunctionTarget<'ctx, 'd> {
    pub index: u32,
    pub function: FunctionValue<'ctx>,
    pub osr_loop: Option<u32>,
    pub debug: Option<&'d OffsetDebug<'ctx>>,
}

/// Translates `body` into `target`.
pub fn translate_function<'ctx>(
    ctx: &'ctx Context,
    module: &Module<'ctx>,
    env: &ModuleEnv<'_>,
    config: &TranslateConfig,
    target: FunctionTarget<'ctx, '_>,
    body: &FunctionBody<'_>,
) -> Result<()> {
    let FunctionTarget {
        index,
        function,
        osr_loop,
        debug,
    } = target;
    let mut ops = Vec::new();
    let mut offsets = Vec::new();
    let mut reader = body.get_operators_reader()?;
    while !reader.eof() {
        let (op, offset) = reader.read_with_offset()?;
        ops.push(op);
        offsets.push(u32::try_from(offset).unwrap_or(0));
    }
    let mut t = FuncTranslator::new(ctx, module, env, config, index, function)?;
    if let Some(debug) = debug {
        let name = function.get_name().to_string_lossy().into_owned();
        let start = offsets.first().copied().unwrap_or(0);
        let scope = debug.subprogram(function, &name, start);
        t.locations = Some(locations::Locations::new(debug, scope, offsets));
    }
    t.osr = osr_loop.map(osr::OsrState::new);
    t.locate_prologue();
    t.prologue(body)?;
    let mut i = 0;
    while i < ops.len() {
        t.locate_at(i);
        t.trap_blocks.clear();
        i = t.translate_from(&ops, i).map_err(|e| match e {
            CompileError::Unsupported(m) => {
                CompileError::Unsupported(format!("{m} in function {index}"))
            }
            e => e,
        })?;
    }
    t.osr_finish()
}

/// State of one function's translation.
pub(crate) struct FuncTranslator<'ctx, 'a> {
    ctx: &'ctx Context,
    module: &'a Module<'ctx>,
    env: &'a ModuleEnv<'a>,
    config: &'a TranslateConfig,
    builder: Builder<'ctx>,
    function: FunctionValue<'ctx>,
    /// Index of the function in the module's function space.
    index: u32,
    /// The first parameter: this instance's VMContext.
    vmctx: PointerValue<'ctx>,
    /// The trailing return-area parameter (two or more results).
    ret_area: Option<PointerValue<'ctx>>,
    /// The wasm result types.
    results: Vec<ValType>,
    /// Each local's alloca and type, parameters first.
    locals: Vec<(PointerValue<'ctx>, BasicTypeEnum<'ctx>)>,
    /// Base address of memory 0, loaded once in the prologue (it never moves).
    memory_base: Option<PointerValue<'ctx>>,
    /// The entry block, where allocas go.
    entry: Option<BasicBlock<'ctx>>,
    /// The trap blocks of the operator being translated, by trap code
    /// (`emit::trap_block`).
    trap_blocks: Vec<(u32, BasicBlock<'ctx>)>,
    /// The operand stack.
    stack: Vec<BasicValueEnum<'ctx>>,
    /// The control stack; the function body is the outermost frame.
    frames: Vec<Frame<'ctx>>,
    /// Whether the current position is reachable.
    reachable: bool,
    /// Nesting depth of blocks opened inside unreachable code.
    dead_depth: u32,
    /// Set when translating an OSR entry.
    osr: Option<osr::OsrState<'ctx>>,
    /// Set while translating the fast copy of a versioned loop.
    fast_loop: Option<loop_version::FastLoop<'ctx>>,
    /// Debug locations of the operators, when asked for.
    locations: Option<locations::Locations<'ctx, 'a>>,
}

impl<'ctx, 'a> FuncTranslator<'ctx, 'a> {
    fn new(
        ctx: &'ctx Context,
        module: &'a Module<'ctx>,
        env: &'a ModuleEnv<'a>,
        config: &'a TranslateConfig,
        index: u32,
        function: FunctionValue<'ctx>,
    ) -> Result<Self> {
        let vmctx = function
            .get_first_param()
            .ok_or_else(|| CompileError::Llvm("function without a vmctx parameter".into()))?
            .into_pointer_value();
        let ty = env.func_type(index);
        let ret_area = (ty.results().len() > 1)
            .then(|| function.get_last_param().map(|p| p.into_pointer_value()))
            .flatten();
        Ok(FuncTranslator {
            ctx,
            module,
            env,
            config,
            builder: ctx.create_builder(),
            function,
            index,
            vmctx,
            ret_area,
            results: ty.results().to_vec(),
            locals: Vec::new(),
            memory_base: None,
            entry: None,
            trap_blocks: Vec::new(),
            stack: Vec::new(),
            frames: Vec::new(),
            reachable: true,
            dead_depth: 0,
            osr: None,
            fast_loop: None,
            locations: None,
        })
    }

    /// Translates one operator.
    fn translate(&mut self, op: Operator<'_>) -> Result<()> {
        self.locate_next();
        self.trap_blocks.clear();
        if !self.reachable {
            return self.translate_dead(&op);
        }
        let handled = self.control(&op)?
            || self.variable(&op)?
            || self.integer(&op)?
            || self.float(&op)?
            || self.convert(&op)?
            || self.memory(&op)?
            || self.call(&op)?
            || self.bulk_memory(&op)?
            || self.table_op(&op)?
            || self.reference(&op)?
            || self.simd(&op)?;
        if handled {
            Ok(())
        } else {
            Err(unsupported(&op))
        }
    }
}

/// The error for an operator the compiler does not handle yet.
pub(crate) fn unsupported(op: &Operator<'_>) -> CompileError {
    let text = format!("{op:?}");
    let name = text.split([' ', '{', '(']).next().unwrap_or("operator");
    CompileError::Unsupported(format!("operator `{name}`"))
}
