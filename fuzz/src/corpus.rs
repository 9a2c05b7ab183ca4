//! Seed corpora: real artifacts compiled from wasm files and from the
//! modules of `.wast` scripts (the spec suite), and those modules' bytes.

use std::path::{Path, PathBuf};

/// Every `.wasm` and `.wast` file under `paths` (files or directories),
/// sorted.
pub fn files(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        collect(p, &mut out);
    }
    out.sort();
    out
}

fn collect(p: &Path, out: &mut Vec<PathBuf>) {
    if p.is_dir() {
        let Ok(rd) = std::fs::read_dir(p) else { return };
        for e in rd.flatten() {
            collect(&e.path(), out);
        }
    } else if p.extension().is_some_and(|e| e == "wasm" || e == "wast") {
        out.push(p.to_path_buf());
    }
}

/// The wasm modules in `file`: itself if `.wasm`, else every module a
/// `.wast` script defines (text or binary; quoted ones skipped), at most
/// `per_file`.
pub fn modules(file: &Path, per_file: usize) -> Vec<Vec<u8>> {
    let Ok(bytes) = std::fs::read(file) else {
        return Vec::new();
    };
    if file.extension().is_some_and(|e| e == "wasm") {
        return vec![bytes];
    }
    let Ok(text) = String::from_utf8(bytes) else {
        return Vec::new();
    };
    let Ok(buf) = wast::parser::ParseBuffer::new(&text) else {
        return Vec::new();
    };
    let Ok(script) = wast::parser::parse::<wast::Wast>(&buf) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for d in script.directives {
        if out.len() >= per_file {
            break;
        }
        if let wast::WastDirective::Module(mut m) = d {
            if let Ok(wasm) = m.encode() {
                out.push(wasm);
            }
        }
    }
    out
}

/// Artifacts for this host compiled from every valid module found under
/// `paths` (at most `per_file` modules per file), with the default options.
pub fn artifacts(paths: &[PathBuf], per_file: usize) -> Vec<Vec<u8>> {
    let target = match kiln_compiler::TargetSpec::host() {
        Ok(t) => t,
        Err(_) => return Vec::new(),
    };
    let opts = kiln_compiler::CompileOptions::new(target);
    files(paths)
        .iter()
        .flat_map(|f| modules(f, per_file))
        .filter(|w| wasmparser::Validator::new().validate_all(w).is_ok())
        .filter_map(|w| kiln_compiler::compile_artifact(&w, &opts).ok())
        .collect()
}
