//! Compiles the small C++ shim (`cpp/subtarget_features.cpp`) that asks
//! LLVM's `MCSubtargetInfo` which features a CPU implies, against the
//! headers of the LLVM 19 that llvm-sys links: `LLVM_SYS_191_PREFIX`'s
//! `llvm-config` (as llvm-sys uses), else `llvm-config-19` or
//! `llvm-config` on the path, whichever reports version 19.

use std::path::PathBuf;
use std::process::Command;

/// `llvm-config <arg>` of the first LLVM 19 installation found.
fn llvm_config(arg: &str) -> Option<String> {
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Ok(prefix) = std::env::var("LLVM_SYS_191_PREFIX") {
        candidates.push(PathBuf::from(prefix).join("bin/llvm-config"));
    }
    candidates.push("llvm-config-19".into());
    candidates.push("llvm-config".into());
    candidates.into_iter().find_map(|exe| {
        let version = Command::new(&exe).arg("--version").output().ok()?;
        if !String::from_utf8_lossy(&version.stdout).starts_with("19.") {
            return None;
        }
        let out = Command::new(&exe).arg(arg).output().ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    })
}

/// The C++ compiler: `$CXX` when set (cc's own rule), else `c++` when it
/// runs, else LLVM 19's `clang++` (the `clang-19` package, which the
/// README's set-up installs, brings it and libstdc++'s headers).
fn cxx() -> Option<PathBuf> {
    if std::env::var_os("CXX").is_some() {
        return None;
    }
    let runs = |exe: &PathBuf| Command::new(exe).arg("--version").output().is_ok();
    let mut candidates: Vec<PathBuf> = vec!["c++".into()];
    if let Ok(prefix) = std::env::var("LLVM_SYS_191_PREFIX") {
        candidates.push(PathBuf::from(prefix).join("bin/clang++"));
    }
    candidates.push("clang++-19".into());
    let first = candidates.iter().position(runs)?;
    (first > 0).then(|| candidates.swap_remove(first))
}

fn main() {
    println!("cargo:rerun-if-changed=cpp/subtarget_features.cpp");
    println!("cargo:rerun-if-env-changed=CXX");
    println!("cargo:rerun-if-env-changed=LLVM_SYS_191_PREFIX");
    let include = llvm_config("--includedir")
        .expect("kiln-compiler needs LLVM 19's llvm-config (set LLVM_SYS_191_PREFIX)");
    let mut build = cc::Build::new();
    if let Some(cxx) = cxx() {
        build.compiler(cxx);
    }
    build
        .cpp(true)
        .file("cpp/subtarget_features.cpp")
        .include(include)
        .std("c++17")
        .flag("-fno-exceptions")
        .flag("-fno-rtti")
        .define("_GNU_SOURCE", None)
        .define("__STDC_CONSTANT_MACROS", None)
        .define("__STDC_FORMAT_MACROS", None)
        .define("__STDC_LIMIT_MACROS", None)
        .cpp_link_stdlib(None)
        .warnings(false)
        .extra_warnings(false)
        .compile("kiln_llvm_shim");
}
