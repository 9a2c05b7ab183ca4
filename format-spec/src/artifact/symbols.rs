//! Symbol names in an artifact.
//!
//! Defined symbols:
//! - `kiln_func_<F>`: the code of wasm function `F`, where `F` is the
//!   function's index in the module's function index space (imports
//!   first), so only indices of defined functions appear. Wasm calling
//!   convention `(vmctx, params...)`.
//! - `kiln_array_call_<T>`: the host-to-wasm trampoline for type index `T`
//!   (fills `VMFuncRef.array_call`): takes its arguments and returns its
//!   results through an array of value slots, and calls a wasm-convention
//!   function of type `T`.
//! - `kiln_wasm_call_<T>`: the wasm-to-host trampoline for type index `T`
//!   (fills `VMFuncRef.wasm_call` of an imported host function): has the
//!   wasm calling convention and forwards through value slots to the host.
//! - `kiln_osr_<F>_<L>`: an on-stack-replacement entry of function `F` at
//!   its loop `L` (tier-up; see [`crate::osr`]), only in partial artifacts.
//!
//! Numbers are decimal without leading zeros (`0` itself is allowed).
//!
//! Undefined symbols are either runtime intrinsics named
//! [`RUNTIME_SYMBOL_PREFIX`]`<name>` or one of the [`LIBCALLS`] LLVM may
//! emit; the loader resolves both through its resolver.

use std::fmt;

/// Prefix of every undefined symbol that names a runtime intrinsic.
pub const RUNTIME_SYMBOL_PREFIX: &str = "kiln_rt_";

/// C library functions LLVM may call from compiled wasm code (lowering of
/// bulk memory and float rounding). Undefined symbols outside this list
/// and [`RUNTIME_SYMBOL_PREFIX`] are refused.
pub const LIBCALLS: &[&str] = &[
    "memcpy",
    "memmove",
    "memset",
    "ceil",
    "ceilf",
    "floor",
    "floorf",
    "trunc",
    "truncf",
    "nearbyint",
    "nearbyintf",
    "rint",
    "rintf",
    "roundeven",
    "roundevenf",
    "fmin",
    "fminf",
    "fmax",
    "fmaxf",
    "sqrt",
    "sqrtf",
];

/// Whether an undefined symbol `name` may appear in an artifact.
pub fn is_allowed_import(name: &str) -> bool {
    name.strip_prefix(RUNTIME_SYMBOL_PREFIX)
        .is_some_and(|rest| !rest.is_empty())
        || LIBCALLS.contains(&name)
}

/// A symbol the artifact defines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KilnSymbol {
    /// `kiln_func_<index>`: the code of a defined wasm function.
    Func(u32),
    /// `kiln_array_call_<type>`: host-to-wasm trampoline.
    ArrayCall(u32),
    /// `kiln_wasm_call_<type>`: wasm-to-host trampoline.
    WasmCall(u32),
    /// `kiln_osr_<func>_<loop>`: entry of a defined function at a loop
    /// header, with the locals in a buffer ([`crate::osr`]).
    Osr { func: u32, loop_index: u32 },
}

const FUNC: &str = "kiln_func_";
const ARRAY_CALL: &str = "kiln_array_call_";
const WASM_CALL: &str = "kiln_wasm_call_";
const OSR: &str = "kiln_osr_";

/// Parses a decimal `u32` with no sign and no leading zeros.
fn parse_index(digits: &str) -> Option<u32> {
    let canonical = digits == "0" || (!digits.is_empty() && !digits.starts_with('0'));
    if !canonical {
        return None;
    }
    digits.bytes().try_fold(0u32, |n, b| {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        n.checked_mul(10)?.checked_add(u32::from(d))
    })
}

impl KilnSymbol {
    /// Parses a Kiln symbol name; `None` for any other name, including
    /// non-canonical numbers (`kiln_func_07`).
    pub fn parse(name: &str) -> Option<KilnSymbol> {
        if !name.starts_with("kiln_") {
            None
        } else if let Some(n) = name.strip_prefix(FUNC) {
            parse_index(n).map(KilnSymbol::Func)
        } else if let Some(n) = name.strip_prefix(ARRAY_CALL) {
            parse_index(n).map(KilnSymbol::ArrayCall)
        } else if let Some(n) = name.strip_prefix(WASM_CALL) {
            parse_index(n).map(KilnSymbol::WasmCall)
        } else if let Some(n) = name.strip_prefix(OSR) {
            let (func, loop_index) = n.split_once('_')?;
            Some(KilnSymbol::Osr {
                func: parse_index(func)?,
                loop_index: parse_index(loop_index)?,
            })
        } else {
            None
        }
    }
}

impl fmt::Display for KilnSymbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KilnSymbol::Func(i) => write!(f, "{FUNC}{i}"),
            KilnSymbol::ArrayCall(t) => write!(f, "{ARRAY_CALL}{t}"),
            KilnSymbol::WasmCall(t) => write!(f, "{WASM_CALL}{t}"),
            KilnSymbol::Osr { func, loop_index } => write!(f, "{OSR}{func}_{loop_index}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for sym in [
            KilnSymbol::Func(0),
            KilnSymbol::Func(u32::MAX),
            KilnSymbol::ArrayCall(7),
            KilnSymbol::WasmCall(12),
            KilnSymbol::Osr {
                func: 3,
                loop_index: 0,
            },
            KilnSymbol::Osr {
                func: u32::MAX,
                loop_index: 17,
            },
        ] {
            assert_eq!(KilnSymbol::parse(&sym.to_string()), Some(sym));
        }
        assert_eq!(KilnSymbol::Func(42).to_string(), "kiln_func_42");
        assert_eq!(KilnSymbol::ArrayCall(3).to_string(), "kiln_array_call_3");
        assert_eq!(KilnSymbol::WasmCall(3).to_string(), "kiln_wasm_call_3");
        let osr = KilnSymbol::Osr {
            func: 5,
            loop_index: 2,
        };
        assert_eq!(osr.to_string(), "kiln_osr_5_2");
    }

    #[test]
    fn non_canonical_names_are_not_kiln_symbols() {
        for name in [
            "kiln_func_",
            "kiln_func_07",
            "kiln_func_+7",
            "kiln_func_4294967296",
            "kiln_func_1a",
            "kiln_funcs_1",
            "kiln_osr_1",
            "kiln_osr_1_",
            "kiln_osr_1_02",
            "kiln_osr_1_2_3",
            "main",
        ] {
            assert_eq!(KilnSymbol::parse(name), None, "{name}");
        }
    }

    #[test]
    fn undefined_symbols_are_intrinsics_or_libcalls() {
        assert!(is_allowed_import("kiln_rt_memory_grow"));
        assert!(is_allowed_import("memcpy"));
        assert!(!is_allowed_import("kiln_rt_"));
        assert!(!is_allowed_import("system"));
    }
}
