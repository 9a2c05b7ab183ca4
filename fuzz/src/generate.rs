//! Generated test modules: wasm-smith with swarm-chosen options, held to
//! WebAssembly 2.0 (SIMD, bulk memory, reference types, multi-value and
//! the rest; no later proposals), no imports, everything exported, NaNs
//! canonicalised (so results and memory bytes are deterministic), memories
//! and tables small and bounded, and termination ensured with fuel.

use crate::values::SplitMix;
use arbitrary::{Arbitrary, Unstructured};
use wasm_smith::{Config, Module};

/// Loop iterations and calls a module may make over its whole run before
/// it traps with `unreachable` (the fuel is shared by all its calls).
pub const FUEL: u32 = 2_000;

/// Bytes of randomness behind a seeded module.
const SEED_BYTES: usize = 12 * 1024;

/// The wasm-smith configuration drawn from `u`, restricted as the module
/// doc says.
pub fn config(u: &mut Unstructured<'_>) -> arbitrary::Result<Config> {
    let mut c = Config::arbitrary(u)?;
    // WebAssembly 2.0 and nothing later.
    c.exceptions_enabled = false;
    c.threads_enabled = false;
    c.tail_call_enabled = false;
    c.gc_enabled = false;
    c.memory64_enabled = false;
    c.relaxed_simd_enabled = false;
    c.extended_const_enabled = false;
    c.custom_page_sizes_enabled = false;
    c.wide_arithmetic_enabled = false;
    c.compact_imports_enabled = false;
    c.shared_everything_threads_enabled = false;
    c.custom_descriptors_enabled = false;
    c.acquire_release_atomics_enabled = false;
    c.multibyte_array_access_enabled = false;
    // Self-contained and observable.
    c.max_imports = 0;
    c.available_imports = None;
    c.module_shape = None;
    c.exports = None;
    c.export_everything = true;
    c.canonicalize_nans = true;
    // Small: one memory of at most three pages, with a declared maximum so
    // `memory.grow` stays bounded; small tables.
    c.max_memories = c.max_memories.min(1);
    c.max_memory32_bytes = 65_536 * (1 + c.max_memory32_bytes % 3);
    c.memory_max_size_required = true;
    c.max_tables = c.max_tables.min(2);
    c.max_table_elements = c.max_table_elements.min(64);
    c.table_max_size_required = true;
    // Many functions per module: each compile then checks many calls.
    c.max_funcs = c.max_funcs.min(24);
    c.min_funcs = u.int_in_range(1..=c.max_funcs.max(1))?.min(c.max_funcs);
    c.min_memories = u32::from(u.ratio(7, 8)?).min(c.max_memories as u32);
    c.min_globals = u.int_in_range(0..=3)?.min(c.max_globals);
    c.max_instructions = c.max_instructions.min(240);
    c.max_types = c.max_types.min(32);
    c.max_globals = c.max_globals.min(24);
    c.max_data_segments = c.max_data_segments.min(8);
    c.max_element_segments = c.max_element_segments.min(8);
    c.max_elements = c.max_elements.min(32);
    Ok(c)
}

/// A module drawn from `u`, with fuel.
pub fn module(u: &mut Unstructured<'_>) -> arbitrary::Result<Vec<u8>> {
    let config = config(u)?;
    let mut m = Module::new(config, u)?;
    m.ensure_termination(FUEL)
        .map_err(|_| arbitrary::Error::IncorrectFormat)?;
    Ok(m.to_bytes())
}

/// The module of `seed`: the same bytes on every machine and run.
pub fn seeded_module(seed: u64) -> Vec<u8> {
    let mut rng = SplitMix::new(seed);
    let mut bytes = vec![0u8; SEED_BYTES];
    for chunk in bytes.chunks_mut(8) {
        let r = rng.next_u64().to_le_bytes();
        chunk.copy_from_slice(&r[..chunk.len()]);
    }
    // Generation only fails on an impossible configuration; an empty module
    // (still a check of instantiation) stands in, and is counted like any.
    module(&mut Unstructured::new(&bytes)).unwrap_or_else(|_| b"\0asm\x01\0\0\0".to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_modules_are_valid_deterministic_and_varied() {
        let mut sizes = Vec::new();
        for seed in 0..40 {
            let wasm = seeded_module(seed);
            assert_eq!(wasm, seeded_module(seed));
            wasmparser::Validator::new()
                .validate_all(&wasm)
                .unwrap_or_else(|e| panic!("seed {seed}: {e}"));
            sizes.push(wasm.len());
        }
        sizes.sort();
        sizes.dedup();
        assert!(sizes.len() > 20, "{sizes:?}");
        assert!(sizes.iter().any(|s| *s > 2000), "{sizes:?}");
    }
}
