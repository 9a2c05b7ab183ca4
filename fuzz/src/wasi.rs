//! WASI calls with fuzzed arguments against a fresh sandbox. A small wasm
//! driver imports every `wasi_snapshot_preview1` function and exports a
//! forwarder for each; the fuzz input picks a sequence of calls and their
//! arguments (descriptors, pointers to path strings planted in memory, raw
//! numbers). Kiln must not panic, and nothing outside the sandbox may
//! change: the sandbox's parent holds canary files, and the sandbox holds
//! symlinks that point out of it.
//!
//! `poll_oneoff` is left out: a clock subscription may ask to sleep for
//! centuries, which is correct behaviour, not a bug.

use arbitrary::Unstructured;
use kiln_runtime::wasi::{self, WasiCtx};
use kiln_runtime::{Engine, Extern, Linker, Module, Store, Val, ValType};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// Path strings planted in the guest's memory, one per 64-byte slot from
/// [`PATHS_AT`], zero-terminated (lengths are passed separately).
const PATHS: [&str; 16] = [
    "a",
    "sub",
    "sub/b",
    ".",
    "..",
    "../outside.txt",
    "/",
    "up",
    "up/outside.txt",
    "escape",
    "abs",
    "sub/../../outside.txt",
    "new",
    "sub/new",
    "a/",
    "loop",
];
const PATHS_AT: u32 = 1024;
/// Where calls write their results; the rest of the page is fuzzed bytes.
const SCRATCH: u32 = 8192;

/// The wasm text of the driver.
pub fn driver_wat() -> String {
    let mut imports = String::new();
    let mut exports = String::new();
    for (i, (name, ty)) in wasi::functions().enumerate() {
        if name == "poll_oneoff" {
            continue;
        }
        let params: Vec<&str> = ty.params().iter().map(|t| wat_type(*t)).collect();
        let params = params.join(" ");
        let result = if ty.results().is_empty() {
            ""
        } else {
            "(result i32)"
        };
        imports.push_str(&format!(
            "(import \"wasi_snapshot_preview1\" \"{name}\" (func $f{i} (param {params}) {result}))\n"
        ));
        let gets: String = (0..ty.params().len())
            .map(|k| format!("local.get {k} "))
            .collect();
        exports.push_str(&format!(
            "(func (export \"{name}\") (param {params}) {result} {gets} call $f{i})\n"
        ));
    }
    format!("(module\n{imports}(memory (export \"memory\") 1)\n{exports})")
}

fn wat_type(t: ValType) -> &'static str {
    match t {
        ValType::I64 => "i64",
        _ => "i32",
    }
}

/// A sandbox directory inside a fresh parent that holds canaries.
pub struct Sandbox {
    /// The parent; removed on drop.
    pub parent: PathBuf,
}

impl Sandbox {
    /// Creates `parent/sandbox` with files, a subdirectory and symlinks
    /// out of it, and canaries beside it.
    pub fn new(tag: &str) -> std::io::Result<Sandbox> {
        let parent =
            std::env::temp_dir().join(format!("kiln-wasi-fuzz-{}-{tag}", std::process::id()));
        let _ = std::fs::remove_dir_all(&parent);
        let sb = parent.join("sandbox");
        std::fs::create_dir_all(sb.join("sub"))?;
        std::fs::write(sb.join("a"), b"file a")?;
        std::fs::write(sb.join("sub/b"), b"file b")?;
        std::fs::write(parent.join("outside.txt"), b"canary")?;
        std::fs::create_dir(parent.join("outside-dir"))?;
        std::fs::write(parent.join("outside-dir/keep"), b"canary 2")?;
        std::os::unix::fs::symlink("../outside.txt", sb.join("escape"))?;
        std::os::unix::fs::symlink(parent.join("outside.txt"), sb.join("abs"))?;
        std::os::unix::fs::symlink("..", sb.join("up"))?;
        std::os::unix::fs::symlink("loop", sb.join("loop"))?;
        Ok(Sandbox { parent })
    }

    /// The directory the guest gets.
    pub fn dir(&self) -> PathBuf {
        self.parent.join("sandbox")
    }

    /// Everything outside the sandbox, as (path, bytes or listing, mtime).
    fn outside(&self) -> Vec<(String, Vec<u8>, Option<std::time::SystemTime>)> {
        let mut out = Vec::new();
        snapshot(&self.parent, &self.dir(), &mut out);
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }
}

fn snapshot(
    dir: &Path,
    skip: &Path,
    out: &mut Vec<(String, Vec<u8>, Option<std::time::SystemTime>)>,
) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p == skip {
            continue;
        }
        let meta = std::fs::symlink_metadata(&p).ok();
        let mtime = meta.as_ref().and_then(|m| m.modified().ok());
        if meta.as_ref().is_some_and(|m| m.is_dir()) {
            out.push((p.display().to_string(), b"dir".to_vec(), mtime));
            snapshot(&p, skip, out);
        } else {
            let bytes = std::fs::read(&p).unwrap_or_default();
            out.push((p.display().to_string(), bytes, mtime));
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.parent);
    }
}

