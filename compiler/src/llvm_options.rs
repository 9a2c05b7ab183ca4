//! LLVM's process-wide command-line options that Kiln sets, once, before
//! the first target is initialised (kilnc and the LLVM plugin only ever
//! compile wasm, so a global setting is theirs to choose).
//!
//! `-indvars-widen-indvars=false`: clang's wasm32 loops often count an
//! `i32` index up from a negative value to 0 and add it to a row pointer.
//! Widened to `i64` by IndVarSimplify, the exit test becomes a masked
//! compare whose trip count the loop vectoriser's overflow check can
//! never pass, so the vector loop it makes is dead. Unwidened, the 2-D
//! stencil kernel ran in 0.65x the time (AOT, `x86-64-v3`; the other
//! benchmarks within noise, dynprog 0.89-0.95x).
//!
//! `-x86-experimental-pref-innermost-loop-alignment=6`: innermost loops
//! start on a 64-byte boundary (x86 only; LLVM's default is 16), so a hot
//! loop of up to 64 bytes sits in one cache line and the op cache's
//! window. Where a loop landed otherwise changed from one build to the
//! next with unrelated code: dynprog's LCS row (108 bytes) ran 1.29x
//! slower on three lines than on two. Measured AOT, A/B CPU time medians
//! of 12-20 pairs: bytecode 0.81-0.85x, dynprog 0.85x, nbody 0.96x, the
//! other kernels 0.99-1.01x; artifacts about 1 KB larger.
//!
//! `-use-unknown-locations=Enable`: a machine instruction without a debug
//! location gets a line-0 row in the line table (the module offsets,
//! [`crate::debug_loc`]) instead of continuing the row before it. Code
//! generation makes such instructions: CodeGenPrepare's type promotion
//! puts a location-less `zext` after a volatile load, and instruction
//! selection folds the two into an extending load without location,
//! which would otherwise report the offset of whatever came before it
//! when it faults; its offset is now unknown. [`crate::sites`] keeps the
//! line-0 rows only where the code may fault or call
//! ([`crate::may_stop`]), so spill code and register moves cost no sites.
//! It changes only the line table.
//!
//! `-experimental-debug-variable-locations=false`: the module offsets
//! are line tables only, with no variables, yet LiveDebugValues in its
//! instruction-referencing form (the x86 default) still builds a value
//! map of every machine location in every block: 2.3% of `kilnc`'s
//! instructions on a switch-heavy module. The older form has nothing to
//! track without variables. Objects are byte-identical either way
//! (compiler/tests/sites.rs checks the code against a build without
//! offsets).
//!
//! `-tail-merge-threshold=50` (LLVM's default 150): tail merging compares
//! the ends of a block's predecessors pair by pair, up to this many.
//! Switch trees in wasm end hundreds of paths in one block (`return -1`
//! of a keyword trie), and the comparisons took a quarter of `kilnc`'s
//! instructions on keywords.wasm; at 50, code generation runs 17% fewer
//! instructions there, its code is 2.6% larger and runs the same
//! instruction count; every other benchmark's artifact is unchanged.

use std::ffi::{c_char, CString};
use std::sync::Once;

/// The options, as LLVM's command line spells them.
pub(crate) const OPTIONS: [&str; 5] = [
    "-indvars-widen-indvars=false",
    "-x86-experimental-pref-innermost-loop-alignment=6",
    "-use-unknown-locations=Enable",
    "-experimental-debug-variable-locations=false",
    "-tail-merge-threshold=50",
];

/// Sets [`OPTIONS`] (once per process).
pub(crate) fn apply() {
    static APPLY: Once = Once::new();
    APPLY.call_once(|| {
        let args: Vec<CString> = std::iter::once("kiln")
            .chain(OPTIONS)
            .filter_map(|a| CString::new(a).ok())
            .collect();
        let argv: Vec<*const c_char> = args.iter().map(|a| a.as_ptr()).collect();
        // SAFETY: `argv` holds `argv.len()` NUL-terminated strings that
        // outlive the call; LLVM copies what it keeps. The options exist in
        // the LLVM 19 this crate links, so parsing does not exit.
        unsafe {
            inkwell::llvm_sys::support::LLVMParseCommandLineOptions(
                argv.len() as i32,
                argv.as_ptr(),
                std::ptr::null(),
            )
        };
    });
}
