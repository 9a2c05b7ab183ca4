//! CPU features across compiler and loader: whatever `kilnc` records for
//! x86_64 (for the host, or for any Intel or AMD CPU name) is something the
//! loader can detect, so a host that has it loads the artifact.

use kiln_compiler::{compile_artifact, CompileOptions, TargetSpec};

/// `--cpu=native` records every feature LLVM finds on this host; the
/// loader's detection must know each of them, or the host refuses its own
/// artifact.
#[test]
fn native_artifacts_load_on_the_host_that_made_them() {
    let wasm = wat::parse_str("(module (func (export \"f\") (result i32) i32.const 7))").unwrap();
    let spec = TargetSpec::new(None, Some("native"), None).unwrap();
    let bytes = compile_artifact(&wasm, &CompileOptions::new(spec)).unwrap();
    let engine = kiln_runtime::Engine::default();
    if let Err(e) = kiln_runtime::Module::from_artifact(&engine, &bytes, Some(&wasm)) {
        panic!("the host refused its own --cpu=native artifact: {e}");
    }
}

/// Every feature LLVM's host detection turns on (what `--cpu=native`
/// passes to the code generator) is one the loader detects too, on
/// whichever vendor's CPU this runs.
#[test]
fn the_loader_sees_every_feature_llvm_detects_on_this_host() {
    let llvm = inkwell::targets::TargetMachine::get_host_cpu_features().to_string();
    let loader = kiln_loader::host_cpu_features();
    let missing: Vec<&str> = llvm
        .split(',')
        .filter_map(|f| f.strip_prefix('+'))
        .filter(|f| !loader.contains(f))
        .collect();
    assert!(
        missing.is_empty(),
        "LLVM detects {missing:?}; the loader does not"
    );
    let extra: Vec<&&str> = loader
        .iter()
        .filter(|f| llvm.split(',').any(|l| l.strip_prefix('-') == Some(**f)))
        .collect();
    assert!(
        extra.is_empty(),
        "the loader claims {extra:?}; LLVM says the host lacks them"
    );
}

/// Whatever x86_64 CPU an artifact is compiled for, Intel's or AMD's, every
/// feature recorded is one the loader can detect, so a host that has them
/// all loads it.
#[cfg(target_arch = "x86_64")]
#[test]
fn every_feature_recorded_for_x86_64_cpus_is_one_the_loader_detects() {
    let known = kiln_loader::detectable_x86_64_features();
    let cpus = [
        "x86-64-v2",
        "x86-64-v3",
        "x86-64-v4",
        "nehalem",
        "haswell",
        "broadwell",
        "skylake",
        "skylake-avx512",
        "cascadelake",
        "cooperlake",
        "cannonlake",
        "icelake-client",
        "icelake-server",
        "tigerlake",
        "sapphirerapids",
        "alderlake",
        "raptorlake",
        "meteorlake",
        "arrowlake",
        "arrowlake-s",
        "lunarlake",
        "pantherlake",
        "graniterapids",
        "graniterapids-d",
        "emeraldrapids",
        "sierraforest",
        "grandridge",
        "clearwaterforest",
        "goldmont",
        "goldmont-plus",
        "tremont",
        "knl",
        "knm",
        "btver2",
        "bdver1",
        "bdver2",
        "bdver3",
        "bdver4",
        "znver1",
        "znver2",
        "znver3",
        "znver4",
        "znver5",
    ];
    let mut missing = Vec::new();
    let mut unknown = Vec::new();
    for cpu in cpus {
        let Ok(spec) = TargetSpec::new(Some("x86_64"), Some(cpu), None) else {
            unknown.push(cpu);
            continue;
        };
        let features = kiln_compiler::artifact::cpu_features(&spec).unwrap();
        assert!(!features.is_empty() || cpu.starts_with("x86-64"), "{cpu}");
        for f in features {
            if !known.contains(&f.as_str()) {
                missing.push(format!("{cpu}: {f}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "recorded but never detected: {missing:?}"
    );
    // CPUs newer than this LLVM are skipped, and counted here.
    assert!(unknown.len() <= 3, "CPUs LLVM does not know: {unknown:?}");
}
