//! The `kiln` command line: results, traps and bad input, never a panic.

use std::path::PathBuf;
use std::process::{Command, Output};

fn kiln(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kiln"))
        .args(args)
        .output()
        .expect("kiln runs")
}

fn temp(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kiln-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const ADD: &str = r#"(module (func (export "add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1))))"#;

#[test]
fn calls_an_export_and_prints_the_result() {
    let f = temp("add.wat", ADD.as_bytes());
    let o = kiln(&["run", "-f", "add", f.to_str().unwrap(), "2", "3"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "5");
    let o = kiln(&[f.to_str().unwrap(), "-f", "add", "-7", "0x10"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "9");
}

#[test]
fn endless_recursion_is_a_stack_exhaustion_trap() {
    let f = temp("rec.wat", br#"(module (func $f (export "f") (call $f)))"#);
    let o = kiln(&["run", "--interp", "-f", "f", f.to_str().unwrap()]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(e.contains("call stack exhausted"), "{e}");
    assert!(!e.contains("panicked"), "{e}");
}

#[test]
fn truncated_wasm_gives_a_one_line_error_with_the_offset() {
    let wasm = wat::parse_str(ADD).unwrap();
    let f = temp("cut.wasm", &wasm[..wasm.len() - 3]);
    let o = kiln(&["run", "-f", "add", f.to_str().unwrap(), "1", "2"]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(e.contains("offset"), "{e}");
    assert_eq!(e.trim().lines().count(), 1, "{e}");
    assert!(!e.contains("panicked"), "{e}");
}

#[test]
fn invalid_wat_gives_a_one_line_error() {
    let f = temp("bad.wat", b"(module (func (result i32) (i64.const 1)))");
    let o = kiln(&["run", "-f", "x", f.to_str().unwrap()]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert_eq!(e.trim().lines().count(), 1, "{e}");
    assert!(e.contains("offset") || e.contains("type mismatch"), "{e}");
    assert!(!e.contains("panicked"), "{e}");
}

#[test]
fn unsupported_mode_is_named() {
    let f = temp("add2.wat", ADD.as_bytes());
    let o = kiln(&[
        "run",
        "--llvm-jit",
        "-f",
        "add",
        f.to_str().unwrap(),
        "1",
        "2",
    ]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("llvm-jit"), "{}", stderr(&o));
}

#[test]
fn bad_arguments_and_missing_files_are_errors() {
    let f = temp("add3.wat", ADD.as_bytes());
    let o = kiln(&["run", "-f", "add", f.to_str().unwrap(), "x", "1"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("cannot parse"), "{}", stderr(&o));
    let o = kiln(&["run", "/nonexistent/x.wasm"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("cannot read"), "{}", stderr(&o));
}
