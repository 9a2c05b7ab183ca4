//! Target selection: triple, CPU and CPU features, and the LLVM
//! `TargetMachine` built from them.
//!
//! `--target` accepts an architecture name (`x86_64`, `aarch64`, `riscv64`)
//! or a full LLVM triple whose first component is one of those. Defaults are
//! deliberate, never "whatever the build host is":
//! - x86_64: CPU `x86-64-v3` (AVX2, BMI2, FMA; every x86 server since ~2015);
//! - aarch64: CPU `generic` (Armv8.0-A);
//! - riscv64: CPU `generic-rv64` with `+m,+a,+f,+d,+c` (RV64GC) and the
//!   `lp64d` ABI, so floats travel in float registers as Rust expects.
//!
//! The machine uses the PIC relocation model and the small code model: the
//! loader maps the text at an arbitrary address, so nothing in the code may
//! hold an absolute address (non-PIC x86_64 jump tables would). Only the
//! three targets above are initialised; `initialize_all` is never called.

use crate::error::{CompileError, Result};
use inkwell::targets::{
    CodeModel, InitializationConfig, RelocMode, Target, TargetMachine, TargetMachineOptions,
    TargetTriple,
};
use inkwell::OptimizationLevel;
use std::sync::Once;

/// An architecture kilnc can emit code for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arch {
    /// x86-64 (AMD64).
    X86_64,
    /// 64-bit Arm (AArch64).
    Aarch64,
    /// 64-bit RISC-V.
    Riscv64,
}

impl Arch {
    /// The architecture of the machine running this code, if supported.
    pub fn host() -> Option<Arch> {
        if cfg!(target_arch = "x86_64") {
            Some(Arch::X86_64)
        } else if cfg!(target_arch = "aarch64") {
            Some(Arch::Aarch64)
        } else if cfg!(target_arch = "riscv64") {
            Some(Arch::Riscv64)
        } else {
            None
        }
    }

    /// The architecture named by `name` (an arch name or a triple's first part).
    pub fn from_name(name: &str) -> Option<Arch> {
        match name {
            "x86_64" | "x86-64" | "amd64" => Some(Arch::X86_64),
            "aarch64" | "arm64" => Some(Arch::Aarch64),
            "riscv64" | "riscv64gc" => Some(Arch::Riscv64),
            _ => None,
        }
    }

    /// The default Linux triple of the architecture.
    pub fn default_triple(self) -> &'static str {
        match self {
            Arch::X86_64 => "x86_64-unknown-linux-gnu",
            Arch::Aarch64 => "aarch64-unknown-linux-gnu",
            Arch::Riscv64 => "riscv64-unknown-linux-gnu",
        }
    }

    /// The CPU used when `--cpu` is not given.
    pub fn default_cpu(self) -> &'static str {
        match self {
            Arch::X86_64 => "x86-64-v3",
            Arch::Aarch64 => "generic",
            Arch::Riscv64 => "generic-rv64",
        }
    }

    /// Features always added before the user's `--cpu-features`.
    pub fn base_features(self) -> &'static str {
        match self {
            Arch::X86_64 | Arch::Aarch64 => "",
            Arch::Riscv64 => "+m,+a,+f,+d,+c",
        }
    }

    /// The ABI name passed to LLVM, if the target needs one.
    pub fn abi(self) -> Option<&'static str> {
        match self {
            Arch::Riscv64 => Some("lp64d"),
            Arch::X86_64 | Arch::Aarch64 => None,
        }
    }

    /// Pointer size in bytes.
    pub fn pointer_bytes(self) -> u8 {
        8
    }

    /// Registers this architecture's LLVM target (once per process).
    pub(crate) fn initialize(self) {
        static X86: Once = Once::new();
        static AARCH64: Once = Once::new();
        static RISCV: Once = Once::new();
        crate::llvm_options::apply();
        let config = InitializationConfig::default();
        match self {
            Arch::X86_64 => X86.call_once(|| Target::initialize_x86(&config)),
            Arch::Aarch64 => AARCH64.call_once(|| Target::initialize_aarch64(&config)),
            Arch::Riscv64 => RISCV.call_once(|| Target::initialize_riscv(&config)),
        }
    }
}

/// A fully resolved compilation target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetSpec {
    /// The architecture.
    pub arch: Arch,
    /// The LLVM triple, e.g. `x86_64-unknown-linux-gnu`.
    pub triple: String,
    /// The LLVM CPU name, e.g. `x86-64-v3`.
    pub cpu: String,
    /// The LLVM feature string, e.g. `+avx2,-bmi2` (may be empty).
    pub features: String,
}

