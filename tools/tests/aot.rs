//! `kiln` with AOT artifacts: running them, falling back from stale or
//! foreign ones with a warning, and `kiln inspect`.

use kiln_compiler::{compile_artifact, CompileOptions, TargetSpec};
use std::path::PathBuf;
use std::process::{Command, Output};

fn kiln(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kiln"))
        .args(args)
        .output()
        .expect("kiln runs")
}

fn dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("kiln-aot-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn artifact(wasm: &[u8], target: &str) -> Vec<u8> {
    let spec = TargetSpec::new(Some(target), None, None).unwrap();
    compile_artifact(wasm, &CompileOptions::new(spec)).unwrap()
}

const ADD: &str = r#"(module (func $add (export "add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1))))"#;

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn artifacts_run_and_stale_or_foreign_ones_fall_back_with_a_warning() {
    let wasm = wat::parse_str(ADD).unwrap();
    let d = dir();
    let wasm_path = d.join("add.wasm");
    std::fs::write(&wasm_path, &wasm).unwrap();
    let aot_path = d.join("add.aot");
    std::fs::write(&aot_path, artifact(&wasm, "x86_64")).unwrap();
    let o = kiln(&["run", "-f", "add", aot_path.to_str().unwrap(), "2", "3"]);
    assert_eq!(text(&o.stdout).trim(), "5", "{}", text(&o.stderr));
    // add.aot beside add.wasm matches: used silently.
    let o = kiln(&["run", "-f", "add", wasm_path.to_str().unwrap(), "2", "3"]);
    assert_eq!(text(&o.stdout).trim(), "5");
    assert!(o.stderr.is_empty(), "{}", text(&o.stderr));
    // Stale: compiled from other wasm.
    let other = wat::parse_str(
        "(module (func (export \"add\") (param i32 i32) (result i32) (i32.const 0)))",
    )
    .unwrap();
    std::fs::write(&aot_path, artifact(&other, "x86_64")).unwrap();
    let o = kiln(&["run", "-f", "add", wasm_path.to_str().unwrap(), "2", "3"]);
    assert_eq!(text(&o.stdout).trim(), "5");
    let e = text(&o.stderr);
    assert!(e.contains("warning") && e.contains("stale"), "{e}");
    assert_eq!(e.lines().count(), 1, "{e}");
    // Foreign: refused by name when run directly, fallen back from beside the wasm.
    std::fs::write(&aot_path, artifact(&wasm, "aarch64")).unwrap();
    let o = kiln(&["run", "-f", "add", aot_path.to_str().unwrap(), "2", "3"]);
    assert!(!o.status.success());
    assert!(text(&o.stderr).contains("aarch64"), "{}", text(&o.stderr));
    let o = kiln(&["run", "-f", "add", wasm_path.to_str().unwrap(), "2", "3"]);
    assert_eq!(text(&o.stdout).trim(), "5");
    assert!(text(&o.stderr).contains("aarch64"), "{}", text(&o.stderr));
}

#[test]
fn inspect_describes_and_disassembles() {
    let wasm = wat::parse_str(ADD).unwrap();
    let path = dir().join("inspect.aot");
    std::fs::write(&path, artifact(&wasm, "x86_64")).unwrap();
    let o = kiln(&["inspect", path.to_str().unwrap(), "--disassemble", "0"]);
    let out = text(&o.stdout);
    assert!(o.status.success(), "{}", text(&o.stderr));
    for needle in [
        "x86_64-unknown-linux-gnu",
        "x86-64-v3",
        "kiln_func_0",
        "(add)",
        "kiln_array_call_0",
        "ret",
    ] {
        assert!(out.contains(needle), "missing {needle}: {out}");
    }
    let bad = dir().join("bad.aot");
    std::fs::write(&bad, b"\0aot\x03\0\0\0").unwrap();
    let o = kiln(&["inspect", bad.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(text(&o.stderr).contains("WAMR"), "{}", text(&o.stderr));
}

#[test]
fn a_mode_flag_wins_over_the_artifact_beside_the_wasm() {
    let wasm = wat::parse_str(ADD).unwrap();
    let d = dir().join("mode-flag");
    std::fs::create_dir_all(&d).unwrap();
    let wasm_path = d.join("add.wasm");
    std::fs::write(&wasm_path, &wasm).unwrap();
    let aot_path = d.join("add.aot");
    let (wasm_arg, aot_arg) = (wasm_path.to_str().unwrap(), aot_path.to_str().unwrap());
    // A stale artifact next door: without a flag it is read (and warned
    // about); with `--interp` it is not even looked at.
    let other = wat::parse_str(
        "(module (func (export \"add\") (param i32 i32) (result i32) (i32.const 0)))",
    )
    .unwrap();
    std::fs::write(&aot_path, artifact(&other, "x86_64")).unwrap();
    let o = kiln(&["run", "-f", "add", wasm_arg, "2", "3"]);
    assert!(text(&o.stderr).contains("stale"), "{}", text(&o.stderr));
    let o = kiln(&["run", "--interp", "-f", "add", wasm_arg, "2", "3"]);
    assert_eq!(text(&o.stdout).trim(), "5", "{}", text(&o.stderr));
    assert!(o.stderr.is_empty(), "{}", text(&o.stderr));
    // An artifact given to a mode flag, or `--aot` with a mode flag: refused.
    std::fs::write(&aot_path, artifact(&wasm, "x86_64")).unwrap();
    let o = kiln(&["run", "--interp", "-f", "add", aot_arg, "2", "3"]);
    assert!(!o.status.success());
    assert!(
        text(&o.stderr).contains("AOT artifact"),
        "{}",
        text(&o.stderr)
    );
    let o = kiln(&[
        "run", "--interp", "--aot", aot_arg, "-f", "add", wasm_arg, "2", "3",
    ]);
    assert!(!o.status.success());
    assert!(text(&o.stderr).contains("--aot"), "{}", text(&o.stderr));
}
