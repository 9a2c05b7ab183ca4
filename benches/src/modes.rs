//! Kiln execution modes: what `--modes` accepts, and how each mode is
//! selected on the `kiln run` command line.

use clap::ValueEnum;

/// A value accepted by `--modes`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum ModeArg {
    Interp,
    FastJit,
    LlvmJit,
    MultiTierJit,
    /// Compile with kilnc, then run the artifact.
    Aot,
    /// Every mode above.
    All,
    /// No Kiln mode: native only.
    None,
}

/// A Kiln execution mode.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    Interp,
    FastJit,
    LlvmJit,
    MultiTierJit,
    /// `kilnc X.wasm -o X.aot`, then `kiln run X.aot`.
    Aot,
}

impl Mode {
    pub const ALL: [Mode; 5] = [
        Mode::Interp,
        Mode::FastJit,
        Mode::LlvmJit,
        Mode::MultiTierJit,
        Mode::Aot,
    ];

    /// The name used in `--modes` and in the report.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Interp => "interp",
            Mode::FastJit => "fast-jit",
            Mode::LlvmJit => "llvm-jit",
            Mode::MultiTierJit => "multi-tier-jit",
            Mode::Aot => "aot",
        }
    }

    /// The `kiln run` flag selecting this mode for a `.wasm` file, or
    /// `None` for AOT, which runs an artifact instead (kiln's `--aot`
    /// option takes a path and means something else).
    pub fn flag(self) -> Option<String> {
        match self {
            Mode::Aot => None,
            _ => Some(format!("--{}", self.name())),
        }
    }
}

/// Turns the `--modes` list into distinct modes, in the order given.
pub fn resolve_modes(args: &[ModeArg]) -> Result<Vec<Mode>, String> {
    if args.contains(&ModeArg::None) {
        if args.len() > 1 {
            return Err("`--modes none` cannot be combined with other modes".into());
        }
        return Ok(Vec::new());
    }
    let mut modes = Vec::new();
    for arg in args {
        let picked: &[Mode] = match arg {
            ModeArg::Interp => &[Mode::Interp],
            ModeArg::FastJit => &[Mode::FastJit],
            ModeArg::LlvmJit => &[Mode::LlvmJit],
            ModeArg::MultiTierJit => &[Mode::MultiTierJit],
            ModeArg::Aot => &[Mode::Aot],
            ModeArg::All => &Mode::ALL,
            ModeArg::None => unreachable!("handled above"),
        };
        for mode in picked {
            if !modes.contains(mode) {
                modes.push(*mode);
            }
        }
    }
    Ok(modes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_resolve_in_order_without_duplicates() {
        let got = resolve_modes(&[ModeArg::LlvmJit, ModeArg::All]).unwrap();
        assert_eq!(
            got,
            vec![
                Mode::LlvmJit,
                Mode::Interp,
                Mode::FastJit,
                Mode::MultiTierJit,
                Mode::Aot
            ]
        );
        assert!(resolve_modes(&[ModeArg::None]).unwrap().is_empty());
        assert!(resolve_modes(&[ModeArg::None, ModeArg::Interp]).is_err());
    }

    #[test]
    fn mode_flags_match_cli() {
        let flags: Vec<Option<String>> = Mode::ALL.iter().map(|m| m.flag()).collect();
        assert_eq!(
            flags,
            [
                Some("--interp".to_string()),
                Some("--fast-jit".into()),
                Some("--llvm-jit".into()),
                Some("--multi-tier-jit".into()),
                None
            ]
        );
    }
}