impl TargetSpec {
    /// Resolves `--target`, `--cpu` and `--cpu-features`; `None` picks the
    /// defaults (the host architecture, its default CPU, no extra features).
    pub fn new(target: Option<&str>, cpu: Option<&str>, features: Option<&str>) -> Result<Self> {
        let (arch, triple) = match target {
            None => {
                let arch = Arch::host().ok_or_else(|| {
                    CompileError::Target(
                        "the host architecture is not supported; pass --target".into(),
                    )
                })?;
                (arch, arch.default_triple().to_string())
            }
            Some(t) if t.contains('-') => {
                let first = t.split('-').next().unwrap_or_default();
                let arch = Arch::from_name(first).ok_or_else(|| unknown_target(t))?;
                (arch, t.to_string())
            }
            Some(t) => {
                let arch = Arch::from_name(t).ok_or_else(|| unknown_target(t))?;
                (arch, arch.default_triple().to_string())
            }
        };
        let explicit_cpu = cpu.filter(|c| !c.is_empty());
        // `native`: the host CPU and exactly its features (only for the host's architecture).
        let native = explicit_cpu == Some("native");
        if native && Arch::host() != Some(arch) {
            return Err(CompileError::Target(
                "--cpu=native needs the host's own architecture as the target".into(),
            ));
        }
        let host_cpu;
        let cpu = if native {
            host_cpu = TargetMachine::get_host_cpu_name().to_string();
            host_cpu.as_str()
        } else {
            explicit_cpu.unwrap_or(arch.default_cpu())
        };
        let mut all_features = if native {
            TargetMachine::get_host_cpu_features().to_string()
        } else {
            arch.base_features().to_string()
        };
        let extra_features = features.filter(|f| !f.is_empty());
        for f in extra_features.iter().flat_map(|e| e.split(',')) {
            if !(f.starts_with('+') || f.starts_with('-')) || f.len() < 2 {
                return Err(CompileError::Target(format!(
                    "bad CPU feature `{f}`: write +name or -name (or `help`)"
                )));
            }
        }
        if let Some(extra) = extra_features {
            if !all_features.is_empty() {
                all_features.push(',');
            }
            all_features.push_str(extra);
        }
        let spec = TargetSpec {
            arch,
            triple,
            cpu: cpu.to_string(),
            features: all_features,
        };
        if (explicit_cpu.is_some() && !native) || extra_features.is_some() {
            crate::target_check::check_names(&spec)?;
        }
        Ok(spec)
    }

    /// The default target: the host architecture with its default CPU.
    pub fn host() -> Result<Self> {
        Self::new(None, None, None)
    }

    /// Pointer size in bytes.
    pub fn pointer_bytes(&self) -> u8 {
        self.arch.pointer_bytes()
    }

    /// Creates the LLVM target machine for code generation at `opt_level` (0-3).
    pub fn target_machine(&self, opt_level: u8) -> Result<TargetMachine> {
        self.arch.initialize();
        let triple = TargetTriple::create(&self.triple);
        let target = Target::from_triple(&triple).map_err(|e| {
            CompileError::Target(format!("{}: {}", self.triple, e.to_string().trim_end()))
        })?;
        let level = match opt_level {
            0 => OptimizationLevel::None,
            1 => OptimizationLevel::Less,
            2 => OptimizationLevel::Default,
            _ => OptimizationLevel::Aggressive,
        };
        let mut options = TargetMachineOptions::default()
            .set_cpu(&self.cpu)
            .set_features(&self.features)
            .set_level(level)
            .set_reloc_mode(RelocMode::PIC)
            .set_code_model(CodeModel::Small);
        if let Some(abi) = self.arch.abi() {
            options = options.set_abi(abi);
        }
        target
            .create_target_machine_from_options(&triple, options)
            .ok_or_else(|| CompileError::Target(format!("LLVM refused target {}", self.triple)))
    }

    /// Prints LLVM's list of CPUs and features of this target to stderr
    /// (what `--cpu-features help` shows); LLVM prints it once per process.
    pub fn print_features_help(&self) -> Result<()> {
        let mut help = self.clone();
        help.features = "+help".into();
        help.compile_empty_function()
    }

    /// Creates a subtarget by compiling one empty function (LLVM checks the
    /// CPU and features, and prints `+help`, only then).
    pub(crate) fn compile_empty_function(&self) -> Result<()> {
        let machine = self.target_machine(0)?;
        let context = inkwell::context::Context::create();
        let module = context.create_module("help");
        let f = module.add_function("f", context.void_type().fn_type(&[], false), None);
        let builder = context.create_builder();
        builder.position_at_end(context.append_basic_block(f, "entry"));
        builder.build_return(None)?;
        module.set_triple(&machine.get_triple());
        machine.write_to_memory_buffer(&module, inkwell::targets::FileType::Object)?;
        Ok(())
    }
}

fn unknown_target(t: &str) -> CompileError {
    CompileError::Target(format!(
        "unknown target `{t}` (supported: x86_64, aarch64, riscv64, or a triple starting with one of them)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arch_names_and_triples_resolve() {
        let t = TargetSpec::new(Some("x86_64"), None, None).unwrap();
        assert_eq!(t.triple, "x86_64-unknown-linux-gnu");
        assert_eq!(t.cpu, "x86-64-v3");
        let t =
            TargetSpec::new(Some("aarch64-unknown-linux-gnu"), Some("cortex-a72"), None).unwrap();
        assert_eq!(t.arch, Arch::Aarch64);
        assert_eq!(t.cpu, "cortex-a72");
        let t = TargetSpec::new(Some("riscv64"), None, Some("+v")).unwrap();
        assert_eq!(t.features, "+m,+a,+f,+d,+c,+v");
    }

    #[test]
    fn unknown_targets_and_bad_features_are_errors() {
        assert!(TargetSpec::new(Some("mips"), None, None).is_err());
        assert!(TargetSpec::new(Some("x86_64"), Some("bogus"), None).is_err());
        assert!(TargetSpec::new(Some("x86_64"), None, Some("+nonsense")).is_err());
        assert!(TargetSpec::new(Some("x86_64"), Some("znver4"), Some("-avx512f")).is_ok());
        assert!(TargetSpec::new(Some("sparc-sun-solaris"), None, None).is_err());
        assert!(TargetSpec::new(Some("x86_64"), None, Some("avx2")).is_err());
    }

    #[test]
    fn machines_are_created_for_every_arch() {
        for arch in ["x86_64", "aarch64", "riscv64"] {
            let t = TargetSpec::new(Some(arch), None, None).unwrap();
            t.target_machine(2).unwrap();
        }
    }
}
