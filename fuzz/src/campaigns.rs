//! The seeded runs behind `kiln-fuzz artifacts`, `validate` and `wasi`:
//! each returns its summary line or the first violation.

use kiln_fuzz::values::SplitMix;
use kiln_fuzz::{artifact, corpus, generate, validate, wasi};
use std::ops::Range;
use std::path::PathBuf;
use std::time::Instant;

/// The spec suite (`$KILN_TESTSUITE/core` or `../shared/testsuite/core`)
/// and the benchmark workloads, from the workspace root.
fn default_corpus() -> Vec<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let suite = std::env::var_os("KILN_TESTSUITE")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/testsuite"));
    vec![suite.join("core"), root.join("benches/wasm")]
}

pub fn artifacts(
    mutations: u64,
    seed: u64,
    per_file: usize,
    write_corpus: Option<PathBuf>,
    paths: Vec<PathBuf>,
) -> Result<String, String> {
    let paths = if paths.is_empty() {
        default_corpus()
    } else {
        paths
    };
    let start = Instant::now();
    let corpus = corpus::artifacts(&paths, per_file);
    println!(
        "artifacts: {} seed artifacts compiled in {:.1} s",
        corpus.len(),
        start.elapsed().as_secs_f64()
    );
    if let Some(dir) = write_corpus {
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for (i, a) in corpus.iter().enumerate() {
            let path = dir.join(format!("seed-{i:04}.aot"));
            std::fs::write(&path, a).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    let start = Instant::now();
    let t = artifact::run(&corpus, mutations, seed)?;
    Ok(format!(
        "{} mutations in {:.1} s: {} refused raw, {} unchanged; resealed: {} refused, {} loaded, {} without a checksum section; 0 violations",
        t.mutations,
        start.elapsed().as_secs_f64(),
        t.raw_refused,
        t.unchanged,
        t.resealed_refused,
        t.resealed_loaded,
        t.unsealable
    ))
}

pub fn validate(seeds: Range<u64>) -> Result<String, String> {
    let tiers = validate::Tiers::built()?;
    let (mut valid, mut invalid) = (0u64, 0u64);
    for seed in seeds.clone() {
        let module = generate::seeded_module(seed);
        let mut rng = SplitMix::new(seed);
        let mut flipped = module.clone();
        for _ in 0..=rng.below(3) {
            let at = rng.below(flipped.len() as u64) as usize;
            flipped[at] ^= 1 << rng.below(8);
        }
        let mut garbage = b"\0asm\x01\0\0\0".to_vec();
        garbage.extend((0..rng.below(200)).map(|_| rng.next_u64() as u8));
        for input in [&module, &flipped, &garbage] {
            match tiers.check(input) {
                Ok(true) => valid += 1,
                Ok(false) => invalid += 1,
                Err(e) => return Err(format!("seed {seed}: {e}")),
            }
        }
    }
    Ok(format!(
        "validate: seeds {}..{}: {valid} valid and {invalid} invalid inputs, every tier agreed, 0 panics",
        seeds.start, seeds.end
    ))
}

pub fn wasi(seeds: Range<u64>) -> Result<String, String> {
    let engine = kiln_runtime::Engine::default();
    let driver = wasi::driver(&engine)?;
    let mut calls = 0;
    for seed in seeds.clone() {
        let mut rng = SplitMix::new(seed);
        let input: Vec<u8> = (0..rng.below(2000)).map(|_| rng.next_u64() as u8).collect();
        calls += wasi::check(&engine, &driver, &input, "seeded")
            .map_err(|e| format!("seed {seed}: {e}"))?;
    }
    Ok(format!(
        "wasi: seeds {}..{}: {calls} calls, nothing outside the sandbox changed, 0 panics",
        seeds.start, seeds.end
    ))
}

pub fn check(
    file: &std::path::Path,
    seed: u64,
    modes: &[kiln_tests::Mode],
) -> Result<String, String> {
    let wasm = std::fs::read(file).map_err(|e| format!("cannot read `{}`: {e}", file.display()))?;
    let mut modes = kiln_fuzz::differential::Modes::of(modes)?;
    let verdict = modes.check(&wasm, seed);
    match verdict.divergence {
        Some(d) => Err(d),
        None => Ok(format!(
            "{} steps agree in {}",
            verdict.steps,
            modes.names().join(", ")
        )),
    }
}