/// Runs the calls `input` describes in a fresh sandbox; `Ok(calls made)`,
/// or `Err` describing a panic or a change outside the sandbox.
pub fn check(engine: &Engine, driver: &Module, input: &[u8], tag: &str) -> Result<usize, String> {
    let sandbox = Sandbox::new(tag).map_err(|e| format!("cannot make the sandbox: {e}"))?;
    let before = sandbox.outside();
    let made = catch_unwind(AssertUnwindSafe(|| {
        run_calls(engine, driver, input, &sandbox.dir())
    }))
    .map_err(|_| "Kiln panicked".to_string())?;
    let after = sandbox.outside();
    if before != after {
        let changed: Vec<&String> = after
            .iter()
            .filter(|a| !before.contains(a))
            .map(|a| &a.0)
            .chain(before.iter().filter(|b| !after.contains(b)).map(|b| &b.0))
            .collect();
        return Err(format!("files outside the sandbox changed: {changed:?}"));
    }
    Ok(made)
}

fn run_calls(engine: &Engine, driver: &Module, input: &[u8], dir: &Path) -> usize {
    let Ok(ctx) = WasiCtx::builder()
        .null_stdio()
        .and_then(|b| b.preopened_dir(dir, "/sandbox"))
    else {
        return 0;
    };
    let mut store = Store::new(engine, ctx.build());
    let mut linker = Linker::new();
    wasi::add_to_linker(&mut linker, &mut store, |c| c);
    let Ok(instance) = linker.instantiate(&mut store, driver) else {
        return 0;
    };
    let Some(memory) = instance.get_memory(&store, "memory") else {
        return 0;
    };
    let mut u = Unstructured::new(input);
    {
        let mem = memory.data_mut(&mut store);
        for (k, p) in PATHS.iter().enumerate() {
            let at = (PATHS_AT + 64 * k as u32) as usize;
            mem[at..at + p.len()].copy_from_slice(p.as_bytes());
        }
        let n = u.int_in_range(0..=256).unwrap_or(0);
        for i in 0..n {
            mem[SCRATCH as usize + i] = u.arbitrary().unwrap_or(0);
        }
    }
    let funcs: Vec<(String, kiln_runtime::Func)> = instance
        .exports(&store)
        .into_iter()
        .filter_map(|(n, e)| match e {
            Extern::Func(f) => Some((n, f)),
            _ => None,
        })
        .collect();
    let mut made = 0;
    while !u.is_empty() && made < 64 {
        let Ok(k) = u.choose_index(funcs.len()) else {
            break;
        };
        let (name, f) = &funcs[k];
        let ty = f.ty(&store);
        let args = fuzzed_args(ty.params(), &mut u);
        let mut results: Vec<Val> = ty.results().iter().map(|t| Val::default_for(*t)).collect();
        made += 1;
        if f.call(&mut store, &args, &mut results).is_err() && name == "proc_exit" {
            break;
        }
    }
    made
}

/// Arguments that are mostly meaningful: small descriptors, a planted path
/// and its length, pointers into the scratch area, or raw numbers.
fn fuzzed_args(params: &[ValType], u: &mut Unstructured<'_>) -> Vec<Val> {
    let mut out = Vec::with_capacity(params.len());
    let mut i = 0;
    while i < params.len() {
        let kind = u.int_in_range(0..=5u8).unwrap_or(0);
        if kind == 0
            && i + 1 < params.len()
            && params[i] == ValType::I32
            && params[i + 1] == ValType::I32
        {
            let k = u.choose_index(PATHS.len()).unwrap_or(0);
            out.push(Val::I32((PATHS_AT + 64 * k as u32) as i32));
            out.push(Val::I32(PATHS[k].len() as i32));
            i += 2;
            continue;
        }
        let raw: u64 = match kind {
            0 | 1 => u.int_in_range(0..=6).unwrap_or(3),
            2 => u64::from(SCRATCH + u.int_in_range(0..=4000).unwrap_or(0)),
            3 => u.int_in_range(0..=64).unwrap_or(0),
            _ => u.arbitrary().unwrap_or(0),
        };
        out.push(match params[i] {
            ValType::I64 => Val::I64(raw as i64),
            _ => Val::I32(raw as i32),
        });
        i += 1;
    }
    out
}

/// The driver module, compiled for `engine`.
pub fn driver(engine: &Engine) -> Result<Module, String> {
    let wasm = wat::parse_str(driver_wat()).map_err(|e| e.to_string())?;
    Module::new(engine, &wasm).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_driver_builds_and_seeded_calls_stay_in_the_sandbox() {
        let engine = Engine::default();
        let driver = driver(&engine).unwrap();
        let mut total = 0;
        for seed in 0..40u64 {
            let mut rng = crate::values::SplitMix::new(seed);
            let input: Vec<u8> = (0..600).map(|_| rng.next_u64() as u8).collect();
            total += check(&engine, &driver, &input, &format!("t{seed}")).unwrap();
        }
        assert!(total > 40 * 10, "{total} calls");
    }

    #[test]
    fn a_change_outside_the_sandbox_is_reported() {
        let sb = Sandbox::new("canary-test").unwrap();
        let before = sb.outside();
        std::fs::write(sb.parent.join("outside.txt"), b"changed").unwrap();
        assert_ne!(before, sb.outside());
    }
}
