//! Wasm module offsets as LLVM debug locations.
//!
//! Every operator's IR gets a debug location whose line is the module
//! byte offset of the operator (column 0), in a subprogram named after the
//! function's symbol; after optimisation the instructions a backtrace can
//! stop at get column [`STOP_COLUMN`] ([`crate::stops`]). LLVM carries the locations through optimisation,
//! records inlining in their `inlinedAt` chains, and writes them to the
//! object's `.debug_line` and `.debug_info` (line tables only, no
//! variables); [`crate::sites`] reads them back into the artifact's
//! `.kiln.sites`. Debug locations do not change the generated code (the
//! `.text` of an artifact is the same with and without them,
//! compiler/tests/sites.rs). Line 0 means "no offset": LLVM gives it to
//! an instruction merged from several.

use inkwell::context::Context;
use inkwell::debug_info::{
    AsDIScope, DICompileUnit, DIFlags, DIFlagsConstants, DISubprogram, DISubroutineType,
    DWARFEmissionKind, DWARFSourceLanguage, DebugInfoBuilder,
};
use inkwell::module::{FlagBehavior, Module};
use inkwell::values::FunctionValue;

/// DWARF version of the line tables (4: no `.debug_addr`/`.debug_str_offsets`
/// indirection for the reader).
const DWARF_VERSION: u64 = 4;

/// The column of instructions where a backtrace can stop (calls, accesses
/// that may fault); every other instruction has column 0.
pub(crate) const STOP_COLUMN: u32 = 1;

/// The debug-info builder of one LLVM module.
pub(crate) struct OffsetDebug<'ctx> {
    builder: DebugInfoBuilder<'ctx>,
    unit: DICompileUnit<'ctx>,
    ty: DISubroutineType<'ctx>,
}

impl<'ctx> OffsetDebug<'ctx> {
    /// Debug info for `module` of `ctx`: a compile unit, the module flags
    /// that make LLVM keep and emit it.
    pub fn new(ctx: &'ctx Context, module: &Module<'ctx>) -> Self {
        let i32t = ctx.i32_type();
        module.add_basic_value_flag(
            "Debug Info Version",
            FlagBehavior::Warning,
            i32t.const_int(
                u64::from(inkwell::debug_info::debug_metadata_version()),
                false,
            ),
        );
        module.add_basic_value_flag(
            "Dwarf Version",
            FlagBehavior::Warning,
            i32t.const_int(DWARF_VERSION, false),
        );
        let (builder, unit) = module.create_debug_info_builder(
            true,
            DWARFSourceLanguage::C,
            "wasm",
            ".",
            "kiln",
            true,
            "",
            0,
            "",
            DWARFEmissionKind::LineTablesOnly,
            0,
            false,
            false,
            "",
            "",
        );
        let ty = builder.create_subroutine_type(unit.get_file(), None, &[], DIFlags::ZERO);
        OffsetDebug { builder, unit, ty }
    }

    /// A subprogram named `name` (the function's symbol) attached to
    /// `function`, starting at module offset `start` (LLVM gives that line
    /// to the prologue's row; 0 would read as an unknown offset).
    pub fn subprogram(
        &self,
        function: FunctionValue<'ctx>,
        name: &str,
        start: u32,
    ) -> DISubprogram<'ctx> {
        let file = self.unit.get_file();
        let sp = self.builder.create_function(
            self.unit.as_debug_info_scope(),
            name,
            None,
            file,
            start,
            self.ty,
            false,
            true,
            start,
            DIFlags::ZERO,
            true,
        );
        function.set_subprogram(sp);
        sp
    }

    /// The location of module offset `offset` (0: unknown) in `scope`.
    pub fn location(
        &self,
        ctx: &'ctx Context,
        offset: u32,
        scope: DISubprogram<'ctx>,
    ) -> inkwell::debug_info::DILocation<'ctx> {
        self.builder
            .create_debug_location(ctx, offset, 0, scope.as_debug_info_scope(), None)
    }

    /// Resolves what was built; call before verifying the module.
    pub fn finalize(&self) {
        self.builder.finalize();
    }
}
