//! Compilation options, mirroring wamrc's flags.

use crate::error::{CompileError, Result};
use crate::target::TargetSpec;

/// Everything that changes the code `compile_module` produces.
#[derive(Clone, Debug)]
pub struct CompileOptions {
    /// Target triple, CPU and features.
    pub target: TargetSpec,
    /// `--opt-level` 0-3: the `default<ON>` pipeline and the codegen level.
    pub opt_level: u8,
    /// `--size-level` 0-3: 0 optimises for speed, 1 uses `default<Os>`,
    /// 2 and 3 use `default<Oz>` (only when `opt_level > 0`). Unlike wamrc
    /// this does not change the code model, which is always small.
    pub size_level: u8,
    /// `--bounds-checks`: explicit checks on every memory access instead of
    /// relying on guard pages. `None` picks the target default (off on
    /// 64-bit targets, which reserve 4 GiB plus a guard region).
    pub bounds_checks: Option<bool>,
    /// `--enable-llvm-passes`: a new-pass-manager pipeline run instead of
    /// `default<ON>`, e.g. `"mem2reg,instcombine,gvn"`.
    pub llvm_passes: Option<String>,
    /// Calls of functions defined in the module jump straight to their
    /// code (LLVM may inline them). `false`: every call goes through the
    /// callee's `VMFuncRef::wasm_call`, as calls of imports do, so that a
    /// function's code may come from another tier or be swapped later.
    pub direct_calls: bool,
    /// Record the module offset of the code of each wasm instruction
    /// (`.kiln.sites`, for trap backtraces), through debug locations.
    /// Default: on for x86_64, the target whose compiled frames the runtime
    /// walks, where it does not change a byte of code. On AArch64 and
    /// RISC-V, debug info makes LLVM emit CFI in every prologue, which
    /// reorders prologue instructions (and so the code), so it is off
    /// there until the runtime walks frames on them.
    pub wasm_offsets: bool,
    /// `-j`: worker threads for translation, optimisation and code
    /// generation (0 = all cores). Never changes the code.
    pub threads: usize,
    /// Called as each compilation phase starts and after each function is
    /// translated, with the phase's name and `(done, total)` functions
    /// (kilnc draws its progress bar with it).
    pub progress: Option<fn(&str, usize, usize)>,
    /// The caller has already validated the wasm with
    /// [`kiln_format::reader::FEATURES`] (the runtime's LLVM JIT, which
    /// validates once per load): the compiler reads it without validating
    /// it again. Never changes the code.
    pub wasm_validated: bool,
    /// Compile only these defined functions (indices among the defined
    /// ones, imports not counted; ascending, no repeats); the others get no
    /// code. Such an artifact loads only with `LoadOptions::partial`
    /// (tier-up compiles a few hot functions at a time this way). Needs
    /// `direct_calls` off.
    pub only_defined: Option<Vec<u32>>,
    /// With `only_defined`: also an on-stack-replacement entry
    /// `kiln_osr_<F>_<L>` for each (defined function, loop ordinal)
    /// (format-spec `osr`; the loop's operand stack must be empty).
    pub osr_entries: Vec<(u32, u32)>,
}

impl CompileOptions {
    /// Options for `target` at `-O3`, guard-page memory, one thread per core.
    pub fn new(target: TargetSpec) -> Self {
        CompileOptions {
            wasm_offsets: target.arch == crate::target::Arch::X86_64,
            target,
            opt_level: 3,
            size_level: 0,
            bounds_checks: None,
            llvm_passes: None,
            direct_calls: true,
            threads: 0,
            progress: None,
            wasm_validated: false,
            only_defined: None,
            osr_entries: Vec::new(),
        }
    }

    /// Checks that every value is in range.
    pub fn validate(&self) -> Result<()> {
        if self.opt_level > 3 {
            return Err(CompileError::Options(format!(
                "--opt-level must be 0-3, not {}",
                self.opt_level
            )));
        }
        if self.size_level > 3 {
            return Err(CompileError::Options(format!(
                "--size-level must be 0-3, not {}",
                self.size_level
            )));
        }
        if self.only_defined.is_some() && self.direct_calls {
            return Err(CompileError::Options(
                "compiling some functions only needs calls through the table (no direct calls)"
                    .into(),
            ));
        }
        if !self.osr_entries.is_empty() && self.only_defined.is_none() {
            return Err(CompileError::Options(
                "OSR entries are made only in partial artifacts (tier-up)".into(),
            ));
        }
        if self
            .llvm_passes
            .as_deref()
            .is_some_and(|p| p.trim().is_empty())
        {
            return Err(CompileError::Options(
                "--enable-llvm-passes is empty".into(),
            ));
        }
        Ok(())
    }

    /// Whether memory accesses are compiled with explicit bounds checks.
    pub fn bounds_checks(&self) -> bool {
        self.bounds_checks
            .unwrap_or(self.target.pointer_bytes() < 8)
    }

    /// The pass pipeline string given to LLVM.
    pub fn pipeline(&self) -> String {
        if let Some(p) = &self.llvm_passes {
            return p.clone();
        }
        match (self.opt_level, self.size_level) {
            (0, _) => "default<O0>".into(),
            (_, 1) => "default<Os>".into(),
            (_, 2..) => "default<Oz>".into(),
            (o, _) => format!("default<O{o}>"),
        }
    }

    /// The number of worker threads to use.
    pub fn thread_count(&self) -> usize {
        if self.threads > 0 {
            self.threads
        } else {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        }
    }
}
